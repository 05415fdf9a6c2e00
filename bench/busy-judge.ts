/**
 * The judge's error rates on a busy runner, with real probes: canary bakes
 * run by the engine in this process (the same code as the action) against
 * loopback services in a process of their own, while busy processes keep
 * every core loaded.
 *
 * - A/A: both tracks are the same healthy service (20 ms, no errors). Any
 *   failed bake is a false fail; the target is at most 1%.
 * - Time to fail: a canary with 10% errors against `error-rate > 2%`,
 *   sampled 20 times a second per track; the median time from the start of
 *   the bake to its early fail, idle and busy. Target: busy at most 2x idle.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/busy-judge.ts [BAKES=1000] [FAILS=20] [--per-core=4] [--parallel=10]
 *
 * Stops by itself: every bake is bounded by its length times max-bake, the
 * busy processes and services end with the bench. Exit code 1 when a
 * target is missed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startService } from '../demo/service.js'
import { formatConfigError, parseConfig } from '../src/config/load.js'
import type { RolloutReport } from '../src/rollout/events.js'
import { realIo } from '../src/rollout/real-io.js'
import { runRollout } from '../src/rollout/run.js'
import { fileStateStore } from '../src/rollout/state.js'
import { startRunnerMonitor } from '../src/runner/monitor.js'

const self = import.meta.filename
const hooks = resolve(import.meta.dirname, '..', 'scripts', 'ts-hooks.mjs')

interface Urls {
  healthy: string
  healthy2: string
  bad: string
}

async function serve(): Promise<void> {
  const healthy = await startService('v1', { errorRate: 0, latencyMs: 20 }, 3)
  const healthy2 = await startService('v2', { errorRate: 0, latencyMs: 20 }, 5)
  const bad = await startService('v2', { errorRate: 0.1, latencyMs: 20 }, 7)
  const urls: Urls = {
    healthy: healthy.url,
    healthy2: healthy2.url,
    bad: bad.url
  }
  process.stdout.write(`${JSON.stringify(urls)}\n`)
  process.stdin.resume()
  process.stdin.on('end', () => process.exit(0))
}

function yaml(
  canary: string,
  baseline: string,
  o: { bake: string; interval: string; metrics: string }
): string {
  return `version: 1
service: bench
environment: bench
vars:
  base: ${baseline}
probes:
  api:
    http: { url: '\${vars.base}/api/matches/m1', timeout: 5s }
gates:
  canary:
    traffic: { http: { url: '${baseline}/health', method: GET } }
    steps:
      - { weight: 50, bake: ${o.bake} }
    analysis:
      interval: ${o.interval}
      min-samples: 20
      tracks:
        canary: { base: '${canary}' }
        baseline: { base: '${baseline}' }
      probes: [api]
      metrics:
${o.metrics}
`
}

async function bakeOnce(
  text: string,
  runner: ReturnType<typeof startRunnerMonitor>
): Promise<RolloutReport> {
  const loaded = parseConfig(text, 'bench.yml')
  if (!loaded.ok)
    throw new Error(loaded.errors.map(formatConfigError).join('\n'))
  const workspace = mkdtempSync(join(tmpdir(), 'dg-busy-judge-'))
  try {
    return await runRollout(
      {
        config: loaded.config,
        gate: 'all',
        values: {
          version: 'v2',
          previousVersion: 'v1',
          sha: '0123456',
          environment: 'bench',
          service: 'bench'
        },
        dryRun: false,
        state: fileStateStore(join(workspace, 'state.json')),
        signal: new AbortController().signal
      },
      realIo({
        workspace,
        env: {},
        reporters: [],
        warn: () => undefined,
        runner
      })
    )
  } finally {
    rmSync(workspace, { recursive: true, force: true })
  }
}

async function pool<T>(
  n: number,
  parallel: number,
  task: (i: number) => Promise<T>
): Promise<T[]> {
  const out: T[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) {
        const i = next++
        out[i] = await task(i)
      }
    })
  )
  return out
}

/** Seconds from the bake's start to its verdict, from the gate's reason. */
function failSeconds(r: RolloutReport): number | undefined {
  const g = r.gates.find((x) => x.gate === 'canary' && x.outcome === 'failed')
  const m = g && /after ([\d.]+)(ms|s|m)/.exec(g.reason)
  if (!m) return undefined
  const v = Number(m[1])
  return m[2] === 'ms' ? v / 1000 : m[2] === 'm' ? v * 60 : v
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

function busy(perCore: number): ChildProcess[] {
  const spin = 'for(;;){let x=0;for(let i=0;i<1e7;i++)x+=i}'
  return Array.from({ length: availableParallelism() * perCore }, () =>
    spawn(process.execPath, ['-e', spin], { stdio: 'ignore' })
  )
}

async function timeToFail(
  urls: Urls,
  count: number,
  runner: ReturnType<typeof startRunnerMonitor>
): Promise<number[]> {
  const text = yaml(urls.bad, urls.healthy, {
    bake: '60s',
    interval: '50ms',
    metrics: "        error-rate: { fail: '> 2%' }"
  })
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const r = await bakeOnce(text, runner)
    const t = failSeconds(r)
    if (t !== undefined) times.push(t)
    else console.log(`  not failed: ${r.result}: ${r.reason}`)
  }
  return times
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number)
  const bakes = nums[0] ?? 1000
  const fails = nums[1] ?? 20
  const opt = (k: string, d: number): number =>
    Number(args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d)
  const perCore = opt('per-core', 4)
  const parallel = opt('parallel', 10)

  const services = spawn(
    process.execPath,
    ['--import', hooks, '--no-warnings', self, '--serve'],
    {
      stdio: ['pipe', 'pipe', 'inherit']
    }
  )
  const urls = await new Promise<Urls>((res) => {
    services.stdout.once('data', (d: Buffer) =>
      res(JSON.parse(d.toString()) as Urls)
    )
  })
  let spinners: ChildProcess[] = []
  const stop = (): void => {
    for (const s of spinners) s.kill('SIGKILL')
    services.stdin.end()
    services.kill()
  }
  process.on('exit', stop)
  const runner = startRunnerMonitor()

  const idleTimes = await timeToFail(urls, fails, runner)
  spinners = busy(perCore)
  console.log(
    `busy-judge: ${spinners.length} busy processes on ${availableParallelism()} cores; services in their own process`
  )
  const busyTimes = await timeToFail(urls, fails, runner)
  const idleMedian = median(idleTimes)
  const busyMedian = median(busyTimes)
  console.log(
    `time to fail at 10% errors vs > 2% (20 samples/s per track): idle median ${idleMedian.toFixed(2)} s (${idleTimes.length} of ${fails} failed), busy median ${busyMedian.toFixed(2)} s (${busyTimes.length} of ${fails}); busy/idle ${(busyMedian / idleMedian).toFixed(2)}x`
  )

  const aa = yaml(urls.healthy2, urls.healthy, {
    bake: '3s',
    interval: '100ms',
    metrics:
      "        error-rate: { fail: '> 2%' }\n        p95: { fail: '> 2x baseline' }"
  })
  const started = performance.now()
  const reports = await pool(bakes, parallel, () => bakeOnce(aa, runner))
  const failed = reports.filter((r) => r.result !== 'promoted')
  const reasons = new Map<string, number>()
  for (const r of failed) {
    const key = r.reason.replace(/[\d.,]+/g, 'N').slice(0, 160)
    reasons.set(key, (reasons.get(key) ?? 0) + 1)
  }
  const extended = reports.filter((r) =>
    r.gates.some((g) => g.reason.includes('extended from'))
  ).length
  console.log(
    `A/A on a busy runner: ${failed.length} false fails in ${bakes} bakes (${((failed.length / bakes) * 100).toFixed(2)}%), ${extended} bakes extended for the runner, ${((performance.now() - started) / 1000).toFixed(0)} s`
  )
  for (const [k, v] of reasons) console.log(`  ${v}x ${k}`)
  runner.close()
  stop()
  const ok =
    failed.length / bakes <= 0.01 &&
    busyMedian <= 2 * idleMedian &&
    busyTimes.length === fails
  process.exit(ok ? 0 : 1)
}

if (process.argv.includes('--serve')) await serve()
else await main()
