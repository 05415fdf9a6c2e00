/**
 * Soak: a long bake at full weight, watching the soak probes and metrics,
 * with trend conditions such as `growth > 5%/h` judged over the whole run.
 */
import type { GateContext } from '../context.js'
import type { GateReport } from '../events.js'
import { bake } from '../bake.js'

/** Watches the service for the soak's duration. */
export async function soakGate(ctx: GateContext): Promise<GateReport> {
  const s = ctx.config.gates.soak!
  const result = await bake(ctx, {
    gate: 'soak',
    startedAt: ctx.clock.now(),
    durationMs: s.duration,
    intervalMs: s.interval,
    probes: s.probes ?? [],
    metrics: s.metrics ?? {},
    tracks: [undefined],
    mode: 'enforce',
    onNoData: s['on-no-data'],
    minSamples: s['min-samples'],
    confidence: 0.99,
    decideEarly: false,
    errorLimit: s['error-limit']
  })
  return result.report
}
