/**
 * One WebSocket load run: opens the connections on the ramp, sends and
 * times tagged messages while holding them, counts failures and drops by
 * cause, and closes every socket at the end.
 */
import WebSocket from 'ws'
import type { ClientOptions, RawData } from 'ws'
import type { ClientRequest, IncomingMessage } from 'node:http'
import { displayUrl } from './match.js'
import { causeShown, causeText } from './load-failed.js'
import { pushStamp, type PushStamp } from './ws-push.js'
import type { LoadWsOptions, LoadWsResult, LoadWsSpec } from './load-types.js'
import type { WebSocketFactory } from './ws-raw.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration, formatPercent } from '../kernel/format.js'
import { formatCount, formatLatency } from '../kernel/format.js'
import { LatencyHistogram } from '../kernel/histogram.js'

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
/** Unanswered messages kept per connection; older ones count as lost. */
const MAX_PENDING = 256
const TAG = /dg#(\d+)\.(\d+)/

/**
 * Builds each message with an id the echo carries back: a field `_dg` in a
 * JSON object, else a ` dg#c.s` suffix on the text.
 */
export function messageTemplate(message: string): (tag: string) => string {
  try {
    const value: unknown = JSON.parse(message)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const text = JSON.stringify(value)
      const head = text.slice(0, -1)
      const sep = Object.keys(value).length > 0 ? ',' : ''
      return (tag) => `${head}${sep}"_dg":"${tag}"}`
    }
  } catch {
    // not JSON: plain text
  }
  return (tag) => `${message} ${tag}`
}

type ConnState = 'connecting' | 'open' | 'closing' | 'closed'

/** One connection of the run. */
interface Conn {
  id: number
  ws: WebSocket | undefined
  startedAt: number
  state: ConnState
  /** We started the close (end of run), so a close is not a drop. */
  byUs: boolean
  timer: NodeJS.Timeout | undefined
  seq: number
  /** Message seq -> monotonic send time, oldest first. */
  pending: Map<number, number>
  /** The open or last send the next pushed message answers (no stamp). */
  triggeredAt: number | undefined
}

export class WsRun {
  private readonly spec: LoadWsSpec
  private readonly clock: Clock
  private readonly factory: WebSocketFactory
  private readonly socketOptions: ClientOptions
  private readonly build: ((tag: string) => string) | undefined
  private readonly conns: Conn[] = []
  private readonly connectHist = new LatencyHistogram()
  private readonly rttHist = new LatencyHistogram()
  private readonly pushHist = new LatencyHistogram()
  private readonly stamp: PushStamp | undefined
  private readonly statuses = new Map<number, number>()
  private readonly failures = new Map<string, number>()
  /** Connections that never opened, by cause as a person reads it. */
  private readonly failCauses = new Map<string, number>()
  private t0 = 0
  private endedAt = 0
  private open = 0
  private maxOpen = 0
  private alive = 0
  private connected = 0
  private failed = 0
  private dropped = 0
  private sent = 0
  private answered = 0
  private ending = false

  constructor(spec: LoadWsSpec, options: LoadWsOptions) {
    this.spec = spec
    this.clock = options.clock ?? systemClock
    this.factory =
      options.createSocket ??
      ((url, protocols, opts) => new WebSocket(url, protocols, opts))
    const tls = spec.tls
    this.socketOptions = {
      headers: spec.headers,
      handshakeTimeout: spec.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      followRedirects: false,
      perMessageDeflate: false,
      rejectUnauthorized: tls === undefined ? true : !tls.insecure
    }
    if (tls?.ca !== undefined) this.socketOptions.ca = tls.ca
    if (tls?.minVersion !== undefined) {
      this.socketOptions.minVersion = tls.minVersion
    }
    this.build =
      spec.message === undefined ? undefined : messageTemplate(spec.message)
    const stamp = spec.pushLatency ? pushStamp(spec.pushLatency) : undefined
    this.stamp = stamp?.ok === true ? stamp.value : undefined
  }

  /** Opens connections on the ramp, then holds them; abort ends either. */
  async rampAndHold(signal: AbortSignal | undefined): Promise<void> {
    const { clock, spec } = this
    this.t0 = clock.monotonic()
    const n = spec.connections
    const step = spec.rampMs / n
    let k = 0
    try {
      while (k < n && signal?.aborted !== true) {
        const now = clock.monotonic()
        const due =
          step === 0 ? n : Math.min(n, Math.floor((now - this.t0) / step) + 1)
        while (k < due) this.start(k++)
        if (k >= n) break
        await clock.sleep(
          Math.max(1, this.t0 + k * step - clock.monotonic()),
          signal
        )
      }
      const holdEnd = this.t0 + spec.rampMs + spec.durationMs
      const rest = holdEnd - clock.monotonic()
      if (rest > 0 && signal?.aborted !== true) await clock.sleep(rest, signal)
    } catch (err) {
      if (signal?.aborted !== true) throw err
    }
  }

  private start(id: number): void {
    const conn: Conn = {
      id,
      ws: undefined,
      startedAt: this.clock.monotonic(),
      state: 'connecting',
      byUs: false,
      timer: undefined,
      seq: 0,
      pending: new Map(),
      triggeredAt: undefined
    }
    this.conns.push(conn)
    let ws: WebSocket
    try {
      ws = this.factory(this.spec.url, [], this.socketOptions)
    } catch (err) {
      this.fail(conn, errorKey(err), errorText(err))
      return
    }
    conn.ws = ws
    this.alive++
    ws.on(
      'unexpected-response',
      (_req: ClientRequest, res: IncomingMessage) => {
        const status = res.statusCode ?? 0
        this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1)
        this.fail(conn, `HTTP ${status}`)
        res.resume()
        ws.terminate()
      }
    )
    ws.on('open', () => this.opened(conn))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.received(conn, data)
    })
    ws.on('error', (err: Error) => {
      if (conn.state === 'connecting') {
        this.fail(conn, errorKey(err), errorText(err))
      } else if (conn.state === 'open' && !this.ending) {
        this.drop(conn, errorKey(err))
      }
    })
    ws.on('close', (code: number) => {
      this.alive--
      if (conn.state === 'connecting') this.fail(conn, `close ${code}`)
      else if (conn.state === 'open' && !conn.byUs) {
        this.drop(conn, `close ${code}`)
      }
      this.settle(conn)
    })
  }

  private opened(conn: Conn): void {
    if (conn.state !== 'connecting') return
    conn.state = 'open'
    this.connected++
    this.open++
    if (this.open > this.maxOpen) this.maxOpen = this.open
    conn.triggeredAt = this.clock.monotonic()
    this.connectHist.record(conn.triggeredAt - conn.startedAt)
    if (this.build !== undefined && this.spec.intervalMs !== undefined) {
      conn.timer = setInterval(() => this.send(conn), this.spec.intervalMs)
    }
    if (this.ending) this.closeOne(conn)
  }

  private send(conn: Conn): void {
    const ws = conn.ws
    if (conn.state !== 'open' || ws === undefined || this.build === undefined) {
      return
    }
    const seq = conn.seq++
    if (conn.pending.size >= MAX_PENDING) {
      // The oldest unanswered message is lost; it counts at its age when
      // the server echoes at all (else there is no round trip to measure).
      const [oldSeq, oldAt] = conn.pending.entries().next().value as [
        number,
        number
      ]
      conn.pending.delete(oldSeq)
      if (this.answered > 0) this.rttHist.record(this.clock.monotonic() - oldAt)
    }
    conn.triggeredAt = this.clock.monotonic()
    conn.pending.set(seq, conn.triggeredAt)
    this.sent++
    ws.send(this.build(`dg#${conn.id}.${seq}`))
  }

  private received(from: Conn, data: RawData): void {
    const text = Buffer.isBuffer(data)
      ? data.toString()
      : Array.isArray(data)
        ? Buffer.concat(data).toString()
        : Buffer.from(data).toString()
    const m = TAG.exec(text)
    if (m === null) {
      this.pushed(from, text)
      return
    }
    const conn = this.conns[Number(m[1])]
    const sentAt = conn?.pending.get(Number(m[2]))
    if (conn === undefined || sentAt === undefined) return
    conn.pending.delete(Number(m[2]))
    this.answered++
    this.rttHist.record(this.clock.monotonic() - sentAt)
  }

  /** A message that is no echo: the server pushed it. */
  private pushed(conn: Conn, text: string): void {
    if (this.ending) return
    if (this.stamp) {
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        return
      }
      const ms = this.stamp(value, this.clock.now())
      if (ms !== undefined) this.pushHist.record(ms)
      return
    }
    if (conn.triggeredAt === undefined) return
    this.pushHist.record(this.clock.monotonic() - conn.triggeredAt)
    conn.triggeredAt = undefined
  }

  private fail(conn: Conn, key: string, text = key): void {
    if (conn.state !== 'connecting') return
    conn.state = 'closed'
    this.failed++
    this.count(key)
    this.failCauses.set(text, (this.failCauses.get(text) ?? 0) + 1)
  }

  private drop(conn: Conn, key: string): void {
    if (conn.state !== 'open') return
    conn.state = 'closed'
    this.dropped++
    this.open--
    this.count(key)
    this.stopTimer(conn)
  }

  /** After a socket's close: nothing of it may run or count any more. */
  private settle(conn: Conn): void {
    if (conn.state === 'open' || conn.state === 'closing') this.open--
    conn.state = 'closed'
    this.stopTimer(conn)
  }

  private stopTimer(conn: Conn): void {
    if (conn.timer !== undefined) clearInterval(conn.timer)
    conn.timer = undefined
  }

  private count(key: string): void {
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1)
  }

  private closeOne(conn: Conn): void {
    const ws = conn.ws
    this.stopTimer(conn)
    if (ws === undefined || conn.state === 'closed') return
    conn.byUs = true
    if (conn.state === 'open') {
      conn.state = 'closing'
      try {
        ws.close(1000, 'load test done')
      } catch {
        ws.terminate()
      }
    } else {
      // Still connecting when the run ended: that attempt failed.
      this.fail(conn, 'not open by the end')
      ws.terminate()
    }
  }

  /**
   * Closes every socket: a normal close first, then terminate whatever has
   * not closed within the grace, so no socket outlives the probe.
   */
  async closeAll(graceMs: number): Promise<void> {
    this.ending = true
    this.endedAt = this.clock.monotonic()
    // Unanswered messages count at their age, when the server echoes at all.
    if (this.answered > 0) {
      for (const conn of this.conns) {
        for (const at of conn.pending.values()) {
          this.rttHist.record(this.endedAt - at)
        }
      }
    }
    for (const conn of this.conns) {
      conn.pending.clear()
      this.closeOne(conn)
    }
    const deadline = performance.now() + graceMs
    while (this.alive > 0 && performance.now() < deadline) {
      await sleepReal(10)
    }
    if (this.alive === 0) return
    for (const conn of this.conns) {
      if (conn.ws !== undefined && conn.ws.readyState !== WebSocket.CLOSED) {
        conn.ws.terminate()
      }
    }
    const hard = performance.now() + 1000
    while (this.alive > 0 && performance.now() < hard) {
      await sleepReal(10)
    }
  }

  result(redact: (s: string) => string): LoadWsResult {
    const spec = this.spec
    const statusCounts: Record<string, number> = {}
    for (const [s, n] of [...this.statuses].sort((a, b) => a[0] - b[0])) {
      statusCounts[String(s)] = n
    }
    const errorCounts: Record<string, number> = {}
    for (const [k, n] of this.failures) errorCounts[k] = n
    // Attempted, which is fewer than asked only when aborted mid-ramp.
    const n = this.conns.length
    const base = {
      probe: spec.name,
      kind: 'load-ws' as const,
      connections: n,
      connected: this.connected,
      failed: this.failed,
      dropped: this.dropped,
      connectRate: n > 0 ? this.connected / n : 0,
      statusCounts,
      errorCounts,
      maxOpen: this.maxOpen,
      connect: this.connectHist.summary(),
      rtt: this.rttHist.summary(),
      push: this.pushHist.summary(),
      messagesSent: this.sent,
      messagesAnswered: this.answered,
      durationMs: Math.round(this.endedAt - this.t0)
    }
    return {
      ...base,
      reason: redact(describe(base, spec, causeShown(this.cause(), redact)))
    }
  }

  /** Why most failed connections never opened: `self-signed certificate`. */
  private cause(): string | undefined {
    let top: string | undefined
    let most = 0
    for (const [text, n] of this.failCauses) {
      if (n > most) {
        most = n
        top = text
      }
    }
    return top
  }
}

/**
 * Real-time polling while sockets close: closing is I/O, so it waits (and
 * gives up) on real time even when the ramp runs on an injected clock.
 */
function sleepReal(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Errors cross realms (jest, workers): read them by shape, not instanceof. */
function errorKey(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const { code, message } = err as { code?: unknown; message?: unknown }
    if (typeof code === 'string') return code
    if (typeof message === 'string') {
      if (/timed out/i.test(message)) return 'timeout'
      return message.split('\n')[0].slice(0, 80)
    }
  }
  return String(err).slice(0, 80)
}

/**
 * An error's own words for the reason (a TLS error's code says less than
 * its message): the first line of its message, else its key.
 */
function errorText(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message
  if (typeof message === 'string' && message !== '') {
    return causeText(message)
  }
  return errorKey(err)
}

function describe(
  r: Omit<LoadWsResult, 'reason'>,
  spec: LoadWsSpec,
  cause: string | undefined
): string {
  const why = cause === undefined ? '' : `, most often ${cause}`
  const parts = [
    `${formatCount(r.connected)} of ${formatCount(r.connections)} connected (${formatPercent(r.connectRate)}${why})`,
    `connect p95 ${formatLatency(r.connect.p95)} (n=${formatCount(r.connect.n)})`
  ]
  if (r.dropped > 0) parts.push(`${formatCount(r.dropped)} dropped`)
  if (r.messagesSent > 0) {
    parts.push(
      r.rtt.n > 0
        ? `rtt p95 ${formatLatency(r.rtt.p95)} (n=${formatCount(r.rtt.n)})`
        : `no echo of ${formatCount(r.messagesSent)} messages`
    )
  }
  if (r.push !== undefined && r.push.n > 0) {
    parts.push(
      `push p95 ${formatLatency(r.push.p95)} (n=${formatCount(r.push.n)})`
    )
  }
  const ramp =
    spec.rampMs > 0 ? ` after a ${formatDuration(spec.rampMs)} ramp` : ''
  return `${displayUrl(spec.url)} held ${formatDuration(spec.durationMs)}${ramp}: ${parts.join(', ')}`
}
