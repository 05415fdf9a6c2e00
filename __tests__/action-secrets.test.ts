/**
 * Secret-leak suite: a token, a multi-line PEM key, their base64 and
 * URL-encoded forms and a `user:token@host` URL are planted in the
 * environment, request headers, URLs, probe responses and command output.
 * None of them may appear in the log, the job summary, the JSON report, the
 * check run or the PR comment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runActionAsync } from './helpers/action.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from './helpers/github/index.js'

const TOKEN = 'tok_9f8e7d6c5b4a3f2e1d0c'
const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  '-----END PRIVATE KEY-----'
].join('\n')
const SHA = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

/** Every form of the planted secrets that must never show. */
const FORBIDDEN = [
  TOKEN,
  Buffer.from(TOKEN).toString('base64'),
  encodeURIComponent(`${TOKEN}/x`),
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'hunter2pass'
]

let gh: GitHubStandIn
let leaky: Server
let port: number

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app' })
  // A service that echoes what it was sent: headers, query, and a secret.
  leaky = createServer((req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        error: 'unavailable',
        echo: { auth: req.headers.authorization, url: req.url },
        leaked: TOKEN
      })
    )
  })
  await new Promise<void>((r) => leaky.listen(0, '127.0.0.1', r))
  port = (leaky.address() as AddressInfo).port
})

afterAll(async () => {
  leaky.close()
  await gh.close()
})

describe('secrets never leak', () => {
  it('masks every planted form everywhere the rollout reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-secrets-'))
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      `version: 1
service: api
environment: staging
vars:
  base: http://127.0.0.1:${port}
probes:
  api:
    http:
      url: '\${vars.base}/api?token=\${secrets.API_TOKEN}&q=1'
      headers: { Authorization: 'Bearer \${secrets.API_TOKEN}' }
      expect: { status: 200 }
  basic:
    http:
      url: 'http://\${secrets.BASIC_USER}:\${secrets.BASIC_PASS}@127.0.0.1:${port}/basic'
      expect: { status: 200 }
gates:
  preflight:
    secrets: [API_TOKEN, SIGNING_KEY, BASIC_PASS]
  deploy:
    run: |
      echo "token $API_TOKEN"
      echo "b64 $(printf %s "$API_TOKEN" | base64)"
      echo "url https://user:$BASIC_PASS@example.com/x?access_token=$API_TOKEN"
      printf '%s\\n' "$SIGNING_KEY"
  smoke:
    probes: [api, basic]
rollback:
  run: echo "rolling back with $API_TOKEN"
`
    )
    writeFileSync(
      join(dir, 'event.json'),
      JSON.stringify({
        pull_request: { number: 5, head: { sha: SHA }, base: {} }
      })
    )
    gh.state.seedPullRequest({ number: 5, head_sha: SHA })
    const r = await runActionAsync(
      {
        gate: 'all',
        config: 'deploy-gates.yml',
        version: 'v2',
        'previous-version': 'v1',
        'github-token': 'ghs_stand_in_token_value'
      },
      {
        cwd: dir,
        env: {
          ...gh.env(),
          API_TOKEN: TOKEN,
          SIGNING_KEY: PEM,
          BASIC_USER: 'deployer',
          BASIC_PASS: 'hunter2pass',
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: join(dir, 'event.json'),
          GITHUB_RUN_ID: '7'
        }
      }
    )
    expect(r.outputs.result).toBe('rolled-back')
    const report = readFileSync(r.outputs.report, 'utf8')
    const surfaces: Record<string, string> = {
      // `::add-mask::` lines are how the runner learns what to mask; the
      // runner consumes them, they never reach the visible log.
      log: (r.stdout + r.stderr)
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
      summary: r.summary,
      outputs: JSON.stringify(r.outputs),
      report,
      comments: JSON.stringify(gh.state.comments),
      checkRuns: JSON.stringify(gh.state.checkRuns),
      deployments: JSON.stringify([
        gh.state.deployments,
        gh.state.deploymentStatuses
      ])
    }
    const leaks: string[] = []
    for (const [where, text] of Object.entries(surfaces)) {
      for (const secret of FORBIDDEN) {
        if (text.includes(secret))
          leaks.push(`${where}: ${secret.slice(0, 12)}…`)
      }
    }
    expect(leaks).toEqual([])
    // The runner masks them too, and the evidence is still readable.
    expect(r.stdout).toContain('::add-mask::')
    expect(report).toContain('503')
    expect(gh.state.comments.length).toBe(1)
  }, 60_000)
})
