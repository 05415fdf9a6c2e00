/**
 * Verdicts on a busy runner: the bundled CLI (`bin/deploy-gates.js run`, the
 * same code as the action) rolls out canaries while busy processes keep
 * every core loaded, as on a shared 2-core GitHub runner that builds and
 * tests in the same job. The services live in a process of their own (a
 * real service lives elsewhere): a stable v1 and a healthy v2 answering in
 * about 20 ms, and a bad v2 that fails 30% of requests.
 *
 * - HEALTHY rollouts of the healthy canary must all be promoted;
 * - BAD rollouts of the bad canary must all be rolled back;
 * - one healthy rollout with a 300 req/s load probe running during each
 *   bake (`analysis.load`) must be promoted.
 *
 * The config is what a user would write: 2 steps, `interval: 200ms`,
 * `min-samples: 20`, `error-rate > 5%`, `p95 > 2x baseline`.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/busy-runner.ts [HEALTHY=20] [BAD=10] [--per-core=4] [--idle] [--no-load]
 *
 * Stops by itself: every rollout is killed after 120 s, the busy processes
 * and the services when the bench ends. Exit code 1 when a verdict is wrong.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startService } from '../demo/service.js'

const root = resolve(import.meta.dirname, '..')
const self = import.meta.filename
const hooks = resolve(root, 'scripts', 'ts-hooks.mjs')
const ROLLOUT_LIMIT_MS = 120_000

interface Urls {
  stable: string
  good: string
  bad: string
}

/** The services, in a process of their own; prints their URLs as JSON. */
async function serve(): Promise<void> {
  const stable = await startService('v1', { errorRate: 0, latencyMs: 20 }, 3)
  const good = await startService('v2', { errorRate: 0, latencyMs: 20 }, 5)
  const bad = await startService('v2', { errorRate: 0.3, latencyMs: 20 }, 7)
  const urls: Urls = { stable: stable.url, good: good.url, bad: bad.url }
  process.stdout.write(`${JSON.stringify(urls)}\n`)
  process.stdin.resume()
  process.stdin.on('end', () => process.exit(0))
}

function config(canary: string, stable: string, load: boolean): string {
  return `version: 1
service: matches-api
environment: bench
vars:
  base: ${stable}
probes:
  api:
    http: { url: '\${vars.base}/api/matches/m1', timeout: 5s }
  users:
    load:
      http: { url: '${stable}/api/matches/m1', rate: 300, duration: 4s }
      expect: { error-rate: '< 1%' }
gates:
  canary:
    traffic: { run: 'true' }
    steps:
      - { weight: 10, bake: 6s }
      - { weight: 50, bake: 6s }
      - { weight: 100 }
    analysis:
      interval: 200ms
      min-samples: 20
      tracks:
        canary: { base: '${canary}' }
        baseline: { base: '${stable}' }
      probes: [api]${load ? '\n      load: [users]' : ''}
      metrics:
        error-rate: { fail: '> 5%' }
        p95: { fail: '> 2x baseline' }
rollback:
  run: 'true'
`
}

interface Outcome {
  result: string
  reason: string
  ms: number
}

async function rollout(
  dir: string,
  name: string,
  yaml: string
): Promise<Outcome> {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.yml`)
  writeFileSync(file, yaml)
  const reports = join(dir, name.replace(/\W+/g, '-'))
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'deploy-gates.js'),
      'run',
      '--config',
      file,
      '--version',
      'v2',
      '--previous-version',
      'v1',
      '--report-dir',
      reports
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const guard = setTimeout(() => child.kill('SIGKILL'), ROLLOUT_LIMIT_MS)
  await new Promise((r) => child.on('exit', r))
  clearTimeout(guard)
  const ms = performance.now() - started
  try {
    const report = JSON.parse(
      readFileSync(join(reports, 'report.json'), 'utf8')
    ) as { result: string; reason: string }
    return { result: report.result, reason: report.reason, ms }
  } catch {
    return { result: 'no report', reason: stderr.slice(-300), ms }
  }
}

function busy(perCore: number): ChildProcess[] {
  const spin = 'for(;;){let x=0;for(let i=0;i<1e7;i++)x+=i}'
  return Array.from({ length: availableParallelism() * perCore }, () =>
    spawn(process.execPath, ['-e', spin], { stdio: 'ignore' })
  )
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number)
  const healthy = nums[0] ?? 20
  const badCount = nums[1] ?? 10
  const perCore = Number(
    args.find((a) => a.startsWith('--per-core='))?.split('=')[1] ?? 4
  )
  const idle = args.includes('--idle')
  const withLoad = !args.includes('--no-load')

  const services = spawn(
    process.execPath,
    ['--import', hooks, '--no-warnings', self, '--serve'],
    { stdio: ['pipe', 'pipe', 'inherit'] }
  )
  const urls = await new Promise<Urls>((res) => {
    services.stdout.once('data', (d: Buffer) =>
      res(JSON.parse(d.toString()) as Urls)
    )
  })
  const spinners = idle ? [] : busy(perCore)
  const dir = mkdtempSync(join(tmpdir(), 'dg-busy-'))
  const stop = (): void => {
    for (const s of spinners) s.kill('SIGKILL')
    services.stdin.end()
    services.kill()
  }
  process.on('exit', stop)
  console.log(
    `busy-runner: ${idle ? 'idle' : `${spinners.length} busy processes`} on ${availableParallelism()} cores; services in their own process`
  )

  const tally = async (
    label: string,
    count: number,
    yaml: string,
    want: string
  ): Promise<number> => {
    let right = 0
    const times: number[] = []
    for (let i = 0; i < count; i++) {
      const o = await rollout(dir, `${label}-${i}`, yaml)
      times.push(o.ms)
      if (o.result === want) right += 1
      else console.log(`  ${label} #${i + 1}: ${o.result}: ${o.reason}`)
    }
    times.sort((a, b) => a - b)
    const median = times[Math.floor(times.length / 2)] ?? 0
    console.log(
      `${label}: ${right} of ${count} ${want} (median ${(median / 1000).toFixed(1)} s a rollout)`
    )
    return count - right
  }

  let wrong = 0
  wrong += await tally(
    'healthy',
    healthy,
    config(urls.good, urls.stable, false),
    'promoted'
  )
  wrong += await tally(
    'bad (30% errors)',
    badCount,
    config(urls.bad, urls.stable, false),
    'rolled-back'
  )
  if (withLoad) {
    wrong += await tally(
      'healthy + 300 req/s load',
      1,
      config(urls.good, urls.stable, true),
      'promoted'
    )
  }
  rmSync(dir, { recursive: true, force: true })
  stop()
  process.exit(wrong === 0 ? 0 : 1)
}

if (process.argv.includes('--serve')) await serve()
else await main()
