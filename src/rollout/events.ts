/**
 * What a rollout tells the world while it runs. The pipeline emits these
 * events to reporters (console, JSON and markdown files, GitHub), so the
 * engine never knows where its verdicts are shown.
 */
import type { GateName } from '../config/schema.js'

/** One gate's verdict (DESIGN.md §4). */
export type Outcome =
  'passed' | 'warned' | 'failed' | 'inconclusive' | 'skipped' | 'held'

/** The whole rollout's verdict (DESIGN.md §6). */
export type RolloutResult =
  | 'promoted'
  | 'passed'
  | 'paused'
  | 'failed'
  | 'rolled-back'
  | 'held'
  | 'rollback-failed'

export type Track = 'canary' | 'baseline'

/** What was measured, against what, on how many samples, and why it matters. */
export interface Finding {
  /** Metric or check name: `error-rate`, `p95`, `cpu`, `probe health`, ... */
  name: string
  level: 'ok' | 'warn' | 'fail' | 'no-data' | 'error'
  /** Measured value as shown to users: `4.2%`, `412ms`, `0.61`. */
  value?: string
  /** Baseline value for relative conditions. */
  baseline?: string
  /** The condition as written: `> 2x baseline`. */
  condition?: string
  /** Samples behind the value, per track where there are tracks. */
  n?: { canary: number; baseline?: number }
  /** One line: `p95 412ms > 2x baseline (180ms), n=1,204/1,198`. */
  reason: string
  /** How large a breach these samples could have detected. */
  detectable?: string
}

export type GateLabel = GateName | 'rollback'

export interface GateReport {
  gate: GateLabel
  /** Canary step weight, for canary gates. */
  step?: number
  outcome: Outcome
  /** One line explaining the outcome. */
  reason: string
  startedAt: number
  endedAt: number
  findings: Finding[]
  /** Last lines of command output, already redacted. */
  logTail?: string[]
}

/** One point of the canary chart: a step's measured values per track. */
export interface StepPoint {
  weight: number
  canary: { errorRate?: number; p95Ms?: number }
  baseline: { errorRate?: number; p95Ms?: number }
}

export interface TimelineEntry {
  at: number
  text: string
}

export interface RolloutReport {
  service: string
  environment: string
  version: string
  previousVersion?: string
  sha: string
  result: RolloutResult
  failedGate?: GateLabel
  /** One line: the verdict with its numbers. */
  reason: string
  startedAt: number
  endedAt: number
  gates: GateReport[]
  chart: StepPoint[]
  timeline: TimelineEntry[]
  rollback?: {
    attempts: number
    ok: boolean
    target?: string
    reason: string
  }
}

export type RolloutEvent =
  | {
      type: 'rollout-started'
      service: string
      environment: string
      version: string
      previousVersion?: string
      gates: GateLabel[]
      at: number
    }
  | { type: 'gate-started'; gate: GateLabel; step?: number; at: number }
  | {
      type: 'progress'
      gate: GateLabel
      step?: number
      elapsedMs: number
      remainingMs: number
      /** Live values by metric, per track: `{ 'error-rate': '0.4% / 0.3%' }`. */
      values: Record<string, string>
      at: number
    }
  | { type: 'log'; gate: GateLabel; line: string; at: number }
  | { type: 'gate-finished'; report: GateReport; at: number }
  | { type: 'rollback-started'; reason: string; at: number }
  | {
      type: 'rollback-finished'
      ok: boolean
      attempts: number
      reason: string
      at: number
    }
  | { type: 'rollout-finished'; report: RolloutReport; at: number }

/** Anything that shows a rollout: console, files, GitHub. */
export interface Reporter {
  /**
   * Called in order for every event. A reporter must not throw: a reporting
   * failure never changes a verdict (the pipeline catches and logs it).
   */
  onEvent(event: RolloutEvent): void | Promise<void>
}
