/**
 * The readings of one metric with a source (Prometheus, HTTP JSON), look by
 * look: the values kept for the verdict, and the errors and empty answers
 * counted against `error-limit` and `on-no-data`. A reading that is not a
 * value is never turned into one.
 */
import type { MetricReading } from '../kernel/reading.js'
import type { Finding, Track } from '../kernel/verdict.js'
import { sourceErrored } from './wording.js'

export class ReadingSeries {
  readonly name: string
  /** Whether a condition compares with the baseline's readings. */
  readonly needsBaseline: boolean
  /** Values of the looks that had one, per track, and their times. */
  readonly canary: number[] = []
  readonly baseline: number[] = []
  readonly times: number[] = []
  /** Errors in a row per track. */
  readonly streak = { canary: 0, baseline: 0 }
  lastError = ''
  /** Why the latest look without data had none, as the source said. */
  lastNoData = ''
  /** Looks with any reading, with a value, without data, with an error. */
  looks = 0
  valueLooks = 0
  noDataLooks = 0
  errorLooks = 0
  /** Where the canary's latest value came from, for findings. */
  note?: string
  /** The latest value of each track, for progress lines. */
  readonly last: { canary?: number; baseline?: number } = {}
  /** Set once the source errored more than `error-limit` times in a row. */
  failed?: Finding
  /** This look's values, when it had them. */
  current?: { canary: number; baseline?: number }
  private pending: { canary?: MetricReading; baseline?: MetricReading } = {}

  constructor(name: string, needsBaseline: boolean) {
    this.name = name
    this.needsBaseline = needsBaseline
  }

  /** One reading; the last one before a look counts. */
  add(track: Track, reading: MetricReading): void {
    this.pending[track] = reading
  }

  /**
   * Takes this look's readings. Returns the source's failure when this look
   * made it one error more than `errorLimit` in a row.
   */
  look(errorLimit: number): Finding | undefined {
    this.current = undefined
    const { pending } = this
    if (!pending.canary && !pending.baseline) return undefined
    this.pending = {}
    this.looks++
    const tracks: Track[] = this.needsBaseline
      ? ['canary', 'baseline']
      : ['canary']
    let status: 'value' | 'no-data' | 'error' = 'value'
    for (const t of tracks) {
      const r = pending[t]
      if (r?.kind === 'error') {
        this.streak[t]++
        this.lastError = r.reason
        status = 'error'
      } else {
        this.streak[t] = 0
        if (r?.kind === 'no-data') this.lastNoData = r.reason
        if (r?.kind !== 'value' && status === 'value') status = 'no-data'
      }
    }
    for (const t of ['canary', 'baseline'] as const) {
      const r = pending[t]
      if (r?.kind === 'value') this.last[t] = r.value
    }
    let broke: Finding | undefined
    const streak = Math.max(this.streak.canary, this.streak.baseline)
    if (streak > errorLimit && !this.failed) {
      this.failed = {
        name: this.name,
        level: 'error',
        reason: sourceErrored(this.name, streak, this.lastError)
      }
      broke = this.failed
    }
    if (status === 'error') this.errorLooks++
    else if (status === 'no-data') this.noDataLooks++
    if (status !== 'value') return broke
    const cr = pending.canary as { value: number; note?: string }
    const cv = cr.value
    this.note = cr.note
    const bv = this.needsBaseline
      ? (pending.baseline as { value: number }).value
      : undefined
    this.valueLooks++
    this.canary.push(cv)
    if (bv !== undefined) this.baseline.push(bv)
    this.times.push(pending.canary?.at ?? 0)
    this.current = { canary: cv, ...(bv === undefined ? {} : { baseline: bv }) }
    return broke
  }
}
