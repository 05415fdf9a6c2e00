/**
 * The judge of one bake or soak (DESIGN.md §5): it is fed probe samples
 * and metric readings, looked at every interval, and decides. Pure: no
 * I/O, no clock; callers pass the times.
 *
 * - During the bake it fails early only when an always-valid test is sure
 *   a `fail` condition is breached (and the measured value agrees), so the
 *   false-fail rate of early decisions stays at or below 1 - confidence at
 *   every look; alpha is split over the fail conditions (Bonferroni). With
 *   `decideEarly` it passes early when sure no fail condition holds.
 * - At the end it decides as users expect: the measured value against the
 *   condition, with fewer than `minSamples` per track inconclusive.
 *
 * docs/analysis.md describes each method and its guarantee.
 */
import type { MetricConfig } from '../config/schema.js'
import type { Condition, Op } from '../config/units.js'
import {
  compare,
  evaluate,
  formatGrowth,
  formatN,
  formatRate,
  formatValue,
  growth,
  kindForCondition,
  median,
  quantityValue,
  verdictLine,
  type ValueKind
} from './conditions.js'
import {
  builtinOf,
  judgeMetrics,
  TrackStats,
  type Builtin,
  type JudgeMetric
} from './measure.js'
import { MixtureTest, quantileRanks, type Side } from './sequential.js'
import { formatPercent } from '../kernel/format.js'
import type { MetricReading } from '../kernel/reading.js'
import { formatCount, formatLatency } from '../kernel/format.js'
import type { ProbeSample } from '../kernel/sample.js'
import type { Finding, Outcome, Track } from '../kernel/verdict.js'

export type OnNoData = 'fail' | 'pass' | 'hold'

export interface JudgeOptions {
  /** The metrics to judge, as a config section or already resolved. */
  metrics: JudgeMetric[] | Record<string, MetricConfig>
  /** Confidence of early decisions; alpha = 1 - confidence. Default 0.99. */
  confidence?: number
  /** Probe samples per track needed for a verdict. Default 20. */
  minSamples?: number
  /** Also pass early once sure no fail condition holds. Default false. */
  decideEarly?: boolean
  /** More source errors in a row than this fail the metric. Default 4. */
  errorLimit?: number
  /** What an inconclusive verdict becomes. Default 'fail'. */
  onNoData?: OnNoData
  /** Whether a baseline track is measured. Default false. */
  hasBaseline?: boolean
  /** Breaching looks in a row that fail an external metric early. Default 3. */
  breachLooks?: number
  /** Alternatives in each mixture test. Default 32. */
  gridSize?: number
}

export type Decision = 'continue' | 'fail' | 'pass'

export interface LookResult {
  decision: Decision
  /** Why, when the decision is not `continue` (then it is empty). */
  findings: Finding[]
}

export interface FinalResult {
  /**
   * The verdict, with `onNoData` already applied to missing data (so never
   * `inconclusive`; see `inconclusive` for which metrics lacked data).
   */
  outcome: Extract<Outcome, 'passed' | 'warned' | 'failed' | 'held'>
  reason: string
  findings: Finding[]
  /** Metrics without enough data (the outcome applied `onNoData`). */
  inconclusive: string[]
  /** Set when a look decided before the end. */
  early?: { decision: 'fail' | 'pass'; at: number }
}

/** How a condition is judged; docs/analysis.md has one section for each. */
export type Method =
  | 'rate'
  | 'rate-ratio'
  | 'quantile'
  | 'quantile-paired'
  | 'external'
  | 'growth'
  | 'final-only'

/** One condition's plan: the method and its share of alpha. */
export interface PlannedCheck {
  metric: string
  level: 'warn' | 'fail'
  condition: string
  method: Method
  /** Alpha of this condition's early tests (fail conditions with a test). */
  alpha?: number
}

export interface TrackLive {
  n: number
  errorRate?: number
  p95Ms?: number
}

export interface LiveValues {
  canary: TrackLive
  baseline?: TrackLive
  /** Current numeric value of each metric per track. */
  metrics: Record<string, { canary?: number; baseline?: number }>
  /** For progress lines: `{ 'error-rate': '0.4% / 0.3%' }` (canary / baseline). */
  values: Record<string, string>
}

interface Check {
  metric: JudgeMetric
  builtin?: Builtin
  condition: Condition
  level: 'warn' | 'fail'
  method: Method
  kind: ValueKind
  relative: boolean
  alpha?: number
  failTest?: MixtureTest
  passTest?: MixtureTest
  /** Which way a breach goes, for tests: `above` for > and >=. */
  side?: Side
  /** quantile: the absolute threshold, and this look's exceedances. */
  threshold: number
  lookExceed: number
  /** growth of a built-in metric: one value per look. */
  seriesT: number[]
  seriesV: number[]
  /** external: breaching / clear looks with a value, in a row. */
  breachRun: number
  clearRun: number
  early?: Finding
}

interface ExternalState {
  metric: JudgeMetric
  checks: Check[]
  needsBaseline: boolean
  pending: { canary?: MetricReading; baseline?: MetricReading }
  canary: number[]
  baseline: number[]
  times: number[]
  streak: { canary: number; baseline: number }
  lastError: string
  looks: number
  valueLooks: number
  noDataLooks: number
  errorLooks: number
  last: { canary?: number; baseline?: number }
  failed?: Finding
}

type Measured =
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

const DEFAULTS = {
  confidence: 0.99,
  minSamples: 20,
  errorLimit: 4,
  breachLooks: 3,
  gridSize: 32
}

function sideOf(op: Op): Side | undefined {
  if (op === '>' || op === '>=') return 'above'
  if (op === '<' || op === '<=') return 'below'
  return undefined
}

const flip = (s: Side): Side => (s === 'above' ? 'below' : 'above')

function methodOf(
  m: JudgeMetric,
  b: Builtin | undefined,
  c: Condition
): Method {
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

/** The canary value a relative latency condition compares with: f(b). */
function relativeLine(c: Condition, b: number): number {
  if (c.kind !== 'compare') return NaN
  const o = c.operand
  if (o.kind === 'baseline-ratio') return o.factor * b
  if (o.kind === 'baseline-plus') return b + quantityValue(o.delta)
  return quantityValue(o)
}

export class Judge {
  readonly confidence: number
  readonly alpha: number
  readonly minSamples: number
  readonly decideEarly: boolean
  readonly errorLimit: number
  readonly onNoData: OnNoData
  readonly hasBaseline: boolean
  readonly breachLooks: number
  private readonly gridSize: number
  private readonly metrics: JudgeMetric[]
  private readonly checks: Check[] = []
  private readonly canaryExceed: Check[] = []
  private readonly externals = new Map<string, ExternalState>()
  private readonly tracks: { canary: TrackStats; baseline?: TrackStats }
  private readonly builtinGrowth: Check[] = []
  private readonly pairedChecks: Check[] = []
  private decision: Decision = 'continue'
  private decidedAt = 0
  private decisionFindings: Finding[] = []

  constructor(options: JudgeOptions) {
    this.confidence = options.confidence ?? DEFAULTS.confidence
    if (!(this.confidence > 0 && this.confidence < 1)) {
      throw new RangeError(
        `confidence must be between 0% and 100%, got '${this.confidence}'`
      )
    }
    this.alpha = 1 - this.confidence
    this.minSamples = options.minSamples ?? DEFAULTS.minSamples
    this.decideEarly = options.decideEarly ?? false
    this.errorLimit = options.errorLimit ?? DEFAULTS.errorLimit
    this.onNoData = options.onNoData ?? 'fail'
    this.hasBaseline = options.hasBaseline ?? false
    this.breachLooks = options.breachLooks ?? DEFAULTS.breachLooks
    this.gridSize = options.gridSize ?? DEFAULTS.gridSize
    this.metrics = Array.isArray(options.metrics)
      ? options.metrics
      : judgeMetrics(options.metrics)

    for (const m of this.metrics) {
      const b = m.source === 'probes' ? builtinOf(m.name) : undefined
      if (m.source === 'probes' && !b) {
        throw new RangeError(`'${m.name}' is not a built-in metric`)
      }
      for (const level of ['fail', 'warn'] as const) {
        for (const c of m[level]) {
          const relative =
            c.kind === 'compare' &&
            (c.operand.kind === 'baseline-ratio' ||
              c.operand.kind === 'baseline-plus')
          if (relative && !this.hasBaseline) {
            throw new RangeError(
              `${m.name}: '${c.text}' compares with the baseline, but there is no baseline track`
            )
          }
          this.checks.push({
            metric: m,
            builtin: b,
            condition: c,
            level,
            method: methodOf(m, b, c),
            kind: b
              ? b.type === 'rate'
                ? 'rate'
                : 'latency'
              : kindForCondition(c),
            relative,
            threshold:
              b?.type === 'quantile' && !relative ? relativeLine(c, NaN) : NaN,
            lookExceed: 0,
            seriesT: [],
            seriesV: [],
            breachRun: 0,
            clearRun: 0
          })
        }
      }
    }

    const tested = this.checks.filter(
      (c) => c.level === 'fail' && this.hasTest(c.method)
    )
    const share = tested.length > 0 ? this.alpha / tested.length : this.alpha
    for (const c of tested) this.setUpTests(c, share)

    for (const c of this.checks) {
      if (c.method === 'quantile' && c.level === 'fail') {
        this.canaryExceed.push(c)
      }
      if (c.method === 'quantile-paired' && c.level === 'fail') {
        this.pairedChecks.push(c)
      }
      if (c.method === 'growth' && c.builtin) this.builtinGrowth.push(c)
    }
    const keepLook =
      this.pairedChecks.length > 0 ||
      this.builtinGrowth.some((c) => c.builtin?.type === 'quantile')
    this.tracks = {
      canary: new TrackStats(keepLook),
      baseline: this.hasBaseline ? new TrackStats(keepLook) : undefined
    }
    for (const m of this.metrics) {
      if (m.source !== 'external') continue
      const checks = this.checks.filter((c) => c.metric === m)
      this.externals.set(m.name, {
        metric: m,
        checks,
        needsBaseline: checks.some((c) => c.relative),
        pending: {},
        canary: [],
        baseline: [],
        times: [],
        streak: { canary: 0, baseline: 0 },
        lastError: '',
        looks: 0,
        valueLooks: 0,
        noDataLooks: 0,
        errorLooks: 0,
        last: {}
      })
    }
  }

  /** Each condition's method and its share of alpha (Bonferroni). */
  plan(): PlannedCheck[] {
    return this.checks.map((c) => ({
      metric: c.metric.name,
      level: c.level,
      condition: c.condition.text,
      method: c.method,
      ...(c.alpha === undefined ? {} : { alpha: c.alpha })
    }))
  }

  /**
   * One probe sample of a track. Samples are grouped by look, not by time,
   * so `at` (when it was taken) is accepted for symmetry and not needed.
   */
  addSample(track: Track, sample: ProbeSample, _at: number): void {
    const stats = this.trackStats(track)
    stats.add(sample)
    if (track !== 'canary' || sample.error === true) return
    const ms = sample.timings.totalMs
    for (const c of this.canaryExceed) if (ms > c.threshold) c.lookExceed++
  }

  /** One reading of an external metric; the last one before a look counts. */
  addReading(metric: string, track: Track, reading: MetricReading): void {
    const ext = this.externals.get(metric)
    if (!ext) throw new RangeError(`'${metric}' is not a metric with a source`)
    if (track === 'baseline' && !this.hasBaseline) {
      throw new RangeError('there is no baseline track')
    }
    ext.pending[track] = reading
  }

  /**
   * A look: feeds this interval's counts to the tests, then decides. Once a
   * look decided `fail` or `pass`, every later look returns the same.
   */
  look(at: number): LookResult {
    if (this.decision !== 'continue') {
      return { decision: this.decision, findings: this.decisionFindings }
    }
    this.feedTests()
    const externalFails = this.lookExternals()
    this.recordGrowth(at)
    this.tracks.canary.endLook()
    this.tracks.baseline?.endLook()
    for (const c of this.checks) c.lookExceed = 0

    const fails: Finding[] = [...externalFails]
    for (const c of this.checks) {
      if (!c.failTest) continue
      c.failTest.rejects()
      if (this.decideEarly) c.passTest?.rejects()
      if (!c.failTest.rejected) continue
      const m = this.measure(c, false)
      if (m.status !== 'value' || !m.breached) continue
      c.early = this.finding(c, m, true)
      fails.push(c.early)
    }
    if (fails.length > 0) return this.decide('fail', fails, at)
    if (this.decideEarly) {
      const passed = this.earlyPass()
      if (passed) return this.decide('pass', passed, at)
    }
    return { decision: 'continue', findings: [] }
  }

  /**
   * The verdict at the end of the bake: each condition against its
   * measured value, or the early decision if a look made one.
   */
  final(_at: number): FinalResult {
    const findings: Finding[] = []
    const inconclusive = new Set<string>()
    let errored = false
    for (const ext of this.externals.values()) {
      if (ext.failed) findings.push(ext.failed)
    }
    for (const c of this.checks) {
      if (c.early) {
        findings.push(c.early)
        continue
      }
      const ext = this.externals.get(c.metric.name)
      if (ext?.failed) continue
      const m = this.measure(c, true)
      if (m.status !== 'value') {
        inconclusive.add(c.metric.name)
        if (m.status === 'error') errored = true
      }
      findings.push(this.finding(c, m, false))
    }
    const early =
      this.decision === 'continue'
        ? undefined
        : { decision: this.decision, at: this.decidedAt }
    const result = (
      outcome: FinalResult['outcome'],
      reason: string
    ): FinalResult => ({
      outcome,
      reason,
      findings,
      inconclusive: [...inconclusive],
      ...(early ? { early } : {})
    })

    const failing = findings.filter(
      (f) =>
        f.level === 'fail' || (f.level === 'error' && !inconclusive.has(f.name))
    )
    if (this.decision === 'fail' || failing.length > 0) {
      const first = this.decision === 'fail' ? this.decisionFindings : failing
      const more = first.length > 1 ? ` (+${first.length - 1} more)` : ''
      return result('failed', `${first[0].reason}${more}`)
    }
    if (inconclusive.size > 0) {
      const f = findings.find(
        (x) => x.level === 'no-data' || x.level === 'error'
      )
      const why = f?.reason ?? `no data for ${[...inconclusive].join(', ')}`
      if (errored && this.onNoData === 'pass') {
        return result(
          'failed',
          `${why}; source errors are never a pass (on-no-data: pass)`
        )
      }
      const mapped =
        this.onNoData === 'fail'
          ? 'failed'
          : this.onNoData === 'hold'
            ? 'held'
            : undefined
      if (mapped) {
        return result(
          mapped,
          `inconclusive: ${why} (on-no-data: ${this.onNoData})`
        )
      }
    }
    const warn = findings.find((f) => f.level === 'warn')
    if (warn) return result('warned', warn.reason)
    const total = this.nNow()
    const n = total.canary > 0 ? `, ${formatN(total)}` : ''
    if (inconclusive.size > 0) {
      return result(
        'passed',
        `no data for ${[...inconclusive].join(', ')}; passed (on-no-data: pass)${n}`
      )
    }
    if (this.decision === 'pass') {
      return result(
        'passed',
        `passed early: no fail condition holds (sure at ${formatPercent(this.confidence)})${n}`
      )
    }
    if (findings.length === 1) return result('passed', findings[0].reason)
    return result('passed', `all ${findings.length} conditions held${n}`)
  }

  /** Current values per metric and track, for progress lines and the chart. */
  live(): LiveValues {
    const track = (t: TrackStats): TrackLive => ({
      n: t.n,
      ...(t.n > 0 ? { errorRate: t.rate('error') } : {}),
      ...(t.latN > 0 ? { p95Ms: t.quantile(0.95) } : {})
    })
    const out: LiveValues = {
      canary: track(this.tracks.canary),
      ...(this.tracks.baseline
        ? { baseline: track(this.tracks.baseline) }
        : {}),
      metrics: {},
      values: {}
    }
    for (const m of this.metrics) {
      const b = m.source === 'probes' ? builtinOf(m.name) : undefined
      const ext = this.externals.get(m.name)
      const value = (t: Track): number | undefined => {
        if (b) {
          const stats = this.tracks[t]
          if (!stats || stats.count(b) === 0) return undefined
          return stats.value(b)
        }
        return ext?.last[t]
      }
      const kind: ValueKind = b
        ? b.type === 'rate'
          ? 'rate'
          : 'latency'
        : m.fail.length + m.warn.length > 0
          ? kindForCondition(m.fail[0] ?? m.warn[0])
          : 'number'
      const c = value('canary')
      const bl = this.hasBaseline ? value('baseline') : undefined
      out.metrics[m.name] = {
        ...(c === undefined ? {} : { canary: c }),
        ...(bl === undefined ? {} : { baseline: bl })
      }
      const show = (v: number | undefined): string =>
        v === undefined ? 'n/a' : formatValue(v, kind)
      out.values[m.name] = this.hasBaseline
        ? `${show(c)} / ${show(bl)}`
        : show(c)
    }
    return out
  }

  /** The progress-line values of {@link live}: `{ p95: '412ms / 180ms' }`. */
  liveText(): Record<string, string> {
    return this.live().values
  }

  private hasTest(method: Method): boolean {
    return (
      method === 'rate' ||
      method === 'rate-ratio' ||
      method === 'quantile' ||
      method === 'quantile-paired'
    )
  }

  /**
   * The null rate of a condition's test and the side a breach lies on:
   * the threshold for rates, k/(1+k) for `k x baseline` on errors, 1 - q
   * for exceedances of a quantile's threshold, 1/2 for paired latencies.
   */
  private nullOf(c: Check): { p0: number; side: Side } | undefined {
    if (c.condition.kind !== 'compare') return undefined
    const side = sideOf(c.condition.op)
    if (!side) return undefined
    const o = c.condition.operand
    let p0 = NaN
    if (c.method === 'rate') {
      if (o.kind !== 'baseline-ratio' && o.kind !== 'baseline-plus') {
        p0 = quantityValue(o)
      }
    } else if (c.method === 'rate-ratio') {
      if (o.kind === 'baseline-ratio') p0 = o.factor / (1 + o.factor)
    } else if (c.method === 'quantile' && c.builtin?.type === 'quantile') {
      p0 = 1 - c.builtin.q
    } else if (c.method === 'quantile-paired') {
      p0 = 0.5
    }
    if (Number.isNaN(p0)) return undefined
    return { p0: Math.min(1, Math.max(0, p0)), side }
  }

  private setUpTests(c: Check, alpha: number): void {
    const h0 = this.nullOf(c)
    if (!h0) return
    c.alpha = alpha
    c.side = h0.side
    c.failTest = new MixtureTest(h0.p0, h0.side, alpha, this.gridSize)
    if (this.decideEarly && c.method !== 'quantile-paired') {
      c.passTest = new MixtureTest(h0.p0, flip(h0.side), alpha, this.gridSize)
    }
  }

  private trackStats(track: Track): TrackStats {
    const t = this.tracks[track]
    if (!t) throw new RangeError('there is no baseline track')
    return t
  }

  /** Feeds this look's counts to every early test. */
  private feedTests(): void {
    const can = this.tracks.canary
    const base = this.tracks.baseline
    for (const c of this.checks) {
      if (!c.failTest) continue
      const tests = c.passTest ? [c.failTest, c.passTest] : [c.failTest]
      if (c.method === 'rate' && c.builtin?.type === 'rate') {
        const hits =
          c.builtin.indicator === 'error'
            ? can.lookBad
            : can.lookN - can.lookBad
        for (const t of tests) t.observeCounts(hits, can.lookN)
      } else if (c.method === 'rate-ratio' && base) {
        // Among this look's errors, the canary's share under H0 is at most
        // k·nc/(k·nc + nb): exact when error counts are Poisson.
        const k = c.failTest.p0 / (1 - c.failTest.p0)
        const nc = can.lookN
        const nb = base.lookN
        if (nc === 0 || nb === 0) continue
        const events = can.lookBad + base.lookBad
        const p0 = (k * nc) / (k * nc + nb)
        for (const t of tests) t.observeCounts(can.lookBad, events, p0)
      } else if (c.method === 'quantile') {
        for (const t of tests) t.observeCounts(c.lookExceed, can.lookLatN)
      } else if (c.method === 'quantile-paired' && base) {
        const pairs = Math.min(can.lookLatN, base.lookLatN)
        let wins = 0
        const cl = can.lookLat
        const bl = base.lookLat
        for (let i = 0; i < pairs; i++) {
          if (cl[i] > relativeLine(c.condition, bl[i])) wins++
        }
        c.failTest.observeCounts(wins, pairs)
      }
    }
  }

  /** Readings since the last look: error streaks, breach runs, values. */
  private lookExternals(): Finding[] {
    const fails: Finding[] = []
    for (const ext of this.externals.values()) {
      const { pending } = ext
      if (!pending.canary && !pending.baseline) continue
      ext.pending = {}
      ext.looks++
      const tracks: Track[] = ext.needsBaseline
        ? ['canary', 'baseline']
        : ['canary']
      let status: 'value' | 'no-data' | 'error' = 'value'
      for (const t of tracks) {
        const r = pending[t]
        if (r?.kind === 'error') {
          ext.streak[t]++
          ext.lastError = r.reason
          status = 'error'
        } else {
          ext.streak[t] = 0
          if (r?.kind !== 'value' && status === 'value') status = 'no-data'
        }
      }
      for (const t of ['canary', 'baseline'] as const) {
        const r = pending[t]
        if (r?.kind === 'value') ext.last[t] = r.value
      }
      const streak = Math.max(ext.streak.canary, ext.streak.baseline)
      if (streak > this.errorLimit && !ext.failed) {
        ext.failed = {
          name: ext.metric.name,
          level: 'error',
          reason: `${ext.metric.name}: source errored ${streak} times in a row (last: ${ext.lastError})`
        }
        fails.push(ext.failed)
      }
      if (status === 'error') ext.errorLooks++
      else if (status === 'no-data') ext.noDataLooks++
      if (status !== 'value') continue
      const cv = (pending.canary as { value: number }).value
      const bv = ext.needsBaseline
        ? (pending.baseline as { value: number }).value
        : undefined
      ext.valueLooks++
      ext.canary.push(cv)
      if (bv !== undefined) ext.baseline.push(bv)
      ext.times.push(pending.canary?.at ?? 0)
      for (const c of ext.checks) {
        if (c.method !== 'external') continue
        const ev = evaluate(c.condition, cv, bv)
        if (!ev) continue
        if (ev.breached) {
          c.breachRun++
          c.clearRun = 0
        } else {
          c.clearRun++
          c.breachRun = 0
        }
        if (
          c.level === 'fail' &&
          c.breachRun >= this.breachLooks &&
          !c.early &&
          !ext.failed
        ) {
          const n = {
            canary: ext.valueLooks,
            ...(c.relative ? { baseline: ext.valueLooks } : {})
          }
          const line = verdictLine({
            metric: c.metric.name,
            value: formatValue(cv, c.kind),
            condition: c.condition,
            breached: true,
            ...(bv === undefined ? {} : { baseline: formatValue(bv, c.kind) }),
            n
          })
          c.early = {
            name: c.metric.name,
            level: 'fail',
            value: formatValue(cv, c.kind),
            ...(bv === undefined ? {} : { baseline: formatValue(bv, c.kind) }),
            condition: c.condition.text,
            n,
            reason: `${line} (${c.breachRun} looks in a row)`
          }
          fails.push(c.early)
        }
      }
    }
    return fails
  }

  /** One value per look for growth conditions on built-in metrics. */
  private recordGrowth(at: number): void {
    for (const c of this.builtinGrowth) {
      const v = this.tracks.canary.lookValue(c.builtin!)
      if (Number.isNaN(v)) continue
      c.seriesT.push(at)
      c.seriesV.push(v)
    }
  }

  private decide(
    decision: 'fail' | 'pass',
    findings: Finding[],
    at: number
  ): LookResult {
    this.decision = decision
    this.decidedAt = at
    this.decisionFindings = findings
    return { decision, findings }
  }

  /** Findings when every fail condition is surely not breached; else none. */
  private earlyPass(): Finding[] | undefined {
    const fails = this.checks.filter((c) => c.level === 'fail')
    if (fails.length === 0) return undefined
    const needed: TrackStats[] = [this.tracks.canary]
    if (this.tracks.baseline && fails.some((c) => c.relative)) {
      needed.push(this.tracks.baseline)
    }
    if (
      fails.some((c) => c.builtin) &&
      needed.some((t) => t.n < this.minSamples)
    ) {
      return undefined
    }
    // Cheap tests first; quantile bounds only when everything else is clear.
    const ordered = [
      ...fails.filter((c) => c.method !== 'quantile-paired'),
      ...fails.filter((c) => c.method === 'quantile-paired')
    ]
    const findings: Finding[] = []
    for (const c of ordered) {
      const m = this.clear(c)
      if (!m) return undefined
      findings.push(this.finding(c, m, true))
    }
    return findings
  }

  /** The measurement, when c is surely not breached now; else undefined. */
  private clear(c: Check): Measured | undefined {
    if (
      c.method === 'rate' ||
      c.method === 'rate-ratio' ||
      c.method === 'quantile'
    ) {
      if (!c.passTest?.rejected) return undefined
      const m = this.measure(c, true)
      return m.status === 'value' && !m.breached ? m : undefined
    }
    if (c.method === 'quantile-paired') return this.pairedClear(c)
    if (c.method === 'external') {
      const ext = this.externals.get(c.metric.name)!
      if (c.clearRun < this.breachLooks || ext.failed) return undefined
      if (ext.streak.canary > 0 || ext.streak.baseline > 0) return undefined
      const m = this.measure(c, true)
      return m.status === 'value' && !m.breached ? m : undefined
    }
    return undefined
  }

  /**
   * Early pass for `pXX op f(baseline)`: always-valid order-statistic
   * bounds on both tracks' quantiles (alpha/2 each) show the canary's
   * quantile on the good side of f(baseline's quantile).
   */
  private pairedClear(c: Check): Measured | undefined {
    const base = this.tracks.baseline
    if (!base || c.builtin?.type !== 'quantile' || c.alpha === undefined) {
      return undefined
    }
    if (c.condition.kind !== 'compare') return undefined
    const m = this.measure(c, true)
    if (m.status !== 'value' || m.breached) return undefined
    const can = this.tracks.canary
    const q = c.builtin.q
    const half = c.alpha / 2
    const rc = quantileRanks(can.latN, q, half, this.gridSize)
    const rb = quantileRanks(base.latN, q, half, this.gridSize)
    const at = (t: TrackStats, rank: number | undefined): number =>
      rank === undefined ? NaN : t.quantile(rank / t.latN)
    // HDR reports a bucket's upper end: shave 0.1% off lower bounds.
    const op = c.condition.op
    if (op === '>' || op === '>=') {
      const upperC = at(can, rc.upper)
      const lowerB = at(base, rb.lower) * 0.999
      if (Number.isNaN(upperC) || Number.isNaN(lowerB)) return undefined
      return !compare(op, upperC, relativeLine(c.condition, lowerB))
        ? m
        : undefined
    }
    const lowerC = at(can, rc.lower) * 0.999
    const upperB = at(base, rb.upper)
    if (Number.isNaN(lowerC) || Number.isNaN(upperB)) return undefined
    return !compare(op, lowerC, relativeLine(c.condition, upperB))
      ? m
      : undefined
  }

  private nNow(): { canary: number; baseline?: number } {
    return {
      canary: this.tracks.canary.n,
      ...(this.tracks.baseline ? { baseline: this.tracks.baseline.n } : {})
    }
  }

  /**
   * The measured value of a condition's metric and whether it breaches.
   * `gated`: fewer than minSamples per needed track is no-data (final and
   * early pass); early fails only need a value, as their test decides.
   */
  private measure(c: Check, gated: boolean): Measured {
    const name = c.metric.name
    if (c.method === 'growth') return this.measureGrowth(c)
    const ext = this.externals.get(name)
    if (ext) return this.measureExternal(c, ext)
    const b = c.builtin!
    const can = this.tracks.canary
    const base = c.relative ? this.tracks.baseline : undefined
    const n = {
      canary: can.count(b),
      ...(base ? { baseline: base.count(b) } : {})
    }
    const need = gated ? this.minSamples : 1
    for (const [t, stats] of [
      ['canary', can],
      ['baseline', base]
    ] as const) {
      if (!stats) continue
      const count = stats.count(b)
      if (count >= need) continue
      if (b.type === 'quantile' && stats.n >= need) {
        return {
          status: 'error',
          n,
          reason: `${name}: only ${formatCount(count)} of ${formatCount(stats.n)} samples on ${t} got a response`
        }
      }
      return {
        status: 'no-data',
        n,
        reason: `${name}: ${formatCount(stats.n)} samples on ${t}, fewer than min-samples ${this.minSamples}`
      }
    }
    const value = can.value(b)
    const baseline = base ? base.value(b) : undefined
    const ev = evaluate(c.condition, value, baseline)
    if (!ev) {
      return { status: 'no-data', n, reason: `${name}: no value to compare` }
    }
    return {
      status: 'value',
      value,
      ...(baseline === undefined ? {} : { baseline }),
      breached: ev.breached,
      n
    }
  }

  private measureExternal(c: Check, ext: ExternalState): Measured {
    const n = {
      canary: ext.valueLooks,
      ...(c.relative ? { baseline: ext.valueLooks } : {})
    }
    const missing = ext.looks - ext.valueLooks
    if (ext.valueLooks === 0 || missing > ext.valueLooks) {
      const status = ext.errorLooks > ext.noDataLooks ? 'error' : 'no-data'
      const parts: string[] = []
      if (ext.noDataLooks > 0) parts.push(`no-data ${ext.noDataLooks}`)
      if (ext.errorLooks > 0) {
        parts.push(`errors ${ext.errorLooks}, last: ${ext.lastError}`)
      }
      return {
        status,
        n,
        reason:
          ext.looks === 0
            ? `${c.metric.name}: no readings`
            : `${c.metric.name}: no value at ${missing} of ${ext.looks} looks (${parts.join(', ')})`
      }
    }
    const value = median(ext.canary)
    const baseline = c.relative ? median(ext.baseline) : undefined
    const ev = evaluate(c.condition, value, baseline)
    if (!ev)
      return {
        status: 'no-data',
        n,
        reason: `${c.metric.name}: no value to compare`
      }
    return {
      status: 'value',
      value,
      ...(baseline === undefined ? {} : { baseline }),
      breached: ev.breached,
      n
    }
  }

  private measureGrowth(c: Check): Measured {
    const ext = this.externals.get(c.metric.name)
    const t = ext ? ext.times : c.seriesT
    const v = ext ? ext.canary : c.seriesV
    const n = { canary: v.length }
    if (c.builtin && this.tracks.canary.count(c.builtin) < this.minSamples) {
      return {
        status: 'no-data',
        n,
        reason: `${c.metric.name}: ${formatCount(this.tracks.canary.n)} samples, fewer than min-samples ${this.minSamples}`
      }
    }
    const g = growth(t, v)
    if (!g) {
      return {
        status: 'no-data',
        n,
        reason: `${c.metric.name}: ${v.length} readings, a trend needs at least 3 over time`
      }
    }
    const ev = evaluate(c.condition, g.ratioPerHour)!
    return { status: 'value', value: g.ratioPerHour, breached: ev.breached, n }
  }

  /** A finding for one condition from its measurement. */
  private finding(c: Check, m: Measured, early: boolean): Finding {
    const name = c.metric.name
    const detectable = this.detectable(c, m.n)
    const extra = detectable ? { detectable } : {}
    if (m.status !== 'value') {
      return {
        name,
        level: m.status,
        condition: c.condition.text,
        n: m.n,
        reason: m.reason,
        ...extra
      }
    }
    const value =
      c.condition.kind === 'growth'
        ? formatGrowth(m.value, c.condition)
        : formatValue(m.value, c.kind)
    const baseline =
      m.baseline === undefined ? undefined : formatValue(m.baseline, c.kind)
    let reason = verdictLine({
      metric: name,
      value,
      condition: c.condition,
      breached: m.breached,
      ...(baseline === undefined ? {} : { baseline }),
      n: m.n
    })
    if (early && c.method === 'external') {
      reason += ` (${c.clearRun} looks in a row)`
    } else if (early) {
      const ratio =
        c.condition.kind === 'compare' &&
        c.condition.operand.kind === 'baseline-ratio' &&
        m.baseline !== undefined &&
        m.baseline > 0
          ? `ratio ${formatRatio(m.value / m.baseline)}; `
          : ''
      reason += ` (${ratio}sure at ${formatPercent(this.confidence)})`
    }
    return {
      name,
      level: m.breached ? c.level : 'ok',
      value,
      ...(baseline === undefined ? {} : { baseline }),
      condition: c.condition.text,
      n: m.n,
      reason,
      ...extra
    }
  }

  /** "How large a breach these samples could have detected", in words. */
  private detectable(
    c: Check,
    n: { canary: number; baseline?: number }
  ): string | undefined {
    // Warn conditions have no early test; gauge them at the full alpha.
    const h0 = c.failTest ? undefined : this.nullOf(c)
    const test =
      c.failTest ??
      (h0 && c.method !== 'quantile-paired'
        ? new MixtureTest(h0.p0, h0.side, this.alpha, this.gridSize)
        : undefined)
    const side = c.side ?? h0?.side
    if (!test || !side) return undefined
    const name = c.metric.name
    const none = (count: string): string =>
      `could not detect any breach at ${count}`
    if (c.method === 'rate') {
      const p = test.detectable(n.canary)
      const at = `n=${formatCount(n.canary)}`
      if (p === undefined) return none(at)
      return `could detect ${name} ${side === 'above' ? '>=' : '<='} ${formatRate(p)} at ${at}`
    }
    if (c.method === 'rate-ratio') {
      const can = this.tracks.canary
      const base = this.tracks.baseline
      if (!base) return undefined
      const events = can.bad + base.bad
      const at = `${formatCount(events)} errors`
      const theta = test.detectable(events)
      if (theta === undefined || theta >= 1 || can.n === 0) {
        return none(at)
      }
      const k = (theta / (1 - theta)) * (base.n / can.n)
      return `could detect ${name} ${side === 'above' ? '>=' : '<='} ${formatRatio(k)} baseline with ${at}`
    }
    if (c.method === 'quantile' && c.builtin?.type === 'quantile') {
      const p = test.detectable(n.canary)
      const at = `n=${formatCount(n.canary)}`
      if (p === undefined) return none(at)
      const threshold = formatLatency(c.threshold)
      if (side === 'above') {
        const level = Math.floor((1 - p) * 1000) / 10
        return `could detect p${level} > ${threshold} at ${at}`
      }
      return `could detect <= ${formatRate(p)} of samples above ${threshold} at ${at}`
    }
    if (c.method === 'quantile-paired') {
      const pairs = test.n
      const at = `n=${formatCount(pairs)} pairs`
      const p = test.detectable(pairs)
      if (p === undefined) return none(at)
      return `could detect canary ${c.condition.text} in ${side === 'above' ? '>=' : '<='} ${formatRate(p)} of pairs at ${at}`
    }
    return undefined
  }
}

function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return `${r}x`
  return `${Number(r.toPrecision(r >= 10 ? 3 : 2))}x`
}

/**
 * The one way to build a judge, for bakes, soaks, benchmarks and tests
 * alike, so what is tested is what runs.
 */
export function buildJudge(options: JudgeOptions): Judge {
  return new Judge(options)
}
