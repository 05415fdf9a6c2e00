/**
 * Re-runs: a rollout cancelled mid-canary, finished by the post step, or
 * promoted, is run again for the same version (GitHub's "Re-run jobs"). The
 * migration ledger shows the database is migrated exactly once at a time:
 * a migration an earlier run applied and nothing reverted is not run again,
 * one a rollback reverted is. Jobs of the one-job-per-gate shape hand their
 * changes on even though each ends its state `done`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startRouter,
  startService,
  type DemoService,
  type Router
} from '../../demo/service.js'
import { formatConfigError, parseConfig } from '../../src/config/load.js'
import type { RolloutEvent, RolloutReport } from '../../src/rollout/events.js'
import { realIo } from '../../src/rollout/real-io.js'
import { recoverRollout, runRollout } from '../../src/rollout/run.js'
import {
  fileStateStore,
  type RolloutState,
  type StateStore
} from '../../src/rollout/state.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { systemClock } from '../../src/kernel/clock.js'

let stable: DemoService
let canary: DemoService
let router: Router
let weightFile: string

beforeAll(async () => {
  stable = await startService('v1', { errorRate: 0, latencyMs: 1 }, 3)
  canary = await startService('v2', { errorRate: 0, latencyMs: 1 }, 4)
  weightFile = join(mkdtempSync(join(tmpdir(), 'dg-rerun-w-')), 'weight')
  router = await startRouter(stable, canary, weightFile)
})

afterAll(async () => {
  await router.close()
  await canary.close()
  await stable.close()
})

function yaml(o: { revert: boolean; health?: string }): string {
  return `version: 1
service: matches-api
environment: staging
probes:
  health:
    http: { url: '${router.url}/health', expect: { status: ${o.health ?? '200'} } }
  api:
    http: { url: '\${vars.base}/api/matches/m1', expect: { status: 200 } }
vars:
  base: ${router.url}
gates:
  migrate:
    run: echo "run $DEPLOY_GATES_VERSION" >> ledger.txt
${o.revert ? '    revert: echo "revert $DEPLOY_GATES_VERSION" >> ledger.txt\n' : ''}  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION" >> log.txt
  health:
    probes: [health]
    within: 5s
  canary:
    traffic:
      run: echo "$DEPLOY_GATES_WEIGHT" > '${weightFile}'
    steps:
      - { weight: 10, bake: 1m }
      - { weight: 100 }
    analysis:
      interval: 1s
      min-samples: 5
      tracks:
        canary: { base: ${canary.url} }
        baseline: { base: ${stable.url} }
      probes: [api]
      metrics:
        error-rate: { fail: '> 50%' }
rollback:
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt
`
}

interface Run {
  report: RolloutReport
  ledger: string[]
  log: string[]
}

function lines(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean)
    : []
}

/** One rollout in `workspace`, sharing its state file with the others. */
async function rollout(
  workspace: string,
  o: {
    revert: boolean
    version?: string
    gate?: Parameters<typeof runRollout>[0]['gate']
    health?: string
    dryRun?: boolean
    /** Cancel once the canary has baked this many looks. */
    cancelAfterLooks?: number
    state?: StateStore
  }
): Promise<Run> {
  const loaded = parseConfig(yaml(o), 'rerun.yml')
  if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join())
  const abort = new AbortController()
  let looks = 0
  const onEvent = (e: RolloutEvent): void => {
    if (e.type !== 'progress' || e.gate !== 'canary') return
    looks += 1
    if (o.cancelAfterLooks !== undefined && looks >= o.cancelAfterLooks) {
      abort.abort(new Error('the run was cancelled'))
    }
  }
  const report = await runRollout(
    {
      config: loaded.config,
      gate: o.gate ?? 'all',
      values: {
        version: o.version ?? 'v2',
        previousVersion: 'v1',
        sha: '0123456789abcdef',
        environment: 'staging',
        service: 'matches-api'
      },
      dryRun: o.dryRun ?? false,
      state: o.state ?? fileStateStore(join(workspace, 'state.json')),
      signal: abort.signal
    },
    {
      ...realIo({
        workspace,
        env: { ...process.env },
        reporters: [{ onEvent }],
        warn: () => undefined
      }),
      clock: new FakeClock(),
      probeClock: systemClock
    }
  )
  return {
    report,
    ledger: lines(join(workspace, 'ledger.txt')),
    log: lines(join(workspace, 'log.txt'))
  }
}

const migrateGate = (r: RolloutReport): RolloutReport['gates'][number] => {
  const g = r.gates.find((x) => x.gate === 'migrate')
  if (!g) throw new Error('no migrate gate in the report')
  return g
}

const workspace = (): string => mkdtempSync(join(tmpdir(), 'dg-rerun-'))

describe('re-running a rollout of the same version', () => {
  it('runs a migration the cancelled run reverted again, once', async () => {
    const ws = workspace()
    const first = await rollout(ws, { revert: true, cancelAfterLooks: 3 })
    expect(first.report.result).toBe('rolled-back')
    expect(first.report.reason).toContain('cancelled')
    expect(first.ledger).toEqual(['run v2', 'revert v2'])

    const second = await rollout(ws, { revert: true })
    expect(second.report.result).toBe('promoted')
    expect(migrateGate(second.report).outcome).toBe('passed')
    expect(second.ledger).toEqual(['run v2', 'revert v2', 'run v2'])
  }, 30_000)

  it('does not run an irreversible migration a cancelled run left in place', async () => {
    const ws = workspace()
    const first = await rollout(ws, { revert: false, cancelAfterLooks: 3 })
    expect(first.report.result).toBe('held')
    expect(first.ledger).toEqual(['run v2'])

    const second = await rollout(ws, { revert: false })
    expect(second.report.result).toBe('promoted')
    expect(migrateGate(second.report).outcome).toBe('skipped')
    expect(migrateGate(second.report).reason).toBe(
      'an earlier run of v2 applied the migration and nothing reverted it; not run again'
    )
    expect(second.ledger).toEqual(['run v2'])
  }, 30_000)

  it('skips the migration on a re-run of a promoted version, not on the next version', async () => {
    const ws = workspace()
    expect((await rollout(ws, { revert: true })).report.result).toBe('promoted')
    const again = await rollout(ws, { revert: true })
    expect(again.report.result).toBe('promoted')
    expect(migrateGate(again.report).outcome).toBe('skipped')
    expect(again.ledger).toEqual(['run v2'])

    const next = await rollout(ws, { revert: true, version: 'v3' })
    expect(next.report.result).toBe('promoted')
    expect(next.ledger).toEqual(['run v2', 'run v3'])
  }, 30_000)

  it('reverts on a failed re-run the migration an earlier run applied', async () => {
    const ws = workspace()
    expect((await rollout(ws, { revert: true })).report.result).toBe('promoted')
    // The re-run skips the migration, then its health gate fails: the
    // rollback undoes this version, migration included.
    const failed = await rollout(ws, { revert: true, health: '299' })
    expect(failed.report.result).toBe('rolled-back')
    expect(failed.ledger).toEqual(['run v2', 'revert v2'])

    const third = await rollout(ws, { revert: true })
    expect(third.ledger).toEqual(['run v2', 'revert v2', 'run v2'])
  }, 30_000)

  it('runs the migration after the post step reverted it', async () => {
    const ws = workspace()
    const state = fileStateStore(join(ws, 'state.json'))
    // What a main step killed mid-canary leaves behind.
    const killed: RolloutState = {
      version: 1,
      service: 'matches-api',
      environment: 'staging',
      rolloutVersion: 'v2',
      previousVersion: 'v1',
      sha: '0123456789abcdef',
      startedAt: 1,
      updatedAt: 2,
      phase: 'running',
      changed: {
        migrated: true,
        migrationReversible: true,
        migrationApplied: true,
        deployed: true,
        trafficWeight: 10
      },
      currentGate: 'canary',
      currentStep: 10,
      rollbackAttempts: 0
    }
    await state.save(killed)
    const loaded = parseConfig(yaml({ revert: true }), 'rerun.yml')
    if (!loaded.ok) throw new Error('config')
    const recovered = await recoverRollout(
      {
        config: loaded.config,
        dryRun: false,
        state,
        signal: new AbortController().signal
      },
      {
        ...realIo({
          workspace: ws,
          env: { ...process.env },
          reporters: [],
          warn: () => undefined
        }),
        clock: new FakeClock(),
        probeClock: systemClock
      }
    )
    expect(recovered?.result).toBe('rolled-back')
    expect(lines(join(ws, 'ledger.txt'))).toEqual(['revert v2'])
    expect((await state.load())?.changed.migrationApplied).toBe(false)

    const again = await rollout(ws, { revert: true })
    expect(again.report.result).toBe('promoted')
    expect(again.ledger).toEqual(['revert v2', 'run v2'])
  }, 30_000)

  it('does not count a dry run as applying the migration', async () => {
    const ws = workspace()
    const dry = await rollout(ws, { revert: true, dryRun: true })
    expect(dry.ledger).toEqual([])
    const real = await rollout(ws, { revert: true })
    expect(migrateGate(real.report).outcome).toBe('passed')
    expect(real.ledger).toEqual(['run v2'])
  }, 30_000)
})

describe('one job per gate', () => {
  it('hands the earlier jobs’ changes to a failing job, which rolls them back', async () => {
    const ws = workspace()
    expect(
      (await rollout(ws, { revert: true, gate: 'migrate' })).report.result
    ).toBe('passed')
    expect(
      (await rollout(ws, { revert: true, gate: 'deploy' })).report.result
    ).toBe('passed')
    const health = await rollout(ws, {
      revert: true,
      gate: 'health',
      health: '299'
    })
    expect(health.report.result).toBe('rolled-back')
    expect(health.log).toEqual(['deploy v2', 'rollback v1'])
    expect(health.ledger).toEqual(['run v2', 'revert v2'])
  }, 30_000)

  it('does not run the migration again when its job is re-run', async () => {
    const ws = workspace()
    await rollout(ws, { revert: true, gate: 'migrate' })
    const again = await rollout(ws, { revert: true, gate: 'migrate' })
    expect(again.report.result).toBe('passed')
    expect(migrateGate(again.report).outcome).toBe('skipped')
    expect(again.ledger).toEqual(['run v2'])
  }, 30_000)
})
