/**
 * Transport failures of a request in one precise line each (refused, reset,
 * timed out, DNS, TLS, proxy), and whether trying again could help.
 */
import type { HttpTimeouts } from './types.js'
import { formatDuration } from '../kernel/format.js'
import { preview } from '../redact/preview.js'

/** Which of our own timers (or the caller's signal) ended a request. */
export type Trip = 'total' | 'headers' | 'body' | 'signal'

/** How far the request got when it failed. */
export type Phase = 'connect' | 'headers' | 'body'

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

/** `host:port` of a URL, with the scheme's default port spelled out. */
export function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return `${url.hostname}:${port}`
}

/**
 * Error text flattened to one line of at most 160 characters, masked by
 * `redact` before the cut so a secret across it is masked whole.
 */
export function oneLine(s: string, redact: (s: string) => string): string {
  return preview(s, 161, redact, { oneLine: true })
}

export interface ErrorContext {
  timeouts: HttpTimeouts
  url: URL
  phase: Phase
  /** Masks the request's credentials before an error message is cut. */
  redact: (s: string) => string
}

/** Maps a transport failure to one precise line and whether to retry it. */
export function describeError(
  err: unknown,
  trip: Trip | undefined,
  ctx: ErrorContext
): { reason: string; retry: boolean } {
  const t = ctx.timeouts
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
      return {
        reason: `invalid request: ${oneLine(message, ctx.redact)}`,
        retry: false
      }
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
  return {
    reason: `request failed: ${oneLine(message, ctx.redact)}${tag}`,
    retry: true
  }
}
