/**
 * What the hosted metric sources (Datadog, New Relic, CloudWatch) share:
 * a provider's refusal in one line with its own error text, and the time
 * of the point a value came from. Each reason starts with the provider's
 * name, so a finding says which source failed without more context.
 */
import { type HttpAnswer } from '../http/send.js'
import { quote, statusError, type Scrub } from './http-json.js'
import type { Unstamped } from '../kernel/reading.js'

export type Provider = 'datadog' | 'newrelic' | 'cloudwatch'

/**
 * A non-2xx answer, worded by status (401/403 name the credentials, 429
 * and 5xx keep Retry-After), with the provider's own text when it gave
 * one: "Forbidden" or "Rate limit of 300 requests reached" is what the
 * user searches the provider's docs for.
 */
export function providerHttpError(
  provider: Provider,
  answer: HttpAnswer,
  target: string,
  text: string | undefined,
  scrub: Scrub,
  credentials: string
): Unstamped {
  const base = statusError(answer, target)
  const reason = base.reason.replace(
    '(check the credentials in headers)',
    `(check ${credentials})`
  )
  const said =
    text === undefined || text.trim() === ''
      ? ''
      : `: '${quote(text, scrub, 200)}'`
  return { ...base, reason: `${provider}: ${reason}${said}` }
}

/** An answer that parsed but is not what the provider documents. */
export function providerMalformed(
  provider: Provider,
  answer: HttpAnswer,
  target: string,
  what: string
): Unstamped {
  return {
    kind: 'error',
    reason: `${provider}: malformed answer from ${target}: ${what}`,
    status: answer.status
  }
}

/** `12:04:05` (UTC) of a point, the time a finding quotes. */
export function pointTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19)
}

/** A query cut to fit a finding; the whole query is in the config. */
export function shortQuery(query: string, scrub: Scrub, max = 80): string {
  return quote(query, scrub, max)
}

/** Error texts as providers send them: a string, or a list of strings. */
export function errorText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const texts = value.map((v) =>
      typeof v === 'string'
        ? v
        : isRecord(v) && typeof v.message === 'string'
          ? v.message
          : ''
    )
    const joined = texts.filter((t) => t !== '').join('; ')
    return joined === '' ? undefined : joined
  }
  return undefined
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Transport failures say which source they belong to. */
export function tagged(provider: Provider, reading: Unstamped): Unstamped {
  return reading.kind === 'error'
    ? { ...reading, reason: `${provider}: ${reading.reason}` }
    : reading
}
