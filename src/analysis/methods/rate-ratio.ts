/**
 * Error rates relative to the baseline (`error-rate > 2x baseline`): a
 * conditional binomial test on which track each error came from. Under
 * H0 the canary's share of a look's errors is at most k·nc/(k·nc + nb),
 * exact when error counts are Poisson.
 */
import type { Condition } from '../../config/units.js'
import type { Builtin } from '../measure.js'
import type { MixtureTest } from '../sequential.js'
import { detectableRatio } from '../wording.js'
import type { Check, Settings, Tracks } from './method.js'
import { TestedMethod } from './tested.js'

export class RateRatioMethod extends TestedMethod {
  readonly name = 'rate-ratio'

  constructor(
    check: Check,
    builtin: Builtin,
    tracks: Tracks,
    settings: Settings,
    alpha: number | undefined
  ) {
    super(check, builtin, tracks, settings, nullOf(check.condition), alpha)
  }

  protected feed(tests: MixtureTest[]): void {
    const can = this.tracks.canary
    const base = this.tracks.baseline
    if (!base) return
    const k = tests[0].p0 / (1 - tests[0].p0)
    const nc = can.lookN
    const nb = base.lookN
    if (nc === 0 || nb === 0) return
    const events = can.lookBad + base.lookBad
    const p0 = (k * nc) / (k * nc + nb)
    for (const t of tests) t.observeCounts(can.lookBad, events, p0)
  }

  protected detectable(): string | undefined {
    const test = this.gauge()
    const can = this.tracks.canary
    const base = this.tracks.baseline
    if (!test || !this.h0 || !base) return undefined
    const events = can.bad + base.bad
    const theta = test.detectable(events)
    const k =
      theta === undefined || theta >= 1 || can.n === 0
        ? undefined
        : (theta / (1 - theta)) * (base.n / can.n)
    return detectableRatio(this.check.metric.name, this.h0.side, k, events)
  }
}

/** k/(1+k): the canary's share of errors when its rate is k x baseline. */
function nullOf(c: Condition): number {
  if (c.kind !== 'compare' || c.operand.kind !== 'baseline-ratio') return NaN
  return c.operand.factor / (1 + c.operand.factor)
}
