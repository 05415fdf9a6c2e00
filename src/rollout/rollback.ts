/**
 * Rollback (DESIGN.md §6): traffic back first, then the rollback command,
 * then the migration's revert, then verify probes. Every step is idempotent,
 * so a failed attempt is simply tried again, up to `rollback.attempts`.
 * It never needs the GitHub API and never inherits the aborted signal of the
 * run it is cleaning up after. A second signal (`ctx.hurry`) bounds it: the
 * verify probes and the pauses between attempts stop at once, and the
 * report names what was left unverified.
 */
import type { Changes } from './changes.js'
import type { GateContext } from './context.js'
import type { GateReport } from './events.js'
import type { TrafficShifter } from '../traffic/types.js'
import { untilHealthy } from './until-healthy.js'

/**
 * How a rollback ended, as the rollout's result names it: every step done
 * (`rolled-back`), or out of attempts (`rollback-failed`). The reason is for
 * people; nobody reads the outcome back from it.
 */
export interface RollbackOutcome {
  kind: 'rolled-back' | 'rollback-failed'
  attempts: number
  reason: string
  report: GateReport
}

const VERIFY_WITHIN_MS = 2 * 60_000
const VERIFY_INTERVAL_MS = 2_000

/** Runs the rollback until it succeeds or runs out of attempts. */
export async function rollback(
  ctx: GateContext,
  changes: Changes,
  shifter: TrafficShifter | undefined,
  why: string
): Promise<RollbackOutcome> {
  const cfg = ctx.config.rollback
  const attempts = cfg?.attempts ?? 3
  const timeout = cfg?.timeout ?? 15 * 60_000
  const target = cfg?.traffic ?? 0
  const startedAt = ctx.clock.now()
  // A fresh signal: the run's own may be the cancellation we clean up after.
  const signal = new AbortController().signal
  const hurry = ctx.hurry ?? signal
  /** Set when a second signal left the verify undone. */
  let cutShort: string | undefined
  await ctx.emit({ type: 'rollback-started', reason: why, at: startedAt })
  const logTail: string[] = []
  let reason = ''
  let done = false
  let attempt = 0
  while (attempt < attempts) {
    attempt += 1
    const problems: string[] = []
    if (shifter && changes.trafficWeight !== target) {
      ctx.weight = target
      const r = await shifter.shift(target, {
        env: ctx.commandEnv('rollback'),
        values: ctx.renderValues(),
        signal,
        redact: ctx.redact,
        onSecrets: (secrets) => secrets.forEach((x) => ctx.redactor.add(x))
      })
      if (r.ok) changes.trafficWeight = target
      else problems.push(`traffic: ${r.reason}`)
      if (r.logTail) logTail.push(...r.logTail)
    }
    if (changes.deployed && cfg?.run) {
      const r = await ctx.command('rollback', cfg.run, timeout, signal)
      logTail.push(...r.tail)
      if (r.outcome !== 'ok') problems.push(`rollback command ${r.reason}`)
    }
    const revert = ctx.config.gates.migrate?.revert
    if (
      problems.length === 0 &&
      changes.migrated &&
      !changes.migrationReverted &&
      revert
    ) {
      const r = await ctx.command('rollback', revert, timeout, signal)
      logTail.push(...r.tail)
      if (r.outcome === 'ok') {
        changes.migrationReverted = true
        changes.migrationApplied = false
      } else problems.push(`migration revert ${r.reason}`)
    }
    if (problems.length === 0 && cfg?.verify?.length && hurry.aborted) {
      cutShort = verifyCut(hurry, cfg.verify, 'skipped')
      problems.push(cutShort)
    } else if (problems.length === 0 && cfg?.verify?.length) {
      const v = await untilHealthy(
        ctx,
        'rollback',
        {
          probes: cfg.verify,
          withinMs: ctx.config.gates.health?.within ?? VERIFY_WITHIN_MS,
          intervalMs: ctx.config.gates.health?.interval ?? VERIFY_INTERVAL_MS
        },
        hurry
      )
      if (v.outcome === 'passed') {
        // Healthy before the signal cut it short: verified after all.
      } else if (hurry.aborted) {
        cutShort = verifyCut(hurry, cfg.verify, 'cut short')
        problems.push(cutShort)
      } else problems.push(`verify: ${v.reason}`)
    }
    if (problems.length === 0) {
      done = true
      reason = `rolled back${ctx.values.previousVersion ? ` to ${ctx.values.previousVersion}` : ''} in ${attempt} attempt${attempt === 1 ? '' : 's'}`
      break
    }
    reason = problems.join('; ')
    // After a second signal nothing more is waited for or retried.
    if (hurry.aborted) break
    if (attempt < attempts) {
      await ctx.clock
        .sleep(Math.min(30_000, 5_000 * attempt), hurry)
        .catch(() => undefined)
      if (hurry.aborted) break
    }
  }
  const left = attempts - attempt
  const finalReason = done
    ? reason
    : cutShort !== undefined
      ? `${cutShort}${left > 0 ? ` (${left} more attempt${left === 1 ? '' : 's'} not made)` : ''}`
      : `rollback failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${reason}${hurry.aborted && left > 0 ? ` (stopped by ${signalName(hurry)}; ${left} more attempt${left === 1 ? '' : 's'} not made)` : ''}${ctx.values.previousVersion ? ` (last known good version: ${ctx.values.previousVersion})` : ''}`
  await ctx.emit({
    type: 'rollback-finished',
    ok: done,
    attempts: attempt,
    reason: finalReason,
    at: ctx.clock.now()
  })
  return {
    kind: done ? 'rolled-back' : 'rollback-failed',
    attempts: attempt,
    reason: finalReason,
    report: {
      gate: 'rollback',
      outcome: done ? 'passed' : 'failed',
      reason: finalReason,
      startedAt,
      endedAt: ctx.clock.now(),
      findings: [],
      logTail
    }
  }
}

/** `a second SIGTERM`, from the reason the root aborted `hurry` with. */
function signalName(hurry: AbortSignal): string {
  const why: unknown = hurry.reason
  return why instanceof Error ? why.message : 'a second signal'
}

/** What a second signal left undone of the verify, in one line. */
function verifyCut(
  hurry: AbortSignal,
  probes: readonly string[],
  how: 'skipped' | 'cut short'
): string {
  return `rollback verify ${how} by ${signalName(hurry)}: ${probes.join(', ')} not verified`
}
