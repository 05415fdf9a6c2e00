/**
 * The machine-readable report (the action's `report` output points to it):
 * a stable shape with a schema version, every key always present (`null`
 * when unknown) and in a fixed order, so scripts and dashboards can rely on
 * it across releases.
 */
import type {
  GateLabel,
  GateReport,
  RolloutReport,
  StepPoint
} from '../rollout/events.js'
import type { Finding } from '../kernel/verdict.js'

/** Bumped only when a field changes meaning or disappears. */
export const JSON_REPORT_VERSION = 1

export interface JsonFinding {
  name: string
  level: Finding['level']
  value: string | null
  baseline: string | null
  condition: string | null
  n: { canary: number; baseline: number | null } | null
  reason: string
  detectable: string | null
}

export interface JsonGate {
  gate: GateReport['gate']
  step: number | null
  outcome: GateReport['outcome']
  reason: string
  startedAt: string
  endedAt: string
  durationMs: number
  findings: JsonFinding[]
  logTail: string[]
  /**
   * A bake's values per look (ms since the bake started; null: no value at
   * that look); null for gates that do not bake.
   */
  series: {
    at: number[]
    metrics: {
      name: string
      kind: 'rate' | 'latency' | 'number'
      source: 'probes' | 'external'
      canary: (number | null)[]
      baseline: (number | null)[] | null
      threshold: (number | null)[] | null
    }[]
  } | null
}

export interface JsonReport {
  schemaVersion: typeof JSON_REPORT_VERSION
  service: string
  environment: string
  version: string
  previousVersion: string | null
  sha: string
  result: RolloutReport['result']
  failedGate: GateLabel | null
  reason: string
  startedAt: string
  endedAt: string
  durationMs: number
  gates: JsonGate[]
  chart: {
    weight: number
    canary: { errorRate: number | null; p95Ms: number | null }
    baseline: { errorRate: number | null; p95Ms: number | null }
  }[]
  timeline: { at: string; text: string }[]
  rollback: {
    attempts: number
    ok: boolean
    target: string | null
    reason: string
  } | null
}

/** ISO 8601 in UTC; an invalid stamp becomes the epoch rather than throwing. */
function iso(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString()
}

function num(v: number | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function finding(f: Finding): JsonFinding {
  return {
    name: f.name,
    level: f.level,
    value: f.value ?? null,
    baseline: f.baseline ?? null,
    condition: f.condition ?? null,
    n: f.n ? { canary: f.n.canary, baseline: f.n.baseline ?? null } : null,
    reason: f.reason,
    detectable: f.detectable ?? null
  }
}

function gate(g: GateReport): JsonGate {
  return {
    gate: g.gate,
    step: g.step ?? null,
    outcome: g.outcome,
    reason: g.reason,
    startedAt: iso(g.startedAt),
    endedAt: iso(g.endedAt),
    durationMs: Math.max(0, g.endedAt - g.startedAt),
    findings: g.findings.map(finding),
    logTail: [...(g.logTail ?? [])],
    series: g.series
      ? {
          at: [...g.series.at],
          metrics: g.series.metrics.map((m) => ({
            name: m.name,
            kind: m.kind,
            source: m.source,
            canary: [...m.canary],
            baseline: m.baseline ? [...m.baseline] : null,
            threshold: m.threshold ? [...m.threshold] : null
          }))
        }
      : null
  }
}

function point(p: StepPoint): JsonReport['chart'][number] {
  return {
    weight: p.weight,
    canary: { errorRate: num(p.canary.errorRate), p95Ms: num(p.canary.p95Ms) },
    baseline: {
      errorRate: num(p.baseline.errorRate),
      p95Ms: num(p.baseline.p95Ms)
    }
  }
}

/**
 * The report as plain JSON data. Pure: the caller writes it, so a reporting
 * failure stays the caller's to log and never touches the verdict.
 */
export function toJsonReport(report: RolloutReport): JsonReport {
  return {
    schemaVersion: JSON_REPORT_VERSION,
    service: report.service,
    environment: report.environment,
    version: report.version,
    previousVersion: report.previousVersion ?? null,
    sha: report.sha,
    result: report.result,
    failedGate: report.failedGate ?? null,
    reason: report.reason,
    startedAt: iso(report.startedAt),
    endedAt: iso(report.endedAt),
    durationMs: Math.max(0, report.endedAt - report.startedAt),
    gates: report.gates.map(gate),
    chart: report.chart.map(point),
    timeline: report.timeline.map((t) => ({ at: iso(t.at), text: t.text })),
    rollback: report.rollback
      ? {
          attempts: report.rollback.attempts,
          ok: report.rollback.ok,
          target: report.rollback.target ?? null,
          reason: report.rollback.reason
        }
      : null
  }
}
