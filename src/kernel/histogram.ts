/**
 * Latency histograms for load probes and analysis. Percentiles of a long
 * run, or of many tracks and workers, must come from one merged HDR
 * histogram: averaging per-window percentiles is wrong, and keeping every
 * sample makes memory grow with the run. An HDR histogram has a fixed size
 * (about 90 KB here) whatever the number of samples.
 */
import { build, type Histogram } from 'hdr-histogram-js'

/** Percentiles in milliseconds, always with the count they come from. */
export interface HistogramSummary {
  n: number
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
  mean: number
}

export interface LatencyHistogramOptions {
  /** Largest latency kept apart; longer ones are recorded as this. */
  highestMs?: number
}

/** Ten minutes: longer than any probe or request timeout we allow. */
export const DEFAULT_HIGHEST_MS = 600_000

const US_PER_MS = 1000

/**
 * Latencies in microseconds with 3 significant digits (0.1% error), so
 * loopback sub-millisecond times and minute-long stalls share one scale.
 * Recording never allocates and never throws: out-of-range values clamp.
 */
export class LatencyHistogram {
  readonly highestMs: number
  private readonly hdr: Histogram
  private readonly highestUs: number

  constructor(options: LatencyHistogramOptions = {}) {
    this.highestMs = options.highestMs ?? DEFAULT_HIGHEST_MS
    this.highestUs = Math.max(2, Math.round(this.highestMs * US_PER_MS))
    this.hdr = build({
      bitBucketSize: 32,
      autoResize: false,
      lowestDiscernibleValue: 1,
      highestTrackableValue: this.highestUs,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false
    })
  }

  /**
   * Records a latency `count` times (default once); negative clamps to 0,
   * NaN is ignored.
   */
  record(ms: number, count = 1): void {
    if (!(ms >= 0)) {
      if (Number.isNaN(ms)) return
      ms = 0
    }
    const us = Math.round(ms * US_PER_MS)
    const value = us > this.highestUs ? this.highestUs : us
    if (count === 1) this.hdr.recordValue(value)
    else if (count > 1) this.hdr.recordValueWithCount(value, count)
  }

  /** Latency in ms at percentile `q` (0-100, e.g. 99.9); 0 when empty. */
  percentile(q: number): number {
    if (this.hdr.totalCount === 0) return 0
    return this.hdr.getValueAtPercentile(q) / US_PER_MS
  }

  get count(): number {
    return this.hdr.totalCount
  }

  /**
   * Adds another histogram's samples to this one: the only correct way to
   * combine percentiles of workers, windows or tracks.
   */
  merge(other: LatencyHistogram): this {
    this.hdr.add(other.hdr)
    return this
  }

  reset(): void {
    this.hdr.reset()
  }

  /** The percentiles reports and conditions read; all 0 when n is 0. */
  summary(): HistogramSummary {
    const n = this.hdr.totalCount
    if (n === 0) return { n, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 }
    return {
      n,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.hdr.maxValue / US_PER_MS,
      mean: Math.round(this.hdr.mean) / US_PER_MS
    }
  }

  toJSON(): HistogramSummary {
    return this.summary()
  }
}

/** The summary of no samples at all (a run that never started). */
export const EMPTY_SUMMARY: HistogramSummary = {
  n: 0,
  p50: 0,
  p90: 0,
  p95: 0,
  p99: 0,
  max: 0,
  mean: 0
}
