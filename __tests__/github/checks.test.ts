/**
 * The check run is written on events and a sparse heartbeat, so its
 * requests grow with the rollout's steps, not its minutes: a 4-step rollout
 * costs the same few updates with 1-second and 1-hour bakes, and every step
 * still shows up. Events carry the rollout clock, so hours of bakes take
 * milliseconds here; the writes go to the OpenAPI-checked stand-in.
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
import {
  ChecksReporter,
  HEARTBEAT_MS,
  MAX_HEARTBEATS,
  MIN_GAP_MS
} from '../../src/github/checks.js'
import { Guard } from '../../src/github/guard.js'
import type { GateReport, RolloutEvent } from '../../src/rollout/events.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from '../helpers/github/index.js'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
let gh: GitHubStandIn

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app' })
})
afterAll(async () => {
  await gh.close()
})
beforeEach(() => gh.reset())

function reporter(): ChecksReporter {
  return new ChecksReporter({
    // Plain Octokit: the client's throttling spaces writes a second apart,
    // which only slows the test down.
    gh: new Octokit({ auth: 'ghs_test', baseUrl: gh.url }),
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
    guard: new Guard(() => undefined),
    environment: 'staging',
    service: 'matches-api',
    perGate: false
  })
}

/** The events of deploy, health and a 4-step canary, one look a second. */
function* rolloutEvents(
  bakeMs: number,
  fail?: { step: number }
): Generator<RolloutEvent> {
  let at = Date.parse('2026-11-24T10:30:00Z')
  const startedAt = at
  const gate = (
    g: GateReport['gate'],
    outcome: GateReport['outcome'],
    step?: number
  ): GateReport => ({
    gate: g,
    ...(step !== undefined ? { step } : {}),
    outcome,
    reason: `${g} ${outcome}`,
    startedAt: at,
    endedAt: at,
    findings: []
  })
  yield {
    type: 'rollout-started',
    service: 'matches-api',
    environment: 'staging',
    version: 'v2',
    gates: ['deploy', 'health', 'canary'],
    at
  }
  const gates: GateReport[] = []
  for (const g of ['deploy', 'health'] as const) {
    yield { type: 'gate-started', gate: g, at }
    at += 2_000
    gates.push(gate(g, 'passed'))
    yield { type: 'gate-finished', report: gates.at(-1)!, at }
  }
  let result: 'promoted' | 'rolled-back' = 'promoted'
  for (const step of [10, 25, 50, 100]) {
    yield { type: 'gate-started', gate: 'canary', step, at }
    const end = at + bakeMs
    while (at < end) {
      at += 1_000
      yield {
        type: 'progress',
        gate: 'canary',
        step,
        elapsedMs: bakeMs - (end - at),
        remainingMs: end - at,
        values: { 'error-rate': '0.1% / 0.1%' },
        at
      }
    }
    const failed = fail?.step === step
    gates.push(gate('canary', failed ? 'failed' : 'passed', step))
    yield { type: 'gate-finished', report: gates.at(-1)!, at }
    if (failed) {
      yield { type: 'rollback-started', reason: 'error-rate', at }
      at += 3_000
      yield {
        type: 'rollback-finished',
        ok: true,
        attempts: 1,
        reason: 'rolled back',
        at
      }
      result = 'rolled-back'
      break
    }
  }
  yield {
    type: 'rollout-finished',
    report: {
      service: 'matches-api',
      environment: 'staging',
      version: 'v2',
      sha: SHA,
      result,
      reason: result,
      startedAt,
      endedAt: at,
      gates,
      chart: [],
      timeline: []
    },
    at
  }
}

async function play(bakeMs: number, fail?: { step: number }): Promise<void> {
  const r = reporter()
  for (const e of rolloutEvents(bakeMs, fail)) await r.onEvent(e)
}

function titles(): string[] {
  return gh
    .calls('checks/update')
    .map((u) => (u.body as { output?: { title?: string } }).output?.title ?? '')
}

describe('check run requests', () => {
  it.each([
    ['1s', 1_000],
    ['40s', 40_000],
    ['10m', 600_000],
    ['1h', 3_600_000]
  ])(
    'a 4-step rollout with %s bakes: a bounded number of writes, every step shown',
    async (_label, bakeMs) => {
      await play(bakeMs)
      expect(gh.problems()).toEqual([])
      const checkCalls = gh.requests.filter((q) =>
        q.operationId?.startsWith('checks/')
      )
      // listForRef + create, at most 6 gate starts, the heartbeats, the
      // verdict.
      expect(checkCalls.length).toBeLessThanOrEqual(2 + 6 + MAX_HEARTBEATS + 1)
      const t = titles()
      if (bakeMs >= MIN_GAP_MS) {
        // Every step shows; deploy and health, seconds apart, share one.
        for (const w of [10, 25, 50, 100]) {
          expect(t.some((x) => x.startsWith(`canary ${w}% running`))).toBe(true)
        }
        expect(t.some((x) => x.startsWith('deploy running'))).toBe(false)
        // The gate that just passed is named next to the one that runs.
        expect(t).toContain('canary 25% running (canary 10% passed)')
      } else {
        // Steps a second apart share updates: fewer writes, not more.
        expect(t.length).toBeLessThanOrEqual(3)
      }
      const beats = t.filter((x) => x.includes('error-rate'))
      if (bakeMs < HEARTBEAT_MS) expect(beats).toEqual([])
      else expect(beats.length).toBeGreaterThan(0)
      expect(beats.length).toBeLessThanOrEqual(MAX_HEARTBEATS)
    }
  )

  it('spaces heartbeats out within a gate: 3, then 6 more, then 12 more minutes', async () => {
    await play(30 * 60_000)
    const at = gh
      .calls('checks/update')
      .map((u) => ({
        title: (u.body as { output?: { title?: string } }).output?.title ?? ''
      }))
      .filter((u) => u.title.startsWith('canary 10% ·'))
    // 30 minutes: heartbeats after 3, 9 and 21 minutes of the first step.
    expect(at).toHaveLength(3)
  })

  it('writes a failure and the rollback start at once, then the verdict', async () => {
    await play(600_000, { step: 25 })
    const t = titles()
    expect(t).toContain('canary 25% failed')
    expect(t).toContain('rolling back: error-rate')
    const last = gh.calls('checks/update').at(-1)?.body as {
      conclusion?: string
    }
    expect(last.conclusion).toBe('failure')
  })
})
