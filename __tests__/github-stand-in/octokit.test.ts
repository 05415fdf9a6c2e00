/**
 * Octokit against the GitHub stand-in: every call deploy-gates makes (check
 * runs, a sticky comment, deployments and statuses, PR lookups) must pass
 * validation against GitHub's OpenAPI description with no violations, and
 * the stand-in's answers must match the response schemas.
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
import { getOctokit } from '@actions/github'
import {
  startGitHubStandIn,
  tokenFingerprint
} from '../helpers/github/index.js'
import type { GitHubStandIn } from '../helpers/github/index.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const OTHER_SHA = 'fedcba9876543210fedcba9876543210fedcba98'
const owner = 'acme'
const repo = 'app'

let gh: GitHubStandIn
let octokit: Octokit
// Octokit logs every 4xx; the tests assert on the errors themselves.
const quiet = {
  debug: (): void => {},
  info: (): void => {},
  warn: (): void => {},
  error: (): void => {}
}

beforeAll(async () => {
  gh = await startGitHubStandIn()
  octokit = new Octokit({
    baseUrl: gh.url,
    auth: 'x',
    log: quiet,
    request: { retries: 0 }
  })
})

afterAll(async () => {
  await gh.close()
})

beforeEach(() => {
  gh.reset()
})

describe('check runs', () => {
  it('creates, updates, gets and lists by name with no violations', async () => {
    gh.state.seedCheckRun({
      head_sha: SHA,
      name: 'build',
      conclusion: 'success'
    })
    const created = await octokit.rest.checks.create({
      owner,
      repo,
      name: 'deploy-gates / staging',
      head_sha: SHA,
      status: 'in_progress',
      external_id: 'rollout-42',
      details_url: 'https://example.test/run/1',
      output: { title: 'Gates', summary: 'checks: running' }
    })
    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({
      name: 'deploy-gates / staging',
      head_sha: SHA,
      status: 'in_progress',
      conclusion: null,
      external_id: 'rollout-42',
      app: { slug: 'github-actions' }
    })
    expect(created.data.url).toBe(
      `${gh.url}/repos/acme/app/check-runs/${created.data.id}`
    )

    const updated = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: {
        title: 'Gates',
        summary: 'canary failed',
        text: 'error rate 9%',
        annotations: [
          {
            path: '.github/deploy-gates.yml',
            start_line: 3,
            end_line: 3,
            annotation_level: 'failure',
            message: 'bad threshold'
          }
        ]
      }
    })
    expect(updated.data.status).toBe('completed')
    expect(updated.data.conclusion).toBe('failure')
    expect(updated.data.completed_at).toMatch(/Z$/)
    expect(updated.data.output.annotations_count).toBe(1)

    const got = await octokit.rest.checks.get({
      owner,
      repo,
      check_run_id: created.data.id
    })
    expect(got.data.output.text).toBe('error rate 9%')
    expect(got.data.external_id).toBe('rollout-42')

    const mine = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: SHA,
      check_name: 'deploy-gates / staging'
    })
    expect(mine.data.total_count).toBe(1)
    expect(mine.data.check_runs[0].id).toBe(created.data.id)

    const all = await octokit.rest.checks.listForRef({ owner, repo, ref: SHA })
    expect(all.data.check_runs.map((r) => r.name).sort()).toEqual([
      'build',
      'deploy-gates / staging'
    ])
    expect(gh.state.checkRuns[1].updates).toBe(1)
    expect(gh.problems()).toEqual([])
  })

  it("keeps only each name's newest run unless filter is 'all'", async () => {
    gh.state.seedCheckRun({ head_sha: SHA, name: 'e2e', conclusion: 'failure' })
    gh.state.seedCheckRun({ head_sha: SHA, name: 'e2e', status: 'in_progress' })
    const latest = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: SHA
    })
    expect(latest.data.check_runs.map((r) => r.status)).toEqual(['in_progress'])
    const every = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: SHA,
      filter: 'all'
    })
    expect(every.data.total_count).toBe(2)
    expect(gh.problems()).toEqual([])
  })

  it('resolves a branch name to its commit', async () => {
    gh.state.setRef('main', SHA)
    gh.state.seedCheckRun({
      head_sha: SHA,
      name: 'build',
      conclusion: 'success'
    })
    const runs = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: 'main'
    })
    expect(runs.data.check_runs[0].head_sha).toBe(SHA)
    expect(gh.requests[0].params.ref).toBe('main')
    expect(gh.problems()).toEqual([])
  })
})

describe('sticky PR comment', () => {
  const MARKER = '<!-- deploy-gates:staging -->'

  async function upsert(body: string): Promise<number> {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: 7,
      per_page: 100
    })
    const mine = comments.find((c) => c.body?.includes(MARKER))
    if (mine) {
      await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: mine.id,
        body: `${MARKER}\n${body}`
      })
      return mine.id
    }
    const made = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: 7,
      body: `${MARKER}\n${body}`
    })
    return made.data.id
  }

  it('creates once, then updates the same comment', async () => {
    gh.state.seedPullRequest({ number: 7, head_sha: SHA })
    gh.state.seedComment({ issue_number: 7, body: 'LGTM', user: 'octocat' })
    const first = await upsert('v1 promoted')
    const second = await upsert('v2 rolled back')
    expect(second).toBe(first)
    const comments = gh.state.commentsOn(7)
    expect(comments).toHaveLength(2)
    expect(comments[1]).toMatchObject({
      body: `${MARKER}\nv2 rolled back`,
      user: { login: 'github-actions[bot]' }
    })
    expect(gh.calls('issues/create-comment')).toHaveLength(1)
    expect(gh.calls('issues/update-comment')).toHaveLength(1)
    const got = await octokit.rest.issues.getComment({
      owner,
      repo,
      comment_id: first
    })
    expect(got.data.html_url).toBe(
      `https://github.com/acme/app/pull/7#issuecomment-${first}`
    )
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: first })
    expect(gh.state.commentsOn(7)).toHaveLength(1)
    expect(gh.problems()).toEqual([])
  })

  it('answers 404 for a comment on an issue that does not exist', async () => {
    await expect(
      octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: 99,
        body: 'x'
      })
    ).rejects.toMatchObject({ status: 404 })
    expect(gh.violations).toEqual([])
  })

  it('paginates with GitHub Link headers', async () => {
    gh.state.seedPullRequest({ number: 7, head_sha: SHA })
    for (let i = 1; i <= 5; i++) {
      gh.state.seedComment({ issue_number: 7, body: `c${i}`, user: 'octocat' })
    }
    const page2 = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: 7,
      per_page: 2,
      page: 2
    })
    expect(page2.data.map((c) => c.body)).toEqual(['c3', 'c4'])
    const base = `${gh.url}/repos/acme/app/issues/7/comments`
    expect(page2.headers.link).toBe(
      [
        `<${base}?per_page=2&page=1>; rel="prev"`,
        `<${base}?per_page=2&page=3>; rel="next"`,
        `<${base}?per_page=2&page=3>; rel="last"`,
        `<${base}?per_page=2&page=1>; rel="first"`
      ].join(', ')
    )
    gh.reset()
    gh.state.seedPullRequest({ number: 7, head_sha: SHA })
    for (let i = 1; i <= 5; i++) {
      gh.state.seedComment({ issue_number: 7, body: `c${i}`, user: 'octocat' })
    }
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: 7,
      per_page: 2
    })
    expect(all.map((c) => c.body)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5'])
    expect(gh.calls('issues/list-comments').map((r) => r.query.page)).toEqual([
      undefined,
      '2',
      '3'
    ])
    expect(gh.requests[2].response).toHaveLength(1)
    expect(gh.problems()).toEqual([])
  })
})

describe('deployments', () => {
  it('creates deployments and statuses and lists them by environment', async () => {
    const previous = gh.state.seedDeployment({
      sha: OTHER_SHA,
      environment: 'staging',
      statuses: ['in_progress', 'success']
    })
    const made = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: SHA,
      environment: 'staging',
      payload: { version: 'v2', previous: 'v1' },
      auto_merge: false,
      required_contexts: [],
      description: 'deploy-gates v2'
    })
    expect(made.status).toBe(201)
    if (made.status !== 201) return
    expect(made.data).toMatchObject({
      sha: SHA,
      environment: 'staging',
      payload: { version: 'v2', previous: 'v1' },
      production_environment: false
    })
    await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: SHA,
      environment: 'production',
      required_contexts: []
    })
    const status = await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: made.data.id,
      state: 'success',
      log_url: 'https://github.com/acme/app/actions/runs/1',
      environment_url: 'https://staging.example.test',
      description: 'all gates passed'
    })
    expect(status.data).toMatchObject({
      state: 'success',
      log_url: 'https://github.com/acme/app/actions/runs/1',
      target_url: 'https://github.com/acme/app/actions/runs/1',
      environment_url: 'https://staging.example.test',
      description: 'all gates passed',
      environment: 'staging'
    })

    const staging = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      environment: 'staging'
    })
    expect(staging.data.map((d) => d.id)).toEqual([made.data.id, previous.id])
    // auto_inactive: the previous successful staging deployment went inactive.
    const old = await octokit.rest.repos.listDeploymentStatuses({
      owner,
      repo,
      deployment_id: previous.id
    })
    expect(old.data.map((s) => s.state)).toEqual([
      'inactive',
      'success',
      'in_progress'
    ])
    const bySha = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      sha: SHA
    })
    expect(bySha.data).toHaveLength(2)
    expect(gh.problems()).toEqual([])
  })

  it('keeps production deployments successful (rollback targets)', async () => {
    const v1 = gh.state.seedDeployment({
      sha: OTHER_SHA,
      statuses: ['success']
    })
    const v2 = gh.state.seedDeployment({ sha: SHA })
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: v2.id,
      state: 'success',
      auto_inactive: true
    })
    expect(gh.state.latestStatus(v1.id)?.state).toBe('success')
    expect(gh.problems()).toEqual([])
  })

  it('answers 409 when required contexts are not green', async () => {
    gh.state.seedStatus({ sha: SHA, context: 'ci/test', state: 'failure' })
    await expect(
      octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref: SHA,
        required_contexts: ['ci/test']
      })
    ).rejects.toMatchObject({ status: 409 })
    expect(gh.violations).toEqual([])
  })
})

describe('pull requests, statuses, issues, repository', () => {
  it('finds the PR of a commit and its reviews', async () => {
    gh.state.seedPullRequest({
      number: 12,
      head_sha: OTHER_SHA,
      merged: true,
      merge_commit_sha: SHA,
      title: 'Add canary'
    })
    gh.state.seedReview({ pull_number: 12, state: 'APPROVED', user: 'lead' })
    const prs = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: SHA
    })
    expect(prs.data.map((p) => [p.number, p.title])).toEqual([
      [12, 'Add canary']
    ])
    const reviews = await octokit.rest.pulls.listReviews({
      owner,
      repo,
      pull_number: 12
    })
    expect(reviews.data.map((r) => [r.user?.login, r.state])).toEqual([
      ['lead', 'APPROVED']
    ])
    const pr = await octokit.rest.pulls.get({ owner, repo, pull_number: 12 })
    expect(pr.data.merged).toBe(true)
    const open = await octokit.rest.pulls.list({ owner, repo })
    expect(open.data).toEqual([])
    expect(gh.problems()).toEqual([])
  })

  it('reports commit statuses, combined', async () => {
    gh.state.seedStatus({ sha: SHA, context: 'ci/test', state: 'pending' })
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: SHA,
      state: 'success',
      context: 'ci/test',
      description: 'ok'
    })
    const combined = await octokit.rest.repos.getCombinedStatusForRef({
      owner,
      repo,
      ref: SHA
    })
    expect(combined.data.state).toBe('success')
    expect(combined.data.total_count).toBe(1)
    const list = await octokit.rest.repos.listCommitStatusesForRef({
      owner,
      repo,
      ref: SHA
    })
    expect(list.data.map((s) => s.state)).toEqual(['success', 'pending'])
    expect(gh.problems()).toEqual([])
  })

  it('opens a postmortem issue', async () => {
    gh.state.seedPullRequest({ number: 1, head_sha: SHA })
    const made = await octokit.rest.issues.create({
      owner,
      repo,
      title: 'Rollback of v2 in production',
      body: '## Timeline',
      labels: ['incident']
    })
    expect(made.data.number).toBe(2)
    expect(made.data.labels).toMatchObject([{ name: 'incident' }])
    expect(gh.state.issues[0].title).toBe('Rollback of v2 in production')
    expect(gh.problems()).toEqual([])
  })

  it('answers the repository and the rate limit', async () => {
    const r = await octokit.rest.repos.get({ owner, repo })
    expect(r.data.full_name).toBe('acme/app')
    expect(r.data.default_branch).toBe('main')
    const rate = await octokit.rest.rateLimit.get()
    expect(rate.data.resources.core.used).toBe(1)
    expect(rate.headers['x-ratelimit-remaining']).toBe('4999')
    expect(gh.problems()).toEqual([])
  })

  it('answers 404 for a repository it does not know', async () => {
    await expect(
      octokit.rest.repos.get({ owner: 'someone', repo: 'else' })
    ).rejects.toMatchObject({ status: 404 })
    expect(gh.violations).toEqual([])
  })
})

describe('auth and clients', () => {
  it('records the scheme and a fingerprint, never the token', async () => {
    const secret = 'ghs_supersecretvalue123'
    const client = new Octokit({
      baseUrl: gh.url,
      auth: secret,
      request: { retries: 0 }
    })
    await client.rest.repos.get({ owner, repo })
    expect(gh.requests[0].auth).toEqual({
      scheme: 'token',
      fingerprint: tokenFingerprint(secret)
    })
    expect(JSON.stringify(gh.requests)).not.toContain(secret)
    expect(gh.requests[0].headers.authorization).toBeUndefined()
  })

  it("works with @actions/github's getOctokit", async () => {
    const client = getOctokit('x', { baseUrl: gh.url })
    const run = await client.rest.checks.create({
      owner,
      repo,
      name: 'deploy-gates / production',
      head_sha: SHA
    })
    expect(run.data.status).toBe('queued')
    expect(gh.problems()).toEqual([])
  })

  it('serves a GitHub Enterprise style prefix', async () => {
    const ghes = await startGitHubStandIn({ pathPrefix: '/api/v3' })
    try {
      expect(ghes.url).toMatch(/\/api\/v3$/)
      const client = new Octokit({ baseUrl: ghes.url, auth: 'x' })
      const r = await client.rest.repos.get({ owner, repo })
      expect(r.data.url).toBe(`${ghes.url}/repos/acme/app`)
      expect(ghes.problems()).toEqual([])
    } finally {
      await ghes.close()
    }
  })
})
