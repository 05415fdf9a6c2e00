/**
 * How the loader takes preflight's `require` checks and freeze rules, and
 * how `plan` shows the rules with their next windows (text and JSON).
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatConfigError, parseConfig } from '../../src/config/load.js'
import { runCli } from '../../src/cli.js'

function config(preflight: string): string {
  return `version: 1
service: api
environment: production
vars:
  prometheus: http://127.0.0.1:9090
gates:
  preflight:
${preflight}
  deploy:
    run: ./deploy.sh
`
}

function errors(preflight: string): string[] {
  const r = parseConfig(config(preflight), 'c.yml')
  return r.ok ? [] : r.errors.map(formatConfigError)
}

describe('preflight require: config', () => {
  it('accepts a metric check, a command check and freeze rules', () => {
    expect(
      errors(`    require:
      db-cpu:
        prometheus: { url: '\${vars.prometheus}', query: 'max(db_cpu)' }
        expect: '< 60%'
      no-incidents: { run: ./no-incidents.sh, timeout: 1m }
    window:
      freeze: ['2026-12-25', last 3 business days of quarter, 'every Fri 15:00-24:00']
      timezone: Europe/Berlin`)
    ).toEqual([])
  })

  it.each([
    [
      `    require:
      db-cpu: { expect: '< 60%' }`,
      "gates.preflight.require.db-cpu: preflight check 'db-cpu' needs exactly one of 'prometheus', 'http', 'datadog', 'newrelic', 'cloudwatch' (a metric) or 'run' (a command), got none"
    ],
    [
      `    require:
      both: { run: 'true', prometheus: { url: 'http://127.0.0.1:9090', query: up } }`,
      "gates.preflight.require.both: preflight check 'both' needs exactly one of 'prometheus', 'http', 'datadog', 'newrelic', 'cloudwatch' (a metric) or 'run' (a command), got 'prometheus', 'run'"
    ],
    [
      `    require:
      db-cpu: { prometheus: { url: 'http://127.0.0.1:9090', query: up } }`,
      "gates.preflight.require.db-cpu: preflight check 'db-cpu' needs 'expect', the condition the value must meet, e.g. '< 60%'"
    ],
    [
      `    require:
      db-cpu: { prometheus: { url: 'http://127.0.0.1:9090', query: up }, expect: '< 2x baseline' }`,
      "gates.preflight.require.db-cpu.expect: condition '< 2x baseline' compares with a baseline or a trend; before a rollout there is neither (use e.g. '< 60%' or '< 0.6')"
    ],
    [
      `    require:
      db-cpu: { prometheus: { url: 'http://127.0.0.1:9090', query: up }, expect: '60%' }`,
      "gates.preflight.require.db-cpu.expect: invalid condition '60%'"
    ],
    [
      `    require:
      gate: { run: ./check.sh, expect: '< 1' }`,
      "gates.preflight.require.gate.expect: 'expect' is for metrics; a command check passes when it exits 0"
    ],
    [
      `    window:
      freeze: [last 3 workdays of month]`,
      "gates.preflight.window.freeze[0]: invalid freeze rule 'last 3 workdays of month'"
    ]
  ])('refuses case %#', (preflight, message) => {
    const got = errors(preflight)
    expect(got).toHaveLength(1)
    expect(got[0]).toContain(message)
  })
})

describe('plan with freeze rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-plan-'))
  const file = join(dir, 'c.yml')
  writeFileSync(
    file,
    config(`    require:
      no-incidents: { run: ./no-incidents.sh }
    window:
      freeze: [last 2 business days of month, 'every Fri 15:00-24:00']
      timezone: America/New_York`)
  )
  async function plan(...extra: string[]): Promise<string> {
    let out = ''
    const code = await runCli(['plan', '--config', file, ...extra], {
      out: (t) => void (out += t),
      err: (t) => void (out += t),
      // Friday 5 March 2027, 12:00 in New York.
      now: () => Date.parse('2027-03-05T17:00:00Z')
    })
    expect(code).toBe(0)
    return out
  }

  it('lists the next windows of each rule in the text plan', async () => {
    const text = await plan()
    expect(text).toContain('require no-incidents')
    expect(text).toContain(
      "  freeze 'last 2 business days of month' (America/New_York): next 2027-03-30 00:00 to 2027-03-31 24:00, 2027-04-29 00:00 to 2027-04-30 24:00, 2027-05-28 00:00 to 2027-05-31 24:00"
    )
    expect(text).toContain(
      "  freeze 'every Fri 15:00-24:00' (America/New_York): next 2027-03-05 15:00 to 2027-03-05 24:00, 2027-03-12 15:00 to 2027-03-12 24:00, 2027-03-19 15:00 to 2027-03-19 24:00"
    )
  })

  it('gives local and UTC times in the JSON plan, across the DST change', async () => {
    const json = JSON.parse(await plan('--json')) as {
      freeze: unknown
      require: unknown
    }
    expect(json.require).toEqual(['no-incidents'])
    expect(json.freeze).toEqual([
      expect.objectContaining({ rule: 'last 2 business days of month' }),
      {
        rule: 'every Fri 15:00-24:00',
        timezone: 'America/New_York',
        next: [
          {
            from: '2027-03-05 15:00',
            to: '2027-03-05 24:00',
            start: '2027-03-05T20:00:00.000Z',
            end: '2027-03-06T05:00:00.000Z'
          },
          // New York moves to summer time on 14 March: UTC-4.
          {
            from: '2027-03-12 15:00',
            to: '2027-03-12 24:00',
            start: '2027-03-12T20:00:00.000Z',
            end: '2027-03-13T05:00:00.000Z'
          },
          {
            from: '2027-03-19 15:00',
            to: '2027-03-19 24:00',
            start: '2027-03-19T19:00:00.000Z',
            end: '2027-03-20T04:00:00.000Z'
          }
        ]
      }
    ])
  })
})
