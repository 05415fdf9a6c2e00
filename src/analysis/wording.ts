/**
 * How verdicts read: every value, condition and reason line the judge
 * writes, such as `p95 412ms > 2x baseline (180ms), n=1,204/1,198`, the
 * words for missing data and source errors, what the samples could have
 * detected, and the reason of the bake's verdict. One place, so the same
 * thing always reads the same way.
 */
import type { Condition, Op } from '../config/units.js'
import { parseDuration } from '../config/units.js'
import { formatCount, formatLatency, formatPercent } from '../kernel/format.js'
import type { Finding } from '../kernel/verdict.js'
import { HOUR_MS, type GrowthCondition, type ValueKind } from './conditions.js'
import type { LatencyOf } from './latencies.js'
import type { Check, Measured } from './methods/method.js'
import type { Side } from './sequential.js'

/** Rates as in verdicts: `7.0%`, `0.52%`, `0.012%`. */
export function formatRate(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio)
  const p = ratio * 100
  if (p === 0) return '0.0%'
  const a = Math.abs(p)
  if (a >= 1) return `${p.toFixed(1)}%`
  if (a >= 0.1) return `${p.toFixed(2)}%`
  return `${Number(p.toPrecision(2))}%`
}

/** Plain values with three significant digits: `0.612`, `72.5`, `1,204`. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Math.abs(v) >= 1000) return formatCount(v)
  return String(Number(v.toPrecision(3)))
}

export function formatValue(v: number, kind: ValueKind): string {
  if (kind === 'rate') return formatRate(v)
  if (kind === 'latency') return formatLatency(v)
  return formatNumber(v)
}

/**
 * A growth ratio in the period the condition was written with: `8.3%/h`
 * for `growth > 5%/h`, `12.0%/d` for `growth > 10%/d`.
 */
export function formatGrowth(ratioPerHour: number, c: GrowthCondition): string {
  const unit = /\/\s*(\S+)$/.exec(c.text)?.[1] ?? 'h'
  const period = parseDuration(/^[hmd]$/.test(unit) ? `1${unit}` : unit)
  const ms = period.ok && period.value > 0 ? period.value : HOUR_MS
  return `${formatRate((ratioPerHour * ms) / HOUR_MS)}/${unit}`
}

/** `n=1,204/1,198` (canary/baseline) or `n=100`. */
export function formatN(n: { canary: number; baseline?: number }): string {
  return n.baseline === undefined
    ? `n=${formatCount(n.canary)}`
    : `n=${formatCount(n.canary)}/${formatCount(n.baseline)}`
}

const NEGATED: Record<Op, string> = {
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
  '==': '!='
}

/**
 * The condition as written when it holds, with the operator negated when it
 * does not: `> 2x baseline` / `<= 2x baseline`.
 */
export function conditionText(c: Condition, breached: boolean): string {
  if (breached) return c.text
  if (c.kind === 'growth') {
    return c.text.replace(/^growth\s*(<=|>=|==|<|>)/, `growth ${NEGATED[c.op]}`)
  }
  const rest = c.text.slice(c.op.length).trim()
  return `${NEGATED[c.op]} ${rest}`
}

export interface VerdictParts {
  metric: string
  /** Formatted measured value. */
  value: string
  condition: Condition
  breached: boolean
  /** Formatted baseline value, for relative conditions. */
  baseline?: string
  n: { canary: number; baseline?: number }
}

/**
 * The one line every verdict is: value vs condition with n, e.g.
 * `p95 412ms > 2x baseline (180ms), n=1,204/1,198` or
 * `error-rate 7.0% > 5%, n=100`.
 */
export function verdictLine(p: VerdictParts): string {
  const cond = conditionText(p.condition, p.breached)
  const base = p.baseline === undefined ? '' : ` (${p.baseline})`
  if (p.condition.kind === 'growth') {
    const bare = cond.replace(/^growth\s*/, '')
    return `${p.metric} growth ${p.value} ${bare}, ${formatN(p.n)}`
  }
  return `${p.metric} ${p.value} ${cond}${base}, ${formatN(p.n)}`
}

/** A ratio of rates or latencies: `2.3x`, `12.5x`. */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return `${r}x`
  return `${Number(r.toPrecision(r >= 10 ? 3 : 2))}x`
}

/**
 * A condition's finding from its measurement; `suffix` says why an early
 * decision is sure, `detectable` what the samples could have caught.
 */
export function findingOf(
  check: Check,
  m: Measured,
  suffix = '',
  detectable?: string
): Finding {
  const name = check.metric.name
  const extra = detectable ? { detectable } : {}
  if (m.status !== 'value') {
    return {
      name,
      level: m.status,
      condition: check.condition.text,
      n: m.n,
      reason: m.reason,
      ...extra
    }
  }
  const value =
    check.condition.kind === 'growth'
      ? formatGrowth(m.value, check.condition)
      : formatValue(m.value, check.kind)
  const baseline =
    m.baseline === undefined ? undefined : formatValue(m.baseline, check.kind)
  const line = verdictLine({
    metric: name,
    value,
    condition: check.condition,
    breached: m.breached,
    ...(baseline === undefined ? {} : { baseline }),
    n: m.n
  })
  return {
    name,
    level: m.breached ? check.level : 'ok',
    value,
    ...(baseline === undefined ? {} : { baseline }),
    condition: check.condition.text,
    n: m.n,
    reason: `${line}${suffix}`,
    ...extra
  }
}

/** Why an early decision of a sequential test is sure: ` (sure at 99%)`. */
export function sureAt(
  condition: Condition,
  m: Measured,
  confidence: number
): string {
  const ratio =
    condition.kind === 'compare' &&
    condition.operand.kind === 'baseline-ratio' &&
    m.status === 'value' &&
    m.baseline !== undefined &&
    m.baseline > 0
      ? `ratio ${formatRatio(m.value / m.baseline)}; `
      : ''
  return ` (${ratio}sure at ${formatPercent(confidence)})`
}

/** Why a counting rule decided: ` (3 looks in a row)`. */
export function inARow(looks: number): string {
  return ` (${looks} looks in a row)`
}

/** A track with fewer probe samples than a verdict needs. */
export function tooFewSamples(
  metric: string,
  samples: number,
  track: string,
  minSamples: number
): string {
  return `${metric}: ${formatCount(samples)} samples on ${track}, fewer than min-samples ${minSamples}`
}

/** Enough samples, but too few with a latency (transport failures). */
export function tooFewResponses(
  metric: string,
  responses: number,
  samples: number,
  track: string
): string {
  return `${metric}: only ${formatCount(responses)} of ${formatCount(samples)} samples on ${track} got a response`
}

/**
 * Samples on the track, but none of the kind that measures this latency:
 * a `p95` over WebSocket probes only, a `ws-push-p95` without pushes.
 * Undefined when samples of the right kind are there.
 */
export function noLatencies(
  metric: string,
  of: LatencyOf,
  counts: { http: number; ws: number; values: number },
  track: string
): string | undefined {
  const p = metric.slice(metric.lastIndexOf('p'))
  if (of === 'http') {
    if (counts.http > 0) return undefined
    return `${metric}: no HTTP probe samples on ${track}; ${p} is HTTP request latency (WebSocket probes have ws-connect-${p}, ws-first-message-${p}, ws-push-${p})`
  }
  if (counts.ws === 0) {
    return `${metric}: no WebSocket probe samples on ${track}`
  }
  if (counts.values > 0 || of === 'ws-connect') return undefined
  const what =
    of === 'ws-push'
      ? 'pushed-message latencies (a receive after a send or emit, or push-latency.timestamp, gives them)'
      : 'first messages (a receive step gives them)'
  return `${metric}: no ${what} in ${formatCount(counts.ws)} WebSocket probe samples on ${track}`
}

/** A relative condition without a baseline value, or a value that is NaN. */
export function noValueToCompare(metric: string): string {
  return `${metric}: no value to compare`
}

/** Why a metric with a source has no value: what its looks brought. */
export function missingReadings(
  metric: string,
  looks: number,
  valueLooks: number,
  noDataLooks: number,
  errorLooks: number,
  lastError: string,
  lastNoData = ''
): string {
  if (looks === 0) return `${metric}: no readings`
  const parts: string[] = []
  if (noDataLooks > 0) {
    parts.push(
      lastNoData === ''
        ? `no-data ${noDataLooks}`
        : `no-data ${noDataLooks}, last: ${lastNoData}`
    )
  }
  if (errorLooks > 0) parts.push(`errors ${errorLooks}, last: ${lastError}`)
  return `${metric}: no value at ${looks - valueLooks} of ${looks} looks (${parts.join(', ')})`
}

/** A source that errored more than `error-limit` times in a row. */
export function sourceErrored(
  metric: string,
  streak: number,
  lastError: string
): string {
  return `${metric}: source errored ${streak} times in a row (last: ${lastError})`
}

/** A trend of a built-in metric before the canary has min-samples. */
export function trendTooFewSamples(
  metric: string,
  samples: number,
  minSamples: number
): string {
  return `${metric}: ${formatCount(samples)} samples, fewer than min-samples ${minSamples}`
}

/** A trend without enough readings over time. */
export function trendTooShort(metric: string, readings: number): string {
  return `${metric}: ${readings} readings, a trend needs at least 3 over time`
}

const towards = (side: Side): string => (side === 'above' ? '>=' : '<=')
const undetectable = (at: string): string =>
  `could not detect any breach at ${at}`

/** What a rate test could have detected at n samples (`p`: the rate). */
export function detectableRate(
  metric: string,
  side: Side,
  p: number | undefined,
  n: number
): string {
  const at = `n=${formatCount(n)}`
  if (p === undefined) return undetectable(at)
  return `could detect ${metric} ${towards(side)} ${formatRate(p)} at ${at}`
}

/** What a ratio test could have detected with these errors (`k`: ratio). */
export function detectableRatio(
  metric: string,
  side: Side,
  k: number | undefined,
  errors: number
): string {
  const at = `${formatCount(errors)} errors`
  if (k === undefined) return undetectable(at)
  return `could detect ${metric} ${towards(side)} ${formatRatio(k)} baseline with ${at}`
}

/**
 * What an exceedance test could have detected at n samples (`p`: the
 * share of samples above the threshold).
 */
export function detectableQuantile(
  side: Side,
  p: number | undefined,
  thresholdMs: number,
  n: number
): string {
  const at = `n=${formatCount(n)}`
  if (p === undefined) return undetectable(at)
  const threshold = formatLatency(thresholdMs)
  if (side === 'above') {
    const level = Math.floor((1 - p) * 1000) / 10
    return `could detect p${level} > ${threshold} at ${at}`
  }
  return `could detect <= ${formatRate(p)} of samples above ${threshold} at ${at}`
}

/** What a paired sign test could have detected (`p`: share of pairs). */
export function detectablePairs(
  condition: Condition,
  side: Side,
  p: number | undefined,
  pairs: number
): string {
  const at = `n=${formatCount(pairs)} pairs`
  if (p === undefined) return undetectable(at)
  return `could detect canary ${condition.text} in ${towards(side)} ${formatRate(p)} of pairs at ${at}`
}

/** The first failing finding, and how many more there are. */
export function failedReason(failing: Finding[]): string {
  const more = failing.length > 1 ? ` (+${failing.length - 1} more)` : ''
  return `${failing[0].reason}${more}`
}

/** Which metrics had no data, when no finding says why. */
export function noDataFor(metrics: string[]): string {
  return `no data for ${metrics.join(', ')}`
}

/** Missing data because a source errored, under `on-no-data: pass`. */
export function neverPassOnErrors(why: string): string {
  return `${why}; source errors are never a pass (on-no-data: pass)`
}

/** Missing data that `on-no-data` turned into a fail or a hold. */
export function inconclusiveReason(why: string, onNoData: string): string {
  return `inconclusive: ${why} (on-no-data: ${onNoData})`
}

/** `, n=1,204/1,198` after a passing reason, when there were samples. */
function samplesOf(total: { canary: number; baseline?: number }): string {
  return total.canary > 0 ? `, ${formatN(total)}` : ''
}

/** A pass with metrics that had no data (`on-no-data: pass`). */
export function passedWithoutData(
  metrics: string[],
  total: { canary: number; baseline?: number }
): string {
  return `${noDataFor(metrics)}; passed (on-no-data: pass)${samplesOf(total)}`
}

/** A pass that a look decided before the end. */
export function passedEarly(
  confidence: number,
  total: { canary: number; baseline?: number }
): string {
  return `passed early: no fail condition holds (sure at ${formatPercent(confidence)})${samplesOf(total)}`
}

/** A pass at the end with more than one condition. */
export function allHeld(
  conditions: number,
  total: { canary: number; baseline?: number }
): string {
  return `all ${conditions} conditions held${samplesOf(total)}`
}
