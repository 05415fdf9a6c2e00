/**
 * The postmortem issue against the GitHub API stand-in (every request is
 * validated against GitHub's OpenAPI description): when it opens, what it
 * says, that a re-run finds it again instead of opening a second one, and
 * that a read-only token or a failing API only warns.
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
import { Guard } from '../../src/github/guard.js'
import {
  PostmortemReporter,
  postmortemBody,
  postmortemMarker,
  postmortemTitle,
  type PostmortemOptions
} from '../../src/github/postmortem.js'
import { createRedactor } from '../../src/redact/redactor.js'
import type {
  RolloutEvent,
  RolloutReport,
  RolloutResult
} from '../../src/rollout/events.js'
import {
  faults,
  startGitHubStandIn,
  type GitHubStandIn
} from '../helpers/github/index.js'

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0)
const SHA = '0123456789abcdef0123456789abcdef01234567'
const RUN = 'https://github.com/acme/app/actions/runs/42/attempts/1'
const PLANTED = 'ghp_PlantedSecretValue1234567890'

function report(over: Partial<RolloutReport> = {}): RolloutReport {
  return {
    service: 'matches-api',
    environment: 'staging',
    version: 'v3.1.0',
    previousVersion: 'v3.0.9',
    sha: SHA,
    result: 'rolled-back',
    failedGate: 'canary',
    reason: 'error-rate 7.0% > 5%, n=100/98',
    startedAt: T0,
    endedAt: T0 + 12 * 60_000,
    gates: [
      {
        gate: 'deploy',
        outcome: 'passed',
        reason: 'exit 0 in 41s',
        startedAt: T0,
        endedAt: T0 + 41_000,
        findings: []
      },
      {
        gate: 'canary',
        step: 25,
        outcome: 'failed',
        reason: 'error-rate 7.0% > 5%, n=100/98',
        startedAt: T0 + 60_000,
        endedAt: T0 + 11 * 60_000,
        findings: [
          {
            name: 'error-rate',
            level: 'fail',
            value: '7.0%',
            baseline: '0.4%',
            condition: '> 5%',
            n: { canary: 100, baseline: 98 },
            reason: 'error-rate 7.0% > 5%, n=100/98'
          },
          {
            name: 'p95',
            level: 'ok',
            value: '120ms',
            condition: '> 2x baseline',
            reason: 'p95 120ms within > 2x baseline (100ms)'
          }
        ]
      }
    ],
    chart: [],
    timeline: [
      { at: T0, text: 'rollout started' },
      { at: T0 + 60_000, text: 'canary 25% started' },
      { at: T0 + 11 * 60_000, text: 'canary 25% failed: error-rate 7.0% > 5%' },
      { at: T0 + 12 * 60_000, text: 'rolled back to v3.0.9' }
    ],
    rollback: {
      attempts: 1,
      ok: true,
      target: 'v3.0.9',
      reason: 'verify probes passed'
    },
    ...over
  }
}

function finished(r: RolloutReport): RolloutEvent {
  return { type: 'rollout-finished', report: r, at: r.endedAt }
}

let gh: GitHubStandIn
const quiet = (): void => undefined
let client: GitHub
let warnings: string[]

function context(over: Partial<GitHubContext> = {}): GitHubContext {
  return {
    owner: 'acme',
    repo: 'app',
    sha: SHA,
    ref: 'refs/heads/main',
    eventName: 'push',
    fork: false,
    serverUrl: 'https://github.com',
    apiUrl: gh.url,
    runUrl: RUN,
    ...over
  }
}

function reporter(over: Partial<PostmortemOptions> = {}): PostmortemReporter {
  return new PostmortemReporter({
    gh: client,
    context: context(),
    guard: new Guard((m) => warnings.push(m)),
    enabled: true,
    ...over
  })
}

beforeAll(async () => {
  gh = await startGitHubStandIn()
  // The production client's throttling spaces issue and comment creation
  // 3 s apart (GitHub's advice for content that notifies); tests keep the
  // retries but not the spacing.
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
})

describe('when it opens', () => {
  it.each<RolloutResult>(['rolled-back', 'held', 'rollback-failed'])(
    'opens an issue on %s',
    async (result) => {
      await reporter().onEvent(finished(report({ result })))
      expect(gh.state.issues).toHaveLength(1)
      expect(gh.state.issues[0].title).toBe(
        `Rollout of v3.1.0 to staging ${result}`
      )
      expect(gh.problems()).toEqual([])
    }
  )

  it.each<RolloutResult>(['promoted', 'passed', 'paused', 'failed'])(
    'does nothing on %s',
    async (result) => {
      await reporter().onEvent(finished(report({ result })))
      expect(gh.requests).toEqual([])
    }
  )

  it('does nothing when report.postmortem is off, or on other events', async () => {
    await reporter({ enabled: false }).onEvent(finished(report()))
    await reporter().onEvent({
      type: 'gate-finished',
      report: report().gates[1],
      at: T0
    })
    await reporter().onEvent({ type: 'rollback-started', reason: 'x', at: T0 })
    expect(gh.requests).toEqual([])
  })
})

describe('the issue', () => {
  it('has the title, labels, verdict, numbers, links, timeline and checklist', async () => {
    await reporter().onEvent(finished(report()))
    expect(gh.problems()).toEqual([])
    const [issue] = gh.state.issues
    expect(issue.title).toBe('Rollout of v3.1.0 to staging rolled-back')
    expect(issue.labels).toEqual(['deploy-gates', 'postmortem'])
    const body = issue.body ?? ''
    expect(body.startsWith(postmortemMarker(SHA, 'staging', 'v3.1.0'))).toBe(
      true
    )
    expect(body).toContain(
      '**rolled-back** at canary 25%: error-rate 7.0% > 5%, n=100/98'
    )
    expect(body).toContain('| version | `v3.1.0` (previous `v3.0.9`) |')
    expect(body).toContain(
      `| commit | [\`0123456\`](https://github.com/acme/app/commit/${SHA}) |`
    )
    expect(body).toContain(`| run | [workflow run](${RUN}) |`)
    // The failing finding with its numbers; the passing one is not listed.
    expect(body).toContain('**canary 25%** failed: error-rate 7.0% > 5%')
    expect(body).toContain(
      '| error-rate | fail | 7.0% | 0.4% | > 5% | 100/98 | error-rate 7.0% > 5%, n=100/98 |'
    )
    const [head] = body.split('<summary>Full report</summary>')
    expect(head).not.toMatch(/\| p95 \|/)
    expect(body).toContain('Rolled back to `v3.0.9` after 1 attempt')
    expect(body).toContain(
      '| 10:11 | +11m | canary 25% failed: error-rate 7.0% > 5% |'
    )
    expect(body).toContain('### Root cause')
    expect(body).toContain('- [ ] What broke, and why')
    expect(body).toContain('- [ ] staging verified to run `v3.0.9`')
    expect(body).toContain('<summary>Full report</summary>')
    // One list and one create: nothing else.
    expect(gh.requests.map((r) => r.operationId)).toEqual([
      'issues/list-for-repo',
      'issues/create'
    ])
    expect(gh.calls('issues/list-for-repo')[0].query).toMatchObject({
      state: 'open',
      labels: 'deploy-gates'
    })
  })

  it('says so when a hold reverted nothing', () => {
    const body = postmortemBody(
      report({ result: 'held', rollback: undefined }),
      { marker: '<!-- m -->' }
    )
    expect(body).toContain('Held: nothing was reverted')
    expect(body).toContain('- [ ] staging verified to run the expected version')
  })

  it('stays under the body limit with a huge report', () => {
    const line = 'x'.repeat(900)
    const big = report({
      timeline: Array.from({ length: 5000 }, (_, i) => ({
        at: T0 + i * 1000,
        text: `${i} ${line}`
      })),
      gates: Array.from({ length: 40 }, (_, i) => ({
        gate: 'smoke' as const,
        outcome: 'failed' as const,
        reason: `gate ${i} ${line}`,
        startedAt: T0,
        endedAt: T0 + 1000,
        findings: Array.from({ length: 50 }, (_, j) => ({
          name: `probe ${j}`,
          level: 'fail' as const,
          reason: `probe ${j} failed ${line}`
        })),
        logTail: Array.from({ length: 200 }, () => line)
      }))
    })
    const body = postmortemBody(big, { marker: '<!-- m -->' })
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body.startsWith('<!-- m -->')).toBe(true)
    expect(body).toContain('entries left out')
    // The checklist survives; the verdict's gate comes first.
    expect(body).toContain('### Actions')
    expect(body).toContain('more failing gate(s) in the full report')
  })

  it('clips a long title', () => {
    const t = postmortemTitle(report({ version: 'v'.repeat(400) }))
    expect(t.length).toBeLessThanOrEqual(256)
  })

  it('passes title and body through the redactor', async () => {
    const redact = createRedactor([PLANTED]).redact
    await reporter({ redact }).onEvent(
      finished(
        report({
          version: `v1-${PLANTED}`,
          reason: `login with ${PLANTED} refused`
        })
      )
    )
    const [issue] = gh.state.issues
    expect(issue.title).not.toContain(PLANTED)
    expect(issue.body).not.toContain(PLANTED)
    expect(issue.body).toContain('login with *** refused')
  })
})

describe('idempotence', () => {
  it('a second report of the same run writes nothing', async () => {
    await reporter().onEvent(finished(report()))
    const before = gh.writes().length
    await reporter().onEvent(finished(report()))
    expect(gh.state.issues).toHaveLength(1)
    expect(gh.writes()).toHaveLength(before)
  })

  it('a re-run comments once on the same issue', async () => {
    await reporter().onEvent(finished(report()))
    const attempt2 = RUN.replace('/attempts/1', '/attempts/2')
    const rerun = reporter({ context: context({ runUrl: attempt2 }) })
    await rerun.onEvent(finished(report({ result: 'rollback-failed' })))
    await rerun.onEvent(finished(report({ result: 'rollback-failed' })))
    expect(gh.state.issues).toHaveLength(1)
    const comments = gh.state.commentsOn(gh.state.issues[0].number)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain(`Again in [this run](${attempt2})`)
    expect(comments[0].body).toContain('**rollback-failed** at canary 25%')
    expect(gh.problems()).toEqual([])
  })

  it('finds its issue among others and past the first page', async () => {
    for (let i = 0; i < 130; i++) {
      gh.state.seedIssue({
        title: `other ${i}`,
        body: postmortemMarker(SHA, 'production', `v0.${i}`),
        labels: ['deploy-gates', 'postmortem']
      })
    }
    const ours = gh.state.seedIssue({
      title: 'ours',
      body: `${postmortemMarker(SHA, 'staging', 'v3.1.0')}\nold body`,
      labels: ['deploy-gates', 'postmortem']
    })
    // Newer issues push ours to the second page.
    for (let i = 0; i < 120; i++) {
      gh.state.seedIssue({ title: `newer ${i}`, labels: ['deploy-gates'] })
    }
    const n = await reporter().open(report())
    expect(n).toBe(ours.number)
    expect(gh.calls('issues/create')).toEqual([])
    expect(gh.calls('issues/list-for-repo').map((r) => r.query.page)).toEqual([
      '1',
      '2'
    ])
  })

  it('opens a new issue for another version or environment, or when ours is closed', async () => {
    gh.state.seedIssue({
      title: 'closed one',
      body: postmortemMarker(SHA, 'staging', 'v3.1.0'),
      labels: ['deploy-gates', 'postmortem'],
      state: 'closed'
    })
    await reporter().onEvent(finished(report()))
    await reporter().onEvent(finished(report({ version: 'v3.1.1' })))
    await reporter().onEvent(finished(report({ environment: 'production' })))
    expect(
      gh.state.issues.filter((i) => i.state === 'open').map((i) => i.title)
    ).toEqual([
      'Rollout of v3.1.0 to staging rolled-back',
      'Rollout of v3.1.1 to staging rolled-back',
      'Rollout of v3.1.0 to production rolled-back'
    ])
  })
})

describe('when GitHub says no', () => {
  it('a read-only token warns once, naming the permission', async () => {
    gh.readOnly = true
    gh.failNext(
      faults.notAccessible({
        pathPattern: 'issues/list-for-repo',
        permission: 'issues=read'
      })
    )
    const r = reporter()
    await expect(r.onEvent(finished(report()))).resolves.toBeUndefined()
    await r.onEvent(finished(report({ version: 'v9' })))
    expect(gh.state.issues).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^postmortem issue: .*'permissions: issues: write'/
    )
  })

  it('does not create when the issues cannot be listed (no duplicates)', async () => {
    gh.failNext(
      faults.serverError({ pathPattern: 'issues/list-for-repo', times: 10 })
    )
    await reporter().onEvent(finished(report()))
    expect(gh.calls('issues/create')).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^postmortem issue: GitHub API call failed \(500\)/
    )
  })

  it('a failed create is a warning, not an error', async () => {
    gh.failNext(faults.serverError({ pathPattern: 'issues/create' }))
    await expect(reporter().open(report())).resolves.toBeUndefined()
    // Creates are never retried blindly.
    expect(gh.calls('issues/create')).toHaveLength(1)
    expect(warnings).toHaveLength(1)
  })
})
