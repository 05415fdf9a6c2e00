/**
 * Conditions against measured values, with their units: where a condition
 * draws its line, whether a value breaches it, and the robust statistics
 * (median, trend) values are read with. Pure: no clock, no I/O. A condition
 * is true when the metric is bad (`fail: '> 5%'`), so "breached" below means
 * "condition true". How verdicts read is src/analysis/wording.ts.
 *
 * Units: rates are ratios (`5%` is 0.05), latencies are milliseconds, plain
 * values are numbers; a percent operand on a plain value is a ratio too
 * (`cpu > 70%` compares the reading with 0.7).
 */
import type { Condition, Quantity } from '../config/units.js'
import { compareOp as compare } from '../config/units.js'

/** `a op b`; `==` is exact, as written in a config. */
export { compare }

/** How a metric's values are shown and what its operands mean. */
export type ValueKind = 'rate' | 'latency' | 'number'

export type CompareCondition = Extract<Condition, { kind: 'compare' }>
export type GrowthCondition = Extract<Condition, { kind: 'growth' }>

/** The number an operand stands for: ms for durations, a ratio for `%`. */
export function quantityValue(q: Quantity): number {
  if (q.kind === 'number') return q.value
  if (q.kind === 'duration') return q.ms
  return q.ratio
}

/**
 * The value a compare condition draws its line at: the operand itself, or
 * `k x baseline`, or `baseline + d`. Undefined when the condition needs a
 * baseline and there is none, so a missing baseline is never read as 0.
 */
export function thresholdOf(
  c: CompareCondition,
  baseline?: number
): number | undefined {
  const o = c.operand
  if (o.kind === 'baseline-ratio') {
    return baseline === undefined ? undefined : o.factor * baseline
  }
  if (o.kind === 'baseline-plus') {
    return baseline === undefined
      ? undefined
      : baseline + quantityValue(o.delta)
  }
  return quantityValue(o)
}

export interface Evaluation {
  breached: boolean
  /** The line the value was compared with (ratio per hour for growth). */
  threshold: number
}

/**
 * Evaluates a condition: for `compare`, `value op threshold`; for growth,
 * `value` is the measured growth ratio per hour (see {@link growth}).
 * Undefined when a relative condition has no baseline value.
 */
export function evaluate(
  c: Condition,
  value: number,
  baseline?: number
): Evaluation | undefined {
  if (c.kind === 'growth') {
    return {
      breached: compare(c.op, value, c.ratioPerHour),
      threshold: c.ratioPerHour
    }
  }
  const threshold = thresholdOf(c, baseline)
  if (threshold === undefined || Number.isNaN(value)) return undefined
  return { breached: compare(c.op, value, threshold), threshold }
}

/** Median of a copy; NaN when empty. */
export function median(values: ArrayLike<number>): number {
  const n = values.length
  if (n === 0) return NaN
  const s = Float64Array.from(values).sort()
  const mid = n >> 1
  return n % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export interface Growth {
  /** Theil–Sen slope divided by the fitted level at the first reading. */
  ratioPerHour: number
  /** Theil–Sen slope in value units per hour. */
  slopePerHour: number
  /** The fitted line's value at the first reading's time. */
  level: number
  n: number
}

export const HOUR_MS = 3_600_000
/** Above this many readings, block medians keep Theil–Sen at ~125k pairs. */
const MAX_GROWTH_POINTS = 500

/**
 * A trend that one spike or a few bad scrapes cannot fake: the Theil–Sen
 * slope (median of all pairwise slopes; robust to ~29% outliers), relative
 * to the fitted level at the start, so `growth > 5%/h` reads as "grows by
 * more than 5% of where it started, per hour". Undefined with fewer than 3
 * readings or no time span.
 */
export function growth(
  times: ArrayLike<number>,
  values: ArrayLike<number>
): Growth | undefined {
  let t: Float64Array<ArrayBufferLike> = Float64Array.from(times)
  let v: Float64Array<ArrayBufferLike> = Float64Array.from(values)
  const n = Math.min(t.length, v.length)
  if (n < 3) return undefined
  if (n > MAX_GROWTH_POINTS) {
    const blocks = blockMedians(t.subarray(0, n), v.subarray(0, n))
    t = blocks.t
    v = blocks.v
  }
  const m = Math.min(t.length, v.length)
  const slopes = new Float64Array((m * (m - 1)) / 2)
  let k = 0
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const dt = t[j] - t[i]
      if (dt !== 0) slopes[k++] = (v[j] - v[i]) / dt
    }
  }
  if (k === 0) return undefined
  const slope = median(slopes.subarray(0, k))
  const residuals = new Float64Array(m)
  for (let i = 0; i < m; i++) residuals[i] = v[i] - slope * (t[i] - t[0])
  let level = median(residuals)
  if (!(level > 0)) level = Math.abs(median(v))
  const slopePerHour = slope * HOUR_MS
  const ratioPerHour =
    level > 0
      ? slopePerHour / level
      : slopePerHour === 0
        ? 0
        : Math.sign(slopePerHour) * Infinity
  return { ratioPerHour, slopePerHour, level, n }
}

function blockMedians(
  t: Float64Array,
  v: Float64Array
): { t: Float64Array; v: Float64Array } {
  const size = Math.ceil(t.length / MAX_GROWTH_POINTS)
  const count = Math.ceil(t.length / size)
  const bt = new Float64Array(count)
  const bv = new Float64Array(count)
  for (let b = 0; b < count; b++) {
    const from = b * size
    const to = Math.min(t.length, from + size)
    bt[b] = median(t.subarray(from, to))
    bv[b] = median(v.subarray(from, to))
  }
  return { t: bt, v: bv }
}

/**
 * How a value is shown for a plain (external) metric: as a rate when the
 * condition compares with a percentage, as a latency against a duration.
 */
export function kindForCondition(c: Condition): ValueKind {
  if (c.kind === 'compare') {
    const o = c.operand
    const q = o.kind === 'baseline-plus' ? o.delta : o
    if (q.kind === 'percent') return 'rate'
    if (q.kind === 'duration') return 'latency'
  }
  return 'number'
}
