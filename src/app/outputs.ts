/**
 * The step's outputs as one map, filled as a run learns its values and
 * written once at its end, so every output action.yml declares has one
 * place that says where its value comes from.
 */
import type { RolloutReport } from '../rollout/events.js'

/** Every output action.yml declares. */
export const OUTPUT_NAMES = [
  'result',
  'failed-gate',
  'reason',
  'version',
  'previous-version',
  'deployment-id',
  'report',
  'plan',
  'dora'
] as const

export type OutputName = (typeof OUTPUT_NAMES)[number]

/** The outputs a run has a value for; the others stay unset. */
export type Outputs = Partial<Record<OutputName, string>>

/** What a finished (or recovered) rollout tells the next steps. */
export function reportOutputs(
  report: RolloutReport,
  where: { reportFile?: string; deploymentId?: number }
): Outputs {
  return {
    result: report.result,
    reason: report.reason,
    version: report.version,
    ...(report.previousVersion
      ? { 'previous-version': report.previousVersion }
      : {}),
    ...(report.failedGate ? { 'failed-gate': report.failedGate } : {}),
    ...(where.reportFile ? { report: where.reportFile } : {}),
    ...(where.deploymentId !== undefined
      ? { 'deployment-id': String(where.deploymentId) }
      : {})
  }
}
