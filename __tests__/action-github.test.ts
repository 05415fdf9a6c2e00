/**
 * The bundled action against the OpenAPI-checked GitHub API stand-in, with
 * real event payloads: check runs, the sticky comment, deployments, fork
 * tokens, rate limits, an API that is down, and the one-job-per-gate shape.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startRouter,
  startService,
  type DemoService,
  type Router
} from '../demo/service.js'
import { runActionAsync, type ActionRun } from './helpers/action.js'
import {
  faults,
  startGitHubStandIn,
  type GitHubStandIn
} from './helpers/github/index.js'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
let gh: GitHubStandIn
let stable: DemoService
let canary: DemoService
let router: Router
let workspace: string

function configYaml(): string {
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
      run: echo "$DEPLOY_GATES_WEIGHT" > weight && echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt
    steps:
      - { weight: 10, bake: 1s }
      - { weight: 25, bake: 1s }
      - { weight: 50, bake: 1s }
      - { weight: 100 }
    analysis:
      interval: 100ms
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

function event(opts: { fork?: boolean } = {}): string {
  const file = join(workspace, `event-${Math.random()}.json`)
  writeFileSync(
    file,
    JSON.stringify({
      action: 'synchronize',
      number: 12,
      pull_request: {
        number: 12,
        title: 'Ship v2',
        head: {
          sha: SHA,
          ref: 'feature',
          repo: { full_name: opts.fork ? 'someone/app' : 'acme/app' }
        },
        base: { ref: 'main', repo: { full_name: 'acme/app' } }
      }
    })
  )
  return file
}

async function rollout(
  opts: {
    fork?: boolean
    gate?: string
    step?: string
    version?: string
    dir?: string
    runnerTemp?: string
    previousVersion?: string
  } = {}
): Promise<ActionRun & { log: string[]; dir: string }> {
  const dir = opts.dir ?? mkdtempSync(join(workspace, 'run-'))
  writeFileSync(join(dir, 'deploy-gates.yml'), configYaml())
  const r = await runActionAsync(
    {
      gate: opts.gate ?? 'all',
      config: 'deploy-gates.yml',
      version: opts.version ?? 'v2',
      'github-token': 'ghs_standInToken123',
      ...(opts.step ? { step: opts.step } : {}),
      ...(opts.previousVersion
        ? { 'previous-version': opts.previousVersion }
        : {})
    },
    {
      cwd: dir,
      ...(opts.runnerTemp ? { runnerTemp: opts.runnerTemp } : {}),
      env: {
        ...gh.env(),
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event({ fork: opts.fork }),
        GITHUB_SHA: 'ffffffffffffffffffffffffffffffffffffffff',
        GITHUB_RUN_ID: '4242',
        GITHUB_RUN_ATTEMPT: '1'
      }
    }
  )
  const logFile = join(dir, 'log.txt')
  const log = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').trim().split('\n')
    : []
  return { ...r, log, dir }
}

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app' })
  stable = await startService('v1', { errorRate: 0, latencyMs: 2 }, 3)
  canary = await startService('v2', { errorRate: 0, latencyMs: 2 }, 4)
  workspace = mkdtempSync(join(tmpdir(), 'dg-gh-'))
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
  gh.readOnly = false
  canary.behaviour.errorRate = 0
  gh.state.seedPullRequest({ number: 12, head_sha: SHA })
  // An earlier good deployment: the default rollback target.
  gh.state.seedDeployment({
    sha: '9999999999999999999999999999999999999999',
    environment: 'staging',
    payload: { tool: 'deploy-gates', service: 'matches-api', version: 'v1' },
    statuses: ['in_progress', 'success']
  })
})

describe('the action on GitHub', () => {
  it('reports a promoted rollout: check run, comment, deployment, in budget', async () => {
    const r = await rollout()
    expect(r.status).toBe(0)
    expect(r.outputs.result).toBe('promoted')
    expect(r.outputs['previous-version']).toBe('v1')
    expect(gh.problems()).toEqual([])
    const runs = gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({
      status: 'completed',
      conclusion: 'success'
    })
    const comments = gh.state.commentsOn(12)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain(
      '<!-- deploy-gates:matches-api:staging -->'
    )
    expect(comments[0].body).toContain('xychart-beta')
    const mine = gh.state.deployments.filter((d) => d.sha === SHA)
    expect(mine).toHaveLength(1)
    expect(gh.state.latestStatus(mine[0].id)?.state).toBe('success')
    expect(r.outputs['deployment-id']).toBe(String(mine[0].id))
    const requests = gh.requests.length
    // DESIGN.md §9: a full 4-step rollout stays within 25 requests.
    expect(requests).toBeLessThanOrEqual(25)
    // The job summary's footer says what the run cost.
    expect(r.summary).toContain(`GitHub API: ${requests} requests`)
    writeFileSync(
      join(workspace, 'request-count.json'),
      JSON.stringify({ requests, writes: gh.writes().length })
    )
    expect(r.summary).toContain('promoted')

    // A re-run updates the same check run and the same comment.
    const again = await rollout()
    expect(again.outputs.result).toBe('promoted')
    expect(gh.state.checkRunsFor(SHA, 'deploy-gates / staging')).toHaveLength(1)
    expect(gh.state.commentsOn(12)).toHaveLength(1)
    expect(gh.problems()).toEqual([])
  }, 60_000)

  it('reports a rolled-back rollout and rolls back to the last good deployment', async () => {
    canary.behaviour.errorRate = 1
    const r = await rollout()
    expect(r.status).toBe(1)
    expect(r.outputs.result).toBe('rolled-back')
    expect(r.log).toContain('rollback v1')
    expect(gh.problems()).toEqual([])
    const [run] = gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(run).toMatchObject({ conclusion: 'failure' })
    expect(gh.state.commentsOn(12)[0].body).toContain('rolled-back')
  }, 60_000)

  it('keeps the verdict with a fork read-only token, and writes the summary', async () => {
    gh.readOnly = true
    const r = await rollout({ fork: true })
    expect(r.status).toBe(0)
    expect(r.outputs.result).toBe('promoted')
    expect(r.summary).toContain('promoted')
    const warnings = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning::'))
    expect(warnings.some((w) => w.includes('permissions: checks: write'))).toBe(
      true
    )
    expect(gh.state.checkRunsFor(SHA)).toHaveLength(0)
  }, 60_000)

  it('waits out a secondary rate limit and then succeeds', async () => {
    gh.failNext({
      ...faults.secondaryRateLimit({ retryAfter: 1 }),
      pathPattern: 'checks/create'
    })
    const r = await rollout()
    expect(r.outputs.result).toBe('promoted')
    expect(gh.state.checkRunsFor(SHA, 'deploy-gates / staging')).toHaveLength(1)
    expect(gh.calls('checks/create').length).toBe(2)
  }, 60_000)

  it('still rolls back when the API is down, and exits by the verdict', async () => {
    canary.behaviour.errorRate = 1
    gh.failNext({ ...faults.serverError(), times: 1000 })
    const r = await rollout({ previousVersion: 'v1' })
    expect(r.outputs.result).toBe('rolled-back')
    expect(r.status).toBe(1)
    expect(r.log).toContain('rollback v1')
    expect(r.stdout).toContain('GitHub API unavailable')
  }, 90_000)

  it('runs one job per gate, sharing only the deployment state', async () => {
    canary.behaviour.errorRate = 1
    const dir = mkdtempSync(join(workspace, 'jobs-'))
    // Each job gets its own runner temp: nothing is shared on disk.
    const job = (gate: string, step?: string): ReturnType<typeof rollout> =>
      rollout({
        gate,
        dir,
        runnerTemp: mkdtempSync(join(workspace, `tmp-${gate}-`)),
        ...(step ? { step } : {})
      })
    const plan = await job('plan')
    expect(JSON.parse(plan.outputs.plan).jobs.length).toBe(6)
    expect((await job('deploy')).outputs.result).toBe('passed')
    expect((await job('health')).outputs.result).toBe('passed')
    const c10 = await job('canary', '10')
    expect(c10.outputs.result).toBe('rolled-back')
    // The failed canary job already rolled back; a rollback job after it
    // finds the state in the deployment and what the previous version was.
    const rb = await job('rollback')
    expect(rb.outputs['previous-version']).toBe('v1')
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toContain('rollback v1')
    expect(gh.problems()).toEqual([])
  }, 90_000)

  it('comments on the PR that introduced the commit on a push', async () => {
    const pushed = 'c1c2c3d4e5f60718293a4b5c6d7e8f9012345678'
    gh.state.seedPullRequest({
      number: 31,
      head_sha: 'd1d2c3d4e5f60718293a4b5c6d7e8f9012345678',
      merged: true,
      merge_commit_sha: pushed,
      commits: [pushed]
    })
    const dir = mkdtempSync(join(workspace, 'push-'))
    writeFileSync(join(dir, 'deploy-gates.yml'), configYaml())
    const eventFile = join(dir, 'push.json')
    writeFileSync(
      eventFile,
      JSON.stringify({
        ref: 'refs/heads/main',
        after: pushed,
        head_commit: { id: pushed, message: 'Merge pull request #31' }
      })
    )
    const r = await runActionAsync(
      {
        gate: 'all',
        config: 'deploy-gates.yml',
        version: 'v2',
        'github-token': 'ghs_standInToken123'
      },
      {
        cwd: dir,
        env: {
          ...gh.env(),
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: eventFile,
          GITHUB_SHA: pushed,
          GITHUB_RUN_ID: '4243'
        }
      }
    )
    expect(r.outputs.result).toBe('promoted')
    expect(
      gh.calls('repos/list-pull-requests-associated-with-commit').length
    ).toBe(1)
    expect(gh.state.commentsOn(31)).toHaveLength(1)
    expect(
      gh.state.checkRunsFor(pushed, 'deploy-gates / staging')
    ).toHaveLength(1)
    expect(gh.problems()).toEqual([])
  }, 60_000)

  it('rolls back by workflow_dispatch to the requested version', async () => {
    const dir = mkdtempSync(join(workspace, 'dispatch-'))
    writeFileSync(join(dir, 'deploy-gates.yml'), configYaml())
    const eventFile = join(dir, 'dispatch.json')
    writeFileSync(
      eventFile,
      JSON.stringify({ inputs: { environment: 'staging', version: 'v0.9' } })
    )
    const r = await runActionAsync(
      {
        gate: 'rollback',
        config: 'deploy-gates.yml',
        'rollback-to': 'v0.9',
        'github-token': 'ghs_standInToken123'
      },
      {
        cwd: dir,
        env: {
          ...gh.env(),
          GITHUB_EVENT_NAME: 'workflow_dispatch',
          GITHUB_EVENT_PATH: eventFile,
          GITHUB_SHA: SHA,
          GITHUB_RUN_ID: '4244'
        }
      }
    )
    expect(r.outputs.result).toBe('rolled-back')
    expect(r.outputs['previous-version']).toBe('v0.9')
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe(
      'weight 0\nrollback v0.9\n'
    )
    // The rollback asked for completed and verified: a green step and a
    // green check run, with the verdict in the summary.
    expect(r.status).toBe(0)
    expect(r.stdout).not.toContain('::error::')
    expect(r.summary).toContain('**rolled-back**')
    const [check] = gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' })
    const mine = gh.state.deployments.filter((d) => d.sha === SHA)
    expect(r.outputs['deployment-id']).toBe(String(mine[0].id))
    expect(gh.problems()).toEqual([])
  }, 60_000)

  it('fails the step when a manual rollback fails', async () => {
    const dir = mkdtempSync(join(workspace, 'dispatch-fail-'))
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      configYaml().replace(
        'run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt',
        'run: exit 3'
      )
    )
    const eventFile = join(dir, 'dispatch.json')
    writeFileSync(eventFile, JSON.stringify({ inputs: {} }))
    const r = await runActionAsync(
      {
        gate: 'rollback',
        config: 'deploy-gates.yml',
        'rollback-to': 'v0.9',
        'github-token': 'ghs_standInToken123'
      },
      {
        cwd: dir,
        env: {
          ...gh.env(),
          GITHUB_EVENT_NAME: 'workflow_dispatch',
          GITHUB_EVENT_PATH: eventFile,
          GITHUB_SHA: SHA,
          GITHUB_RUN_ID: '4246'
        }
      }
    )
    expect(r.outputs.result).toBe('rollback-failed')
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('::error::rollback-failed: ')
    const [check] = gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(check).toMatchObject({ conclusion: 'failure' })
    expect(gh.problems()).toEqual([])
  }, 60_000)

  it('checks preflight against GitHub: checks green, approvals, passed before', async () => {
    const dir = mkdtempSync(join(workspace, 'preflight-'))
    const preflight = `gates:
  preflight:
    checks: green
    approvals: 2
    after: [qa]
`
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      configYaml().replace('gates:\n', preflight)
    )
    gh.state.seedCheckRun({
      head_sha: SHA,
      name: 'unit tests',
      status: 'completed',
      conclusion: 'failure'
    })
    gh.state.seedReview({ pull_number: 12, state: 'APPROVED' })
    const run = (): Promise<ActionRun> =>
      runActionAsync(
        {
          gate: 'preflight',
          config: 'deploy-gates.yml',
          version: 'v2',
          'github-token': 'ghs_standInToken123'
        },
        {
          cwd: dir,
          env: {
            ...gh.env(),
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: event(),
            GITHUB_RUN_ID: '4245'
          }
        }
      )
    const r = await run()
    expect(r.outputs.result).toBe('failed')
    // The deployment exists from the start: its id is an output even when
    // the first gate fails.
    expect(r.outputs['deployment-id']).toMatch(/^\d+$/)
    expect(r.outputs.reason).toContain('not green: unit tests (failure)')
    expect(r.outputs.reason).toContain('1 approving review on #12, 2 required')
    expect(r.outputs.reason).toContain('has not passed in qa yet')
    expect(gh.problems()).toEqual([])
  }, 60_000)
})
