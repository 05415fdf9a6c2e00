import { describe, it, expect } from '@jest/globals'
import { formatCount, formatLatency } from '../../src/kernel/format.js'
import { LatencyHistogram } from '../../src/kernel/histogram.js'

/** A deterministic spread of latencies: 0.1 ms to about 2 s. */
function latencies(n: number, seed = 7): number[] {
  let x = seed
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648
    const u = x / 2_147_483_648
    out.push(0.1 * Math.exp(u * 10))
  }
  return out
}

/** The exact nearest-rank percentile, for checking the HDR error bound. */
function exact(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.max(0, Math.ceil((q / 100) * s.length) - 1)]
}

describe('LatencyHistogram', () => {
  it('reports percentiles within 0.1% (3 significant digits) in ms', () => {
    const h = new LatencyHistogram()
    const values = latencies(20_000)
    for (const v of values) h.record(v)
    expect(h.count).toBe(20_000)
    for (const q of [50, 90, 95, 99, 99.9]) {
      const want = exact(values, q)
      const got = h.percentile(q)
      // HDR reports the top of the bucket; 1 µs of rounding on top.
      expect(Math.abs(got - want)).toBeLessThanOrEqual(want * 0.001 + 0.001)
    }
    const s = h.summary()
    expect(s.n).toBe(20_000)
    expect(s.p50).toBe(h.percentile(50))
    expect(s.p99).toBe(h.percentile(99))
    expect(s.max).toBeCloseTo(Math.max(...values), 0)
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    expect(Math.abs(s.mean - mean)).toBeLessThan(mean * 0.002)
    expect(s.p50).toBeLessThanOrEqual(s.p90)
    expect(s.p90).toBeLessThanOrEqual(s.p95)
    expect(s.p95).toBeLessThanOrEqual(s.p99)
    expect(s.p99).toBeLessThanOrEqual(s.max)
  })

  it('merged histograms equal one histogram of all samples', () => {
    const values = latencies(9_000, 42)
    const single = new LatencyHistogram()
    const parts = [
      new LatencyHistogram(),
      new LatencyHistogram(),
      new LatencyHistogram()
    ]
    values.forEach((v, i) => {
      single.record(v)
      parts[i % 3].record(v)
    })
    const merged = new LatencyHistogram()
    for (const p of parts) merged.merge(p)
    expect(merged.summary()).toEqual(single.summary())
    for (const q of [10, 50, 75, 90, 99, 99.99]) {
      expect(merged.percentile(q)).toBe(single.percentile(q))
    }
    // Averaging the parts' p99 is not the same thing, which is the point.
    expect(merged.count).toBe(9_000)
  })

  it('merging a skewed part shows in the tail where an average hides it', () => {
    const fast = new LatencyHistogram()
    const slow = new LatencyHistogram()
    for (let i = 0; i < 990; i++) fast.record(5)
    for (let i = 0; i < 10; i++) slow.record(900)
    const averaged = (fast.percentile(99.5) + slow.percentile(99.5)) / 2
    const merged = new LatencyHistogram().merge(fast).merge(slow)
    expect(merged.percentile(99.5)).toBeCloseTo(900, -1)
    expect(averaged).toBeLessThan(merged.percentile(99.5))
  })

  it('records a value many times at once', () => {
    const many = new LatencyHistogram()
    const one = new LatencyHistogram()
    many.record(12.5, 1000)
    many.record(3, 0)
    for (let i = 0; i < 1000; i++) one.record(12.5)
    expect(many.summary()).toEqual(one.summary())
  })

  it('clamps out-of-range values instead of throwing, and ignores NaN', () => {
    const h = new LatencyHistogram({ highestMs: 1000 })
    h.record(-3)
    h.record(5_000)
    h.record(Number.NaN)
    h.record(Number.POSITIVE_INFINITY)
    expect(h.count).toBe(3)
    expect(h.percentile(0)).toBe(0)
    expect(h.summary().max).toBeCloseTo(1000, 0)
    expect(h.summary().max).toBeLessThan(1002)
  })

  it('keeps a fixed footprint however many samples it holds', () => {
    const h = new LatencyHistogram()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < 1_000_000; i++) h.record((i % 5000) / 10)
    const grown = process.memoryUsage().heapUsed - before
    expect(h.count).toBe(1_000_000)
    // A million numbers kept would take 8 MB at least.
    expect(grown).toBeLessThan(4 * 1024 * 1024)
  })

  it('is all zeros with n=0 when empty, and resets', () => {
    const h = new LatencyHistogram()
    expect(h.summary()).toEqual({
      n: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      max: 0,
      mean: 0
    })
    h.record(12)
    expect(h.count).toBe(1)
    h.reset()
    expect(h.count).toBe(0)
    expect(JSON.parse(JSON.stringify(h))).toEqual(h.summary())
  })
})

describe('formatLatency and formatCount', () => {
  it.each([
    [0.4234, '0.42ms'],
    [4.14, '4.1ms'],
    [412.4, '412ms'],
    [1412, '1.41s'],
    [125_000, '2m05s']
  ])('%p ms reads %p', (ms, text) => {
    expect(formatLatency(ms)).toBe(text)
  })

  it('separates thousands', () => {
    expect(formatCount(6000)).toBe('6,000')
    expect(formatCount(12)).toBe('12')
  })
})
