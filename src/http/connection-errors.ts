/**
 * Connection failures worded for a `host:port` target, for clients whose
 * errors arrive bare or wrapped (ws, Socket.IO, the metric sources' GET),
 * plus the one-line excerpt such reasons quote text with.
 */
import { preview } from '../redact/preview.js'

/**
 * A message cut to one short line for a reason or a report. It takes the
 * redactor because a secret must be masked before the cut: half a secret
 * no longer matches its mask.
 */
export function excerpt(
  text: string,
  max: number,
  redact: (s: string) => string
): string {
  return preview(text, max, redact, { oneLine: true })
}

/** One connection failure as a reason, from the error or what it wraps. */
export interface TransportFailure {
  reason: string
  error: boolean
  status?: number
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/

/**
 * Connection errors arrive bare (`ws`) or wrapped two levels deep
 * (Socket.IO's TransportError around a `ws` ErrorEvent around the Node
 * error); this finds the cause and words it for `target` (host:port).
 */
export function transportFailure(
  err: unknown,
  target: string,
  redact: (s: string) => string
): TransportFailure {
  const chain: unknown[] = []
  const visit = (e: unknown, depth: number): void => {
    if (e === null || typeof e !== 'object' || depth > 4) return
    if (chain.includes(e)) return
    chain.push(e)
    for (const key of ['description', 'error', 'cause', 'context']) {
      visit(field(e, key), depth + 1)
    }
  }
  visit(err, 0)
  const messages = chain
    .map((e) => field(e, 'message'))
    .filter((m): m is string => typeof m === 'string' && m !== '')
  for (const m of messages) {
    const status = /Unexpected server response: (\d{3})/.exec(m)
    if (status) {
      const code = Number(status[1])
      return {
        reason: `upgrade refused: HTTP ${code}`,
        error: false,
        status: code
      }
    }
  }
  const coded = chain.find((e) => typeof field(e, 'code') === 'string')
  const code = coded === undefined ? undefined : String(field(coded, 'code'))
  const own = field(coded, 'message')
  const detail = typeof own === 'string' ? own : (messages.at(-1) ?? '')
  switch (code) {
    case 'ECONNREFUSED':
      return { reason: `connection refused to ${target}`, error: true }
    case 'ECONNRESET':
      return { reason: `connection reset by ${target}`, error: true }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason: `cannot resolve host of ${target}`, error: true }
    case 'ETIMEDOUT':
      return { reason: `connect timeout to ${target}`, error: true }
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { reason: `host unreachable: ${target}`, error: true }
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    return {
      reason: `TLS error with ${target}: ${excerpt(detail, 100, redact)}`,
      error: true
    }
  }
  const text = detail || 'unknown error'
  return {
    reason: `connection to ${target} failed: ${excerpt(text, 100, redact)}`,
    error: true
  }
}

/** Reads a property of an error of unknown shape without ever throwing. */
export function field(obj: unknown, key: string): unknown {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
    return undefined
  }
  try {
    return (obj as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}
