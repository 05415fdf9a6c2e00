/**
 * Trends for a soak (`memory: { fail: 'growth > 5%/h' }`): the Theil–Sen
 * growth of one value per look (a reading, or a built-in metric's value
 * over that look) over the whole soak, judged at the end only.
 */
import type { Finding } from '../../kernel/verdict.js'
import { evaluate, growth } from '../conditions.js'
import type { Builtin } from '../measure.js'
import type { ReadingSeries } from '../series.js'
import { findingOf, trendTooFewSamples, trendTooShort } from '../wording.js'
import type { Check, Measured, Method, Settings, Tracks } from './method.js'

export class GrowthMethod implements Method {
  readonly name = 'growth'
  readonly check: Check
  readonly costlyClear = false
  /** Where the values come from: a source's readings, or the probes. */
  private readonly from:
    | { series: ReadingSeries }
    | { builtin: Builtin; tracks: Tracks; times: number[]; values: number[] }
  private readonly settings: Settings

  constructor(
    check: Check,
    from: { series: ReadingSeries } | { builtin: Builtin; tracks: Tracks },
    settings: Settings
  ) {
    this.check = check
    this.from = 'series' in from ? from : { ...from, times: [], values: [] }
    this.settings = settings
  }

  look(at: number): undefined {
    const { from } = this
    if ('series' in from) return undefined
    const v = from.tracks.canary.lookValue(from.builtin)
    if (Number.isNaN(v)) return undefined
    from.times.push(at)
    from.values.push(v)
    return undefined
  }

  clear(): undefined {
    return undefined
  }

  final(): Finding | undefined {
    if ('series' in this.from && this.from.series.failed) return undefined
    return findingOf(this.check, this.measure())
  }

  private measure(): Measured {
    const { from, check } = this
    const name = check.metric.name
    const t = 'series' in from ? from.series.times : from.times
    const v = 'series' in from ? from.series.canary : from.values
    const n = { canary: v.length }
    if ('builtin' in from) {
      const canary = from.tracks.canary
      if (canary.count(from.builtin) < this.settings.minSamples) {
        return {
          status: 'no-data',
          n,
          reason: trendTooFewSamples(name, canary.n, this.settings.minSamples)
        }
      }
    }
    const g = growth(t, v)
    if (!g) {
      return { status: 'no-data', n, reason: trendTooShort(name, v.length) }
    }
    const ev = evaluate(check.condition, g.ratioPerHour)!
    return {
      status: 'value',
      value: g.ratioPerHour,
      breached: ev.breached,
      n
    }
  }
}
