/**
 * The one report builder: every way a run ends gives the same fields, in
 * the same order, and the rollback's part says where it rolled back to.
 */
import { describe, expect, it } from '@jest/globals'
import { buildReport } from '../../src/rollout/report-builder.js'
import type { RollbackOutcome } from '../../src/rollout/rollback.js'

const values = {
  version: 'v2',
  previousVersion: 'v1',
  sha: '0123456789abcdef',
  environment: 'staging',
  service: 'matches-api'
}

const failedRollback: RollbackOutcome = {
  kind: 'rollback-failed',
  attempts: 3,
  reason:
    'rollback failed after 3 attempts: rollback command exited with code 1',
  report: {
    gate: 'rollback',
    outcome: 'failed',
    reason: 'rollback failed',
    startedAt: 2,
    endedAt: 3,
    findings: []
  }
}

describe('buildReport', () => {
  it('puts the identity first and the rollback last, with its target', () => {
    const report = buildReport({
      values,
      result: 'rollback-failed',
      failedGate: 'rollback',
      reason: 'r',
      startedAt: 1,
      endedAt: 4,
      gates: [failedRollback.report],
      timeline: [{ at: 1, text: 'manual rollback: r' }],
      rollback: failedRollback
    })
    expect(Object.keys(report)).toEqual([
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
      'gates',
      'chart',
      'timeline',
      'rollback'
    ])
    expect(report.chart).toEqual([])
    expect(report.rollback).toEqual({
      attempts: 3,
      ok: false,
      target: 'v1',
      reason: failedRollback.reason
    })
  })

  it('leaves out what a run does not have', () => {
    const { previousVersion: _, ...first } = values
    const report = buildReport({
      values: first,
      result: 'rolled-back',
      reason: 'r',
      startedAt: 1,
      endedAt: 2,
      gates: [],
      timeline: [],
      rollback: { ...failedRollback, kind: 'rolled-back' }
    })
    expect(report).not.toHaveProperty('previousVersion')
    expect(report).not.toHaveProperty('failedGate')
    expect(report.rollback).toEqual({
      attempts: 3,
      ok: true,
      reason: failedRollback.reason
    })
  })
})
