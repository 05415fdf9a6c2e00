/**
 * Error and success rates against a threshold (`error-rate > 2%`): a
 * mixture test on the 0/1 stream of errors (or successes) with the
 * threshold as its null rate.
 */
import type { Condition } from '../../config/units.js'
import { quantityValue } from '../conditions.js'
import type { Builtin } from '../measure.js'
import type { MixtureTest } from '../sequential.js'
import { detectableRate } from '../wording.js'
import type { Check, Settings, Tracks } from './method.js'
import { TestedMethod } from './tested.js'

export class RateMethod extends TestedMethod {
  readonly name = 'rate'
  private readonly indicator: 'error' | 'success'

  constructor(
    check: Check,
    builtin: Extract<Builtin, { type: 'rate' }>,
    tracks: Tracks,
    settings: Settings,
    alpha: number | undefined
  ) {
    super(check, builtin, tracks, settings, nullOf(check.condition), alpha)
    this.indicator = builtin.indicator
  }

  protected feed(tests: MixtureTest[]): void {
    const can = this.tracks.canary
    const hits =
      this.indicator === 'error' ? can.lookBad : can.lookN - can.lookBad
    for (const t of tests) t.observeCounts(hits, can.lookN)
  }

  protected detectable(n: { canary: number }): string | undefined {
    const test = this.gauge()
    if (!test || !this.h0) return undefined
    const p = test.detectable(n.canary)
    return detectableRate(this.check.metric.name, this.h0.side, p, n.canary)
  }
}

/** The threshold itself. */
function nullOf(c: Condition): number {
  if (c.kind !== 'compare') return NaN
  const o = c.operand
  if (o.kind === 'baseline-ratio' || o.kind === 'baseline-plus') return NaN
  return quantityValue(o)
}
