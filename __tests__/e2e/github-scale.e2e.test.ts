/**
 * GitHub at realistic scale, through the bundled action against the
 * OpenAPI-checked GitHub stand-in, on the real clock: a 4-step rollout with
 * 40 s bakes stays within 30 requests and still updates its check run in
 * every step; two runs of one environment never bake at once.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startRouter,
  startService,
  type DemoService,
  type Router
} from '../../demo/service.js'
import { runActionAsync, type ActionRun } from '../helpers/action.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from '../helpers/github/index.js'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const OTHER_SHA = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
let gh: GitHubStandIn
let stable: DemoService
let canary: DemoService
let router: Router
let workspace: string

function configYaml(bake: string, steps: number[]): string {
  return `version: 1
service: matches-api
environment: staging
vars:
  base: ${router.url}
probes:
  health:
    http: { url: '\${vars.base}/health' }
  api:
    http: { url: '\${vars.base}/api/matches/m1' }
gates:
  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION" >> log.txt
  health:
    probes: [health]
  canary:
    traffic:
      run: echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt
    steps:
${steps.map((w) => `      - { weight: ${w}, bake: ${bake} }`).join('\n')}
    analysis:
      interval: 1s
      min-samples: 5
      tracks:
        canary: { base: ${canary.url} }
        baseline: { base: ${stable.url} }
      probes: [api]
      metrics:
        error-rate: { fail: '> 20%' }
rollback:
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt
  verify: [health]
report:
  comment: true
  checks: overall
`
}

interface GateTimes {
  gate: string
  step?: number
  startedAt: number
  endedAt: number
}

interface Run extends ActionRun {
  dir: string
  gates: GateTimes[]
}

async function rollout(o: {
  yaml: string
  sha: string
  version: string
  runId: string
  pr?: number
  inputs?: Record<string, string>
}): Promise<Run> {
  const dir = mkdtempSync(join(workspace, 'run-'))
  writeFileSync(join(dir, 'deploy-gates.yml'), o.yaml)
  const eventFile = join(dir, 'event.json')
  writeFileSync(
    eventFile,
    JSON.stringify(
      o.pr
        ? {
            action: 'synchronize',
            number: o.pr,
            pull_request: {
              number: o.pr,
              head: { sha: o.sha, repo: { full_name: 'acme/app' } },
              base: { ref: 'main', repo: { full_name: 'acme/app' } }
            }
          }
        : { ref: 'refs/heads/main', after: o.sha }
    )
  )
  const r = await runActionAsync(
    {
      gate: 'all',
      config: 'deploy-gates.yml',
      version: o.version,
      'github-token': 'ghs_standInToken123',
      ...o.inputs
    },
    {
      cwd: dir,
      env: {
        ...gh.env(),
        GITHUB_EVENT_NAME: o.pr ? 'pull_request' : 'push',
        GITHUB_EVENT_PATH: eventFile,
        GITHUB_SHA: o.sha,
        GITHUB_RUN_ID: o.runId,
        GITHUB_RUN_ATTEMPT: '1'
      }
    }
  )
  let gates: GateTimes[] = []
  if (r.outputs.report) {
    // report.json has ISO times; the stand-in records epoch ms.
    gates = (
      JSON.parse(readFileSync(r.outputs.report, 'utf8')) as {
        gates: {
          gate: string
          step: number | null
          startedAt: string
          endedAt: string
        }[]
      }
    ).gates.map((g) => ({
      gate: g.gate,
      ...(g.step !== null ? { step: g.step } : {}),
      startedAt: Date.parse(g.startedAt),
      endedAt: Date.parse(g.endedAt)
    }))
  }
  return { ...r, dir, gates }
}

function runUrl(id: string): string {
  return `https://github.com/acme/app/actions/runs/${id}/attempts/1`
}

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app' })
  stable = await startService('v1', { errorRate: 0, latencyMs: 2 }, 3)
  canary = await startService('v2', { errorRate: 0, latencyMs: 2 }, 4)
  workspace = mkdtempSync(join(tmpdir(), 'dg-gh-scale-'))
  router = await startRouter(stable, canary, join(workspace, 'weight'))
})

afterAll(async () => {
  await router.close()
  await canary.close()
  await stable.close()
  await gh.close()
})

beforeEach(() => {
  gh.reset()
  gh.state.seedPullRequest({ number: 12, head_sha: SHA })
  gh.state.seedDeployment({
    sha: '9999999999999999999999999999999999999999',
    environment: 'staging',
    payload: { tool: 'deploy-gates', service: 'matches-api', version: 'v1' },
    statuses: ['in_progress', 'success']
  })
})

describe('GitHub requests grow with events, not minutes', () => {
  it('a 4-step rollout with 40 s bakes on a pull request: <= 30 requests, the check run updated in every step', async () => {
    const r = await rollout({
      yaml: configYaml('40s', [10, 25, 50, 100]),
      sha: SHA,
      version: 'v2',
      runId: '7001',
      pr: 12
    })
    expect(r.outputs.result).toBe('promoted')
    expect(r.status).toBe(0)
    expect(gh.problems()).toEqual([])
    const total = gh.requests.length
    expect(total).toBeLessThanOrEqual(30)
    // The job summary's footer says what the run cost.
    expect(r.summary).toContain(`GitHub API: ${total} requests`)
    const [check] = gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' })
    const updates = gh
      .calls('checks/update')
      .filter(
        (u) =>
          (u.body as { status?: string } | undefined)?.status !== 'completed'
      )
    const steps = r.gates.filter((g) => g.gate === 'canary')
    expect(steps.map((s) => s.step)).toEqual([10, 25, 50, 100])
    for (const s of steps) {
      const inStep = updates.filter(
        (u) => u.at >= s.startedAt - 1_000 && u.at <= s.endedAt + 1_000
      )
      expect({ step: s.step, updates: inStep.length }).toEqual({
        step: s.step,
        updates: expect.any(Number)
      })
      expect({ step: s.step, updated: inStep.length >= 1 }).toEqual({
        step: s.step,
        updated: true
      })
    }
    // Each update says what is going on, with the step in its title.
    const titles = updates.map(
      (u) => (u.body as { output?: { title?: string } }).output?.title ?? ''
    )
    for (const w of [10, 25, 50, 100]) {
      expect(titles.some((t) => t.startsWith(`canary ${w}% running`))).toBe(
        true
      )
    }
    writeFileSync(
      join(workspace, 'requests-40s.json'),
      JSON.stringify({
        total,
        byOperation: Object.fromEntries(
          [...new Set(gh.requests.map((q) => q.operationId))].map((op) => [
            op,
            gh.requests.filter((q) => q.operationId === op).length
          ])
        )
      })
    )
  }, 400_000)
})

describe('one rollout per environment at a time', () => {
  it('refuses a second run started 2 s later, naming the first run', async () => {
    const yaml = configYaml('8s', [50, 100])
    const first = rollout({ yaml, sha: SHA, version: 'v2', runId: '8001' })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const second = await rollout({
      yaml,
      sha: OTHER_SHA,
      version: 'v3',
      runId: '8002'
    })
    const a = await first
    expect(a.outputs.result).toBe('promoted')
    expect(second.status).toBe(1)
    expect(second.outputs.result).toBe('failed')
    expect(second.outputs.reason).toContain(
      'another rollout of staging is in progress: v2'
    )
    expect(second.outputs.reason).toContain(runUrl('8001'))
    expect(second.stdout).toContain(`::error::failed: another rollout`)
    // The second run changed nothing: no gate ran, no deploy command.
    expect(second.gates).toEqual([])
    expect(readFileSync(join(a.dir, 'log.txt'), 'utf8')).toContain('deploy v2')
    expect(() => readFileSync(join(second.dir, 'log.txt'))).toThrow()
    expect(gh.problems()).toEqual([])
  }, 120_000)

  it('with on-concurrent: wait, the second run starts after the first ends', async () => {
    const yaml = configYaml('8s', [50, 100])
    const first = rollout({ yaml, sha: SHA, version: 'v2', runId: '9001' })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const second = await rollout({
      yaml,
      sha: OTHER_SHA,
      version: 'v3',
      runId: '9002',
      inputs: { 'on-concurrent': 'wait', 'concurrent-timeout': '5m' }
    })
    const a = await first
    expect(a.outputs.result).toBe('promoted')
    expect(second.outputs.result).toBe('promoted')
    expect(second.status).toBe(0)
    expect(second.stdout).toContain(
      'waiting for another rollout of staging to finish: v2'
    )
    expect(second.stdout).toContain(runUrl('9001'))
    // Never both at once: the second's first gate starts after the first's
    // last gate ended.
    const aEnd = Math.max(...a.gates.map((g) => g.endedAt))
    const bStart = Math.min(...second.gates.map((g) => g.startedAt))
    expect(bStart).toBeGreaterThanOrEqual(aEnd)
    // Both deployments ended; the waiting one was queued meanwhile.
    const mine = gh.state.deployments.find((d) => d.sha === OTHER_SHA)
    expect(mine).toBeDefined()
    const states = gh.state.statusesOf(mine!.id).map((s) => s.state)
    expect(states[0]).toBe('queued')
    expect(states.at(-1)).toBe('success')
    expect(second.outputs['deployment-id']).toBe(String(mine!.id))
    expect(gh.problems()).toEqual([])
  }, 180_000)
})
