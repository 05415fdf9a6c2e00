/**
 * One rollout per environment, decided from the environment's deployments
 * on the OpenAPI-checked stand-in: who holds it, what is stale, what is
 * this run's own, and two runs that start at the same moment (the older
 * deployment goes first). Waiting runs on an injected clock.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { createGitHubClient } from '../../src/github/client.js'
import type { GitHubContext } from '../../src/github/context.js'
import { Deployments } from '../../src/github/deployments.js'
import {
  Exclusive,
  STALE_MS,
  type OnConcurrent
} from '../../src/github/exclusive.js'
import { Guard } from '../../src/github/guard.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from '../helpers/github/index.js'

const SHA_A = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const SHA_B = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
let gh: GitHubStandIn
let now = Date.parse('2026-11-24T10:30:00Z')

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app', now: () => now })
})
afterAll(async () => {
  await gh.close()
})
beforeEach(() => {
  gh.reset()
  now = Date.parse('2026-11-24T10:30:00Z')
})

function context(sha: string, runId: string): GitHubContext {
  return {
    owner: 'acme',
    repo: 'app',
    sha,
    ref: 'refs/heads/main',
    eventName: 'push',
    fork: false,
    serverUrl: 'https://github.com',
    apiUrl: gh.url,
    runUrl: `https://github.com/acme/app/actions/runs/${runId}/attempts/1`
  }
}

interface Attempt {
  refused: string | undefined
  info: string[]
  warnings: string[]
  deployments: Deployments
}

async function attempt(o: {
  sha: string
  version: string
  runId: string
  mode?: OnConcurrent
  timeoutMs?: number
  /** Runs on every wait, with the waited time. */
  onSleep?: (ms: number) => void
}): Promise<Attempt> {
  const info: string[] = []
  const warnings: string[] = []
  const gitHub = createGitHubClient({ token: 'ghs_test', baseUrl: gh.url })
  const guard = new Guard((m) => warnings.push(m))
  const ctx = context(o.sha, o.runId)
  const deployments = new Deployments({
    gh: gitHub,
    context: ctx,
    guard,
    service: 'matches-api',
    environment: 'staging',
    version: o.version
  })
  const refused = await new Exclusive({
    gh: gitHub,
    context: ctx,
    guard,
    environment: 'staging',
    version: o.version,
    mode: o.mode ?? 'fail',
    timeoutMs: o.timeoutMs ?? 3_600_000,
    now: () => now,
    sleep: async (ms) => {
      now += ms
      o.onSleep?.(ms)
      await new Promise((resolve) => setImmediate(resolve))
    },
    info: (l) => info.push(l),
    warn: (m) => warnings.push(m)
  }).acquire(
    {
      ensure: (list) => deployments.begin(list),
      status: (state, text) => deployments.status(state, text)
    },
    new AbortController().signal
  )
  return { refused, info, warnings, deployments }
}

function seedRunning(o: {
  sha?: string
  version?: string
  runId?: string
  description?: string
  state?: 'in_progress' | 'queued' | 'success'
}): number {
  return gh.state.seedDeployment({
    sha: o.sha ?? SHA_A,
    environment: 'staging',
    payload: {
      tool: 'deploy-gates',
      service: 'matches-api',
      version: o.version ?? 'v1',
      run: `https://github.com/acme/app/actions/runs/${o.runId ?? '100'}/attempts/1`
    },
    statuses: [
      {
        state: o.state ?? 'in_progress',
        description: o.description ?? 'dg1 m0 r0 a0 d1 w25 running',
        log_url: `https://github.com/acme/app/actions/runs/${o.runId ?? '100'}/attempts/1`
      }
    ]
  }).id
}

describe('one rollout per environment', () => {
  it('goes on when nothing holds the environment, with its own deployment', async () => {
    seedRunning({ state: 'success', description: 'promoted: ok' })
    const r = await attempt({ sha: SHA_B, version: 'v2', runId: '200' })
    expect(r.refused).toBeUndefined()
    expect(r.deployments.known()).toBeDefined()
    expect(gh.problems()).toEqual([])
  })

  it('refuses when another run holds it, naming the run, and creates nothing', async () => {
    const id = seedRunning({ runId: '100' })
    const r = await attempt({ sha: SHA_B, version: 'v2', runId: '200' })
    expect(r.refused).toBe(
      `another rollout of staging is in progress: v1 (deployment ${id}, in progress 0s ago, run https://github.com/acme/app/actions/runs/100/attempts/1). Refusing to roll out on top of it (on-concurrent: fail); set on-concurrent: wait to queue behind it, or use a workflow concurrency group. If that run is gone, mark its deployment inactive.`
    )
    expect(gh.state.deployments.filter((d) => d.sha === SHA_B)).toHaveLength(0)
    expect(gh.problems()).toEqual([])
  })

  it('is not held by its own run (another job of the rollout, a re-run attempt)', async () => {
    seedRunning({ runId: '300', sha: SHA_A, version: 'v1' })
    const r = await attempt({ sha: SHA_B, version: 'v2', runId: '300' })
    expect(r.refused).toBeUndefined()
  })

  it('is not held by a paused rollout or a finished one', async () => {
    seedRunning({ description: 'paused: waiting for approval before 50%' })
    seedRunning({ description: 'dg1 m0 r0 a0 d1 w100 done promoted' })
    const r = await attempt({ sha: SHA_B, version: 'v2', runId: '200' })
    expect(r.refused).toBeUndefined()
  })

  it('warns about a stale in-progress deployment and goes on', async () => {
    const id = seedRunning({ runId: '100' })
    now += STALE_MS + 60_000
    const r = await attempt({ sha: SHA_B, version: 'v2', runId: '200' })
    expect(r.refused).toBeUndefined()
    expect(r.warnings.join('\n')).toContain(
      `deployment v1 (deployment ${id}, in progress 6h1m ago`
    )
    expect(r.warnings.join('\n')).toContain('its run has ended')
  })

  it('goes on with a warning under on-concurrent: ignore', async () => {
    seedRunning({ runId: '100' })
    const r = await attempt({
      sha: SHA_B,
      version: 'v2',
      runId: '200',
      mode: 'ignore'
    })
    expect(r.refused).toBeUndefined()
    expect(r.warnings.join('\n')).toContain(
      'another rollout of staging is in progress: v1'
    )
  })

  it('two runs at the same moment: the older deployment goes first', async () => {
    const [a, b] = await Promise.all([
      attempt({ sha: SHA_A, version: 'v2', runId: '401' }),
      attempt({ sha: SHA_B, version: 'v3', runId: '402' })
    ])
    const results = [a, b].map((x) => x.refused === undefined)
    expect(results.filter(Boolean)).toHaveLength(1)
    const winner = results[0] ? a : b
    const loser = results[0] ? b : a
    expect(winner.deployments.known()!).toBeLessThan(loser.deployments.known()!)
    // The one that yielded ended its deployment, so it holds nothing.
    const states = gh.state
      .statusesOf(loser.deployments.known()!)
      .map((s) => s.state)
    expect(states).toEqual(['error'])
    expect(gh.problems()).toEqual([])
  })

  it('waits (queued), then starts once the other rollout ends', async () => {
    const id = seedRunning({ runId: '100' })
    const other = gh.state.deployments.find((d) => d.id === id)!
    let waited = 0
    const r = await attempt({
      sha: SHA_B,
      version: 'v2',
      runId: '200',
      mode: 'wait',
      onSleep: (ms) => {
        waited += ms
        // The other run finishes after 10 minutes.
        if (waited >= 600_000 && gh.state.statusesOf(id).length === 1) {
          gh.state.addDeploymentStatus(other, {
            state: 'success',
            description: 'promoted: ok'
          })
        }
      }
    })
    expect(r.refused).toBeUndefined()
    expect(r.info[0]).toContain(
      'waiting for another rollout of staging to finish: v1'
    )
    expect(r.info.at(-1)).toMatch(/has ended; starting after 1\dm/)
    const mine = r.deployments.known()!
    expect(gh.state.statusesOf(mine).map((s) => s.state)).toEqual([
      'queued',
      'in_progress'
    ])
    // Looks get sparser, and look at the one deployment only: 10 minutes
    // of waiting cost a couple of dozen requests, not one every 5 s.
    expect(gh.calls('repos/list-deployments')).toHaveLength(2)
    expect(gh.requests.length).toBeLessThanOrEqual(25)
    expect(gh.problems()).toEqual([])
  })

  it('gives up after concurrent-timeout with a reason', async () => {
    seedRunning({ runId: '100' })
    const r = await attempt({
      sha: SHA_B,
      version: 'v2',
      runId: '200',
      mode: 'wait',
      timeoutMs: 120_000
    })
    expect(r.refused).toMatch(
      /^gave up after 2m waiting for another rollout of staging: v1 .*\(concurrent-timeout: 2m\)$/
    )
    const mine = r.deployments.known()!
    expect(gh.state.statusesOf(mine).map((s) => s.state)).toEqual([
      'queued',
      'error'
    ])
  })
})
