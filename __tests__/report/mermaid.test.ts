import { describe, expect, it } from '@jest/globals'
import { canaryChart } from '../../src/report/mermaid.js'

describe('canaryChart', () => {
  it('is empty without points', () => {
    expect(canaryChart([])).toBe('')
    expect(
      canaryChart([{ weight: 10, canary: {}, baseline: { errorRate: 0.1 } }])
    ).toBe('')
  })

  it('draws error rate (%) and p95 with one line per track', () => {
    const chart = canaryChart([
      {
        weight: 10,
        canary: { errorRate: 0.004, p95Ms: 182.44 },
        baseline: { errorRate: 0.003, p95Ms: 176 }
      },
      {
        weight: 25,
        canary: { errorRate: 0.07, p95Ms: 410 },
        baseline: { errorRate: 0.004, p95Ms: 178 }
      }
    ])
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "Error rate per step: canary (line 1) vs baseline (line 2)"',
        '  x-axis "canary weight" ["10%", "25%"]',
        '  y-axis "error rate (%)" 0 --> 10',
        '  line [0.4, 7]',
        '  line [0.3, 0.4]',
        '```',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "p95 latency per step: canary (line 1) vs baseline (line 2)"',
        '  x-axis "canary weight" ["10%", "25%"]',
        '  y-axis "p95 (ms)" 0 --> 500',
        '  line [182.4, 410]',
        '  line [176, 178]',
        '```'
      ].join('\n')
    )
  })

  it('never invents values: a baseline with holes is left out and named', () => {
    const chart = canaryChart([
      {
        weight: 10,
        canary: { errorRate: 0, p95Ms: 12 },
        baseline: { errorRate: 0 }
      },
      {
        weight: 50,
        canary: { errorRate: 0.001, p95Ms: Number.NaN },
        baseline: { errorRate: 0.002, p95Ms: 15 }
      },
      { weight: 100, canary: { p95Ms: 14 }, baseline: { p95Ms: 13 } }
    ])
    const [errors, p95] = chart.split('\n\n```mermaid\n')
    // Error rate: no canary value at 100%, so that step is not on the axis.
    expect(errors).toContain('x-axis "canary weight" ["10%", "50%"]')
    expect(errors).toContain('y-axis "error rate (%)" 0 --> 1')
    expect(errors).toContain('line [0, 0.1]\n  line [0, 0.2]')
    // p95: NaN is no value; the baseline misses 10%, so only the canary line.
    expect(p95).toContain('title "p95 latency per step: canary"')
    expect(p95).toContain('x-axis "canary weight" ["10%", "100%"]')
    expect(p95).toContain('y-axis "p95 (ms)" 0 --> 20')
    expect(p95.match(/^ {2}line /gm)).toHaveLength(1)
    expect(p95).toContain('_Baseline not charted: no value at 10%._')
  })
})
