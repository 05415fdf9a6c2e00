/** The rule that turns a bake's findings into its verdict. */
import { describe, expect, it } from '@jest/globals'
import { outcomeOf, type Tally } from '../../src/analysis/outcome.js'
import type { Finding } from '../../src/kernel/verdict.js'

const ok = (name: string, reason: string): Finding => ({
  name,
  level: 'ok',
  reason
})
const tally = (over: Partial<Tally>): Tally => ({
  findings: [],
  inconclusive: [],
  errored: false,
  onNoData: 'fail',
  confidence: 0.99,
  samples: { canary: 1204, baseline: 1198 },
  ...over
})

describe('outcomeOf', () => {
  it('fails on the first failing finding, counting the others', () => {
    const r = outcomeOf(
      tally({
        findings: [
          ok('error-rate', 'error-rate 0.1% <= 2%, n=1,204'),
          { name: 'p95', level: 'fail', reason: 'p95 412ms > 300ms, n=1,204' },
          { name: 'p99', level: 'fail', reason: 'p99 900ms > 500ms, n=1,204' }
        ]
      })
    )
    expect(r).toMatchObject({
      outcome: 'failed',
      reason: 'p95 412ms > 300ms, n=1,204 (+1 more)'
    })
  })

  it('gives an early fail its own findings and time', () => {
    const early: Finding = {
      name: 'error-rate',
      level: 'fail',
      reason: 'error-rate 30.0% > 2%, n=100 (sure at 99%)'
    }
    const r = outcomeOf(
      tally({
        findings: [early],
        early: { decision: 'fail', at: 5000, findings: [early] }
      })
    )
    expect(r).toMatchObject({
      outcome: 'failed',
      reason: 'error-rate 30.0% > 2%, n=100 (sure at 99%)',
      early: { decision: 'fail', at: 5000 }
    })
  })

  it('holds missing data under on-no-data: hold', () => {
    const r = outcomeOf(
      tally({
        findings: [
          {
            name: 'p95',
            level: 'no-data',
            reason: 'p95: 5 samples on canary, fewer than min-samples 20'
          }
        ],
        inconclusive: ['p95'],
        onNoData: 'hold'
      })
    )
    expect(r).toMatchObject({
      outcome: 'held',
      reason:
        'inconclusive: p95: 5 samples on canary, fewer than min-samples 20 (on-no-data: hold)',
      inconclusive: ['p95']
    })
  })

  it('never passes on source errors, even under on-no-data: pass', () => {
    const r = outcomeOf(
      tally({
        findings: [
          {
            name: 'cpu',
            level: 'error',
            reason: 'cpu: no value at 3 of 3 looks (errors 3, last: status 503)'
          }
        ],
        inconclusive: ['cpu'],
        errored: true,
        onNoData: 'pass'
      })
    )
    expect(r).toMatchObject({
      outcome: 'failed',
      reason:
        'cpu: no value at 3 of 3 looks (errors 3, last: status 503); source errors are never a pass (on-no-data: pass)'
    })
  })

  it('passes missing data under on-no-data: pass, saying so', () => {
    const r = outcomeOf(
      tally({
        findings: [
          { name: 'cpu', level: 'no-data', reason: 'cpu: no readings' }
        ],
        inconclusive: ['cpu'],
        onNoData: 'pass'
      })
    )
    expect(r).toMatchObject({
      outcome: 'passed',
      reason: 'no data for cpu; passed (on-no-data: pass), n=1,204/1,198'
    })
  })

  it('warns on a warning finding', () => {
    const r = outcomeOf(
      tally({
        findings: [
          ok('error-rate', 'error-rate 0.1% <= 2%, n=1,204'),
          { name: 'p95', level: 'warn', reason: 'p95 412ms > 300ms, n=1,204' }
        ]
      })
    )
    expect(r).toMatchObject({
      outcome: 'warned',
      reason: 'p95 412ms > 300ms, n=1,204'
    })
  })

  it('passes: early, with one condition, or with all of them', () => {
    const one = [ok('error-rate', 'error-rate 0.1% <= 2%, n=1,204')]
    const two = [...one, ok('p95', 'p95 120ms <= 300ms, n=1,204')]
    expect(
      outcomeOf(
        tally({
          findings: two,
          early: { decision: 'pass', at: 60_000, findings: two }
        })
      ).reason
    ).toBe('passed early: no fail condition holds (sure at 99%), n=1,204/1,198')
    expect(outcomeOf(tally({ findings: one })).reason).toBe(
      'error-rate 0.1% <= 2%, n=1,204'
    )
    expect(outcomeOf(tally({ findings: two })).reason).toBe(
      'all 2 conditions held, n=1,204/1,198'
    )
  })
})
