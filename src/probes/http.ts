/**
 * The HTTP probe: one resolved spec in, one sample out. It owns everything a
 * health or smoke check needs to be trusted in a pipeline: separate connect /
 * headers / body / total timeouts that fire when they say, redirects that
 * never leak to another host, TLS checks including certificate expiry, a
 * capped body, retries with jittered backoff that honour `Retry-After`, and a
 * one-line reason that names what went wrong without ever naming a secret.
 */
import diagnosticsChannel from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import * as tls from 'node:tls'
import {
  Agent,
  buildConnector,
  EnvHttpProxyAgent,
  type Dispatcher
} from 'undici'
import { checkHttpExpect } from './expect.js'
import type { HttpProbeSpec, TlsSpec } from './types.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import type { ProbeSample, Timings } from '../kernel/sample.js'

export interface HttpProbeOptions {
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
}

/** Characters of body kept in a sample for reports. */
export const EXCERPT_CHARS = 500

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const SENSITIVE =
  /auth|token|key|secret|pass|pwd|sig|cookie|session|credential/i
const CROSS_HOST_STRIP = ['authorization', 'cookie', 'proxy-authorization']
const DAY_MS = 86_400_000

// ---------------------------------------------------------------------------
// Connections: timings per socket, and which socket served which request.

interface ConnectTimes {
  connectMs: number
  tlsMs?: number
}

/** Filled by our connector: how long each new socket took to open. */
const socketTimes = new WeakMap<Socket, ConnectTimes>()
/** Sockets already attributed to an attempt; a reused socket costs nothing. */
const seenSockets = new WeakSet<Socket>()

interface Watch {
  socket?: Socket
  onSend: (socket: Socket) => void
}

let pendingWatch: Watch | undefined
const watches = new WeakMap<object, Watch>()
let channelsReady = false

/**
 * undici does not tell a caller which socket served its request, and without
 * that we can neither attribute connect time nor read the peer certificate
 * behind a proxy. Its diagnostics channels do: a request is created
 * synchronously inside `dispatch`, and `sendHeaders` names its socket.
 */
function ensureChannels(): void {
  if (channelsReady) return
  channelsReady = true
  diagnosticsChannel.subscribe('undici:request:create', (msg) => {
    if (!pendingWatch) return
    const { request } = msg as { request: object }
    watches.set(request, pendingWatch)
    pendingWatch = undefined
  })
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (msg) => {
    const { request, socket } = msg as { request: object; socket: Socket }
    const w = watches.get(request)
    if (!w) return
    w.socket = socket
    w.onSend(socket)
  })
}

function request(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions,
  watch: Watch
): Promise<Dispatcher.ResponseData> {
  ensureChannels()
  pendingWatch = watch
  try {
    return dispatcher.request(options)
  } finally {
    pendingWatch = undefined
  }
}

/** Wraps a connector to record TCP and TLS time for each socket it opens. */
function timedConnector(
  base: buildConnector.connector
): buildConnector.connector {
  return (options, callback) => {
    const start = performance.now()
    let tcpAt: number | undefined
    const socket = (
      base as (
        o: buildConnector.Options,
        cb: buildConnector.Callback
      ) => Socket | undefined
    )(options, (...args) => {
      const [err, sock] = args
      if (!err && sock) {
        const end = performance.now()
        const tcp = tcpAt ?? end
        socketTimes.set(
          sock,
          options.protocol === 'https:'
            ? { connectMs: tcp - start, tlsMs: end - tcp }
            : { connectMs: end - start }
        )
      }
      callback(...args)
    })
    socket?.once('connect', () => {
      tcpAt = performance.now()
    })
  }
}

function tlsOptions(spec: TlsSpec): tls.ConnectionOptions {
  const out: tls.ConnectionOptions = { rejectUnauthorized: !spec.insecure }
  if (spec.minVersion) out.minVersion = spec.minVersion
  // Extra CAs add to the trusted set rather than replace it, so a private CA
  // for staging does not break a public one behind the same probe config.
  if (spec.ca) out.ca = [...tls.getCACertificates('default'), spec.ca]
  return out
}

function proxyEnv(env: Record<string, string | undefined>): {
  http: string
  https: string
  no: string
} {
  return {
    http: env.http_proxy ?? env.HTTP_PROXY ?? '',
    https: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    no: env.no_proxy ?? env.NO_PROXY ?? ''
  }
}

/**
 * Builds the dispatcher probes use, from an explicit environment rather than
 * process.env, so a proxy can be configured (and tested) per call. HTTP/1.1
 * only: a probe should measure the same protocol every time.
 */
export function dispatcherFromEnv(
  env: Record<string, string | undefined>,
  options: { tls?: TlsSpec; connectMs?: number } = {}
): Dispatcher {
  const t = tlsOptions(options.tls ?? { insecure: false })
  const connectMs = options.connectMs ?? 10_000
  // No TLS session resumption: a resumed session carries no peer
  // certificate to check, and a full handshake is what tlsMs should measure.
  const endpointTls = { ...t, maxCachedSessions: 0 }
  const connect = timedConnector(
    buildConnector({ ...endpointTls, timeout: connectMs, allowH2: false })
  )
  const proxy = proxyEnv(env)
  if (proxy.http || proxy.https) {
    return new EnvHttpProxyAgent({
      connect,
      allowH2: false,
      connectTimeout: connectMs,
      requestTls: endpointTls,
      httpProxy: proxy.http,
      httpsProxy: proxy.https,
      noProxy: proxy.no
    })
  }
  return new Agent({ connect, allowH2: false })
}

const shared = new Map<string, Dispatcher>()

function sharedDispatcher(
  spec: HttpProbeSpec,
  env: Record<string, string | undefined>
): Dispatcher {
  const proxy = proxyEnv(env)
  const key = JSON.stringify([
    spec.tls.ca ?? '',
    spec.tls.insecure,
    spec.tls.minVersion ?? '',
    spec.timeouts.connectMs,
    proxy
  ])
  let d = shared.get(key)
  if (!d) {
    d = dispatcherFromEnv(env, {
      tls: spec.tls,
      connectMs: spec.timeouts.connectMs
    })
    shared.set(key, d)
  }
  return d
}

/** Closes the shared default dispatchers, so a process or test can exit. */
export async function closeHttpDispatchers(): Promise<void> {
  const all = [...shared.values()]
  shared.clear()
  await Promise.all(all.map((d) => d.close()))
}

// ---------------------------------------------------------------------------
// Body

/**
 * Reads a body to its end but keeps only the first `maxBytes`: the rest is
 * counted and dropped, so a 10 MiB answer costs a 64 KiB buffer while the
 * total time still covers the whole download.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onChunk?: () => void
): Promise<{ kept: Buffer; total: number }> {
  const parts: Buffer[] = []
  let kept = 0
  let total = 0
  for await (const chunk of body) {
    onChunk?.()
    total += chunk.length
    if (kept < maxBytes) {
      const take = Math.min(chunk.length, maxBytes - kept)
      parts.push(Buffer.from(chunk.subarray(0, take)))
      kept += take
    }
  }
  return { kept: Buffer.concat(parts, kept), total }
}

async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024 })
  } catch {
    // The connection is dropped instead; nothing to report.
  }
}

// ---------------------------------------------------------------------------
// Errors

type Trip = 'total' | 'headers' | 'body' | 'signal'

interface Attempt {
  ok: boolean
  reason: string
  error: boolean
  retry: boolean
  retryAfterMs?: number
  status?: number
  location?: string
  timings: Timings
  excerpt?: string
}

/** Certificate verification failures, in our words (Node adds hints). */
const TLS_VERIFY: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown certificate issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown certificate issuer',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  INVALID_CA: 'invalid CA certificate',
  HOSTNAME_MISMATCH: 'certificate hostname mismatch'
}

interface CodedError {
  code?: string
  message?: string
  cause?: unknown
  errors?: unknown[]
}

/** The most specific error code in an error, its cause or its aggregate. */
function codeOf(err: unknown): { code: string; message: string } {
  let cur: unknown = err
  for (let depth = 0; depth < 4 && cur; depth++) {
    const e = cur as CodedError
    if (e.code && e.code !== 'UND_ERR_ABORTED') {
      return { code: e.code, message: e.message ?? '' }
    }
    cur = e.cause ?? e.errors?.[0]
  }
  const e = err as CodedError
  return { code: e?.code ?? '', message: e?.message ?? String(err) }
}

interface ErrorContext {
  spec: HttpProbeSpec
  url: URL
  phase: 'connect' | 'headers' | 'body'
}

function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return `${url.hostname}:${port}`
}

/** Maps a transport failure to one precise line and whether to retry it. */
function describeError(
  err: unknown,
  trip: Trip | undefined,
  ctx: ErrorContext
): { reason: string; retry: boolean } {
  const t = ctx.spec.timeouts
  const where = hostPort(ctx.url)
  if (trip === 'total') {
    return {
      reason: `total timeout ${formatDuration(t.totalMs)} exceeded`,
      retry: true
    }
  }
  if (trip === 'headers') {
    return {
      reason: `no response headers within ${formatDuration(t.headersMs)}`,
      retry: true
    }
  }
  if (trip === 'body') {
    return {
      reason: `body stalled: no data for ${formatDuration(t.bodyMs)}`,
      retry: true
    }
  }
  if (trip === 'signal') return { reason: 'aborted', retry: false }
  const { code, message } = codeOf(err)
  const during =
    ctx.phase === 'body' ? 'while reading body' : 'before response headers'
  switch (code) {
    case 'ECONNREFUSED':
      return { reason: `connection refused to ${where}`, retry: true }
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return {
        reason: `no connection to ${where} within ${formatDuration(t.connectMs)}`,
        retry: true
      }
    case 'UND_ERR_HEADERS_TIMEOUT':
      return {
        reason: `no response headers within ${formatDuration(t.headersMs)}`,
        retry: true
      }
    case 'UND_ERR_BODY_TIMEOUT':
      return {
        reason: `body stalled: no data for ${formatDuration(t.bodyMs)}`,
        retry: true
      }
    case 'ECONNRESET':
    case 'EPIPE':
      return { reason: `connection reset ${during}`, retry: true }
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { reason: `connection closed by server ${during}`, retry: true }
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return {
        reason: 'connection closed before the body reached its content-length',
        retry: true
      }
    case 'ENOTFOUND':
      return {
        reason: `DNS: host '${ctx.url.hostname}' not found`,
        retry: true
      }
    case 'EAI_AGAIN':
      return {
        reason: `DNS: lookup of '${ctx.url.hostname}' failed temporarily`,
        retry: true
      }
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { reason: `host unreachable: ${where}`, retry: true }
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'UND_ERR_PRX_TLS':
      return {
        reason: `TLS: certificate is not valid for '${ctx.url.hostname}'`,
        retry: false
      }
    case 'UND_ERR_PRX_CONN':
      return { reason: 'proxy closed the tunnel connection', retry: true }
    case 'UND_ERR_INVALID_ARG':
      return { reason: `invalid request: ${oneLine(message)}`, retry: false }
  }
  if (Object.hasOwn(TLS_VERIFY, code)) {
    return { reason: `TLS: ${TLS_VERIFY[code]}`, retry: false }
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return { reason: `TLS handshake failed (${code})`, retry: false }
  }
  const proxy = /Proxy response \((\d+)\)/.exec(message)
  if (proxy) {
    return { reason: `proxy refused the tunnel with ${proxy[1]}`, retry: true }
  }
  if (/Proxy Authentication Required/.test(message)) {
    return { reason: 'proxy requires authentication (407)', retry: false }
  }
  const tag = code ? ` (${code})` : ''
  return { reason: `request failed: ${oneLine(message)}${tag}`, retry: true }
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat
}

/**
 * Expiry of the last full certificate seen per host, for dispatchers that
 * resume TLS sessions (ours do not): a resumed session shows no certificate.
 */
const certExpiry = new Map<string, number>()

/**
 * Reads the peer certificate of the socket that served a response. A cert
 * close to expiry is a finding, not a transport failure: the answer was fine.
 */
function checkCertificate(
  socket: Socket | undefined,
  url: URL,
  minDays: number,
  now: number
): string | undefined {
  if (!(socket instanceof tls.TLSSocket)) {
    return 'cannot check certificate expiry: the TLS connection is not observable'
  }
  const key = `${url.hostname}:${url.port}`
  let validTo = Date.parse(socket.getPeerCertificate().valid_to)
  if (Number.isFinite(validTo)) certExpiry.set(key, validTo)
  else if (socket.isSessionReused()) validTo = certExpiry.get(key) ?? NaN
  if (!Number.isFinite(validTo)) {
    return 'cannot check certificate expiry: the server sent no certificate (resumed TLS session)'
  }
  const left = validTo - now
  if (left >= minDays * DAY_MS) return undefined
  const date = new Date(validTo).toISOString().slice(0, 10)
  const name = `certificate for '${url.hostname}'`
  if (left <= 0) return `${name} expired on ${date}`
  const days = Math.round(left / DAY_MS)
  const inText =
    left < DAY_MS
      ? `${Math.max(1, Math.round(left / 3_600_000))}h`
      : `${days} day${days === 1 ? '' : 's'}`
  return `${name} expires in ${inText} (${date}), below min-days-valid ${minDays}`
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number
): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!v) return undefined
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const at = Date.parse(v)
  if (!Number.isFinite(at)) return undefined
  return Math.max(0, at - now)
}

// ---------------------------------------------------------------------------
// Secrets

function secretsOf(spec: HttpProbeSpec): string[] {
  const found = new Set<string>()
  const add = (v: string | null | undefined): void => {
    if (!v || v.length < 4) return
    found.add(v)
    found.add(encodeURIComponent(v))
  }
  for (const [name, value] of Object.entries(spec.headers)) {
    if (!SENSITIVE.test(name)) continue
    add(value)
    const scheme = /^\s*[\w-]+\s+(\S+)\s*$/.exec(value)
    if (scheme) add(scheme[1])
  }
  try {
    const u = new URL(spec.url)
    if (u.password) add(decodeURIComponent(u.password))
    for (const [name, value] of u.searchParams) {
      if (SENSITIVE.test(name)) add(value)
    }
  } catch {
    // An invalid URL is reported without quoting it.
  }
  return [...found].sort((a, b) => b.length - a.length)
}

function makeCleaner(
  spec: HttpProbeSpec,
  redact: (s: string) => string
): (s: string) => string {
  const secrets = secretsOf(spec)
  return (s) => {
    let out = redact(s)
    for (const secret of secrets) out = out.split(secret).join('***')
    return out
  }
}

// ---------------------------------------------------------------------------
// One attempt

interface AttemptContext {
  spec: HttpProbeSpec
  url: URL
  dispatcher: Dispatcher
  clock: Clock
  signal?: AbortSignal
  clean: (s: string) => string
}

function sameHostOrAllowed(
  target: URL,
  origin: URL,
  allowHosts: string[]
): boolean {
  const host = target.hostname.toLowerCase()
  if (host === origin.hostname.toLowerCase()) return true
  return allowHosts.some((h) => {
    const a = h.trim().toLowerCase()
    return a === host || a === target.host.toLowerCase()
  })
}

/** What is sent on one hop; a redirect derives the next one from it. */
interface Hop {
  url: URL
  method: string
  headers: Record<string, string>
  body?: string
}

/**
 * Decides where a redirect may go. Another host is refused unless allowed,
 * and credentials never travel to another host or from https down to http.
 */
export function redirectHop(
  hop: Hop,
  status: number,
  location: string,
  origin: URL,
  allowHosts: string[]
): { next: Hop } | { refused: string } {
  let url: URL
  try {
    url = new URL(location, hop.url)
  } catch {
    return { refused: 'redirect to an invalid location' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { refused: `redirect to unsupported scheme '${url.protocol}'` }
  }
  if (!sameHostOrAllowed(url, origin, allowHosts)) {
    return {
      refused: `redirect to '${url.host}' refused: host not in allow-hosts`
    }
  }
  const headers = { ...hop.headers }
  const crossHost =
    url.hostname.toLowerCase() !== hop.url.hostname.toLowerCase() ||
    (hop.url.protocol === 'https:' && url.protocol === 'http:')
  if (crossHost) for (const h of CROSS_HOST_STRIP) delete headers[h]
  let { method, body } = hop
  if (
    (status === 303 && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  ) {
    method = 'GET'
    body = undefined
    delete headers['content-type']
    delete headers['content-length']
  }
  return { next: { url, method, headers, body } }
}

function decode(buf: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(buf)
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

/** Adds the connect and TLS time of a socket the first time it serves us. */
function addConnectTimes(timings: Timings, sock: Socket | undefined): void {
  if (!sock || seenSockets.has(sock)) return
  seenSockets.add(sock)
  const c = socketTimes.get(sock)
  if (!c) return
  timings.connectMs = (timings.connectMs ?? 0) + c.connectMs
  if (c.tlsMs !== undefined) timings.tlsMs = (timings.tlsMs ?? 0) + c.tlsMs
}

/**
 * Runs one attempt: the request and any redirects it may follow, under one
 * total timeout. Never throws; every outcome is an Attempt.
 */
async function runAttempt(ctx: AttemptContext): Promise<Attempt> {
  const { spec, clock } = ctx
  const t = spec.timeouts
  const start = clock.monotonic()
  const timings: Timings = { totalMs: 0 }
  const ac = new AbortController()
  const state: { trip?: Trip; phase: ErrorContext['phase']; status?: number } =
    { phase: 'connect' }
  const fire = (why: Trip): void => {
    if (state.trip) return
    state.trip = why
    ac.abort(new Error(why))
  }
  let headersTimer: NodeJS.Timeout | undefined
  let bodyTimer: NodeJS.Timeout | undefined
  // Real timers on purpose: these guard real I/O, like undici's own, and
  // undici's fire up to a second late (its coarse timer wheel).
  const totalTimer = setTimeout(() => fire('total'), t.totalMs)
  const onAbort = (): void => fire('signal')
  if (ctx.signal?.aborted) fire('signal')
  ctx.signal?.addEventListener('abort', onAbort, { once: true })

  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(spec.headers)) {
    headers[k.toLowerCase()] = v
  }
  headers['user-agent'] ??= 'deploy-gates-probe'
  let hop: Hop = {
    url: ctx.url,
    method: spec.method.toUpperCase(),
    headers,
    body: spec.body
  }
  const elapsed = (): number => clock.monotonic() - start
  const fail = (reason: string): Attempt => {
    timings.totalMs = elapsed()
    return {
      ok: false,
      reason,
      error: false,
      retry: false,
      status: state.status,
      timings
    }
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
      const res = await request(
        ctx.dispatcher,
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

      const minDays = spec.tls.minDaysValid
      if (hop.url.protocol === 'https:' && minDays !== undefined) {
        const bad = checkCertificate(
          watch.socket,
          hop.url,
          minDays,
          clock.now()
        )
        if (bad) {
          await discard(res.body)
          return fail(bad)
        }
      }

      const loc = firstHeader(res.headers.location)
      if (REDIRECTS.has(res.statusCode) && loc && spec.follow > 0) {
        await discard(res.body)
        if (hops >= spec.follow)
          return fail(`more than ${spec.follow} redirects`)
        const r = redirectHop(
          hop,
          res.statusCode,
          loc,
          ctx.url,
          spec.allowHosts
        )
        if ('refused' in r) return fail(r.refused)
        hop = r.next
        continue
      }

      bodyTimer = setTimeout(() => fire('body'), t.bodyMs)
      const read = await readCapped(res.body, spec.maxBodyBytes, () =>
        bodyTimer?.refresh()
      )
      clearTimeout(bodyTimer)
      timings.totalMs = elapsed()
      return judge(ctx, res, read, timings, hop.url)
    }
  } catch (err) {
    const d = describeError(err, state.trip, {
      spec,
      url: hop.url,
      phase: state.phase
    })
    timings.totalMs = elapsed()
    return {
      ok: false,
      reason: d.reason,
      error: true,
      retry: d.retry,
      status: state.status,
      timings
    }
  } finally {
    clearTimeout(totalTimer)
    clearTimeout(headersTimer)
    clearTimeout(bodyTimer)
    ctx.signal?.removeEventListener('abort', onAbort)
  }
}

/** Judges a complete answer against the expectations. */
function judge(
  ctx: AttemptContext,
  res: Dispatcher.ResponseData,
  read: { kept: Buffer; total: number },
  timings: Timings,
  url: URL
): Attempt {
  const { spec, clock } = ctx
  const status = res.statusCode
  const text = decode(read.kept)
  // Cleaned before it is cut, so a secret across the cut is still masked.
  const excerpt =
    text === ''
      ? undefined
      : ctx.clean(text.slice(0, EXCERPT_CHARS + 4096)).slice(0, EXCERPT_CHARS)
  const mismatches = checkHttpExpect(
    spec.expect,
    {
      status,
      headers: res.headers,
      body: text,
      keptBytes: read.kept.length,
      truncated: read.total > read.kept.length,
      latencyMs: timings.totalMs
    },
    ctx.clean
  )
  const base = { status, timings, excerpt }
  if (mismatches.length === 0) {
    return { ok: true, reason: 'ok', error: false, retry: false, ...base }
  }
  let reason = mismatches[0]
  if (mismatches.length > 1) reason += ` (+${mismatches.length - 1} more)`
  const loc = firstHeader(res.headers.location)
  if (REDIRECTS.has(status) && loc && reason.startsWith('expected status')) {
    try {
      reason += ` (redirect to '${new URL(loc, url).host}' not followed)`
    } catch {
      // An unparsable Location adds nothing useful to the reason.
    }
  }
  const retryAfterMs =
    status === 429 || status === 503
      ? parseRetryAfter(res.headers['retry-after'], clock.now())
      : undefined
  return {
    ok: false,
    reason,
    error: false,
    retry: status >= 500 || status === 429,
    retryAfterMs,
    ...base
  }
}

// ---------------------------------------------------------------------------
// The probe

/**
 * Runs an HTTP probe with its retries and returns one sample. Waits between
 * attempts use the injected clock (so tests skip them) and stop at the gate's
 * deadline; per-attempt timeouts use real timers because they bound real I/O.
 * Only transport errors, 5xx and 429 are retried: a wrong answer from a healthy
 * server will be just as wrong a second later.
 */
export async function runHttpProbe(
  spec: HttpProbeSpec,
  opts: HttpProbeOptions = {}
): Promise<ProbeSample> {
  const clock = opts.clock ?? systemClock
  const random = opts.random ?? Math.random
  const clean = makeCleaner(spec, opts.redact ?? ((s) => s))
  const startedAt = clock.now()
  const t0 = clock.monotonic()
  const sample = (a: Attempt, attempts: number, suffix = ''): ProbeSample => {
    const out: ProbeSample = {
      probe: spec.name,
      kind: 'http',
      ok: a.ok,
      reason: a.ok ? 'ok' : clean(a.reason + suffix),
      attempts,
      startedAt,
      timings: a.timings
    }
    if (a.error) out.error = true
    if (a.status !== undefined) out.status = a.status
    if (a.excerpt !== undefined) out.excerpt = a.excerpt
    return out
  }

  let url: URL
  try {
    url = new URL(spec.url)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error('scheme')
    }
  } catch {
    const a: Attempt = {
      ok: false,
      reason: 'invalid URL (use http:// or https://)',
      error: true,
      retry: false,
      timings: { totalMs: 0 }
    }
    return sample(a, 0)
  }

  const dispatcher =
    opts.dispatcher ?? sharedDispatcher(spec, opts.env ?? process.env)
  const maxAttempts = Math.max(1, Math.floor(spec.retry.attempts))
  let attempts = 0
  let last: Attempt
  let stoppedBy = ''
  for (;;) {
    attempts++
    last = await runAttempt({
      spec,
      url,
      dispatcher,
      clock,
      signal: opts.signal,
      clean
    })
    if (last.ok || !last.retry || attempts >= maxAttempts) break
    if (opts.signal?.aborted) break
    const wait = retryWait(spec, attempts, last.retryAfterMs, random)
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

  if (last.ok) return sample(last, attempts)
  let suffix = ''
  if (attempts > 1 || stoppedBy) {
    const plural = attempts === 1 ? '' : 's'
    const took = formatDuration(clock.monotonic() - t0)
    suffix = ` after ${attempts} attempt${plural} in ${took}`
    if (stoppedBy) suffix += ` (${stoppedBy})`
  }
  return sample(last, attempts, suffix)
}

/**
 * Exponential backoff with full jitter (a random wait up to the doubled cap),
 * so many probes failing together do not retry in lockstep. A server's
 * `Retry-After` replaces it, still capped so one header cannot stall a gate.
 */
export function retryWait(
  spec: Pick<HttpProbeSpec, 'retry'>,
  failedAttempt: number,
  retryAfterMs: number | undefined,
  random: () => number
): number {
  const { backoffMs, maxBackoffMs } = spec.retry
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxBackoffMs)
  const cap = Math.min(maxBackoffMs, backoffMs * 2 ** (failedAttempt - 1))
  return Math.round(random() * cap)
}
