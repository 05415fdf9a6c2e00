import { describe, expect, it } from '@jest/globals'
import { buildJudge, type Judge } from '../../src/analysis/judge.js'
import type { JudgeMetric } from '../../src/analysis/measure.js'
import { parseCondition, type Condition } from '../../src/config/units.js'
import { RUNNER_STALL_MS } from '../../src/kernel/runner.js'
import type { HttpSample } from '../../src/kernel/sample.js'

function cond(text: string): Condition {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

const metric = (name: string, fail: string): JudgeMetric => ({
  name,
  source: 'probes',
  fail: [cond(fail)],
  warn: []
})

function sample(over: Partial<HttpSample> & { ms: number }): HttpSample {
  const { ms, ...rest } = over
  return {
    probe: 'api',
    kind: 'http',
    ok: true,
    reason: 'ok',
    attempts: 1,
    startedAt: 0,
    timings: { totalMs: ms },
    ...rest
  }
}

const judge = (): Judge =>
  buildJudge({
    metrics: [metric('error-rate', '> 5%'), metric('p95', '> 2x baseline')],
    minSamples: 20,
    hasBaseline: true
  })

describe('samples taken while the runner stalled', () => {
  it('are left out of latency on both tracks alike', () => {
    const j = judge()
    for (let i = 0; i < 25; i++) {
      j.addSample('canary', sample({ ms: 20 }), 0)
      j.addSample('baseline', sample({ ms: 20 }), 0)
      // The client stalled 400 ms while these were measured: their latency
      // is the runner's, not the service's.
      j.addSample('canary', sample({ ms: 420, runnerStallMs: 400 }), 0)
    }
    j.look(0)
    const verdict = j.final(0)
    expect(verdict.outcome).toBe('passed')
    expect(j.setAside()).toEqual({ setAside: 25, taken: 75 })
    const p95 = verdict.findings.find((f) => f.name === 'p95')
    expect(p95?.n).toEqual({ canary: 25, baseline: 25 })
  })

  it('never count a timeout the stall caused as the service error', () => {
    const j = judge()
    for (let i = 0; i < 25; i++) {
      j.addSample('canary', sample({ ms: 20 }), 0)
      j.addSample('baseline', sample({ ms: 20 }), 0)
    }
    for (let i = 0; i < 10; i++) {
      j.addSample(
        'canary',
        sample({
          ms: 5000,
          ok: false,
          error: true,
          reason: 'timed out after 5s',
          runnerStallMs: 3000
        }),
        0
      )
    }
    expect(j.final(0).outcome).toBe('passed')
  })

  it('still count what the service answered for rates, and fail a bad canary', () => {
    const j = judge()
    for (let i = 0; i < 40; i++) {
      j.addSample('canary', sample({ ms: 20, ok: i % 3 !== 0 }), 0)
      j.addSample('baseline', sample({ ms: 20 }), 0)
      j.addSample('canary', sample({ ms: 900, runnerStallMs: 800 }), 0)
    }
    const verdict = j.final(0)
    expect(verdict.outcome).toBe('failed')
    // 14 of the 40 timed answers were 500s; the 40 stalled answers were
    // 200s and count too: 14 of 80.
    expect(verdict.reason).toMatch(/^error-rate 17\.5% > 5%, n=80/)
  })

  it('keep a sample whose stall was under the limit', () => {
    const j = judge()
    j.addSample(
      'canary',
      sample({ ms: 30, runnerStallMs: RUNNER_STALL_MS - 1 }),
      0
    )
    expect(j.setAside()).toEqual({ setAside: 0, taken: 1 })
  })

  it('leave the judge short of samples, which a longer bake can cure', () => {
    const j = judge()
    for (let i = 0; i < 25; i++) {
      j.addSample('canary', sample({ ms: 20, runnerStallMs: 100 }), 0)
      j.addSample('baseline', sample({ ms: 20 }), 0)
    }
    expect(j.shortOfSamples()).toBe(true)
    for (let i = 0; i < 20; i++) j.addSample('canary', sample({ ms: 20 }), 0)
    expect(j.shortOfSamples()).toBe(false)
  })
})
