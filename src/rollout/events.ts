/**
 * What a rollout tells the world while it runs. The pipeline emits these
 * events to reporters (console, JSON and markdown files, GitHub), so the
 * engine never knows where its verdicts are shown.
 */
import type { GateName } from '../config/schema.js'
import type { Finding, Outcome } from '../kernel/verdict.js'

/** The whole rollout's verdict (DESIGN.md §6). */
export type RolloutResult =
  | 'promoted'
  | 'passed'
  | 'paused'
  | 'failed'
  | 'rolled-back'
  | 'held'
  | 'rollback-failed'

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
  /** A bake's values look by look, for its chart. */
  series?: BakeSeries
}

/** How a metric's values read: a ratio, milliseconds, or a plain number. */
export type SeriesKind = 'rate' | 'latency' | 'number'

/** One metric of a bake, one entry per look (null: no value at that look). */
export interface MetricSeries {
  name: string
  kind: SeriesKind
  /** `probes`: values over the bake so far; `external`: each look's reading. */
  source: 'probes' | 'external'
  canary: (number | null)[]
  /** Present when the bake had a baseline track. */
  baseline?: (number | null)[]
  /** The first fail condition's line at each look, when it has one. */
  threshold?: (number | null)[]
}

/**
 * What the judge saw at each look of a bake: the values it decided on
 * (for probes, over the bake so far; for sources, the look's reading).
 */
export interface BakeSeries {
  /** Milliseconds since the bake started, per look. */
  at: number[]
  metrics: MetricSeries[]
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
  | { type: 'log'; gate: GateLabel; lines: string[]; at: number }
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
