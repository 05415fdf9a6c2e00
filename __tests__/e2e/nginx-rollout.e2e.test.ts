/**
 * End-to-end rollouts of the nginx recipe (examples/recipes/nginx) with the
 * real CLI against real servers from Debian packages, all started here on
 * loopback: nginx splitting traffic by upstream weight between two demo
 * services, Prometheus scraping both with a `track` label, and a throw-away
 * PostgreSQL cluster migrated by the recipe's psql scripts. Bakes run on the
 * real clock. Each scenario checks the state the rollout left behind, not
 * only its report: the share of responses nginx sends to the canary
 * (measured, at every step), the upstream file, and the database schema.
 *
 * Under CI=true a missing server fails the suite; elsewhere it is skipped.
 * E2E_DEBUG=1 prints each rollout's console output and measured steps.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { startService, type Behaviour } from '../../demo/service.js'
import {
  APT_INSTALL,
  findBinaries,
  get,
  startNginx,
  startPostgres,
  startPrometheus,
  type Nginx,
  type Postgres
} from './servers.js'

const ROOT = resolve(import.meta.dirname, '..', '..')
const RECIPE = join(ROOT, 'examples', 'recipes', 'nginx')
const CONFIG = join(RECIPE, 'deploy-gates.yml')
const { bins, missing } = findBinaries()
const MISSING = `e2e servers missing: ${missing.join(', ')}; install them with: ${APT_INSTALL}`

/** Requests per share measurement; ±5 points is then far from chance. */
const SAMPLE = 400

/** Everything started and not yet stopped; afterAll stops what is left. */
const cleanups = new Set<() => Promise<void>>()

/** Registers `stop` for afterAll and returns it, made idempotent. */
function onCleanup(stop: () => Promise<void>): () => Promise<void> {
  let done = false
  const once = async (): Promise<void> => {
    if (done) return
    done = true
    cleanups.delete(once)
    await stop()
  }
  cleanups.add(once)
  return once
}

interface Share {
  /** Percent of the counted responses that came from the canary. */
  share: number
  /** Responses counted: those nginx answered with the expected weight. */
  n: number
}

/**
 * Sends SAMPLE requests through nginx on fresh connections and counts the
 * versions that answered. Only responses stamped with `weight` (nginx's
 * X-Canary-Weight header) count, so a shift in the middle of a measurement
 * cannot blur it.
 */
async function measureShare(
  nginx: Nginx,
  canaryVersion: string,
  weight: number
): Promise<Share> {
  let canary = 0
  let n = 0
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < SAMPLE) {
      next += 1
      // A connection cut by a reload counts as not answered at `weight`.
      const res = await get(`${nginx.url}/health`, { timeoutMs: 5000 }).catch(
        () => undefined
      )
      if (res?.headers['x-canary-weight'] !== String(weight)) continue
      n += 1
      if (res.headers['x-version'] === canaryVersion) canary += 1
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  return { share: n === 0 ? NaN : (canary / n) * 100, n }
}

/** Columns and indexes of the public schema, one line each. */
async function schema(pg: Postgres, db: string): Promise<string[]> {
  return pg.psql(
    db,
    `SELECT table_name || '.' || column_name || ' ' || data_type
       FROM information_schema.columns WHERE table_schema = 'public'
     UNION ALL
     SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
     ORDER BY 1`
  )
}

async function migrated(pg: Postgres, db: string): Promise<boolean> {
  const [row] = await pg.psql(
    db,
    "SELECT to_regclass('public.match_events') IS NOT NULL"
  )
  return row === 't'
}

interface Finding {
  name: string
  level: string
  reason: string
}

interface Report {
  result: string
  failedGate: string | null
  reason: string
  gates: {
    gate: string
    step: number | null
    outcome: string
    findings: Finding[]
  }[]
}

interface StepSeen extends Share {
  weight: number
  /** Whether migration 001 was applied while this weight was in force. */
  migrated: boolean
}

interface Outcome {
  code: number | null
  output: string
  report: Report
  /** Every weight nginx served during the rollout, measured in order. */
  steps: StepSeen[]
  /** After the rollout: the weight nginx serves, and the measured share. */
  finalWeight: string
  final: Share
  upstream: string
  schemaBefore: string[]
  schemaAfter: string[]
  migrated: boolean
  stable: string
  canary: string
  /** The canary's error ratio in Prometheus when the rollout ended. */
  canaryErrorRatio: number | undefined
}

interface Scenario {
  db: string
  version: string
  canary: Behaviour
  /** The config; default the recipe's. */
  config?: string
}

let pg: Postgres | undefined
let work = ''

/**
 * Runs one rollout of `scenario.version` over stable v1: starts both
 * versions, nginx and Prometheus, a fresh database with the baseline
 * schema, light user traffic through nginx, and a watcher that measures
 * the canary's share each time nginx serves a new weight; then the CLI.
 */
async function rollout(scenario: Scenario): Promise<Outcome> {
  if (!pg) throw new Error('postgres did not start')
  const db = scenario.db
  await pg.psql('postgres', `CREATE DATABASE ${db}`)
  await pg.psqlFile(db, join(RECIPE, 'migrations', '000_baseline.sql'))
  const schemaBefore = await schema(pg, db)

  // Stopped in reverse order when the scenario ends, however it ends.
  const stops: (() => Promise<void>)[] = []
  try {
    const stable = await startService('v1', { errorRate: 0, latencyMs: 20 }, 3)
    stops.push(onCleanup(() => stable.close()))
    const canary = await startService(
      scenario.version,
      { ...scenario.canary },
      5
    )
    stops.push(onCleanup(() => canary.close()))
    const nginx = await startNginx({
      binary: bins.nginx!,
      recipeDir: RECIPE,
      stable: `127.0.0.1:${stable.port}`,
      canary: `127.0.0.1:${canary.port}`
    })
    stops.push(onCleanup(() => nginx.stop()))
    const prometheus = await startPrometheus({
      binary: bins.prometheus!,
      targets: [
        { address: `127.0.0.1:${stable.port}`, track: 'baseline' },
        { address: `127.0.0.1:${canary.port}`, track: 'canary' }
      ]
    })
    stops.push(onCleanup(() => prometheus.stop()))

    // Users: 20 requests per second through nginx, paused while a share is
    // measured so that the measurement sees nginx's split undisturbed.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 })
    let paused = false
    const users = setInterval(() => {
      if (paused) return
      get(`${nginx.url}/api/matches/m1`, { agent, timeoutMs: 2000 }).catch(
        () => undefined
      )
    }, 50)
    stops.push(() => {
      clearInterval(users)
      agent.destroy()
      return Promise.resolve()
    })

    // The step watcher: each new weight nginx serves is measured once,
    // with one last look after the CLI exited.
    const steps: StepSeen[] = []
    let watching = true
    const watcher = (async (): Promise<void> => {
      let last = '0'
      for (let final = false; !final;) {
        final = !watching
        // A failed look (a reload cutting the connection) is retried.
        const w =
          (
            await get(`${nginx.url}/-/canary-weight`).catch(() => undefined)
          )?.body.trim() ?? last
        if (w !== last) {
          last = w
          await new Promise((r) => setTimeout(r, 200))
          paused = true
          const share = await measureShare(nginx, scenario.version, Number(w))
          paused = false
          steps.push({
            weight: Number(w),
            ...share,
            migrated: await migrated(pg, db)
          })
        }
        if (!final) await new Promise((r) => setTimeout(r, 100))
      }
    })()
    // Rejections surface when awaited below.
    watcher.catch(() => undefined)

    const dir = mkdtempSync(join(work, `${db}-`))
    const run = await runCli(
      [
        'run',
        '--config',
        scenario.config ?? CONFIG,
        '--version',
        scenario.version,
        '--previous-version',
        'v1',
        '--report-dir',
        dir
      ],
      {
        ...process.env,
        ...nginx.env,
        ...pg.env(db),
        NGINX_URL: nginx.url,
        CANARY_URL: canary.url,
        STABLE_URL: stable.url,
        PROMETHEUS_URL: prometheus.url
      }
    )
    watching = false
    await watcher
    let report: Report
    try {
      report = JSON.parse(
        readFileSync(join(dir, 'report.json'), 'utf8')
      ) as Report
    } catch {
      throw new Error(`no report.json; CLI exited ${run.code}:\n${run.output}`)
    }
    const finalWeight = (await get(`${nginx.url}/-/canary-weight`)).body.trim()
    return {
      code: run.code,
      output: run.output,
      report,
      steps,
      finalWeight,
      final: await measureShare(nginx, scenario.version, Number(finalWeight)),
      upstream: readFileSync(join(nginx.prefix, 'upstream.conf'), 'utf8'),
      schemaBefore,
      schemaAfter: await schema(pg, db),
      migrated: await migrated(pg, db),
      stable: `127.0.0.1:${stable.port}`,
      canary: `127.0.0.1:${canary.port}`,
      canaryErrorRatio: await prometheus.query(
        'sum(increase(demo_errors_total{track="canary"}[1m])) / sum(increase(demo_requests_total{track="canary"}[1m]))'
      )
    }
  } finally {
    for (const stop of stops.reverse()) await stop()
  }
}

/**
 * Runs the CLI as users do (`node bin/deploy-gates.js ...`) from the
 * repository root, so the recipe's relative script paths resolve; killed
 * after 100 s so a hung rollout fails the test instead of the job.
 */
async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ code: number | null; output: string }> {
  let output = ''
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'deploy-gates.js'), ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  const kill = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
    }
    return Promise.resolve()
  })
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const limit = setTimeout(() => void kill(), 100_000)
  const code = await new Promise<number | null>((done) => {
    child.once('exit', (c) => done(c))
    child.once('error', (err) => {
      output += `spawn: ${err.message}\n`
      done(null)
    })
  })
  clearTimeout(limit)
  await kill()
  return { code, output }
}

/** What to print when an assertion fails: the CLI's own account. */
function context(o: Outcome): string {
  return `result ${o.report.result}: ${o.report.reason}\nsteps ${JSON.stringify(o.steps)}\n${o.output.slice(-3000)}`
}

function withContext(o: Outcome, check: () => void): void {
  try {
    check()
  } catch (err) {
    ;(err as Error).message += `\n\n${context(o)}`
    throw err
  }
}

if (missing.length > 0 && process.env.CI === 'true') {
  describe('e2e servers', () => {
    it('are installed (CI=true never skips)', () => {
      throw new Error(MISSING)
    })
  })
} else if (missing.length > 0) {
  console.warn(`skipping the e2e suite: ${MISSING}`)
}

const suite = missing.length > 0 ? describe.skip : describe

suite('nginx recipe: rollouts on nginx, Prometheus and PostgreSQL', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dg-e2e-'))
    const server = await startPostgres({ pgBin: bins.pgBin! })
    onCleanup(() => server.stop())
    pg = server
  }, 60_000)

  afterAll(async () => {
    for (const stop of [...cleanups].reverse()) await stop()
    if (work) rmSync(work, { recursive: true, force: true })
  }, 60_000)

  it('the recipe config validates', async () => {
    const r = await runCli(['validate', '--config', CONFIG], process.env)
    expect(r.output).toContain('ok: ')
    expect(r.code).toBe(0)
  })

  it('a healthy release is promoted: nginx sends it all traffic, the migration stays', async () => {
    const o = await rollout({
      db: 'e2e_good',
      version: 'v2',
      canary: { errorRate: 0, latencyMs: 20 }
    })
    if (process.env.E2E_DEBUG) console.log(context(o))
    withContext(o, () => {
      expect(o.report.result).toBe('promoted')
      expect(o.code).toBe(0)
      // Every step was served at its weight, with the migration applied.
      expect(o.steps.map((s) => s.weight)).toEqual([25, 50, 100])
      for (const s of o.steps) {
        expect(s.n).toBeGreaterThanOrEqual(SAMPLE / 2)
        expect(Math.abs(s.share - s.weight)).toBeLessThanOrEqual(5)
        expect(s.migrated).toBe(true)
      }
      // nginx stays at 100% canary.
      expect(o.finalWeight).toBe('100')
      expect(o.final.n).toBeGreaterThanOrEqual(SAMPLE * 0.9)
      expect(o.final.share).toBeGreaterThanOrEqual(95)
      expect(o.upstream).toContain(`server ${o.stable} down;`)
      expect(o.upstream).toContain(`server ${o.canary};`)
      // The schema is the baseline plus migration 001.
      expect(o.migrated).toBe(true)
      expect(o.schemaAfter).toEqual(
        [
          ...o.schemaBefore,
          'index match_events_match_id_at',
          'index match_events_pkey',
          'match_events.at timestamp with time zone',
          'match_events.id bigint',
          'match_events.kind text',
          'match_events.match_id text',
          'matches.score text'
        ].sort()
      )
    })
  })

  it('a release with errors is rolled back on its Prometheus error ratio: nginx back to stable, the migration reverted', async () => {
    const o = await rollout({
      db: 'e2e_errors',
      version: 'v3',
      canary: { errorRate: 0.3, latencyMs: 20 }
    })
    if (process.env.E2E_DEBUG) console.log(context(o))
    withContext(o, () => {
      expect(o.report.result).toBe('rolled-back')
      expect(o.code).toBe(1)
      expect(o.report.failedGate).toBe('canary')
      // Prometheus drove the verdict, and really saw the errors.
      const canaryGate = o.report.gates.find(
        (g) => g.gate === 'canary' && g.outcome === 'failed'
      )
      expect(canaryGate?.step).toBe(25)
      expect(
        canaryGate?.findings
          .filter((f) => f.level === 'fail')
          .map((f) => f.name)
      ).toContain('error-ratio')
      expect(o.canaryErrorRatio).toBeGreaterThan(0.05)
      // nginx served 25% to the canary, then 0%.
      expect(o.steps.map((s) => s.weight)).toEqual([25, 0])
      // The bake may fail while this is measured: fewer answers at 25%.
      const [at25] = o.steps
      expect(at25.n).toBeGreaterThanOrEqual(SAMPLE / 4)
      expect(Math.abs(at25.share - 25)).toBeLessThanOrEqual(5)
      expect(at25.migrated).toBe(true)
      expect(o.finalWeight).toBe('0')
      expect(o.final.n).toBeGreaterThanOrEqual(SAMPLE * 0.9)
      expect(o.final.share).toBeLessThanOrEqual(5)
      expect(o.upstream).toContain(`server ${o.canary} down;`)
      // The migration was reverted: the schema is as before the rollout.
      expect(o.migrated).toBe(false)
      expect(o.schemaAfter).toEqual(o.schemaBefore)
      const rollback = o.report.gates.find((g) => g.gate === 'rollback')
      expect(rollback?.outcome).toBe('passed')
    })
  })

  it('a slow release after an irreversible migration is held: nginx and the schema stay as they are', async () => {
    // The recipe without `migrate.revert`: the migration cannot go down.
    const doc = parseDocument(readFileSync(CONFIG, 'utf8'))
    doc.deleteIn(['gates', 'migrate', 'revert'])
    const config = join(work, 'irreversible.yml')
    writeFileSync(config, doc.toString())
    const o = await rollout({
      db: 'e2e_held',
      version: 'v4',
      canary: { errorRate: 0, latencyMs: 250 },
      config
    })
    if (process.env.E2E_DEBUG) console.log(context(o))
    withContext(o, () => {
      expect(o.report.result).toBe('held')
      expect(o.code).toBe(1)
      expect(o.report.failedGate).toBe('canary')
      const canaryGate = o.report.gates.find(
        (g) => g.gate === 'canary' && g.outcome === 'failed'
      )
      expect(
        canaryGate?.findings
          .filter((f) => f.level === 'fail')
          .map((f) => f.name)
      ).toContain('p95')
      expect(o.report.gates.some((g) => g.gate === 'rollback')).toBe(false)
      // Traffic stays where the failure found it: 25% canary.
      expect(o.steps.map((s) => s.weight)).toEqual([25])
      expect(o.finalWeight).toBe('25')
      expect(o.final.n).toBeGreaterThanOrEqual(SAMPLE * 0.9)
      expect(Math.abs(o.final.share - 25)).toBeLessThanOrEqual(5)
      expect(o.upstream).toContain(`server ${o.canary} weight=25;`)
      expect(o.upstream).toContain(`server ${o.stable} weight=75;`)
      // The migration is still applied.
      expect(o.migrated).toBe(true)
      expect(o.schemaAfter).toContain('matches.score text')
    })
  })
})
