/**
 * The one interface every way of judging a condition implements, and what
 * all of them are given: the condition, the judge's settings, the samples.
 */
import type { Condition, Op } from '../../config/units.js'
import type { ProbeSample } from '../../kernel/sample.js'
import type { Finding } from '../../kernel/verdict.js'
import type { ValueKind } from '../conditions.js'
import type { Builtin, JudgeMetric, TrackStats } from '../measure.js'
import type { Side } from '../sequential.js'

/** How a condition is judged; docs/analysis.md has one section for each. */
export type MethodName =
  | 'rate'
  | 'rate-ratio'
  | 'quantile'
  | 'quantile-paired'
  | 'external'
  | 'growth'
  | 'final-only'

/** One condition of one metric, as written in the config. */
export interface Check {
  metric: JudgeMetric
  /** What a built-in metric computes; undefined for metrics with a source. */
  builtin?: Builtin
  condition: Condition
  level: 'warn' | 'fail'
  /** How the metric's values are shown. */
  kind: ValueKind
  /** Compares with the baseline: `> 2x baseline`, `> baseline + 50ms`. */
  relative: boolean
}

/** The judge's settings every method reads. */
export interface Settings {
  /** 1 - confidence: the whole budget for early decisions. */
  alpha: number
  confidence: number
  minSamples: number
  decideEarly: boolean
  /** Breaching (or clear) looks in a row that decide a source metric. */
  breachLooks: number
  /** Alternatives in each mixture test. */
  gridSize: number
}

/** The probe samples of each track. */
export interface Tracks {
  canary: TrackStats
  baseline?: TrackStats
}

/** A condition's metric measured now: a value, or why there is none. */
export type Measured =
  | {
      status: 'value'
      value: number
      baseline?: number
      breached: boolean
      n: { canary: number; baseline?: number }
    }
  | {
      status: 'no-data' | 'error'
      reason: string
      n: { canary: number; baseline?: number }
    }

/**
 * One condition under one method, through a bake's phases. The judge calls
 * `look` once per look (before the tracks start the next look), `clear`
 * only when it may pass early, and `final` at the end.
 */
export interface Method {
  readonly name: MethodName
  readonly check: Check
  /** Share of alpha of this condition's early fail test, when it has one. */
  readonly alpha?: number
  /** True when `clear` is costly, so an early pass tries it last. */
  readonly costlyClear: boolean
  /** One canary sample that got a response (for counts per look). */
  observe?(sample: ProbeSample): void
  /** This look's data; a `fail` finding when it makes a breach sure. */
  look(at: number): Finding | undefined
  /** The finding when the condition is surely not breached now. */
  clear(): Finding | undefined
  /**
   * The finding at the end: the early fail if there was one, else the
   * measured value against the condition; undefined when the metric's
   * source already failed it.
   */
  final(): Finding | undefined
}

/** Which way a breach goes: `above` for `>` and `>=`. */
export function sideOf(op: Op): Side | undefined {
  if (op === '>' || op === '>=') return 'above'
  if (op === '<' || op === '<=') return 'below'
  return undefined
}
