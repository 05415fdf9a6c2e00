/**
 * Building blocks of the config schema. Each field parses its own units and
 * reports errors that quote the bad value, so the loader only has to add the
 * file position.
 */
import { z } from 'zod'
import {
  DURATION_PATTERN,
  MAX_DURATION_MS,
  MAX_DURATION_TEXT,
  parseCondition,
  parseDuration,
  parsePercent,
  parseSize,
  type Condition
} from './units.js'
import { suggest } from './suggest.js'

/** Renders a YAML value the way the user wrote it, for "got '...'" texts. */
export function show(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  const text =
    typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${show(value)}`
}

const typed = (
  what: string
): { error: (iss: { input?: unknown }) => string } => ({
  error: (iss: { input?: unknown }): string =>
    iss.input === undefined
      ? 'is required'
      : `expected ${what}, got ${typeName(iss.input)}`
})

/** A non-empty string. */
export const text = (what = 'a string'): z.ZodString =>
  z.string(typed(what)).min(1, { error: 'must not be empty' })

/** Unknown keys per mapping that get a "did you mean" (errors are capped). */
const SUGGESTED_KEYS = 20

/**
 * A mapping that rejects unknown keys with a "did you mean", since a typo in
 * a rollout config (`bkae:`) must never silently disable a safeguard.
 */
export function obj<S extends z.ZodRawShape>(shape: S): z.ZodObject<S> {
  const known = Object.keys(shape)
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        // One line per unknown key, in the order of iss.keys (see load.ts).
        // Only the first few are shown, so only they get a suggestion.
        return iss.keys
          .map((k, i) => {
            const near = i < SUGGESTED_KEYS ? suggest(k, known) : undefined
            return `unknown key '${k}'${near ? ` (did you mean '${near}'?)` : ''}`
          })
          .join('\n')
      }
      return iss.input === undefined
        ? 'is required'
        : `expected a mapping, got ${typeName(iss.input)}`
    }
  })
}

/** A whole number within bounds, with the bounds in the message. */
export const intBetween = (lo: number, hi: number): z.ZodNumber => {
  // One message per value: 1e20 fails `int` (it is past the integers a
  // double holds exactly) but is out of range, not a fraction.
  const between = {
    error: (iss: { input?: unknown }): string =>
      `must be between ${lo} and ${hi}, got ${show(iss.input)}`
  }
  return z
    .number(typed('a number'))
    .int({
      error: (iss) =>
        Number.isInteger(iss.input)
          ? between.error(iss)
          : `must be a whole number, got ${show(iss.input)}`,
      abort: true
    })
    .min(lo, between)
    .max(hi, between)
}

/**
 * Durations such as `5m` or `1h30m`, as milliseconds, at least `floor` and
 * at most what a timer can wait: a longer one would fire at once.
 */
export const duration = (
  floor = 0
): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> =>
  z
    .string(typed("a duration like '30s'"))
    .regex(new RegExp(DURATION_PATTERN), {
      error: (iss) =>
        `invalid duration ${show(iss.input)} (use e.g. 500ms, 10s, 5m, 1h30m)`
    })
    .transform((s, ctx) => {
      const r = parseDuration(s)
      let error = r.ok ? undefined : r.error
      if (r.ok && r.value > MAX_DURATION_MS) {
        error = `duration ${show(s)} is longer than the longest wait a timer can hold (${MAX_DURATION_TEXT})`
      } else if (r.ok && r.value < floor) {
        error = `must be at least ${floor}ms, got ${show(s)}`
      }
      if (r.ok && error === undefined) return r.value
      ctx.addIssue({ code: 'custom', message: error ?? '', input: s })
      return z.NEVER
    })

/**
 * How often a probe or a source is polled: at least 100ms, so a typo such
 * as `0s` cannot send hundreds of requests a second to the service.
 */
export const INTERVAL_FLOOR_MS = 100
export const interval = (): ReturnType<typeof duration> =>
  duration(INTERVAL_FLOOR_MS)

/** Percentages such as `95%`, as a ratio. */
export const percent = (): z.ZodPipe<
  z.ZodString,
  z.ZodTransform<number, string>
> =>
  z.string(typed("a percentage like '95%'")).transform((s, ctx) => {
    const r = parsePercent(s)
    if (r.ok) return r.value
    ctx.addIssue({ code: 'custom', message: r.error, input: s })
    return z.NEVER
  })

/** Sizes such as `1MiB`, as bytes. */
export const size = (): z.ZodPipe<
  z.ZodString,
  z.ZodTransform<number, string>
> =>
  z.string(typed("a size like '1MiB'")).transform((s, ctx) => {
    const r = parseSize(s)
    if (r.ok) return r.value
    ctx.addIssue({ code: 'custom', message: r.error, input: s })
    return z.NEVER
  })

/** Multiples such as `2x` or `1.5x`, within bounds, as a number. */
export const multiple = (
  lo: number,
  hi: number
): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> =>
  z
    .string(typed("a multiple like '2x'"))
    .regex(/^\d+(\.\d+)?x$/, {
      error: (iss) =>
        `invalid multiple ${show(iss.input)} (use e.g. 2x or 1.5x)`
    })
    .transform((s, ctx) => {
      const n = Number(s.slice(0, -1))
      if (n >= lo && n <= hi) return n
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${lo}x and ${hi}x, got ${show(s)}`,
        input: s
      })
      return z.NEVER
    })

/** Conditions such as `> 5%` or `> 2x baseline`, parsed. */
export const condition = (): z.ZodPipe<
  z.ZodString,
  z.ZodTransform<Condition, string>
> =>
  z.string(typed("a condition like '> 5%'")).transform((s, ctx) => {
    const r = parseCondition(s)
    if (r.ok) return r.value
    ctx.addIssue({ code: 'custom', message: r.error, input: s })
    return z.NEVER
  })

/** A pass-rate style condition: `>= 95%`. */
export const percentCondition = (): z.ZodPipe<
  z.ZodString,
  z.ZodTransform<Condition, string>
> =>
  z.string(typed("a condition like '>= 95%'")).transform((s, ctx) => {
    const r = parseCondition(s)
    if (
      r.ok &&
      r.value.kind === 'compare' &&
      r.value.operand.kind === 'percent'
    )
      return r.value
    ctx.addIssue({
      code: 'custom',
      message: `invalid condition ${show(s)} (use a percentage, e.g. '>= 95%')`,
      input: s
    })
    return z.NEVER
  })

/** Names of probes, vars, metrics: safe in paths, env names and reports. */
export const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/

export const name = (what: string): z.ZodString =>
  z.string(typed(`a ${what} name`)).regex(NAME, {
    error: (iss) =>
      `invalid ${what} name ${show(iss.input)} (letters, digits, '-' and '_', starting with a letter)`
  })

/** Either one item or a list of them, always a list after parsing. */
export const oneOrMany = <T extends z.ZodType>(
  item: T
): z.ZodType<z.output<T>[], z.input<T> | z.input<T>[]> =>
  z
    .union([item, z.array(item)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[])

/** Any JSON-like value (for subset matches and request bodies). */
export const json = (): z.ZodType<unknown> =>
  z.unknown().refine((v) => v !== undefined, { error: 'is required' })
