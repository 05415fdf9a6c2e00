/**
 * Preflight `require` checks and recurring freeze rules in whole rollouts on
 * loopback: a failing check or a freeze stops the run before any command
 * that changes something, and says which check and which value.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { baseYaml, scenario, type ScenarioRun } from '../helpers/scenario.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { ddSeries, startDatadog } from '../helpers/metric-providers.js'
import {
  byFragment,
  startPrometheusApi,
  type PrometheusApi
} from '../helpers/prometheus-api.js'

const MIGRATE = `  migrate:
    run: echo migrate >> log.txt && touch migrated.marker
    revert: echo revert >> log.txt
`

let prom: PrometheusApi
let cpu = 0
let budget: Server
let budgetUrl = ''
let budgetLeft = 0
const budgetRequests: string[] = []

beforeAll(async () => {
  prom = await startPrometheusApi(
    byFragment([['db_cpu_utilisation', () => cpu]])
  )
  // An endpoint answering JSON the way a status API does; each request is
  // checked for its path and the token the config sends.
  budget = createServer((req, res) => {
    budgetRequests.push(`${req.method} ${req.url} ${req.headers.authorization}`)
    if (
      req.url !== '/api/slo/checkout' ||
      req.headers.authorization !== 'Bearer t0ken'
    ) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ data: { budget: { remaining: budgetLeft } } }))
  })
  await new Promise<void>((resolve) => budget.listen(0, '127.0.0.1', resolve))
  budgetUrl = `http://127.0.0.1:${(budget.address() as AddressInfo).port}`
})

afterAll(async () => {
  await prom.close()
  budget.closeAllConnections()
  await new Promise<void>((resolve) => budget.close(() => resolve()))
})

function preflight(body: string): string {
  return `  preflight:\n${body}${MIGRATE}`
}

async function run(
  gates: string,
  opts: {
    at?: string
    env?: Record<string, string>
    files?: Record<string, string>
    dryRun?: boolean
  } = {}
): Promise<ScenarioRun> {
  return scenario({
    canary: { errorRate: 0, latencyMs: 2 },
    env: opts.env ?? {},
    dryRun: opts.dryRun ?? false,
    yaml: (u) => baseYaml(u, { bake: '20s', extraGates: gates }),
    io: (io) => {
      for (const [name, text] of Object.entries(opts.files ?? {})) {
        writeFileSync(join(io.workspace, name), text)
      }
      return {
        ...io,
        clock: new FakeClock(Date.parse(opts.at ?? '2026-11-24T10:30:00Z'))
      }
    }
  })
}

function preflightReport(r: ScenarioRun): {
  outcome: string
  reason: string
} {
  const g = r.report.gates.find((x) => x.gate === 'preflight')
  if (!g) throw new Error('no preflight report')
  return { outcome: g.outcome, reason: g.reason }
}

function nothingChanged(r: ScenarioRun): void {
  expect(r.report.result).toBe('failed')
  expect(r.report.failedGate).toBe('preflight')
  expect(r.log).toEqual([])
  expect(existsSync(join(r.workspace, 'migrated.marker'))).toBe(false)
  expect(r.weight).toBe('')
}

const dbCpu = (url: string): string => `    require:
      db-cpu:
        prometheus:
          url: ${url}
          query: max(db_cpu_utilisation{cluster="main"})
        expect: '< 60%'
`

describe('preflight metric checks', () => {
  it('migrates and deploys when the database CPU is below 60%', async () => {
    cpu = 0.42
    const before = prom.queries.length
    const r = await run(preflight(dbCpu(prom.url)))
    expect(preflightReport(r)).toEqual({
      outcome: 'passed',
      reason: '1 check passed'
    })
    const finding = r.report.gates[0].findings?.find((f) => f.name === 'db-cpu')
    expect(finding?.reason).toBe(
      `preflight check 'db-cpu': 42.0%, expected < 60% (prometheus: max(db_cpu_utilisation{cluster="main"}))`
    )
    expect(prom.queries.slice(before)).toEqual([
      'max(db_cpu_utilisation{cluster="main"})'
    ])
    expect(r.log.slice(0, 2)).toEqual(['migrate', 'deploy v2'])
    expect(r.report.result).toBe('promoted')
  }, 60_000)

  it('refuses at 72% CPU with the value and the condition, and migrates nothing', async () => {
    cpu = 0.72
    const r = await run(preflight(dbCpu(prom.url)))
    nothingChanged(r)
    expect(preflightReport(r)).toEqual({
      outcome: 'failed',
      reason: `preflight check 'db-cpu': 72.0%, expected < 60% (prometheus: max(db_cpu_utilisation{cluster="main"}))`
    })
  }, 30_000)

  it('reads an http-json source with a secret header, and refuses on too little error budget', async () => {
    const gates = (min: string): string =>
      preflight(`    require:
      error-budget:
        http:
          url: ${budgetUrl}/api/slo/checkout
          path: data.budget.remaining
          headers: { authorization: 'Bearer \${secrets.SLO_TOKEN}' }
        expect: '>= ${min}'
`)
    budgetLeft = 0.12
    const env = { SLO_TOKEN: 't0ken' }
    const ok = await run(gates('0.1'), { env })
    expect(preflightReport(ok).outcome).toBe('passed')
    expect(ok.log[0]).toBe('migrate')
    const bad = await run(gates('0.25'), { env })
    nothingChanged(bad)
    expect(preflightReport(bad).reason).toBe(
      `preflight check 'error-budget': 0.12, expected >= 0.25 (http: ${budgetUrl}/api/slo/checkout data.budget.remaining)`
    )
    expect(budgetRequests.at(-1)).toBe('GET /api/slo/checkout Bearer t0ken')
  }, 60_000)

  it('reads a Datadog query, and refuses when the database is too busy', async () => {
    let load = 0.35
    const keys = {
      DD_API_KEY: 'dd-api-preflight-5c4b3a29',
      DD_APP_KEY: 'dd-app-preflight-1f2e3d4c'
    }
    const dd = await startDatadog({
      apiKey: keys.DD_API_KEY,
      appKey: keys.DD_APP_KEY,
      answer: (q) => [ddSeries('db:main', [[q.to * 1000 - 60_000, load]])]
    })
    try {
      const gates = preflight(`    require:
      db-load:
        datadog:
          query: 'avg:postgresql.percent_usage_connections{db:main}'
          url: '${dd.url}'
          api-key: '\${secrets.DD_API_KEY}'
          app-key: '\${secrets.DD_APP_KEY}'
        expect: '< 0.6'
`)
      const ok = await run(gates, { env: keys })
      expect(preflightReport(ok).outcome).toBe('passed')
      expect(ok.log[0]).toBe('migrate')
      load = 0.81
      const bad = await run(gates, { env: keys })
      nothingChanged(bad)
      expect(preflightReport(bad).reason).toBe(
        "preflight check 'db-load': 0.81, expected < 0.6 (datadog: avg:postgresql.percent_usage_connections{db:main})"
      )
      expect(dd.rejected).toEqual([])
    } finally {
      await dd.close()
    }
  }, 60_000)

  it('fails, never passes, when the source cannot be read', async () => {
    const r = await run(preflight(dbCpu('http://127.0.0.1:1')))
    nothingChanged(r)
    expect(preflightReport(r).reason).toMatch(
      /^preflight check 'db-cpu' could not be read: .+ \(prometheus: max\(db_cpu_utilisation/
    )
  }, 30_000)
})

describe('preflight command checks', () => {
  const incidents = `    require:
      no-incidents:
        run: |
          if [ -s incident.txt ]; then echo "open incident: $(cat incident.txt)"; exit 3; fi
          echo "no open incident"
        timeout: 30s
`
  it('goes on when the command exits 0', async () => {
    const r = await run(preflight(incidents))
    expect(preflightReport(r).outcome).toBe('passed')
    expect(r.log.slice(0, 2)).toEqual(['migrate', 'deploy v2'])
  }, 60_000)

  it('refuses with the exit code and the last output line, and runs no migration', async () => {
    const r = await run(preflight(incidents), {
      files: { 'incident.txt': 'INC-4711' }
    })
    nothingChanged(r)
    expect(preflightReport(r).reason).toMatch(
      /^preflight check 'no-incidents': exit code 3, expected exit code 0 \(command: if \[ -s incident\.txt \]; then .*; fi …\); last output: open incident: INC-4711$/
    )
  }, 30_000)
})

describe('preflight checks in dry-run', () => {
  it('still runs the command check, which only looks, and refuses', async () => {
    const r = await run(
      preflight(`    require:
      no-incidents:
        run: |
          test ! -s incident.txt || { echo "open: $(cat incident.txt)"; exit 4; }
`),
      { files: { 'incident.txt': 'INC-9' }, dryRun: true }
    )
    expect(r.report.failedGate).toBe('preflight')
    expect(preflightReport(r).reason).toMatch(
      /^preflight check 'no-incidents': exit code 4, expected exit code 0 .*; last output: open: INC-9$/
    )
    expect(r.log).toEqual([])
  }, 30_000)
})

describe('recurring freeze rules', () => {
  const freeze = preflight(`    window:
      freeze: ['2026-12-24', 'last 3 business days of month', 'every Fri 15:00-24:00']
      timezone: Europe/Berlin
`)

  it('lets a rollout start outside every rule', async () => {
    // Wednesday 20 January 2027, 11:00 in Berlin.
    const r = await run(freeze, { at: '2027-01-20T10:00:00Z' })
    expect(preflightReport(r).outcome).toBe('passed')
    const f = r.report.gates[0].findings?.find((x) => x.name === 'freeze rules')
    expect(f?.reason).toBe(
      "outside the freeze rules 'last 3 business days of month', 'every Fri 15:00-24:00'"
    )
    expect(r.log[0]).toBe('migrate')
  }, 60_000)

  it('refuses in the month-end freeze, naming the rule and the window', async () => {
    // Thursday 28 January 2027, 10:00 in Berlin.
    const r = await run(freeze, { at: '2027-01-28T09:00:00Z' })
    nothingChanged(r)
    expect(preflightReport(r).reason).toBe(
      "inside freeze rule 'last 3 business days of month': 2027-01-27 00:00 to 2027-01-31 24:00 Europe/Berlin (now 2027-01-28 10:00)"
    )
  }, 30_000)

  it('refuses on a Friday afternoon in local time', async () => {
    // Friday 22 January 2027, 15:30 in Berlin (14:30 UTC).
    const r = await run(freeze, { at: '2027-01-22T14:30:00Z' })
    nothingChanged(r)
    expect(preflightReport(r).reason).toBe(
      "inside freeze rule 'every Fri 15:00-24:00': 2027-01-22 15:00 to 2027-01-22 24:00 Europe/Berlin (now 2027-01-22 15:30)"
    )
  }, 30_000)
})
