/**
 * A smoke gate with a chained probe (create a match, read it back, delete
 * it) and one with a burst, in whole rollouts on loopback with the fake
 * clock: a failing step or a burst that meets no rate limit rolls the
 * release back, and the reason names the step or the counts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  baseYaml,
  scenario,
  type ScenarioRun,
  type Urls
} from '../helpers/scenario.js'
import {
  startMatchesApi,
  startRateLimited,
  type MatchesApi,
  type MatchesApiFaults
} from '../helpers/matches-api.js'

const TOKEN = 'smoke-t0ken-77c2e1'
let closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.map((c) => c()))
  closers = []
})

const CRUD = (origin: string): string => `  crud:
    http:
      headers: { Authorization: "Bearer \${secrets.SMOKE_TOKEN}" }
      steps:
        - name: create
          method: POST
          url: ${origin}/api/matches
          json: { name: "smoke-\${version}" }
          expect: { status: 201 }
          capture:
            id: $.id
            owner: { header: x-owner-ref, secret: true }
        - name: read
          url: ${origin}/api/matches/\${capture.id}
          headers: { X-Owner-Ref: "\${capture.owner}" }
          expect: { status: 200, json: { id: "\${capture.id}" } }
        - name: delete
          method: DELETE
          url: ${origin}/api/matches/\${capture.id}
          headers: { X-Owner-Ref: "\${capture.owner}" }
          expect: { status: 204 }
        - name: gone
          url: ${origin}/api/matches/\${capture.id}
          headers: { X-Owner-Ref: "\${capture.owner}" }
          expect: { status: 404 }
`

function withSmoke(probe: string, text: string) {
  return (u: Urls): string =>
    baseYaml(u, {
      bake: '20s',
      extraGates: `  smoke:\n    probes: [${probe}]\n`
    }).replace('probes:\n', `probes:\n${text}`)
}

async function crudRollout(
  faults: MatchesApiFaults,
  edit: (probe: string) => string = (p) => p
): Promise<{ api: MatchesApi; run: ScenarioRun }> {
  const api = await startMatchesApi(TOKEN, faults)
  closers.push(api.close)
  const run = await scenario({
    canary: { errorRate: 0, latencyMs: 2 },
    env: { SMOKE_TOKEN: TOKEN },
    yaml: withSmoke('crud', edit(CRUD(api.origin)))
  })
  return { api, run }
}

describe('smoke with chained requests', () => {
  it('promotes when the create / read / delete flow works', async () => {
    const { api, run } = await crudRollout({})
    expect(api.refused).toEqual([])
    expect(api.log).toEqual([
      'POST /api/matches',
      'GET /api/matches/m-1',
      'DELETE /api/matches/m-1',
      'GET /api/matches/m-1'
    ])
    const smoke = run.report.gates.find((g) => g.gate === 'smoke')
    expect(smoke?.outcome).toBe('passed')
    expect(run.report.result).toBe('promoted')
  }, 60_000)

  it('rolls back when a later step fails, naming the step', async () => {
    const { api, run } = await crudRollout({ deleteKeeps: true })
    expect(api.refused).toEqual([])
    expect(run.report.result).toBe('rolled-back')
    expect(run.report.failedGate).toBe('smoke')
    const smoke = run.report.gates.find((g) => g.gate === 'smoke')
    expect(smoke?.outcome).toBe('failed')
    expect(smoke?.reason).toContain(
      "step 'gone' (4 of 4): expected status 404, got 200"
    )
    expect(run.log).toContain('rollback v1')
  }, 60_000)

  it('masks a secret capture in the reason, the report and the events', async () => {
    // The read-back answer holds the owner ref; expecting another value puts
    // it in the step's reason, where it must show masked.
    const { api, run } = await crudRollout({}, (p) =>
      p.replace(
        'json: { id: "${capture.id}" }',
        'json: { id: "${capture.id}", handle: none }'
      )
    )
    expect(run.report.result).toBe('rolled-back')
    const smoke = run.report.gates.find((g) => g.gate === 'smoke')
    expect(smoke?.reason).toMatch(/step 'read' \(2 of 4\): .*handle.*\*\*\*/)
    const printed = JSON.stringify({ report: run.report, events: run.events })
    expect(api.refs).toHaveLength(1)
    expect(printed).not.toContain(api.refs[0])
    expect(printed).not.toContain(TOKEN)
  }, 60_000)
})

describe('smoke with a burst', () => {
  const BURST = (origin: string): string => `  limited:
    http:
      url: ${origin}/api/search
      burst: { requests: 50, expect: { status: 429, at-least: 1 } }
`
  async function burstRollout(limit: number): Promise<ScenarioRun> {
    const s = await startRateLimited(limit)
    closers.push(s.close)
    return scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      yaml: withSmoke('limited', BURST(s.origin))
    })
  }

  it('promotes when the rate limiter answers 429 under the burst', async () => {
    const run = await burstRollout(20)
    const smoke = run.report.gates.find((g) => g.gate === 'smoke')
    expect(smoke?.outcome).toBe('passed')
    expect(run.report.result).toBe('promoted')
  }, 60_000)

  it('rolls back when nothing is rate limited, naming the counts', async () => {
    const run = await burstRollout(1000)
    expect(run.report.result).toBe('rolled-back')
    const smoke = run.report.gates.find((g) => g.gate === 'smoke')
    expect(smoke?.reason).toContain(
      'burst: 0 of 50 answered 429, expected at least 1 (50 answered 200)'
    )
  }, 60_000)
})
