/**
 * Which method judges each condition, and each fail condition's share of
 * alpha: the one place that knows all the methods.
 */
import type { Condition } from '../../config/units.js'
import { kindForCondition } from '../conditions.js'
import { builtinOf, type Builtin, type JudgeMetric } from '../measure.js'
import type { ReadingSeries } from '../series.js'
import { ExternalMethod } from './external.js'
import { FinalOnlyMethod } from './final-only.js'
import { GrowthMethod } from './growth.js'
import {
  sideOf,
  type Check,
  type Method,
  type MethodName,
  type Settings,
  type Tracks
} from './method.js'
import { PairedQuantileMethod } from './quantile-paired.js'
import { QuantileMethod } from './quantile.js'
import { RateRatioMethod } from './rate-ratio.js'
import { RateMethod } from './rate.js'

/** A condition and the method that judges it. */
export interface ChosenCheck {
  check: Check
  method: MethodName
}

/** Methods with an always-valid early test: they share alpha. */
const TESTED: ReadonlySet<MethodName> = new Set([
  'rate',
  'rate-ratio',
  'quantile',
  'quantile-paired'
])

function methodOf(
  m: JudgeMetric,
  b: Builtin | undefined,
  c: Condition
): MethodName {
  if (c.kind === 'growth') return 'growth'
  if (m.source === 'external' || !b) return 'external'
  if (!sideOf(c.op)) return 'final-only'
  const o = c.operand
  if (b.type === 'rate') {
    if (o.kind === 'baseline-plus') return 'final-only'
    if (o.kind === 'baseline-ratio') {
      return b.indicator === 'error' ? 'rate-ratio' : 'final-only'
    }
    return 'rate'
  }
  if (o.kind === 'baseline-ratio' || o.kind === 'baseline-plus') {
    return 'quantile-paired'
  }
  return 'quantile'
}

/**
 * Every condition of every metric (fail before warn) with its method.
 * Throws on a built-in name that is not one, and on a condition on the
 * baseline without a baseline track.
 */
export function planChecks(
  metrics: JudgeMetric[],
  hasBaseline: boolean
): ChosenCheck[] {
  const planned: ChosenCheck[] = []
  for (const metric of metrics) {
    const builtin =
      metric.source === 'probes' ? builtinOf(metric.name) : undefined
    if (metric.source === 'probes' && !builtin) {
      throw new RangeError(`'${metric.name}' is not a built-in metric`)
    }
    for (const level of ['fail', 'warn'] as const) {
      for (const condition of metric[level]) {
        const relative =
          condition.kind === 'compare' &&
          (condition.operand.kind === 'baseline-ratio' ||
            condition.operand.kind === 'baseline-plus')
        if (relative && !hasBaseline) {
          throw new RangeError(
            `${metric.name}: '${condition.text}' compares with the baseline, but there is no baseline track`
          )
        }
        const kind = builtin
          ? builtin.type === 'rate'
            ? 'rate'
            : 'latency'
          : kindForCondition(condition)
        planned.push({
          check: { metric, builtin, condition, level, kind, relative },
          method: methodOf(metric, builtin, condition)
        })
      }
    }
  }
  return planned
}

/**
 * Whether the tracks must keep each look's latencies: for paired tests
 * and for trends of a latency quantile.
 */
export function keepsLookLatencies(planned: ChosenCheck[]): boolean {
  return planned.some(
    (p) =>
      (p.method === 'quantile-paired' && p.check.level === 'fail') ||
      (p.method === 'growth' && p.check.builtin?.type === 'quantile')
  )
}

/**
 * The methods of the planned checks, in order. Alpha is split equally
 * over the fail conditions with an early test (Bonferroni), so the early
 * false-fail rate of the whole bake stays at or below alpha.
 */
export function createMethods(
  planned: ChosenCheck[],
  tracks: Tracks,
  sources: ReadonlyMap<string, ReadingSeries>,
  settings: Settings
): Method[] {
  const tested = planned.filter(
    (p) => p.check.level === 'fail' && TESTED.has(p.method)
  ).length
  const share = tested > 0 ? settings.alpha / tested : settings.alpha
  return planned.map(({ check, method }) => {
    const alpha = check.level === 'fail' ? share : undefined
    const series = sources.get(check.metric.name)
    if (series) {
      return method === 'growth'
        ? new GrowthMethod(check, { series }, settings)
        : new ExternalMethod(check, series, settings)
    }
    const b = check.builtin
    if (!b) {
      throw new RangeError(
        `'${check.metric.name}' has neither a source nor a value of its own`
      )
    }
    if (method === 'growth') {
      return new GrowthMethod(check, { builtin: b, tracks }, settings)
    }
    if (method === 'final-only') {
      return new FinalOnlyMethod(check, b, tracks, settings)
    }
    if (method === 'rate-ratio') {
      return new RateRatioMethod(check, b, tracks, settings, alpha)
    }
    if (b.type === 'rate') {
      return new RateMethod(check, b, tracks, settings, alpha)
    }
    return method === 'quantile-paired'
      ? new PairedQuantileMethod(check, b, tracks, settings, alpha)
      : new QuantileMethod(check, b, tracks, settings, alpha)
  })
}
