/**
 * The watch's baseline conditions are drawn at the baseline measured before
 * promotion: `2x baseline` and `baseline + d` become absolute lines in the
 * metric's own unit, absolute conditions stay as written.
 */
import { describe, expect, it } from '@jest/globals'
import { parseCondition, type Condition } from '../../src/config/units.js'
import type { MetricConfig } from '../../src/config/schema.js'
import { againstStored } from '../../src/rollout/gates/watch.js'

const cond = (text: string): Condition => {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

describe('againstStored', () => {
  it('draws a latency ratio at the stored baseline, in milliseconds', () => {
    const m: MetricConfig = { fail: [cond('> 2x baseline'), cond('> 1s')] }
    const r = againstStored('p95', m, 180)
    expect(r.notes).toEqual([])
    expect(r.metric.fail).toEqual([
      {
        kind: 'compare',
        op: '>',
        operand: { kind: 'duration', ms: 360 },
        text: '> 360ms (2x baseline before promotion, 180ms)'
      },
      cond('> 1s')
    ])
  })

  it('draws a rate delta at the stored baseline, as a ratio', () => {
    const m: MetricConfig = { warn: [cond('> baseline + 1%')] }
    const r = againstStored('error-rate', m, 0.02)
    const line = r.metric.warn?.[0]
    expect(line?.kind === 'compare' && line.operand).toEqual({
      kind: 'percent',
      ratio: 0.03
    })
    expect(line?.text).toMatch(
      /^> 3(\.0+)?% \(baseline \+ 1% before promotion, 2(\.0+)?%\)$/
    )
  })

  it('leaves a baseline condition out, with a warning, when nothing was stored', () => {
    const m: MetricConfig = { fail: [cond('> 2x baseline')] }
    const r = againstStored('p95', m, undefined)
    expect(r.metric.fail).toBeUndefined()
    expect(r.notes).toEqual([
      {
        name: 'p95',
        level: 'warn',
        condition: '> 2x baseline',
        reason:
          "p95 '> 2x baseline' not judged: no baseline was measured before promotion in this run"
      }
    ])
  })
})
