/**
 * Smoke: every probe once (with its own retries), then the test commands,
 * whose JUnit reports give a pass rate when the config asks for one.
 */
import { compareOp } from '../../config/units.js'
import { readJunitFiles } from '../../probes/junit.js'
import * as path from 'node:path'
import { oneReportGate } from '../gate.js'
import { probeFindings } from '../until-healthy.js'
import { formatPercent } from '../../kernel/format.js'
import type { Finding } from '../../kernel/verdict.js'

/** Runs the smoke probes and tests; failed when any of them fails. */
export const smokeGate = oneReportGate({
  name: 'smoke',
  section: (config) => config.gates.smoke,
  run: async ({ ctx, section: smoke }) => {
    const startedAt = ctx.clock.now()
    const findings: Finding[] = []
    const logTail: string[] = []
    for (const name of smoke.probes ?? []) {
      if (ctx.config.probes[name]?.load) {
        const r = await ctx.load(name)
        findings.push({
          name: `load ${name}`,
          level: r.ok ? 'ok' : 'fail',
          reason: `${name}: ${r.reason}`
        })
        continue
      }
      const sample = await ctx.probe(name)
      findings.push(...probeFindings([sample]))
    }
    for (const [i, t] of (smoke.tests ?? []).entries()) {
      const label = `tests${(smoke.tests?.length ?? 0) > 1 ? ` #${i + 1}` : ''}`
      const r = await ctx.command('smoke', t.run, t.timeout)
      logTail.push(...r.tail)
      const passRate = t['pass-rate']
      if (!t.junit || !passRate) {
        findings.push({
          name: label,
          level: r.outcome === 'ok' ? 'ok' : 'fail',
          reason:
            r.outcome === 'ok' ? `${label} passed` : `${label} ${r.reason}`
        })
        continue
      }
      const report = await readJunitFiles(
        t.junit.map((p) => path.resolve(ctx.io.workspace, p))
      )
      if ('error' in report) {
        findings.push({
          name: label,
          level: 'error',
          reason: `${label}: ${ctx.redact(report.error)} (command ${r.reason})`
        })
        continue
      }
      const counted = report.tests - report.skipped
      const rate = report.passRate
      const threshold =
        passRate.kind === 'compare' && passRate.operand.kind === 'percent'
          ? passRate.operand.ratio
          : 1
      const op = passRate.kind === 'compare' ? passRate.op : '>='
      const ok = rate !== undefined && compareOp(op, rate, threshold)
      const failedNames = report.failed
        .slice(0, 5)
        .map((f) => ctx.redact(`${f.suite} › ${f.name}`))
      findings.push({
        name: `${label} pass-rate`,
        level: ok ? 'ok' : 'fail',
        value: rate === undefined ? 'none' : formatPercent(rate),
        condition: passRate.text,
        n: { canary: counted },
        reason:
          rate === undefined
            ? `${label}: no test counted in ${t.junit.join(', ')}`
            : `${label} pass-rate ${formatPercent(rate)} ${ok ? 'meets' : 'fails'} '${passRate.text}', n=${counted} (${report.passed} passed, ${report.failures + report.errors} failed${failedNames.length ? `: ${failedNames.join('; ')}` : ''})`
      })
    }
    const bad = findings.filter(
      (f) => f.level === 'fail' || f.level === 'error'
    )
    return {
      report: {
        gate: 'smoke',
        outcome: bad.length === 0 ? 'passed' : 'failed',
        reason:
          bad.length === 0
            ? `${findings.length} smoke check${findings.length === 1 ? '' : 's'} passed`
            : bad.map((f) => f.reason).join('; '),
        startedAt,
        endedAt: ctx.clock.now(),
        findings,
        logTail
      }
    }
  }
})
