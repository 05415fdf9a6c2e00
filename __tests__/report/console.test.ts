import { describe, expect, it } from '@jest/globals'
import type {
  GateReport,
  RolloutEvent,
  RolloutReport
} from '../../src/rollout/events.js'
import { consoleReporter } from '../../src/report/console.js'

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)
const S = 1000

function collect(color = false): {
  lines: string[]
  send: (e: RolloutEvent) => void
} {
  const lines: string[] = []
  const r = consoleReporter((l) => lines.push(l), { color })
  return { lines, send: (e) => void r.onEvent(e) }
}

function progress(t: number, totalS = 35, step = 25): RolloutEvent {
  return {
    type: 'progress',
    gate: 'canary',
    step,
    elapsedMs: t * S,
    remainingMs: (totalS - t) * S,
    values: { 'error-rate': '0.4% / 0.3%', p95: '182ms / 176ms' },
    at: T0 + t * S
  }
}

const failedStep: GateReport = {
  gate: 'canary',
  step: 25,
  outcome: 'failed',
  reason: 'error-rate 7.0% > 5%, n=100/98',
  startedAt: T0,
  endedAt: T0 + 70 * S,
  findings: [
    {
      name: 'error-rate',
      level: 'fail',
      value: '7.0%',
      condition: '> 5%',
      n: { canary: 100, baseline: 98 },
      reason: 'error-rate 7.0% > 5%'
    },
    { name: 'p95', level: 'ok', reason: 'p95 182ms' }
  ]
}

describe('consoleReporter', () => {
  it('throttles progress to one line per 10 s of event time, plus the last', () => {
    const { lines, send } = collect()
    send({ type: 'gate-started', gate: 'canary', step: 25, at: T0 })
    for (let t = 0; t < 35; t++) send(progress(t))
    send({
      type: 'gate-finished',
      report: { ...failedStep, outcome: 'passed', findings: [] },
      at: T0 + 35 * S
    })
    expect(lines).toEqual([
      'canary 25% · started',
      'canary 25% · 0s/35s · error-rate 0.4%/0.3% · p95 182ms/176ms',
      'canary 25% · 10s/35s · error-rate 0.4%/0.3% · p95 182ms/176ms',
      'canary 25% · 20s/35s · error-rate 0.4%/0.3% · p95 182ms/176ms',
      'canary 25% · 30s/35s · error-rate 0.4%/0.3% · p95 182ms/176ms',
      'canary 25% · 34s/35s · error-rate 0.4%/0.3% · p95 182ms/176ms',
      'canary 25% · passed in 1m10s: error-rate 7.0% > 5%, n=100/98'
    ])
  })

  it('shows the line that ends a bake at once, and restarts per gate', () => {
    const { lines, send } = collect()
    send(progress(0, 12))
    send(progress(5, 12))
    send(progress(12, 12))
    send({ type: 'gate-started', gate: 'canary', step: 50, at: T0 + 13 * S })
    send(progress(14, 900, 50))
    expect(lines).toEqual([
      'canary 25% · 0s/12s · error-rate 0.4%/0.3% · p95 182ms/176ms',
      'canary 25% · 12s/12s · error-rate 0.4%/0.3% · p95 182ms/176ms',
      'canary 50% · started',
      'canary 50% · 14s/15m · error-rate 0.4%/0.3% · p95 182ms/176ms'
    ])
  })

  it('writes a whole rollout, one line per event, and the verdict', () => {
    const { lines, send } = collect()
    const report: RolloutReport = {
      service: 'matches-api',
      environment: 'staging',
      version: 'v1.4.0',
      previousVersion: 'v1.3.9',
      sha: 'abc',
      result: 'rolled-back',
      failedGate: 'canary',
      reason: 'error-rate 7.0% > 5%, n=100/98',
      startedAt: T0,
      endedAt: T0 + 125 * S,
      gates: [failedStep],
      chart: [],
      timeline: []
    }
    send({
      type: 'rollout-started',
      service: 'matches-api',
      environment: 'staging',
      version: 'v1.4.0',
      previousVersion: 'v1.3.9',
      gates: ['deploy', 'canary'],
      at: T0
    })
    send({
      type: 'log',
      gate: 'deploy',
      lines: ['::error::not a command\r\nsecond'],
      at: T0
    })
    send({ type: 'gate-finished', report: failedStep, at: T0 + 70 * S })
    send({ type: 'rollback-started', reason: 'canary 25% failed', at: T0 })
    send({
      type: 'rollback-finished',
      ok: true,
      attempts: 1,
      reason: 'traffic 0%, rollback command exit 0',
      at: T0
    })
    send({ type: 'rollout-finished', report, at: T0 + 125 * S })
    expect(lines).toEqual([
      'deploy-gates: matches-api v1.4.0 (from v1.3.9) → staging · gates: deploy, canary',
      'deploy | ::error::not a command second',
      'canary 25% · failed in 1m10s: error-rate 7.0% > 5%, n=100/98',
      '  fail: error-rate 7.0% > 5%, n=100/98',
      'rollback · started: canary 25% failed',
      'rollback · done after 1 attempt: traffic 0%, rollback command exit 0',
      'result: rolled-back at canary 25%: error-rate 7.0% > 5%, n=100/98 (2m5s)'
    ])
    // No line starts with a workflow command.
    expect(lines.some((l) => l.startsWith('::'))).toBe(false)
  })

  it('colours outcome words only when asked', () => {
    const plain = collect(false)
    const color = collect(true)
    for (const c of [plain, color]) {
      c.send({ type: 'gate-finished', report: failedStep, at: T0 })
    }
    expect(plain.lines.join('\n')).not.toContain('\u001b[')
    expect(color.lines[0]).toContain('\u001b[31mfailed\u001b[0m')
  })

  it('never throws, even when write does', () => {
    const r = consoleReporter(() => {
      throw new Error('EPIPE')
    })
    expect(() =>
      r.onEvent({ type: 'gate-started', gate: 'deploy', at: T0 })
    ).not.toThrow()
  })
})
