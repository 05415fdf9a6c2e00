/**
 * Matching of WebSocket and Socket.IO messages against the `json`, `regex`,
 * `event` and `data` of a step, plus the small text helpers that turn a
 * message or a size into a one-line reason. Pure: no sockets, no clock.
 */
import type { Parsed } from '../config/units.js'
import type { WsMatch } from './types.js'

/** One received message as the matcher sees it, whichever protocol sent it. */
export interface Incoming {
  /** Socket.IO event name; undefined for raw WebSocket messages. */
  event?: string
  /** The payload as text (raw frame text, or JSON of the Socket.IO args). */
  text: string
  /** The parsed payload when it is JSON (raw), or the first event argument. */
  value?: unknown
  /** Whether `value` is meaningful for a JSON subset match. */
  structured: boolean
}

export interface MessageMatcher {
  /** The Socket.IO event name the step waits for, if any. */
  readonly event?: string
  /** How a reason names the expected payload: `{"type":"x"} and /re/`. */
  readonly description: string
  /** True when the step gave no constraint, so any message matches. */
  readonly any: boolean
  matches(message: Incoming): boolean
}

/**
 * A subset match, as users expect from `json: { type: x }`: every key given
 * must be present with a matching value; extra keys in the message are
 * fine. Arrays match element by element and must have the same length, so
 * `[1]` never silently matches `[1, 2]`.
 */
export function matchesSubset(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') {
    return Object.is(actual, expected)
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matchesSubset(actual[i], e))
    )
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return false
  }
  const obj = actual as Record<string, unknown>
  return Object.entries(expected as Record<string, unknown>).every(
    ([k, v]) => Object.hasOwn(obj, k) && matchesSubset(obj[k], v)
  )
}

/** Text frames are JSON when they parse; anything else is matched as text. */
export function parseMessage(text: string): Incoming {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { text, value: JSON.parse(text) as unknown, structured: true }
    } catch {
      // not JSON after all: matched by regex only
    }
  }
  return { text, structured: false }
}

/**
 * A Socket.IO event becomes one Incoming: `data` matches its first argument,
 * which is how servers send a payload (`emit('match-update', {...})`).
 */
export function eventMessage(event: string, args: unknown[]): Incoming {
  const first = args[0]
  let text: string
  if (typeof first === 'string' && args.length === 1) text = first
  else text = safeStringify(args.length === 1 ? first : args)
  return { event, text, value: first, structured: args.length > 0 }
}

/**
 * Compiles the matcher of a receive or silence step once, so a bad regex is
 * one reason up front instead of an exception per message.
 */
export function compileMatcher(match: WsMatch): Parsed<MessageMatcher> {
  let re: RegExp | undefined
  if (match.regex !== undefined) {
    try {
      re = new RegExp(match.regex)
    } catch {
      return { ok: false, error: `invalid regex '${match.regex}'` }
    }
  }
  const subsets = [match.json, match.data].filter((v) => v !== undefined)
  const parts = subsets.map((s) => safeStringify(s))
  if (re) parts.push(String(re))
  const matcher: MessageMatcher = {
    event: match.event,
    description: parts.join(' and '),
    any: match.event === undefined && parts.length === 0,
    matches: (m) =>
      (match.event === undefined || m.event === match.event) &&
      subsets.every((s) => m.structured && matchesSubset(m.value, s)) &&
      (re === undefined || re.test(m.text))
  }
  return { ok: true, value: matcher }
}

/**
 * What a step waited for, in words: `message matching {"type":"x"}`,
 * `'match-update' event matching {"matchId":"m"}`, or just `message`.
 */
export function expectedPhrase(
  m: MessageMatcher,
  noun: 'message' | 'event'
): string {
  const payload = m.description ? ` matching ${m.description}` : ''
  if (m.event !== undefined) return `'${m.event}' event${payload}`
  return `${noun}${payload}`
}

/** A message cut to one short line for a reason or a report. */
export function excerpt(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}

/** Sizes the way the config writes them: `512 B`, `64 KiB`, `2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let i = 0
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024
    i++
  }
  const shown = Number.isInteger(value) ? value : Number(value.toFixed(1))
  return `${shown} ${units[i]}`
}

/** Plural nouns for counts in reasons: `1 other message`, `3 other events`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

const SECRET_NAME =
  /token|key|secret|auth|pass|pwd|sig|session|jwt|code|credential|ticket|cookie/i
const MASK = '***'

/**
 * Reasons and excerpts must never leak the credentials a probe connects
 * with, even when a server echoes its request URL or headers back. This
 * finds them in the URL (password, query values with a secret-looking name
 * or of token length) and in secret-looking headers, and returns a function
 * that masks them; the caller's own redaction runs after it.
 */
export function credentialScrubber(
  url: string,
  headers: Record<string, string>
): (text: string) => string {
  const secrets = new Set<string>()
  const add = (value: string | undefined): void => {
    if (value !== undefined && value.length >= 4) {
      secrets.add(value)
      const decoded = safeDecode(value)
      if (decoded.length >= 4) secrets.add(decoded)
      secrets.add(encodeURIComponent(decoded))
    }
  }
  try {
    const u = new URL(url)
    add(u.password)
    for (const [name, value] of u.searchParams) {
      if (SECRET_NAME.test(name) || value.length >= 20) add(value)
    }
  } catch {
    // an unparsable URL is reported without its query anyway
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_NAME.test(name)) continue
    add(value)
    const scheme = /^\S+\s+(\S.*)$/.exec(value)
    if (scheme) add(scheme[1])
  }
  const ordered = [...secrets].sort((a, b) => b.length - a.length)
  return (text) => ordered.reduce((acc, s) => acc.split(s).join(MASK), text)
}

/** A URL as reasons may quote it: no userinfo, no query, no fragment. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return url.replace(/[?#].*$/s, '').replace(/\/\/[^/@]*@/, '//')
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * `ws` stops reading at the frame header of an oversized message and says
 * only "Max payload size exceeded"; the declared length it has read is on
 * its receiver, which we read defensively so the reason can name the size.
 */
export function oversizeReason(socket: unknown, max: number): string {
  const receiver = field(socket, '_receiver')
  const compressed = field(receiver, '_compressed') === true
  const total = field(receiver, '_totalPayloadLength')
  const limit = formatBytes(max)
  if (!compressed && typeof total === 'number' && total > max) {
    const fragmented = Boolean(field(receiver, '_fragmented'))
    const size = `${fragmented ? 'at least ' : ''}${formatBytes(total)}`
    return `message of ${size} exceeds max ${limit}`
  }
  return `message exceeds max ${limit}`
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
  target: string
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
      reason: `TLS error with ${target}: ${excerpt(detail, 100)}`,
      error: true
    }
  }
  const text = detail || 'unknown error'
  return {
    reason: `connection to ${target} failed: ${excerpt(text, 100)}`,
    error: true
  }
}

function field(obj: unknown, key: string): unknown {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
    return undefined
  }
  try {
    return (obj as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}
