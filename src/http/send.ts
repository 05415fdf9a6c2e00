/**
 * The HTTP transport that metric sources, hooks and confirm share: one
 * request with a hard timeout and a size cap, turned into either an answer
 * to interpret or an error reading. Refused, reset and timed out are
 * errors with a reason naming `host:port`; statuses are the caller's.
 */
import { getGlobalDispatcher, type Dispatcher } from 'undici'
import { transportFailure } from './connection-errors.js'
import { hostPort } from './errors.js'
import { request } from './request.js'
import { parseRetryAfter } from './retry.js'
import { credentialScrubber, displayUrl } from './scrub.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import type { Unstamped } from '../kernel/reading.js'

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

/**
 * One request as metric sources, hooks and confirm send it: never a
 * redirect, whatever it answers.
 */
export interface SendRequest {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
}

/** The I/O a request uses; every field has a real default. */
export interface SendOptions {
  /** undici dispatcher (Agent, MockAgent); default: the global one. */
  dispatcher?: Dispatcher
  /** Times out requests (and dates Retry-After). */
  clock?: Clock
  /** Masks secrets in every reason, after URL and header scrubbing. */
  redact?: (s: string) => string
  /** Aborting ends the request at once with an `error` reading. */
  signal?: AbortSignal
}

/**
 * Runs one request under a timeout that covers connect, headers and body,
 * with the injected clock so tests can drive it. Never throws: every
 * transport failure comes back as an error reading naming `host:port`.
 */
export async function httpSend(
  req: SendRequest,
  timeoutMs: number,
  opts: SendOptions
): Promise<Fetched> {
  const { url, headers } = req
  const clock = opts.clock ?? systemClock
  const target = hostPortOf(url)
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

/** `host:port` of a URL, the only part of it a reason may quote. */
export function hostPortOf(url: string): string {
  try {
    return hostPort(new URL(url))
  } catch {
    return displayUrl(url)
  }
}

/**
 * An API's URL from the base URL a user configured: `path` goes after the
 * path prefix a proxy puts the API behind (`https://host/prometheus`), and
 * query parameters the proxy needs stay. Undefined for anything but an
 * http(s) URL, so each source words the example its users need.
 */
export function httpBaseUrl(base: string, path = ''): URL | undefined {
  let u: URL
  try {
    u = new URL(base)
  } catch {
    return undefined
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined
  if (path !== '') u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`
  return u
}

/**
 * The URL/header credential scrubber followed by the caller's redactor, so
 * a token in a query string or an echoed Authorization header never
 * reaches a report. Text quoted from an answer goes through it before it
 * is shortened, since a cut secret no longer matches its mask.
 */
export function reasonScrubber(
  url: string,
  headers: Record<string, string>,
  opts: SendOptions
): (text: string) => string {
  const scrub = credentialScrubber(url, headers)
  const redact = opts.redact ?? ((s: string): string => s)
  return (text) => redact(scrub(text))
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
