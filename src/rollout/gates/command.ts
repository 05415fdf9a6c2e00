/**
 * Gates that run one command of the user's: deploy and promote. The exit
 * code is the verdict; the output tail goes into the report, redacted.
 */
import type { Config } from '../../config/schema.js'
import type { Changes } from '../changes.js'
import { oneReportGate, type Gate } from '../gate.js'
import { formatDuration } from '../../kernel/format.js'

const DEFAULT_TIMEOUT_MS = 30 * 60_000

type CommandSection = NonNullable<Config['gates']['deploy' | 'promote']>

/**
 * A gate that runs its section's `run`, failed when it exits non-zero.
 * `changes` is what the command changes, counted (and saved) before it
 * starts: a command killed halfway may have changed it all the same.
 */
export function commandGate(
  name: 'deploy' | 'promote',
  changes?: Partial<Changes>
): Gate<CommandSection> {
  return oneReportGate({
    name,
    section: (config) => config.gates[name],
    run: async ({ ctx, section, changing }) => {
      if (changes) await changing(changes)
      const startedAt = ctx.clock.now()
      const r = await ctx.command(
        name,
        section.run,
        section.timeout ?? DEFAULT_TIMEOUT_MS
      )
      const ok = r.outcome === 'ok'
      return {
        report: {
          gate: name,
          outcome: ok ? 'passed' : 'failed',
          reason: ok
            ? `${name} command succeeded in ${formatDuration(r.durationMs)}`
            : `${name} command ${r.reason}`,
          startedAt,
          endedAt: ctx.clock.now(),
          findings: [],
          logTail: r.tail
        }
      }
    }
  })
}
