/**
 * The life of a condition with an always-valid early test (rates, rate
 * ratios, quantiles, paired quantiles): each look feeds the test, a
 * rejection with a breaching value fails early, the opposite test passes
 * early, and the end compares the measured value with the condition.
 */
import type { Condition } from '../../config/units.js'
import type { Finding } from '../../kernel/verdict.js'
import type { Builtin } from '../measure.js'
import { MixtureTest, type Side } from '../sequential.js'
import { findingOf, sureAt } from '../wording.js'
import { measureBuiltin } from './builtin.js'
import {
  sideOf,
  type Check,
  type Measured,
  type Method,
  type MethodName,
  type Settings,
  type Tracks
} from './method.js'

/** The null rate of a condition's test and the side a breach lies on. */
export interface NullRate {
  p0: number
  side: Side
}

const flip = (s: Side): Side => (s === 'above' ? 'below' : 'above')

export abstract class TestedMethod implements Method {
  abstract readonly name: MethodName
  readonly check: Check
  readonly alpha?: number
  readonly costlyClear: boolean = false
  protected readonly builtin: Builtin
  protected readonly tracks: Tracks
  protected readonly settings: Settings
  protected readonly h0?: NullRate
  protected readonly failTest?: MixtureTest
  protected readonly passTest?: MixtureTest
  private early?: Finding

  /**
   * `p0`: the null rate (NaN when the condition has none); `alpha`: this
   * condition's share, for fail conditions (warn conditions get no test).
   */
  constructor(
    check: Check,
    builtin: Builtin,
    tracks: Tracks,
    settings: Settings,
    p0: number,
    alpha: number | undefined,
    passes = true
  ) {
    this.check = check
    this.builtin = builtin
    this.tracks = tracks
    this.settings = settings
    this.h0 = nullRate(check.condition, p0)
    if (!this.h0 || alpha === undefined) return
    const { side } = this.h0
    const grid = settings.gridSize
    this.alpha = alpha
    this.failTest = new MixtureTest(this.h0.p0, side, alpha, grid)
    if (settings.decideEarly && passes) {
      this.passTest = new MixtureTest(this.h0.p0, flip(side), alpha, grid)
    }
  }

  /** Feeds this look's counts to the tests (the fail test first). */
  protected abstract feed(tests: MixtureTest[]): void

  /** "How large a breach these samples could have detected", in words. */
  protected abstract detectable(n: {
    canary: number
    baseline?: number
  }): string | undefined

  look(): Finding | undefined {
    if (!this.failTest) return undefined
    this.feed(this.passTest ? [this.failTest, this.passTest] : [this.failTest])
    this.failTest.rejects()
    if (this.settings.decideEarly) this.passTest?.rejects()
    if (!this.failTest.rejected) return undefined
    const m = this.measure(false)
    if (m.status !== 'value' || !m.breached) return undefined
    this.early = this.sure(m)
    return this.early
  }

  clear(): Finding | undefined {
    if (!this.passTest?.rejected) return undefined
    const m = this.measure(true)
    return m.status === 'value' && !m.breached ? this.sure(m) : undefined
  }

  final(): Finding {
    if (this.early) return this.early
    const m = this.measure(true)
    return findingOf(this.check, m, '', this.detectable(m.n))
  }

  protected measure(gated: boolean): Measured {
    const { tracks, settings } = this
    return measureBuiltin(
      this.check,
      this.builtin,
      tracks,
      settings.minSamples,
      gated
    )
  }

  /** The finding of an early decision. */
  protected sure(m: Measured): Finding {
    const suffix = sureAt(this.check.condition, m, this.settings.confidence)
    return findingOf(this.check, m, suffix, this.detectable(m.n))
  }

  /**
   * The test that gauges what the samples could detect: the fail test, or
   * for a warn condition one at the full alpha.
   */
  protected gauge(): MixtureTest | undefined {
    if (this.failTest || !this.h0) return this.failTest
    const { p0, side } = this.h0
    return new MixtureTest(
      p0,
      side,
      this.settings.alpha,
      this.settings.gridSize
    )
  }
}

function nullRate(c: Condition, p0: number): NullRate | undefined {
  if (c.kind !== 'compare') return undefined
  const side = sideOf(c.op)
  if (!side || Number.isNaN(p0)) return undefined
  return { p0: Math.min(1, Math.max(0, p0)), side }
}
