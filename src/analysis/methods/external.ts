/**
 * The counting rule for metrics read from a source (Prometheus, HTTP JSON):
 * a fail condition breached at `breachLooks` looks in a row fails early,
 * clear at as many looks in a row it may pass early, and the end compares
 * the median of the bake's readings. Missing readings are no-data or
 * errors, never a value.
 */
import type { Finding } from '../../kernel/verdict.js'
import { evaluate, median } from '../conditions.js'
import type { ReadingSeries } from '../series.js'
import {
  findingOf,
  formatValue,
  inARow,
  missingReadings,
  noValueToCompare,
  verdictLine
} from '../wording.js'
import type { Check, Measured, Method, Settings } from './method.js'

export class ExternalMethod implements Method {
  readonly name = 'external'
  readonly check: Check
  readonly costlyClear = false
  private readonly series: ReadingSeries
  private readonly settings: Settings
  /** Looks with a value, breaching / clear, in a row. */
  private breachRun = 0
  private clearRun = 0
  private early?: Finding

  constructor(check: Check, series: ReadingSeries, settings: Settings) {
    this.check = check
    this.series = series
    this.settings = settings
  }

  look(): Finding | undefined {
    const now = this.series.current
    if (!now) return undefined
    const { check } = this
    const ev = evaluate(check.condition, now.canary, now.baseline)
    if (!ev) return undefined
    if (ev.breached) {
      this.breachRun++
      this.clearRun = 0
    } else {
      this.clearRun++
      this.breachRun = 0
    }
    if (
      check.level !== 'fail' ||
      this.breachRun < this.settings.breachLooks ||
      this.early ||
      this.series.failed
    ) {
      return undefined
    }
    const n = this.n()
    const value = formatValue(now.canary, check.kind)
    const baseline =
      now.baseline === undefined
        ? undefined
        : formatValue(now.baseline, check.kind)
    const line = verdictLine({
      metric: check.metric.name,
      value,
      condition: check.condition,
      breached: true,
      ...(baseline === undefined ? {} : { baseline }),
      n
    })
    this.early = {
      name: check.metric.name,
      level: 'fail',
      value,
      ...(baseline === undefined ? {} : { baseline }),
      condition: check.condition.text,
      n,
      reason: `${line}${inARow(this.breachRun)}${this.source()}`
    }
    return this.early
  }

  clear(): Finding | undefined {
    const { series } = this
    if (this.clearRun < this.settings.breachLooks || series.failed) {
      return undefined
    }
    if (series.streak.canary > 0 || series.streak.baseline > 0) {
      return undefined
    }
    const m = this.measure()
    return m.status === 'value' && !m.breached
      ? findingOf(this.check, m, `${inARow(this.clearRun)}${this.source()}`)
      : undefined
  }

  final(): Finding | undefined {
    if (this.early) return this.early
    if (this.series.failed) return undefined
    const m = this.measure()
    return findingOf(this.check, m, m.status === 'value' ? this.source() : '')
  }

  /** ` (datadog: query, last point 12:04:05)` when the source said where. */
  private source(): string {
    const { note } = this.series
    return note === undefined ? '' : ` (${note})`
  }

  private n(): { canary: number; baseline?: number } {
    const looks = this.series.valueLooks
    return {
      canary: looks,
      ...(this.check.relative ? { baseline: looks } : {})
    }
  }

  /** The median of the bake's readings against the condition. */
  private measure(): Measured {
    const { series, check } = this
    const name = check.metric.name
    const n = this.n()
    const missing = series.looks - series.valueLooks
    if (series.valueLooks === 0 || missing > series.valueLooks) {
      return {
        status: series.errorLooks > series.noDataLooks ? 'error' : 'no-data',
        n,
        reason: missingReadings(
          name,
          series.looks,
          series.valueLooks,
          series.noDataLooks,
          series.errorLooks,
          series.lastError,
          series.lastNoData
        )
      }
    }
    const value = median(series.canary)
    const baseline = check.relative ? median(series.baseline) : undefined
    const ev = evaluate(check.condition, value, baseline)
    if (!ev) return { status: 'no-data', n, reason: noValueToCompare(name) }
    return {
      status: 'value',
      value,
      ...(baseline === undefined ? {} : { baseline }),
      breached: ev.breached,
      n
    }
  }
}
