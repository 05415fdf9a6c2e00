import { describe, expect, it } from '@jest/globals'
import type {
  GateLabel,
  GateReport,
  RolloutReport,
  StepPoint
} from '../../src/rollout/events.js'
import {
  codeSpan,
  escapeCell,
  fencedBlock,
  renderMarkdown
} from '../../src/report/markdown.js'
import type { Finding, Outcome } from '../../src/kernel/verdict.js'

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)
const S = 1000
const M = 60 * S

function gate(
  g: GateLabel,
  outcome: Outcome,
  start: number,
  durMs: number,
  reason: string,
  over: Partial<GateReport> = {}
): GateReport {
  return {
    gate: g,
    outcome,
    reason,
    startedAt: T0 + start,
    endedAt: T0 + start + durMs,
    findings: [],
    ...over
  }
}

function metrics(
  err: [string, string],
  p95: [string, string],
  n: [number, number],
  level: Finding['level'] = 'ok'
): Finding[] {
  return [
    {
      name: 'error-rate',
      level,
      value: err[0],
      baseline: err[1],
      condition: '> 5%',
      n: { canary: n[0], baseline: n[1] },
      reason:
        level === 'fail'
          ? `error-rate ${err[0]} > 5%, n=${n[0]}/${n[1]}`
          : `error-rate ${err[0]} within > 5% (baseline ${err[1]})`,
      detectable: '2.1%'
    },
    {
      name: 'p95',
      level: 'ok',
      value: p95[0],
      baseline: p95[1],
      condition: '> 2x baseline',
      n: { canary: n[0], baseline: n[1] },
      reason: `p95 ${p95[0]} within 2x baseline (${p95[1]})`
    }
  ]
}

const CHART: StepPoint[] = [
  {
    weight: 10,
    canary: { errorRate: 0.004, p95Ms: 182 },
    baseline: { errorRate: 0.003, p95Ms: 176 }
  },
  {
    weight: 25,
    canary: { errorRate: 0.005, p95Ms: 190 },
    baseline: { errorRate: 0.004, p95Ms: 178 }
  },
  {
    weight: 50,
    canary: { errorRate: 0.006, p95Ms: 188 },
    baseline: { errorRate: 0.004, p95Ms: 180 }
  },
  {
    weight: 100,
    canary: { errorRate: 0.004, p95Ms: 185 },
    baseline: { errorRate: 0.004, p95Ms: 181 }
  }
]

function promoted(): RolloutReport {
  const steps = [10, 25, 50, 100]
  const gates: GateReport[] = [
    gate('preflight', 'passed', 0, 2 * S, 'checks green, 2 approvals'),
    gate('migrate', 'passed', 2 * S, 40 * S, 'migrated (exit 0, 38s)', {
      logTail: ['Running migration 2026_11_20_add_index', 'done in 37.9s']
    }),
    gate('deploy', 'passed', 42 * S, 61 * S, 'exit 0 after 1m1s'),
    gate('health', 'passed', 103 * S, 4 * S, 'health, version passed', {
      findings: [
        { name: 'probe health', level: 'ok', reason: 'health 200 in 41ms' },
        { name: 'probe version', level: 'ok', reason: 'version 200 in 35ms' }
      ]
    })
  ]
  let t = 107 * S
  steps.forEach((w, i) => {
    const p = CHART[i]
    const dur = w === 100 ? 5 * S : 5 * M
    gates.push(
      gate('canary', 'passed', t, dur, `bake of ${formatMin(dur)} passed`, {
        step: w,
        findings: metrics(
          [pct(p.canary.errorRate!), pct(p.baseline.errorRate!)],
          [`${p.canary.p95Ms}ms`, `${p.baseline.p95Ms}ms`],
          [600 + i, 598 + i]
        )
      })
    )
    t += dur
  })
  gates.push(gate('promote', 'passed', t, 3 * S, 'exit 0 after 3s'))
  t += 3 * S
  return {
    service: 'matches-api',
    environment: 'production',
    version: 'v1.4.0',
    previousVersion: 'v1.3.9',
    sha: '0123456789abcdef0123456789abcdef01234567',
    result: 'promoted',
    reason: 'all 4 canary steps passed; promoted v1.4.0',
    startedAt: T0,
    endedAt: T0 + t,
    gates,
    chart: CHART,
    timeline: [
      { at: T0, text: 'rollout started' },
      { at: T0 + 42 * S, text: 'deploy started' },
      { at: T0 + 107 * S, text: 'canary 10%' },
      { at: T0 + 407 * S, text: 'canary 25%' },
      { at: T0 + 707 * S, text: 'canary 50%' },
      { at: T0 + 1007 * S, text: 'canary 100%' },
      { at: T0 + t, text: 'promoted' }
    ]
  }
}

function pct(r: number): string {
  return `${Number((r * 100).toFixed(2))}%`
}
function formatMin(ms: number): string {
  return ms >= M ? `${ms / M}m` : `${ms / S}s`
}

function rolledBack(): RolloutReport {
  const gates: GateReport[] = [
    gate('deploy', 'passed', 0, 30 * S, 'exit 0 after 30s', {
      logTail: [
        'kubectl set image deploy/matches-api app=matches-api:v1.4.0',
        'deployment.apps/matches-api image updated'
      ]
    }),
    gate('canary', 'passed', 30 * S, 5 * M, 'bake of 5m passed', {
      step: 10,
      findings: metrics(['0.4%', '0.3%'], ['182ms', '176ms'], [600, 598])
    }),
    gate(
      'canary',
      'failed',
      330 * S,
      70 * S,
      'error-rate 7.0% > 5%, n=100/98 (failed early at 1m10s)',
      {
        step: 25,
        findings: [
          ...metrics(['7.0%', '0.4%'], ['410ms', '178ms'], [100, 98], 'fail'),
          {
            name: 'probe match',
            level: 'fail',
            reason: "expected status 200, got 502 | upstream 'reset'\nretry"
          }
        ]
      }
    ),
    gate('rollback', 'passed', 400 * S, 25 * S, 'traffic 0%, rollback ok', {
      logTail: ['```', 'rolling back to v1.3.9', '</details> not ours', '```']
    })
  ]
  const p = CHART.slice(0, 2).map((x) => ({ ...x }))
  p[1] = {
    weight: 25,
    canary: { errorRate: 0.07, p95Ms: 410 },
    baseline: { errorRate: 0.004, p95Ms: 178 }
  }
  return {
    service: 'matches-api',
    environment: 'staging',
    version: 'v1.4.0',
    previousVersion: 'v1.3.9',
    sha: 'fedcba9876543210fedcba9876543210fedcba98',
    result: 'rolled-back',
    failedGate: 'canary',
    reason: 'error-rate 7.0% > 5%, n=100/98',
    startedAt: T0,
    endedAt: T0 + 425 * S,
    gates,
    chart: p,
    timeline: [
      { at: T0, text: 'rollout started' },
      { at: T0 + 30 * S, text: 'canary 10%' },
      { at: T0 + 330 * S, text: 'canary 25%' },
      { at: T0 + 400 * S, text: 'canary 25% failed: error-rate 7.0% > 5%' },
      { at: T0 + 425 * S, text: 'rolled back to v1.3.9' }
    ],
    rollback: {
      attempts: 1,
      ok: true,
      target: 'v1.3.9',
      reason: 'traffic back to 0%, rollback command exit 0, health passed'
    }
  }
}

/** Checks that fences, details and table rows are whole. */
function checkStructure(md: string): void {
  let open: string | undefined
  let details = 0
  for (const line of md.split('\n')) {
    const fence = /^(`{3,})/.exec(line)?.[1]
    if (open === undefined) {
      if (fence) open = fence
      else if (line.startsWith('|')) expect(line.endsWith('|')).toBe(true)
      else if (line === '<details>') details++
      else if (line === '</details>') details--
    } else if (
      fence &&
      line === '`'.repeat(line.length) &&
      fence.length >= open.length
    ) {
      open = undefined
    }
  }
  expect(open).toBeUndefined()
  expect(details).toBe(0)
}

describe('renderMarkdown', () => {
  it('renders a promoted 4-step rollout', () => {
    const md = renderMarkdown(promoted(), {
      runUrl: 'https://github.com/o/r/actions/runs/42',
      marker: '<!-- deploy-gates:production -->'
    })
    expect(md.split('\n').slice(0, 4)).toEqual([
      '<!-- deploy-gates:production -->',
      '### deploy-gates: matches-api → production',
      '',
      '**promoted**: all 4 canary steps passed; promoted v1.4.0'
    ])
    checkStructure(md)
    expect(md).toMatchSnapshot()
  })

  it('renders a rolled-back rollout', () => {
    const md = renderMarkdown(rolledBack())
    expect(md).toContain(
      '**rolled-back** at canary 25%: error-rate 7.0% > 5%, n=100/98'
    )
    // A pipe and a newline in a reason stay inside their cell.
    expect(md).toContain("got 502 \\| upstream 'reset' retry")
    // Log lines with fences and HTML stay inside a longer fence.
    expect(md).toContain('````text\n```\nrolling back to v1.3.9')
    expect(md).toContain('Rolled back to `v1.3.9` after 1 attempt')
    expect(md).not.toContain('Shortened')
    checkStructure(md)
    expect(md).toMatchSnapshot()
  })

  describe('size cap', () => {
    function huge(): RolloutReport {
      const r = rolledBack()
      const tail = Array.from(
        { length: 1000 },
        (_, i) =>
          `2026-11-22T12:00:${String(i % 60).padStart(2, '0')}Z step ${i}: applying change set ${'x'.repeat(40)}`
      )
      const gates: GateReport[] = []
      const chart: StepPoint[] = []
      for (let i = 1; i <= 20; i++) {
        const w = i * 5
        const failed = i === 20
        gates.push(
          gate('canary', failed ? 'failed' : 'passed', i * M, M, `step ${w}`, {
            step: w,
            findings: metrics(
              [failed ? '7.0%' : '0.4%', '0.3%'],
              ['182ms', '176ms'],
              [100 * i, 100 * i],
              failed ? 'fail' : 'ok'
            ),
            logTail: tail
          })
        )
        chart.push({
          weight: w,
          canary: { errorRate: failed ? 0.07 : 0.004, p95Ms: 180 + i },
          baseline: { errorRate: 0.003, p95Ms: 176 }
        })
      }
      return {
        ...r,
        gates,
        chart,
        timeline: Array.from({ length: 400 }, (_, i) => ({
          at: T0 + i * S,
          text: `event ${i}: ${'y'.repeat(60)}`
        }))
      }
    }

    it('stays under the default limit by dropping log tails first', () => {
      const report = huge()
      const md = renderMarkdown(report)
      expect(md.length).toBeLessThanOrEqual(65_000)
      checkStructure(md)
      expect(md).toContain(
        '> **Shortened** to stay under 65,000 characters: left out'
      )
      expect(md).toMatch(/left out [^\n]*log tail/)
      // The verdict, the table and the chart survive.
      expect(md).toContain('**rolled-back** at canary 100%')
      expect(md.match(/^\| canary \| \d+% \|/gm)).toHaveLength(20)
      expect(md).toContain('xychart-beta')
    })

    it('keeps the failing gate’s last lines while it can', () => {
      const report = huge()
      const md = renderMarkdown(report, { maxChars: 200_000 })
      expect(md.length).toBeLessThanOrEqual(200_000)
      expect(md).toContain('Output (last 30 of 1000 lines)')
      expect(md.match(/^Output \(/gm)).toHaveLength(1)
      checkStructure(md)
    })

    it('then drops details, then the middle of the timeline', () => {
      const report = huge()
      const md = renderMarkdown(report, { maxChars: 12_000 })
      expect(md.length).toBeLessThanOrEqual(12_000)
      checkStructure(md)
      expect(md).toMatch(
        /left out log tails, gate details, \d+ timeline entries;/
      )
      expect(md).not.toContain('<details>')
      expect(md).toMatch(/^\| … \| … \| \d+ entries left out \|$/m)
      expect(md).toContain('event 0:')
      expect(md).toContain('event 399:')
    })

    it('never exceeds even a tiny limit, cutting only between blocks', () => {
      const report = huge()
      for (const max of [3000, 1000, 400]) {
        const md = renderMarkdown(report, { maxChars: max })
        expect(md.length).toBeLessThanOrEqual(max)
        expect(md).toContain('**rolled-back**')
        checkStructure(md)
      }
    })
  })
})

describe('escaping', () => {
  it('escapes pipes, newlines and HTML in cells', () => {
    expect(escapeCell('a | b\nc <b>&')).toBe('a \\| b c &lt;b>&amp;')
  })
  it('defuses @-mentions but keeps e-mail addresses', () => {
    expect(escapeCell('npm ERR! @acme/web failed, ask ops@acme.io')).toBe(
      'npm ERR! @\u200bacme/web failed, ask ops@acme.io'
    )
  })
  it('makes code spans that backticks cannot close', () => {
    expect(codeSpan('v1')).toBe('`v1`')
    expect(codeSpan('a`b')).toBe('``a`b``')
    expect(codeSpan('`x')).toBe('`` `x ``')
  })
  it('makes fences longer than any run inside', () => {
    expect(fencedBlock(['ok'])).toBe('```\nok\n```')
    expect(fencedBlock(['````', 'x'], 'text')).toBe('`````text\n````\nx\n`````')
  })
})
