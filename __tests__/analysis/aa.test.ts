/**
 * The guarantee that matters: A/A canaries (the same healthy service on
 * both tracks) must rarely fail early, however often the judge looks. The
 * naive judge, on the very same streams, shows what repeated looks at a
 * fixed threshold cost.
 */
import { describe, expect, it } from '@jest/globals'
import { buildJudge } from '../../src/analysis/judge.js'
import type { JudgeMetric } from '../../src/analysis/measure.js'
import { NaiveJudge } from '../../src/analysis/naive.js'
import {
  simulateBake,
  type BakeScenario,
  type TrackModel
} from '../../src/analysis/simulate.js'
import { parseCondition, type Condition } from '../../src/config/units.js'

function cond(text: string): Condition {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

const metrics: JudgeMetric[] = [
  {
    name: 'error-rate',
    source: 'probes',
    warn: [],
    fail: [cond('> 2x baseline')]
  },
  { name: 'p95', source: 'probes', warn: [], fail: [cond('> 1.5x baseline')] }
]

const service: TrackModel = { errorRate: 0.01, medianMs: 100, sigma: 0.5 }
const aa: BakeScenario = {
  perSecond: 20,
  bakeMs: 300_000,
  lookMs: 5000,
  canary: service,
  baseline: service
}

describe('A/A canaries', () => {
  it('fail early at most alpha of the time; the naive judge far more', () => {
    const runs = 1000
    const alpha = 0.01
    // alpha plus three binomial standard errors: about 19 of 1,000.
    const bound = runs * alpha + 3 * Math.sqrt(runs * alpha * (1 - alpha))
    let judgeFails = 0
    let naiveFails = 0
    let looks = 0
    for (let seed = 1; seed <= runs; seed++) {
      const judge = buildJudge({
        metrics,
        decideEarly: true,
        hasBaseline: true
      })
      const naive = new NaiveJudge({ metrics, hasBaseline: true })
      const [j, n] = simulateBake(aa, seed, [judge, naive])
      if (j.decision === 'fail') judgeFails++
      if (n.decision === 'fail') naiveFails++
      looks += j.afterMs / aa.lookMs
    }
    expect(judgeFails).toBeLessThanOrEqual(bound)
    expect(naiveFails).toBeGreaterThan(bound)
    // Many looks were taken: the guarantee holds across all of them.
    expect(looks / runs).toBeGreaterThan(10)
  })
})
