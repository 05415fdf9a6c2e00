/**
 * The failure policy (DESIGN.md §6) as one pure decision: once the gates
 * have stopped, roll back, hold or do nothing, and the rollout's result
 * with its reason.
 */
import { anythingChanged, irreversible, type Changes } from './changes.js'
import type { GateResult, GateSelection } from './gate.js'
import type { GateLabel, GateReport, RolloutResult } from './events.js'
import type { RollbackOutcome } from './rollback.js'

/** Everything the decision depends on, as the pipeline saw it. */
export interface Facts {
  /** The result that stopped the gates; undefined when none did. */
  stop: GateResult | undefined
  /** Why the run was cancelled; undefined when it was not. */
  cancelled: string | undefined
  changes: Readonly<Changes>
  selection: GateSelection
  /** A full run that passes promotes: the rollout has a canary. */
  promotes: boolean
  version: string
  environment: string
  /** Every gate report of the run, in order. */
  reports: readonly GateReport[]
  /** How the rollback went, once a `roll-back` decision has run it. */
  rollback?: RollbackOutcome
}

/** The rollout ends with this result. */
export interface Finish {
  kind: 'finish'
  result: RolloutResult
  reason: string
  failedGate?: GateLabel
}

/** Something changed that must not be undone: leave it and say so. */
export interface Hold {
  kind: 'hold'
  result: 'held'
  reason: string
  failedGate?: GateLabel
}

/** Undo the changes, then decide again with the rollback's outcome. */
export interface RollBack {
  kind: 'roll-back'
  why: string
}

/** Where the rollout goes from here. */
export type Decision = Finish | Hold | RollBack

const STOPPED_BY_FAILURE = new Set<GateResult['kind']>([
  'failed',
  'inconclusive',
  'held',
  'cancelled'
])

/**
 * Decides the rollout's end from what the gates did. Once the rollback it
 * asked for has run, the same facts with its outcome finish the rollout.
 */
export function decide(f: Facts & { rollback: RollbackOutcome }): Finish
export function decide(f: Facts): Decision
export function decide(f: Facts): Decision {
  const failed =
    f.stop && STOPPED_BY_FAILURE.has(f.stop.kind) ? f.stop.report : undefined
  const failedGate = failed ? { failedGate: failed.gate } : {}
  // A gate cut short by the cancellation says so itself; any other gate
  // that failed after the cancellation failed because of it.
  const why =
    failed && (f.cancelled === undefined || f.stop?.kind === 'cancelled')
      ? failed.reason
      : f.cancelled
  if (why !== undefined) {
    if (f.rollback) {
      return {
        kind: 'finish',
        result: f.rollback.kind,
        reason: `${why}; ${f.rollback.reason}`,
        ...failedGate
      }
    }
    const c = f.changes
    if (!anythingChanged(c)) {
      return {
        kind: 'finish',
        result: 'failed',
        reason: `${why}; nothing was changed`,
        ...failedGate
      }
    }
    const holdOnFail = f.stop?.kind === 'held'
    if (holdOnFail || irreversible(c)) {
      return {
        kind: 'hold',
        result: 'held',
        reason: `${why}; HOLD: ${holdOnFail ? 'mode hold-on-fail' : 'the migration is irreversible'}, nothing was rolled back`,
        ...failedGate
      }
    }
    return { kind: 'roll-back', why }
  }
  if (f.stop?.kind === 'paused') {
    return { kind: 'finish', result: 'paused', reason: f.stop.report.reason }
  }
  if (f.selection !== 'all') {
    const last = f.reports[f.reports.length - 1]
    return {
      kind: 'finish',
      result: 'passed',
      reason: last ? last.reason : `gate '${f.selection}' is not configured`
    }
  }
  const result = f.promotes ? 'promoted' : 'passed'
  const warned = f.reports.filter((r) => r.outcome === 'warned').length
  return {
    kind: 'finish',
    result,
    reason: `${f.version} ${result} to ${f.environment}${warned ? ` with ${warned} warning${warned === 1 ? '' : 's'}` : ''}`
  }
}
