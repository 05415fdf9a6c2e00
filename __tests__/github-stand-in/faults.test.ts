/**
 * Fault injection (API down, primary and secondary rate limits, missing
 * permissions, slow answers), the fork PR read-only mode, reset(), and a
 * spawned process talking to the stand-in through GITHUB_API_URL.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { faults, startGitHubStandIn } from '../helpers/github/index.js'
import type { GitHubStandIn } from '../helpers/github/index.js'

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

function createRun(): ReturnType<typeof octokit.rest.checks.create> {
  return octokit.rest.checks.create({
    owner,
    repo,
    name: 'deploy-gates / staging',
    head_sha: SHA
  })
}

describe('failNext', () => {
  it('fails once with 500, then answers normally', async () => {
    gh.failNext({ status: 500 })
    await expect(createRun()).rejects.toMatchObject({ status: 500 })
    const ok = await createRun()
    expect(ok.status).toBe(201)
    expect(gh.requests.map((r) => [r.status, r.injected])).toEqual([
      [500, true],
      [201, false]
    ])
    expect(gh.state.checkRuns).toHaveLength(1)
    expect(gh.problems()).toEqual([])
  })

  it('matches by method, operationId, template or RegExp, for `times` requests', async () => {
    gh.failNext({ method: 'GET', pathPattern: 'checks/create', status: 500 })
    gh.failNext({ pathPattern: 'repos/get', status: 502, times: 2 })
    gh.failNext({
      pathPattern: '/repos/{owner}/{repo}/deployments',
      status: 503
    })
    gh.failNext({ pathPattern: /\/check-runs$/, status: 504 })
    await expect(octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject(
      { status: 502 }
    )
    await expect(octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject(
      { status: 502 }
    )
    expect((await octokit.rest.repos.get({ owner, repo })).status).toBe(200)
    await expect(
      octokit.rest.repos.listDeployments({ owner, repo })
    ).rejects.toMatchObject({ status: 503 })
    // The GET-only rule does not catch a POST; the RegExp one does.
    await expect(createRun()).rejects.toMatchObject({ status: 504 })
    expect((await createRun()).status).toBe(201)
  })

  it('sends a primary rate limit as GitHub does', async () => {
    gh.failNext(faults.rateLimited({ resetAt: 2_000_000_000 }))
    const err = await createRun().then(
      () => null,
      (e: unknown) => e
    )
    expect(err).toMatchObject({
      status: 403,
      response: {
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '2000000000'
        },
        data: { message: expect.stringMatching(/^API rate limit exceeded/) }
      }
    })
  })

  it('sends a secondary rate limit the throttling plugin waits out', async () => {
    gh.failNext(faults.secondaryRateLimit({ retryAfter: 1 }))
    const seen: number[] = []
    const Throttled = Octokit.plugin(retry, throttling)
    const client = new Throttled({
      baseUrl: gh.url,
      auth: 'x',
      log: quiet,
      throttle: {
        onRateLimit: () => false,
        onSecondaryRateLimit: (after: number) => {
          seen.push(after)
          return true
        }
      }
    })
    const run = await client.rest.checks.create({
      owner,
      repo,
      name: 'deploy-gates / staging',
      head_sha: SHA
    })
    expect(run.status).toBe(201)
    expect(seen).toEqual([1])
    expect(gh.requests[0]).toMatchObject({ status: 403, injected: true })
    expect(gh.requests[0].response).toMatchObject({
      message: expect.stringContaining(
        'You have exceeded a secondary rate limit'
      )
    })
    expect(gh.requests).toHaveLength(2)
    expect(gh.problems()).toEqual([])
  })

  it('sends 403 "Resource not accessible by integration" and 404', async () => {
    gh.failNext(faults.notAccessible({ permission: 'checks=write' }))
    gh.failNext(faults.notFound())
    const denied = await createRun().then(
      () => null,
      (e: unknown) => e
    )
    expect(denied).toMatchObject({
      status: 403,
      message: expect.stringContaining(
        'Resource not accessible by integration'
      ),
      response: { headers: { 'x-accepted-github-permissions': 'checks=write' } }
    })
    await expect(createRun()).rejects.toMatchObject({ status: 404 })
  })

  it('answers 502 with an HTML page', async () => {
    gh.failNext(faults.badGateway())
    const res = await fetch(`${gh.url}/repos/acme/app`, {
      headers: { authorization: 'token x' },
      signal: AbortSignal.timeout(3000)
    })
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await res.text()).toContain('Bad Gateway')
  })

  it('holds an answer back for delayMs (a client timeout fires first)', async () => {
    gh.failNext({ status: 500, delayMs: 3000 })
    await expect(
      fetch(`${gh.url}/repos/acme/app`, {
        headers: { authorization: 'token x' },
        signal: AbortSignal.timeout(100)
      })
    ).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(gh.requests[0].status).toBe(0)
  })

  it('still records a violation for an invalid request during a fault', async () => {
    gh.failNext({ status: 500 })
    await expect(
      octokit.rest.checks.create({
        owner,
        repo,
        name: 'x',
        head_sha: SHA,
        // @ts-expect-error: deliberately invalid
        conclusion: 'green'
      })
    ).rejects.toMatchObject({ status: 422 })
    expect(gh.violations).toHaveLength(1)
    // The fault is still pending for the next valid request.
    await expect(createRun()).rejects.toMatchObject({ status: 500 })
  })
})

describe('read-only token (fork PR)', () => {
  it('refuses every write with 403 and the permission it needs, reads work', async () => {
    const ro = await startGitHubStandIn({ readOnly: true })
    try {
      const client = new Octokit({
        baseUrl: ro.url,
        auth: 'x',
        log: quiet,
        request: { retries: 0 }
      })
      ro.state.seedPullRequest({ number: 4, head_sha: SHA })
      const run = client.rest.checks.create({
        owner,
        repo,
        name: 'x',
        head_sha: SHA
      })
      await expect(run).rejects.toMatchObject({
        status: 403,
        response: {
          headers: { 'x-accepted-github-permissions': 'checks=write' },
          data: { message: 'Resource not accessible by integration' }
        }
      })
      await expect(
        client.rest.issues.createComment({
          owner,
          repo,
          issue_number: 4,
          body: 'x'
        })
      ).rejects.toMatchObject({
        status: 403,
        response: {
          headers: {
            'x-accepted-github-permissions': 'issues=write; pull_requests=write'
          }
        }
      })
      const pr = await client.rest.pulls.get({ owner, repo, pull_number: 4 })
      expect(pr.status).toBe(200)
      expect(ro.state.checkRuns).toEqual([])
      expect(ro.state.comments).toEqual([])
      expect(ro.problems()).toEqual([])
      ro.readOnly = false
      expect(
        (
          await client.rest.checks.create({
            owner,
            repo,
            name: 'x',
            head_sha: SHA
          })
        ).status
      ).toBe(201)
    } finally {
      await ro.close()
    }
  })
})

describe('reset and budgets', () => {
  it('reset() empties requests, problems, faults and state in place', async () => {
    const requests = gh.requests
    const runs = gh.state.checkRuns
    await createRun()
    await fetch(`${gh.url}/nope`, { headers: { authorization: 'token x' } })
    gh.failNext({ status: 500 })
    gh.readOnly = true
    gh.reset()
    expect(gh.requests).toBe(requests)
    expect(requests).toEqual([])
    expect(runs).toEqual([])
    expect(gh.problems()).toEqual([])
    expect(gh.readOnly).toBe(false)
    expect((await createRun()).status).toBe(201)
  })

  it('counts writes and answers 403 once the primary limit is used up', async () => {
    gh.state.rateLimit.limit = 2
    await createRun()
    await octokit.rest.repos.get({ owner, repo })
    await expect(createRun()).rejects.toMatchObject({
      status: 403,
      response: { headers: { 'x-ratelimit-remaining': '0' } }
    })
    expect(gh.writes().map((r) => r.operationId)).toEqual([
      'checks/create',
      'checks/create'
    ])
  })
})

describe('a spawned process', () => {
  it('reaches the stand-in through GITHUB_API_URL', async () => {
    const script = [
      'const r = await fetch(`${process.env.GITHUB_API_URL}/repos/${process.env.GITHUB_REPOSITORY}`,',
      "  { headers: { authorization: 'token from-child' } })",
      'const body = await r.json()',
      'console.log(r.status, body.full_name)'
    ].join('\n')
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      { env: { PATH: process.env.PATH ?? '', ...gh.env() }, timeout: 5000 }
    )
    expect(stdout.trim()).toBe('200 acme/app')
    expect(gh.requests[0]).toMatchObject({
      operationId: 'repos/get',
      auth: { scheme: 'token' }
    })
    expect(gh.problems()).toEqual([])
  })
})
