/**
 * Expectations on an HTTP answer: pure functions from the answer to a list of
 * one-line mismatch reasons. Kept apart from the transport so that every rule
 * (status classes, headers, body, JSON, latency) is tested without sockets.
 */
import {
  checkPath,
  compile,
  fixedOperand,
  jsonSubsetMismatch,
  quote,
  type Redact
} from './json-expect.js'
import type { HttpExpect, StringMatch } from './types.js'
import { compareOp, type Condition } from '../config/units.js'
import { formatDuration } from '../kernel/format.js'
import type { Result } from '../kernel/result.js'

/** What the transport observed, reduced to what expectations look at. */
export interface HttpAnswer {
  status: number
  /** Response headers with lower-case names, as undici returns them. */
  headers: Record<string, string | string[] | undefined>
  /** The kept part of the body, decoded as UTF-8. */
  body: string
  /** Bytes kept for matching (at most max-body-bytes). */
  keptBytes: number
  /** True when the body was longer than what was kept. */
  truncated: boolean
  /** Total time of the attempt, for the latency condition. */
  latencyMs: number
}

/** Used when a spec says nothing about status: a probe wants a success. */
export const DEFAULT_STATUS: readonly string[] = ['2xx']

const identity: Redact = (s) => s

/**
 * Checks every expectation and returns the mismatches, first the most basic
 * one. A wrong status stops there: judging the JSON of an error page only adds
 * noise to the one line a user reads.
 */
export function checkHttpExpect(
  expect: HttpExpect,
  answer: HttpAnswer,
  redact: Redact = identity
): string[] {
  const out: string[] = []
  const status = checkStatus(expect.status ?? DEFAULT_STATUS, answer.status)
  if (status) return [status]

  for (const [name, match] of Object.entries(expect.headers ?? {})) {
    const r = checkHeader(name, match, answer.headers, redact)
    if (r) out.push(r)
  }

  const checked = answer.truncated
    ? ` (first ${answer.keptBytes} bytes checked)`
    : ''
  for (const needle of expect.body?.contains ?? []) {
    if (!answer.body.includes(needle)) {
      out.push(`body does not contain ${quote(needle, redact)}${checked}`)
    }
  }
  for (const needle of expect.body?.notContains ?? []) {
    if (answer.body.includes(needle)) {
      out.push(`body contains ${quote(needle, redact)}`)
    }
  }
  for (const pattern of expect.body?.regex ?? []) {
    const re = compile(pattern)
    if (!re.ok) out.push(re.error)
    else if (!re.value.test(answer.body)) {
      out.push(`body does not match /${pattern}/${checked}`)
    }
  }

  const paths = expect.paths ?? []
  if (expect.json !== undefined || paths.length > 0) {
    const parsed = parseJsonBody(answer)
    if (!parsed.ok) out.push(parsed.error)
    else {
      if (expect.json !== undefined) {
        const r = jsonSubsetMismatch(expect.json, parsed.value, 'json', redact)
        if (r) out.push(r)
      }
      for (const p of paths) {
        const r = checkPath(p, parsed.value, redact)
        if (r) out.push(r)
      }
    }
  }

  if (expect.latency) {
    const r = checkLatency(expect.latency, answer.latencyMs)
    if (r) out.push(r)
  }
  return out
}

/** True when the status equals a listed code or falls in a class (`2xx`). */
export function statusMatches(
  expected: readonly (number | string)[],
  status: number
): boolean {
  return expected.some((e) => {
    if (typeof e === 'number') return e === status
    const s = e.trim().toLowerCase()
    const cls = /^([1-5])xx$/.exec(s)
    if (cls) return Math.floor(status / 100) === Number(cls[1])
    return /^\d{3}$/.test(s) && Number(s) === status
  })
}

function checkStatus(
  expected: readonly (number | string)[],
  status: number
): string | undefined {
  if (statusMatches(expected, status)) return undefined
  return `expected status ${expected.join(' or ')}, got ${status}`
}

function headerValue(
  headers: HttpAnswer['headers'],
  name: string
): string | undefined {
  const v = headers[name.toLowerCase()]
  if (v === undefined) return undefined
  return Array.isArray(v) ? v.join(', ') : v
}

function checkHeader(
  name: string,
  match: StringMatch,
  headers: HttpAnswer['headers'],
  redact: Redact
): string | undefined {
  const actual = headerValue(headers, name)
  if (actual === undefined) return `header '${name}' missing`
  if ('equals' in match) {
    if (actual.trim() === match.equals.trim()) return undefined
    return `header '${name}': expected ${quote(match.equals, redact)}, got ${quote(actual, redact)}`
  }
  const re = compile(match.regex)
  if (!re.ok) return re.error
  if (re.value.test(actual)) return undefined
  return `header '${name}': ${quote(actual, redact)} does not match /${match.regex}/`
}

function parseJsonBody(answer: HttpAnswer): Result<unknown> {
  if (answer.truncated) {
    return {
      ok: false,
      error: `body is larger than max-body-bytes (${answer.keptBytes}), JSON not checked`
    }
  }
  if (answer.body.trim() === '') {
    return { ok: false, error: 'body is empty, expected JSON' }
  }
  try {
    return { ok: true, value: JSON.parse(answer.body) as unknown }
  } catch (err) {
    // Engine messages quote the body itself; keep only the position.
    const pos = /position (\d+)/.exec(String(err))
    const at = pos ? ` (at position ${pos[1]})` : ''
    return { ok: false, error: `body is not valid JSON${at}` }
  }
}

/**
 * The total time of an attempt against a latency condition; a bare number
 * counts as milliseconds because that is the only unit latency has.
 */
export function checkLatency(c: Condition, ms: number): string | undefined {
  const fixed = fixedOperand(c)
  if (!fixed.ok) return fixed.error
  const operand = fixed.value
  if (operand.kind === 'percent' || c.kind !== 'compare') {
    return `latency condition '${c.text}' must compare a duration`
  }
  const bound = operand.kind === 'number' ? operand.value : operand.ms
  if (compareOp(c.op, ms, bound)) return undefined
  return `latency ${formatDuration(ms)}, expected ${c.text}`
}
