/**
 * Expectations on an HTTP answer: pure functions from the answer to a list of
 * one-line mismatch reasons. Kept apart from the transport so that every rule
 * (status classes, JSON subset, paths, conditions) is tested without sockets,
 * and so the WebSocket probe can reuse the JSON subset match.
 */
import { isDeepStrictEqual } from 'node:util'
import type { HttpExpect, PathAssertion, StringMatch } from './types.js'
import {
  compareOp,
  parseDuration,
  parsePercent,
  type Condition,
  type Quantity
} from '../config/units.js'
import { formatDuration, formatPercent } from '../kernel/format.js'

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

const MAX_SHOWN = 60

/** Masks secrets; applied to values before they are shortened for display. */
export type Redact = (s: string) => string
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
    if (typeof re === 'string') out.push(re)
    else if (!re.test(answer.body)) {
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
  if (typeof re === 'string') return re
  if (re.test(actual)) return undefined
  return `header '${name}': ${quote(actual, redact)} does not match /${match.regex}/`
}

function compile(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern)
  } catch {
    return `invalid regex '${pattern}'`
  }
}

type Result<T> = { ok: true; value: T } | { ok: false; error: string }

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

/** A short, quoted rendering of any JSON value for a one-line reason. */
export function formatValue(v: unknown, redact: Redact = identity): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (typeof v === 'string') return quote(v, redact)
  if (typeof v === 'object') {
    // Small structures read best as JSON; large ones only by their shape.
    const json = redact(JSON.stringify(v))
    if (json.length <= MAX_SHOWN) return json
    if (Array.isArray(v)) return `an array of ${v.length}`
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return kindOf(v)
}

function quote(s: string, redact: Redact): string {
  const flat = redact(s).replace(/\s+/g, ' ')
  const cut = flat.length > MAX_SHOWN ? `${flat.slice(0, MAX_SHOWN)}…` : flat
  return `'${cut}'`
}

function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  return `a ${typeof v}`
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`
}

/**
 * Subset match, the way users write expectations: every key given must be
 * there and match recursively, arrays match element by element at the same
 * index, and primitives are strictly equal (`'1'` is not `1`), so a version
 * check cannot pass on a coincidence of types. Returns the first mismatch.
 */
export function jsonSubsetMismatch(
  expected: unknown,
  actual: unknown,
  path = 'json',
  redact: Redact = identity
): string | undefined {
  const show = (v: unknown): string => formatValue(v, redact)
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      return `${path}: expected an array, got ${show(actual)}`
    }
    for (let i = 0; i < expected.length; i++) {
      if (i >= actual.length) {
        return `${path}[${i}]: missing (array has ${actual.length} elements)`
      }
      const r = jsonSubsetMismatch(
        expected[i],
        actual[i],
        `${path}[${i}]`,
        redact
      )
      if (r) return r
    }
    return undefined
  }
  if (expected !== null && typeof expected === 'object') {
    if (
      actual === null ||
      typeof actual !== 'object' ||
      Array.isArray(actual)
    ) {
      return `${path}: expected an object, got ${show(actual)}`
    }
    const obj = actual as Record<string, unknown>
    for (const [key, want] of Object.entries(expected)) {
      const p = childPath(path, key)
      if (!Object.hasOwn(obj, key)) return `${p}: missing`
      const r = jsonSubsetMismatch(want, obj[key], p, redact)
      if (r) return r
    }
    return undefined
  }
  if (expected === actual) return undefined
  const types =
    actual !== null && typeof actual === typeof expected
      ? ''
      : ` (${kindOf(actual)})`
  return `${path}: expected ${show(expected)}, got ${show(actual)}${types}`
}

type Segment = string | number

/** Splits `data.items[0].id` (optionally `$.`-prefixed) into segments. */
export function parsePath(path: string): Segment[] | undefined {
  const s = path.trim().replace(/^\$\.?/, '')
  if (s === '') return []
  const out: Segment[] = []
  const re = /(?:^|\.)([^.[\]]+)|\[(\d+)\]/y
  let pos = 0
  while (pos < s.length) {
    re.lastIndex = pos
    const m = re.exec(s)
    if (!m) return undefined
    out.push(m[1] !== undefined ? m[1] : Number(m[2]))
    pos = re.lastIndex
  }
  return out
}

function renderPath(segments: Segment[]): string {
  let p = 'json'
  for (const s of segments) {
    p = typeof s === 'number' ? `${p}[${s}]` : childPath(p, s)
  }
  return p
}

/** Follows a parsed path; `found: false` when any step is absent. */
export function lookup(
  value: unknown,
  segments: Segment[]
): { found: true; value: unknown } | { found: false } {
  let cur = value
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s >= cur.length) return { found: false }
      cur = cur[s] as unknown
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) {
        return { found: false }
      }
      const obj = cur as Record<string, unknown>
      if (!Object.hasOwn(obj, s)) return { found: false }
      cur = obj[s]
    }
  }
  return { found: true, value: cur }
}

/**
 * One path assertion. With only a path given it asserts presence, since a
 * path alone in a config reads as "this must be there".
 */
export function checkPath(
  a: PathAssertion,
  value: unknown,
  redact: Redact = identity
): string | undefined {
  const show = (v: unknown): string => formatValue(v, redact)
  const segments = parsePath(a.path)
  if (!segments) return `invalid path '${a.path}'`
  const where = renderPath(segments)
  const hit = lookup(value, segments)
  const onlyPresence =
    a.equals === undefined && a.regex === undefined && !a.condition
  const mustExist = a.exists ?? true
  if (!hit.found) {
    return mustExist || !onlyPresence ? `${where}: missing` : undefined
  }
  if (a.exists === false) {
    return `${where}: expected absent, got ${show(hit.value)}`
  }
  const v = hit.value
  if (a.equals !== undefined && !isDeepStrictEqual(a.equals, v)) {
    return `${where}: expected ${show(a.equals)}, got ${show(v)}`
  }
  if (a.regex !== undefined) {
    const re = compile(a.regex)
    if (typeof re === 'string') return re
    if (
      typeof v !== 'string' &&
      typeof v !== 'number' &&
      typeof v !== 'boolean'
    ) {
      return `${where}: expected a string matching /${a.regex}/, got ${show(v)}`
    }
    if (!re.test(String(v))) {
      return `${where}: ${show(v)} does not match /${a.regex}/`
    }
  }
  if (a.condition) {
    const r = checkValueCondition(a.condition, v, redact)
    if (r) return `${where}: ${r}`
  }
  return undefined
}

function fixedOperand(c: Condition): Quantity | string {
  if (
    c.kind === 'growth' ||
    c.operand.kind === 'baseline-ratio' ||
    c.operand.kind === 'baseline-plus'
  ) {
    return `condition '${c.text}' needs a baseline, not usable in a probe`
  }
  return c.operand
}

/**
 * A JSON value against a condition, in the condition's own unit: numbers for
 * plain values, milliseconds for durations (a number, or a string like
 * `150ms`), a ratio for percentages (a number like 0.05, or `5%`).
 */
export function checkValueCondition(
  c: Condition,
  v: unknown,
  redact: Redact = identity
): string | undefined {
  const show = (x: unknown): string => formatValue(x, redact)
  const operand = fixedOperand(c)
  if (typeof operand === 'string') return operand
  const op = c.kind === 'compare' ? c.op : '=='
  switch (operand.kind) {
    case 'number': {
      if (typeof v !== 'number') {
        return `expected a number, got ${show(v)}`
      }
      return compareOp(op, v, operand.value)
        ? undefined
        : `${v}, expected ${c.text}`
    }
    case 'duration': {
      const ms = asQuantity(v, parseDuration)
      if (ms === undefined) {
        return `expected a duration, got ${show(v)}`
      }
      return compareOp(op, ms, operand.ms)
        ? undefined
        : `${formatDuration(ms)}, expected ${c.text}`
    }
    case 'percent': {
      const ratio = asQuantity(v, parsePercent)
      if (ratio === undefined) {
        return `expected a percentage, got ${show(v)}`
      }
      return compareOp(op, ratio, operand.ratio)
        ? undefined
        : `${formatPercent(ratio)}, expected ${c.text}`
    }
  }
}

function asQuantity(
  v: unknown,
  parse: (s: string) => { ok: true; value: number } | { ok: false }
): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v !== 'string') return undefined
  const p = parse(v)
  return p.ok ? p.value : undefined
}

/**
 * The total time of an attempt against a latency condition; a bare number
 * counts as milliseconds because that is the only unit latency has.
 */
export function checkLatency(c: Condition, ms: number): string | undefined {
  const operand = fixedOperand(c)
  if (typeof operand === 'string') return operand
  if (operand.kind === 'percent' || c.kind !== 'compare') {
    return `latency condition '${c.text}' must compare a duration`
  }
  const bound = operand.kind === 'number' ? operand.value : operand.ms
  if (compareOp(c.op, ms, bound)) return undefined
  return `latency ${formatDuration(ms)}, expected ${c.text}`
}
