/**
 * The judge of one bake or soak (DESIGN.md §5): it is fed probe samples
 * and metric readings, looked at every interval, and decides. Pure: no
 * I/O, no clock; callers pass the times. It coordinates: the samples and
 * readings go to the tracks and series, each condition's method looks at
 * them (src/analysis/methods), and the findings add up to the verdict
 * (src/analysis/outcome.ts).
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
import type { MetricReading } from '../kernel/reading.js'
import type { ProbeSample } from '../kernel/sample.js'
import type { Finding, Track } from '../kernel/verdict.js'
import { isSetAside, type SetAside } from '../kernel/runner.js'
import {
  builtinOf,
  judgeMetrics,
  TrackStats,
  type JudgeMetric
} from './measure.js'
import {
  createMethods,
  keepsLookLatencies,
  planChecks
} from './methods/choose.js'
import type { Method, MethodName, Settings, Tracks } from './methods/method.js'
import {
  outcomeOf,
  type Decision,
  type FinalResult,
  type LookResult,
  type OnNoData
} from './outcome.js'
import { liveValues, type LiveValues } from './live.js'
import { ReadingSeries } from './series.js'

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

/** One condition's plan: the method and its share of alpha. */
export interface PlannedCheck {
  metric: string
  level: 'warn' | 'fail'
  condition: string
  method: MethodName
  /** Alpha of this condition's early tests (fail conditions with a test). */
  alpha?: number
}

const DEFAULTS = {
  confidence: 0.99,
  minSamples: 20,
  errorLimit: 4,
  breachLooks: 3,
  gridSize: 32
}

/**
 * The one way to build a judge, for bakes, soaks, benchmarks and tests
 * alike, so what is tested is what runs. Throws on a confidence outside
 * (0, 1), an unknown built-in metric, or a condition on the baseline
 * without a baseline track.
 */
export function buildJudge(options: JudgeOptions): Judge {
  const confidence = options.confidence ?? DEFAULTS.confidence
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `confidence must be between 0% and 100%, got '${confidence}'`
    )
  }
  const settings: Settings = {
    alpha: 1 - confidence,
    confidence,
    minSamples: options.minSamples ?? DEFAULTS.minSamples,
    decideEarly: options.decideEarly ?? false,
    breachLooks: options.breachLooks ?? DEFAULTS.breachLooks,
    gridSize: options.gridSize ?? DEFAULTS.gridSize
  }
  const hasBaseline = options.hasBaseline ?? false
  const metrics = Array.isArray(options.metrics)
    ? options.metrics
    : judgeMetrics(options.metrics)
  const planned = planChecks(metrics, hasBaseline)
  const keepLook = keepsLookLatencies(planned)
  const tracks: Tracks = {
    canary: new TrackStats(keepLook),
    baseline: hasBaseline ? new TrackStats(keepLook) : undefined
  }
  const sources = new Map<string, ReadingSeries>()
  for (const m of metrics) {
    if (m.source !== 'external') continue
    const relative = planned.some(
      (p) => p.check.metric === m && p.check.relative
    )
    sources.set(m.name, new ReadingSeries(m.name, relative))
  }
  return new Judge({
    settings,
    errorLimit: options.errorLimit ?? DEFAULTS.errorLimit,
    onNoData: options.onNoData ?? 'fail',
    hasBaseline,
    metrics,
    tracks,
    sources,
    methods: createMethods(planned, tracks, sources, settings)
  })
}

interface Parts {
  settings: Settings
  errorLimit: number
  onNoData: OnNoData
  hasBaseline: boolean
  metrics: JudgeMetric[]
  tracks: Tracks
  sources: Map<string, ReadingSeries>
  methods: Method[]
}

/** The coordinator: samples and readings in, methods at each look, verdict. */
class Judge {
  readonly minSamples: number
  readonly decideEarly: boolean
  readonly hasBaseline: boolean
  private readonly confidence: number
  private readonly errorLimit: number
  private readonly onNoData: OnNoData
  private readonly metrics: JudgeMetric[]
  private readonly tracks: Tracks
  private readonly sources: Map<string, ReadingSeries>
  private readonly methods: Method[]
  private readonly latencyWatchers: Method[]
  private decision: Decision = 'continue'
  private decidedAt = 0
  private decisionFindings: Finding[] = []

  constructor(parts: Parts) {
    const { settings } = parts
    this.minSamples = settings.minSamples
    this.decideEarly = settings.decideEarly
    this.hasBaseline = parts.hasBaseline
    this.confidence = settings.confidence
    this.errorLimit = parts.errorLimit
    this.onNoData = parts.onNoData
    this.metrics = parts.metrics
    this.tracks = parts.tracks
    this.sources = parts.sources
    this.methods = parts.methods
    this.latencyWatchers = this.methods.filter((m) => 'observe' in m)
  }

  /** Each condition's method and its share of alpha (Bonferroni). */
  plan(): PlannedCheck[] {
    return this.methods.map((m) => ({
      metric: m.check.metric.name,
      level: m.check.level,
      condition: m.check.condition.text,
      method: m.name,
      ...(m.alpha === undefined ? {} : { alpha: m.alpha })
    }))
  }

  /**
   * One probe sample of a track. Samples are grouped by look, not by time,
   * so `at` (when it was taken) is accepted for symmetry and not needed.
   */
  addSample(track: Track, sample: ProbeSample, _at: number): void {
    const stats = this.tracks[track]
    if (!stats) throw new RangeError('there is no baseline track')
    if (isSetAside(sample)) {
      // The client stalled while measuring: its timings, and a timeout or
      // reset, say nothing about the service. An answer (200 or 500) still
      // says what the service answered, so it counts for rates.
      stats.setAside++
      if (sample.error !== true) stats.add(sample, false)
      return
    }
    stats.add(sample)
    if (track !== 'canary' || sample.error === true) return
    for (const m of this.latencyWatchers) m.observe?.(sample)
  }

  /** One reading of an external metric; the last one before a look counts. */
  addReading(metric: string, track: Track, reading: MetricReading): void {
    const series = this.sources.get(metric)
    if (!series) {
      throw new RangeError(`'${metric}' is not a metric with a source`)
    }
    if (track === 'baseline' && !this.hasBaseline) {
      throw new RangeError('there is no baseline track')
    }
    series.add(track, reading)
  }

  /**
   * A look: each source takes its readings and each method this look's
   * data, then the judge decides. Once a look decided `fail` or `pass`,
   * every later look returns the same.
   */
  look(at: number): LookResult {
    if (this.decision !== 'continue') {
      return { decision: this.decision, findings: this.decisionFindings }
    }
    const fails: Finding[] = []
    const add = (f: Finding | undefined): void => {
      if (f) fails.push(f)
    }
    // Findings in a fixed order: each source (its failure, then its
    // conditions), then the conditions on probe metrics.
    for (const series of this.sources.values()) {
      add(series.look(this.errorLimit))
      for (const m of this.methods) {
        if (m.check.metric.name === series.name) add(m.look(at))
      }
    }
    for (const m of this.methods) {
      if (m.check.metric.source === 'probes') add(m.look(at))
    }
    this.tracks.canary.endLook()
    this.tracks.baseline?.endLook()

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
    const inconclusive: string[] = []
    let errored = false
    for (const series of this.sources.values()) {
      if (series.failed) findings.push(series.failed)
    }
    for (const m of this.methods) {
      const f = m.final()
      if (!f) continue
      if (f.level === 'no-data' || f.level === 'error') {
        if (!inconclusive.includes(f.name)) inconclusive.push(f.name)
        if (f.level === 'error') errored = true
      }
      findings.push(f)
    }
    return outcomeOf({
      findings,
      inconclusive,
      errored,
      ...(this.decision === 'continue'
        ? {}
        : {
            early: {
              decision: this.decision,
              at: this.decidedAt,
              findings: this.decisionFindings
            }
          }),
      onNoData: this.onNoData,
      confidence: this.confidence,
      samples: {
        canary: this.tracks.canary.n,
        ...(this.tracks.baseline ? { baseline: this.tracks.baseline.n } : {})
      }
    })
  }

  /** Samples set aside for runner stalls, out of all fed, both tracks. */
  setAside(): SetAside {
    const all = [this.tracks.canary, this.tracks.baseline]
    let setAside = 0
    let taken = 0
    for (const t of all) {
      if (!t) continue
      setAside += t.setAside
      taken += t.n + t.setAside - t.untimed
    }
    return { setAside, taken }
  }

  /**
   * Whether a probe metric still lacks `minSamples` on a track it needs:
   * what a longer bake can cure when the runner, not the service, fell
   * behind.
   */
  shortOfSamples(): boolean {
    const tracks = [this.tracks.canary, this.tracks.baseline]
    for (const m of this.metrics) {
      const b = m.source === 'probes' ? builtinOf(m.name) : undefined
      if (!b) continue
      for (const t of tracks) {
        if (t && t.count(b) < this.minSamples) return true
      }
    }
    return false
  }

  /** Current values per metric and track, for progress lines and the chart. */
  live(): LiveValues {
    return liveValues(this.metrics, this.tracks, this.sources, this.hasBaseline)
  }

  /** The progress-line values of {@link live}: `{ p95: '412ms / 180ms' }`. */
  liveText(): Record<string, string> {
    return this.live().values
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
    const fails = this.methods.filter((m) => m.check.level === 'fail')
    if (fails.length === 0) return undefined
    const needed: TrackStats[] = [this.tracks.canary]
    if (this.tracks.baseline && fails.some((m) => m.check.relative)) {
      needed.push(this.tracks.baseline)
    }
    if (
      fails.some((m) => m.check.metric.source === 'probes') &&
      needed.some((t) => t.n < this.minSamples)
    ) {
      return undefined
    }
    // Cheap tests first; costly ones only when everything else is clear.
    const ordered = [
      ...fails.filter((m) => !m.costlyClear),
      ...fails.filter((m) => m.costlyClear)
    ]
    const findings: Finding[] = []
    for (const m of ordered) {
      const f = m.clear()
      if (!f) return undefined
      findings.push(f)
    }
    return findings
  }
}

export type { Judge }
