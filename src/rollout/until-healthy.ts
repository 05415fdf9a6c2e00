/**
 * Probing until healthy: retry the probes until all pass or `within` runs
 * out, so a service that is still starting gets its time, and one that
 * never starts fails with the last reason of every failing probe. The
 * health gate and the rollback's verify both wait this way.
 */
import type { GateContext } from './context.js'
import type { GateLabel, GateReport } from './events.js'
import { formatDuration } from '../kernel/format.js'
import type { Finding } from '../kernel/verdict.js'
import type { ProbeSample } from '../kernel/sample.js'

export interface HealthSpec {
  probes: string[]
  withinMs: number
  intervalMs: number
}

/** Runs the probes until healthy or out of time; used by health and verify. */
export async function untilHealthy(
  ctx: GateContext,
  gate: GateLabel,
  spec: HealthSpec,
  signal: AbortSignal = ctx.signal
): Promise<GateReport> {
  const startedAt = ctx.clock.now()
  const start = ctx.clock.monotonic()
  const deadline = start + spec.withinMs
  let attempt = 0
  let last: ProbeSample[]
  for (;;) {
    attempt += 1
    last = await Promise.all(
      spec.probes.map((p) => ctx.probe(p, { deadline, signal }))
    )
    const failing = last.filter((s) => !s.ok)
    if (failing.length === 0) {
      return {
        gate,
        outcome: 'passed',
        reason: `${spec.probes.join(', ')} healthy after ${attempt} attempt${attempt === 1 ? '' : 's'} in ${formatDuration(ctx.clock.monotonic() - start)}`,
        startedAt,
        endedAt: ctx.clock.now(),
        findings: probeFindings(last)
      }
    }
    const remaining = deadline - ctx.clock.monotonic()
    if (remaining <= 0 || signal.aborted) {
      return {
        gate,
        outcome: 'failed',
        reason: `not healthy within ${formatDuration(spec.withinMs)} (${attempt} attempts): ${failing.map((s) => `${s.probe}: ${s.reason}`).join('; ')}`,
        startedAt,
        endedAt: ctx.clock.now(),
        findings: probeFindings(last)
      }
    }
    await ctx.emit({
      type: 'progress',
      gate,
      elapsedMs: ctx.clock.monotonic() - start,
      remainingMs: remaining,
      values: Object.fromEntries(
        last.map((s) => [s.probe, s.ok ? 'ok' : s.reason])
      ),
      at: ctx.clock.now()
    })
    try {
      await ctx.clock.sleep(Math.min(spec.intervalMs, remaining), signal)
    } catch {
      // Aborted: the loop ends at the check above.
    }
  }
}

/** One finding per probe sample, for reports. */
export function probeFindings(samples: ProbeSample[]): Finding[] {
  return samples.map((s) => ({
    name: `probe ${s.probe}`,
    level: s.ok ? 'ok' : 'fail',
    value: `${Math.round(s.timings.totalMs)}ms`,
    reason: s.ok
      ? `${s.probe} ok in ${Math.round(s.timings.totalMs)}ms${statusOf(s)}`
      : `${s.probe}: ${s.reason}`
  }))
}

/** ` (200)` after a passing HTTP or WebSocket probe; commands have none. */
function statusOf(s: ProbeSample): string {
  return s.kind !== 'command' && s.status ? ` (${s.status})` : ''
}
