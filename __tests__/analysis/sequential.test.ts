import { describe, expect, it } from '@jest/globals'
import {
  detectableRate,
  MixtureTest,
  mixtureTest,
  quantileRanks
} from '../../src/analysis/sequential.js'
import { mulberry32 } from '../../src/analysis/simulate.js'

/** Upper edge of a binomial rate: p + 3 standard errors over `runs`. */
const margin = (p: number, runs: number): number =>
  p + 3 * Math.sqrt((p * (1 - p)) / runs)

describe('mixtureTest', () => {
  it('puts its alternatives on the tested side, reaching far', () => {
    const above = mixtureTest(0.02, 'above', 0.01).alternatives()
    expect(above).toHaveLength(32)
    expect(Math.min(...above)).toBeGreaterThan(0.02)
    expect(Math.max(...above)).toBeCloseTo(1 - 0.98 / 50, 6)
    const below = mixtureTest(0.95, 'below', 0.01).alternatives()
    expect(Math.max(...below)).toBeLessThan(0.95)
    expect(Math.min(...below)).toBeCloseTo(0.95 / 50, 6)
    // Fine near p0 on both sides of 1/2: the nearest is within 25% in odds.
    expect(Math.max(...below)).toBeGreaterThan(0.93)
  })

  it('rarely ever rejects a true H0, at every look (Ville)', () => {
    // Worst case: the true rate sits exactly on p0; the test is checked
    // after every single observation.
    const alpha = 0.1
    const runs = 1000
    for (const [p0, side] of [
      [0.05, 'above'],
      [0.05, 'below']
    ] as const) {
      let rejected = 0
      for (let seed = 1; seed <= runs; seed++) {
        const u = mulberry32(seed)
        const t = new MixtureTest(p0, side, alpha, 16)
        for (let i = 0; i < 400; i++) {
          t.observe(u() < p0)
          if (t.rejects()) break
        }
        if (t.rejected) rejected++
      }
      expect(rejected / runs).toBeLessThanOrEqual(margin(alpha, runs))
    }
  })

  it('rejects quickly when the rate is well past p0', () => {
    const u = mulberry32(42)
    const t = mixtureTest(0.02, 'above', 0.005)
    let n = 0
    while (!t.rejects() && n < 10_000) {
      t.observeCounts(u() < 0.1 ? 1 : 0, 1)
      n++
    }
    expect(t.rejected).toBe(true)
    expect(n).toBeLessThan(300)
    expect(t.n).toBe(n)
  })

  it('keeps a latched rejection', () => {
    const t = mixtureTest(0.5, 'above', 0.05)
    t.observeCounts(20, 20)
    expect(t.rejects()).toBe(true)
    t.observeCounts(0, 200)
    expect(t.logValue()).toBeLessThan(t.logThreshold)
    expect(t.rejects()).toBe(true)
  })

  it('tests a batch against its own null with the same alternatives', () => {
    const a = mixtureTest(2 / 3, 'above', 0.01)
    const b = mixtureTest(2 / 3, 'above', 0.01)
    a.observeCounts(7, 10)
    b.observeCounts(7, 10, 2 / 3 + 1e-12)
    expect(b.logValue()).toBeCloseTo(a.logValue(), 6)
    // A batch whose null is certain carries no information.
    b.observeCounts(3, 3, 1)
    expect(b.n).toBe(10)
  })

  it('is exact at p0 = 0: one success proves p > 0', () => {
    const t = mixtureTest(0, 'above', 0.01)
    t.observeCounts(0, 1000)
    expect(t.rejects()).toBe(false)
    t.observe(true)
    expect(t.rejects()).toBe(true)
    expect(mixtureTest(0, 'below', 0.01).detectable(100)).toBeUndefined()
  })

  it('refuses nonsense parameters', () => {
    expect(() => mixtureTest(0.5, 'above', 0)).toThrow(
      "alpha must be in (0, 1), got '0'"
    )
    expect(() => mixtureTest(1.5, 'above', 0.01)).toThrow("got '1.5'")
    expect(() => mixtureTest(0.5, 'above', 0.01).observeCounts(5, 3)).toThrow(
      "successes must be in [0, 3], got '5'"
    )
  })
})

describe('detectable', () => {
  it('is the smallest rate whose expected count would have rejected', () => {
    const p = detectableRate(60, 0.02, 'above', 0.01)!
    expect(p).toBeGreaterThan(0.02)
    const t = mixtureTest(0.02, 'above', 0.01)
    expect(t.logValueAt(60 * p, 60)).toBeGreaterThanOrEqual(
      t.logThreshold - 1e-9
    )
    expect(t.logValueAt(60 * p * 0.98, 60)).toBeLessThan(t.logThreshold)
  })

  it('shrinks toward p0 as samples grow', () => {
    const at = [20, 60, 200, 1000, 10_000].map((n) =>
      detectableRate(n, 0.02, 'above', 0.01)!
    )
    for (let i = 1; i < at.length; i++) expect(at[i]).toBeLessThan(at[i - 1])
    expect(at[4]).toBeLessThan(0.03)
  })

  it('works below p0 too, and says when nothing is detectable', () => {
    const p = detectableRate(2000, 0.05, 'below', 0.01)!
    expect(p).toBeLessThan(0.05)
    expect(p).toBeGreaterThan(0.02)
    expect(detectableRate(3, 0.5, 'above', 0.01)).toBeUndefined()
    expect(detectableRate(0, 0.5, 'above', 0.01)).toBeUndefined()
  })
})

describe('quantileRanks', () => {
  it('bounds the quantile at every look with the stated confidence', () => {
    // Uniform samples: the true 0.9-quantile is 0.9.
    const q = 0.9
    const alpha = 0.1
    const runs = 400
    let upperMiss = 0
    let lowerMiss = 0
    for (let seed = 1; seed <= runs; seed++) {
      const u = mulberry32(seed)
      const xs: number[] = []
      let up = false
      let low = false
      for (let look = 1; look <= 10; look++) {
        for (let i = 0; i < 50; i++) xs.push(u())
        const sorted = [...xs].sort((a, b) => a - b)
        const r = quantileRanks(sorted.length, q, alpha, 16)
        if (r.upper !== undefined && sorted[r.upper - 1] < q) up = true
        if (r.lower !== undefined && sorted[r.lower - 1] > q) low = true
      }
      if (up) upperMiss++
      if (low) lowerMiss++
    }
    expect(upperMiss / runs).toBeLessThanOrEqual(margin(alpha, runs))
    expect(lowerMiss / runs).toBeLessThanOrEqual(margin(alpha, runs))
  })

  it('brackets the empirical quantile and tightens with n', () => {
    // 100 samples cannot bound a p95 from above at 99.5%.
    expect(quantileRanks(100, 0.95, 0.005).upper).toBeUndefined()
    const big = quantileRanks(20_000, 0.95, 0.005)
    expect(big.upper! / 20_000).toBeGreaterThan(0.95)
    expect(big.upper! / 20_000).toBeLessThan(0.96)
    expect(big.lower! / 20_000).toBeLessThan(0.95)
    expect(big.lower! / 20_000).toBeGreaterThan(0.94)
  })
})
