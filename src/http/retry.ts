/**
 * When to try a request again: how long a server's `Retry-After` asks us to
 * wait, and the jittered exponential backoff used when it says nothing.
 */
import type { RetrySpec } from './types.js'

/**
 * Retry-After is delta-seconds or an HTTP date; a date is turned into a
 * wait from `now`. Anything unparsable is ignored rather than guessed.
 */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now: number
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim()
  if (value === undefined || value === '') return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  // HTTP dates start with the weekday; this keeps Date.parse from reading
  // '-1' or '2026' as a year.
  if (!/^[a-z]{3,9},? /i.test(value)) return undefined
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/**
 * Exponential backoff with full jitter (a random wait up to the doubled cap),
 * so many clients failing together do not retry in lockstep. A server's
 * `Retry-After` replaces it, still capped so one header cannot stall a gate.
 */
export function retryWait(
  spec: { retry: RetrySpec },
  failedAttempt: number,
  retryAfterMs: number | undefined,
  random: () => number
): number {
  const { backoffMs, maxBackoffMs } = spec.retry
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxBackoffMs)
  const cap = Math.min(maxBackoffMs, backoffMs * 2 ** (failedAttempt - 1))
  return Math.round(random() * cap)
}
