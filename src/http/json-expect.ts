/**
 * Expectations on a JSON value: the subset match, path assertions and value
 * conditions of an HTTP answer's body, each mismatch one short line with
 * values shown masked and cut.
 */
import { isDeepStrictEqual } from 'node:util'
import type { PathAssertion } from './types.js'
import {
  compareOp,
  parseDuration,
  parsePercent,
  type Condition,
  type Quantity
} from '../config/units.js'
import { formatDuration, formatPercent } from '../kernel/format.js'
import { parsePath, readPath, type PathSegment } from '../kernel/jsonpath.js'
import { fail, ok, type Result } from '../kernel/result.js'
import { preview } from '../redact/preview.js'

const MAX_SHOWN = 60

/** Masks secrets; applied to values before they are shortened for display. */
export type Redact = (s: string) => string
const identity: Redact = (s) => s

/** A pattern of the config as a RegExp, or the reason it is not one. */
export function compile(pattern: string): Result<RegExp> {
  try {
    return ok(new RegExp(pattern))
  } catch {
    return fail(`invalid regex '${pattern}'`)
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

/** A string in quotes, masked and cut to one short line. */
export function quote(s: string, redact: Redact): string {
  return `'${preview(s, MAX_SHOWN + 1, redact, { oneLine: true })}'`
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

function renderPath(segments: PathSegment[]): string {
  let p = 'json'
  for (const s of segments) {
    p = typeof s === 'number' ? `${p}[${s}]` : childPath(p, s)
  }
  return p
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
  const parsed = parsePath(a.path)
  if (!parsed.ok) return parsed.error
  const segments = parsed.value
  const where = renderPath(segments)
  const hit = readPath(value, segments)
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
    const compiled = compile(a.regex)
    if (!compiled.ok) return compiled.error
    const re = compiled.value
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

/** The fixed operand of a condition, or why a probe cannot use it. */
export function fixedOperand(c: Condition): Result<Quantity> {
  if (
    c.kind === 'growth' ||
    c.operand.kind === 'baseline-ratio' ||
    c.operand.kind === 'baseline-plus'
  ) {
    return fail(`condition '${c.text}' needs a baseline, not usable in a probe`)
  }
  return ok(c.operand)
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
  const fixed = fixedOperand(c)
  if (!fixed.ok) return fixed.error
  const operand = fixed.value
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
