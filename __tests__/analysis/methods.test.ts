/**
 * Each method on its own, without the judge around it: one condition, the
 * samples or readings it sees, and the finding it gives.
 */
import { describe, expect, it } from '@jest/globals'
import {
  builtinOf,
  TrackStats,
  type Builtin
} from '../../src/analysis/measure.js'
import { ExternalMethod } from '../../src/analysis/methods/external.js'
import { FinalOnlyMethod } from '../../src/analysis/methods/final-only.js'
import { GrowthMethod } from '../../src/analysis/methods/growth.js'
import type {
  Check,
  Settings,
  Tracks
} from '../../src/analysis/methods/method.js'
import { PairedQuantileMethod } from '../../src/analysis/methods/quantile-paired.js'
import { QuantileMethod } from '../../src/analysis/methods/quantile.js'
import { RateRatioMethod } from '../../src/analysis/methods/rate-ratio.js'
import { RateMethod } from '../../src/analysis/methods/rate.js'
import { ReadingSeries } from '../../src/analysis/series.js'
import { parseCondition } from '../../src/config/units.js'
import type { ProbeSample } from '../../src/kernel/sample.js'

const settings = (over: Partial<Settings> = {}): Settings => ({
  alpha: 0.01,
  confidence: 0.99,
  minSamples: 20,
  decideEarly: false,
  breachLooks: 3,
  gridSize: 32,
  ...over
})

function check(
  metric: string,
  text: string,
  level: 'fail' | 'warn' = 'fail'
): Check {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  const builtin = builtinOf(metric)
  const relative = /baseline/.test(text)
  return {
    metric: {
      name: metric,
      source: builtin ? 'probes' : 'external',
      fail: [],
      warn: []
    },
    ...(builtin ? { builtin } : {}),
    condition: r.value,
    level,
    kind: builtin ? (builtin.type === 'rate' ? 'rate' : 'latency') : 'rate',
    relative
  }
}

function rateOf(name: string): Extract<Builtin, { type: 'rate' }> {
  const b = builtinOf(name)
  if (b?.type !== 'rate') throw new Error(name)
  return b
}
function quantileOf(name: string): Extract<Builtin, { type: 'quantile' }> {
  const b = builtinOf(name)
  if (b?.type !== 'quantile') throw new Error(name)
  return b
}

const tracks = (keepLook = false): Required<Tracks> => ({
  canary: new TrackStats(keepLook),
  baseline: new TrackStats(keepLook)
})

function sample(ok: boolean, ms: number): ProbeSample {
  return {
    probe: 'api',
    kind: 'http',
    ok,
    reason: ok ? 'ok' : 'status 500',
    attempts: 1,
    startedAt: 0,
    timings: { totalMs: ms }
  }
}

/** n samples, the first `errors` of them bad; canary latencies also go to `watch`. */
function feed(
  stats: TrackStats,
  n: number,
  errors: number,
  ms = 100,
  watch?: { observe(sample: ProbeSample): void }
): void {
  for (let i = 0; i < n; i++) {
    const s = sample(i >= errors, ms)
    stats.add(s)
    watch?.observe(s)
  }
}

describe('rate', () => {
  const b = rateOf('error-rate')

  it('fails early once the test is sure the rate is above the threshold', () => {
    const t = tracks()
    const m = new RateMethod(
      check('error-rate', '> 2%'),
      b,
      t,
      settings(),
      0.01
    )
    feed(t.canary, 100, 30)
    const f = m.look()
    expect(f).toMatchObject({
      level: 'fail',
      reason: 'error-rate 30.0% > 2%, n=100 (sure at 99%)'
    })
    expect(m.final()).toBe(f)
  })

  it('passes a low rate at the end, and early with decide-early', () => {
    const t = tracks()
    const m = new RateMethod(
      check('error-rate', '> 5%'),
      b,
      t,
      settings({ decideEarly: true }),
      0.01
    )
    feed(t.canary, 1000, 0)
    expect(m.look()).toBeUndefined()
    expect(m.clear()).toMatchObject({
      level: 'ok',
      reason: 'error-rate 0.0% <= 5%, n=1,000 (sure at 99%)'
    })
    expect(m.final()).toMatchObject({
      level: 'ok',
      reason: 'error-rate 0.0% <= 5%, n=1,000'
    })
  })

  it('has no early test on a warn condition, and warns at the end', () => {
    const t = tracks()
    const m = new RateMethod(
      check('error-rate', '> 2%', 'warn'),
      b,
      t,
      settings(),
      undefined
    )
    feed(t.canary, 100, 30)
    expect(m.alpha).toBeUndefined()
    expect(m.look()).toBeUndefined()
    expect(m.final()).toMatchObject({
      level: 'warn',
      reason: 'error-rate 30.0% > 2%, n=100'
    })
  })

  it('is no-data below min-samples', () => {
    const t = tracks()
    const m = new RateMethod(
      check('error-rate', '> 2%'),
      b,
      t,
      settings(),
      0.01
    )
    feed(t.canary, 5, 0)
    expect(m.final()).toMatchObject({
      level: 'no-data',
      reason: 'error-rate: 5 samples on canary, fewer than min-samples 20'
    })
  })
})

describe('rate ratio', () => {
  const b = rateOf('error-rate')
  const make = (t: Tracks): RateRatioMethod =>
    new RateRatioMethod(
      check('error-rate', '> 2x baseline'),
      b,
      t,
      settings(),
      0.01
    )

  it('fails early when the canary has far more of the errors', () => {
    const t = tracks()
    const m = make(t)
    feed(t.canary, 400, 40)
    feed(t.baseline, 400, 4)
    expect(m.look()).toMatchObject({
      level: 'fail',
      value: '10.0%',
      baseline: '1.0%',
      reason:
        'error-rate 10.0% > 2x baseline (1.0%), n=400/400 (ratio 10x; sure at 99%)'
    })
  })

  it('passes equal rates at the end', () => {
    const t = tracks()
    const m = make(t)
    feed(t.canary, 400, 4)
    feed(t.baseline, 400, 4)
    expect(m.look()).toBeUndefined()
    const f = m.final()
    expect(f).toMatchObject({
      level: 'ok',
      reason: 'error-rate 1.0% <= 2x baseline (1.0%), n=400/400'
    })
    // Eight errors in all prove nothing about a ratio.
    expect(f.detectable).toBe('could not detect any breach at 8 errors')
  })
})

describe('quantile', () => {
  const b = quantileOf('p95')
  const make = (t: Tracks): QuantileMethod =>
    new QuantileMethod(check('p95', '> 500ms'), b, t, settings(), 0.01)

  it('fails early when too many samples exceed the threshold', () => {
    const t = tracks()
    const m = make(t)
    feed(t.canary, 100, 0, 900, m)
    expect(m.look()).toMatchObject({
      level: 'fail',
      reason: 'p95 900ms > 500ms, n=100 (sure at 99%)'
    })
  })

  it('passes fast samples at the end, saying what it could detect', () => {
    const t = tracks()
    const m = make(t)
    feed(t.canary, 100, 0, 100, m)
    expect(m.look()).toBeUndefined()
    const f = m.final()
    expect(f).toMatchObject({
      level: 'ok',
      reason: 'p95 100ms <= 500ms, n=100'
    })
    expect(f.detectable).toMatch(/^could detect p[\d.]+ > 500ms at n=100$/)
  })

  it('is an error when samples got no response', () => {
    const t = tracks()
    const m = make(t)
    for (let i = 0; i < 30; i++) {
      t.canary.add({ ...sample(false, 0.3), error: true })
    }
    expect(m.final()).toMatchObject({
      level: 'error',
      reason: 'p95: only 0 of 30 samples on canary got a response'
    })
  })
})

describe('paired quantile', () => {
  const b = quantileOf('p95')
  const make = (t: Tracks, decideEarly = false): PairedQuantileMethod =>
    new PairedQuantileMethod(
      check('p95', '> 2x baseline'),
      b,
      t,
      settings({ decideEarly }),
      0.01
    )

  it('fails early when canary latencies beat 2x the baseline pair by pair', () => {
    const t = tracks(true)
    const m = make(t)
    feed(t.canary, 100, 0, 300)
    feed(t.baseline, 100, 0, 100)
    expect(m.look()).toMatchObject({
      level: 'fail',
      reason:
        'p95 300ms > 2x baseline (100ms), n=100/100 (ratio 3x; sure at 99%)'
    })
  })

  it('passes early when both quantiles are bounded on the good side', () => {
    const t = tracks(true)
    const m = make(t, true)
    expect(m.costlyClear).toBe(true)
    feed(t.canary, 1000, 0, 100)
    feed(t.baseline, 1000, 0, 100)
    expect(m.look()).toBeUndefined()
    expect(m.clear()).toMatchObject({
      level: 'ok',
      reason:
        'p95 100ms <= 2x baseline (100ms), n=1,000/1,000 (ratio 1x; sure at 99%)'
    })
    expect(m.final()).toMatchObject({
      level: 'ok',
      reason: 'p95 100ms <= 2x baseline (100ms), n=1,000/1,000',
      detectable: expect.stringMatching(/ of pairs at n=1,000 pairs$/)
    })
  })
})

describe('external (counting rule)', () => {
  const make = (
    text = '> 70%',
    level: 'fail' | 'warn' = 'fail'
  ): { m: ExternalMethod; s: ReadingSeries } => {
    const s = new ReadingSeries('cpu', false)
    return {
      s,
      m: new ExternalMethod(check('cpu', text, level), s, settings())
    }
  }
  const look = (
    s: ReadingSeries,
    m: ExternalMethod,
    value: number | 'error' | 'no-data'
  ): ReturnType<ExternalMethod['look']> => {
    s.add(
      'canary',
      value === 'error'
        ? { kind: 'error', reason: 'status 503', at: 0 }
        : value === 'no-data'
          ? { kind: 'no-data', reason: 'empty result', at: 0 }
          : { kind: 'value', value, at: 0 }
    )
    s.look(4)
    return m.look()
  }

  it('fails early at three breaching looks in a row', () => {
    const { s, m } = make()
    expect(look(s, m, 0.9)).toBeUndefined()
    expect(look(s, m, 0.95)).toBeUndefined()
    expect(look(s, m, 0.8)).toMatchObject({
      level: 'fail',
      reason: 'cpu 80.0% > 70%, n=3 (3 looks in a row)'
    })
  })

  it('passes three clear looks in a row, and the median at the end', () => {
    const { s, m } = make()
    for (const v of [0.4, 0.9, 0.3, 0.5, 0.2]) look(s, m, v)
    expect(m.clear()).toMatchObject({
      level: 'ok',
      reason: 'cpu 40.0% <= 70%, n=5 (3 looks in a row)'
    })
    expect(m.final()).toMatchObject({
      level: 'ok',
      reason: 'cpu 40.0% <= 70%, n=5'
    })
  })

  it('warns on the median at the end, never early', () => {
    const { s, m } = make('> 70%', 'warn')
    for (const v of [0.9, 0.9, 0.9]) expect(look(s, m, v)).toBeUndefined()
    expect(m.final()).toMatchObject({
      level: 'warn',
      reason: 'cpu 90.0% > 70%, n=3'
    })
  })

  it('says why it has no value: errors and empty answers', () => {
    const { s, m } = make()
    look(s, m, 'error')
    look(s, m, 'no-data')
    look(s, m, 'error')
    expect(m.final()).toMatchObject({
      level: 'error',
      reason:
        'cpu: no value at 3 of 3 looks (no-data 1, last: empty result, errors 2, last: status 503)'
    })
  })

  it('leaves the verdict to the source once it failed', () => {
    const { s, m } = make()
    for (let i = 0; i < 5; i++) look(s, m, 'error')
    expect(s.failed).toMatchObject({
      level: 'error',
      reason: 'cpu: source errored 5 times in a row (last: status 503)'
    })
    expect(m.final()).toBeUndefined()
  })
})

describe('growth (trend)', () => {
  const HOUR = 3_600_000
  const make = (): { m: GrowthMethod; s: ReadingSeries } => {
    const s = new ReadingSeries('memory', false)
    const c = { ...check('memory', 'growth > 5%/h'), kind: 'number' as const }
    return { s, m: new GrowthMethod(c, { series: s }, settings()) }
  }
  const readings = (s: ReadingSeries, perHour: number, count: number): void => {
    for (let i = 0; i < count; i++) {
      const at = (i * HOUR) / 4
      s.add('canary', {
        kind: 'value',
        value: 1000 * (1 + (perHour * at) / HOUR),
        at
      })
      s.look(4)
    }
  }

  it('fails a value growing faster than the condition allows', () => {
    const { s, m } = make()
    readings(s, 0.1, 12)
    expect(m.look(0)).toBeUndefined()
    expect(m.clear()).toBeUndefined()
    expect(m.final()).toMatchObject({
      level: 'fail',
      value: '10.0%/h',
      reason: 'memory growth 10.0%/h > 5%/h, n=12'
    })
  })

  it('passes a flat value', () => {
    const { s, m } = make()
    readings(s, 0, 12)
    expect(m.final()).toMatchObject({
      level: 'ok',
      reason: 'memory growth 0.0%/h <= 5%/h, n=12'
    })
  })

  it('needs three readings over time', () => {
    const { s, m } = make()
    readings(s, 0.1, 2)
    expect(m.final()).toMatchObject({
      level: 'no-data',
      reason: 'memory: 2 readings, a trend needs at least 3 over time'
    })
  })

  it('takes one value per look for a built-in metric', () => {
    const t = tracks(true)
    const m = new GrowthMethod(
      check('p95', 'growth > 5%/h'),
      { builtin: quantileOf('p95'), tracks: t },
      settings()
    )
    for (let i = 0; i < 8; i++) {
      feed(t.canary, 10, 0, 100 * (1 + 0.5 * i))
      m.look((i * HOUR) / 2)
      t.canary.endLook()
    }
    expect(m.final()).toMatchObject({
      level: 'fail',
      reason: expect.stringMatching(/^p95 growth [\d.]+%\/h > 5%\/h, n=8$/)
    })
  })
})

describe('final-only', () => {
  const b = rateOf('error-rate')
  const make = (t: Tracks): FinalOnlyMethod =>
    new FinalOnlyMethod(
      check('error-rate', '> baseline + 1%'),
      b,
      t,
      settings()
    )

  it('fails at the end only', () => {
    const t = tracks()
    const m = make(t)
    feed(t.canary, 100, 10)
    feed(t.baseline, 100, 1)
    expect(m.look()).toBeUndefined()
    expect(m.clear()).toBeUndefined()
    expect(m.final()).toMatchObject({
      level: 'fail',
      reason: 'error-rate 10.0% > baseline + 1% (1.0%), n=100/100'
    })
  })

  it('passes at the end', () => {
    const t = tracks()
    const m = make(t)
    feed(t.canary, 100, 1)
    feed(t.baseline, 100, 1)
    expect(m.final()).toMatchObject({
      level: 'ok',
      reason: 'error-rate 1.0% <= baseline + 1% (1.0%), n=100/100'
    })
  })
})
