/**
 * The rollout's changes travel between jobs (and re-runs on fresh runners)
 * in deployment status descriptions: the encoding must round-trip, read
 * what older versions wrote, and fit GitHub's 140 characters. And there is
 * one deployment per rollout, whatever the API does.
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
import type { GitHub } from '../../src/github/client.js'
import {
  decodeChanges,
  Deployments,
  encodeChanges
} from '../../src/github/deployments.js'
import { Guard } from '../../src/github/guard.js'
import type { RolloutState } from '../../src/rollout/state.js'
import {
  faults,
  startGitHubStandIn,
  type GitHubStandIn
} from '../helpers/github/index.js'

function state(
  changed: Partial<RolloutState['changed']>,
  phase: RolloutState['phase'] = 'running',
  result?: string
): RolloutState {
  return {
    version: 1,
    service: 'matches-api',
    environment: 'production',
    rolloutVersion: 'v2',
    sha: 'abc',
    startedAt: 1,
    updatedAt: 2,
    phase,
    ...(result ? { result } : {}),
    changed: {
      migrated: false,
      migrationReversible: false,
      deployed: false,
      trafficWeight: 0,
      ...changed
    },
    rollbackAttempts: 0
  }
}

describe('encodeChanges / decodeChanges', () => {
  it('round-trips every flag, the weight, the phase and the result', () => {
    const s = state(
      {
        migrated: true,
        migrationReversible: false,
        migrationApplied: true,
        deployed: true,
        trafficWeight: 25
      },
      'done',
      'held'
    )
    const text = encodeChanges(s)
    expect(text).toBe('dg1 m1 r0 a1 d1 w25 done held')
    expect(decodeChanges(text)).toEqual({
      changed: s.changed,
      phase: 'done',
      result: 'held'
    })
  })

  it('writes a0 when the migration is not applied or the flag is absent', () => {
    expect(encodeChanges(state({ migrated: true }))).toBe(
      'dg1 m1 r0 a0 d0 w0 running'
    )
    expect(decodeChanges('dg1 m1 r1 a0 d1 w100 rolling-back')?.changed).toEqual(
      {
        migrated: true,
        migrationReversible: true,
        migrationApplied: false,
        deployed: true,
        trafficWeight: 100
      }
    )
  })

  it('reads descriptions written before the applied flag existed', () => {
    expect(decodeChanges('dg1 m1 r1 d1 w10 done failed')).toEqual({
      changed: {
        migrated: true,
        migrationReversible: true,
        migrationApplied: false,
        deployed: true,
        trafficWeight: 10
      },
      phase: 'done',
      result: 'failed'
    })
  })

  it('ignores descriptions that are not its own', () => {
    expect(decodeChanges('promoted: v2 promoted to production')).toBeUndefined()
    expect(decodeChanges(null)).toBeUndefined()
    expect(decodeChanges('dg1 m2 r0 d0 w0 running')).toBeUndefined()
  })

  it('fits a status description with the longest result', () => {
    const text = encodeChanges(
      state({ trafficWeight: 100 }, 'rolling-back', 'rollback-failed')
    )
    expect(text.length).toBeLessThanOrEqual(140)
  })
})

describe('Deployments against the stand-in', () => {
  const SHA = 'c'.repeat(40)
  let gh: GitHubStandIn
  let client: GitHub
  let warnings: string[]
  const quiet = (): void => undefined

  beforeAll(async () => {
    gh = await startGitHubStandIn({ repository: 'acme/app' })
    client = new Octokit({
      baseUrl: gh.url,
      auth: 'ghs_test',
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet }
    })
  })
  afterAll(async () => {
    await gh.close()
  })
  beforeEach(() => {
    gh.reset()
    warnings = []
  })

  const deployments = (): Deployments =>
    new Deployments({
      gh: client,
      context: {
        owner: 'acme',
        repo: 'app',
        sha: SHA,
        ref: 'refs/heads/main',
        eventName: 'push',
        fork: false,
        serverUrl: 'https://github.com',
        apiUrl: gh.url
      },
      guard: new Guard((m) => warnings.push(m)),
      service: 'matches-api',
      environment: 'staging',
      version: 'v2'
    })
  const ours = (): number =>
    gh.state.deployments.filter((d) => d.sha === SHA).length

  it('creates one deployment for statuses posted at the same time', async () => {
    const d = deployments()
    await Promise.all([
      d.status('in_progress', 'dg1 m0 r0 a0 d1 w0 running'),
      d.status('in_progress', 'dg1 m0 r0 a0 d1 w10 running'),
      d.status('success', 'promoted: v2')
    ])
    expect(ours()).toBe(1)
    expect(gh.calls('repos/create-deployment')).toHaveLength(1)
    expect(gh.problems()).toEqual([])
  })

  it('finds the deployment an earlier attempt created', async () => {
    await deployments().status('in_progress', 'dg1 m1 r1 a1 d0 w0 running')
    const again = deployments()
    await again.status('success', 'promoted: v2')
    expect(ours()).toBe(1)
    expect(await again.latestChanges()).toMatchObject({
      changed: { migrationApplied: true },
      phase: 'running'
    })
  })

  it('does not create one when the lookup failed, and tries again later', async () => {
    await deployments().status('in_progress', 'dg1 m0 r0 a0 d0 w0 running')
    const d = deployments()
    gh.failNext({
      ...faults.serverError(),
      pathPattern: 'repos/list-deployments'
    })
    await d.status('in_progress', 'dg1 m0 r0 a0 d1 w0 running')
    expect(ours()).toBe(1)
    await d.status('success', 'promoted: v2')
    expect(ours()).toBe(1)
    const id = gh.state.deployments.find((x) => x.sha === SHA)?.id ?? -1
    expect(gh.state.latestStatus(id)?.description).toBe('promoted: v2')
  })
})
