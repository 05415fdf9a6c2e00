import { describe, expect, it } from '@jest/globals'
import {
  evaluate,
  growth,
  median,
  thresholdOf,
  type CompareCondition,
  type GrowthCondition
} from '../../src/analysis/conditions.js'
import {
  conditionText,
  formatGrowth,
  formatN,
  formatNumber,
  formatRate,
  formatValue,
  verdictLine
} from '../../src/analysis/wording.js'
import { mulberry32, normals } from '../../src/analysis/simulate.js'
import { parseCondition, type Condition } from '../../src/config/units.js'

function cond(text: string): Condition {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}
const compareCond = (text: string): CompareCondition =>
  cond(text) as CompareCondition

const HOUR = 3_600_000

describe('evaluate', () => {
  it('compares rates with percent operands as ratios', () => {
    expect(evaluate(cond('> 5%'), 0.07)).toEqual({
      breached: true,
      threshold: 0.05
    })
    expect(evaluate(cond('> 5%'), 0.05)?.breached).toBe(false)
    expect(evaluate(cond('>= 5%'), 0.05)?.breached).toBe(true)
    expect(evaluate(cond('< 99%'), 0.985)?.breached).toBe(true)
  })

  it('compares latencies in milliseconds', () => {
    expect(evaluate(cond('> 500ms'), 412)?.breached).toBe(false)
    expect(evaluate(cond('> 1s'), 1001)).toEqual({
      breached: true,
      threshold: 1000
    })
  })

  it('compares plain values with numbers, and with percentages as ratios', () => {
    expect(evaluate(cond('> 70%'), 0.72)?.breached).toBe(true)
    expect(evaluate(cond('> 70%'), 0.69)?.breached).toBe(false)
    expect(evaluate(cond('> 100'), 101)?.breached).toBe(true)
    expect(evaluate(cond('== 0'), 0)?.breached).toBe(true)
    expect(evaluate(cond('== 0'), 0.0001)?.breached).toBe(false)
  })

  it('reads `k x baseline` as value op k*baseline', () => {
    expect(evaluate(cond('> 2x baseline'), 412, 180)).toEqual({
      breached: true,
      threshold: 360
    })
    expect(evaluate(cond('> 2x baseline'), 350, 180)?.breached).toBe(false)
    expect(evaluate(cond('> 1.5x baseline'), 0.02, 0.01)?.breached).toBe(true)
  })

  it('reads `baseline + d` with the unit of d', () => {
    expect(thresholdOf(compareCond('> baseline + 50ms'), 180)).toBe(230)
    expect(thresholdOf(compareCond('> baseline + 1%'), 0.02)).toBeCloseTo(
      0.03,
      12
    )
    expect(evaluate(cond('> baseline + 50ms'), 231, 180)?.breached).toBe(true)
  })

  it('never reads a missing baseline as zero', () => {
    expect(evaluate(cond('> 2x baseline'), 5)).toBeUndefined()
    expect(thresholdOf(compareCond('> baseline + 1ms'))).toBeUndefined()
    expect(evaluate(cond('> 5%'), NaN)).toBeUndefined()
  })

  it('compares growth per hour with the condition rate per hour', () => {
    expect(evaluate(cond('growth > 5%/h'), 0.06)?.breached).toBe(true)
    expect(evaluate(cond('growth > 24%/d'), 0.02)).toEqual({
      breached: true,
      threshold: 0.01
    })
  })
})

describe('growth (Theil–Sen)', () => {
  const series = (
    n: number,
    stepMs: number,
    f: (t: number, i: number) => number
  ): { t: number[]; v: number[] } => {
    const t: number[] = []
    const v: number[] = []
    for (let i = 0; i < n; i++) {
      t.push(1_700_000_000_000 + i * stepMs)
      v.push(f(i * stepMs, i))
    }
    return { t, v }
  }

  it('measures a linear leak relative to its starting level', () => {
    // 1000 MB growing by 100 MB/h: 10%/h of where it started.
    const { t, v } = series(120, 60_000, (ms) => 1000 + (100 * ms) / HOUR)
    const g = growth(t, v)!
    expect(g.ratioPerHour).toBeCloseTo(0.1, 6)
    expect(g.slopePerHour).toBeCloseTo(100, 6)
    expect(g.level).toBeCloseTo(1000, 6)
  })

  it('is not moved by a few huge spikes', () => {
    const { t, v } = series(60, 60_000, (ms, i) =>
      i % 15 === 7 ? 50_000 : 1000 + (50 * ms) / HOUR
    )
    expect(growth(t, v)!.ratioPerHour).toBeCloseTo(0.05, 6)
  })

  it('sees no trend in flat noise', () => {
    const normal = normals(mulberry32(7))
    const { t, v } = series(240, 30_000, () => 1000 + 30 * normal())
    expect(Math.abs(growth(t, v)!.ratioPerHour)).toBeLessThan(0.01)
  })

  it('keeps long series bounded by block medians', () => {
    const { t, v } = series(5000, 10_000, (ms) => 200 + (20 * ms) / HOUR)
    const g = growth(t, v)!
    expect(g.n).toBe(5000)
    expect(g.ratioPerHour).toBeCloseTo(0.1, 3)
  })

  it('needs three readings over some time', () => {
    expect(growth([1, 2], [1, 2])).toBeUndefined()
    expect(growth([5, 5, 5], [1, 2, 3])).toBeUndefined()
  })

  it('takes the median', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
    expect(median([])).toBeNaN()
  })
})

describe('formatting', () => {
  it('formats values as users read them', () => {
    expect(formatRate(0.07)).toBe('7.0%')
    expect(formatRate(0.042)).toBe('4.2%')
    expect(formatRate(0.0052)).toBe('0.52%')
    expect(formatRate(0.00012)).toBe('0.012%')
    expect(formatRate(0)).toBe('0.0%')
    expect(formatValue(412, 'latency')).toBe('412ms')
    expect(formatValue(4.12, 'latency')).toBe('4.1ms')
    expect(formatNumber(0.61)).toBe('0.61')
    expect(formatNumber(72.456)).toBe('72.5')
    expect(formatNumber(1204.4)).toBe('1,204')
    expect(formatN({ canary: 1204, baseline: 1198 })).toBe('n=1,204/1,198')
    expect(formatN({ canary: 100 })).toBe('n=100')
  })

  it('writes the one-line verdict', () => {
    expect(
      verdictLine({
        metric: 'p95',
        value: '412ms',
        condition: cond('> 2x baseline'),
        breached: true,
        baseline: '180ms',
        n: { canary: 1204, baseline: 1198 }
      })
    ).toBe('p95 412ms > 2x baseline (180ms), n=1,204/1,198')
    expect(
      verdictLine({
        metric: 'error-rate',
        value: formatRate(0.07),
        condition: cond('> 5%'),
        breached: true,
        n: { canary: 100 }
      })
    ).toBe('error-rate 7.0% > 5%, n=100')
  })

  it('negates the operator when the condition does not hold', () => {
    expect(conditionText(cond('> 5%'), false)).toBe('<= 5%')
    expect(conditionText(cond('< 99%'), false)).toBe('>= 99%')
    expect(conditionText(cond('>= 2x baseline'), false)).toBe('< 2x baseline')
    expect(conditionText(cond('growth > 5%/h'), false)).toBe('growth <= 5%/h')
    expect(
      verdictLine({
        metric: 'memory',
        value: formatGrowth(0.012, cond('growth > 5%/h') as GrowthCondition),
        condition: cond('growth > 5%/h'),
        breached: false,
        n: { canary: 240 }
      })
    ).toBe('memory growth 1.2%/h <= 5%/h, n=240')
  })

  it('shows growth in the period the condition uses', () => {
    expect(formatGrowth(0.005, cond('growth > 10%/d') as GrowthCondition)).toBe(
      '12.0%/d'
    )
  })
})
