/**
 * One HTTP load run: sends every arrival when it is due as slots allow,
 * records each request's latency from its intended and its actual send,
 * and counts every request exactly once (answered, failed or timed out).
 */
import type { Dispatcher } from 'undici'
import { displayUrl } from './match.js'
import { causeShown, causeText } from './load-failed.js'
import type { Lane, Lanes } from './load-lanes.js'
import type { LoadHttpSpec, LoadResult } from './load-types.js'
import type { Clock } from '../kernel/clock.js'
import { formatDuration, formatPercent } from '../kernel/format.js'
import { formatCount, formatLatency } from '../kernel/format.js'
import { LatencyHistogram } from '../kernel/histogram.js'

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
export class Engine {
  private readonly corrected = new LatencyHistogram()
  private readonly service = new LatencyHistogram()
  private readonly statuses = new Map<number, number>()
  private readonly failures = new Map<string, number>()
  /** The first error message of each failure code, for the reason. */
  private readonly causes = new Map<string, string>()
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
      const key = timedOut ? 'timeout' : (code ?? err.name)
      this.fail(key)
      if (timedOut) this.timeouts++
      else if (!this.causes.has(key)) {
        this.causes.set(key, causeText(err.message) || key)
      }
    }
    if (this.closed || this.next >= this.total) return
    if (this.lanes !== undefined && err === null) {
      // Our own connection takes the next request now; it goes on the wire
      // as soon as this response is done, with no extra turn of the loop.
      this.pump(now)
    } else if (!this.pumpQueued) {
      // A pool would queue it: inside undici's callback this connection is
      // still busy. Once this turn's callbacks have run, connections are
      // free again and one pump sends a batch. After an error, our own
      // connection too: undici fails its queue (a refused TLS handshake)
      // and asserts that nothing was queued onto it meanwhile.
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
    return {
      ...base,
      reason: redact(describeRun(base, spec, causeShown(this.cause(), redact)))
    }
  }

  /**
   * The most frequent failure as a person reads it (`self-signed
   * certificate`, `HTTP 503`); none when timeouts lead, which the reason
   * already counts.
   */
  private cause(): string | undefined {
    let top: string | undefined
    let most = 0
    for (const [code, n] of this.failures) {
      if (n > most) {
        most = n
        top = code === 'timeout' ? undefined : (this.causes.get(code) ?? code)
      }
    }
    for (const [status, n] of this.statuses) {
      if ((status >= 400 || status < 200) && n > most) {
        most = n
        top = `HTTP ${status}`
      }
    }
    return top
  }
}

function describeRun(
  r: Omit<LoadResult, 'reason'>,
  spec: LoadHttpSpec,
  cause: string | undefined
): string {
  const failed =
    r.errors === 0
      ? 'no errors'
      : `${formatCount(r.errors)} failed (${formatPercent(r.errors / r.requests)}${
          r.timeouts > 0 ? `, ${formatCount(r.timeouts)} timed out` : ''
        }${cause !== undefined ? `, most often ${cause}` : ''})`
  const waited =
    r.queued > 0 ? `, ${formatCount(r.queued)} waited for a slot` : ''
  return (
    `${formatCount(r.requests)} requests at ${spec.rate}/s over ${formatDuration(spec.durationMs)} ` +
    `to ${displayUrl(spec.url)}: ${failed}${waited}, ` +
    `p95 ${formatLatency(r.corrected.p95)} (n=${formatCount(r.corrected.n)}), ` +
    `${r.achievedRps} req/s`
  )
}
