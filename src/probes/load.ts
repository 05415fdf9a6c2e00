/**
 * HTTP load at a fixed arrival rate (an open model). Request i is due at
 * t0 + i/rate whether or not earlier answers came back, and its latency is
 * measured from that intended time: a server that stalls for a second shows
 * a second of latency for every request that should have been sent during
 * the stall (no coordinated omission). Service time, from the actual send,
 * is kept alongside so the two can be told apart. Every request is counted:
 * errors and timeouts are recorded at their latency, never dropped.
 */
import { Client, type Dispatcher } from 'undici'
import { compareOp, type Condition, type Quantity } from '../config/units.js'
import { displayUrl } from './match.js'
import type { LoadWsResult } from './load-ws.js'
import type { TlsSpec } from './types.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration, formatPercent } from '../kernel/format.js'
import { formatCount, formatLatency } from '../kernel/format.js'
import {
  LatencyHistogram,
  EMPTY_SUMMARY,
  type HistogramSummary
} from '../kernel/histogram.js'

export interface LoadHttpSpec {
  kind: 'load-http'
  name: string
  url: string
  method: string
  headers: Record<string, string>
  body?: string
  /** Arrivals per second. */
  rate: number
  durationMs: number
  /** Requests on the wire at once; later arrivals wait (and their latency grows). */
  maxInFlight: number
  /** Per request, from the actual send. */
  timeoutMs: number
  /** Connections we open (as needed) when no dispatcher is injected; default `maxInFlight`. */
  connections?: number
  tls?: TlsSpec
}

export interface LoadResult {
  probe: string
  kind: 'load-http'
  /** Set only when the run could not start (bad spec); see evaluateLoad. */
  ok?: boolean
  /** Arrivals scheduled in the window: every one is accounted for below. */
  requests: number
  /** Requests put on the wire (the rest timed out waiting for a slot). */
  sent: number
  /** Requests answered with a complete response, whatever the status. */
  completed: number
  /** Requests without a 2xx/3xx answer: transport errors, timeouts, HTTP >= 400. */
  errors: number
  /** Of `errors`: no answer within `timeoutMs`, or never sent by the end. */
  timeouts: number
  /** Arrivals that found `maxInFlight` reached and waited for a slot. */
  queued: number
  statusCounts: Record<string, number>
  /** Failures without a status, by code: `ECONNREFUSED`, `timeout`, ... */
  errorCounts: Record<string, number>
  /** Completed responses per second of the run. */
  achievedRps: number
  /** From the intended send time: what users of an open system see. */
  corrected: HistogramSummary
  /** From the actual send, of the requests that were sent. */
  service: HistogramSummary
  durationMs: number
  maxInFlightSeen: number
  /** One line: what happened, for reports. */
  reason: string
}

export interface LoadHttpOptions {
  /** Scheduling and latency clock; real time by default. */
  clock?: Clock
  /**
   * An undici Pool or Agent (a proxy, a mock) to send through instead of
   * our own connections; the caller keeps it and closes it.
   */
  dispatcher?: Dispatcher
  /** Aborting ends the window early; requests already due are still counted. */
  signal?: AbortSignal
  /** Masks secrets in the reason. */
  redact?: (s: string) => string
}

/**
 * Runs one fixed-rate load probe. Why an open model: a closed-loop
 * generator (N workers waiting for answers) sends less when the server is
 * slow and so under-reports exactly the stalls a rollout gate must catch.
 */
export async function runHttpLoad(
  spec: LoadHttpSpec,
  options: LoadHttpOptions = {}
): Promise<LoadResult> {
  const redact = options.redact ?? ((s: string): string => s)
  const invalid = checkSpec(spec)
  if (invalid !== undefined) return failedStart(spec, redact(invalid))
  const clock = options.clock ?? systemClock
  const url = new URL(spec.url)
  const lanes =
    options.dispatcher === undefined
      ? new Lanes(url.origin, spec.connections ?? spec.maxInFlight, {
          pipelining: 1,
          connect: connectOptions(spec.tls)
        })
      : undefined
  const engine = new Engine(spec, clock, url, options.dispatcher, lanes)
  try {
    await engine.run(options.signal)
  } finally {
    await lanes?.destroy()
  }
  return engine.result(redact)
}

function connectOptions(tls: TlsSpec | undefined): Client.Options['connect'] {
  if (tls === undefined) return undefined
  return {
    ca: tls.ca,
    rejectUnauthorized: !tls.insecure,
    minVersion: tls.minVersion
  }
}

function checkSpec(spec: LoadHttpSpec): string | undefined {
  let url: URL
  try {
    url = new URL(spec.url)
  } catch {
    return `invalid URL '${displayUrl(spec.url)}'`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `unsupported protocol '${url.protocol}' (use http: or https:)`
  }
  if (!(spec.rate > 0) || !Number.isFinite(spec.rate)) {
    return `invalid rate '${spec.rate}' (must be above 0 per second)`
  }
  if (!(spec.durationMs > 0)) {
    return `invalid duration '${spec.durationMs}ms' (must be above 0)`
  }
  if (!Number.isInteger(spec.maxInFlight) || spec.maxInFlight < 1) {
    return `invalid max-in-flight '${spec.maxInFlight}' (must be at least 1)`
  }
  if (!(spec.timeoutMs > 0)) {
    return `invalid timeout '${spec.timeoutMs}ms' (must be above 0)`
  }
  return undefined
}

function failedStart(spec: LoadHttpSpec, reason: string): LoadResult {
  return {
    probe: spec.name,
    kind: 'load-http',
    ok: false,
    requests: 0,
    sent: 0,
    completed: 0,
    errors: 0,
    timeouts: 0,
    queued: 0,
    statusCounts: {},
    errorCounts: {},
    achievedRps: 0,
    corrected: EMPTY_SUMMARY,
    service: EMPTY_SUMMARY,
    durationMs: 0,
    maxInFlightSeen: 0,
    reason
  }
}

/** Our own total timeout, told apart from undici's by identity. */
const TIMED_OUT: Error = Object.assign(new Error('request timed out'), {
  code: 'UND_ERR_LOAD_TIMEOUT'
})

const TIMEOUT_CODES = new Set([
  'UND_ERR_LOAD_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT'
])

/** One connection of our own, and how many requests it carries now. */
interface Lane {
  client: Client
  running: number
}

/**
 * The connections of a run: one undici Client each, created as needed up
 * to `max`. An idle connection is found in O(1) (a Pool scans its clients
 * and queues per request, which costs about 10% of the throughput of a
 * saturated generator); with more requests in flight than connections,
 * the extra ones queue round-robin on busy connections.
 */
class Lanes {
  private readonly all: Lane[] = []
  private readonly idle: Lane[] = []
  private readonly origin: string
  private readonly max: number
  private readonly options: Client.Options
  private rr = 0

  constructor(origin: string, max: number, options: Client.Options) {
    this.origin = origin
    this.max = Math.max(1, max)
    this.options = options
  }

  take(): Lane {
    let lane = this.idle.pop()
    if (lane === undefined) {
      if (this.all.length < this.max) {
        lane = { client: new Client(this.origin, this.options), running: 0 }
        this.all.push(lane)
      } else {
        lane = this.all[this.rr++ % this.all.length]
      }
    }
    lane.running++
    return lane
  }

  release(lane: Lane): void {
    if (--lane.running === 0) this.idle.push(lane)
  }

  async destroy(): Promise<void> {
    await Promise.all(
      this.all.map((lane) => lane.client.destroy().catch(() => undefined))
    )
  }
}

/**
 * One request on the wire, and its undici handler: the response is counted
 * as it streams by, without a body stream, a promise or a closure per
 * request (the hot path at tens of thousands of requests per second).
 */
class Flight implements Dispatcher.DispatchHandler {
  readonly engine: Engine
  readonly intended: number
  readonly sentAt: number
  status = 0
  controller: Dispatcher.DispatchController | null = null
  live = false
  lane: Lane | null = null
  prev: Flight | null = null
  next: Flight | null = null

  constructor(engine: Engine, intended: number, sentAt: number) {
    this.engine = engine
    this.intended = intended
    this.sentAt = sentAt
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
  }

  /** Frees the connection of a request we no longer wait for. */
  abort(): void {
    const c = this.controller
    this.controller = null
    if (c !== null && !c.aborted) c.abort(TIMED_OUT)
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number
  ): void {
    this.status = statusCode
  }

  onResponseData(): void {
    // The body is read and dropped; only its end matters.
  }

  onResponseEnd(): void {
    this.engine.finish(this, null)
  }

  onResponseError(
    _controller: Dispatcher.DispatchController | null,
    err: Error
  ): void {
    this.engine.finish(this, err)
  }
}

/** The scheduler: one per run, all state in fields, no per-tick promises but the sleep. */
class Engine {
  private readonly corrected = new LatencyHistogram()
  private readonly service = new LatencyHistogram()
  private readonly statuses = new Map<number, number>()
  private readonly failures = new Map<string, number>()
  /** Requests on the wire, oldest first (an intrusive list: no allocation). */
  private head: Flight | null = null
  private tail: Flight | null = null
  private readonly interval: number
  private readonly opts: Dispatcher.DispatchOptions
  private total: number
  private t0 = 0
  private next = 0
  private inFlight = 0
  private maxSeen = 0
  private blockedUpTo = 0
  private queued = 0
  private completed = 0
  private errors = 0
  private timeouts = 0
  private endedAt = 0
  private pumping = false
  private pumpQueued = false
  private readonly pumpLater = (): void => {
    this.pumpQueued = false
    if (!this.closed) this.pump(this.clock.monotonic())
  }
  private closed = false

  private readonly spec: LoadHttpSpec
  private readonly clock: Clock
  private readonly dispatcher: Dispatcher | undefined
  private readonly lanes: Lanes | undefined

  constructor(
    spec: LoadHttpSpec,
    clock: Clock,
    url: URL,
    dispatcher: Dispatcher | undefined,
    lanes: Lanes | undefined
  ) {
    this.spec = spec
    this.clock = clock
    this.dispatcher = dispatcher
    this.lanes = lanes
    this.interval = 1000 / spec.rate
    this.total = Math.max(
      1,
      Math.ceil((spec.rate * spec.durationMs) / 1000 - 1e-9)
    )
    this.opts = {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: spec.method,
      headers: spec.headers,
      body: spec.body ?? null,
      // Our sweep enforces timeoutMs and aborts the request, which frees its
      // connection: undici's own per-request timers would only cost time.
      headersTimeout: 0,
      bodyTimeout: 0
    }
  }

  async run(signal: AbortSignal | undefined): Promise<void> {
    const { clock } = this
    this.t0 = clock.monotonic()
    const windowEnd = this.t0 + this.spec.durationMs
    const onAbort = (): void => {
      // Arrivals after the abort are not scheduled at all.
      const due = Math.floor((clock.monotonic() - this.t0) / this.interval) + 1
      this.total = Math.min(this.total, Math.max(this.next, due))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    if (signal?.aborted) onAbort()
    try {
      // The window: send every arrival when it is due, as slots allow.
      for (;;) {
        const now = clock.monotonic()
        this.sweep(now)
        this.pump(now)
        if (this.next >= this.total || now >= windowEnd) break
        const dueIn = this.t0 + this.next * this.interval - now
        // Slots full: completions pump; look again now and then regardless.
        const wait = this.inFlight >= this.spec.maxInFlight ? 10 : dueIn
        await clock.sleep(Math.max(1, Math.min(wait, windowEnd - now, 50)))
      }
      // The drain: answers, and arrivals still waiting for a slot, get one
      // timeout past the window; whatever is left then counts as timed out.
      const deadline =
        Math.max(windowEnd, clock.monotonic()) + this.spec.timeoutMs
      for (;;) {
        const now = clock.monotonic()
        this.sweep(now)
        this.pump(now)
        if (
          (this.inFlight === 0 && this.next >= this.total) ||
          now >= deadline
        ) {
          break
        }
        await clock.sleep(Math.max(1, Math.min(10, deadline - now)))
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      this.close(clock.monotonic())
    }
  }

  /** Sends every due arrival a free slot allows. Reentrancy-safe. */
  private pump(now: number): void {
    if (this.pumping || this.closed) return
    this.pumping = true
    try {
      const due = Math.min(
        this.total,
        Math.floor((now - this.t0) / this.interval) + 1
      )
      const cap = this.spec.maxInFlight
      while (this.next < due && this.inFlight < cap) this.send(this.next++)
      if (this.next < due && due > this.blockedUpTo) this.blockedUpTo = due
    } finally {
      this.pumping = false
    }
  }

  private send(i: number): void {
    if (i < this.blockedUpTo) this.queued++
    const flight = new Flight(
      this,
      this.t0 + i * this.interval,
      this.clock.monotonic()
    )
    this.inFlight++
    if (this.inFlight > this.maxSeen) this.maxSeen = this.inFlight
    this.link(flight)
    // One options object for every request: undici copies what it needs.
    if (this.lanes === undefined) {
      this.dispatcher?.dispatch(this.opts, flight)
    } else {
      const lane = this.lanes.take()
      flight.lane = lane
      lane.client.dispatch(this.opts, flight)
    }
  }

  /**
   * Times out requests on the wire for `timeoutMs` since their send. The
   * list is in send order, so the scan stops at the first young one.
   */
  private sweep(now: number): void {
    const limit = this.spec.timeoutMs
    let flight = this.head
    while (flight !== null && now - flight.sentAt >= limit) {
      const next = flight.next
      this.finish(flight, TIMED_OUT)
      flight.abort()
      flight = next
    }
  }

  private link(f: Flight): void {
    f.live = true
    f.prev = this.tail
    if (this.tail === null) this.head = f
    else this.tail.next = f
    this.tail = f
  }

  private unlink(f: Flight): void {
    f.live = false
    if (f.prev === null) this.head = f.next
    else f.prev.next = f.next
    if (f.next === null) this.tail = f.prev
    else f.next.prev = f.prev
    f.prev = f.next = null
  }

  /** Counts one request once, whichever of end, error or close comes first. */
  finish(flight: Flight, err: Error | null): void {
    if (this.closed || !flight.live) return
    this.unlink(flight)
    if (flight.lane !== null) this.lanes?.release(flight.lane)
    this.inFlight--
    const now = this.clock.monotonic()
    this.corrected.record(now - flight.intended)
    this.service.record(now - flight.sentAt)
    if (err === null) {
      this.completed++
      const s = flight.status
      this.statuses.set(s, (this.statuses.get(s) ?? 0) + 1)
      if (s >= 400 || s < 200) this.errors++
    } else {
      const code = (err as { code?: string }).code
      const timedOut = code !== undefined && TIMEOUT_CODES.has(code)
      this.fail(timedOut ? 'timeout' : (code ?? err.name))
      if (timedOut) this.timeouts++
    }
    if (this.closed || this.next >= this.total) return
    if (this.lanes !== undefined) {
      // Our own connection takes the next request now; it goes on the wire
      // as soon as this response is done, with no extra turn of the loop.
      this.pump(now)
    } else if (!this.pumpQueued) {
      // A pool would queue it: inside undici's callback this connection is
      // still busy. Once this turn's callbacks have run, connections are
      // free again and one pump sends a batch.
      this.pumpQueued = true
      setImmediate(this.pumpLater)
    }
  }

  private fail(code: string): void {
    this.errors++
    this.failures.set(code, (this.failures.get(code) ?? 0) + 1)
  }

  /** The end: what is still on the wire or never sent times out now. */
  private close(now: number): void {
    this.closed = true
    this.endedAt = now
    for (let f = this.head; f !== null; f = f.next) {
      this.corrected.record(now - f.intended)
      this.service.record(now - f.sentAt)
      this.fail('timeout')
      this.timeouts++
      this.inFlight--
    }
    // Detach first: aborting may call back synchronously.
    let f = this.head
    this.head = this.tail = null
    while (f !== null) {
      const next = f.next
      f.live = false
      f.prev = f.next = null
      f.abort()
      f = next
    }
    // Arrivals never sent waited until now. Their latencies fall on a line,
    // so runs of them within 0.05% of each other (under the histogram's
    // resolution) are recorded at once: a saturated run may leave millions.
    const unsent = this.total - this.next
    for (let i = this.next; i < this.total;) {
      const latency = now - (this.t0 + i * this.interval)
      const run = Math.max(
        1,
        Math.min(this.total - i, Math.floor((latency * 0.0005) / this.interval))
      )
      this.corrected.record(
        now - (this.t0 + (i + (run - 1) / 2) * this.interval),
        run
      )
      i += run
    }
    if (unsent > 0) {
      this.errors += unsent
      this.timeouts += unsent
      this.failures.set('timeout', (this.failures.get('timeout') ?? 0) + unsent)
    }
  }

  result(redact: (s: string) => string): LoadResult {
    const spec = this.spec
    const durationMs = Math.max(0, this.endedAt - this.t0)
    const statusCounts: Record<string, number> = {}
    for (const [s, n] of [...this.statuses].sort((a, b) => a[0] - b[0])) {
      statusCounts[String(s)] = n
    }
    const errorCounts: Record<string, number> = {}
    for (const [code, n] of this.failures) errorCounts[code] = n
    const corrected = this.corrected.summary()
    const achievedRps =
      durationMs > 0 ? (this.completed * 1000) / durationMs : 0
    const base = {
      probe: spec.name,
      kind: 'load-http' as const,
      requests: this.total,
      sent: this.next,
      completed: this.completed,
      errors: this.errors,
      timeouts: this.timeouts,
      queued: this.queued,
      statusCounts,
      errorCounts,
      achievedRps: Math.round(achievedRps * 10) / 10,
      corrected,
      service: this.service.summary(),
      durationMs: Math.round(durationMs),
      maxInFlightSeen: this.maxSeen
    }
    return { ...base, reason: redact(describeRun(base, spec)) }
  }
}

function describeRun(
  r: Omit<LoadResult, 'reason'>,
  spec: LoadHttpSpec
): string {
  const failed =
    r.errors === 0
      ? 'no errors'
      : `${formatCount(r.errors)} failed (${formatPercent(r.errors / r.requests)}${
          r.timeouts > 0 ? `, ${formatCount(r.timeouts)} timed out` : ''
        })`
  const waited =
    r.queued > 0 ? `, ${formatCount(r.queued)} waited for a slot` : ''
  return (
    `${formatCount(r.requests)} requests at ${spec.rate}/s over ${formatDuration(spec.durationMs)} ` +
    `to ${displayUrl(spec.url)}: ${failed}${waited}, ` +
    `p95 ${formatLatency(r.corrected.p95)} (n=${formatCount(r.corrected.n)}), ` +
    `${r.achievedRps} req/s`
  )
}

/** What a load probe must achieve; keys as the config writes them. */
export interface LoadExpect {
  'connect-rate'?: Condition
  'success-rate'?: Condition
  'error-rate'?: Condition
  p50?: Condition
  p90?: Condition
  p95?: Condition
  p99?: Condition
  rps?: Condition
}

export interface LoadFinding {
  metric: keyof LoadExpect
  ok: boolean
  /** The measured value in the condition's unit (ms, ratio, req/s). */
  value: number
  n: number
  /** One line: `p95 412ms, expected < 100ms (n=6,000)`. */
  reason: string
}

export interface LoadVerdict {
  ok: boolean
  findings: LoadFinding[]
  /** The failed findings' reasons joined, or a summary of what passed. */
  reason: string
}

/** What evaluateLoad needs of an HTTP or a WebSocket load result. */
export interface LoadMeasures {
  /** Attempts the rates are counted over (requests or connections). */
  attempts: number
  errors: number
  connectRate?: { connected: number; attempted: number }
  /** The histogram percentiles are read from, and what it measures. */
  latency: HistogramSummary
  latencyLabel?: string
  rps?: { value: number; n: number }
}

const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const

/**
 * Judges a load run against its `expect:` block. Percentiles come from the
 * corrected histogram, so a stall during the run fails the gate even when
 * the requests that did get through were fast. Every reason carries the n
 * it rests on, so a verdict from 12 samples reads as weak as it is.
 */
export function evaluateLoad(
  measures: LoadMeasures | LoadResult | LoadWsResult,
  expect: LoadExpect
): LoadVerdict {
  const m = !('kind' in measures)
    ? measures
    : measures.kind === 'load-http'
      ? httpMeasures(measures)
      : wsMeasures(measures)
  const findings: LoadFinding[] = []
  const rate = (
    metric: keyof LoadExpect,
    c: Condition,
    good: number,
    n: number
  ): void => {
    const value = n > 0 ? good / n : 0
    findings.push(judge(metric, c, value, n, percentQuantity))
  }
  const e = expect
  if (e['error-rate']) rate('error-rate', e['error-rate'], m.errors, m.attempts)
  if (e['success-rate']) {
    rate('success-rate', e['success-rate'], m.attempts - m.errors, m.attempts)
  }
  if (e['connect-rate']) {
    if (m.connectRate === undefined) {
      findings.push(notApplicable('connect-rate', 'WebSocket load'))
    } else {
      const { connected, attempted } = m.connectRate
      rate('connect-rate', e['connect-rate'], connected, attempted)
    }
  }
  for (const p of PERCENTILES) {
    const c = e[p]
    if (c === undefined) continue
    const label = m.latencyLabel ? `${p} ${m.latencyLabel}` : p
    findings.push(
      judge(p, c, m.latency[p], m.latency.n, durationQuantity, label)
    )
  }
  if (e.rps) {
    if (m.rps === undefined) findings.push(notApplicable('rps', 'HTTP load'))
    else findings.push(judge('rps', e.rps, m.rps.value, m.rps.n, rpsQuantity))
  }
  const failed = findings.filter((f) => !f.ok)
  const reason =
    findings.length === 0
      ? 'no expectations'
      : failed.length > 0
        ? failed.map((f) => f.reason).join('; ')
        : findings.map((f) => f.reason).join('; ')
  return { ok: failed.length === 0, findings, reason }
}

function httpMeasures(r: LoadResult): LoadMeasures {
  return {
    attempts: r.requests,
    errors: r.errors,
    latency: r.corrected,
    rps: { value: r.achievedRps, n: r.completed }
  }
}

/**
 * For WebSocket load, percentiles are of the message round trip when the
 * probe sends messages, else of the connect time; rates count connections
 * that failed to open or dropped before the end.
 */
function wsMeasures(r: LoadWsResult): LoadMeasures {
  const rtt = r.messagesSent > 0
  return {
    attempts: r.connections,
    errors: r.failed + r.dropped,
    connectRate: { connected: r.connected, attempted: r.connections },
    latency: rtt ? r.rtt : r.connect,
    latencyLabel: rtt ? 'rtt' : 'connect'
  }
}

function notApplicable(metric: keyof LoadExpect, what: string): LoadFinding {
  return {
    metric,
    ok: false,
    value: 0,
    n: 0,
    reason: `${metric} applies to ${what} only`
  }
}

interface Unit {
  kind: Quantity['kind']
  of(q: Quantity): number | undefined
  show(v: number): string
}

const percentQuantity: Unit = {
  kind: 'percent',
  of: (q) => (q.kind === 'percent' ? q.ratio : undefined),
  show: (v) => formatPercent(v)
}
const durationQuantity: Unit = {
  kind: 'duration',
  of: (q) => (q.kind === 'duration' ? q.ms : undefined),
  show: (v) => formatLatency(v)
}
const rpsQuantity: Unit = {
  kind: 'number',
  of: (q) => (q.kind === 'number' ? q.value : undefined),
  show: (v) => `${Number(v.toFixed(1))}/s`
}

function judge(
  metric: keyof LoadExpect,
  c: Condition,
  value: number,
  n: number,
  unit: Unit,
  label: string = metric
): LoadFinding {
  const counted = `(n=${formatCount(n)})`
  const base = { metric, value, n }
  if (
    c.kind !== 'compare' ||
    c.operand.kind === 'baseline-ratio' ||
    c.operand.kind === 'baseline-plus'
  ) {
    return {
      ...base,
      ok: false,
      reason: `${label}: condition '${c.text}' needs a baseline or trend, which a load probe has not`
    }
  }
  const limit = unit.of(c.operand)
  if (limit === undefined) {
    return {
      ...base,
      ok: false,
      reason: `${label}: condition '${c.text}' is not a ${unit.kind}`
    }
  }
  if (n === 0) {
    return {
      ...base,
      ok: false,
      reason: `${label} has no samples, expected ${c.text} ${counted}`
    }
  }
  const ok = compareOp(c.op, value, limit)
  return {
    ...base,
    ok,
    reason: `${label} ${unit.show(value)}, expected ${c.text} ${counted}`
  }
}
