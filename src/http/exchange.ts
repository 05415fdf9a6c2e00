/**
 * A request with its retries and expectations: attempts until the answer
 * meets `expect` or stops being worth retrying, and one outcome with a
 * one-line reason that names what went wrong without naming a secret. The
 * HTTP probe, the traffic webhook and notifications all send this way.
 */
import type { Dispatcher } from 'undici'
import { decode } from './body.js'
import { sharedDispatchers } from './dispatcher.js'
import { checkHttpExpect, DEFAULT_STATUS, statusMatches } from './expect.js'
import { REDIRECTS } from './redirects.js'
import { request, type HttpResponse } from './request.js'
import { parseRetryAfter, retryWait } from './retry.js'
import { requestCleaner } from './scrub.js'
import { preview } from '../redact/preview.js'
import type { HttpExchangeSpec } from './types.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import type { Timings } from '../kernel/sample.js'

export interface ExchangeOptions {
  /**
   * Sends the requests. Default: a shared pooled Agent per TLS config and
   * connect timeout, behind undici's EnvHttpProxyAgent when a proxy is set.
   * A dispatcher passed here brings its own TLS and connect settings; only
   * `minDaysValid` of the spec is still checked.
   */
  dispatcher?: Dispatcher
  /** Where proxy settings are read for the default dispatcher (process.env). */
  env?: Record<string, string | undefined>
  clock?: Clock
  /** Monotonic ms after which no new attempt starts (the gate's deadline). */
  deadline?: number
  /** Masks secrets in every reason and excerpt. */
  redact?: (s: string) => string
  signal?: AbortSignal
  /** Source of jitter, in [0, 1). */
  random?: () => number
  /**
   * Keep the passing answer's headers and body in the outcome, for a probe
   * that captures values from it for its next request.
   */
  keepAnswer?: boolean
}

/** The headers (lower-case names) and kept body text of an answer. */
export interface KeptAnswer {
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** What came of an exchange, after its last attempt. */
export type HttpOutcome =
  | {
      ok: true
      attempts: number
      status: number
      timings: Timings
      excerpt?: string
      /** Only with `keepAnswer`. */
      answer?: KeptAnswer
    }
  | {
      ok: false
      /** One line, masked; says how many attempts it took when several. */
      reason: string
      /** True for a transport failure, false for an answer we rejected. */
      error: boolean
      attempts: number
      status?: number
      timings: Timings
      excerpt?: string
    }

/** Characters of body kept in an outcome for reports. */
export const EXCERPT_CHARS = 500

/**
 * One try: an answer that met the expectations, an answer that did not,
 * or no answer. Only the last two can be retried, and only a rejected
 * answer can carry Retry-After.
 */
type Attempt =
  | {
      outcome: 'passed'
      status: number
      timings: Timings
      excerpt?: string
      answer: KeptAnswer
    }
  | {
      outcome: 'rejected'
      reason: string
      retry: boolean
      retryAfterMs?: number
      /** Absent when one of our rules refused a redirect before an answer. */
      status?: number
      timings: Timings
      excerpt?: string
    }
  | {
      outcome: 'transport'
      reason: string
      /** False when the caller aborted or the request could not be sent. */
      retry: boolean
      status?: number
      timings: Timings
    }

/** Judges a complete answer against the expectations. */
function judge(
  spec: HttpExchangeSpec,
  res: HttpResponse,
  clock: Clock,
  clean: (s: string) => string
): Attempt {
  const { status, timings } = res
  const text = decode(res.body)
  // Cleaned before it is cut, so a secret across the cut is still masked.
  const excerpt =
    text === ''
      ? undefined
      : preview(text, EXCERPT_CHARS, clean, { ellipsis: '' })
  const mismatches = checkHttpExpect(
    spec.expect,
    {
      status,
      headers: res.headers,
      body: text,
      keptBytes: res.body.length,
      truncated: res.totalBytes > res.body.length,
      latencyMs: timings.totalMs
    },
    clean
  )
  const base = { status, timings, excerpt }
  if (mismatches.length === 0) {
    return {
      outcome: 'passed',
      ...base,
      answer: { headers: res.headers, body: text }
    }
  }
  let reason = mismatches[0]
  if (mismatches.length > 1) reason += ` (+${mismatches.length - 1} more)`
  const location = res.headers.location
  const loc = Array.isArray(location) ? location[0] : location
  if (
    REDIRECTS.has(status) &&
    loc &&
    !statusMatches(spec.expect.status ?? DEFAULT_STATUS, status)
  ) {
    try {
      reason += ` (redirect to '${new URL(loc, res.url).host}' not followed)`
    } catch {
      // An unparsable Location adds nothing useful to the reason.
    }
  }
  const retryAfterMs =
    status === 429 || status === 503
      ? parseRetryAfter(res.headers['retry-after'], clock.now())
      : undefined
  return {
    outcome: 'rejected',
    reason,
    retry: status >= 500 || status === 429,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...base
  }
}

async function attempt(
  spec: HttpExchangeSpec,
  dispatcher: Dispatcher,
  clock: Clock,
  clean: (s: string) => string,
  signal: AbortSignal | undefined
): Promise<Attempt> {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(spec.headers)) {
    headers[k.toLowerCase()] = v
  }
  headers['user-agent'] ??= 'deploy-gates-probe'
  const r = await request(
    { ...spec, headers },
    { dispatcher, clock, ...(signal ? { signal } : {}) }
  )
  if (r.kind === 'response') return judge(spec, r, clock, clean)
  if (r.kind === 'failed') {
    return {
      outcome: 'transport',
      reason: r.reason,
      retry: r.retry,
      timings: r.timings,
      ...(r.status !== undefined ? { status: r.status } : {})
    }
  }
  // One of our rules (a redirect, a certificate) refused it: as wrong on
  // the next try, so never retried.
  return {
    outcome: 'rejected',
    reason: r.reason,
    retry: false,
    timings: r.timings,
    ...(r.status !== undefined ? { status: r.status } : {})
  }
}

/**
 * Sends a request with its retries and returns one outcome. Waits between
 * attempts use the injected clock (so tests skip them) and stop at the
 * deadline; per-attempt timeouts use real timers because they bound real
 * I/O. Only transport errors, 5xx and 429 are retried: a wrong answer from
 * a healthy server will be just as wrong a second later.
 */
export async function exchange(
  spec: HttpExchangeSpec,
  opts: ExchangeOptions = {}
): Promise<HttpOutcome> {
  const clock = opts.clock ?? systemClock
  const random = opts.random ?? Math.random
  const clean = requestCleaner(spec, opts.redact ?? ((s) => s))
  const t0 = clock.monotonic()

  const url = URL.canParse(spec.url) ? new URL(spec.url) : undefined
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    return {
      ok: false,
      reason: clean('invalid URL (use http:// or https://)'),
      error: true,
      attempts: 0,
      timings: { totalMs: 0 }
    }
  }
  const dispatcher =
    opts.dispatcher ??
    sharedDispatchers.get({
      tls: spec.tls,
      connectMs: spec.timeouts.connectMs,
      env: opts.env ?? process.env
    })
  const maxAttempts = Math.max(1, Math.floor(spec.retry.attempts))
  let attempts = 0
  let last: Attempt
  let stoppedBy = ''
  for (;;) {
    attempts++
    last = await attempt(spec, dispatcher, clock, clean, opts.signal)
    if (last.outcome === 'passed' || !last.retry) break
    if (attempts >= maxAttempts || opts.signal?.aborted) break
    const retryAfterMs =
      last.outcome === 'rejected' ? last.retryAfterMs : undefined
    const wait = retryWait(spec, attempts, retryAfterMs, random)
    if (
      opts.deadline !== undefined &&
      clock.monotonic() + wait >= opts.deadline
    ) {
      stoppedBy = 'deadline reached'
      break
    }
    try {
      await clock.sleep(wait, opts.signal)
    } catch {
      stoppedBy = 'aborted'
      break
    }
  }

  const excerpt = last.outcome === 'transport' ? undefined : last.excerpt
  const shown = excerpt === undefined ? {} : { excerpt }
  if (last.outcome === 'passed') {
    return {
      ok: true,
      attempts,
      status: last.status,
      timings: last.timings,
      ...shown,
      ...(opts.keepAnswer ? { answer: last.answer } : {})
    }
  }
  let suffix = ''
  if (attempts > 1 || stoppedBy) {
    const plural = attempts === 1 ? '' : 's'
    const took = formatDuration(clock.monotonic() - t0)
    suffix = ` after ${attempts} attempt${plural} in ${took}`
    if (stoppedBy) suffix += ` (${stoppedBy})`
  }
  return {
    ok: false,
    reason: clean(last.reason + suffix),
    error: last.outcome === 'transport',
    attempts,
    ...(last.status !== undefined ? { status: last.status } : {}),
    timings: last.timings,
    ...shown
  }
}
