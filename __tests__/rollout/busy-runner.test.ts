/**
 * A runner too busy to take its samples: the shortfall is the runner's, not
 * the service's. Samples measured during a client stall are set aside on
 * both tracks, the bake grows (up to max-bake) until min-samples is
 * reached, and only a bake still short says so, naming the runner. The
 * runner is scripted, so nothing here depends on how busy this machine is.
 */
import { describe, expect, it } from '@jest/globals'
import type { RunnerHealth, RunnerLoad } from '../../src/kernel/runner.js'
import { baseYaml, scenario } from '../helpers/scenario.js'

const BUSY: RunnerLoad = {
  lagP99Ms: 120,
  lagMaxMs: 300,
  cpuPercent: 35,
  loadPerCore: 4
}

/** Stalls on the first `stalled` probe samples of the run, then none. */
function scriptedRunner(stalled: number): RunnerHealth & { asked: number } {
  const runner = {
    asked: 0,
    stallDuring: (): number => (runner.asked++ < stalled ? 200 : 0),
    window: () => ({ current: () => BUSY, close: () => BUSY })
  }
  return runner
}

const analysis = (extra = ''): string => `      min-samples: 20\n${extra}`

describe('a busy runner', () => {
  it('extends a bake it fell behind in, and promotes a healthy canary', async () => {
    // 31 looks planned (30s at 1s); health takes one sample first, then the
    // first 15 looks of both tracks are set aside: 16 left, under 20.
    const runner = scriptedRunner(1 + 30)
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      stable: { errorRate: 0, latencyMs: 2 },
      yaml: (u) => baseYaml(u, { bake: '30s', analysis: analysis() }),
      io: (io) => ({ ...io, runner })
    })
    expect(r.report.result).toBe('promoted')
    const first = r.report.gates.find((g) => g.step === 10)
    expect(first?.outcome).toBe('passed')
    expect(first?.reason).toMatch(
      /^passed after 3[4-9]s \(3[4-9] looks, extended from 30s: the runner was busy\)/
    )
    expect(first?.findings.find((f) => f.name === 'runner')?.reason).toBe(
      'runner busy: event-loop lag p99 120ms; 30 of 70 samples set aside'
    )
    // The next step had a quiet runner: no extension, nothing set aside.
    const second = r.report.gates.find((g) => g.step === 50)
    expect(second?.reason).toMatch(/^passed after 30s \(31 looks\)/)
  }, 60_000)

  it('still short after max-bake: inconclusive, naming the runner, and on-no-data decides', async () => {
    const runner = scriptedRunner(Number.MAX_SAFE_INTEGER)
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      stable: { errorRate: 0, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          bake: '30s',
          analysis: analysis('      max-bake: 1.5x\n'),
          rollback:
            '  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt\n'
        }),
      io: (io) => ({ ...io, runner })
    })
    expect(r.report.result).toBe('rolled-back')
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.step).toBe(10)
    expect(failed?.reason).toMatch(
      /^failed after 45s \(46 looks, extended from 30s: the runner was busy\): inconclusive: .*fewer than min-samples 20.*; the runner was too busy to take them \(runner busy: event-loop lag p99 120ms; 92 of 92 samples set aside\)$/
    )
  }, 60_000)

  it('never extends a bake for a shortfall the runner did not cause', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      stable: { errorRate: 0, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          bake: '30s',
          analysis: '      min-samples: 40\n'
        })
    })
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.reason).toMatch(
      /^failed after 30s \(31 looks\): inconclusive: .*31 samples on canary, fewer than min-samples 40/
    )
    expect(failed?.reason).not.toContain('runner')
  }, 60_000)

  it('does not extend with max-bake 1x', async () => {
    const runner = scriptedRunner(1 + 30)
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      stable: { errorRate: 0, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          bake: '30s',
          analysis: analysis('      max-bake: 1x\n')
        }),
      io: (io) => ({ ...io, runner })
    })
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.reason).toMatch(
      /^failed after 30s \(31 looks\): inconclusive/
    )
    expect(failed?.reason).toContain('the runner was too busy to take them')
  }, 60_000)
})
