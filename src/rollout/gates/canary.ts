/**
 * Canary steps: for each step, shift traffic to its weight, then bake it
 * under analysis. An approval step ends a one-job run as `paused`; in the
 * one-job-per-gate shape the approval is the environment between jobs.
 */
import type { TrafficShifter } from '../../traffic/types.js'
import type { GateContext } from '../context.js'
import type { GateReport, StepPoint } from '../events.js'
import { bake } from '../bake.js'

export interface CanaryHooks {
  shifter: TrafficShifter | undefined
  /** Run only the step with this weight (gate canary, input step). */
  onlyStep: number | undefined
  /** The whole rollout runs in one job: approval steps pause it. */
  oneJob: boolean
  start: (weight: number) => Promise<void>
  /** Called once the load balancer took a weight (state is saved). */
  shifted: (weight: number) => Promise<void>
  record: (report: GateReport) => Promise<void>
  chart: StepPoint[]
}

export interface CanaryResult {
  failed?: GateReport
  paused?: GateReport
}

/** Runs the canary steps in order; stops at the first failure or pause. */
export async function canaryGate(
  ctx: GateContext,
  hooks: CanaryHooks
): Promise<CanaryResult> {
  const canary = ctx.config.gates.canary
  if (!canary) return {}
  const steps = canary.steps
    .map((s, i) => ({ ...s, index: i + 1 }))
    .filter((s) => hooks.onlyStep === undefined || s.weight === hooks.onlyStep)
  if (steps.length === 0) {
    const report: GateReport = {
      gate: 'canary',
      outcome: 'failed',
      reason: `no canary step has weight ${hooks.onlyStep} (steps: ${canary.steps.map((s) => s.weight).join(', ')})`,
      startedAt: ctx.clock.now(),
      endedAt: ctx.clock.now(),
      findings: []
    }
    await hooks.record(report)
    return { failed: report }
  }
  for (const [n, s] of steps.entries()) {
    if (ctx.signal.aborted) return {}
    if (hooks.oneJob && s.approval && n > 0) {
      const report: GateReport = {
        gate: 'canary',
        step: s.weight,
        outcome: 'skipped',
        reason: `paused before ${s.weight}%: step ${s.index} needs an approval (run gate canary with step ${s.weight} after approving)`,
        startedAt: ctx.clock.now(),
        endedAt: ctx.clock.now(),
        findings: []
      }
      await hooks.record(report)
      return { paused: report }
    }
    ctx.weight = s.weight
    ctx.step = s.index
    await hooks.start(s.weight)
    const startedAt = ctx.clock.now()
    if (!hooks.shifter) {
      const report: GateReport = {
        gate: 'canary',
        step: s.weight,
        outcome: 'failed',
        reason: 'no traffic shifter configured',
        startedAt,
        endedAt: ctx.clock.now(),
        findings: []
      }
      await hooks.record(report)
      return { failed: report }
    }
    const shift = await hooks.shifter.shift(s.weight, {
      env: ctx.commandEnv('canary'),
      values: ctx.renderValues(),
      signal: ctx.signal,
      redact: ctx.redact,
      onSecrets: (secrets) => secrets.forEach((x) => ctx.redactor.add(x)),
      onLine: (line) => {
        void ctx.emit({
          type: 'log',
          gate: 'canary',
          line,
          at: ctx.clock.now()
        })
      }
    })
    if (!shift.ok) {
      // The weight may have been applied in part: rollback shifts it back.
      await hooks.shifted(s.weight)
      const report: GateReport = {
        gate: 'canary',
        step: s.weight,
        outcome: 'failed',
        reason: shift.reason,
        startedAt,
        endedAt: ctx.clock.now(),
        findings: [],
        ...(shift.logTail ? { logTail: shift.logTail } : {})
      }
      await hooks.record(report)
      return { failed: report }
    }
    await hooks.shifted(s.weight)
    if (s.bake === undefined || !canary.analysis) {
      const report: GateReport = {
        gate: 'canary',
        step: s.weight,
        outcome: 'passed',
        reason: `${shift.reason}${s.bake !== undefined ? '; no analysis configured' : ''}`,
        startedAt,
        endedAt: ctx.clock.now(),
        findings: []
      }
      if (s.bake !== undefined)
        await ctx.clock.sleep(s.bake, ctx.signal).catch(() => undefined)
      await hooks.record(report)
      continue
    }
    const a = canary.analysis
    const tracks = a.tracks?.baseline
      ? (['canary', 'baseline'] as const)
      : (['canary'] as const)
    const result = await bake(ctx, {
      gate: 'canary',
      step: s.weight,
      startedAt,
      durationMs: s.bake,
      intervalMs: a.interval,
      probes: a.probes ?? [],
      metrics: a.metrics ?? {},
      tracks: [...tracks],
      mode: a.mode,
      onNoData: a['on-no-data'],
      minSamples: a['min-samples'],
      confidence: a.confidence,
      decideEarly: a['decide-early'],
      errorLimit: a['error-limit'],
      prefix: shift.reason
    })
    if (result.point) hooks.chart.push(result.point)
    await hooks.record(result.report)
    if (['failed', 'inconclusive', 'held'].includes(result.report.outcome)) {
      return { failed: result.report }
    }
  }
  return {}
}
