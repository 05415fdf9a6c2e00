/**
 * Latency quantiles against a threshold (`p95 > 500ms`): if the true p95
 * is at most 500ms, at most 5% of samples are slower, so an exceedance
 * test with null rate 1 - q decides, whatever the latency distribution.
 */
import type { ProbeSample } from '../../kernel/sample.js'
import { quantityValue } from '../conditions.js'
import { latenciesOf, type LatencyOf } from '../latencies.js'
import type { Builtin } from '../measure.js'
import type { MixtureTest } from '../sequential.js'
import { detectableQuantile } from '../wording.js'
import type { Check, Settings, Tracks } from './method.js'
import { TestedMethod } from './tested.js'

export class QuantileMethod extends TestedMethod {
  readonly name = 'quantile'
  /** The threshold in ms. */
  private readonly threshold: number
  /** This look's canary latencies above the threshold. */
  private exceed = 0
  private readonly of: LatencyOf

  constructor(
    check: Check,
    builtin: Extract<Builtin, { type: 'quantile' }>,
    tracks: Tracks,
    settings: Settings,
    alpha: number | undefined
  ) {
    super(check, builtin, tracks, settings, 1 - builtin.q, alpha)
    this.of = builtin.of
    const c = check.condition
    this.threshold =
      c.kind === 'compare' &&
      c.operand.kind !== 'baseline-ratio' &&
      c.operand.kind !== 'baseline-plus'
        ? quantityValue(c.operand)
        : NaN
  }

  observe(sample: ProbeSample): void {
    if (!this.failTest) return
    for (const ms of latenciesOf(sample, this.of)) {
      if (ms > this.threshold) this.exceed++
    }
  }

  protected feed(tests: MixtureTest[]): void {
    const exceed = this.exceed
    this.exceed = 0
    const n = this.tracks.canary.latencies(this.of).lookLatN
    for (const t of tests) t.observeCounts(exceed, n)
  }

  protected detectable(n: { canary: number }): string | undefined {
    const test = this.gauge()
    if (!test || !this.h0) return undefined
    const p = test.detectable(n.canary)
    return detectableQuantile(this.h0.side, p, this.threshold, n.canary)
  }
}
