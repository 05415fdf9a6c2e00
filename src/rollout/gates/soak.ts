/**
 * Soak: a long bake at full weight, watching the soak probes and metrics,
 * with trend conditions such as `growth > 5%/h` judged over the whole run.
 */
import { bake } from '../bake.js'
import { oneReportGate } from '../gate.js'

/** Watches the service for the soak's duration. */
export const soakGate = oneReportGate({
  name: 'soak',
  section: (config) => config.gates.soak,
  run: async ({ ctx, section: s }) => {
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
      errorLimit: s['error-limit'],
      maxBake: s['max-bake']
    })
    return { report: result.report, cancelled: result.cancelled }
  }
})
