/**
 * Database migrations: backup, then the migration, with timeouts. A failed
 * migration runs `revert` when the config gives one; without it the
 * migration is irreversible and later failures hold instead of rolling back.
 * A re-run of a version whose migration an earlier run applied (and nothing
 * reverted) does not run it again: a re-run after a cancellation must not
 * depend on the migration tool being idempotent.
 */
import type { GateContext } from '../context.js'
import type { GateReport } from '../events.js'
import { formatDuration } from '../../kernel/format.js'

export interface MigrateResult {
  report: GateReport
  /** The migration command ran (fully or in part). */
  migrated: boolean
  /** Its revert ran successfully after a failure. */
  reverted: boolean
  /** The migration is in place: it ran to the end now or in an earlier run. */
  applied: boolean
}

export interface MigrateOptions {
  /** An earlier run of this version applied the migration. */
  alreadyApplied?: boolean
}

/** Runs backup → run (→ revert on failure). */
export async function migrateGate(
  ctx: GateContext,
  opts: MigrateOptions = {}
): Promise<MigrateResult> {
  const m = ctx.config.gates.migrate
  const startedAt = ctx.clock.now()
  const report = (
    outcome: GateReport['outcome'],
    reason: string,
    logTail: string[] = []
  ): GateReport => ({
    gate: 'migrate',
    outcome,
    reason,
    startedAt,
    endedAt: ctx.clock.now(),
    findings: [],
    logTail
  })
  if (!m) {
    return {
      report: report('skipped', 'not configured'),
      migrated: false,
      reverted: false,
      applied: false
    }
  }
  if (opts.alreadyApplied) {
    return {
      report: report(
        'skipped',
        `an earlier run of ${ctx.values.version} applied the migration and nothing reverted it; not run again`
      ),
      migrated: true,
      reverted: false,
      applied: true
    }
  }
  if (m.backup) {
    const b = await ctx.command('migrate', m.backup, m.timeout)
    if (b.outcome !== 'ok') {
      return {
        report: report(
          'failed',
          `backup ${b.reason}; the migration did not run`,
          b.tail
        ),
        migrated: false,
        reverted: false,
        applied: false
      }
    }
  }
  const r = await ctx.command('migrate', m.run, m.timeout)
  if (r.outcome === 'ok') {
    return {
      report: report(
        'passed',
        `migration ran in ${formatDuration(r.durationMs)}`,
        r.tail
      ),
      migrated: true,
      reverted: false,
      applied: true
    }
  }
  if (!m.revert) {
    return {
      report: report(
        'failed',
        `migration ${r.reason}; no revert is configured`,
        r.tail
      ),
      migrated: true,
      reverted: false,
      applied: false
    }
  }
  const v = await ctx.command(
    'migrate',
    m.revert,
    m.timeout,
    new AbortController().signal
  )
  return {
    report: report(
      'failed',
      v.outcome === 'ok'
        ? `migration ${r.reason}; revert ran`
        : `migration ${r.reason}; revert ${v.reason}`,
      [...r.tail, ...v.tail]
    ),
    migrated: true,
    reverted: v.outcome === 'ok',
    applied: false
  }
}
