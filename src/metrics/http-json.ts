/**
 * The HTTP JSON metric source, and the HTTP transport every metric source
 * shares: one GET with a hard timeout and a size cap, turned into either an
 * answer to interpret or an error reading. Refused, reset, timed out, 5xx
 * and 429 are errors with a reason, never values.
 */
import { getGlobalDispatcher } from 'undici'
import { excerpt, transportFailure } from '../http/connection-errors.js'
import { request } from '../http/request.js'
import { parseRetryAfter } from '../http/retry.js'
import { credentialScrubber, displayUrl } from '../http/scrub.js'
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

/** Answers beyond this are refused: a metric is one number, not a dump. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024

/** A complete HTTP answer, whatever its status. */
export interface HttpAnswer {
  status: number
  body: string
  /** Parsed Retry-After, when the answer carried a usable one. */
  retryAfterMs?: number
  /** Response headers, lower-case names (for protocol clients). */
  headers?: Record<string, string>
}

export type Fetched =
  { ok: true; answer: HttpAnswer } | { ok: false; reading: Unstamped }

/** A GET: the Prometheus and HTTP JSON default. */
export function httpGet(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  opts: MetricSourceOptions
): Promise<Fetched> {
  return httpSend({ url, method: 'GET', headers }, timeoutMs, opts)
}

/** What a metric source sends: a query is one request, never a redirect. */
export interface SourceRequest {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
}

/**
 * Runs one request under a timeout that covers connect, headers and body,
 * with the injected clock so tests can drive it. Never throws: every
 * transport failure comes back as an error reading naming `host:port`.
 */
export async function httpSend(
  req: SourceRequest,
  timeoutMs: number,
  opts: MetricSourceOptions
): Promise<Fetched> {
  const { url, headers } = req
  const clock = opts.clock ?? systemClock
  const target = hostPort(url)
  const scheme = urlScheme(url)
  if (scheme !== 'http:' && scheme !== 'https:') {
    return failed(
      `invalid url '${displayUrl(url)}' (use an http:// or https:// URL)`
    )
  }
  if (opts.signal?.aborted) return failed('aborted')
  const controller = new AbortController()
  const timer = new AbortController()
  let timedOut = false
  const onAbort = (): void => controller.abort(new Error('aborted'))
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  clock.sleep(timeoutMs, timer.signal).then(
    () => {
      timedOut = true
      controller.abort(new Error('timeout'))
    },
    () => undefined
  )
  // Our clock-driven timeout covers the whole request; the client's own
  // timers only back it up for a clock that never wakes.
  const backstop = timeoutMs + 1000
  try {
    const r = await request(
      {
        url,
        method: req.method,
        headers: withAccept(headers),
        ...(req.body === undefined ? {} : { body: req.body }),
        timeouts: {
          connectMs: backstop,
          headersMs: backstop,
          bodyMs: backstop,
          totalMs: backstop
        },
        follow: 0,
        allowHosts: [],
        tls: { insecure: false },
        maxBodyBytes: MAX_ANSWER_BYTES
      },
      {
        dispatcher: opts.dispatcher ?? getGlobalDispatcher(),
        clock,
        signal: controller.signal,
        stopAtCap: true
      }
    )
    if (r.kind !== 'response') {
      const tripped = r.kind === 'failed' && r.trip !== undefined
      if (timedOut || (tripped && r.trip !== 'signal')) {
        return failed(`timeout after ${formatDuration(timeoutMs)} (${target})`)
      }
      if (opts.signal?.aborted) return failed('aborted')
      return failed(
        r.kind === 'failed'
          ? transportFailure(
              r.cause,
              target,
              reasonScrubber(url, headers, opts)
            ).reason
          : r.reason
      )
    }
    if (r.totalBytes > MAX_ANSWER_BYTES) return tooLarge(r.status)
    const answer: HttpAnswer = {
      status: r.status,
      body: r.body.toString('utf8'),
      headers: flatHeaders(r.headers)
    }
    // Only a refusal to serve now (429, 5xx) asks us to wait.
    const retryAfterMs =
      r.status === 429 || r.status >= 500
        ? parseRetryAfter(r.headers['retry-after'], clock.now())
        : undefined
    if (retryAfterMs !== undefined) answer.retryAfterMs = retryAfterMs
    return { ok: true, answer }
  } finally {
    timer.abort()
    opts.signal?.removeEventListener('abort', onAbort)
  }
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

/** `host:port` of a URL, the only part of it a reason may quote. */
export function hostPort(url: string): string {
  try {
    const u = new URL(url)
    const port = u.port || (u.protocol === 'https:' ? '443' : '80')
    return `${u.hostname}:${port}`
  } catch {
    return displayUrl(url)
  }
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
  const target = hostPort(spec.url)
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

/**
 * The URL/header credential scrubber followed by the caller's redactor, so
 * a token in a query string or an echoed Authorization header never
 * reaches a report. Text quoted from an answer goes through it before it
 * is shortened, since a cut secret no longer matches its mask.
 */
export function reasonScrubber(
  url: string,
  headers: Record<string, string>,
  opts: MetricSourceOptions
): Scrub {
  const scrub = credentialScrubber(url, headers)
  const redact = opts.redact ?? ((s: string): string => s)
  return (text) => redact(scrub(text))
}

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

function urlScheme(url: string): string | undefined {
  try {
    return new URL(url).protocol
  } catch {
    return undefined
  }
}

function failed(reason: string): Fetched {
  return { ok: false, reading: { kind: 'error', reason } }
}

function tooLarge(status: number): Fetched {
  return {
    ok: false,
    reading: {
      kind: 'error',
      reason: `answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`,
      status
    }
  }
}

function withAccept(headers: Record<string, string>): Record<string, string> {
  const has = Object.keys(headers).some((k) => k.toLowerCase() === 'accept')
  return has ? headers : { ...headers, accept: 'application/json' }
}

function flatHeaders(
  headers: Record<string, string | string[] | undefined>
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}
