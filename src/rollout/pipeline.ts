/**
 * The pipeline (DESIGN.md §4, §6): the configured gates in order, then the
 * failure policy's decision (roll back, hold, or nothing) and the report.
 * It knows gates only through their contract.
 */
import { GATE_ORDER, type Config, type GateName } from '../config/schema.js'
import type { TrafficShifter } from '../traffic/types.js'
import type { Changes } from './changes.js'
import type { GateContext } from './context.js'
import type { RolloutReport } from './events.js'
import {
  goesOn,
  type GateResult,
  type GateRun,
  type Gates,
  type GateSelection,
  type PreflightQueries
} from './gate.js'
import { canaryGate } from './gates/canary.js'
import { deployGate } from './gates/deploy.js'
import { healthGate } from './gates/health.js'
import { migrateGate } from './gates/migrate.js'
import { preflightFor, preflightGate } from './gates/preflight.js'
import { missingReferences } from './gates/preflight-refs.js'
import { promoteGate } from './gates/promote.js'
import { smokeGate } from './gates/smoke.js'
import { soakGate } from './gates/soak.js'
import { watchGate } from './gates/watch.js'
import { GateCalls } from './gate-calls.js'
import { decide, type Finish, type Hold } from './policy.js'
import { Progress } from './progress.js'
import { buildReport } from './report-builder.js'
import { rollback, type RollbackOutcome } from './rollback.js'
import type { StateStore } from './state.js'

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

const GATES: Gates = {
  preflight: preflightGate,
  migrate: migrateGate,
  deploy: deployGate,
  health: healthGate,
  smoke: smokeGate,
  canary: canaryGate,
  soak: soakGate,
  promote: promoteGate,
  watch: watchGate
}

/** The pipeline's part of a gate's run: everything but its section. */
type Given = Omit<GateRun<unknown>, 'section'>

interface Configured {
  name: GateName
  run: (given: Given) => Promise<GateResult>
}

/** A gate bound to its own section, or undefined when not configured. */
function configured<N extends GateName>(
  name: N,
  config: Config
): Configured | undefined {
  const gate = GATES[name]
  const section = gate.section(config)
  if (section === undefined) return undefined
  return { name, run: (given) => gate.run({ ...given, section }) }
}

/** Runs the selected gates and returns the report with the result. */
export async function runPipeline(
  ctx: GateContext,
  opts: PipelineOptions
): Promise<RolloutReport> {
  const startedAt = ctx.clock.now()
  const progress = new Progress(
    ctx,
    opts.state,
    {
      migrated: false,
      migrationReversible: ctx.config.gates.migrate?.revert !== undefined,
      migrationReverted: false,
      migrationApplied: false,
      deployed: false,
      trafficWeight: 0,
      ...opts.changes
    },
    startedAt
  )
  const selected = GATE_ORDER.filter(
    (name) => opts.gate === 'all' || opts.gate === name
  )
    .map((name) => configured(name, ctx.config))
    .filter((g): g is Configured => g !== undefined)
  // A reference the run cannot render stops it before anything changes,
  // with or without a preflight section, in every job shape.
  const scope = selected.map((g) => g.name)
  if (
    !scope.includes('preflight') &&
    missingReferences(ctx.config, ctx.io.env, scope).length > 0
  ) {
    const gate = preflightFor(scope)
    selected.unshift({
      name: 'preflight',
      run: (given) => gate.run({ ...given, section: {} })
    })
  }

  await ctx.emit({
    type: 'rollout-started',
    service: ctx.values.service,
    environment: ctx.values.environment,
    version: ctx.values.version,
    ...(ctx.values.previousVersion !== undefined
      ? { previousVersion: ctx.values.previousVersion }
      : {}),
    gates: selected.map((g) => g.name),
    at: startedAt
  })
  progress.note(
    `rollout of ${ctx.values.version} to ${ctx.values.environment} started`
  )
  await progress.save()

  let stop: GateResult | undefined
  for (const gate of selected) {
    if (ctx.signal.aborted) break
    const calls = new GateCalls(ctx, progress, gate.name)
    const refused = await calls.gateStart()
    const ran =
      refused ??
      (await gate.run({
        ctx,
        changes: progress.changes,
        shifter: opts.shifter,
        preflight: opts.preflight,
        onlyStep: opts.gate === 'all' ? undefined : opts.step,
        oneJob: opts.gate === 'all',
        start: (step) => calls.start(step),
        record: (report) => calls.record(report),
        changing: async (patch) => {
          progress.change(patch)
          await progress.save()
        },
        plot: (point) => void progress.chart.push(point)
      }))
    const result = refused ? ran : await calls.gateEnd(ran)
    if (result.changed) progress.change(result.changed)
    if (!goesOn(result)) {
      stop = result
      break
    }
  }

  const facts = {
    stop,
    cancelled: ctx.signal.aborted ? ctx.cancelReason() : undefined,
    changes: progress.changes,
    selection: opts.gate,
    promotes: ctx.config.gates.canary !== undefined,
    version: ctx.values.version,
    environment: ctx.values.environment,
    reports: progress.gates
  }
  const decided = decide(facts)
  let decision: Finish | Hold
  let rolledBack: RollbackOutcome | undefined
  if (decided.kind === 'roll-back') {
    await progress.save({ phase: 'rolling-back' })
    rolledBack = await rollback(
      ctx,
      progress.changes,
      opts.shifter,
      decided.why
    )
    progress.gates.push(rolledBack.report)
    progress.note(rolledBack.reason)
    decision = decide({ ...facts, rollback: rolledBack })
  } else decision = decided
  if (decision.kind === 'hold') progress.note('hold: nothing was rolled back')
  const { result } = decision
  progress.note(`result: ${result}`)
  await progress.save({
    phase: result === 'paused' ? 'running' : 'done',
    result,
    ...(rolledBack ? { rollbackAttempts: rolledBack.attempts } : {})
  })
  const report = buildReport({
    values: ctx.values,
    result,
    ...(decision.failedGate !== undefined
      ? { failedGate: decision.failedGate }
      : {}),
    reason: ctx.redact(decision.reason),
    startedAt,
    endedAt: ctx.clock.now(),
    gates: progress.gates,
    chart: progress.chart,
    timeline: progress.timeline,
    ...(rolledBack ? { rollback: rolledBack } : {})
  })
  await ctx.emit({ type: 'rollout-finished', report, at: ctx.clock.now() })
  return report
}
