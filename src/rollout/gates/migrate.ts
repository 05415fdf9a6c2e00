/**
 * Database migrations: backup, then the migration, with timeouts. A failed
 * migration runs `revert` when the config gives one; without it the
 * migration is irreversible and later failures hold instead of rolling back.
 * A re-run of a version whose migration an earlier run applied (and nothing
 * reverted) does not run it again: a re-run after a cancellation must not
 * depend on the migration tool being idempotent.
 */
import type { Changes } from '../changes.js'
import type { GateReport } from '../events.js'
import { oneReportGate } from '../gate.js'
import { formatDuration } from '../../kernel/format.js'

/** Runs backup → run (→ revert on failure). */
export const migrateGate = oneReportGate({
  name: 'migrate',
  section: (config) => config.gates.migrate,
  run: async ({ ctx, section: m, changes, changing }) => {
    // Counted as changed before it runs: a migration that dies halfway
    // has changed the database all the same.
    await changing({ migrated: true })
    const startedAt = ctx.clock.now()
    const ended = (
      outcome: GateReport['outcome'],
      reason: string,
      logTail: string[],
      changed: Pick<Changes, 'migrated' | 'migrationReverted'> & {
        applied: boolean
      }
    ): { report: GateReport; changed: Partial<Changes> } => ({
      report: {
        gate: 'migrate',
        outcome,
        reason,
        startedAt,
        endedAt: ctx.clock.now(),
        findings: [],
        logTail
      },
      changed: {
        migrated: changed.migrated,
        migrationReverted: changed.migrationReverted,
        // A dry run applies nothing a re-run could skip.
        migrationApplied: changed.applied && !ctx.dryRun
      }
    })
    if (changes.migrationApplied) {
      return ended(
        'skipped',
        `an earlier run of ${ctx.values.version} applied the migration and nothing reverted it; not run again`,
        [],
        { migrated: true, migrationReverted: false, applied: true }
      )
    }
    if (m.backup) {
      const b = await ctx.command('migrate', m.backup, m.timeout)
      if (b.outcome !== 'ok') {
        return ended(
          'failed',
          `backup ${b.reason}; the migration did not run`,
          b.tail,
          { migrated: false, migrationReverted: false, applied: false }
        )
      }
    }
    const r = await ctx.command('migrate', m.run, m.timeout)
    if (r.outcome === 'ok') {
      return ended(
        'passed',
        `migration ran in ${formatDuration(r.durationMs)}`,
        r.tail,
        { migrated: true, migrationReverted: false, applied: true }
      )
    }
    if (!m.revert) {
      return ended(
        'failed',
        `migration ${r.reason}; no revert is configured`,
        r.tail,
        { migrated: true, migrationReverted: false, applied: false }
      )
    }
    const v = await ctx.command(
      'migrate',
      m.revert,
      m.timeout,
      new AbortController().signal
    )
    return ended(
      'failed',
      v.outcome === 'ok'
        ? `migration ${r.reason}; revert ran`
        : `migration ${r.reason}; revert ${v.reason}`,
      [...r.tail, ...v.tail],
      { migrated: true, migrationReverted: v.outcome === 'ok', applied: false }
    )
  }
})
