/**
 * The resolved, interpolated specs that probe engines execute, and the sample
 * every probe returns. Config parsing maps the YAML shape onto these; probes
 * never see `${...}` templates or unit strings.
 */
import type { Condition } from '../config/units.js'

export interface TlsSpec {
  /** PEM text of extra trusted CA certificates. */
  ca?: string
  /** Skip certificate verification (self-signed staging hosts). */
  insecure: boolean
  minVersion?: 'TLSv1.2' | 'TLSv1.3'
  /** Fail when the server certificate expires in fewer days than this. */
  minDaysValid?: number
}

export interface RetrySpec {
  /** Total attempts including the first (1 = no retry). */
  attempts: number
  /** First backoff; doubles each attempt, with full jitter. */
  backoffMs: number
  maxBackoffMs: number
}

export interface HttpTimeouts {
  connectMs: number
  headersMs: number
  bodyMs: number
  totalMs: number
}

export type StringMatch = { equals: string } | { regex: string }

export interface PathAssertion {
  /** Dotted path with indexes: `data.items[0].id`. */
  path: string
  equals?: unknown
  exists?: boolean
  regex?: string
  condition?: Condition
}

export interface HttpExpect {
  /** Each entry is a status code or a class such as `2xx`. */
  status?: (number | string)[]
  headers?: Record<string, StringMatch>
  /** Subset match: every key given must be present with an equal value. */
  json?: unknown
  paths?: PathAssertion[]
  body?: { contains?: string[]; notContains?: string[]; regex?: string[] }
  latency?: Condition
}

export interface HttpProbeSpec {
  kind: 'http'
  name: string
  url: string
  method: string
  headers: Record<string, string>
  body?: string
  timeouts: HttpTimeouts
  /** Maximum redirects to follow; 0 = never follow. */
  follow: number
  /** Hosts a redirect may go to besides the original host. */
  allowHosts: string[]
  tls: TlsSpec
  retry: RetrySpec
  expect: HttpExpect
  /** Bytes of body kept for matching; the rest is read and discarded. */
  maxBodyBytes: number
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
}

export interface CommandProbeSpec {
  kind: 'command'
  name: string
  run: string
  timeoutMs: number
  /** Expected exit code (default 0). */
  exitCode: number
}
