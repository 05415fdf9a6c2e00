/**
 * Matching of WebSocket and Socket.IO messages against the `json`, `regex`,
 * `event` and `data` of a step, plus the small text helpers that turn a
 * message or a size into a one-line reason. Pure: no sockets, no clock.
 * The URL and connection-error helpers the WebSocket and load probes quote
 * with are the HTTP client's, re-exported here for them.
 */
import type { Result } from '../kernel/result.js'
import type { WsMatch } from './types.js'
import { field } from '../http/connection-errors.js'

export { credentialScrubber, displayUrl } from '../http/scrub.js'
export { excerpt, transportFailure } from '../http/connection-errors.js'

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
export function compileMatcher(match: WsMatch): Result<MessageMatcher> {
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
