/**
 * The one place a rollout's report is put together, whichever way the run
 * ended (the pipeline, a manual rollback, the post step's recovery), so every
 * report has the same fields in the same order.
 */
import type { RolloutValues } from './context.js'
import type {
  GateLabel,
  GateReport,
  RolloutReport,
  RolloutResult,
  StepPoint,
  TimelineEntry
} from './events.js'
import type { RollbackOutcome } from './rollback.js'

export interface ReportParts {
  values: RolloutValues
  result: RolloutResult
  failedGate?: GateLabel
  /** Already redacted. */
  reason: string
  startedAt: number
  endedAt: number
  gates: GateReport[]
  chart?: StepPoint[]
  timeline: TimelineEntry[]
  rollback?: RollbackOutcome
}

/** Assembles the report every renderer and reporter reads. */
export function buildReport(p: ReportParts): RolloutReport {
  const v = p.values
  const target =
    v.previousVersion !== undefined ? { target: v.previousVersion } : {}
  return {
    service: v.service,
    environment: v.environment,
    version: v.version,
    ...(v.previousVersion !== undefined
      ? { previousVersion: v.previousVersion }
      : {}),
    sha: v.sha,
    result: p.result,
    ...(p.failedGate !== undefined ? { failedGate: p.failedGate } : {}),
    reason: p.reason,
    startedAt: p.startedAt,
    endedAt: p.endedAt,
    gates: p.gates,
    chart: p.chart ?? [],
    timeline: p.timeline,
    ...(p.rollback
      ? {
          rollback: {
            attempts: p.rollback.attempts,
            ok: p.rollback.kind === 'rolled-back',
            ...target,
            reason: p.rollback.reason
          }
        }
      : {})
  }
}
