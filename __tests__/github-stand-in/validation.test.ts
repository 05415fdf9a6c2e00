/**
 * The stand-in refuses what GitHub would refuse and says why: invalid
 * bodies, unknown routes and parameters, missing auth. Each refusal is a
 * recorded violation naming the operation; the stand-in's own invalid
 * answers land in standInErrors instead.
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
import { startGitHubStandIn } from '../helpers/github/index.js'
import type { CheckStatus, GitHubStandIn } from '../helpers/github/index.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const owner = 'acme'
const repo = 'app'
const quiet = {
  debug: (): void => {},
  info: (): void => {},
  warn: (): void => {},
  error: (): void => {}
}

let gh: GitHubStandIn
let octokit: Octokit

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

async function raw(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {}
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${gh.url}${path}`, {
    method,
    body: init.body,
    headers: { authorization: 'token x', ...init.headers },
    signal: AbortSignal.timeout(3000)
  })
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown>
  }
}

describe('request bodies', () => {
  it("refuses a check run with status 'bogus'", async () => {
    const call = octokit.rest.checks.create({
      owner,
      repo,
      name: 'deploy-gates / staging',
      head_sha: SHA,
      // @ts-expect-error: deliberately not one of GitHub's statuses
      status: 'bogus'
    })
    await expect(call).rejects.toMatchObject({ status: 422 })
    expect(gh.violations).toEqual([
      {
        seq: 1,
        method: 'POST',
        path: '/repos/acme/app/check-runs',
        operationId: 'checks/create',
        message:
          "checks/create: body/status must be one of 'queued', 'in_progress', 'completed' (got 'bogus')"
      }
    ])
    expect(gh.state.checkRuns).toEqual([])
  })

  it('refuses a misspelt field GitHub would silently ignore', async () => {
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        owner,
        repo,
        name: 'x',
        head_sha: SHA,
        detials_url: 'https://example.test'
      })
    ).rejects.toMatchObject({ status: 422 })
    expect(gh.problems()).toEqual([
      "POST /repos/acme/app/check-runs: checks/create: body has unknown property 'detials_url'"
    ])
  })

  it('refuses completing a check run without a conclusion', async () => {
    const run = gh.state.seedCheckRun({
      head_sha: SHA,
      name: 'deploy-gates / staging',
      app: { slug: 'github-actions' }
    })
    await expect(
      octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: run.id,
        status: 'completed'
      })
    ).rejects.toMatchObject({ status: 422 })
    expect(gh.violations[0].message).toContain(
      "checks/update: body must have required property 'conclusion'"
    )
    await expect(
      octokit.rest.checks.create({
        owner,
        repo,
        name: 'x',
        head_sha: SHA,
        status: 'completed'
      })
    ).rejects.toMatchObject({ status: 422 })
    expect(gh.violations[1].message).toBe(
      "checks/create: 'conclusion' is required when status is 'completed' or completed_at is set"
    )
  })

  it('refuses a comment longer than GitHub allows', async () => {
    gh.state.seedPullRequest({ number: 3, head_sha: SHA })
    await expect(
      octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: 3,
        body: 'x'.repeat(65537)
      })
    ).rejects.toMatchObject({ status: 422 })
    expect(gh.violations.map((v) => v.message)).toEqual([
      'issues/create-comment: body is too long (maximum is 65536 characters, got 65537)'
    ])
  })

  it('refuses a deployment status description over 140 characters', async () => {
    const d = gh.state.seedDeployment({ sha: SHA })
    await expect(
      octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: d.id,
        state: 'failure',
        description: 'd'.repeat(141)
      })
    ).rejects.toMatchObject({ status: 422 })
    expect(gh.violations[0].message).toMatch(
      /^repos\/create-deployment-status: description is too long/
    )
  })

  it('refuses bad JSON and a missing required field', async () => {
    const bad = await raw('POST', '/repos/acme/app/deployments', {
      body: '{"ref":',
      headers: { 'content-type': 'application/json' }
    })
    expect(bad.status).toBe(400)
    expect(bad.json.message).toBe('Problems parsing JSON')
    const missing = await raw('POST', '/repos/acme/app/deployments', {
      body: '{"environment":"staging"}',
      headers: { 'content-type': 'application/json' }
    })
    expect(missing.status).toBe(422)
    expect(gh.violations.map((v) => v.message)).toEqual([
      'repos/create-deployment: body is not valid JSON',
      "repos/create-deployment: body must have required property 'ref'"
    ])
  })
})

describe('routes and parameters', () => {
  it('answers 404 with a violation for an unknown route', async () => {
    const r = await raw('GET', '/repos/acme/app/deploy-gates')
    expect(r.status).toBe(404)
    expect(gh.problems()).toEqual([
      'GET /repos/acme/app/deploy-gates: no GitHub operation for GET /repos/acme/app/deploy-gates'
    ])
  })

  it('answers 404 with a violation for a method the path does not have', async () => {
    const r = await raw('PUT', '/repos/acme/app/check-runs/1')
    expect(r.status).toBe(404)
    expect(gh.violations[0].message).toBe(
      'PUT is not an operation of /repos/{owner}/{repo}/check-runs/{check_run_id} (GitHub has PATCH, GET)'
    )
  })

  it('checks path and query parameter types and names', async () => {
    expect((await raw('GET', '/repos/acme/app/check-runs/abc')).status).toBe(
      404
    )
    expect(
      (
        await raw(
          'GET',
          `/repos/acme/app/commits/${SHA}/check-runs?filter=newest`
        )
      ).status
    ).toBe(422)
    expect(
      (await raw('GET', `/repos/acme/app/commits/${SHA}/check-runs?name=x`))
        .status
    ).toBe(422)
    expect(gh.violations.map((v) => v.message)).toEqual([
      "checks/get: path parameter 'check_run_id' must be an integer (got 'abc')",
      "checks/list-for-ref: query parameter 'filter' must be one of 'latest', 'all' (got 'newest')",
      "checks/list-for-ref: unknown query parameter 'name' (declared: check_name, status, filter, per_page, page, app_id)"
    ])
  })

  it('prefers a literal segment over a template', async () => {
    // /issues/comments is the repository's comment list, not issue 'comments'
    // (which would be a path parameter violation).
    const r = await raw('GET', '/repos/acme/app/issues/comments')
    expect(r.status).toBe(501)
    expect(gh.requests[0]).toMatchObject({
      operationId: 'issues/list-comments-for-repo',
      template: '/repos/{owner}/{repo}/issues/comments'
    })
    expect(gh.violations).toEqual([])
    const one = await raw('GET', '/repos/acme/app/issues/9')
    expect(one.status).toBe(404)
    expect(gh.requests[1].operationId).toBe('issues/get')
    expect(gh.violations).toEqual([])
  })

  it('decodes an encoded ref into one path parameter', async () => {
    gh.state.setRef('release/1.2', SHA)
    const r = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: 'release/1.2'
    })
    expect(r.data.total_count).toBe(0)
    expect(gh.requests[0].params.ref).toBe('release/1.2')
    expect(gh.problems()).toEqual([])
  })
})

describe('auth', () => {
  it('answers 401 with a violation without a token', async () => {
    const res = await fetch(`${gh.url}/repos/acme/app`, {
      signal: AbortSignal.timeout(3000)
    })
    expect(res.status).toBe(401)
    expect(gh.violations[0].message).toBe(
      'no authorization header (expected "token X" or "Bearer X")'
    )
  })

  it('accepts Bearer and rejects tokens outside an allow-list', async () => {
    const only = await startGitHubStandIn({ tokens: ['good'] })
    try {
      const ok = await fetch(`${only.url}/repos/acme/app`, {
        headers: { authorization: 'Bearer good' },
        signal: AbortSignal.timeout(3000)
      })
      expect(ok.status).toBe(200)
      const bad = await fetch(`${only.url}/repos/acme/app`, {
        headers: { authorization: 'token wrong' },
        signal: AbortSignal.timeout(3000)
      })
      expect(bad.status).toBe(401)
      expect(((await bad.json()) as { message: string }).message).toBe(
        'Bad credentials'
      )
      expect(only.requests.map((r) => r.auth?.scheme)).toEqual([
        'bearer',
        'token'
      ])
      expect(only.problems()).toEqual([])
    } finally {
      await only.close()
    }
  })
})

describe('keeping the stand-in honest', () => {
  it('records its own answers that break the response schema', async () => {
    const run = gh.state.seedCheckRun({ head_sha: SHA, name: 'ci' })
    run.status = 'bogus' as CheckStatus
    await octokit.rest.checks.get({ owner, repo, check_run_id: run.id })
    expect(gh.violations).toEqual([])
    expect(gh.standInErrors).toHaveLength(1)
    expect(gh.standInErrors[0]).toMatch(
      /^checks\/get: response 200 body\/status must be one of 'queued'.* \(got 'bogus'\)/
    )
  })

  it('answers 501 for operations it does not implement', async () => {
    await expect(
      octokit.rest.repos.listBranches({ owner, repo })
    ).rejects.toMatchObject({ status: 501 })
    expect(gh.violations).toEqual([])
    expect(gh.standInErrors).toEqual([
      'stand-in does not implement repos/list-branches (GET /repos/{owner}/{repo}/branches)'
    ])
  })
})
