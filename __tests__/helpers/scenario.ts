/**
 * A rollout scenario on loopback: a stable and a canary version of the demo
 * service behind the weighted router, the real engine with real commands and
 * probes, and a fake clock so bakes of minutes take a second or two.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startRouter,
  startService,
  type Behaviour,
  type DemoService,
  type Router
} from '../../demo/service.js'
import { formatConfigError, parseConfig } from '../../src/config/load.js'
import type { RolloutEvent, RolloutReport } from '../../src/rollout/events.js'
import type { RolloutIo } from '../../src/rollout/context.js'
import { realIo } from '../../src/rollout/real-io.js'
import { runRollout } from '../../src/rollout/run.js'
import { fileStateStore } from '../../src/rollout/state.js'
import { FakeClock } from './fake-clock.js'
import { startRunnerMonitor } from '../../src/runner/monitor.js'
import { systemClock } from '../../src/kernel/clock.js'

export interface Urls {
  router: string
  stable: string
  canary: string
}

export interface ScenarioRun {
  report: RolloutReport
  /** Lines the config's commands appended to log.txt. */
  log: string[]
  events: RolloutEvent[]
  router: Router
  stable: DemoService
  canary: DemoService
  /** The weight the traffic command left in the router's weight file. */
  weight: string
  workspace: string
  warnings: string[]
}

export interface ScenarioOptions {
  canary: Behaviour
  stable?: Behaviour
  yaml: (urls: Urls) => string
  env?: Record<string, string>
  gate?: Parameters<typeof runRollout>[0]['gate']
  step?: number
  dryRun?: boolean
  /** Adjust the I/O (e.g. a failing metric source) before the run. */
  io?: (io: RolloutIo) => RolloutIo
}

/** Runs one rollout scenario and tears the servers down afterwards. */
export async function scenario(opts: ScenarioOptions): Promise<ScenarioRun> {
  const workspace = mkdtempSync(join(tmpdir(), 'dg-scenario-'))
  const stable = await startService(
    'v1',
    opts.stable ?? { errorRate: 0, latencyMs: 10 },
    11
  )
  const canary = await startService('v2', opts.canary, 22)
  const router = await startRouter(stable, canary, join(workspace, 'weight'))
  // As in production: samples taken while this process stalled (a busy
  // machine, a jest worker next door) are set aside, not judged.
  const runner = startRunnerMonitor()
  try {
    const text = opts.yaml({
      router: router.url,
      stable: stable.url,
      canary: canary.url
    })
    const loaded = parseConfig(text, 'scenario.yml')
    if (!loaded.ok) {
      throw new Error(loaded.errors.map(formatConfigError).join('\n'))
    }
    const events: RolloutEvent[] = []
    const warnings: string[] = []
    let io: RolloutIo = {
      ...realIo({
        workspace,
        env: { ...process.env, ...opts.env },
        reporters: [{ onEvent: (e) => void events.push(e) }],
        warn: (m) => void warnings.push(m),
        runner
      }),
      clock: new FakeClock(),
      probeClock: systemClock
    }
    if (opts.io) io = opts.io(io)
    const report = await runRollout(
      {
        config: loaded.config,
        gate: opts.gate ?? 'all',
        ...(opts.step !== undefined ? { step: opts.step } : {}),
        values: {
          version: 'v2',
          previousVersion: 'v1',
          sha: '0123456789abcdef',
          environment: loaded.config.environment,
          service: loaded.config.service
        },
        dryRun: opts.dryRun ?? false,
        state: fileStateStore(join(workspace, 'state.json')),
        signal: new AbortController().signal
      },
      io
    )
    const logFile = join(workspace, 'log.txt')
    const weightFile = join(workspace, 'weight')
    return {
      report,
      log: existsSync(logFile)
        ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean)
        : [],
      events,
      router,
      stable,
      canary,
      weight: existsSync(weightFile)
        ? readFileSync(weightFile, 'utf8').trim()
        : '',
      workspace,
      warnings
    }
  } finally {
    runner.close()
    await router.close()
    await canary.close()
    await stable.close()
  }
}

/** The common config: deploy, health, a 10 → 50 → 100 canary, rollback. */
export function baseYaml(
  u: Urls,
  parts: {
    bake?: string
    metrics?: string
    extraGates?: string
    rollback?: string
    analysis?: string
  } = {}
): string {
  return `version: 1
service: matches-api
environment: staging
vars:
  base: ${u.router}
probes:
  health:
    http: { url: '\${vars.base}/health', expect: { status: 200, json: { status: ok } } }
  api:
    http: { url: '\${vars.base}/api/matches/test-match', expect: { status: 200 } }
gates:
${parts.extraGates ?? ''}  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION" >> log.txt
  health:
    probes: [health]
    within: 30s
  canary:
    traffic:
      run: echo "$DEPLOY_GATES_WEIGHT" > weight && echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt
    steps:
      - { weight: 10, bake: ${parts.bake ?? '3m'} }
      - { weight: 50, bake: ${parts.bake ?? '3m'} }
      - { weight: 100 }
    analysis:
      interval: 1s
      tracks:
        canary: { base: ${u.canary} }
        baseline: { base: ${u.stable} }
      probes: [api]
${parts.analysis ?? ''}      metrics:
${
  parts.metrics ??
  `        error-rate: { fail: '> 5%' }
        p95: { fail: '> 2x baseline' }
`
}rollback:
${
  parts.rollback ??
  `  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt
  verify: [health]
`
}`
}
