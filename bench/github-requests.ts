/**
 * GitHub API requests of a full rollout, by bake length: the same wiring as
 * the action (rollback target, the one-rollout-per-environment check, the
 * check run, the PR comment, the deployment and its statuses, deployment
 * metrics) against the OpenAPI-checked GitHub stand-in, with the real engine
 * and probes on loopback, and an injected clock so 10-minute bakes take
 * seconds. The rollout is deploy, health and a 10 → 25 → 50 → 100 canary,
 * five looks a second, on a pull request.
 *
 *   node --import ./scripts/ts-hooks.mjs --no-warnings bench/github-requests.ts [1s 40s 10m 1h]
 *
 * Prints one line per bake length: requests, writes, check-run updates,
 * and the requests by operation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRouter, startService } from '../demo/service.js'
import { parseConfig, formatConfigError } from '../src/config/load.js'
import { parseDuration } from '../src/config/units.js'
import { githubSurfaces } from '../src/github/surfaces.js'
import { systemClock, type Clock } from '../src/kernel/clock.js'
import { realIo } from '../src/rollout/real-io.js'
import { runRollout } from '../src/rollout/run.js'
import { fileStateStore } from '../src/rollout/state.js'
import { startGitHubStandIn } from '../__tests__/helpers/github/index.js'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

/** Time moves only when the rollout sleeps. */
class InjectedClock implements Clock {
  private t = 0
  constructor(private readonly epoch: number) {}
  now(): number {
    return this.epoch + this.t
  }
  monotonic(): number {
    return this.t
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error)
    this.t += Math.max(0, ms)
    return new Promise((resolve) => setImmediate(resolve))
  }
}

async function main(): Promise<void> {
  const bakes = process.argv.slice(2).length
    ? process.argv.slice(2)
    : ['1s', '40s', '10m']
  const epoch = Date.now()
  let clock = new InjectedClock(epoch)
  const gh = await startGitHubStandIn({
    repository: 'acme/app',
    now: () => clock.now()
  })
  const stable = await startService('v1', { errorRate: 0, latencyMs: 2 }, 3)
  const canary = await startService('v2', { errorRate: 0, latencyMs: 2 }, 4)
  const workspace = mkdtempSync(join(tmpdir(), 'dg-bench-gh-'))
  const router = await startRouter(stable, canary, join(workspace, 'weight'))
  const eventFile = join(workspace, 'event.json')
  writeFileSync(eventFile, '{}')
  try {
    for (const bake of bakes) {
      const ms = parseDuration(bake)
      if (!ms.ok) throw new Error(ms.error)
      clock = new InjectedClock(epoch)
      gh.reset()
      gh.state.seedPullRequest({ number: 12, head_sha: SHA })
      gh.state.seedDeployment({
        sha: '9999999999999999999999999999999999999999',
        environment: 'staging',
        payload: {
          tool: 'deploy-gates',
          service: 'matches-api',
          version: 'v1'
        },
        statuses: ['in_progress', 'success']
      })
      const loaded = parseConfig(
        `version: 1
service: matches-api
environment: staging
vars:
  base: ${router.url}
probes:
  health:
    http: { url: '\${vars.base}/health' }
  api:
    http: { url: '\${vars.base}/api/matches/m1' }
gates:
  deploy:
    run: 'true'
  health:
    probes: [health]
  canary:
    traffic:
      run: 'true'
    steps:
${[10, 25, 50, 100].map((w) => `      - { weight: ${w}, bake: ${bake} }`).join('\n')}
    analysis:
      interval: 200ms
      min-samples: 5
      tracks:
        canary: { base: ${canary.url} }
        baseline: { base: ${stable.url} }
      probes: [api]
      metrics:
        error-rate: { fail: '> 20%' }
rollback:
  run: 'true'
report:
  comment: true
  checks: overall
`,
        'bench.yml'
      )
      if (!loaded.ok) {
        throw new Error(loaded.errors.map(formatConfigError).join('\n'))
      }
      const config = loaded.config
      const warnings: string[] = []
      const surfaces = githubSurfaces({
        token: 'ghs_bench',
        context: {
          owner: 'acme',
          repo: 'app',
          sha: SHA,
          ref: 'feature',
          eventName: 'pull_request',
          pullNumber: 12,
          fork: false,
          serverUrl: 'https://github.com',
          apiUrl: gh.url,
          runUrl: 'https://github.com/acme/app/actions/runs/1/attempts/1'
        },
        config,
        version: 'v2',
        warn: (m) => void warnings.push(m)
      })
      const previousVersion = await surfaces.previousVersion()
      const refused = await surfaces.acquire(
        new AbortController().signal,
        () => undefined
      )
      if (refused) throw new Error(refused)
      const values = {
        version: 'v2',
        ...(previousVersion ? { previousVersion } : {}),
        sha: SHA,
        environment: 'staging',
        service: 'matches-api'
      }
      const dir = mkdtempSync(join(workspace, 'run-'))
      const report = await runRollout(
        {
          config,
          gate: 'all',
          values,
          dryRun: false,
          state: surfaces.stateStore(fileStateStore(join(dir, 'state.json')), {
            version: 1,
            service: 'matches-api',
            environment: 'staging',
            rolloutVersion: 'v2',
            sha: SHA,
            startedAt: clock.now(),
            rollbackAttempts: 0
          }),
          signal: new AbortController().signal,
          preflight: surfaces.preflight
        },
        {
          ...realIo({
            workspace: dir,
            env: process.env,
            reporters: surfaces.reporters,
            warn: (m) => void warnings.push(m)
          }),
          clock,
          probeClock: systemClock
        }
      )
      await surfaces.flush(60_000)
      await surfaces.metrics()
      const byOp = new Map<string, number>()
      for (const q of gh.requests) {
        byOp.set(
          q.operationId ?? '?',
          (byOp.get(q.operationId ?? '?') ?? 0) + 1
        )
      }
      console.log(
        `bake ${bake}: ${report.result}, ${gh.requests.length} requests (counted by the client: ${surfaces.requests()}), ${gh.writes().length} writes, ${gh.calls('checks/update').length} check-run updates; problems ${gh.problems().length}, warnings ${warnings.length}`
      )
      console.log(`  ${[...byOp].map(([op, n]) => `${op} ${n}`).join(', ')}`)
    }
  } finally {
    await router.close()
    await canary.close()
    await stable.close()
    await gh.close()
  }
}

await main()
