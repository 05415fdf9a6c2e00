/**
 * The contract between the WebSocket step engine (websocket.ts) and a
 * transport (raw `ws` in ws-raw.ts, Socket.IO in socketio.ts): the engine
 * asks a Link, the transport reports to a Sink.
 */
import type { Incoming } from './match.js'

/** How a connection ended: the first cause seen wins. */
export interface LinkEnd {
  /** One line, e.g. `closed by server: 1011 'internal error'`. */
  reason: string
  /** Transport-level (refused, reset, timeout) rather than an answer. */
  error: boolean
  /** HTTP status of a refused upgrade. */
  status?: number
  /** We closed it (close step, abort, end of probe). */
  byClient?: boolean
  /** The server closed it normally (1000/1001). */
  normal?: boolean
  aborted?: boolean
}

/** What a protocol reports to the step engine. */
export interface Sink {
  open(info: { protocol?: string }): void
  message(message: Incoming): void
  pong(): void
  end(end: LinkEnd): void
}

/** What the step engine asks of a protocol; errors are one-line reasons. */
export interface Link {
  send(payload: { text?: string; json?: unknown }): Promise<string | undefined>
  emit?(event: string, data: unknown): Promise<string | undefined>
  ping?(): string | undefined
  /** Starts a graceful close; the Sink's `end` reports when it is done. */
  close(code?: number, reason?: string): string | undefined
  /** Drops the connection now; safe to call more than once. */
  terminate(): void
}

/** Where the probe connects, for reasons: `host:port`, never the path. */
export interface Target {
  hostPort: string
  secure: boolean
  /** The probe's redactor, applied before any quoted text is shortened. */
  redact: (s: string) => string
}

/**
 * A thrown value as a one-line reason. Kept apart from the kernel's
 * errorMessage so the reasons read as they always have: anything that is
 * not an Error here (a string, an Error from another realm, which fails
 * `instanceof`) reads as `String(value)`, never as JSON.
 */
export function thrownMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
