/**
 * Tests during the soak and the watch after promotion, as whole rollouts
 * against loopback services with the fake clock: real commands write real
 * JUnit reports, and a release that degrades after promotion is rolled back
 * to the previous version.
 */
import { describe, expect, it } from '@jest/globals'
import type { Behaviour } from '../../demo/service.js'
import { parseConfig } from '../../src/config/load.js'
import { buildPlan, describeGate } from '../../src/rollout/plan.js'
import { baseYaml, scenario, type Urls } from '../helpers/scenario.js'

/** A test command writing a JUnit report of 50 tests, `fails` of them failing. */
const e2e = (fails: number): string =>
  `echo e2e >> log.txt && mkdir -p reports && { echo '<testsuite name="e2e">'; for i in $(seq 1 50); do if [ $i -le ${fails} ]; then echo "<testcase classname=\\"e2e\\" name=\\"t$i\\"><failure message=\\"boom\\"/></testcase>"; else echo "<testcase classname=\\"e2e\\" name=\\"t$i\\"/>"; fi; done; echo '</testsuite>'; } > reports/junit.xml`

const soakYaml = (u: Urls, run: string, extra = ''): string =>
  baseYaml(u, {
    extraGates: `  soak:
    duration: 2h
    interval: 1m
    probes: [api]
    metrics:
      error-rate: { fail: '> 5%' }
    tests:
      run: '${run.replace(/'/g, "''")}'
      every: 30m
${extra}`
  })

const watchYaml = (u: Urls, interval = '1s'): string =>
  baseYaml(u, {
    extraGates: `  promote:
    run: echo "promote $DEPLOY_GATES_VERSION" >> log.txt
  watch:
    duration: 10m
    interval: ${interval}
`
  })

describe('tests during the soak', () => {
  it('runs the test command every interval and passes when all pass', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        soakYaml(
          u,
          e2e(0),
          `      junit: reports/junit.xml
      pass-rate: '>= 100%'
`
        )
    })
    expect(r.report.result).toBe('promoted')
    const soak = r.report.gates.find((g) => g.gate === 'soak')
    expect(soak?.outcome).toBe('passed')
    const runs = r.log.filter((l) => l === 'e2e').length
    // Every 30m of a 2h soak: at most 4 runs; a run that outlasts its slot
    // on a busy machine skips the next one, never stacks.
    expect(runs).toBeGreaterThanOrEqual(1)
    expect(runs).toBeLessThanOrEqual(4)
    const tests = soak?.findings.find((f) => f.name.startsWith('soak tests'))
    expect(tests?.level).toBe('ok')
    expect(tests?.reason).toMatch(
      /^soak tests 'echo e2e .*': \d runs? passed \(last at \d+(h|m)[^:]*: 50 of 50 passed \(100(\.0)?%\) >= 100(\.0)?%\)$/
    )
  }, 90_000)

  it('rolls back when a run passes 47 of 50 tests, naming the command and the rate', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        soakYaml(
          u,
          e2e(3),
          `      junit: reports/junit.xml
      pass-rate: '>= 100%'
`
        )
    })
    expect(r.report.result).toBe('rolled-back')
    expect(r.report.failedGate).toBe('soak')
    const soak = r.report.gates.find((g) => g.gate === 'soak')
    expect(soak?.outcome).toBe('failed')
    expect(soak?.reason).toMatch(
      /^failed early, after .* of 2h: soak tests 'echo e2e .*' at 30m: 47 of 50 passed \(94(\.0)?%\) < 100(\.0)?% \(failed: e2e › t1; e2e › t2; e2e › t3\)/
    )
    expect(r.log.filter((l) => l === 'e2e')).toEqual(['e2e'])
    expect(r.log.slice(-1)).toEqual(['rollback v1'])
    expect(soak?.findings[0]).toMatchObject({
      name: expect.stringMatching(/^soak tests 'echo e2e /),
      level: 'fail',
      condition: '>= 100%',
      n: { canary: 50 }
    })
  }, 90_000)

  it('rolls back when a test command without a report exits non-zero', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) => soakYaml(u, 'echo e2e >> log.txt && exit 4')
    })
    expect(r.report.result).toBe('rolled-back')
    expect(r.report.reason).toMatch(
      /soak tests 'echo e2e >> log.txt && exit 4' at 30m: exited with code 4/
    )
  }, 90_000)

  it('refuses a pass rate without reports and a run that would never happen', () => {
    const loaded = parseConfig(
      soakYaml(
        {
          router: 'http://127.0.0.1:1',
          stable: 'http://127.0.0.1:2',
          canary: 'http://127.0.0.1:3'
        },
        'npm run e2e',
        `      pass-rate: '>= 95%'
`
      ).replace('every: 30m', 'every: 3h'),
      'soak.yml'
    )
    expect(loaded.ok).toBe(false)
    const messages = loaded.ok ? [] : loaded.errors.map((e) => e.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        "every '3h' is longer than the soak's duration '2h', so the tests would never run",
        "'pass-rate' is read from JUnit reports: add 'junit' with their paths"
      ])
    )
  })
})

/** Degrades the canary's behaviour once the promote command has run. */
function degradeAfterPromote(
  canary: Behaviour,
  to: Partial<Behaviour>
): Parameters<typeof scenario>[0]['io'] {
  return (io) => ({
    ...io,
    runCommand: async (opts) => {
      const r = await io.runCommand(opts)
      if (opts.env?.DEPLOY_GATES_GATE === 'promote') Object.assign(canary, to)
      return r
    }
  })
}

describe('watch after promotion', () => {
  it('keeps the promotion when the promoted version stays healthy', async () => {
    // 30ms on both sides: the line `2x baseline` is drawn ~30ms above what
    // the promoted version answers, a margin a busy machine does not eat.
    const canary = { errorRate: 0, latencyMs: 30 }
    const r = await scenario({
      canary,
      stable: { errorRate: 0, latencyMs: 30 },
      // 150 looks: each is a real request on the fake clock's time.
      yaml: (u) => watchYaml(u, '4s')
    })
    expect(r.report.result).toBe('promoted')
    expect(r.log.slice(-2)).toEqual(['weight 100', 'promote v2'])
    const watch = r.report.gates.find((g) => g.gate === 'watch')
    expect(watch?.outcome).toBe('passed')
    expect(watch?.reason).toMatch(/^passed after 10m/)
    // The relative condition is drawn at the baseline stored before
    // promotion, not against the promoted version itself.
    const p95 = watch?.findings.find((f) => f.name === 'p95')
    expect(p95?.condition).toMatch(
      /^> \d+(\.\d+)?ms \(2x baseline before promotion, \d+(\.\d+)?ms\)$/
    )
    // Progress was shown during the watch.
    const progress = r.events.filter(
      (e) => e.type === 'progress' && e.gate === 'watch'
    )
    expect(progress.length).toBeGreaterThan(100)
  }, 90_000)

  it('rolls back to the previous version when errors rise after promotion', async () => {
    const canary = { errorRate: 0, latencyMs: 5 }
    const r = await scenario({
      canary,
      stable: { errorRate: 0, latencyMs: 5 },
      yaml: watchYaml,
      io: degradeAfterPromote(canary, { errorRate: 0.4 })
    })
    expect(r.report.result).toBe('rolled-back')
    expect(r.report.failedGate).toBe('watch')
    const watch = r.report.gates.find((g) => g.gate === 'watch')
    expect(watch?.outcome).toBe('failed')
    expect(watch?.reason).toMatch(/error-rate \d+(\.\d+)?% > 5%/)
    expect(r.log.slice(-4)).toEqual([
      'weight 100',
      'promote v2',
      'weight 0',
      'rollback v1'
    ])
    expect(r.weight).toBe('0')
  }, 90_000)
})

describe('plan', () => {
  it('shows the watch after promotion and the soak tests', () => {
    const u = {
      router: 'http://127.0.0.1:1',
      stable: 'http://127.0.0.1:2',
      canary: 'http://127.0.0.1:3'
    }
    const text = watchYaml(u).replace(
      '  watch:\n',
      `  soak:
    duration: 1h
    probes: [api]
    tests: { run: npm run e2e, every: 20m, junit: reports/junit.xml, pass-rate: '>= 98%' }
  watch:
    metrics: [error-rate]
`
    )
    const loaded = parseConfig(text, 'plan.yml')
    if (!loaded.ok)
      throw new Error(loaded.errors.map((e) => e.message).join('\n'))
    const plan = buildPlan(loaded.config)
    expect(plan.gates.slice(-3)).toEqual(['soak', 'promote', 'watch'])
    expect(plan.jobs.slice(-1)).toEqual([{ gate: 'watch' }])
    expect(plan.watch).toEqual({
      duration: '10m',
      durationMs: 600_000,
      interval: '1s',
      metrics: ['error-rate'],
      probes: ['api']
    })
    // 3m + 3m of bakes, 1h of soak, 10m of watch.
    expect(plan.minimum).toBe('1h16m')
    expect(describeGate(loaded.config, 'watch')).toBe(
      'after promotion, watch metrics error-rate + probes api for 10m every 1s; roll back to the previous version on a fail condition'
    )
    expect(describeGate(loaded.config, 'soak')).toBe(
      'watch for 1h + tests every 20m (pass-rate >= 98%)'
    )
  })

  it('refuses a watch metric the canary analysis does not have', () => {
    const u = {
      router: 'http://127.0.0.1:1',
      stable: 'http://127.0.0.1:2',
      canary: 'http://127.0.0.1:3'
    }
    const loaded = parseConfig(
      watchYaml(u).replace(
        '  watch:\n',
        '  watch:\n    metrics: [eror-rate]\n'
      ),
      'plan.yml'
    )
    expect(loaded.ok).toBe(false)
    expect(loaded.ok ? [] : loaded.errors.map((e) => e.message)).toEqual([
      "unknown metric 'eror-rate': not in gates.canary.analysis.metrics (did you mean 'error-rate'?)"
    ])
  })
})

describe('watch in its own job', () => {
  it('judges the absolute conditions and warns that a baseline condition has no stored baseline', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: watchYaml,
      gate: 'watch'
    })
    expect(r.report.result).toBe('passed')
    const watch = r.report.gates.find((g) => g.gate === 'watch')
    expect(watch?.outcome).toBe('warned')
    expect(watch?.findings.find((f) => f.level === 'warn')?.reason).toBe(
      "p95 '> 2x baseline' not judged: no baseline was measured before promotion in this run"
    )
    expect(watch?.findings.find((f) => f.name === 'error-rate')?.level).toBe(
      'ok'
    )
  }, 60_000)
})
