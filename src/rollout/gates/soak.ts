/**
 * Soak: a long bake at full weight, watching the soak probes and metrics,
 * with trend conditions such as `growth > 5%/h` judged over the whole run,
 * and the soak's test commands run every interval alongside.
 */
import { formatDuration } from '../../kernel/format.js'
import { bake } from '../bake.js'
import { oneReportGate } from '../gate.js'
import { soakTestRuns } from '../soak-tests.js'

/** Watches the service for the soak's duration. */
export const soakGate = oneReportGate({
  name: 'soak',
  section: (config) => config.gates.soak,
  run: async ({ ctx, section: s }) => {
    const startedAt = ctx.clock.now()
    const start = ctx.clock.monotonic()
    const tests = s.tests ? soakTestRuns(ctx, s.tests, s.duration) : undefined
    const result = await bake(ctx, {
      gate: 'soak',
      startedAt,
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
      maxBake: s['max-bake'],
      ...(tests
        ? { onLook: (ms: number) => tests.onLook(ms), until: tests.failed }
        : {})
    })
    if (!tests) return { report: result.report, cancelled: result.cancelled }
    const stoppedByTests = tests.failed.aborted
    const ran = await tests.finish(
      !result.cancelled && result.report.outcome !== 'failed'
    )
    const report = {
      ...result.report,
      findings: [...ran.findings, ...result.report.findings],
      ...(ran.logTail.length ? { logTail: ran.logTail } : {})
    }
    const bad = ran.findings.filter(
      (f) => f.level === 'fail' || f.level === 'error'
    )
    if (result.cancelled || bad.length === 0) {
      return { report, cancelled: result.cancelled }
    }
    // A failing test run is the soak's verdict, whatever the samples said
    // so far; metrics that had no time to gather samples are not news.
    const elapsed = formatDuration(ctx.clock.monotonic() - start)
    const early = stoppedByTests
      ? `early, after ${elapsed} of ${formatDuration(s.duration)}`
      : `after ${elapsed}`
    const others =
      result.report.outcome === 'failed' ? `; ${result.report.reason}` : ''
    return {
      report: {
        ...report,
        outcome: 'failed',
        reason: `failed ${early}: ${bad.map((f) => f.reason).join('; ')}${others}`,
        findings: report.findings.filter((f) => f.level !== 'no-data'),
        endedAt: ctx.clock.now()
      }
    }
  }
})
