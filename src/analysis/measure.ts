/**
 * What the judges measure from probe samples: per-track counts and HDR
 * histograms (DESIGN.md §5: percentiles come from histograms, memory does
 * not grow with the bake) of HTTP request latency and, in latencies.ts,
 * of the WebSocket measures, plus the metrics a config names.
 */
import type { MetricConfig } from '../config/schema.js'
import { BUILTIN_METRICS, sourcesOf } from '../config/schema.js'
import type { Condition } from '../config/units.js'
import type { ProbeSample } from '../kernel/sample.js'
import {
  LatencyStore,
  lookQuantile,
  WsTrack,
  type Latencies,
  type LatencyOf
} from './latencies.js'

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

/** A built-in metric: a rate of samples, or a quantile of one latency. */
export type Builtin =
  | { type: 'rate'; indicator: 'error' | 'success' }
  | { type: 'quantile'; q: number; of: LatencyOf }

const QUANTILE_NAME = /^(?:(ws-connect|ws-first-message|ws-push)-)?p(\d+)$/

/** What a built-in name computes; undefined for names of one's own. */
export function builtinOf(name: string): Builtin | undefined {
  if (!(name in BUILTIN_METRICS)) return undefined
  if (name === 'error-rate') return { type: 'rate', indicator: 'error' }
  if (name === 'success-rate') return { type: 'rate', indicator: 'success' }
  const m = QUANTILE_NAME.exec(name)
  if (!m) return undefined
  const of = (m[1] ?? 'http') as LatencyOf
  return { type: 'quantile', q: Number(m[2]) / 100, of }
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
    source:
      sourcesOf(m).length === 0 && builtinOf(name) ? 'probes' : 'external',
    warn: m.warn ?? [],
    fail: m.fail ?? []
  }))
}

/**
 * One track's samples: totals for the bake and counters for the current
 * look. Transport failures (`error: true`: refused, reset, timeout) count
 * as errors but carry no latency, so a dead canary answering "connection
 * refused" in 0.3ms cannot look fast. Latency here is HTTP request latency
 * of HTTP probes; WebSocket measures are kept in `ws`.
 */
export class TrackStats implements Latencies {
  n = 0
  /**
   * Samples measured while the runner stalled: their timings are left out
   * (an answer still counts for rates, a transport failure not at all).
   */
  setAside = 0
  /** Of those, answers counted for rates only (in `n`, no latency). */
  untimed = 0
  bad = 0
  lookN = 0
  lookBad = 0
  /** HTTP request latency of HTTP samples (not transport failures). */
  readonly http: LatencyStore
  /** Samples by probe kind and the WebSocket measures. */
  readonly ws: WsTrack
  private readonly keepLook: boolean

  constructor(keepLookLatencies = false) {
    this.keepLook = keepLookLatencies
    this.http = new LatencyStore(keepLookLatencies)
    this.ws = new WsTrack(keepLookLatencies)
  }

  /** HTTP samples with a latency. */
  get latN(): number {
    return this.http.latN
  }

  get lookLatN(): number {
    return this.http.lookLatN
  }

  get lookLat(): Float64Array {
    return this.http.lookLat
  }

  /**
   * One sample; `timed: false` counts it for rates only (the runner stalled
   * while it was measured, so its timings are the runner's).
   */
  add(sample: ProbeSample, timed = true): void {
    this.n++
    this.lookN++
    this.ws.add(sample, timed)
    if (!sample.ok) {
      this.bad++
      this.lookBad++
    }
    if (!timed) {
      this.untimed++
      return
    }
    if (sample.error === true || sample.kind !== 'http') return
    this.http.record(sample.timings.totalMs)
  }

  /** Starts a new look. */
  endLook(): void {
    this.lookN = 0
    this.lookBad = 0
    this.http.endLook()
    this.ws.endLook()
  }

  /** Forgets everything (fixed-interval windows). */
  reset(): void {
    this.n = 0
    this.untimed = 0
    this.bad = 0
    this.endLook()
    this.http.reset()
    this.ws.reset()
  }

  /** Share of samples that are errors, or successes. */
  rate(indicator: 'error' | 'success'): number {
    if (this.n === 0) return NaN
    return indicator === 'error' ? this.bad / this.n : 1 - this.bad / this.n
  }

  /** HTTP latency in ms at quantile q (0.95 for p95); NaN without any. */
  quantile(q: number): number {
    return this.http.quantile(q)
  }

  /** The values of one latency: HTTP here, WebSocket measures in `ws`. */
  latencies(of: LatencyOf): Latencies {
    return of === 'http' ? this.http : this.ws.stores[of]
  }

  /** Count of samples (or latencies) behind a built-in metric. */
  count(b: Builtin): number {
    return b.type === 'rate' ? this.n : this.latencies(b.of).latN
  }

  /** The built-in metric's value over all samples. */
  value(b: Builtin): number {
    return b.type === 'rate'
      ? this.rate(b.indicator)
      : this.latencies(b.of).quantile(b.q)
  }

  /** This look's value (a per-look rate, or a quantile of this look). */
  lookValue(b: Builtin): number {
    if (b.type === 'rate') {
      if (this.lookN === 0) return NaN
      const r = this.lookBad / this.lookN
      return b.indicator === 'error' ? r : 1 - r
    }
    if (!this.keepLook) return NaN
    return lookQuantile(this.latencies(b.of), b.q)
  }
}
