/**
 * Units are strings we parse ourselves, never YAML's guesses: `interval: yes`
 * must be an error, not `true`, and `bake: 5 mins` must not silently become 5.
 * Every parser returns a value or a one-line reason that quotes the input.
 */

import { fail, ok, type Result } from '../kernel/result.js'

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000
}
const UNIT_ORDER = ['d', 'h', 'm', 's', 'ms']
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y

/**
 * The longest wait a Node timer holds (2^31 - 1 ms, about 24.8 days); a
 * longer one fires at once, which would end a bake or a timeout early.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1
/** MAX_DURATION_MS rounded down to the minute, as users write it. */
export const MAX_DURATION_TEXT = '24d20h31m'

/** A pattern editors can check before the loader does (JSON Schema). */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$'

/**
 * Durations are written `500ms`, `10s`, `5m`, `1h30m`, `2d`: units in
 * descending order, no spaces, so a typo never shrinks a bake to nothing.
 */
export function parseDuration(text: string): Result<number> {
  const s = text.trim()
  const hint = `invalid duration '${text}' (use e.g. 500ms, 10s, 5m, 1h30m)`
  if (s === '') return fail(hint)
  let total = 0
  let pos = 0
  let lastUnit = -1
  while (pos < s.length) {
    DURATION_PART.lastIndex = pos
    const m = DURATION_PART.exec(s)
    if (!m) return fail(hint)
    const unitIndex = UNIT_ORDER.indexOf(m[2])
    if (unitIndex <= lastUnit) return fail(hint)
    lastUnit = unitIndex
    total += Number(m[1]) * UNIT_MS[m[2]]
    pos = DURATION_PART.lastIndex
  }
  return ok(Math.round(total))
}

/** Percentages are `5%` or `99.9%`; the value is the ratio (0.05). */
export function parsePercent(text: string): Result<number> {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim())
  if (!m) return fail(`invalid percentage '${text}' (use e.g. 5% or 99.9%)`)
  const n = Number(m[1])
  if (n > 100) return fail(`percentage '${text}' is above 100%`)
  return ok(Number((n / 100).toPrecision(12)))
}

export type Op = '<' | '<=' | '>' | '>=' | '=='
const OPS: readonly Op[] = ['<=', '>=', '==', '<', '>']

/** A plain measured quantity: what probes, metrics and conditions compare. */
export type Quantity =
  | { kind: 'number'; value: number }
  | { kind: 'duration'; ms: number }
  | { kind: 'percent'; ratio: number }

export type Operand =
  | Quantity
  | { kind: 'baseline-ratio'; factor: number }
  | { kind: 'baseline-plus'; delta: Quantity }

export type Condition =
  | { kind: 'compare'; op: Op; operand: Operand; text: string }
  | { kind: 'growth'; op: Op; ratioPerHour: number; text: string }

const NUMBER = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i

/** Parses a bare value: a number, a duration or a percentage. */
export function parseQuantity(text: string): Result<Quantity> {
  const s = text.trim()
  if (NUMBER.test(s)) return ok({ kind: 'number', value: Number(s) })
  if (s.endsWith('%')) {
    const p = parsePercent(s)
    return p.ok ? ok({ kind: 'percent', ratio: p.value }) : p
  }
  const d = parseDuration(s)
  if (d.ok) return ok({ kind: 'duration', ms: d.value })
  return fail(
    `invalid value '${text}' (use a number, a duration like 200ms or a percentage like 5%)`
  )
}

function splitOp(s: string): { op: Op; rest: string } | undefined {
  for (const op of OPS) {
    if (s.startsWith(op)) return { op, rest: s.slice(op.length).trim() }
  }
  return undefined
}

const GROWTH = /^growth\s*(<=|>=|==|<|>)\s*(\d+(?:\.\d+)?)%\s*\/\s*(\S+)$/

/**
 * Conditions read `<op> <value>`: `> 5%`, `< 500ms`, `> 2x baseline`,
 * `> baseline + 50ms`, or for trends `growth > 5%/h`. Keeping them strings
 * makes a config read like the checklist it replaces.
 */
export function parseCondition(text: string): Result<Condition> {
  const s = text.trim()
  const usage = `invalid condition '${text}' (use '<op> <value>' with < <= > >= ==, e.g. '> 5%', '< 500ms', '> 2x baseline', 'growth > 5%/h')`
  const g = GROWTH.exec(s)
  if (g) {
    const per = g[3] === 'h' || g[3] === 'm' || g[3] === 'd' ? `1${g[3]}` : g[3]
    const window = parseDuration(per)
    if (!window.ok || window.value === 0) {
      return fail(`invalid trend period '${g[3]}' in '${text}' (use %/h)`)
    }
    const ratio = Number(g[2]) / 100
    return ok({
      kind: 'growth',
      op: g[1] as Op,
      ratioPerHour: (ratio * 3_600_000) / window.value,
      text: s
    })
  }
  if (s.startsWith('growth')) return fail(usage)
  const head = splitOp(s)
  if (!head || head.rest === '') return fail(usage)
  const { op, rest } = head
  const ratio = /^(\d+(?:\.\d+)?)\s*x\s+baseline$/.exec(rest)
  if (ratio) {
    return ok({
      kind: 'compare',
      op,
      operand: { kind: 'baseline-ratio', factor: Number(ratio[1]) },
      text: s
    })
  }
  const plus = /^baseline\s*\+\s*(.+)$/.exec(rest)
  if (plus) {
    const delta = parseQuantity(plus[1])
    if (!delta.ok) return fail(usage)
    return ok({
      kind: 'compare',
      op,
      operand: { kind: 'baseline-plus', delta: delta.value },
      text: s
    })
  }
  if (/baseline/.test(rest)) return fail(usage)
  const q = parseQuantity(rest)
  if (!q.ok) return fail(usage)
  return ok({ kind: 'compare', op, operand: q.value, text: s })
}

/** True when a condition's value depends on the baseline track. */
export function isRelative(c: Condition): boolean {
  return (
    c.kind === 'compare' &&
    (c.operand.kind === 'baseline-ratio' || c.operand.kind === 'baseline-plus')
  )
}

/** The kind of quantity a condition compares against, if it says. */
export function operandKind(c: Condition): Quantity['kind'] | undefined {
  if (c.kind === 'growth') return 'percent'
  if (c.operand.kind === 'baseline-ratio') return undefined
  if (c.operand.kind === 'baseline-plus') return c.operand.delta.kind
  return c.operand.kind
}

/** Sizes such as `1MiB` or `64KB`, for message and body caps. */
export function parseSize(text: string): Result<number> {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)$/.exec(text.trim())
  if (!m) return fail(`invalid size '${text}' (use e.g. 64KiB or 1MiB)`)
  const mult: Record<string, number> = {
    B: 1,
    KB: 1000,
    KiB: 1024,
    MB: 1e6,
    MiB: 1024 ** 2,
    GB: 1e9,
    GiB: 1024 ** 3
  }
  return ok(Math.round(Number(m[1]) * mult[m[2]]))
}

/** Applies a comparison operator: `a op b`. */
export function compareOp(op: Op, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
    case '==':
      return a === b
  }
}
