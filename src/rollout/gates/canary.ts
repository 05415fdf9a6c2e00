/**
 * Canary steps: for each step, shift traffic to its weight, then bake it
 * under analysis. An approval step ends a one-job run as `paused`; in the
 * one-job-per-gate shape the approval is the environment between jobs, and
 * each job runs the one step its input names.
 */
import type { GateReport } from '../events.js'
import { bake } from '../bake.js'
import { goesOn, resultOf, type Gate, type GateResult } from '../gate.js'
import type { Config } from '../../config/schema.js'

type CanarySection = NonNullable<Config['gates']['canary']>

/**
 * Runs the canary steps in order; stops at the first failure or pause, and
 * otherwise ends with the result of its last step.
 */
export const canaryGate: Gate<CanarySection> = {
  name: 'canary',
  section: (config) => config.gates.canary,
  async run(run) {
    const { ctx, section: canary } = run
    const failed = async (report: GateReport): Promise<GateResult> => {
      await run.record(report)
      return { kind: 'failed', report }
    }
    const steps = canary.steps
      .map((s, i) => ({ ...s, index: i + 1 }))
      .filter((s) => run.onlyStep === undefined || s.weight === run.onlyStep)
    let last: GateResult | undefined
    for (const [n, s] of steps.entries()) {
      if (ctx.signal.aborted) return { kind: 'cancelled' }
      if (run.oneJob && s.approval && n > 0) {
        const report: GateReport = {
          gate: 'canary',
          step: s.weight,
          outcome: 'skipped',
          reason: `paused before ${s.weight}%: step ${s.index} needs an approval (run gate canary with step ${s.weight} after approving)`,
          startedAt: ctx.clock.now(),
          endedAt: ctx.clock.now(),
          findings: []
        }
        await run.record(report)
        return { kind: 'paused', report }
      }
      ctx.weight = s.weight
      ctx.step = s.index
      const refused = await run.start(s.weight)
      if (refused) {
        const kept = await run.record(refused)
        return resultOf(kept, { cancelled: ctx.signal.aborted })
      }
      const startedAt = ctx.clock.now()
      if (!run.shifter) {
        return failed({
          gate: 'canary',
          step: s.weight,
          outcome: 'failed',
          reason: 'no traffic shifter configured',
          startedAt,
          endedAt: ctx.clock.now(),
          findings: []
        })
      }
      const shift = await run.shifter.shift(s.weight, {
        env: ctx.commandEnv('canary'),
        values: ctx.renderValues(),
        signal: ctx.signal,
        redact: ctx.redact,
        onSecrets: (secrets) => secrets.forEach((x) => ctx.redactor.add(x)),
        onLine: (line) => {
          void ctx.emit({
            type: 'log',
            gate: 'canary',
            lines: [line],
            at: ctx.clock.now()
          })
        }
      })
      // Even a failed shift may have applied the weight in part: rollback
      // shifts it back.
      await run.changing({ trafficWeight: s.weight })
      if (!shift.ok) {
        return failed({
          gate: 'canary',
          step: s.weight,
          outcome: 'failed',
          reason: shift.reason,
          startedAt,
          endedAt: ctx.clock.now(),
          findings: [],
          ...(shift.logTail ? { logTail: shift.logTail } : {})
        })
      }
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
        last = resultOf(await run.record(report))
        if (!goesOn(last)) return last
        continue
      }
      const a = canary.analysis
      const tracks = a.tracks?.baseline
        ? (['canary', 'baseline'] as const)
        : (['canary'] as const)
      const baked = await bake(ctx, {
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
        maxBake: a['max-bake'],
        load: a.load ?? [],
        prefix: shift.reason
      })
      if (baked.point) run.plot(baked.point)
      if (baked.baseline) ctx.baselineBeforePromotion = baked.baseline
      const kept = await run.record(baked.report)
      last = resultOf(kept, { cancelled: baked.cancelled })
      if (!goesOn(last)) return last
    }
    if (last) return last
    // No step ran: none has the weight this job was asked for.
    return failed({
      gate: 'canary',
      outcome: 'failed',
      reason: `no canary step has weight ${run.onlyStep} (steps: ${canary.steps.map((s) => s.weight).join(', ')})`,
      startedAt: ctx.clock.now(),
      endedAt: ctx.clock.now(),
      findings: []
    })
  }
}
