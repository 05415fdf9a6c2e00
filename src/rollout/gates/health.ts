/**
 * Health: after the deploy, wait until the health probes pass, within the
 * configured time, so a service that is still starting gets its time.
 */
import { oneReportGate } from '../gate.js'
import { untilHealthy } from '../until-healthy.js'

/** Probes until healthy; failed when `within` runs out first. */
export const healthGate = oneReportGate({
  name: 'health',
  section: (config) => config.gates.health,
  run: async ({ ctx, section }) => ({
    report: await untilHealthy(ctx, 'health', {
      probes: section.probes,
      withinMs: section.within,
      intervalMs: section.interval
    })
  })
})
