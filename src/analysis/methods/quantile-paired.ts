/**
 * Latency quantiles relative to the baseline (`p95 > 2x baseline`,
 * `p95 > baseline + 50ms`): early fails by a paired sign test on each
 * look's latencies in arrival order, early passes by always-valid
 * order-statistic bounds on both tracks' quantiles.
 */
import type { Finding } from '../../kernel/verdict.js'
import { compare, thresholdOf } from '../conditions.js'
import type { Latencies, LatencyOf } from '../latencies.js'
import type { Builtin } from '../measure.js'
import { quantileRanks, type MixtureTest } from '../sequential.js'
import { detectablePairs } from '../wording.js'
import type { Check, Settings, Tracks } from './method.js'
import { TestedMethod } from './tested.js'

export class PairedQuantileMethod extends TestedMethod {
  readonly name = 'quantile-paired'
  override readonly costlyClear = true
  private readonly q: number
  private readonly of: LatencyOf

  constructor(
    check: Check,
    builtin: Extract<Builtin, { type: 'quantile' }>,
    tracks: Tracks,
    settings: Settings,
    alpha: number | undefined
  ) {
    // Under H0 a canary latency beats f(baseline) at most half the time.
    super(check, builtin, tracks, settings, 0.5, alpha, false)
    this.q = builtin.q
    this.of = builtin.of
  }

  /** The canary value the condition compares with: f(baseline). */
  private line(baseline: number): number {
    const c = this.check.condition
    if (c.kind !== 'compare') return NaN
    return thresholdOf(c, baseline) ?? NaN
  }

  protected feed(tests: MixtureTest[]): void {
    const can = this.tracks.canary.latencies(this.of)
    const base = this.tracks.baseline?.latencies(this.of)
    if (!base) return
    const pairs = Math.min(can.lookLatN, base.lookLatN)
    let wins = 0
    const cl = can.lookLat
    const bl = base.lookLat
    for (let i = 0; i < pairs; i++) if (cl[i] > this.line(bl[i])) wins++
    tests[0].observeCounts(wins, pairs)
  }

  /**
   * Clear when always-valid order-statistic bounds on both tracks'
   * quantiles (alpha/2 each) put the canary's quantile on the good side
   * of f(baseline's quantile).
   */
  override clear(): Finding | undefined {
    const base = this.tracks.baseline?.latencies(this.of)
    const c = this.check.condition
    if (!base || this.alpha === undefined || c.kind !== 'compare') {
      return undefined
    }
    const m = this.measure(true)
    if (m.status !== 'value' || m.breached) return undefined
    const can = this.tracks.canary.latencies(this.of)
    const { gridSize } = this.settings
    const half = this.alpha / 2
    const rc = quantileRanks(can.latN, this.q, half, gridSize)
    const rb = quantileRanks(base.latN, this.q, half, gridSize)
    const at = (t: Latencies, rank: number | undefined): number =>
      rank === undefined ? NaN : t.quantile(rank / t.latN)
    // HDR reports a bucket's upper end: shave 0.1% off lower bounds.
    const op = c.op
    if (op === '>' || op === '>=') {
      const upperC = at(can, rc.upper)
      const lowerB = at(base, rb.lower) * 0.999
      if (Number.isNaN(upperC) || Number.isNaN(lowerB)) return undefined
      return compare(op, upperC, this.line(lowerB)) ? undefined : this.sure(m)
    }
    const lowerC = at(can, rc.lower) * 0.999
    const upperB = at(base, rb.upper)
    if (Number.isNaN(lowerC) || Number.isNaN(upperB)) return undefined
    return compare(op, lowerC, this.line(upperB)) ? undefined : this.sure(m)
  }

  protected detectable(): string | undefined {
    const test = this.failTest
    if (!test || !this.h0) return undefined
    const pairs = test.n
    const p = test.detectable(pairs)
    return detectablePairs(this.check.condition, this.h0.side, p, pairs)
  }
}
