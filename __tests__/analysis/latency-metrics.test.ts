/**
 * Latency means one thing (DESIGN.md §5): `pNN` judges the request latency
 * of HTTP probes only, never a WebSocket flow's duration; `ws-connect-`,
 * `ws-first-message-` and `ws-push-pNN` judge the WebSocket probes' own
 * measures, absolute and relative to the baseline.
 */
import { describe, expect, it } from '@jest/globals'
import { buildJudge, type Judge } from '../../src/analysis/judge.js'
import { builtinOf, type JudgeMetric } from '../../src/analysis/measure.js'
import { parseCondition, type Condition } from '../../src/config/units.js'
import type { ProbeSample, WsMeasures } from '../../src/kernel/sample.js'
import type { Track } from '../../src/kernel/verdict.js'

function cond(text: string): Condition {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

const metric = (name: string, fail: string[]): JudgeMetric => ({
  name,
  source: 'probes',
  fail: fail.map(cond),
  warn: []
})

function http(ms: number): ProbeSample {
  return {
    probe: 'api',
    kind: 'http',
    ok: true,
    reason: 'ok',
    attempts: 1,
    startedAt: 0,
    timings: { totalMs: ms }
  }
}

/** A Socket.IO flow whose duration includes a 3 s silence. */
function flow(ws: Partial<WsMeasures> = {}, ok = true): ProbeSample {
  return {
    probe: 'gateway',
    kind: 'websocket',
    ok,
    reason: ok ? '5 steps passed' : 'step 3 (receive): no event',
    attempts: 1,
    startedAt: 0,
    timings: { totalMs: 3060, connectMs: ws.connectMs ?? 12 },
    steps: [],
    ws: { connectMs: 12, ...ws }
  }
}

function feed(judge: Judge, track: Track, samples: ProbeSample[]): void {
  for (const s of samples) judge.addSample(track, s, 0)
}

const times = <T>(n: number, f: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => f(i))

describe('built-in latency names', () => {
  it('name the latency they read', () => {
    expect(builtinOf('p95')).toEqual({ type: 'quantile', q: 0.95, of: 'http' })
    expect(builtinOf('ws-push-p99')).toEqual({
      type: 'quantile',
      q: 0.99,
      of: 'ws-push'
    })
    expect(builtinOf('ws-connect-p50')).toMatchObject({ of: 'ws-connect' })
    expect(builtinOf('ws-first-message-p90')).toMatchObject({
      of: 'ws-first-message',
      q: 0.9
    })
    expect(builtinOf('ws-push-p42')).toBeUndefined()
  })
})

describe('pNN is HTTP request latency', () => {
  it('a soak over an HTTP probe and a Socket.IO flow with a silence passes p95 > 2s', () => {
    const judge = buildJudge({
      metrics: [metric('p95', ['> 2s'])],
      minSamples: 20
    })
    feed(
      judge,
      'canary',
      times(40, (i) => (i % 2 === 0 ? http(20) : flow()))
    )
    const final = judge.final(0)
    expect(final.outcome).toBe('passed')
    expect(final.findings[0]).toMatchObject({
      name: 'p95',
      level: 'ok',
      n: { canary: 20 }
    })
    expect(final.findings[0].reason).toMatch(/^p95 20(\.\d+)?ms <= 2s, n=20/)
  })

  it('says plainly when a track has samples but none from an HTTP probe', () => {
    const judge = buildJudge({
      metrics: [metric('p95', ['> 2s'])],
      minSamples: 5
    })
    feed(
      judge,
      'canary',
      times(10, () => flow())
    )
    const final = judge.final(0)
    expect(final.outcome).toBe('failed')
    expect(final.inconclusive).toEqual(['p95'])
    expect(final.findings[0]).toMatchObject({
      level: 'error',
      reason:
        'p95: no HTTP probe samples on canary; p95 is HTTP request latency (WebSocket probes have ws-connect-p95, ws-first-message-p95, ws-push-p95)'
    })
  })
})

describe('ws-* conditions', () => {
  it('ws-push-p95 > 100ms fails pushes delayed by 300 ms, early and at the end', () => {
    const judge = buildJudge({
      metrics: [metric('ws-push-p95', ['> 100ms'])],
      minSamples: 20
    })
    feed(
      judge,
      'canary',
      times(30, () => flow({ pushLatenciesMs: [305, 310] }))
    )
    expect(judge.look(1000)).toMatchObject({ decision: 'fail' })
    const final = judge.final(2000)
    expect(final.outcome).toBe('failed')
    expect(final.findings[0]).toMatchObject({
      name: 'ws-push-p95',
      level: 'fail',
      n: { canary: 60 }
    })
    expect(final.findings[0].reason).toMatch(/^ws-push-p95 31\dms > 100ms/)
  })

  it('ws-push-p95 > 100ms passes prompt pushes, whatever the flow lasts', () => {
    const judge = buildJudge({
      metrics: [metric('ws-push-p95', ['> 100ms'])],
      minSamples: 20,
      decideEarly: true
    })
    feed(
      judge,
      'canary',
      times(200, () => flow({ pushLatenciesMs: [8] }))
    )
    expect(judge.look(1000).decision).toBe('pass')
    expect(judge.final(2000).outcome).toBe('passed')
  })

  it('judges connect and first-message times on their own histograms', () => {
    const judge = buildJudge({
      metrics: [
        metric('ws-connect-p95', ['> 100ms']),
        metric('ws-first-message-p50', ['> 200ms'])
      ],
      minSamples: 10
    })
    feed(
      judge,
      'canary',
      times(20, () => flow({ connectMs: 400, firstMessageMs: 50 }))
    )
    const final = judge.final(0)
    expect(final.findings.map((f) => [f.name, f.level])).toEqual([
      ['ws-connect-p95', 'fail'],
      ['ws-first-message-p50', 'ok']
    ])
  })

  it('compares ws-push-p95 with the baseline (paired), early', () => {
    const judge = buildJudge({
      metrics: [metric('ws-push-p95', ['> 2x baseline'])],
      minSamples: 20,
      hasBaseline: true
    })
    feed(
      judge,
      'canary',
      times(20, () => flow({ pushLatenciesMs: [320] }))
    )
    feed(
      judge,
      'baseline',
      times(20, () => flow({ pushLatenciesMs: [20] }))
    )
    expect(judge.look(1000).decision).toBe('fail')
    const final = judge.final(2000)
    expect(final.outcome).toBe('failed')
    expect(final.early).toEqual({ decision: 'fail', at: 1000 })
    expect(final.findings[0]).toMatchObject({
      name: 'ws-push-p95',
      level: 'fail',
      n: { canary: 20, baseline: 20 }
    })
  })

  it('passes ws-push-p95 against a baseline that pushes as fast', () => {
    const judge = buildJudge({
      metrics: [metric('ws-push-p95', ['> baseline + 50ms'])],
      minSamples: 20,
      hasBaseline: true
    })
    feed(
      judge,
      'canary',
      times(40, () => flow({ pushLatenciesMs: [22] }))
    )
    feed(
      judge,
      'baseline',
      times(40, () => flow({ pushLatenciesMs: [20] }))
    )
    expect(judge.final(0).outcome).toBe('passed')
  })

  it('says why ws-push-p95 has no data', () => {
    const noPush = buildJudge({
      metrics: [metric('ws-push-p95', ['> 100ms'])],
      minSamples: 5
    })
    feed(
      noPush,
      'canary',
      times(10, () => flow())
    )
    expect(noPush.final(0).findings[0]).toMatchObject({
      level: 'error',
      reason:
        'ws-push-p95: no pushed-message latencies (a receive after a send or emit, or push-latency.timestamp, gives them) in 10 WebSocket probe samples on canary'
    })

    const httpOnly = buildJudge({
      metrics: [metric('ws-connect-p95', ['> 100ms'])],
      minSamples: 5
    })
    feed(
      httpOnly,
      'canary',
      times(10, () => http(20))
    )
    expect(httpOnly.final(0).findings[0]).toMatchObject({
      level: 'error',
      reason: 'ws-connect-p95: no WebSocket probe samples on canary'
    })
  })

  it('counts a failed flow in error-rate, and its pushes only if it had any', () => {
    const judge = buildJudge({
      metrics: [
        metric('error-rate', ['> 50%']),
        metric('ws-push-p95', ['> 100ms'])
      ],
      minSamples: 5
    })
    feed(judge, 'canary', [
      ...times(10, () => flow({ pushLatenciesMs: [10] })),
      ...times(2, () => flow({}, false))
    ])
    const final = judge.final(0)
    expect(final.findings.map((f) => [f.name, f.level, f.n])).toEqual([
      ['error-rate', 'ok', { canary: 12 }],
      ['ws-push-p95', 'ok', { canary: 10 }]
    ])
  })
})
