/**
 * Watch after promotion: the canary analysis goes on for a while against
 * the promoted version. Conditions relative to the baseline compare with
 * what the baseline track measured before promotion (the old version is
 * gone from the baseline by now); a fail condition that holds fails the
 * gate, and the failure policy rolls back to the previous version.
 */
import {
  BUILTIN_METRICS,
  sourcesOf,
  type MetricConfig
} from '../../config/schema.js'
import type { Condition, Quantity } from '../../config/units.js'
import {
  kindForCondition,
  thresholdOf,
  type ValueKind
} from '../../analysis/conditions.js'
import { formatValue } from '../../analysis/wording.js'
import type { Finding } from '../../kernel/verdict.js'
import { bake } from '../bake.js'
import { oneReportGate } from '../gate.js'

/** How a metric's values read: a rate, a latency or a plain number. */
function kindOf(name: string, m: MetricConfig): ValueKind {
  if (sourcesOf(m).length === 0) {
    const b = BUILTIN_METRICS[name as keyof typeof BUILTIN_METRICS]
    return b === 'percent' ? 'rate' : b === 'duration' ? 'latency' : 'number'
  }
  const first = [...(m.fail ?? []), ...(m.warn ?? [])][0]
  return first ? kindForCondition(first) : 'number'
}

function quantity(kind: ValueKind, v: number): Quantity {
  if (kind === 'rate') return { kind: 'percent', ratio: v }
  if (kind === 'latency') return { kind: 'duration', ms: v }
  return { kind: 'number', value: v }
}

/**
 * The metric with its baseline conditions drawn at the line the stored
 * baseline gives them (`> 2x baseline` with 180ms before promotion is
 * `> 360ms`); without a stored value they are left out, and said so.
 */
export function againstStored(
  name: string,
  m: MetricConfig,
  stored: number | undefined
): { metric: MetricConfig; notes: Finding[] } {
  const kind = kindOf(name, m)
  const notes: Finding[] = []
  const fix = (list: Condition[] | undefined): Condition[] | undefined => {
    if (!list) return undefined
    const out = list.flatMap((c): Condition[] => {
      if (c.kind !== 'compare') return [c]
      if (
        c.operand.kind !== 'baseline-ratio' &&
        c.operand.kind !== 'baseline-plus'
      )
        return [c]
      const line = thresholdOf(c, stored)
      if (line === undefined) {
        notes.push({
          name,
          level: 'warn',
          condition: c.text,
          reason: `${name} '${c.text}' not judged: no baseline was measured before promotion in this run`
        })
        return []
      }
      const rest = c.text.slice(c.op.length).trim()
      return [
        {
          kind: 'compare',
          op: c.op,
          operand: quantity(kind, line),
          text: `${c.op} ${formatValue(line, kind)} (${rest} before promotion, ${formatValue(stored ?? 0, kind)})`
        }
      ]
    })
    return out.length ? out : undefined
  }
  const fail = fix(m.fail)
  const warn = fix(m.warn)
  const { fail: _f, warn: _w, ...rest } = m
  return {
    metric: { ...rest, ...(fail ? { fail } : {}), ...(warn ? { warn } : {}) },
    notes
  }
}

/** Watches the promoted version for the watch's duration. */
export const watchGate = oneReportGate({
  name: 'watch',
  section: (config) => config.gates.watch,
  run: async ({ ctx, section: w }) => {
    const a = ctx.config.gates.canary?.analysis
    const all = a?.metrics ?? {}
    const metrics: Record<string, MetricConfig> = {}
    const notes: Finding[] = []
    for (const name of w.metrics ?? Object.keys(all)) {
      const m = all[name]
      if (!m) continue
      const r = againstStored(name, m, ctx.baselineBeforePromotion?.[name])
      notes.push(...r.notes)
      if (r.metric.fail || r.metric.warn) metrics[name] = r.metric
    }
    const result = await bake(ctx, {
      gate: 'watch',
      startedAt: ctx.clock.now(),
      durationMs: w.duration,
      intervalMs: w.interval,
      probes: w.probes ?? a?.probes ?? [],
      metrics,
      // The promoted version answers where users reach it: probes use the
      // config's own vars, and metric sources read as the canary track.
      tracks: [undefined],
      metricTrack: 'canary',
      mode: 'enforce',
      onNoData: w['on-no-data'],
      minSamples: w['min-samples'],
      confidence: a?.confidence ?? 0.99,
      decideEarly: false,
      errorLimit: w['error-limit'],
      maxBake: a?.['max-bake'] ?? 3
    })
    const report = result.report
    if (notes.length === 0) return { report, cancelled: result.cancelled }
    return {
      report: {
        ...report,
        outcome: report.outcome === 'passed' ? 'warned' : report.outcome,
        findings: [...report.findings, ...notes]
      },
      cancelled: result.cancelled
    }
  }
})
