/**
 * One fixture for the suites that run the bundled action against the
 * GitHub API stand-in: a stable and a canary demo service behind a
 * weighted router, a pull request and an earlier good deployment seeded
 * before each test. The suites are split by theme so that they run in
 * parallel: each one is a few real rollouts that mostly wait on bakes and
 * Octokit's one write per second.
 */
import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startRouter,
  startService,
  type DemoService,
  type Router
} from '../../demo/service.js'
import { runActionAsync, type ActionRun } from './action.js'
import { startGitHubStandIn, type GitHubStandIn } from './github/index.js'

/** The pull request's head commit. */
export const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

export interface RolloutOptions {
  fork?: boolean
  gate?: string
  step?: string
  version?: string
  dir?: string
  runnerTemp?: string
  previousVersion?: string
}

export type RolloutRun = ActionRun & { log: string[]; dir: string }

/** What a suite reaches through the fixture, valid inside its tests. */
export interface GitHubActionFixture {
  readonly gh: GitHubStandIn
  readonly canary: DemoService
  readonly workspace: string
  /** A four-step canary rollout of matches-api to staging. */
  configYaml(): string
  /** A pull_request event file for PR #12 (from a fork if asked). */
  event(opts?: { fork?: boolean }): string
  /** One run of the bundled action on a pull_request event. */
  rollout(opts?: RolloutOptions): Promise<RolloutRun>
}

/**
 * Starts the stand-in and the services for the calling suite (beforeAll)
 * and resets GitHub's state before each test, so tests of one suite stay
 * independent while sharing the servers.
 */
export function useGitHubAction(): GitHubActionFixture {
  let gh: GitHubStandIn | undefined
  let stable: DemoService | undefined
  let canary: DemoService | undefined
  let router: Router | undefined
  let workspace: string | undefined
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('fixture used outside a test')
    return v
  }

  const fx: GitHubActionFixture = {
    get gh() {
      return ready(gh)
    },
    get canary() {
      return ready(canary)
    },
    get workspace() {
      return ready(workspace)
    },
    configYaml: () =>
      rolloutConfigYaml({
        base: ready(router).url,
        canary: ready(canary).url,
        stable: ready(stable).url
      }),
    event: (opts = {}) => {
      const file = join(fx.workspace, `event-${Math.random()}.json`)
      writeFileSync(file, JSON.stringify(pullRequestEvent(opts.fork)))
      return file
    },
    rollout: async (opts = {}) => {
      const dir = opts.dir ?? mkdtempSync(join(fx.workspace, 'run-'))
      writeFileSync(join(dir, 'deploy-gates.yml'), fx.configYaml())
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
            ...fx.gh.env(),
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: fx.event({ fork: opts.fork }),
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
  }

  beforeAll(async () => {
    gh = await startGitHubStandIn({ repository: 'acme/app' })
    stable = await startService('v1', { errorRate: 0, latencyMs: 2 }, 3)
    canary = await startService('v2', { errorRate: 0, latencyMs: 2 }, 4)
    workspace = mkdtempSync(join(tmpdir(), 'dg-gh-'))
    router = await startRouter(stable, canary, join(workspace, 'weight'))
  })

  afterAll(async () => {
    await router?.close()
    await canary?.close()
    await stable?.close()
    await gh?.close()
    if (workspace) rmSync(workspace, { recursive: true, force: true })
  })

  beforeEach(() => {
    const g = fx.gh
    g.reset()
    g.readOnly = false
    fx.canary.behaviour.errorRate = 0
    g.state.seedPullRequest({ number: 12, head_sha: SHA })
    // An earlier good deployment: the default rollback target.
    g.state.seedDeployment({
      sha: '9999999999999999999999999999999999999999',
      environment: 'staging',
      payload: { tool: 'deploy-gates', service: 'matches-api', version: 'v1' },
      statuses: ['in_progress', 'success']
    })
  })

  return fx
}

/**
 * The pull_request event of PR #12 as GitHub delivers it, the fields the
 * action reads; shared so every suite's PR looks the same to the action.
 */
export function pullRequestEvent(fork = false): unknown {
  return {
    action: 'synchronize',
    number: 12,
    pull_request: {
      number: 12,
      title: 'Ship v2',
      head: {
        sha: SHA,
        ref: 'feature',
        repo: { full_name: fork ? 'someone/app' : 'acme/app' }
      },
      base: { ref: 'main', repo: { full_name: 'acme/app' } }
    }
  }
}

export interface RolloutConfigOptions {
  /** Where the probes go: the router, or the stable service itself. */
  base: string
  canary: string
  stable: string
  /** The deploy gate's command. */
  deploy?: string
  /** The canary's traffic command. */
  traffic?: string
  postmortem?: boolean
}

/**
 * The four-step canary rollout of matches-api to staging that the GitHub
 * suites run, so a change to the contract is made in one place.
 */
export function rolloutConfigYaml(o: RolloutConfigOptions): string {
  const deploy = o.deploy ?? 'echo "deploy $DEPLOY_GATES_VERSION" >> log.txt'
  const traffic =
    o.traffic ??
    'echo "$DEPLOY_GATES_WEIGHT" > weight && echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt'
  return `version: 1
service: matches-api
environment: staging
vars:
  base: ${o.base}
probes:
  health:
    http: { url: '\${vars.base}/health' }
  api:
    http: { url: '\${vars.base}/api/matches/m1' }
gates:
  deploy:
    run: ${deploy}
  health:
    probes: [health]
  canary:
    traffic:
      run: ${traffic}
    steps:
      - { weight: 10, bake: 1s }
      - { weight: 25, bake: 1s }
      - { weight: 50, bake: 1s }
      - { weight: 100 }
    analysis:
      interval: 100ms
      min-samples: 5
      tracks:
        canary: { base: ${o.canary} }
        baseline: { base: ${o.stable} }
      probes: [api]
      metrics:
        error-rate: { fail: '> 20%' }
rollback:
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt
  verify: [health]
report:
  comment: true
  checks: overall
${o.postmortem ? '  postmortem: true\n' : ''}`
}
