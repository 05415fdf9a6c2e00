/**
 * Two judges the real one is measured against (bench/judge-vs-fixed.ts);
 * neither is used to decide a rollout.
 *
 * - {@link NaiveJudge}: at every look after min-samples, compare the point
 *   estimate with the condition and fail when it holds. It looks right and
 *   is wrong: every look is another chance for noise to cross the line, so
 *   a healthy canary fails far more often than the threshold suggests.
 * - {@link FixedIntervalJudge}: Flagger's analysis loop: every interval
 *   (1m) a check judges the samples of that interval; the canary fails
 *   after `threshold` (5) failed checks. Few false fails, slow detection.
 *
 * Both judge built-in metrics from probe samples only (external readings
 * and trends are out of scope for the comparison).
 */
import type { MetricConfig } from '../config/schema.js'
import type { Condition } from '../config/units.js'
import { evaluate } from './conditions.js'
import {
  builtinOf,
  judgeMetrics,
  TrackStats,
  type Builtin,
  type JudgeMetric
} from './measure.js'
import { formatDuration } from '../kernel/format.js'
import type { ProbeSample } from '../kernel/sample.js'
import type { Finding, Track } from '../kernel/verdict.js'
import type { LookResult } from './outcome.js'
import { formatValue, verdictLine } from './wording.js'

export interface NaiveOptions {
  metrics: JudgeMetric[] | Record<string, MetricConfig>
  /** Samples per track before any check counts. Default 20. */
  minSamples?: number
  hasBaseline?: boolean
}

interface PointCheck {
  name: string
  builtin: Builtin
  condition: Condition
  relative: boolean
}

function pointChecks(metrics: NaiveOptions['metrics']): PointCheck[] {
  const list = Array.isArray(metrics) ? metrics : judgeMetrics(metrics)
  const out: PointCheck[] = []
  for (const m of list) {
    const b = m.source === 'probes' ? builtinOf(m.name) : undefined
    if (!b) continue
    for (const c of m.fail) {
      if (c.kind !== 'compare') continue
      out.push({
        name: m.name,
        builtin: b,
        condition: c,
        relative:
          c.operand.kind === 'baseline-ratio' ||
          c.operand.kind === 'baseline-plus'
      })
    }
  }
  // Rates are cheap to compute: check them before percentiles.
  return out.sort(
    (a, b) =>
      (a.builtin.type === 'rate' ? 0 : 1) - (b.builtin.type === 'rate' ? 0 : 1)
  )
}

/**
 * The point-estimate verdict of one condition on these stats: a finding
 * when breached, `undefined` when not, `'no-data'` below min-samples.
 */
function pointBreach(
  c: PointCheck,
  can: TrackStats,
  base: TrackStats | undefined,
  minSamples: number
): Finding | 'no-data' | undefined {
  if (can.count(c.builtin) < minSamples) return 'no-data'
  if (c.relative && (!base || base.count(c.builtin) < minSamples)) {
    return 'no-data'
  }
  const value = can.value(c.builtin)
  const baseline = c.relative && base ? base.value(c.builtin) : undefined
  const ev = evaluate(c.condition, value, baseline)
  if (!ev?.breached) return undefined
  const kind = c.builtin.type === 'rate' ? 'rate' : 'latency'
  const n = {
    canary: can.count(c.builtin),
    ...(c.relative && base ? { baseline: base.count(c.builtin) } : {})
  }
  const shown = formatValue(value, kind)
  const shownBase =
    baseline === undefined ? undefined : formatValue(baseline, kind)
  return {
    name: c.name,
    level: 'fail',
    value: shown,
    ...(shownBase === undefined ? {} : { baseline: shownBase }),
    condition: c.condition.text,
    n,
    reason: verdictLine({
      metric: c.name,
      value: shown,
      condition: c.condition,
      breached: true,
      ...(shownBase === undefined ? {} : { baseline: shownBase }),
      n
    })
  }
}

/** Fails at the first look whose cumulative point estimate breaches. */
export class NaiveJudge {
  readonly minSamples: number
  private readonly checks: PointCheck[]
  private readonly canary: TrackStats
  private readonly baseline: TrackStats | undefined
  private decided: LookResult | undefined

  constructor(options: NaiveOptions) {
    this.minSamples = options.minSamples ?? 20
    this.checks = pointChecks(options.metrics)
    this.canary = new TrackStats()
    this.baseline = options.hasBaseline ? new TrackStats() : undefined
  }

  addSample(track: Track, sample: ProbeSample, _at: number): void {
    const t = track === 'canary' ? this.canary : this.baseline
    if (!t) throw new RangeError('there is no baseline track')
    t.add(sample)
  }

  look(_at: number): LookResult {
    if (this.decided) return this.decided
    for (const c of this.checks) {
      const f = pointBreach(c, this.canary, this.baseline, this.minSamples)
      if (f && f !== 'no-data') {
        this.decided = { decision: 'fail', findings: [f] }
        return this.decided
      }
    }
    return { decision: 'continue', findings: [] }
  }
}

export interface FixedIntervalOptions extends NaiveOptions {
  /** Time between checks; each judges only its own interval. Default 1m. */
  intervalMs?: number
  /** Failed checks that fail the canary (Flagger's `threshold`). Default 5. */
  threshold?: number
}

/**
 * Flagger-style: a check every `intervalMs` on that interval's samples; a
 * check fails when any fail condition holds or data is missing; the canary
 * fails at `threshold` failed checks (not necessarily in a row).
 */
export class FixedIntervalJudge {
  readonly intervalMs: number
  readonly threshold: number
  readonly minSamples: number
  private readonly checks: PointCheck[]
  private readonly canary: TrackStats
  private readonly baseline: TrackStats | undefined
  private nextCheckAt: number | undefined
  private failedChecks = 0
  private checksRun = 0
  private decided: LookResult | undefined

  constructor(options: FixedIntervalOptions) {
    this.intervalMs = options.intervalMs ?? 60_000
    this.threshold = options.threshold ?? 5
    this.minSamples = options.minSamples ?? 20
    this.checks = pointChecks(options.metrics)
    this.canary = new TrackStats()
    this.baseline = options.hasBaseline ? new TrackStats() : undefined
  }

  /** Failed checks so far. */
  get failed(): number {
    return this.failedChecks
  }

  addSample(track: Track, sample: ProbeSample, at: number): void {
    const t = track === 'canary' ? this.canary : this.baseline
    if (!t) throw new RangeError('there is no baseline track')
    this.nextCheckAt ??= at + this.intervalMs
    t.add(sample)
  }

  look(at: number): LookResult {
    if (this.decided) return this.decided
    while (this.nextCheckAt !== undefined && at >= this.nextCheckAt) {
      this.nextCheckAt += this.intervalMs
      const f = this.check()
      if (this.failedChecks >= this.threshold) {
        const why = f ? `; last: ${f.reason}` : ''
        this.decided = {
          decision: 'fail',
          findings: [
            {
              name: f?.name ?? 'checks',
              level: 'fail',
              reason: `${this.failedChecks} of ${this.checksRun} checks of ${formatDuration(this.intervalMs)} failed (threshold ${this.threshold})${why}`
            }
          ]
        }
        return this.decided
      }
    }
    return { decision: 'continue', findings: [] }
  }

  private check(): Finding | undefined {
    this.checksRun++
    let failure: Finding | undefined
    let failed = false
    for (const c of this.checks) {
      const f = pointBreach(c, this.canary, this.baseline, this.minSamples)
      if (!f) continue
      failed = true
      if (f !== 'no-data') {
        failure = f
        break
      }
    }
    if (failed) this.failedChecks++
    this.canary.reset()
    this.baseline?.reset()
    return failure
  }
}
