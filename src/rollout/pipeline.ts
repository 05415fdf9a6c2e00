/**
 * The pipeline (DESIGN.md §4, §6): gates in order, the failure policy, and
 * the rollout's result. A gate that fails after something changed starts a
 * rollback, or a hold when the change cannot be undone. Every state change is
 * saved first, so a killed process can be finished by the post step.
 */
import type { GateName } from '../config/schema.js'
import { GATE_ORDER } from '../config/schema.js'
import type { TrafficShifter } from '../traffic/types.js'
import { stateIdentity, type StateStore, type RolloutState } from './state.js'
import { reportIdentity, type GateContext } from './context.js'
import type {
  GateReport,
  RolloutReport,
  RolloutResult,
  StepPoint,
  TimelineEntry
} from './events.js'
import { commandGate } from './gates/command.js'
import { healthGate } from './gates/health.js'
import { migrateGate } from './gates/migrate.js'
import { preflightGate, type PreflightQueries } from './gates/preflight.js'
import { smokeGate } from './gates/smoke.js'
import { canaryGate } from './gates/canary.js'
import { soakGate } from './gates/soak.js'
import { rollback, type Changes } from './rollback.js'
import { errorMessage } from '../kernel/errors.js'

export type GateSelection = 'all' | GateName

export interface PipelineOptions {
  /** Which gates run: all, or one (the one-job-per-gate shape). */
  gate: GateSelection
  /** With gate canary: the weight of the one step to run. */
  step?: number
  shifter?: TrafficShifter
  state: StateStore
  preflight?: PreflightQueries
  /** State of earlier jobs of this rollout (jobs mode), when known. */
  changes?: Partial<Changes>
}

const BAD = new Set(['failed', 'inconclusive', 'held'])

/**
 * The changes as the saved state keeps them: what a later job, a re-run or
 * the post step must know to carry on or undo.
 */
export function changedOf(c: Changes): RolloutState['changed'] {
  return {
    migrated: c.migrated,
    migrationReversible: c.migrationReversible,
    migrationApplied: c.migrationApplied,
    deployed: c.deployed,
    trafficWeight: c.trafficWeight
  }
}

/** Runs the selected gates and returns the report with the result. */
export async function runPipeline(
  ctx: GateContext,
  opts: PipelineOptions
): Promise<RolloutReport> {
  const g = ctx.config.gates
  const startedAt = ctx.clock.now()
  const timeline: TimelineEntry[] = []
  const note = (text: string): void => {
    timeline.push({ at: ctx.clock.now(), text: ctx.redact(text) })
  }
  const gates: GateReport[] = []
  const chart: StepPoint[] = []
  const changes: Changes = {
    migrated: false,
    migrationReversible: g.migrate?.revert !== undefined,
    migrationReverted: false,
    migrationApplied: false,
    deployed: false,
    trafficWeight: 0,
    ...opts.changes
  }
  const selected = GATE_ORDER.filter(
    (name) =>
      g[name] !== undefined && (opts.gate === 'all' || opts.gate === name)
  )
  const state: RolloutState = {
    ...stateIdentity(ctx.values),
    startedAt,
    updatedAt: startedAt,
    phase: 'running',
    changed: changedOf(changes),
    rollbackAttempts: 0
  }
  const save = async (patch: Partial<RolloutState> = {}): Promise<void> => {
    Object.assign(state, patch, {
      updatedAt: ctx.clock.now(),
      changed: changedOf(changes)
    })
    try {
      await opts.state.save(state)
    } catch (e) {
      ctx.io.warn(`could not save rollout state: ${errorMessage(e)}`)
    }
  }

  await ctx.emit({
    type: 'rollout-started',
    service: ctx.values.service,
    environment: ctx.values.environment,
    version: ctx.values.version,
    ...(ctx.values.previousVersion !== undefined
      ? { previousVersion: ctx.values.previousVersion }
      : {}),
    gates: selected,
    at: startedAt
  })
  note(`rollout of ${ctx.values.version} to ${ctx.values.environment} started`)
  await save()

  let failed: GateReport | undefined
  let paused: GateReport | undefined
  const record = async (report: GateReport): Promise<void> => {
    gates.push(report)
    note(
      `${report.gate}${report.step !== undefined ? ` ${report.step}%` : ''}: ${report.outcome}: ${report.reason}`
    )
    await ctx.emit({ type: 'gate-finished', report, at: ctx.clock.now() })
  }
  const start = async (gate: GateName, step?: number): Promise<void> => {
    await save({
      currentGate: gate,
      ...(step !== undefined ? { currentStep: step } : {})
    })
    await ctx.emit({
      type: 'gate-started',
      gate,
      ...(step !== undefined ? { step } : {}),
      at: ctx.clock.now()
    })
  }

  for (const gate of selected) {
    if (ctx.signal.aborted) break
    if (gate === 'canary') {
      const result = await canaryGate(ctx, {
        shifter: opts.shifter,
        onlyStep: opts.gate === 'canary' ? opts.step : undefined,
        oneJob: opts.gate === 'all',
        start: (step) => start('canary', step),
        shifted: async (weight) => {
          changes.trafficWeight = weight
          await save()
        },
        record,
        chart
      })
      if (result.paused) paused = result.paused
      if (result.failed) failed = result.failed
      if (failed || paused) break
      continue
    }
    await start(gate)
    let report: GateReport
    switch (gate) {
      case 'preflight':
        report = await preflightGate(ctx, opts.preflight)
        break
      case 'migrate': {
        // Counted as changed before it runs: a migration that dies halfway
        // has changed the database all the same.
        changes.migrated = true
        await save()
        const m = await migrateGate(ctx, {
          alreadyApplied: changes.migrationApplied
        })
        changes.migrated = m.migrated
        changes.migrationReverted = m.reverted
        changes.migrationApplied = m.applied && !ctx.dryRun
        report = m.report
        break
      }
      case 'deploy':
        changes.deployed = true
        await save()
        report = await commandGate(ctx, 'deploy', g.deploy!)
        break
      case 'health':
        report = await healthGate(ctx, 'health', {
          probes: g.health!.probes,
          withinMs: g.health!.within,
          intervalMs: g.health!.interval
        })
        break
      case 'smoke':
        report = await smokeGate(ctx)
        break
      case 'soak':
        report = await soakGate(ctx)
        break
      case 'promote':
        report = await commandGate(ctx, 'promote', g.promote!)
        break
    }
    await record(report)
    if (BAD.has(report.outcome)) {
      failed = report
      break
    }
  }

  let result: RolloutResult
  let reason: string
  let rollbackInfo: RolloutReport['rollback']
  const changed =
    changes.migrated || changes.deployed || changes.trafficWeight > 0
  const cancelled = ctx.signal.aborted && !failed
  if (failed || cancelled) {
    // The gate is in failedGate (and every renderer says where); the reason
    // says why.
    const cancel = `cancelled (${String((ctx.signal.reason as Error | undefined)?.message ?? 'signal')})`
    // A gate cut short by the cancellation fails for that reason.
    const why =
      failed && (!ctx.signal.aborted || failed.reason.includes(cancel))
        ? failed.reason
        : cancel
    const hold =
      failed?.outcome === 'held' ||
      (changes.migrated &&
        !changes.migrationReversible &&
        !changes.migrationReverted)
    if (!changed && !(changes.migrated && changes.migrationReverted)) {
      result = 'failed'
      reason = `${why}; nothing was changed`
    } else if (
      changes.migrated &&
      changes.migrationReverted &&
      !changes.deployed &&
      changes.trafficWeight === 0
    ) {
      result = 'rolled-back'
      reason = `${why}; the migration was reverted`
    } else if (hold) {
      result = 'held'
      reason = `${why}; HOLD: ${failed?.outcome === 'held' ? 'mode hold-on-fail' : 'the migration is irreversible'}, nothing was rolled back`
      note('hold: nothing was rolled back')
    } else {
      await save({ phase: 'rolling-back' })
      const rb = await rollback(ctx, changes, opts.shifter, why)
      gates.push(rb.report)
      note(rb.reason)
      state.rollbackAttempts = rb.attempts
      result = rb.ok ? 'rolled-back' : 'rollback-failed'
      reason = `${why}; ${rb.reason}`
      rollbackInfo = {
        attempts: rb.attempts,
        ok: rb.ok,
        ...(ctx.values.previousVersion !== undefined
          ? { target: ctx.values.previousVersion }
          : {}),
        reason: rb.reason
      }
    }
  } else if (paused) {
    result = 'paused'
    reason = paused.reason
  } else if (opts.gate !== 'all') {
    const last = gates[gates.length - 1]
    result = 'passed'
    reason = last ? last.reason : `gate '${opts.gate}' is not configured`
  } else {
    result = g.canary ? 'promoted' : 'passed'
    const warned = gates.filter((r) => r.outcome === 'warned').length
    reason = `${ctx.values.version} ${result} to ${ctx.values.environment}${warned ? ` with ${warned} warning${warned === 1 ? '' : 's'}` : ''}`
  }
  note(`result: ${result}`)
  await save({ phase: result === 'paused' ? 'running' : 'done', result })

  const report: RolloutReport = {
    ...reportIdentity(ctx.values),
    result,
    ...(failed ? { failedGate: failed.gate } : {}),
    reason: ctx.redact(reason),
    startedAt,
    endedAt: ctx.clock.now(),
    gates,
    chart,
    timeline,
    ...(rollbackInfo ? { rollback: rollbackInfo } : {})
  }
  await ctx.emit({ type: 'rollout-finished', report, at: ctx.clock.now() })
  return report
}
