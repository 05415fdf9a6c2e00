/**
 * The engine's front door, shared by the action and the CLI: builds the
 * context (redactor, shifter, state) and runs the pipeline, a manual
 * rollback, or the post step's recovery of an interrupted rollout.
 */
import type { Config } from '../config/schema.js'
import { createRedactor, type Redactor } from '../redact/redactor.js'
import { configIdentifiers } from '../redact/identifiers.js'
import { shifterFor } from '../traffic/shifter.js'
import type { TrafficShifter } from '../traffic/types.js'
import {
  anythingChanged,
  changedOf,
  irreversible,
  type Changes
} from './changes.js'
import { GateContext, type RolloutIo, type RolloutValues } from './context.js'
import type { RolloutReport } from './events.js'
import type { GateSelection, PreflightQueries } from './gate.js'
import { runPipeline } from './pipeline.js'
import { buildReport } from './report-builder.js'
import { rollback } from './rollback.js'
import { stateIdentity, type RolloutState, type StateStore } from './state.js'
import { errorMessage } from '../kernel/errors.js'

export interface RolloutOptions {
  config: Config
  gate: GateSelection | 'rollback'
  step?: number
  values: RolloutValues
  dryRun: boolean
  state: StateStore
  signal: AbortSignal
  preflight?: PreflightQueries
  /** Secrets known before the run (the token, listed secrets). */
  secrets?: string[]
  /** The run's redactor, when reporters outside the engine share it. */
  redactor?: Redactor
  /** Aborted by a second signal: the rollback stops waiting (see rollback). */
  hurry?: AbortSignal
}

function dryRunShifter(): TrafficShifter {
  return {
    shift: (weight) =>
      Promise.resolve({
        ok: true,
        reason: `dry-run: traffic not shifted (would set ${weight}%)`,
        durationMs: 0
      })
  }
}

function context(opts: RolloutOptions, io: RolloutIo): GateContext {
  const listed = opts.config.gates.preflight?.secrets ?? []
  const secrets = [
    ...(opts.secrets ?? []),
    ...listed.map((n) => io.env[n]).filter((v): v is string => !!v)
  ]
  const redactor =
    opts.redactor ??
    createRedactor(secrets, { identifiers: configIdentifiers(opts.config) })
  if (opts.redactor) for (const s of secrets) redactor.add(s)
  const ctx = new GateContext(
    opts.config,
    opts.values,
    io,
    redactor,
    opts.signal,
    opts.dryRun
  )
  if (opts.hurry) ctx.hurry = opts.hurry
  return ctx
}

function shifter(
  opts: RolloutOptions,
  io: RolloutIo
): TrafficShifter | undefined {
  const canary = opts.config.gates.canary
  if (!canary) return undefined
  if (opts.dryRun) return dryRunShifter()
  return shifterFor(canary, {
    run: io.runCommand,
    cwd: io.workspace,
    readFile: io.readFile
  })
}

/** Runs a rollout (all gates or one) and returns its report. */
export async function runRollout(
  opts: RolloutOptions,
  io: RolloutIo
): Promise<RolloutReport> {
  const recorded = await readState(opts.state, io)
  if (opts.gate === 'rollback') opts = rollingBack(opts, recorded)
  const ctx = context(opts, io)
  const previous = previousOf(recorded, opts.values)
  if (opts.gate === 'rollback') {
    return manualRollback(ctx, opts, io, previous)
  }
  // In the one-job-per-gate shape, earlier jobs' changes carry over; any
  // run of a version whose migration is in place does not run it again.
  const changes: Partial<Changes> | undefined =
    opts.gate !== 'all' && previous.changes
      ? previous.changes
      : previous.migrationApplied
        ? { migrationApplied: true }
        : undefined
  return runPipeline(ctx, {
    gate: opts.gate,
    ...(opts.step !== undefined ? { step: opts.step } : {}),
    shifter: shifter(opts, io),
    state: opts.state,
    ...(opts.preflight ? { preflight: opts.preflight } : {}),
    ...(changes ? { changes } : {})
  })
}

interface Previous {
  /**
   * What earlier runs changed that is still in force: a rollout that did
   * not finish, or an earlier job of this one that passed.
   */
  changes?: Partial<Changes>
  /** An earlier run of this version left its migration applied. */
  migrationApplied: boolean
  /** That migration has a revert. */
  migrationReversible: boolean
}

async function readState(
  state: StateStore,
  io: RolloutIo
): Promise<RolloutState | undefined> {
  try {
    return await state.load()
  } catch (e) {
    io.warn(`could not read rollout state: ${errorMessage(e)}`)
    return undefined
  }
}

/**
 * A manual rollback undoes the environment's last recorded rollout, not
 * the version the dispatch happens to be run for (a workflow_dispatch on
 * main has no tag, so its default version is a short SHA): it takes that
 * rollout's version, so its migration is reverted and commands see it.
 */
function rollingBack(
  opts: RolloutOptions,
  s: RolloutState | undefined
): RolloutOptions {
  if (
    !s ||
    s.service !== opts.values.service ||
    s.environment !== opts.values.environment ||
    s.rolloutVersion === opts.values.version
  ) {
    return opts
  }
  return { ...opts, values: { ...opts.values, version: s.rolloutVersion } }
}

function previousOf(
  s: RolloutState | undefined,
  values: RolloutValues
): Previous {
  if (!s) return { migrationApplied: false, migrationReversible: false }
  const same =
    s.service === values.service &&
    s.environment === values.environment &&
    s.rolloutVersion === values.version
  const migrationApplied = same && s.changed.migrationApplied === true
  const migrationReversible = s.changed.migrationReversible === true
  // A job that passed ends its state `done`; the next job of the same
  // rollout still has to know what it changed.
  const inForce = s.phase !== 'done' || (same && s.result === 'passed')
  if (!inForce) return { migrationApplied, migrationReversible }
  return {
    changes: {
      migrated: s.changed.migrated,
      migrationReversible: s.changed.migrationReversible,
      migrationApplied,
      deployed: s.changed.deployed,
      trafficWeight: s.changed.trafficWeight
    },
    migrationApplied,
    migrationReversible
  }
}

/**
 * `gate: rollback`: the fast track. No analysis, no bakes: traffic back,
 * the rollback command to the target version, then verify.
 */
async function manualRollback(
  ctx: GateContext,
  opts: RolloutOptions,
  io: RolloutIo,
  { changes: previous, migrationApplied, migrationReversible }: Previous
): Promise<RolloutReport> {
  const startedAt = io.clock.now()
  // A rollback job of the same rollout knows what changed (the deployment's
  // state); a manual one does not, so it undoes deploy and traffic.
  const changes: Changes = previous
    ? {
        migrated: previous.migrated ?? false,
        migrationReversible: previous.migrationReversible ?? false,
        migrationReverted: false,
        migrationApplied,
        deployed: previous.deployed ?? false,
        trafficWeight: previous.trafficWeight ?? 0
      }
    : {
        // The finished rollout's migration, if it is still in force: a
        // reversible one is reverted, an irreversible one holds.
        migrated: migrationApplied,
        migrationReversible: migrationApplied && migrationReversible,
        migrationReverted: false,
        migrationApplied,
        deployed: true,
        // Unknown: shift back whatever the weight is now.
        trafficWeight: 100
      }
  if (irreversible(changes)) {
    return holdReport(ctx, opts, io, startedAt)
  }
  await ctx.emit({
    type: 'rollout-started',
    service: opts.values.service,
    environment: opts.values.environment,
    version: opts.values.version,
    ...(opts.values.previousVersion !== undefined
      ? { previousVersion: opts.values.previousVersion }
      : {}),
    gates: ['rollback'],
    at: startedAt
  })
  const rb = await rollback(ctx, changes, shifter(opts, io), 'manual rollback')
  const report = buildReport({
    values: opts.values,
    result: rb.kind,
    ...(rb.kind === 'rollback-failed' ? { failedGate: 'rollback' } : {}),
    reason: rb.reason,
    startedAt,
    endedAt: io.clock.now(),
    gates: [rb.report],
    timeline: [{ at: startedAt, text: `manual rollback: ${rb.reason}` }],
    rollback: rb
  })
  await opts.state
    .save({
      ...stateIdentity(opts.values),
      startedAt,
      updatedAt: io.clock.now(),
      phase: 'done',
      changed: {
        migrated: false,
        migrationReversible: false,
        // A revert it ran is recorded; a migration it did not know of stays.
        migrationApplied: changes.migrationApplied,
        deployed: false,
        trafficWeight: changes.trafficWeight
      },
      result: report.result,
      rollbackAttempts: rb.attempts
    })
    .catch((e: unknown) =>
      io.warn(`could not save rollout state: ${errorMessage(e)}`)
    )
  await ctx.emit({ type: 'rollout-finished', report, at: io.clock.now() })
  return report
}

/** A rollback asked for after an irreversible migration: hold instead. */
async function holdReport(
  ctx: GateContext,
  opts: RolloutOptions,
  io: RolloutIo,
  startedAt: number
): Promise<RolloutReport> {
  const reason =
    'HOLD: this rollout ran an irreversible migration (no revert); nothing was rolled back'
  const report = buildReport({
    values: opts.values,
    result: 'held',
    failedGate: 'rollback',
    reason,
    startedAt,
    endedAt: io.clock.now(),
    gates: [],
    timeline: [{ at: startedAt, text: reason }]
  })
  await ctx.emit({ type: 'rollout-finished', report, at: io.clock.now() })
  return report
}

/**
 * The post step's safety net: when the main step died while a rollout was
 * running or rolling back, finish the rollback from the saved state.
 */
export async function recoverRollout(
  opts: Omit<RolloutOptions, 'gate' | 'values'>,
  io: RolloutIo
): Promise<RolloutReport | undefined> {
  const s = await opts.state.load()
  if (!s || s.phase === 'done') return undefined
  if (!anythingChanged(s.changed)) return undefined
  const values: RolloutValues = {
    version: s.rolloutVersion,
    ...(s.previousVersion !== undefined
      ? { previousVersion: s.previousVersion }
      : {}),
    sha: s.sha,
    environment: s.environment,
    service: s.service
  }
  const ctx = context({ ...opts, gate: 'all', values }, io)
  const startedAt = io.clock.now()
  const changes: Changes = {
    ...s.changed,
    migrationReverted: false,
    migrationApplied: s.changed.migrationApplied ?? false
  }
  const rb = irreversible(changes)
    ? undefined
    : await rollback(
        ctx,
        changes,
        shifter({ ...opts, gate: 'all', values }, io),
        'the main step ended before the rollout finished'
      )
  const result = rb ? rb.kind : 'held'
  const reason = rb
    ? rb.reason
    : 'the main step ended mid-rollout after an irreversible migration; HOLD: nothing was rolled back'
  await opts.state.save({
    ...s,
    changed: changedOf(changes),
    phase: 'done',
    result,
    updatedAt: io.clock.now(),
    rollbackAttempts: s.rollbackAttempts + (rb?.attempts ?? 0)
  })
  const report = buildReport({
    values,
    result,
    reason,
    startedAt,
    endedAt: io.clock.now(),
    gates: rb ? [rb.report] : [],
    timeline: [{ at: startedAt, text: `post step: ${reason}` }],
    ...(rb ? { rollback: rb } : {})
  })
  await ctx.emit({ type: 'rollout-finished', report, at: io.clock.now() })
  return report
}
