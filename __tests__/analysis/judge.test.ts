import { describe, expect, it } from '@jest/globals'
import {
  buildJudge,
  type Judge,
  type JudgeOptions
} from '../../src/analysis/judge.js'
import type { JudgeMetric } from '../../src/analysis/measure.js'
import {
  mulberry32,
  normals,
  simulateBake,
  type BakeScenario,
  type TrackModel
} from '../../src/analysis/simulate.js'
import { parseConfig } from '../../src/config/load.js'
import { parseCondition, type Condition } from '../../src/config/units.js'
import type { MetricReading } from '../../src/kernel/reading.js'
import type { ProbeSample } from '../../src/kernel/sample.js'
import type { Track } from '../../src/kernel/verdict.js'

function cond(text: string): Condition {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

const probes = (
  name: string,
  fail: string[],
  warn: string[] = []
): JudgeMetric => ({
  name,
  source: 'probes',
  fail: fail.map(cond),
  warn: warn.map(cond)
})

const external = (
  name: string,
  fail: string[],
  warn: string[] = []
): JudgeMetric => ({
  name,
  source: 'external',
  fail: fail.map(cond),
  warn: warn.map(cond)
})

function sample(ok: boolean, ms: number, error = false): ProbeSample {
  return {
    probe: 'api',
    kind: 'http',
    ok,
    reason: ok ? 'ok' : error ? 'connection refused' : 'status 500',
    ...(error ? { error: true } : {}),
    attempts: 1,
    startedAt: 0,
    timings: { totalMs: ms }
  }
}

/** n samples on a track, the first `errors` of them bad. */
function feed(
  judge: Judge,
  track: Track,
  n: number,
  errors: number,
  ms: number | ((i: number) => number) = 100
): void {
  for (let i = 0; i < n; i++) {
    judge.addSample(
      track,
      sample(i >= errors, typeof ms === 'number' ? ms : ms(i)),
      0
    )
  }
}

const value = (v: number, at = 0): MetricReading => ({
  kind: 'value',
  value: v,
  at
})
const noData = (at = 0): MetricReading => ({
  kind: 'no-data',
  reason: 'empty result',
  at
})
const error = (reason: string, at = 0): MetricReading => ({
  kind: 'error',
  reason,
  at
})

const healthy: TrackModel = { errorRate: 0.01, medianMs: 100, sigma: 0.5 }
const bake = (canary: TrackModel, bakeMs = 300_000): BakeScenario => ({
  perSecond: 20,
  bakeMs,
  lookMs: 5000,
  canary,
  baseline: healthy
})

describe('error rates against an absolute threshold', () => {
  it('fails a 10% canary against > 2% within 10 s (median over 200 bakes)', () => {
    const times: number[] = []
    for (let seed = 1; seed <= 200; seed++) {
      const judge = buildJudge({
        metrics: [probes('error-rate', ['> 2%'])],
        hasBaseline: true
      })
      const [o] = simulateBake(bake({ ...healthy, errorRate: 0.1 }), seed, [
        judge
      ])
      expect(o.decision).toBe('fail')
      times.push(o.afterMs)
    }
    times.sort((a, b) => a - b)
    expect(times[100]).toBeLessThanOrEqual(10_000)
  })

  it('says why, with n and what the samples could detect', () => {
    const judge = buildJudge({ metrics: [probes('error-rate', ['> 2%'])] })
    feed(judge, 'canary', 100, 30)
    const look = judge.look(5000)
    expect(look.decision).toBe('fail')
    const [f] = look.findings
    expect(f).toMatchObject({
      name: 'error-rate',
      level: 'fail',
      value: '30.0%',
      condition: '> 2%',
      n: { canary: 100 },
      reason: 'error-rate 30.0% > 2%, n=100 (sure at 99%)'
    })
    expect(f.detectable).toMatch(
      /^could detect error-rate >= \d+(\.\d+)?% at n=100$/
    )
    const final = judge.final(6000)
    expect(final.outcome).toBe('failed')
    expect(final.reason).toBe('error-rate 30.0% > 2%, n=100 (sure at 99%)')
    expect(final.early).toEqual({ decision: 'fail', at: 5000 })
    // Decided: later looks repeat the decision.
    expect(judge.look(10_000).decision).toBe('fail')
  })

  it('decides at the end by the measured value, as users expect', () => {
    const judge = buildJudge({ metrics: [probes('error-rate', ['> 5%'])] })
    feed(judge, 'canary', 100, 7)
    expect(judge.look(5000).decision).toBe('continue')
    const final = judge.final(6000)
    expect(final.outcome).toBe('failed')
    expect(final.reason).toBe('error-rate 7.0% > 5%, n=100')
    expect(final.findings[0].detectable).toMatch(/^could detect error-rate >= /)
  })

  it('tests success-rate below its floor', () => {
    const judge = buildJudge({ metrics: [probes('success-rate', ['< 95%'])] })
    feed(judge, 'canary', 200, 40)
    const look = judge.look(5000)
    expect(look.decision).toBe('fail')
    expect(look.findings[0].reason).toBe(
      'success-rate 80.0% < 95%, n=200 (sure at 99%)'
    )
    expect(look.findings[0].detectable).toMatch(
      /^could detect success-rate <= /
    )
  })

  it('warns without failing', () => {
    const judge = buildJudge({
      metrics: [probes('error-rate', ['> 20%'], ['> 2%'])]
    })
    feed(judge, 'canary', 100, 5)
    expect(judge.look(5000).decision).toBe('continue')
    const final = judge.final(6000)
    expect(final.outcome).toBe('warned')
    expect(final.reason).toBe('error-rate 5.0% > 2%, n=100')
    expect(final.findings.map((f) => f.level)).toEqual(['ok', 'warn'])
  })
})

describe('relative conditions', () => {
  it('fails error-rate > 2x baseline early on the errors of both tracks', () => {
    const judge = buildJudge({
      metrics: [probes('error-rate', ['> 2x baseline'])],
      hasBaseline: true
    })
    const [o] = simulateBake(bake({ ...healthy, errorRate: 0.1 }), 3, [judge])
    expect(o.decision).toBe('fail')
    const [f] = judge.look(o.afterMs).findings
    expect(f.reason).toMatch(
      /^error-rate \d+\.\d% > 2x baseline \(\d+\.\d+%\), n=[\d,]+\/[\d,]+ \(ratio \d+(\.\d)?x; sure at 99%\)$/
    )
    expect(f.detectable).toMatch(
      /^could detect error-rate >= [\d.]+x baseline with \d+ errors$/
    )
    expect(judge.plan()[0].method).toBe('rate-ratio')
    expect(judge.plan()[0].alpha).toBeCloseTo(0.01, 12)
  })

  it('fails p95 at 2.5x the baseline early, with the ratio in the reason', () => {
    const judge = buildJudge({
      metrics: [probes('p95', ['> 2x baseline'])],
      hasBaseline: true
    })
    const [o] = simulateBake(bake({ ...healthy, medianMs: 250 }), 11, [judge])
    expect(o.decision).toBe('fail')
    expect(o.afterMs).toBeLessThan(120_000)
    const [f] = judge.look(o.afterMs).findings
    expect(f.reason).toMatch(
      /^p95 \d+ms > 2x baseline \(\d+ms\), n=[\d,]+\/[\d,]+ \(ratio 2\.[3-7]x; sure at 99%\)$/
    )
    expect(f.detectable).toMatch(
      /^could detect canary > 2x baseline in >= [\d.]+% of pairs at n=[\d,]+ pairs$/
    )
    expect(judge.plan()[0].method).toBe('quantile-paired')
  })

  it('judges `baseline + d` on rates only at the end', () => {
    const judge = buildJudge({
      metrics: [probes('error-rate', ['> baseline + 1%'])],
      hasBaseline: true
    })
    feed(judge, 'canary', 400, 200)
    feed(judge, 'baseline', 400, 4)
    expect(judge.look(5000).decision).toBe('continue')
    expect(judge.plan()[0]).toEqual({
      metric: 'error-rate',
      level: 'fail',
      condition: '> baseline + 1%',
      method: 'final-only'
    })
    const final = judge.final(6000)
    expect(final.outcome).toBe('failed')
    expect(final.reason).toBe(
      'error-rate 50.0% > baseline + 1% (1.0%), n=400/400'
    )
  })

  it('refuses a relative condition without a baseline track', () => {
    expect(() =>
      buildJudge({ metrics: [probes('p95', ['> 2x baseline'])] })
    ).toThrow(
      "p95: '> 2x baseline' compares with the baseline, but there is no baseline track"
    )
  })
})

describe('latency quantiles against an absolute threshold', () => {
  it('fails early when many samples exceed the threshold', () => {
    const judge = buildJudge({ metrics: [probes('p95', ['> 500ms'])] })
    feed(judge, 'canary', 200, 0, (i) => (i % 4 === 0 ? 900 : 100))
    const look = judge.look(5000)
    expect(look.decision).toBe('fail')
    expect(look.findings[0].reason).toBe(
      'p95 900ms > 500ms, n=200 (sure at 99%)'
    )
    expect(look.findings[0].detectable).toMatch(
      /^could detect p\d+(\.\d)? > 500ms at n=200$/
    )
  })

  it('counts transport failures as errors but not as latencies', () => {
    const judge = buildJudge({
      metrics: [probes('p95', ['> 500ms'])],
      onNoData: 'pass'
    })
    for (let i = 0; i < 50; i++)
      judge.addSample('canary', sample(false, 0.3, true), 0)
    judge.look(5000)
    const final = judge.final(6000)
    // Every sample failed before a response: an error, never a pass.
    expect(final.findings[0]).toMatchObject({
      level: 'error',
      reason: 'p95: only 0 of 50 samples on canary got a response'
    })
    expect(final.outcome).toBe('failed')
    expect(judge.live().canary).toEqual({ n: 50, errorRate: 1 })
  })
})

describe('early pass (decide-early)', () => {
  const metrics = [probes('error-rate', ['> 2%']), probes('p95', ['> 500ms'])]
  const good = { ...healthy, errorRate: 0.005 }

  it('passes a clearly healthy canary well before the end of the bake', () => {
    const judge = buildJudge({ metrics, decideEarly: true, hasBaseline: true })
    const [o] = simulateBake(bake(good), 5, [judge])
    expect(o.decision).toBe('pass')
    expect(o.afterMs).toBeLessThan(150_000)
    const final = judge.final(o.afterMs)
    expect(final.outcome).toBe('passed')
    expect(final.reason).toMatch(
      /^passed early: no fail condition holds \(sure at 99%\), n=[\d,]+\/[\d,]+$/
    )
    expect(final.early?.decision).toBe('pass')
    expect(judge.look(o.afterMs).findings.map((f) => f.level)).toEqual([
      'ok',
      'ok'
    ])
  })

  it('never passes early without decide-early, or before min-samples', () => {
    const off = buildJudge({ metrics, hasBaseline: true })
    expect(simulateBake(bake(good), 5, [off])[0].decision).toBe('continue')
    const slow = buildJudge({
      metrics,
      decideEarly: true,
      minSamples: 2000,
      hasBaseline: true
    })
    const [o] = simulateBake(bake(good), 5, [slow])
    expect(o.decision).toBe('pass')
    expect(o.afterMs).toBeGreaterThanOrEqual(100_000)
  })

  it('passes a healthy canary early against relative conditions too', () => {
    const judge = buildJudge({
      metrics: [probes('p95', ['> 1.5x baseline'])],
      decideEarly: true,
      hasBaseline: true
    })
    const [o] = simulateBake(bake(healthy), 9, [judge])
    expect(o.decision).toBe('pass')
  })
})

describe('Bonferroni split', () => {
  it('gives each fail condition with a test its share of alpha', () => {
    const judge = buildJudge({
      metrics: [
        probes('error-rate', ['> 2%'], ['> 1%']),
        probes('p95', ['> 500ms'])
      ]
    })
    const plan = judge.plan()
    expect(plan.map((p) => [p.metric, p.level, p.method])).toEqual([
      ['error-rate', 'fail', 'rate'],
      ['error-rate', 'warn', 'rate'],
      ['p95', 'fail', 'quantile']
    ])
    expect(plan[0].alpha).toBeCloseTo(0.005, 12)
    expect(plan[1].alpha).toBeUndefined()
    expect(plan[2].alpha).toBeCloseTo(0.005, 12)
  })

  it('splits over every fail condition of a list', () => {
    const judge = buildJudge({
      metrics: [
        probes('p95', ['> 500ms', '> 2x baseline']),
        probes('error-rate', ['> 2%'])
      ],
      confidence: 0.97,
      hasBaseline: true
    })
    for (const p of judge.plan()) expect(p.alpha).toBeCloseTo(0.01, 12)
  })

  it('needs more evidence with more conditions', () => {
    const one = buildJudge({ metrics: [probes('error-rate', ['> 2%'])] })
    const two = buildJudge({
      metrics: [probes('error-rate', ['> 2%']), probes('p95', ['> 5s'])]
    })
    // 7 errors in 60 would convince a test at alpha = 1% but not at 0.5%.
    for (const j of [one, two]) feed(j, 'canary', 60, 7)
    expect(one.look(1).decision).toBe('fail')
    expect(two.look(1).decision).toBe('continue')
  })
})

describe('external metrics', () => {
  const cpu = (options: Partial<JudgeOptions> = {}): Judge =>
    buildJudge({ metrics: [external('cpu', ['> 70%'])], ...options })

  it('fails after more than error-limit source errors in a row', () => {
    const judge = cpu({ errorLimit: 4 })
    for (let i = 1; i <= 4; i++) {
      judge.addReading(
        'cpu',
        'canary',
        error('connection refused to 127.0.0.1:9')
      )
      expect(judge.look(i * 5000).decision).toBe('continue')
    }
    judge.addReading(
      'cpu',
      'canary',
      error('connection refused to 127.0.0.1:9')
    )
    const look = judge.look(25_000)
    expect(look.decision).toBe('fail')
    expect(look.findings).toEqual([
      {
        name: 'cpu',
        level: 'error',
        reason:
          'cpu: source errored 5 times in a row (last: connection refused to 127.0.0.1:9)'
      }
    ])
    const final = judge.final(30_000)
    expect(final.outcome).toBe('failed')
    expect(final.reason).toBe(
      'cpu: source errored 5 times in a row (last: connection refused to 127.0.0.1:9)'
    )
  })

  it('restarts the error count after a good reading', () => {
    const judge = cpu({ errorLimit: 2 })
    const seq = [
      error('503'),
      error('503'),
      value(0.3),
      error('503'),
      error('503')
    ]
    for (const r of seq) {
      judge.addReading('cpu', 'canary', r)
      expect(judge.look(0).decision).toBe('continue')
    }
  })

  it('never passes on errors, whatever on-no-data says', () => {
    const judge = cpu({ errorLimit: 1000, onNoData: 'pass' })
    for (let i = 0; i < 12; i++) {
      judge.addReading('cpu', 'canary', error('timeout after 2s'))
      judge.look(i)
    }
    const final = judge.final(99)
    expect(final.outcome).toBe('failed')
    expect(final.reason).toBe(
      'cpu: no value at 12 of 12 looks (errors 12, last: timeout after 2s); source errors are never a pass (on-no-data: pass)'
    )
  })

  it('holds on no-data when told to', () => {
    const judge = cpu({ onNoData: 'hold' })
    for (let i = 0; i < 6; i++) {
      judge.addReading('cpu', 'canary', i < 2 ? value(0.2) : noData())
      judge.look(i)
    }
    const final = judge.final(99)
    expect(final.outcome).toBe('held')
    expect(final.inconclusive).toEqual(['cpu'])
    expect(final.findings[0].level).toBe('no-data')
    expect(final.reason).toBe(
      'inconclusive: cpu: no value at 4 of 6 looks (no-data 4, last: empty result) (on-no-data: hold)'
    )
  })

  it('never fails a flapping metric early; the median decides at the end', () => {
    for (const [first, outcome, shown] of [
      [0.9, 'failed', 'cpu 90.0% > 70%, n=11'],
      [0.5, 'passed', 'cpu 50.0% <= 70%, n=11']
    ] as const) {
      const judge = cpu()
      for (let i = 0; i < 11; i++) {
        const v = i % 2 === 0 ? first : first === 0.9 ? 0.5 : 0.9
        judge.addReading('cpu', 'canary', value(v))
        expect(judge.look(i * 5000).decision).toBe('continue')
      }
      const final = judge.final(60_000)
      expect(final.outcome).toBe(outcome)
      expect(final.reason).toBe(shown)
    }
  })

  it('fails early after three breaching looks in a row', () => {
    const judge = cpu()
    const values = [0.9, 0.5, 0.9, 0.95, 0.91]
    const decisions = values.map((v, i) => {
      judge.addReading('cpu', 'canary', value(v))
      return judge.look(i).decision
    })
    expect(decisions).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
      'fail'
    ])
    expect(judge.look(9).findings[0].reason).toBe(
      'cpu 91.0% > 70%, n=5 (3 looks in a row)'
    )
  })

  it('compares relative readings of the same look', () => {
    const judge = buildJudge({
      metrics: [external('cpu', ['> 1.5x baseline'])],
      hasBaseline: true
    })
    const pairs = [
      [0.9, 0.5],
      [0.9, 0.7],
      [0.9, 0.5],
      [0.8, 0.5],
      [0.95, 0.6]
    ]
    const decisions = pairs.map(([c, b], i) => {
      judge.addReading('cpu', 'canary', value(c))
      judge.addReading('cpu', 'baseline', value(b))
      return judge.look(i).decision
    })
    expect(decisions).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
      'fail'
    ])
    expect(judge.look(9).findings[0].reason).toBe(
      'cpu 0.95 > 1.5x baseline (0.6), n=5/5 (3 looks in a row)'
    )
  })

  it('passes early only after clear looks in a row (decide-early)', () => {
    const judge = cpu({ decideEarly: true })
    const decisions = [0.2, 0.9, 0.3, 0.2, 0.25].map((v, i) => {
      judge.addReading('cpu', 'canary', value(v))
      return judge.look(i).decision
    })
    expect(decisions).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
      'pass'
    ])
  })
})

describe('too few samples', () => {
  it('is inconclusive, never a pass, and follows on-no-data', () => {
    const outcomes = (['hold', 'fail', 'pass'] as const).map((onNoData) => {
      const judge = buildJudge({
        metrics: [probes('error-rate', ['> 2%'])],
        onNoData,
        decideEarly: true
      })
      feed(judge, 'canary', 10, 0)
      expect(judge.look(5000).decision).toBe('continue')
      return judge.final(6000)
    })
    expect(outcomes.map((o) => o.outcome)).toEqual(['held', 'failed', 'passed'])
    expect(outcomes[0].inconclusive).toEqual(['error-rate'])
    expect(outcomes[0].findings[0]).toMatchObject({
      level: 'no-data',
      reason: 'error-rate: 10 samples on canary, fewer than min-samples 20'
    })
    expect(outcomes[1].reason).toBe(
      'inconclusive: error-rate: 10 samples on canary, fewer than min-samples 20 (on-no-data: fail)'
    )
  })

  it('needs min-samples on the baseline too for relative conditions', () => {
    const judge = buildJudge({
      metrics: [probes('error-rate', ['> 2x baseline'])],
      hasBaseline: true,
      onNoData: 'hold'
    })
    feed(judge, 'canary', 100, 0)
    feed(judge, 'baseline', 5, 0)
    judge.look(1)
    expect(judge.final(2).reason).toBe(
      'inconclusive: error-rate: 5 samples on baseline, fewer than min-samples 20 (on-no-data: hold)'
    )
  })
})

describe('growth (soak)', () => {
  const memoryJudge = (): Judge =>
    buildJudge({ metrics: [external('memory', ['growth > 5%/h'])] })

  const run = (perHour: number, seed: number): ReturnType<Judge['final']> => {
    const judge = memoryJudge()
    const normal = normals(mulberry32(seed))
    const start = 1_700_000_000_000
    for (let i = 0; i < 240; i++) {
      const at = start + i * 30_000
      const level = 1000 * (1 + (perHour * i * 30_000) / 3_600_000)
      judge.addReading('memory', 'canary', value(level + 20 * normal(), at))
      expect(judge.look(at).decision).toBe('continue')
    }
    return judge.final(start + 240 * 30_000)
  }

  it('detects a leak above 5%/h', () => {
    const final = run(0.1, 1)
    expect(final.outcome).toBe('failed')
    expect(final.reason).toMatch(
      /^memory growth (9\.\d|10\.\d)%\/h > 5%\/h, n=240$/
    )
  })

  it('does not see one in a flat noisy series', () => {
    for (let seed = 1; seed <= 5; seed++)
      expect(run(0, seed).outcome).toBe('passed')
  })

  it('works on a built-in metric, one value per look', () => {
    const judge = buildJudge({ metrics: [probes('p95', ['growth > 5%/h'])] })
    for (let look = 0; look < 60; look++) {
      const ms = 100 * (1 + (0.2 * look * 60_000) / 3_600_000)
      feed(judge, 'canary', 20, 0, (i) => ms * (0.9 + (i % 10) * 0.02))
      judge.look(look * 60_000)
    }
    const final = judge.final(3_600_000)
    expect(final.outcome).toBe('failed')
    expect(final.reason).toMatch(/^p95 growth (19|2\d)\.\d%\/h > 5%\/h, n=60$/)
  })

  it('is built from a soak config', () => {
    const loaded = parseConfig(
      [
        'version: 1',
        'service: api',
        'environment: prod',
        'gates:',
        '  soak:',
        '    duration: 2h',
        '    metrics:',
        '      memory:',
        '        prometheus: { url: "http://127.0.0.1:9090", query: "mem" }',
        '        fail: growth > 5%/h'
      ].join('\n'),
      'deploy-gates.yml'
    )
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    // As the soak gate builds its judge: one track, no early pass.
    const s = loaded.config.gates.soak!
    const judge = buildJudge({
      metrics: s.metrics ?? {},
      minSamples: s['min-samples'],
      errorLimit: s['error-limit'],
      onNoData: s['on-no-data']
    })
    expect(judge.plan()).toEqual([
      {
        metric: 'memory',
        level: 'fail',
        condition: 'growth > 5%/h',
        method: 'growth'
      }
    ])
    expect(judge.hasBaseline).toBe(false)
  })
})

describe('live values and config', () => {
  it('shows current values per track for progress lines and the chart', () => {
    const judge = buildJudge({
      metrics: [
        probes('error-rate', ['> 2x baseline']),
        probes('p95', ['> 500ms', '> 4x baseline']),
        external('cpu', ['> 70%'])
      ],
      hasBaseline: true
    })
    feed(judge, 'canary', 200, 2, 120)
    feed(judge, 'baseline', 200, 0, 100)
    judge.addReading('cpu', 'canary', value(0.42))
    judge.look(5000)
    const live = judge.live()
    expect(live.values).toEqual({
      'error-rate': '1.0% / 0.0%',
      p95: '120ms / 100ms',
      cpu: '42.0% / n/a'
    })
    expect(live.canary).toMatchObject({ n: 200, errorRate: 0.01 })
    expect(live.canary.p95Ms).toBeCloseTo(120, 0)
    expect(live.baseline).toMatchObject({ n: 200, errorRate: 0 })
    expect(live.baseline?.p95Ms).toBeCloseTo(100, 0)
    // The fail lines: error-rate's is 2x the baseline's rate now (0).
    expect(live.metrics['error-rate']).toMatchObject({
      canary: 0.01,
      baseline: 0,
      threshold: 0,
      kind: 'rate'
    })
    // p95 fails at the lower of 500ms and 4x the baseline's ~100ms.
    expect(live.metrics.p95.kind).toBe('latency')
    expect(live.metrics.p95.threshold).toBeGreaterThan(380)
    expect(live.metrics.p95.threshold).toBeLessThan(420)
    expect(live.metrics.cpu).toEqual({
      canary: 0.42,
      threshold: 0.7,
      kind: 'rate',
      source: 'external'
    })
    expect(judge.liveText()).toEqual(live.values)
  })

  it('reads an analysis section', () => {
    const loaded = parseConfig(
      [
        'version: 1',
        'service: api',
        'environment: prod',
        'probes:',
        '  home: { http: { url: "http://127.0.0.1:8080/" } }',
        'gates:',
        '  canary:',
        '    traffic: { run: "true" }',
        '    steps: [{ weight: 10, bake: 5m }]',
        '    analysis:',
        '      probes: [home]',
        '      tracks: { canary: {}, baseline: {} }',
        '      decide-early: true',
        '      confidence: 95%',
        '      metrics:',
        "        error-rate: { fail: '> 2x baseline' }",
        "        p95: { fail: ['> 500ms', '> 1.5x baseline'], warn: '> 300ms' }"
      ].join('\n'),
      'deploy-gates.yml'
    )
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    // As a canary step builds its judge from the analysis section.
    const a = loaded.config.gates.canary!.analysis!
    const judge = buildJudge({
      metrics: a.metrics ?? {},
      confidence: a.confidence,
      minSamples: a['min-samples'],
      decideEarly: a['decide-early'],
      errorLimit: a['error-limit'],
      onNoData: a['on-no-data'],
      hasBaseline: a.tracks?.baseline !== undefined
    })
    expect(judge.hasBaseline).toBe(true)
    expect(judge.decideEarly).toBe(true)
    expect(judge.minSamples).toBe(20)
    const plan = judge.plan()
    expect(plan.map((p) => p.method)).toEqual([
      'rate-ratio',
      'quantile',
      'quantile-paired',
      'quantile'
    ])
    expect(plan[0].alpha).toBeCloseTo(0.05 / 3, 12)
  })
})
