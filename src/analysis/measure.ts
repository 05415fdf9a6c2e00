/**
 * What the judges measure from probe samples: per-track counts and one
 * merged HDR histogram (DESIGN.md §5: percentiles come from histograms,
 * memory does not grow with the bake), plus the metrics a config names.
 */
import type { MetricConfig } from '../config/schema.js'
import { BUILTIN_METRICS } from '../config/schema.js'
import type { Condition } from '../config/units.js'
import { LatencyHistogram } from '../kernel/histogram.js'
import type { ProbeSample } from '../kernel/sample.js'

/** One metric as the judge sees it. */
export interface JudgeMetric {
  name: string
  /** Computed from the probe samples of each track, or read from a source. */
  source: 'probes' | 'external'
  /** Any true condition makes the metric warn. */
  warn: Condition[]
  /** Any true condition fails the metric. */
  fail: Condition[]
}

/** A built-in metric: a rate of samples, or a latency quantile. */
export type Builtin =
  | { type: 'rate'; indicator: 'error' | 'success' }
  | { type: 'quantile'; q: number }

/** What a built-in name computes; undefined for names of one's own. */
export function builtinOf(name: string): Builtin | undefined {
  if (!(name in BUILTIN_METRICS)) return undefined
  if (name === 'error-rate') return { type: 'rate', indicator: 'error' }
  if (name === 'success-rate') return { type: 'rate', indicator: 'success' }
  return { type: 'quantile', q: Number(name.slice(1)) / 100 }
}

/**
 * The metrics of an analysis or soak section: a built-in name without a
 * source is computed from probe samples, everything else is read.
 */
export function judgeMetrics(
  metrics: Record<string, MetricConfig> | undefined
): JudgeMetric[] {
  return Object.entries(metrics ?? {}).map(([name, m]) => ({
    name,
    source: !m.prometheus && !m.http && builtinOf(name) ? 'probes' : 'external',
    warn: m.warn ?? [],
    fail: m.fail ?? []
  }))
}

const INITIAL_LOOK_CAPACITY = 256

/**
 * One track's samples: totals for the bake and counters for the current
 * look. Transport failures (`error: true`: refused, reset, timeout) count
 * as errors but carry no latency, so a dead canary answering "connection
 * refused" in 0.3ms cannot look fast.
 */
export class TrackStats {
  n = 0
  /** Samples left out because the runner stalled while taking them. */
  setAside = 0
  bad = 0
  /** Samples with a latency (not transport failures). */
  latN = 0
  lookN = 0
  lookBad = 0
  lookLatN = 0
  /** This look's latencies, in arrival order, when kept. */
  lookLat: Float64Array
  private histogram: LatencyHistogram | undefined
  private readonly keepLook: boolean

  constructor(keepLookLatencies = false) {
    this.keepLook = keepLookLatencies
    this.lookLat = new Float64Array(
      keepLookLatencies ? INITIAL_LOOK_CAPACITY : 0
    )
  }

  add(sample: ProbeSample): void {
    this.n++
    this.lookN++
    if (!sample.ok) {
      this.bad++
      this.lookBad++
    }
    if (sample.error === true) return
    const ms = sample.timings.totalMs
    if (!(ms >= 0)) return
    ;(this.histogram ??= new LatencyHistogram()).record(ms)
    this.latN++
    if (this.keepLook) {
      if (this.lookLatN === this.lookLat.length) {
        const grown = new Float64Array(this.lookLat.length * 2)
        grown.set(this.lookLat)
        this.lookLat = grown
      }
      this.lookLat[this.lookLatN] = ms
    }
    this.lookLatN++
  }

  /** Starts a new look. */
  endLook(): void {
    this.lookN = 0
    this.lookBad = 0
    this.lookLatN = 0
  }

  /** Forgets everything (fixed-interval windows). */
  reset(): void {
    this.n = 0
    this.bad = 0
    this.latN = 0
    this.endLook()
    this.histogram?.reset()
  }

  /** Share of samples that are errors, or successes. */
  rate(indicator: 'error' | 'success'): number {
    if (this.n === 0) return NaN
    return indicator === 'error' ? this.bad / this.n : 1 - this.bad / this.n
  }

  /** Latency in ms at quantile q (0.95 for p95); NaN without latencies. */
  quantile(q: number): number {
    if (this.latN === 0 || !this.histogram) return NaN
    return this.histogram.percentile(q * 100)
  }

  /** Count of samples behind a built-in metric. */
  count(b: Builtin): number {
    return b.type === 'rate' ? this.n : this.latN
  }

  /** The built-in metric's value over all samples. */
  value(b: Builtin): number {
    return b.type === 'rate' ? this.rate(b.indicator) : this.quantile(b.q)
  }

  /** This look's value (a per-look rate, or a quantile of this look). */
  lookValue(b: Builtin): number {
    if (b.type === 'rate') {
      if (this.lookN === 0) return NaN
      const r = this.lookBad / this.lookN
      return b.indicator === 'error' ? r : 1 - r
    }
    if (this.lookLatN === 0 || !this.keepLook) return NaN
    const sorted = this.lookLat.slice(0, this.lookLatN).sort()
    const rank = Math.max(1, Math.ceil(b.q * sorted.length))
    return sorted[rank - 1]
  }
}
