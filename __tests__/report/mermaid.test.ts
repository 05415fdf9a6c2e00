import { describe, expect, it } from '@jest/globals'
import type { LiveValues } from '../../src/analysis/live.js'
import {
  bakeCharts,
  canaryChart,
  MAX_POINTS,
  pick
} from '../../src/report/mermaid.js'
import type { GateReport, MetricSeries } from '../../src/rollout/events.js'
import { LookSeries, MAX_LOOKS } from '../../src/rollout/look-series.js'

const PALETTE =
  '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#d62728, #1f77b4"}}}}%%'

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
        PALETTE,
        'xychart-beta',
        '  title "Error rate per step: canary (red) vs baseline (blue)"',
        '  x-axis "canary weight" ["10%", "25%"]',
        '  y-axis "error rate (%)" 0 --> 10',
        '  line [0.4, 7]',
        '  line [0.3, 0.4]',
        '```',
        '',
        '```mermaid',
        PALETTE,
        'xychart-beta',
        '  title "p95 latency per step: canary (red) vs baseline (blue)"',
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
    expect(p95).toContain('title "p95 latency per step: canary (red)"')
    expect(p95).toContain('"plotColorPalette": "#d62728"}')
    expect(p95).toContain('x-axis "canary weight" ["10%", "100%"]')
    expect(p95).toContain('y-axis "p95 (ms)" 0 --> 20')
    expect(p95.match(/^ {2}line /gm)).toHaveLength(1)
    expect(p95).toContain('_Baseline not charted: no value at 10%._')
  })
})

describe('bakeCharts', () => {
  const bake = (
    looks: number,
    metric: Partial<MetricSeries> = {}
  ): GateReport => ({
    gate: 'canary',
    step: 25,
    outcome: 'passed',
    reason: 'passed',
    startedAt: 0,
    endedAt: looks * 5000,
    findings: [],
    series: {
      at: Array.from({ length: looks }, (_, i) => i * 5000),
      metrics: [
        {
          name: 'error-rate',
          kind: 'rate',
          source: 'probes',
          canary: Array.from({ length: looks }, (_, i) => i / 1000),
          baseline: Array.from({ length: looks }, () => 0.001),
          threshold: Array.from({ length: looks }, () => 0.05),
          ...metric
        }
      ]
    }
  })

  it('draws canary, baseline and the fail line per look, in named colours', () => {
    const chart = bakeCharts([bake(4)])
    expect(chart).toBe(
      [
        '```mermaid',
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#d62728, #1f77b4, #7f7f7f"}}}}%%',
        'xychart-beta',
        '  title "error-rate, canary 25%"',
        '  x-axis "time into the bake (s)" 0 --> 15',
        '  y-axis "error-rate (%)" 0 --> 10',
        '  line [0, 0.1, 0.2, 0.3]',
        '  line [0.1, 0.1, 0.1, 0.1]',
        '  line [5, 5, 5, 5]',
        '```',
        '',
        '_canary (red) vs baseline (blue), fail threshold (grey): error-rate over the bake so far, 4 looks._'
      ].join('\n')
    )
  })

  it('downsamples a long bake to 40 points, first and last look kept', () => {
    expect(pick(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const idx = pick(721)
    expect(idx).toHaveLength(MAX_POINTS)
    expect(idx[0]).toBe(0)
    expect(idx[MAX_POINTS - 1]).toBe(720)
    // An hour at 5 s: minutes on the axis, every line 40 points long.
    const chart = bakeCharts([bake(721)])
    expect(chart).toContain('x-axis "time into the bake (min)" 0 --> 60')
    for (const line of chart.match(/^ {2}line \[.*\]$/gm) ?? []) {
      expect(line.split(', ')).toHaveLength(MAX_POINTS)
    }
    expect(chart).toContain('40 of 721 looks')
    // The last look's value is the last point.
    expect(chart).toContain(', 72]')
  })

  it('leaves out looks without a baseline value and says so', () => {
    const chart = bakeCharts([
      bake(3, { baseline: [0.001, null, 0.002], threshold: undefined })
    ])
    expect(chart).toContain('"plotColorPalette": "#d62728, #1f77b4"}')
    // Looks 0 and 2: the canary at 0% and 0.2%, the baseline at 0.1% and 0.2%.
    expect(chart.match(/^ {2}line \[.*\]$/gm)).toEqual([
      '  line [0, 0.2]',
      '  line [0.1, 0.2]'
    ])
    expect(chart).toContain('2 looks; 1 look without a baseline value left out')
  })

  it('leaves out a line with holes and says so; none without canary values', () => {
    const chart = bakeCharts([
      bake(3, {
        baseline: [null, null, null],
        threshold: [0.05, null, 0.05]
      })
    ])
    expect(chart).toContain('"plotColorPalette": "#d62728"}')
    expect(chart.match(/^ {2}line /gm)).toHaveLength(1)
    expect(chart).toContain(
      'fail threshold not charted: no value at some looks'
    )
    expect(chart).toContain('_canary (red): error-rate')
    expect(bakeCharts([bake(3, { canary: [null, null, null] })])).toBe('')
    expect(bakeCharts([])).toBe('')
  })

  it('keeps titles parseable whatever a metric is called', () => {
    const chart = bakeCharts([
      bake(2, { name: 'say "hi"\nnow', kind: 'number', source: 'external' })
    ])
    // A source's values are its readings, not a running figure.
    expect(chart).toContain('as read at each look')
    expect(chart).toContain(`title "say 'hi''now, canary 25%"`)
  })
})

describe('LookSeries', () => {
  const live = (c: number, b?: number): LiveValues => ({
    canary: { n: 1 },
    metrics: {
      p95: {
        canary: c,
        ...(b === undefined ? {} : { baseline: b }),
        threshold: 2 * (b ?? 0),
        kind: 'latency',
        source: 'probes'
      }
    },
    values: {}
  })

  it('keeps each look, and thins a long bake to every other look', () => {
    const s = new LookSeries(true)
    s.add(0, live(10, 9))
    s.add(1000, live(Number.NaN, 9))
    expect(s.result()).toEqual({
      at: [0, 1000],
      metrics: [
        {
          name: 'p95',
          kind: 'latency',
          source: 'probes',
          canary: [10, null],
          baseline: [9, 9],
          threshold: [18, 18]
        }
      ]
    })
    const long = new LookSeries(false)
    for (let i = 0; i <= MAX_LOOKS; i++) long.add(i, live(i))
    const r = long.result()
    expect(r?.at.length).toBeLessThanOrEqual(MAX_LOOKS)
    expect(r?.at[0]).toBe(0)
    expect(r?.at.at(-1)).toBe(MAX_LOOKS)
    expect(r?.metrics[0].canary.at(-1)).toBe(MAX_LOOKS)
    expect(r?.metrics[0].baseline).toBeUndefined()
  })
})
