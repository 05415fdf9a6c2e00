/**
 * The sample every probe returns and every built-in metric is computed from:
 * the one record that crosses from measuring to judging.
 */

export interface Timings {
  connectMs?: number
  tlsMs?: number
  firstByteMs?: number
  totalMs: number
}

export interface StepTiming {
  step: number
  kind: 'send' | 'emit' | 'receive' | 'silence' | 'ping' | 'close'
  ms: number
}

/**
 * What a WebSocket or Socket.IO probe measured besides its total duration,
 * which includes every step (a `silence` too) and so is no latency.
 */
export interface WsMeasures {
  /** From the start of the connection attempt to the open. */
  connectMs: number
  /** From the open to the message the first `receive` step matched. */
  firstMessageMs?: number
  /**
   * Latencies of messages the server pushed: now minus the server's
   * timestamp in the message, or from the send or emit that triggered it.
   */
  pushLatenciesMs?: number[]
}

/** One execution of one probe: what happened, how long it took, and why. */
export interface ProbeSample {
  probe: string
  kind: 'http' | 'websocket' | 'command'
  ok: boolean
  /** One line; for a failure the precise reason, already redacted. */
  reason: string
  /** Transport-level failure (refused, reset, timeout) rather than a bad answer. */
  error?: boolean
  status?: number
  attempts: number
  /** Wall-clock epoch ms when the first attempt started. */
  startedAt: number
  timings: Timings
  steps?: StepTiming[]
  /** WebSocket and Socket.IO probes that connected. */
  ws?: WsMeasures
  /** Capped, redacted excerpt of the response or output, for reports. */
  excerpt?: string
  /**
   * The longest stall of the client itself (its event loop or CPU) during
   * this measurement, in ms, when the runner was watched.
   */
  runnerStallMs?: number
}
