/**
 * Cancel, then "Re-run jobs": the bundled action is stopped with SIGTERM in
 * the middle of a canary bake (it rolls back before exiting), then run
 * again for the same commit and version on a fresh runner, as GitHub does:
 * nothing on disk is shared, only what the GitHub stand-in keeps. The
 * re-run must not duplicate the check run, the sticky comment, the
 * deployment or the migration.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startRouter,
  startService,
  type DemoService,
  type Router
} from '../demo/service.js'
import { ROOT, runnerEnv } from './helpers/action.js'
import { exited, until } from './helpers/process.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from './helpers/github/index.js'

const SHA = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
let gh: GitHubStandIn
let stable: DemoService
let canary: DemoService
let router: Router
let workspace: string

function config(revert: boolean): string {
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
  migrate:
    run: echo "run $DEPLOY_GATES_VERSION" >> ledger.txt
${revert ? '    revert: echo "revert $DEPLOY_GATES_VERSION" >> ledger.txt\n' : ''}  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION" >> log.txt
  canary:
    traffic:
      run: echo "$DEPLOY_GATES_WEIGHT" > weight && echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt
    steps:
      - { weight: 10, bake: 3s }
      - { weight: 100 }
    analysis:
      interval: 100ms
      min-samples: 5
      tracks:
        canary: { base: ${canary.url} }
        baseline: { base: ${stable.url} }
      probes: [api]
      metrics:
        error-rate: { fail: '> 50%' }
rollback:
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt
report:
  comment: true
  checks: overall
`
}

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app' })
  stable = await startService('v1', { errorRate: 0, latencyMs: 2 }, 3)
  canary = await startService('v2', { errorRate: 0, latencyMs: 2 }, 4)
  workspace = mkdtempSync(join(tmpdir(), 'dg-rerun-'))
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
  gh.state.seedPullRequest({ number: 21, head_sha: SHA })
})

/** One attempt of the job: its own runner temp and files, one workspace. */
function attempt(dir: string, n: number, revert: boolean): ChildProcess {
  writeFileSync(join(dir, 'deploy-gates.yml'), config(revert))
  const files = join(dir, `attempt-${n}`)
  mkdirSync(files, { recursive: true })
  const runner = runnerEnv({ files, workspace: dir })
  const event = join(files, 'event.json')
  writeFileSync(
    event,
    JSON.stringify({
      action: 'synchronize',
      number: 21,
      pull_request: {
        number: 21,
        title: 'Ship v2',
        head: { sha: SHA, ref: 'feature', repo: { full_name: 'acme/app' } },
        base: { ref: 'main', repo: { full_name: 'acme/app' } }
      }
    })
  )
  return spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
    cwd: dir,
    env: {
      ...runner.env,
      ...gh.env(),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: 'ffffffffffffffffffffffffffffffffffffffff',
      GITHUB_RUN_ID: '5151',
      GITHUB_RUN_ATTEMPT: String(n),
      INPUT_CONFIG: 'deploy-gates.yml',
      INPUT_GATE: 'all',
      INPUT_VERSION: 'v2',
      'INPUT_PREVIOUS-VERSION': 'v1',
      'INPUT_GITHUB-TOKEN': 'ghs_standInToken123'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

function lines(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean)
    : []
}

async function cancelThenRerun(revert: boolean): Promise<{
  dir: string
  first: { code: number | null; output: string }
  second: { code: number | null; output: string; stderr: string }
}> {
  const dir = mkdtempSync(join(workspace, revert ? 'rev-' : 'irr-'))
  const one = attempt(dir, 1, revert)
  await until(() => lines(join(dir, 'log.txt')).includes('weight 10'), 15_000)
  await new Promise((r) => setTimeout(r, 400))
  one.kill('SIGTERM')
  const code1 = await exited(one)
  const two = attempt(dir, 2, revert)
  let stderr = ''
  two.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  two.stdout?.resume()
  const code2 = await exited(two)
  return {
    dir,
    first: {
      code: code1,
      output: readFileSync(join(dir, 'attempt-1', 'output'), 'utf8')
    },
    second: {
      code: code2,
      output: readFileSync(join(dir, 'attempt-2', 'output'), 'utf8'),
      stderr
    }
  }
}

function expectOneOfEach(): void {
  expect(gh.state.checkRunsFor(SHA)).toHaveLength(1)
  expect(gh.state.commentsOn(21)).toHaveLength(1)
  expect(
    gh.state.deployments.filter(
      (d) => d.sha === SHA && d.environment === 'staging'
    )
  ).toHaveLength(1)
  expect(gh.problems()).toEqual([])
}

describe('a re-run after cancelling mid-canary', () => {
  it('does not run an irreversible migration again', async () => {
    const r = await cancelThenRerun(false)
    // Held: the migration cannot be undone, so nothing was rolled back.
    expect(r.first.output).toContain('held')
    expect(r.second.code).toBe(0)
    expect(r.second.output).toContain('promoted')
    expect(r.second.stderr).toBe('')
    expect(lines(join(r.dir, 'ledger.txt'))).toEqual(['run v2'])
    expectOneOfEach()
    const check = gh.state.checkRunsFor(SHA)[0]
    expect(check.conclusion).toBe('success')
    expect(check.output.text ?? check.output.summary ?? '').toContain(
      'applied the migration'
    )
  }, 60_000)

  it('runs a migration the rollback reverted once more, and only once', async () => {
    const r = await cancelThenRerun(true)
    expect(r.first.code).toBe(1)
    expect(r.first.output).toContain('rolled-back')
    expect(r.second.code).toBe(0)
    expect(r.second.output).toContain('promoted')
    expect(lines(join(r.dir, 'ledger.txt'))).toEqual([
      'run v2',
      'revert v2',
      'run v2'
    ])
    expect(lines(join(r.dir, 'log.txt'))).toEqual([
      'deploy v2',
      'weight 10',
      'weight 0',
      'rollback v1',
      'deploy v2',
      'weight 10',
      'weight 100'
    ])
    expectOneOfEach()
  }, 60_000)
})
