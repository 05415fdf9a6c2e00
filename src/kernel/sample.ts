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

/** What every probe's sample carries, whatever the probe spoke. */
interface SampleBase {
  probe: string
  ok: boolean
  /** One line; for a failure the precise reason, already redacted. */
  reason: string
  /** Transport-level failure (refused, reset, timeout) rather than a bad answer. */
  error?: boolean
  attempts: number
  /** Wall-clock epoch ms when the first attempt started. */
  startedAt: number
  timings: Timings
  /** Capped, redacted excerpt of the response or output, for reports. */
  excerpt?: string
  /**
   * The longest stall of the client itself (its event loop or CPU) during
   * this measurement, in ms, when the runner was watched.
   */
  runnerStallMs?: number
}

/** An HTTP probe's sample: the status of the last answer, if any came. */
export interface HttpSample extends SampleBase {
  kind: 'http'
  status?: number
  /**
   * Set when the probe sent several requests (chained steps or a burst):
   * its time is then no one request's latency and never counts in `pNN`.
   */
  requests?: number
}

/** A WebSocket or Socket.IO probe's sample: its steps and what it measured. */
export interface WebSocketSample extends SampleBase {
  kind: 'websocket'
  /** The handshake's HTTP status when the server refused the upgrade. */
  status?: number
  steps: StepTiming[]
  /** Present when the connection opened. */
  ws?: WsMeasures
}

/** A command probe's sample: the exit code is in the reason. */
export interface CommandSample extends SampleBase {
  kind: 'command'
}

/**
 * One execution of one probe: what happened, how long it took, and why.
 * The kind says which measures it can carry, so only a WebSocket sample
 * has steps and push latencies.
 */
export type ProbeSample = HttpSample | WebSocketSample | CommandSample
