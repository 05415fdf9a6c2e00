import { describe, expect, it } from '@jest/globals'
import type { RolloutReport } from '../../src/rollout/events.js'
import { JSON_REPORT_VERSION, toJsonReport } from '../../src/report/json.js'

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)

const report: RolloutReport = {
  service: 'matches-api',
  environment: 'staging',
  version: 'v1.4.0',
  sha: 'fedcba9876543210fedcba9876543210fedcba98',
  result: 'rolled-back',
  failedGate: 'canary',
  reason: 'error-rate 7.0% > 5%, n=100/98',
  startedAt: T0,
  endedAt: T0 + 90_000,
  gates: [
    {
      gate: 'canary',
      step: 25,
      outcome: 'failed',
      reason: 'error-rate 7.0% > 5%, n=100/98',
      startedAt: T0,
      endedAt: T0 + 60_000,
      findings: [
        {
          name: 'error-rate',
          level: 'fail',
          value: '7.0%',
          condition: '> 5%',
          n: { canary: 100 },
          reason: 'error-rate 7.0% > 5%, n=100'
        }
      ]
    },
    {
      gate: 'rollback',
      outcome: 'passed',
      reason: 'ok',
      startedAt: T0 + 60_000,
      endedAt: T0 + 90_000,
      findings: [],
      logTail: ['rolled back']
    }
  ],
  chart: [
    {
      weight: 25,
      canary: { errorRate: 0.07, p95Ms: Number.NaN },
      baseline: {}
    }
  ],
  timeline: [{ at: T0, text: 'rollout started' }],
  rollback: { attempts: 1, ok: true, reason: 'ok' }
}

describe('toJsonReport', () => {
  it('has a schema version, every key present and ISO times', () => {
    const j = toJsonReport(report)
    expect(j.schemaVersion).toBe(JSON_REPORT_VERSION)
    expect(JSON_REPORT_VERSION).toBe(1)
    expect(j.previousVersion).toBeNull()
    expect(j.startedAt).toBe('2026-11-22T12:00:00.000Z')
    expect(j.durationMs).toBe(90_000)
    expect(j.gates[0].findings[0]).toEqual({
      name: 'error-rate',
      level: 'fail',
      value: '7.0%',
      baseline: null,
      condition: '> 5%',
      n: { canary: 100, baseline: null },
      reason: 'error-rate 7.0% > 5%, n=100',
      detectable: null
    })
    expect(j.gates[1].step).toBeNull()
    expect(j.gates[0].logTail).toEqual([])
    expect(j.chart[0]).toEqual({
      weight: 25,
      canary: { errorRate: 0.07, p95Ms: null },
      baseline: { errorRate: null, p95Ms: null }
    })
    expect(j.rollback).toEqual({
      attempts: 1,
      ok: true,
      target: null,
      reason: 'ok'
    })
  })

  it('is stable: same keys in the same order, and survives JSON', () => {
    const text = JSON.stringify(toJsonReport(report), null, 2)
    expect(JSON.parse(text)).toEqual(toJsonReport(report))
    expect(Object.keys(toJsonReport(report))).toEqual([
      'schemaVersion',
      'service',
      'environment',
      'version',
      'previousVersion',
      'sha',
      'result',
      'failedGate',
      'reason',
      'startedAt',
      'endedAt',
      'durationMs',
      'gates',
      'chart',
      'timeline',
      'rollback'
    ])
    expect(text).toMatchSnapshot()
  })
})
