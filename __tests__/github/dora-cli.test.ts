/**
 * `deploy-gates metrics` against the GitHub API stand-in (every request
 * checked against GitHub's OpenAPI description): the API URL and token come
 * from the environment as on a runner, the history is read page by page,
 * and usage errors are one line with exit 2.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { runCli } from '../../src/cli.js'
import {
  faults,
  startGitHubStandIn,
  tokenFingerprint,
  type GitHubStandIn
} from '../helpers/github/index.js'

const H = 3_600_000
const TOKEN = 'ghs_metricsTokenValue123'
let gh: GitHubStandIn
const now = Date.now()
let clock = now

beforeAll(async () => {
  gh = await startGitHubStandIn({ now: () => clock, tokens: [TOKEN] })
})

afterAll(async () => {
  await gh.close()
})

beforeEach(() => {
  gh.reset()
})

async function metrics(
  argv: string[],
  env: Record<string, string> = {}
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const saved = { ...process.env }
  // The command reads the runner's variables, as on a runner.
  delete process.env.GITHUB_TOKEN
  delete process.env.GH_TOKEN
  delete process.env.GITHUB_REPOSITORY
  Object.assign(process.env, { GITHUB_API_URL: gh.url, ...env })
  try {
    const code = await runCli(['metrics', ...argv], {
      out: (t) => {
        out += t
      },
      err: (t) => {
        err += t
      }
    })
    return { code, out, err }
  } finally {
    process.env = saved
  }
}

/** `n` deployments to staging, one an hour, oldest first; every 4th fails. */
function seed(n: number): void {
  for (let i = n - 1; i >= 0; i--) {
    clock = now - (i + 1) * H
    const sha = i.toString(16).padStart(40, 'a')
    // Committed 30 minutes before its deployment.
    gh.state.addCommit(sha, clock - 30 * 60_000)
    const d = gh.state.seedDeployment({ sha, environment: 'staging' })
    clock += 60_000
    gh.state.addDeploymentStatus(d, {
      state: i % 4 === 0 ? 'failure' : 'success'
    })
  }
  clock = now
}

describe('deploy-gates metrics', () => {
  it('reads more than 100 deployments and prints JSON', async () => {
    seed(140)
    const r = await metrics(['--env', 'staging', '--json'], {
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: 'acme/app'
    })
    expect(r.err).not.toContain('warning')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out) as Record<string, unknown>
    expect(json).toMatchObject({
      environment: 'staging',
      days: 30,
      deployments: 140,
      successful: 105,
      failed: 35,
      finished: 140,
      changeFailureRate: 0.25,
      // 30 minutes to the deployment, one more to its success; the newest
      // 20 successful commits are looked up.
      medianLeadTimeSeconds: 31 * 60,
      leadTimes: 20,
      truncated: false
    })
    const pages = gh.calls('repos/list-deployments')
    expect(pages.map((p) => p.query.page)).toEqual(['1', '2'])
    expect(gh.calls('repos/list-deployment-statuses')).toHaveLength(140)
    // The token went in the header, and nowhere in what was printed.
    expect(pages[0].auth?.fingerprint).toBe(tokenFingerprint(TOKEN))
    expect(r.out + r.err).not.toContain(TOKEN)
    expect(r.err).toContain('140 deployments in ')
    expect(gh.problems()).toEqual([])
  })

  it('prints the table; --repo and --token override the environment', async () => {
    seed(3)
    const r = await metrics(
      ['--env=staging', '--repo', 'acme/app', '--token', TOKEN, '--days', '7'],
      { GITHUB_TOKEN: 'ghs_wrong', GITHUB_REPOSITORY: 'other/repo' }
    )
    expect(r.code).toBe(0)
    expect(r.out).toContain('| staging, last 7 days | value |')
    expect(r.out).toContain('| Change failure rate | 33.3% (1 of 3 finished) |')
  })

  it('exits 1 with the warning when the history cannot be read', async () => {
    gh.failNext(
      faults.notAccessible({
        pathPattern: 'repos/list-deployments',
        permission: 'deployments=read'
      })
    )
    const r = await metrics(['--env', 'staging'], {
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: 'acme/app'
    })
    expect(r.code).toBe(1)
    expect(r.err).toContain('deployments: read')
    expect(r.err).toContain(
      "could not read the deployment history of 'staging'"
    )
    expect(r.out).toBe('')
  })

  it('refuses bad usage with one line and exit 2', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [[], { GITHUB_TOKEN: TOKEN }, "missing '--env'"],
      [
        ['--env', 'staging'],
        { GITHUB_TOKEN: TOKEN },
        "missing '--repo OWNER/NAME' (or GITHUB_REPOSITORY)"
      ],
      [
        ['--env', 'staging', '--repo', 'acme'],
        { GITHUB_TOKEN: TOKEN },
        "--repo expects OWNER/NAME, got 'acme'"
      ],
      [
        ['--env', 'staging', '--repo', 'acme/app'],
        {},
        'needs a token: set GITHUB_TOKEN'
      ],
      [
        ['--env', 'staging', '--days', '0'],
        {},
        "--days expects a whole number 1-365, got '0'"
      ],
      [['--env', 'staging', '--bogus'], {}, "unknown option '--bogus'"]
    ]
    for (const [argv, env, message] of cases) {
      const r = await metrics(argv, env)
      expect(r.code).toBe(2)
      expect(r.err.split('\n')[0]).toContain(message)
    }
    expect(gh.requests).toHaveLength(0)
  })

  it('shows its help', async () => {
    const r = await metrics(['--help'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('usage: deploy-gates metrics --env ENV')
  })
})
