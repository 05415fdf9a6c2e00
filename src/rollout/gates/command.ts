/**
 * Gates that run one command of the user's: deploy and promote. The exit
 * code is the verdict; the output tail goes into the report, redacted.
 */
import type { GateContext } from '../context.js'
import type { GateReport } from '../events.js'
import { formatDuration } from '../../kernel/format.js'

const DEFAULT_TIMEOUT_MS = 30 * 60_000

/** Runs `run` as the gate's command; failed when it exits non-zero. */
export async function commandGate(
  ctx: GateContext,
  gate: 'deploy' | 'promote',
  spec: { run: string; timeout?: number }
): Promise<GateReport> {
  const startedAt = ctx.clock.now()
  const r = await ctx.command(
    gate,
    spec.run,
    spec.timeout ?? DEFAULT_TIMEOUT_MS
  )
  const ok = r.outcome === 'ok'
  return {
    gate,
    outcome: ok ? 'passed' : 'failed',
    reason: ok
      ? `${gate} command succeeded in ${formatDuration(r.durationMs)}`
      : `${gate} command ${r.reason}`,
    startedAt,
    endedAt: ctx.clock.now(),
    findings: [],
    logTail: r.tail
  }
}
