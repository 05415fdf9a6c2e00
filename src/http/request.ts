/**
 * One request and the redirects it may follow, under separate connect,
 * headers, body and total timeouts that fire when they say, with a capped
 * body and the `min-days-valid` certificate rule. Never throws: every
 * outcome is an HttpResult.
 */
import type { Dispatcher } from 'undici'
import { discard, readCapped } from './body.js'
import { checkCertificate } from './certificate.js'
import { describeError, type Phase, type Trip } from './errors.js'
import { REDIRECTS, redirectHop, type Hop } from './redirects.js'
import { addConnectTimes, watchedRequest, type Watch } from './sockets.js'
import { credentialScrubber } from './scrub.js'
import type { HttpRequestSpec } from './types.js'
import type { Clock } from '../kernel/clock.js'
import type { Timings } from '../kernel/sample.js'

/** A complete answer, whatever its status. */
export interface HttpResponse {
  kind: 'response'
  status: number
  /** Response headers with lower-case names, as undici returns them. */
  headers: Record<string, string | string[] | undefined>
  /** The kept part of the body (at most `maxBodyBytes`). */
  body: Buffer
  /** Bytes the body had in all (more than kept when it was cut). */
  totalBytes: number
  /** The URL that answered, after redirects. */
  url: URL
  timings: Timings
}

/** One of our rules stopped the request: a redirect or a certificate. */
export interface HttpRefusal {
  kind: 'refused'
  reason: string
  status?: number
  timings: Timings
}

/** The transport failed: refused, reset, timed out, DNS, TLS, proxy. */
export interface HttpFailure {
  kind: 'failed'
  /** One line naming what went wrong, never a secret of the request. */
  reason: string
  /** Whether another attempt could get a different answer. */
  retry: boolean
  /** Which of our timers (or the caller's signal) ended it, if one did. */
  trip?: Trip
  /** What undici threw, for callers that word failures their own way. */
  cause: unknown
  status?: number
  timings: Timings
}

export type HttpResult = HttpResponse | HttpRefusal | HttpFailure

export interface RequestOptions {
  dispatcher: Dispatcher
  /** Times the attempt (monotonic) and dates the certificate rule (now). */
  clock: Clock
  signal?: AbortSignal
  /** Stop reading at the first byte over `maxBodyBytes` (see readCapped). */
  stopAtCap?: boolean
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

/**
 * Sends `req` and follows its redirects under one total timeout. Per-phase
 * timeouts use real timers on purpose: they guard real I/O, like undici's
 * own, and undici's fire up to a second late (its coarse timer wheel).
 */
export async function request(
  req: HttpRequestSpec,
  opts: RequestOptions
): Promise<HttpResult> {
  const { clock } = opts
  const t = req.timeouts
  const start = clock.monotonic()
  const timings: Timings = { totalMs: 0 }
  let origin: URL
  try {
    origin = new URL(req.url)
  } catch (err) {
    return {
      kind: 'failed',
      reason: 'invalid URL (use http:// or https://)',
      retry: false,
      cause: err,
      timings
    }
  }
  const ac = new AbortController()
  const state: { trip?: Trip; phase: Phase; status?: number } = {
    phase: 'connect'
  }
  const fire = (why: Trip): void => {
    if (state.trip) return
    state.trip = why
    ac.abort(new Error(why))
  }
  let headersTimer: NodeJS.Timeout | undefined
  let bodyTimer: NodeJS.Timeout | undefined
  const totalTimer = setTimeout(() => fire('total'), t.totalMs)
  const onAbort = (): void => fire('signal')
  if (opts.signal?.aborted) fire('signal')
  opts.signal?.addEventListener('abort', onAbort, { once: true })

  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) {
    headers[k.toLowerCase()] = v
  }
  let hop: Hop = {
    url: origin,
    method: req.method.toUpperCase(),
    headers,
    body: req.body,
    ...(req.secretHeaders?.length
      ? { secretHeaders: req.secretHeaders.map((h) => h.toLowerCase()) }
      : {})
  }
  const elapsed = (): number => clock.monotonic() - start
  const refuse = (reason: string): HttpRefusal => {
    timings.totalMs = elapsed()
    const out: HttpRefusal = { kind: 'refused', reason, timings }
    if (state.status !== undefined) out.status = state.status
    return out
  }

  try {
    for (let hops = 0; ; hops++) {
      state.phase = 'connect'
      const watch: Watch = {
        onSend: () => {
          state.phase = 'headers'
          clearTimeout(headersTimer)
          headersTimer = setTimeout(() => fire('headers'), t.headersMs)
        }
      }
      const res = await watchedRequest(
        opts.dispatcher,
        {
          origin: hop.url.origin,
          path: `${hop.url.pathname}${hop.url.search}`,
          method: hop.method,
          headers: hop.headers,
          body: hop.body ?? null,
          signal: ac.signal,
          // Backstops behind our own precise timers.
          headersTimeout: t.headersMs + 1000,
          bodyTimeout: t.bodyMs + 1000
        },
        watch
      )
      clearTimeout(headersTimer)
      state.phase = 'body'
      state.status = res.statusCode
      timings.firstByteMs = elapsed()
      addConnectTimes(timings, watch.socket)

      const minDays = req.tls.minDaysValid
      if (hop.url.protocol === 'https:' && minDays !== undefined) {
        const bad = checkCertificate(watch.peer, hop.url, minDays, clock.now())
        if (bad) {
          await discard(res.body)
          return refuse(bad)
        }
      }

      const loc = firstHeader(res.headers.location)
      if (REDIRECTS.has(res.statusCode) && loc && req.follow > 0) {
        await discard(res.body)
        if (hops >= req.follow)
          return refuse(`more than ${req.follow} redirects`)
        const r = redirectHop(hop, res.statusCode, loc, origin, req.allowHosts)
        if ('refused' in r) return refuse(r.refused)
        hop = r.next
        continue
      }

      const declared = Number(res.headers['content-length'])
      let read: { kept: Buffer; total: number }
      if (opts.stopAtCap && declared > req.maxBodyBytes) {
        res.body.destroy()
        read = { kept: Buffer.alloc(0), total: declared }
      } else {
        bodyTimer = setTimeout(() => fire('body'), t.bodyMs)
        read = await readCapped(
          res.body,
          req.maxBodyBytes,
          () => bodyTimer?.refresh(),
          opts.stopAtCap
        )
        clearTimeout(bodyTimer)
      }
      timings.totalMs = elapsed()
      return {
        kind: 'response',
        status: res.statusCode,
        headers: res.headers,
        body: read.kept,
        totalBytes: read.total,
        url: hop.url,
        timings
      }
    }
  } catch (err) {
    const d = describeError(err, state.trip, {
      timeouts: t,
      url: hop.url,
      phase: state.phase,
      redact: credentialScrubber(req.url, req.headers)
    })
    timings.totalMs = elapsed()
    const out: HttpFailure = {
      kind: 'failed',
      reason: d.reason,
      retry: d.retry,
      cause: err,
      timings
    }
    if (state.trip) out.trip = state.trip
    if (state.status !== undefined) out.status = state.status
    return out
  } finally {
    clearTimeout(totalTimer)
    clearTimeout(headersTimer)
    clearTimeout(bodyTimer)
    opts.signal?.removeEventListener('abort', onAbort)
  }
}
