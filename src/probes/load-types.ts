/**
 * The spec, options and result of the two load probes, HTTP (load.ts) and
 * WebSocket (load-ws.ts), shared by their engines, the load verdict, and the
 * messages between the main thread and the load worker.
 */
import type { Dispatcher } from 'undici'
import type { PushLatencySpec, TlsSpec } from './types.js'
import type { WebSocketFactory } from './ws-raw.js'
import type { Clock } from '../kernel/clock.js'
import type { HistogramSummary } from '../kernel/histogram.js'

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
  /** The thread that generated the load, when it ran in a load worker. */
  threadId?: number
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

export interface LoadWsSpec {
  kind: 'load-ws'
  name: string
  url: string
  headers: Record<string, string>
  connections: number
  /** How long all connections are held once the ramp is over. */
  durationMs: number
  /** Connection k opens at k x rampMs / connections; 0 opens all at once. */
  rampMs: number
  /** Sent on every connection every `intervalMs`, with an id to match echoes. */
  message?: string
  intervalMs?: number
  /** Per connection handshake; default 10 s. */
  connectTimeoutMs?: number
  tls?: TlsSpec
  /** Where the server stamps pushed messages; else timed from open or send. */
  pushLatency?: PushLatencySpec
}

export interface LoadWsResult {
  probe: string
  kind: 'load-ws'
  /** Set only when the run could not start (bad spec); see evaluateLoad. */
  ok?: boolean
  /** Connections attempted (fewer than asked only when aborted mid-ramp). */
  connections: number
  connected: number
  /** Never opened: refused, upgrade refused, timed out. */
  failed: number
  /** Opened, then closed or broken before the end of the run. */
  dropped: number
  /** connected / connections. */
  connectRate: number
  /** Refused upgrades by HTTP status. */
  statusCounts: Record<string, number>
  /** Failures and drops by cause: `ECONNREFUSED`, `timeout`, `close 1011`. */
  errorCounts: Record<string, number>
  /** Most connections open at once. */
  maxOpen: number
  /** From the start of each connection attempt to its open. */
  connect: HistogramSummary
  /** Message to matching echo; unanswered ones count at their age. */
  rtt: HistogramSummary
  /**
   * Latency of messages the server pushed (every message that is not an
   * echo): now minus the server's stamp, or, without one, the first message
   * after the connection's open or its last send, from that moment.
   */
  push?: HistogramSummary
  messagesSent: number
  messagesAnswered: number
  durationMs: number
  reason: string
  /** The thread that generated the load, when it ran in a load worker. */
  threadId?: number
}

export interface LoadWsOptions {
  /** Ramp and hold clock (per connection message timers are real timers). */
  clock?: Clock
  /** Aborting ends the hold early; every socket is still closed. */
  signal?: AbortSignal
  redact?: (s: string) => string
  createSocket?: WebSocketFactory
  /** How long closing sockets get before they are terminated; default 2 s. */
  closeGraceMs?: number
}

/** What the main thread hands a load worker: the spec, ready to run. */
export interface LoadWorkerData {
  spec: LoadHttpSpec | LoadWsSpec
  /**
   * The CA certificates the main thread trusts by default: a worker starts
   * with Node's own list, and must trust what the rollout's probes trust.
   */
  defaultCa: string[]
}

/** Main thread to load worker: end the run now, as an abort would. */
export interface LoadWorkerStop {
  type: 'stop'
}

/**
 * Load worker to main thread: the run's result. Every field is plain data
 * (histograms travel as their summaries), so it is structured-cloned as is;
 * the reason is not yet redacted, which the main thread does.
 */
export interface LoadWorkerReply {
  type: 'result'
  result: LoadResult | LoadWsResult
  threadId: number
}
