/**
 * What a bake's findings add up to: the rule that turns each condition's
 * finding, the metrics without data and an early decision into the one
 * verdict of the bake, with its reason.
 */
import type { Finding, Outcome } from '../kernel/verdict.js'
import {
  allHeld,
  failedReason,
  inconclusiveReason,
  neverPassOnErrors,
  noDataFor,
  passedEarly,
  passedWithoutData
} from './wording.js'

export type OnNoData = 'fail' | 'pass' | 'hold'

export type Decision = 'continue' | 'fail' | 'pass'

export interface LookResult {
  decision: Decision
  /** Why, when the decision is not `continue` (then it is empty). */
  findings: Finding[]
}

export interface FinalResult {
  /**
   * The verdict, with `onNoData` already applied to missing data (so never
   * `inconclusive`; see `inconclusive` for which metrics lacked data).
   */
  outcome: Extract<Outcome, 'passed' | 'warned' | 'failed' | 'held'>
  reason: string
  findings: Finding[]
  /** Metrics without enough data (the outcome applied `onNoData`). */
  inconclusive: string[]
  /** Set when a look decided before the end. */
  early?: { decision: 'fail' | 'pass'; at: number }
}

/** Everything the verdict is made from. */
export interface Tally {
  /** One finding per condition (and per failed source), in plan order. */
  findings: Finding[]
  /** Metrics whose findings are no-data or error. */
  inconclusive: string[]
  /** Whether a metric lacked data because its source errored. */
  errored: boolean
  /** A look's decision, with its findings, when one was made. */
  early?: { decision: 'fail' | 'pass'; at: number; findings: Finding[] }
  onNoData: OnNoData
  confidence: number
  /** Probe samples per track, for the passing reasons. */
  samples: { canary: number; baseline?: number }
}

/**
 * The verdict: an early decision or any failing finding fails; missing data
 * follows `on-no-data` (but a source error is never a pass); then warnings;
 * then a pass.
 */
export function outcomeOf(t: Tally): FinalResult {
  const { findings, inconclusive, early } = t
  const result = (
    outcome: FinalResult['outcome'],
    reason: string
  ): FinalResult => ({
    outcome,
    reason,
    findings,
    inconclusive,
    ...(early ? { early: { decision: early.decision, at: early.at } } : {})
  })

  const failing = findings.filter(
    (f) =>
      f.level === 'fail' ||
      (f.level === 'error' && !inconclusive.includes(f.name))
  )
  if (early?.decision === 'fail' || failing.length > 0) {
    const first = early?.decision === 'fail' ? early.findings : failing
    return result('failed', failedReason(first))
  }
  if (inconclusive.length > 0) {
    const f = findings.find((x) => x.level === 'no-data' || x.level === 'error')
    const why = f?.reason ?? noDataFor(inconclusive)
    if (t.errored && t.onNoData === 'pass') {
      return result('failed', neverPassOnErrors(why))
    }
    const mapped =
      t.onNoData === 'fail'
        ? 'failed'
        : t.onNoData === 'hold'
          ? 'held'
          : undefined
    if (mapped) return result(mapped, inconclusiveReason(why, t.onNoData))
  }
  const warn = findings.find((f) => f.level === 'warn')
  if (warn) return result('warned', warn.reason)
  if (inconclusive.length > 0) {
    return result('passed', passedWithoutData(inconclusive, t.samples))
  }
  if (early?.decision === 'pass') {
    return result('passed', passedEarly(t.confidence, t.samples))
  }
  if (findings.length === 1) return result('passed', findings[0].reason)
  return result('passed', allHeld(findings.length, t.samples))
}
