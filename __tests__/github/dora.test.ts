/**
 * Deployment metrics from a deployment history seeded into the GitHub API
 * stand-in with known timestamps (every request validated against GitHub's
 * OpenAPI description), checked against numbers worked out by hand; plus
 * the pure classification, the bounds on API calls and the markdown table.
 * Commit author dates are seeded with `state.addCommit(sha, date)`.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import type { GitHub } from '../../src/github/client.js'
import type { GitHubContext } from '../../src/github/context.js'
import {
  classify,
  computeMetrics,
  deploymentMetrics,
  doraJson,
  doraMarkdown,
  median,
  withCurrent,
  type DeploymentHistory
} from '../../src/github/dora.js'
import { Guard } from '../../src/github/guard.js'
import {
  faults,
  startGitHubStandIn,
  type GitHubStandIn
} from '../helpers/github/index.js'
import type { DeploymentState } from '../helpers/github/index.js'

const M = 60_000
const H = 60 * M
const D = 24 * H
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0)
const ENV = 'staging'

function sha(c: string): string {
  return c.repeat(40).slice(0, 40)
}

let gh: GitHubStandIn
let client: GitHub
let clock = NOW
let warnings: string[]
const quiet = (): void => undefined

const context = (): GitHubContext => ({
  owner: 'acme',
  repo: 'app',
  sha: sha('0'),
  ref: 'refs/heads/main',
  eventName: 'push',
  fork: false,
  serverUrl: 'https://github.com',
  apiUrl: gh.url
})

/** A deployment created at `at`, then its statuses at their times. */
function deploy(
  c: string,
  at: number,
  statuses: [DeploymentState, number, string?][],
  environment = ENV
): void {
  clock = at
  const d = gh.state.seedDeployment({ sha: sha(c), environment })
  for (const [state, when, description] of statuses) {
    clock = when
    gh.state.addDeploymentStatus(d, {
      state,
      ...(description ? { description } : {})
    })
  }
  clock = NOW
}

/**
 * Thirty days of a team's deployments, times relative to NOW:
 *  a  -20d        success +10m                 (commit -2h)   lead 2h10m
 *  b  -15d        in_progress, inactive +30m   rolled back    incident 1 opens
 *  c  -15d+1h     success +20m                 (commit -15d)  lead 1h20m, restores 1 after 50m
 *  d  -10d        failure +5m                                 incident 2 opens
 *  e  -10d+1h     error +5m                                   same incident
 *  f  -10d+3h     success +10m                 (commit -1h)   lead 1h10m, restores 2 after 3h5m
 *  g  -5d         failure 'failed: ...'        refused by preflight: not a deployment
 *  h  -2d         success +15m, inactive -1d   replaced, still a success (commit -3d) lead 1d15m
 *  i  -1h         in_progress                  unfinished
 *  z  -40d        success                      outside the window
 *  p  -3d         success in production        another environment
 */
function seedMonth(): void {
  deploy('z', NOW - 40 * D, [['success', NOW - 40 * D + 5 * M]])
  const a = NOW - 20 * D
  deploy('a', a, [['success', a + 10 * M]])
  gh.state.addCommit(sha('a'), a - 2 * H)
  const b = NOW - 15 * D
  deploy('b', b, [
    ['in_progress', b + M],
    ['inactive', b + 30 * M, 'rolled-back: error-rate 7% > 5%']
  ])
  deploy('c', b + H, [
    ['in_progress', b + H + M],
    ['success', b + H + 20 * M]
  ])
  gh.state.addCommit(sha('c'), b)
  const d = NOW - 10 * D
  deploy('d', d, [['failure', d + 5 * M, 'rollback-failed: exit 1']])
  deploy('e', d + H, [['error', d + H + 5 * M]])
  deploy('f', d + 3 * H, [['success', d + 3 * H + 10 * M]])
  gh.state.addCommit(sha('f'), d + 2 * H)
  deploy('g', NOW - 5 * D, [
    ['failure', NOW - 5 * D + M, "failed: outside the deploy window 'Tue-Thu'"]
  ])
  deploy('p', NOW - 3 * D, [['success', NOW - 3 * D + M]], 'production')
  const h = NOW - 2 * D
  deploy('h', h, [
    ['success', h + 15 * M],
    ['inactive', NOW - D]
  ])
  gh.state.addCommit(sha('h'), NOW - 3 * D)
  deploy('i', NOW - H, [['in_progress', NOW - H + M]])
}

beforeAll(async () => {
  gh = await startGitHubStandIn({ now: () => clock })
  client = new (Octokit.plugin(retry))({
    baseUrl: gh.url,
    auth: 'ghs_test',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    retry: { retryAfterBaseValue: 1 }
  })
})

afterAll(async () => {
  await gh.close()
})

beforeEach(() => {
  gh.reset()
  warnings = []
  clock = NOW
})

function guard(): Guard {
  return new Guard((m) => warnings.push(m))
}

describe('deploymentMetrics against the stand-in', () => {
  it('computes the four numbers of a seeded month', async () => {
    seedMonth()
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW)
    expect(gh.problems()).toEqual([])
    expect(warnings).toEqual([])
    expect(m).toEqual({
      environment: ENV,
      days: 30,
      deployments: 9,
      successful: 4,
      failed: 3,
      n: 7,
      frequencyPerWeek: 4 / (30 / 7),
      changeFailureRate: 3 / 7,
      // Restores of 50m and 3h5m.
      medianTimeToRestoreMs: (50 * M + 185 * M) / 2,
      restores: 2,
      // Lead times 1h10m, 1h20m, 2h10m, 24h15m.
      medianLeadTimeMs: (80 * M + 130 * M) / 2,
      leadTimes: 4,
      truncated: false
    })
    // Bounded: one list, one status call per deployment in the window,
    // one lookup per successful commit.
    expect(gh.calls('repos/list-deployments')).toHaveLength(1)
    expect(gh.calls('repos/list-deployments')[0].query).toMatchObject({
      environment: ENV,
      per_page: '100'
    })
    expect(gh.calls('repos/list-deployment-statuses')).toHaveLength(9)
    expect(gh.calls('git/get-commit')).toHaveLength(4)
    expect(gh.writes()).toEqual([])
  })

  it('caps the commit lookups, newest deployments first', async () => {
    seedMonth()
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW, {
      maxCommitLookups: 2
    })
    expect(gh.calls('git/get-commit').map((r) => r.params.commit_sha)).toEqual([
      sha('h'),
      sha('f')
    ])
    expect(m?.leadTimes).toBe(2)
    expect(m?.medianLeadTimeMs).toBe((24 * H + 15 * M + 70 * M) / 2)
  })

  it('reads the window page by page past 100 deployments, each one counted', async () => {
    // 250 deployments, one every 2 h, newest 1 h ago: 120 in the last 10
    // days. Every 10th rolled back, the next one restores it 2 h later.
    // Created oldest first, as GitHub numbers them.
    for (let i = 249; i >= 0; i--) {
      const at = NOW - H - i * 2 * H
      const bad = i % 10 === 5
      deploy(
        i.toString(16).padStart(3, '0'),
        at,
        bad ? [['inactive', at + M, 'rolled-back: p95']] : [['success', at + M]]
      )
    }
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW, {
      days: 10,
      maxDeployments: 1000,
      maxCommitLookups: 0
    })
    // Page 2 reaches past the window, so page 3 is never asked for.
    const pages = gh.calls('repos/list-deployments')
    expect(pages.map((r) => [r.query.page, r.query.per_page])).toEqual([
      ['1', '100'],
      ['2', '100']
    ])
    expect(gh.calls('repos/list-deployment-statuses')).toHaveLength(120)
    expect(m).toMatchObject({
      deployments: 120,
      successful: 108,
      failed: 12,
      n: 120,
      changeFailureRate: 0.1,
      restores: 12,
      medianTimeToRestoreMs: 2 * H,
      truncated: false
    })
    expect(m!.frequencyPerWeek).toBeCloseTo(108 / (10 / 7), 6)
    expect(gh.problems()).toEqual([])
  })

  it('stops at max-deployments and says the count is truncated', async () => {
    for (let i = 0; i < 130; i++) {
      deploy(i.toString(16).padStart(2, '0'), NOW - 130 * H + i * H, [
        ['success', NOW - 130 * H + i * H + M]
      ])
    }
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW, {
      maxCommitLookups: 0
    })
    expect(gh.calls('repos/list-deployments')).toHaveLength(1)
    expect(gh.calls('repos/list-deployment-statuses')).toHaveLength(100)
    expect(m).toMatchObject({
      deployments: 100,
      successful: 100,
      truncated: true
    })
    expect(doraMarkdown(m!)).toContain(
      'Only the latest 100 deployments were read'
    )
    const all = await deploymentMetrics(client, context(), guard(), ENV, NOW, {
      maxDeployments: 500,
      maxCommitLookups: 0
    })
    expect(all).toMatchObject({ deployments: 130, truncated: false })
  })

  it('counts the finishing rollout, whatever the history shows of it yet', async () => {
    seedMonth()
    const base = await deploymentMetrics(client, context(), guard(), ENV, NOW)
    expect(base).toMatchObject({ deployments: 9, successful: 4, failed: 3 })
    // Its deployment exists with only in_progress: the verdict completes it.
    const running = gh.state.seedDeployment({ sha: sha('j'), environment: ENV })
    gh.state.addDeploymentStatus(running, { state: 'in_progress' })
    gh.state.addCommit(sha('j'), NOW - 2 * H)
    const current = {
      deploymentId: running.id,
      sha: sha('j'),
      startedAt: NOW - 30 * M,
      endedAt: NOW,
      reason: 'every step passed'
    }
    const lookups = gh.calls('git/get-commit').length
    const promoted = await deploymentMetrics(
      client,
      context(),
      guard(),
      ENV,
      NOW,
      {},
      {
        ...current,
        result: 'promoted'
      }
    )
    expect(promoted).toMatchObject({
      deployments: 10,
      successful: 5,
      failed: 3,
      leadTimes: 5
    })
    // Its commit's lead time is looked up first: 2 h to its success now.
    expect(gh.calls('git/get-commit')[lookups].params.commit_sha).toBe(sha('j'))
    const rolledBack = await deploymentMetrics(
      client,
      context(),
      guard(),
      ENV,
      NOW,
      {},
      {
        ...current,
        result: 'rolled-back'
      }
    )
    expect(rolledBack).toMatchObject({ successful: 4, failed: 4 })
    // No deployment was created (surfaces off): still counted, by its times.
    const { deploymentId: _, ...noDeployment } = current
    expect(withCurrent([], { ...noDeployment, result: 'promoted' })).toEqual([
      {
        id: Number.MAX_SAFE_INTEGER,
        sha: sha('j'),
        createdAt: NOW - 30 * M,
        statuses: [{ id: Number.MAX_SAFE_INTEGER, at: NOW, state: 'success' }]
      }
    ])
    // Refused before any change, or paused: no finished change.
    for (const result of ['failed', 'paused'] as const) {
      const [h] = withCurrent([], { ...noDeployment, result })
      expect(classify(h).kind).toBe(
        result === 'failed' ? 'not-deployed' : 'unfinished'
      )
    }
  })

  it('gives stable JSON for the action output and the CLI', async () => {
    seedMonth()
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW)
    expect(JSON.parse(doraJson(m!))).toEqual({
      environment: ENV,
      days: 30,
      deployments: 9,
      successful: 4,
      failed: 3,
      finished: 7,
      deploymentFrequencyPerWeek: 0.93,
      changeFailureRate: 0.4286,
      medianTimeToRestoreSeconds: (50 * M + 185 * M) / 2 / 1000,
      restores: 2,
      medianLeadTimeSeconds: (80 * M + 130 * M) / 2 / 1000,
      leadTimes: 4,
      truncated: false
    })
    const empty = await deploymentMetrics(client, context(), guard(), 'qa', NOW)
    expect(JSON.parse(doraJson(empty!))).toMatchObject({
      changeFailureRate: null,
      medianTimeToRestoreSeconds: null,
      medianLeadTimeSeconds: null
    })
  })

  it('an empty history gives zero frequency and no rates', async () => {
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW)
    expect(m).toEqual({
      environment: ENV,
      days: 30,
      deployments: 0,
      successful: 0,
      failed: 0,
      n: 0,
      frequencyPerWeek: 0,
      restores: 0,
      leadTimes: 0,
      truncated: false
    })
  })

  it('is undefined, with one warning, when the history cannot be read', async () => {
    seedMonth()
    gh.failNext(
      faults.notAccessible({
        pathPattern: 'repos/list-deployments',
        permission: 'deployments=read'
      })
    )
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW)
    expect(m).toBeUndefined()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/'permissions: deployments: read'/)
  })

  it('leaves lead time out when commits cannot be read, naming contents: read', async () => {
    seedMonth()
    gh.failNext(
      faults.notAccessible({
        pathPattern: 'git/get-commit',
        permission: 'contents=read'
      })
    )
    const m = await deploymentMetrics(client, context(), guard(), ENV, NOW)
    expect(m?.leadTimes).toBe(0)
    expect(m?.medianLeadTimeMs).toBeUndefined()
    expect(m?.changeFailureRate).toBe(3 / 7)
    // The lookups stop at the first refusal.
    expect(gh.calls('git/get-commit')).toHaveLength(1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/'permissions: contents: read'/)
  })
})

function history(
  statuses: [string, number, string?][],
  over: Partial<DeploymentHistory> = {}
): DeploymentHistory {
  return {
    id: 1,
    sha: sha('a'),
    createdAt: NOW - D,
    statuses: statuses.map(([state, at, description], i) => ({
      id: i + 1,
      state,
      at,
      ...(description ? { description } : {})
    })),
    ...over
  }
}

describe('classify', () => {
  it('reads each way a deployment ends', () => {
    expect(classify(history([['success', 5]]))).toEqual({
      kind: 'success',
      successAt: 5
    })
    expect(
      classify(
        history([
          ['success', 5],
          ['inactive', 9]
        ])
      )
    ).toEqual({ kind: 'success', successAt: 5 })
    expect(
      classify(
        history([
          ['in_progress', 1],
          ['inactive', 4]
        ])
      )
    ).toEqual({ kind: 'failure', failedAt: 4 })
    expect(classify(history([['error', 3]]))).toEqual({
      kind: 'failure',
      failedAt: 3
    })
    expect(classify(history([['failure', 3, 'failed: no approvals']]))).toEqual(
      {
        kind: 'not-deployed'
      }
    )
    expect(
      classify(history([['failure', 3, 'dg1 m0 r0 d0 w0 done failed']]))
    ).toEqual({ kind: 'not-deployed' })
    expect(
      classify(history([['failure', 3, 'dg1 m1 r1 d1 w10 done failed']]))
    ).toEqual({ kind: 'failure', failedAt: 3 })
    expect(classify(history([['in_progress', 3]]))).toEqual({
      kind: 'unfinished'
    })
    expect(classify(history([]))).toEqual({ kind: 'unfinished' })
  })

  it('a re-run that succeeds after a failure keeps the failure it recovered from', () => {
    // Statuses arrive newest first from GitHub: order does not matter.
    expect(
      classify(
        history([
          ['success', 30],
          ['in_progress', 20],
          ['failure', 10]
        ])
      )
    ).toEqual({ kind: 'success', successAt: 30, failedAt: 10 })
  })

  it('a refusal after a success leaves it a success', () => {
    expect(
      classify(
        history([
          ['success', 10],
          ['failure', 20, 'failed: outside the deploy window']
        ])
      )
    ).toEqual({ kind: 'success', successAt: 10 })
  })
})

describe('computeMetrics', () => {
  it('counts a re-run recovery as a restore and an open incident as none', () => {
    const m = computeMetrics(
      ENV,
      [
        history(
          [
            ['failure', NOW - 5 * H],
            ['success', NOW - 4 * H]
          ],
          {
            id: 1
          }
        ),
        history([['inactive', NOW - 2 * H]], { id: 2, createdAt: NOW - 3 * H })
      ],
      new Map(),
      NOW
    )
    expect(m).toMatchObject({
      successful: 1,
      failed: 1,
      restores: 1,
      medianTimeToRestoreMs: H
    })
  })

  it('median', () => {
    expect(median([])).toBeUndefined()
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('doraMarkdown', () => {
  it('renders the table, with dashes for what could not be measured', () => {
    expect(
      doraMarkdown({
        environment: 'staging',
        days: 30,
        deployments: 9,
        successful: 4,
        failed: 3,
        n: 7,
        frequencyPerWeek: 4 / (30 / 7),
        changeFailureRate: 3 / 7,
        medianTimeToRestoreMs: 117.5 * M,
        restores: 2,
        medianLeadTimeMs: 105 * M,
        leadTimes: 4,
        truncated: false
      })
    ).toBe(
      [
        '| staging, last 30 days | value |',
        '| --- | --- |',
        '| Deployment frequency | 0.9 per week (4 successful of 9 deployments) |',
        '| Change failure rate | 42.9% (3 of 7 finished) |',
        '| Time to restore (median) | 1h57m30s (2 restores) |',
        '| Lead time for changes (median) | 1h45m (4 deployments) |',
        ''
      ].join('\n')
    )
    expect(
      doraMarkdown({
        environment: 'prod|x',
        days: 30,
        deployments: 1,
        successful: 0,
        failed: 0,
        n: 0,
        frequencyPerWeek: 0,
        restores: 0,
        leadTimes: 0,
        truncated: false
      })
    ).toBe(
      [
        '| prod\\|x, last 30 days | value |',
        '| --- | --- |',
        '| Deployment frequency | 0 per week (0 successful of 1 deployment) |',
        '| Change failure rate | – |',
        '| Time to restore (median) | – |',
        '| Lead time for changes (median) | – |',
        ''
      ].join('\n')
    )
  })
})
