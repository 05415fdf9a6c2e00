/**
 * A full canary under load, for as long as a real one bakes: the bundled
 * CLI (`bin/deploy-gates.js run`, the same code as the action) rolls v2 out
 * at 25% and bakes for MINUTES, looking at both tracks four times a second
 * (two probes each, plus an HTTP JSON metric), while users send RATE req/s
 * through a weighted router. The users are our own load engine
 * (`runHttpLoad`) in a process of their own, so there are two figures:
 *
 * - the rollout process: does its RSS stay flat across thousands of looks,
 *   progress events and reports (timeline, chart, judge state)?
 * - the load engine at RATE for the whole bake: does its RSS stay flat?
 *
 * RSS is read from /proc/PID/status every 5 s. "Flat" is judged from the
 * warm mark (60 s in; 20 s for runs under 10 minutes), once the JIT and
 * V8's first heap sizing are done: the end within +/-10% of the warm value,
 * and the least-squares slope over the second half of the run.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/canary-endurance.ts [MINUTES=30] [RATE=1000] [--semi=MB]
 *
 * V8 grows its young generation once enough bytes have survived scavenges,
 * which any process allocating at a steady rate reaches sooner or later: a
 * one-time step of about 13 MB, not growth with the run. `--semi=8` runs
 * the rollout and the users with `--max-semi-space-size=8` (the same flag
 * works in NODE_OPTIONS for the action) to show the RSS without that step.
 *
 * Stops by itself: the bake ends after MINUTES, and a guard kills every
 * child MINUTES + 5 minutes after the start. Exit code 1 when a target is
 * missed or the rollout is not promoted.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runHttpLoad } from '../src/probes/load.js'
import { startRouter, startService } from '../demo/service.js'

const root = resolve(import.meta.dirname, '..')
const self = import.meta.filename
const hooks = resolve(root, 'scripts', 'ts-hooks.mjs')

/** Stable v1, canary v2, the router, and a JSON stats endpoint per track. */
async function services(weightFile: string): Promise<void> {
  const stable = await startService('v1', { errorRate: 0, latencyMs: 2 }, 3)
  const canary = await startService('v2', { errorRate: 0, latencyMs: 2 }, 5)
  const router = await startRouter(stable, canary, weightFile)
  const stats = createServer((req, res) => {
    const s = req.url?.endsWith('/canary') ? canary.served : stable.served
    const body = JSON.stringify({
      requests: s.api,
      ratio: s.api > 0 ? s.errors / s.api : 0
    })
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body)
    })
    res.end(body)
  })
  await new Promise<void>((ok) => stats.listen(0, '127.0.0.1', ok))
  const address = stats.address()
  if (address === null || typeof address === 'string') process.exit(1)
  console.log(
    `URLS ${JSON.stringify({
      router: router.url,
      stable: stable.url,
      canary: canary.url,
      stats: `http://127.0.0.1:${address.port}`
    })}`
  )
  process.stdin.on('end', () => {
    console.log(
      `SERVED ${JSON.stringify({ stable: stable.served, canary: canary.served, router: router.counts })}`
    )
    process.exit(0)
  })
  process.stdin.resume()
}

/** Users: a fixed arrival rate through the router until told the time. */
async function users(): Promise<void> {
  const [url, rate, seconds] = process.argv.slice(3)
  const r = await runHttpLoad({
    kind: 'load-http',
    name: 'users',
    url: `${url}/api/matches/user`,
    method: 'GET',
    headers: {},
    rate: Number(rate),
    durationMs: Number(seconds) * 1000,
    maxInFlight: 200,
    connections: 20,
    timeoutMs: 5000
  })
  console.log(
    `USERS ${JSON.stringify({
      requests: r.requests,
      completed: r.completed,
      errors: r.errors,
      rps: r.achievedRps,
      p99: r.corrected.p99
    })}`
  )
}

function config(minutes: number): string {
  return `version: 1
service: endurance
environment: bench
vars:
  base: '\${env.BENCH_CANARY_URL}'
  stats: canary
probes:
  match:
    http:
      url: \${vars.base}/api/matches/probe
      expect: { status: 200 }
  health:
    http:
      url: \${vars.base}/health
      expect: { status: 200, json: { status: ok } }
gates:
  deploy:
    run: echo "deploying $DEPLOY_GATES_VERSION"
  canary:
    traffic:
      run: echo "$DEPLOY_GATES_WEIGHT" > "$BENCH_WEIGHT_FILE"
    steps:
      - { weight: 25, bake: ${minutes}m }
      - { weight: 100 }
    analysis:
      interval: 250ms
      tracks:
        canary: { base: '\${env.BENCH_CANARY_URL}', stats: canary }
        baseline: { base: '\${env.BENCH_STABLE_URL}', stats: stable }
      probes: [match, health]
      metrics:
        error-rate: { warn: '> 1%', fail: '> 5%' }
        p95: { fail: ['> 500ms', '> 3x baseline'] }
        user-errors:
          http: { url: '\${env.BENCH_STATS_URL}/stats/\${vars.stats}', path: ratio }
          fail: '> 0.05'
rollback:
  run: echo "rolling back"
`
}

/** VmRSS of a live process in bytes, or undefined once it is gone. */
function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8')
    )
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

function lineFrom(child: ChildProcess, tag: string): Promise<string> {
  return new Promise((ok, fail) => {
    let buffer = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk
      const m = new RegExp(`${tag} (.*)`).exec(buffer)
      if (m) ok(m[1])
    })
    child.on('exit', () => fail(new Error(`no ${tag} line`)))
  })
}

interface Sample {
  s: number
  rss: number
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`

/** Flatness of one process's RSS after the warm mark. */
function judgeRss(
  name: string,
  samples: Sample[],
  warmS: number
): { ok: boolean; text: string } {
  const after = samples.filter((x) => x.s >= warmS)
  if (after.length < 4) return { ok: false, text: `${name}: too few samples` }
  const warm = after[0]
  const end = after[after.length - 1]
  const change = ((end.rss - warm.rss) / warm.rss) * 100
  const min = Math.min(...after.map((x) => x.rss))
  const max = Math.max(...after.map((x) => x.rss))
  const half = after.filter((x) => x.s >= (warm.s + end.s) / 2)
  const mx = half.reduce((a, x) => a + x.s, 0) / half.length
  const my = half.reduce((a, x) => a + x.rss, 0) / half.length
  const slope =
    half.reduce((a, x) => a + (x.s - mx) * (x.rss - my), 0) /
    half.reduce((a, x) => a + (x.s - mx) ** 2, 0)
  const ok = Math.abs(change) <= 10 && (max - warm.rss) / warm.rss <= 0.1
  const series = [0, 0.1, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        after[Math.min(after.length - 1, Math.round(f * (after.length - 1)))]
    )
    .map((x) => `${x.s} s ${mb(x.rss)}`)
    .join(', ')
  return {
    ok,
    text:
      `${name}: RSS at ${warm.s} s ${mb(warm.rss)}, at ${end.s} s ${mb(end.rss)} ` +
      `(${change >= 0 ? '+' : ''}${change.toFixed(1)}%), min ${mb(min)}, max ${mb(max)} ` +
      `(max ${(((max - warm.rss) / warm.rss) * 100).toFixed(1)}% above warm); ` +
      `second-half slope ${((slope * 600) / 1024 / 1024).toFixed(2)} MB per 10 min; ` +
      `target +/-10%: ${ok ? 'PASS' : 'FAIL'}\n  ${series}`
  }
}

async function main(): Promise<void> {
  const minutes = Number(process.argv[2] ?? 30)
  const rate = Number(process.argv[3] ?? 1000)
  if (!(minutes > 0) || !(rate > 0)) {
    console.error('usage: canary-endurance.ts [MINUTES>0] [RATE>0]')
    process.exit(2)
  }
  const warmS = minutes >= 10 ? 60 : 20
  const semi = process.argv.find((a) => a.startsWith('--semi='))?.slice(7)
  const v8Flags = semi ? [`--max-semi-space-size=${Number(semi)}`] : []
  const dir = mkdtempSync(join(tmpdir(), 'dg-endurance-'))
  const weightFile = join(dir, 'weight')
  writeFileSync(weightFile, '0\n')
  writeFileSync(join(dir, 'deploy-gates.yml'), config(minutes))
  const node = (args: string[], env = {}): ChildProcess =>
    spawn(process.execPath, args, {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...env }
    })
  const children: ChildProcess[] = []
  const guard = setTimeout(
    () => {
      console.error('guard: the run took too long; stopping')
      for (const c of children) c.kill('SIGKILL')
      process.exit(2)
    },
    (minutes + 5) * 60_000
  ).unref()

  const svc = node([
    '--import',
    hooks,
    '--no-warnings',
    self,
    '--role=services',
    weightFile
  ])
  children.push(svc)
  const served = lineFrom(svc, 'SERVED')
  const urls = JSON.parse(await lineFrom(svc, 'URLS')) as Record<string, string>
  const userSeconds = minutes * 60 + 45
  const usr = node([
    ...v8Flags,
    '--import',
    hooks,
    '--no-warnings',
    self,
    '--role=users',
    urls.router,
    String(rate),
    String(userSeconds)
  ])
  children.push(usr)
  const usersDone = lineFrom(usr, 'USERS')
  // Let the users reach their rate before the rollout starts.
  await new Promise((ok) => setTimeout(ok, 5000))
  const tool = node(
    [
      ...v8Flags,
      join(root, 'bin', 'deploy-gates.js'),
      'run',
      '--config',
      join(dir, 'deploy-gates.yml'),
      '--version',
      'v2',
      '--previous-version',
      'v1',
      '--report-dir',
      join(dir, 'report')
    ],
    {
      BENCH_WEIGHT_FILE: weightFile,
      BENCH_CANARY_URL: urls.canary,
      BENCH_STABLE_URL: urls.stable,
      BENCH_STATS_URL: urls.stats
    }
  )
  children.push(tool)
  let lines = 0
  let last = ''
  tool.stdout?.setEncoding('utf8')
  tool.stdout?.on('data', (chunk: string) => {
    for (const l of chunk.split('\n')) {
      if (l.trim() === '') continue
      lines += 1
      last = l
    }
  })
  const start = performance.now()
  const toolRss: Sample[] = []
  const userRss: Sample[] = []
  const sample = (): void => {
    const s = Math.round((performance.now() - start) / 1000)
    const a = rssOf(tool.pid)
    const b = rssOf(usr.pid)
    if (a !== undefined && tool.exitCode === null) toolRss.push({ s, rss: a })
    if (b !== undefined && usr.exitCode === null) userRss.push({ s, rss: b })
  }
  sample()
  const progress = setInterval(() => {
    sample()
    const s = Math.round((performance.now() - start) / 1000)
    if (s % 60 < 5) {
      console.error(
        `${Math.round(s / 60)} min: rollout ${mb(toolRss.at(-1)?.rss ?? 0)}, users ${mb(userRss.at(-1)?.rss ?? 0)}, ${lines} log lines; ${last.slice(0, 120)}`
      )
    }
  }, 5000)
  const code = await new Promise<number | null>((ok) =>
    tool.on('exit', (c) => ok(c))
  )
  clearInterval(progress)
  // The users run 40 s past a bake that went the full length; after an
  // early end, stop them instead of waiting.
  const early = setTimeout(() => usr.kill('SIGKILL'), 60_000)
  const u = JSON.parse(
    await usersDone.catch(
      () => '{"requests":0,"completed":0,"errors":0,"rps":0,"p99":0}'
    )
  ) as Record<string, number>
  clearTimeout(early)
  svc.stdin?.end()
  const s = JSON.parse(await served) as Record<string, unknown>
  clearTimeout(guard)
  let report: { result?: string; reason?: string } = {}
  try {
    report = JSON.parse(
      readFileSync(join(dir, 'report', 'report.json'), 'utf8')
    ) as typeof report
  } catch (e) {
    console.log(`no report: ${(e as Error).message}`)
  }
  const a = judgeRss('rollout process', toolRss, warmS)
  const b = judgeRss('load engine (users)', userRss, warmS)
  console.log(
    `node ${process.version}${semi ? ` --max-semi-space-size=${semi}` : ''}; canary at 25% baking ${minutes} min, looks every 250 ms; users ${rate} req/s`
  )
  console.log(`rollout: exit ${code}, ${report.result}: ${report.reason}`)
  console.log(`rollout log: ${lines} lines`)
  console.log(
    `users: ${u.requests} requests, ${u.completed} completed, ${u.errors} errors, ${u.rps} req/s, corrected p99 ${u.p99.toFixed(2)} ms`
  )
  console.log(`served: ${JSON.stringify(s)}`)
  console.log(a.text)
  console.log(b.text)
  rmSync(dir, { recursive: true, force: true })
  if (!a.ok || !b.ok || report.result !== 'promoted') process.exitCode = 1
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice(7)
if (role === 'services') await services(process.argv[3] ?? '')
else if (role === 'users') await users()
else await main()
