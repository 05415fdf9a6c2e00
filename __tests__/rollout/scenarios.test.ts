/**
 * Rollout scenarios against real loopback services: what happens to the
 * traffic, the commands and the verdict for each kind of release.
 */
import { describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { baseYaml, scenario } from '../helpers/scenario.js'

const count = (log: string[], line: string): number =>
  log.filter((l) => l === line).length

describe('rollout scenarios', () => {
  it('promotes a good release through every step', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 10 },
      yaml: (u) => baseYaml(u)
    })
    expect(r.report.result).toBe('promoted')
    expect(r.log).toEqual(['deploy v2', 'weight 10', 'weight 50', 'weight 100'])
    expect(r.weight).toBe('100')
    expect(r.report.gates.map((g) => [g.gate, g.step, g.outcome])).toEqual([
      ['deploy', undefined, 'passed'],
      ['health', undefined, 'passed'],
      ['canary', 10, 'passed'],
      ['canary', 50, 'passed'],
      ['canary', 100, 'passed']
    ])
    expect(r.report.chart.map((p) => p.weight)).toEqual([10, 50])
    // Progress was shown during the bakes.
    expect(
      r.events.filter((e) => e.type === 'progress').length
    ).toBeGreaterThan(100)
  }, 60_000)

  it('rolls back a canary with 7% errors at the first step', async () => {
    const r = await scenario({
      canary: { errorRate: 0.07, latencyMs: 2 },
      stable: { errorRate: 0, latencyMs: 2 },
      yaml: (u) => baseYaml(u, { bake: '10m' })
    })
    expect(r.report.result).toBe('rolled-back')
    expect(r.report.failedGate).toBe('canary')
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.step).toBe(10)
    expect(failed?.reason).toMatch(/error-rate \d+(\.\d+)?% > 5%/)
    expect(r.log).toEqual(['deploy v2', 'weight 10', 'weight 0', 'rollback v1'])
    expect(count(r.log, 'rollback v1')).toBe(1)
    expect(r.weight).toBe('0')
    expect(r.report.rollback).toMatchObject({ ok: true, attempts: 1 })
  }, 60_000)

  it('rolls back a canary whose p95 is 5x the baseline, with the ratio', async () => {
    // Real loopback latencies: a margin that holds when a busy machine
    // adds the same delay to both tracks.
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 50 },
      stable: { errorRate: 0, latencyMs: 10 },
      yaml: (u) => baseYaml(u)
    })
    expect(r.report.result).toBe('rolled-back')
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.step).toBe(10)
    expect(failed?.reason).toMatch(/p95 \d+ms > 2x baseline/)
    expect(r.log).toContain('rollback v1')
  }, 60_000)

  it('reverts a failed migration and never deploys', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          extraGates: `  migrate:
    run: echo migrate >> log.txt && exit 3
    revert: echo revert >> log.txt
`
        })
    })
    expect(r.log).toEqual(['migrate', 'revert'])
    expect(r.report.failedGate).toBe('migrate')
    expect(r.report.result).toBe('rolled-back')
    expect(r.report.reason).toContain('exited with code 3')
  }, 30_000)

  it('holds after an irreversible migration when smoke fails', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          extraGates: `  migrate:
    run: echo migrate >> log.txt
  smoke:
    probes: [missing]
`
        }).replace(
          'probes:\n',
          "probes:\n  missing:\n    http: { url: '${vars.base}/no-such-page', expect: { status: 200 } }\n"
        )
    })
    expect(r.report.result).toBe('held')
    expect(r.report.failedGate).toBe('smoke')
    expect(r.log).toEqual(['migrate', 'deploy v2'])
    expect(r.report.reason).toContain('HOLD')
  }, 30_000)

  it('fails in preflight without running any command', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          extraGates: `  preflight:
    secrets: [DEPLOY_GATES_TEST_MISSING_SECRET]
`
        })
    })
    expect(r.report.result).toBe('failed')
    expect(r.report.failedGate).toBe('preflight')
    expect(r.log).toEqual([])
    expect(r.report.reason).toContain(
      "secret 'DEPLOY_GATES_TEST_MISSING_SECRET' is not set"
    )
  }, 30_000)

  it('gives up after 3 failed rollback attempts and names the last good version', async () => {
    const r = await scenario({
      canary: { errorRate: 0.5, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          rollback: `  run: echo "rollback attempt" >> log.txt && exit 1
`
        })
    })
    expect(r.report.result).toBe('rollback-failed')
    expect(count(r.log, 'rollback attempt')).toBe(3)
    expect(r.report.rollback).toMatchObject({ ok: false, attempts: 3 })
    expect(r.report.reason).toContain('last known good version: v1')
  }, 60_000)

  it('fails a bake after error-limit source errors, never passing on them', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          metrics: `        cpu:
          prometheus: { url: 'http://127.0.0.1:1', query: 'avg(rate(cpu{track="\${track}"}[1m]))' }
          fail: '> 0.7'
`
        })
    })
    expect(r.report.result).toBe('rolled-back')
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.step).toBe(10)
    expect(failed?.reason).toMatch(/cpu/)
    expect(failed?.reason).toMatch(/error/)
  }, 60_000)

  it('judges a flapping metric by the documented rule: no early fail, median at the end', async () => {
    let n = 0
    const flapping = createServer((_req, res) => {
      n += 1
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ value: n % 2 === 0 ? 0.9 : 0.2 }))
    })
    await new Promise<void>((resolve) =>
      flapping.listen(0, '127.0.0.1', resolve)
    )
    const port = (flapping.address() as AddressInfo).port
    try {
      const r = await scenario({
        canary: { errorRate: 0, latencyMs: 2 },
        yaml: (u) =>
          baseYaml(u, {
            bake: '1m',
            metrics: `        queue:
          http: { url: 'http://127.0.0.1:${port}/q?track=\${track}', path: value }
          fail: '> 0.7'
`
          })
      })
      const steps = r.report.gates.filter(
        (g) => g.gate === 'canary' && g.step === 10
      )
      expect(steps[0].reason).not.toContain('early')
      expect(r.report.result).toBe('promoted')
    } finally {
      flapping.close()
    }
  }, 60_000)

  it('never fails in dry-run mode, and says what it would have done', async () => {
    const r = await scenario({
      canary: { errorRate: 0.5, latencyMs: 2 },
      yaml: (u) => baseYaml(u, { analysis: '      mode: dry-run\n' })
    })
    expect(r.report.result).toBe('promoted')
    const warned = r.report.gates.filter((g) => g.outcome === 'warned')
    expect(warned.length).toBeGreaterThan(0)
    expect(warned[0].reason).toContain('dry-run, would have failed')
  }, 60_000)

  it('runs load probes in smoke at a fixed rate and judges them', async () => {
    const withLoad = (expect: string) => (u: Parameters<typeof baseYaml>[0]) =>
      baseYaml(u, {
        extraGates: `  smoke:
    probes: [burst]
`
      }).replace(
        'probes:\n',
        `probes:\n  burst:\n    load:\n      http: { url: '\${vars.base}/api/matches/load', rate: 100, duration: 1s }\n      expect: ${expect}\n`
      )
    const ok = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      stable: { errorRate: 0, latencyMs: 2 },
      yaml: withLoad("{ error-rate: '< 1%', p95: '< 500ms' }")
    })
    const smoke = ok.report.gates.find((g) => g.gate === 'smoke')
    expect(smoke?.outcome).toBe('passed')
    expect(smoke?.findings[0].reason).toMatch(/burst: .*100 requests at 100\/s/)
    const slow = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      stable: { errorRate: 0, latencyMs: 30 },
      yaml: withLoad("{ p95: '< 5ms' }")
    })
    const failed = slow.report.gates.find((g) => g.gate === 'smoke')
    expect(failed?.outcome).toBe('failed')
    expect(failed?.reason).toMatch(/p95 \d+ms, expected < 5ms \(n=100\)/)
    expect(slow.report.result).toBe('rolled-back')
  }, 60_000)
})
