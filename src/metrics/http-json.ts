/**
 * The HTTP JSON metric source, and what every metric source shares on top
 * of the transport (src/http/send.ts): status errors, number text, quoting.
 * Refused, reset, timed out, 5xx and 429 are errors with a reason, never
 * values.
 */
import { excerpt } from '../http/connection-errors.js'
import {
  hostPortOf,
  httpSend,
  reasonScrubber,
  type Fetched,
  type HttpAnswer
} from '../http/send.js'
import {
  describe,
  formatPath,
  parsePath,
  readPath
} from '../kernel/jsonpath.js'
import type { HttpJsonSourceSpec, MetricSourceOptions } from './types.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import type {
  ErrorReading,
  MetricReading,
  Unstamped
} from '../kernel/reading.js'

/** A GET: the Prometheus and HTTP JSON default. */
export function httpGet(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  opts: MetricSourceOptions
): Promise<Fetched> {
  return httpSend({ url, method: 'GET', headers }, timeoutMs, opts)
}

/**
 * What a non-2xx status means when the body says nothing better. 429 and
 * 5xx keep their Retry-After so the caller can back off instead of
 * hammering a struggling metrics backend every interval.
 */
export function statusError(
  answer: HttpAnswer,
  target: string
): Unstamped<ErrorReading> {
  const { status, retryAfterMs } = answer
  const wait =
    retryAfterMs === undefined
      ? ''
      : `; retry after ${formatDuration(retryAfterMs)}`
  let reason: string
  if (status === 429) reason = `rate limited: HTTP 429 from ${target}${wait}`
  else if (status >= 500) reason = `HTTP ${status} from ${target}${wait}`
  else if (status === 401 || status === 403) {
    reason = `HTTP ${status} from ${target} (check the credentials in headers)`
  } else if (status >= 300 && status < 400) {
    reason = `HTTP ${status} from ${target} (redirects are not followed; use the final URL)`
  } else reason = `HTTP ${status} from ${target}`
  return retryAfterMs === undefined
    ? { kind: 'error', reason, status }
    : { kind: 'error', reason, status, retryAfterMs }
}

export type NumberText =
  | { kind: 'number'; value: number }
  | { kind: 'not-finite'; text: string }
  | { kind: 'invalid' }

/**
 * Backends print numbers as strings (Prometheus `"0.5"`, `"NaN"`, `"+Inf"`);
 * this accepts exactly the decimal forms and keeps NaN/Inf apart, since
 * they mean "no meaningful value" (0/0 with no traffic), not a number.
 */
export function parseNumberText(text: string): NumberText {
  const s = text.trim()
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    const value = Number(s)
    if (Number.isFinite(value)) return { kind: 'number', value }
    return { kind: 'not-finite', text: s }
  }
  if (/^[+-]?(inf|infinity|nan)$/i.test(s))
    return { kind: 'not-finite', text: s }
  return { kind: 'invalid' }
}

/** One line, capped, for reasons that quote an answer: scrubbed first. */
export function oneLine(text: string, max: number, scrub: Scrub): string {
  return excerpt(text, max, scrub)
}

/**
 * Reads one number from a JSON endpoint (a Datadog, CloudWatch or in-house
 * metrics API). Missing data is `no-data`, a value that is not a number is
 * an `error` (the path or the endpoint is wrong), and HTTP failures follow
 * the shared rules, so this source can never invent a zero.
 */
export async function readHttpJson(
  spec: HttpJsonSourceSpec,
  opts: MetricSourceOptions = {}
): Promise<MetricReading> {
  const clock = opts.clock ?? systemClock
  const scrub = reasonScrubber(spec.url, spec.headers, opts)
  const reading = await readUnstamped(spec, opts, scrub)
  return stamp(reading, scrub, clock)
}

async function readUnstamped(
  spec: HttpJsonSourceSpec,
  opts: MetricSourceOptions,
  scrub: Scrub
): Promise<Unstamped> {
  const path = parsePath(spec.path)
  if (!path.ok) return { kind: 'error', reason: path.error }
  const fetched = await httpSend(
    {
      url: spec.url,
      method: spec.method ?? 'GET',
      headers: spec.headers,
      ...(spec.body === undefined ? {} : { body: spec.body })
    },
    spec.timeoutMs,
    opts
  )
  if (!fetched.ok) return fetched.reading
  const { answer } = fetched
  const target = hostPortOf(spec.url)
  if (answer.status < 200 || answer.status > 299) {
    return statusError(answer, target)
  }
  if (answer.status === 204 || answer.body.trim() === '') {
    return { kind: 'no-data', reason: `empty answer (HTTP ${answer.status})` }
  }
  const doc = parseJson(answer.body)
  if (!doc.ok) {
    return {
      kind: 'error',
      reason: `malformed answer from ${target}: not JSON ('${quote(answer.body, scrub, 60)}')`,
      status: answer.status
    }
  }
  const found = readPath(doc.value, path.value)
  const where = formatPath(path.value)
  if (!found.found) {
    return { kind: 'no-data', reason: `${where} not found: ${found.reason}` }
  }
  return numberAt(found.value, where, answer.status, scrub)
}

function numberAt(
  value: unknown,
  where: string,
  status: number,
  scrub: Scrub
): Unstamped {
  if (value === null) return { kind: 'no-data', reason: `${where} is null` }
  if (typeof value === 'number') return { kind: 'value', value }
  if (typeof value === 'string') {
    const n = parseNumberText(value)
    if (n.kind === 'number') return { kind: 'value', value: n.value }
    if (n.kind === 'not-finite') {
      return { kind: 'no-data', reason: `${where} is '${n.text}'` }
    }
    return {
      kind: 'error',
      reason: `${where} is not a number: '${quote(value, scrub, 40)}'`,
      status
    }
  }
  const hint = Array.isArray(value)
    ? ` (point the path at one element, e.g. ${where.slice(0, -1)}[${isPair(value) ? 1 : 0}]')`
    : ''
  return {
    kind: 'error',
    reason: `${where} is ${describe(value)}, not a number${hint}`,
    status
  }
}

/** Masks secrets in text; applied before any text is cut short. */
export type Scrub = (text: string) => string

/** Adds the timestamp and gives the reason a last scrub and length cap. */
export function stamp(
  reading: Unstamped,
  scrub: Scrub,
  clock: Clock
): MetricReading {
  const at = clock.now()
  if (reading.kind === 'value') return { ...reading, at }
  return { ...reading, reason: oneLine(reading.reason, 300, scrub), at }
}

/** Answer text quoted in a reason: scrubbed first, then one short line. */
export function quote(text: string, scrub: Scrub, max: number): string {
  return oneLine(text, max, scrub)
}

/** `[timestamp, "value"]`, the shape Prometheus-style APIs print samples in. */
function isPair(value: unknown[]): boolean {
  return value.length === 2 && typeof value[0] === 'number'
}

/** JSON.parse as a result, for answers that may be HTML error pages. */
export function parseJson(
  text: string
): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}
