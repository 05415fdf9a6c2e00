/**
 * The resolved, interpolated specs that probe engines execute, and the sample
 * every probe returns. Config parsing maps the YAML shape onto these; probes
 * never see `${...}` templates or unit strings.
 */
import type { HttpExchangeSpec, TlsSpec } from '../http/types.js'

/** TLS options are the HTTP client's; WebSocket and load probes share them. */
export type { TlsSpec } from '../http/types.js'

/** An HTTP request with retries and expectations, under a probe's name. */
export interface HttpProbeSpec extends HttpExchangeSpec {
  kind: 'http'
  name: string
}

export type WsMatch = {
  json?: unknown
  regex?: string
  /** Socket.IO event name. */
  event?: string
  /** Socket.IO event payload, subset match. */
  data?: unknown
}

export type WsStep =
  | { kind: 'send'; text?: string; json?: unknown }
  | { kind: 'emit'; event: string; data?: unknown }
  | ({ kind: 'receive'; withinMs: number } & WsMatch)
  | ({ kind: 'silence'; forMs: number } & WsMatch)
  | { kind: 'ping'; withinMs: number }
  | { kind: 'close'; code?: number; reason?: string }

/**
 * Where a server stamps the time it pushed a message: a JSON path into the
 * message (the payload for Socket.IO) and the unit of that time, for push
 * latency measured as arrival minus stamp (server and probe on one clock).
 */
export interface PushLatencySpec {
  timestamp: string
  /** Epoch milliseconds, seconds, microseconds, or an ISO 8601 string. */
  unit: 'ms' | 's' | 'us' | 'iso'
}

export interface WsProbeSpec {
  kind: 'websocket'
  name: string
  url: string
  protocol: 'ws' | 'socket.io'
  headers: Record<string, string>
  subprotocols: string[]
  connectTimeoutMs: number
  maxMessageBytes: number
  tls: TlsSpec
  steps: WsStep[]
  /** Without it, push latency runs from the send or emit before a receive. */
  pushLatency?: PushLatencySpec
}

export interface CommandProbeSpec {
  kind: 'command'
  name: string
  run: string
  timeoutMs: number
  /** Expected exit code (default 0). */
  exitCode: number
}

/** Where a step takes a value from its answer (see config/http-flow-schema). */
export type CaptureSpec =
  | { name: string; from: 'json'; path: string; secret: boolean }
  | { name: string; from: 'header'; header: string; secret: boolean }

/** Values captured so far, by name. */
export type Captured = Record<string, { value: string; secret: boolean }>

/**
 * One request of a chained probe. Its templates may read earlier captures,
 * so it is rendered only when its turn comes: `build` throws a RenderError
 * naming the field when a template cannot be rendered.
 */
export interface HttpFlowStep {
  /** The step's `name`, else its position and method, for reasons. */
  label: string
  captures: CaptureSpec[]
  build: (captured: Captured) => { spec: HttpExchangeSpec; secrets: string[] }
}

/** Chained requests: each must meet its expectations before the next. */
export interface HttpFlowSpec {
  kind: 'http-flow'
  name: string
  steps: HttpFlowStep[]
}

/** How many answers of a burst must (or may) carry a status. */
export type BurstShare = { count: number } | { ratio: number }

/** One request sent many times at once or at a rate, judged by its statuses. */
export interface HttpBurstSpec {
  kind: 'http-burst'
  name: string
  /** The request, sent once per burst request with no retries. */
  request: HttpExchangeSpec
  requests: number
  concurrency: number
  /** Requests started per second; undefined = as fast as concurrency allows. */
  rate?: number
  status: (number | string)[]
  atLeast?: BurstShare
  atMost?: BurstShare
}
