/**
 * Every output action.yml declares is set by the runs that have a value for
 * it: the bundled action against the GitHub API stand-in for a promoted
 * run, a rolled-back run, `gate: plan`, the one-job-per-gate shape and a
 * manual rollback. The declared list is read from action.yml, so an output
 * added there without a value fails here.
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
import { parse } from 'yaml'
import { OUTPUT_NAMES } from '../src/app/outputs.js'
import { ROOT, runActionAsync, type ActionRun } from './helpers/action.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from './helpers/github/index.js'

const SHA = 'e1e2c3d4e5f60718293a4b5c6d7e8f9012345678'
let gh: GitHubStandIn
let workspace: string

const declared = Object.keys(
  (
    parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      outputs: Record<string, unknown>
    }
  ).outputs
).sort()

const CONFIG = `version: 1
service: api
environment: staging
gates:
  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION" >> log.txt
  smoke:
    tests:
      - run: test ! -f broken
  canary:
    traffic:
      run: echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt
    steps:
      - { weight: 100 }
rollback:
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt
report:
  comment: false
`

async function step(
  dir: string,
  inputs: Record<string, string>
): Promise<ActionRun> {
  const event = join(dir, 'event.json')
  writeFileSync(event, '{}')
  return runActionAsync(
    {
      config: 'deploy-gates.yml',
      'github-token': 'ghs_standInToken123',
      ...inputs
    },
    {
      cwd: dir,
      // A fresh runner per step: only the stand-in is shared.
      runnerTemp: mkdtempSync(join(dir, 'tmp-')),
      env: {
        ...gh.env(),
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: SHA,
        GITHUB_RUN_ID: '4250'
      }
    }
  )
}

function project(opts: { broken?: boolean } = {}): string {
  const dir = mkdtempSync(join(workspace, 'run-'))
  writeFileSync(join(dir, 'deploy-gates.yml'), CONFIG)
  if (opts.broken) writeFileSync(join(dir, 'broken'), '')
  return dir
}

/** The id of the one deployment deploy-gates made for SHA. */
function deploymentId(): string {
  const mine = gh.state.deployments.filter((d) => d.sha === SHA)
  expect(mine).toHaveLength(1)
  return String(mine[0].id)
}

function names(r: ActionRun): string[] {
  return Object.keys(r.outputs).sort()
}

/** Which outputs each kind of run sets; together, every declared one. */
const EXPECTED: Record<string, string[]> = {
  promoted: [
    'deployment-id',
    'dora',
    'previous-version',
    'reason',
    'report',
    'result',
    'version'
  ],
  'rolled-back': [
    'deployment-id',
    'dora',
    'failed-gate',
    'previous-version',
    'reason',
    'report',
    'result',
    'version'
  ],
  plan: ['plan', 'version']
}

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app' })
  workspace = mkdtempSync(join(tmpdir(), 'dg-outputs-'))
})

afterAll(async () => {
  await gh.close()
})

beforeEach(() => {
  gh.reset()
  // An earlier good deployment: the default rollback target.
  gh.state.seedDeployment({
    sha: '9999999999999999999999999999999999999999',
    environment: 'staging',
    payload: { tool: 'deploy-gates', service: 'api', version: 'v1' },
    statuses: ['in_progress', 'success']
  })
})

describe('the action outputs', () => {
  it('declares in action.yml exactly the outputs the runs below set', () => {
    const covered = [...new Set(Object.values(EXPECTED).flat())].sort()
    expect(covered).toEqual(declared)
    expect([...OUTPUT_NAMES].sort()).toEqual(declared)
  })

  it('sets every output of a promoted run', async () => {
    const r = await step(project(), { gate: 'all', version: 'v2' })
    expect(r.status).toBe(0)
    expect(names(r)).toEqual(EXPECTED.promoted)
    expect(r.outputs).toMatchObject({
      result: 'promoted',
      version: 'v2',
      'previous-version': 'v1',
      'deployment-id': deploymentId()
    })
    expect(JSON.parse(readFileSync(r.outputs.report, 'utf8'))).toMatchObject({
      result: 'promoted'
    })
    // The metrics count the earlier v1 and this rollout, once.
    expect(JSON.parse(r.outputs.dora)).toMatchObject({
      deployments: 2,
      successful: 2,
      failed: 0
    })
    expect(gh.problems()).toEqual([])
  }, 60_000)

  it('sets every output of a rolled-back run, with the failed gate', async () => {
    const r = await step(project({ broken: true }), {
      gate: 'all',
      version: 'v2'
    })
    expect(r.status).toBe(1)
    expect(names(r)).toEqual(EXPECTED['rolled-back'])
    expect(r.outputs).toMatchObject({
      result: 'rolled-back',
      'failed-gate': 'smoke',
      'previous-version': 'v1',
      'deployment-id': deploymentId()
    })
    // One foldable group per gate and for the rollback; each verdict line
    // and a failed gate's findings stay visible after its group.
    const lines = r.stdout.split('\n')
    const at = (line: string): number => lines.indexOf(line)
    expect(at('::group::smoke')).toBeGreaterThan(at('::group::deploy'))
    expect(lines[at('::group::smoke') + 1]).toBe('smoke · started')
    expect(lines[at('::group::smoke') + 2]).toBe('::endgroup::')
    expect(lines[at('::group::smoke') + 3]).toMatch(/^smoke · failed in /)
    expect(at('::group::rollback')).toBeGreaterThan(at('::group::smoke'))
    expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(3)
    expect(gh.problems()).toEqual([])
  }, 60_000)

  it('sets the plan and the version for gate plan', async () => {
    const r = await step(project(), { gate: 'plan', version: 'v2' })
    expect(r.status).toBe(0)
    expect(names(r)).toEqual(EXPECTED.plan)
    expect(JSON.parse(r.outputs.plan).gates).toEqual([
      'deploy',
      'smoke',
      'canary'
    ])
  }, 60_000)

  it('sets the same deployment id in every job of the one-job-per-gate shape', async () => {
    const dir = project({ broken: true })
    const deploy = await step(dir, { gate: 'deploy', version: 'v2' })
    expect(deploy.outputs.result).toBe('passed')
    const id = deploymentId()
    expect(deploy.outputs['deployment-id']).toBe(id)
    const smoke = await step(dir, { gate: 'smoke', version: 'v2' })
    expect(smoke.outputs).toMatchObject({
      result: 'rolled-back',
      'failed-gate': 'smoke',
      'deployment-id': id
    })
    const rollback = await step(dir, { gate: 'rollback', version: 'v2' })
    expect(rollback.outputs).toMatchObject({
      'previous-version': 'v1',
      'deployment-id': id
    })
    expect(gh.problems()).toEqual([])
  }, 90_000)

  it('sets the deployment id of a manual rollback', async () => {
    const dir = project()
    const r = await step(dir, { gate: 'rollback', 'rollback-to': 'v0.9' })
    expect(r.outputs).toMatchObject({
      result: 'rolled-back',
      'previous-version': 'v0.9',
      'deployment-id': deploymentId()
    })
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe(
      'weight 0\nrollback v0.9\n'
    )
    expect(gh.problems()).toEqual([])
  }, 60_000)
})
