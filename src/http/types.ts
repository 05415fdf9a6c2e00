/**
 * The resolved request the HTTP client sends and how it is judged: TLS,
 * timeouts, retries and expectations, with every template already rendered
 * and every default filled in. Probes, traffic webhooks and notifications
 * all describe their requests with these.
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

/** One request as sent: where, what, and the transport rules around it. */
export interface HttpRequestSpec {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
  timeouts: HttpTimeouts
  /** Maximum redirects to follow; 0 = never follow. */
  follow: number
  /** Hosts a redirect may go to besides the original host. */
  allowHosts: string[]
  /**
   * Configured headers whose value came from a secret: dropped, like
   * `Authorization` and `Cookie`, on a redirect to another origin.
   */
  secretHeaders?: string[]
  tls: TlsSpec
  /** Bytes of body kept for matching; the rest is read and discarded. */
  maxBodyBytes: number
}

/** A request with its retry policy and what a good answer looks like. */
export interface HttpExchangeSpec extends HttpRequestSpec {
  retry: RetrySpec
  expect: HttpExpect
}
