import { describe, expect, it } from '@jest/globals'
import type { JudgeMetric } from '../../src/analysis/measure.js'
import { FixedIntervalJudge, NaiveJudge } from '../../src/analysis/naive.js'
import { simulateBake, type TrackModel } from '../../src/analysis/simulate.js'
import { parseCondition, type Condition } from '../../src/config/units.js'
import type { ProbeSample } from '../../src/kernel/sample.js'

function cond(text: string): Condition {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

const errorRate = (...fail: string[]): JudgeMetric[] => [
  { name: 'error-rate', source: 'probes', warn: [], fail: fail.map(cond) }
]

const healthy: TrackModel = { errorRate: 0.01, medianMs: 100, sigma: 0.5 }

function sample(ok: boolean): ProbeSample {
  return {
    probe: 'api',
    kind: 'http',
    ok,
    reason: ok ? 'ok' : 'status 500',
    attempts: 1,
    startedAt: 0,
    timings: { totalMs: 50 }
  }
}

describe('NaiveJudge', () => {
  it('fails at the first look whose point estimate breaches, after min-samples', () => {
    const judge = new NaiveJudge({ metrics: errorRate('> 2%') })
    for (let i = 0; i < 10; i++) judge.addSample('canary', sample(i !== 0), 0)
    // 10% errors, but fewer than 20 samples: no verdict yet.
    expect(judge.look(1).decision).toBe('continue')
    for (let i = 0; i < 10; i++) judge.addSample('canary', sample(true), 0)
    const look = judge.look(2)
    expect(look.decision).toBe('fail')
    expect(look.findings[0].reason).toBe('error-rate 5.0% > 2%, n=20')
  })
})

describe('FixedIntervalJudge', () => {
  it('fails a bad canary at its fifth failed 1-minute check', () => {
    const judge = new FixedIntervalJudge({
      metrics: errorRate('> 2%'),
      hasBaseline: true
    })
    const [o] = simulateBake(
      {
        perSecond: 20,
        bakeMs: 600_000,
        lookMs: 5000,
        canary: { ...healthy, errorRate: 0.1 },
        baseline: healthy
      },
      1,
      [judge]
    )
    expect(o).toEqual({ decision: 'fail', afterMs: 300_000 })
    expect(judge.failed).toBe(5)
    expect(judge.look(0).findings[0].reason).toMatch(
      /^5 of 5 checks of 1m failed \(threshold 5\); last: error-rate \d+\.\d% > 2%, n=1,200$/
    )
  })

  it('judges each interval on its own samples and counts failures not in a row', () => {
    const judge = new FixedIntervalJudge({
      metrics: errorRate('> 2%'),
      intervalMs: 1000,
      threshold: 2,
      minSamples: 1
    })
    const minute = (errors: number, t: number): void => {
      for (let i = 0; i < 100; i++)
        judge.addSample('canary', sample(i >= errors), t)
    }
    minute(10, 0)
    expect(judge.look(1000).decision).toBe('continue')
    minute(0, 1000)
    expect(judge.look(2000).decision).toBe('continue')
    minute(10, 2000)
    expect(judge.look(3000).decision).toBe('fail')
    expect(judge.failed).toBe(2)
  })

  it('counts an interval without enough samples as a failed check', () => {
    const judge = new FixedIntervalJudge({
      metrics: errorRate('> 2%'),
      intervalMs: 1000,
      threshold: 1
    })
    judge.addSample('canary', sample(true), 0)
    expect(judge.look(1000).findings[0].reason).toBe(
      '1 of 1 checks of 1s failed (threshold 1)'
    )
  })
})
