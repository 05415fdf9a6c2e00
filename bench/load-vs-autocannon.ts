/**
 * Throughput of our fixed-rate load engine against autocannon, the peer the
 * budget names (DESIGN.md §9: "load engine on loopback >= autocannon's
 * req/s"). One loopback HTTP server runs in its own child process; each
 * generator runs in a child of its own too, so neither shares an event
 * loop with the server or with the other. autocannon runs first at a fixed
 * connection count to find its max req/s; then our engine runs with the
 * same connections and max-in-flight at four times that arrival rate (at
 * least 200,000/s), so it is saturated too; its max-in-flight equals the
 * connections, as autocannon keeps one request per connection. Rounds
 * alternate (A, B, A, B); each round's pair runs back to back, so the
 * median of the per-round ratios is the headline (the best round of each
 * is shown too). The CPU column is the generator's own CPU time
 * (process.cpuUsage) and its share of the wall time: well under 100% means
 * it was waiting on the server or on other load on the machine. Stops by
 * itself after about ROUNDS x (2 x SECONDS + 3) s.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/load-vs-autocannon.ts [SECONDS] [CONNECTIONS] [ROUNDS]
 *
 * Defaults: 5 s, 50 connections, 6 rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { runHttpLoad } from '../src/probes/load.js'

const root = resolve(import.meta.dirname, '..')
const self = import.meta.filename
const hooks = resolve(root, 'scripts', 'ts-hooks.mjs')

/** What each generator child prints as its last stdout line. */
interface GeneratorReport {
  tool: string
  requests: number
  rps: number
  p50: number
  p99: number
  /** Corrected p99 (ours only): from the intended send time. */
  correctedP99?: number
  errors: number
  cpuMs: number
  wallMs: number
  /** CPU the server spent during this run, for its cost per request. */
  serverCpuMs?: number
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice(7)
const arg = (name: string): string =>
  process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3) ?? ''

if (role === 'server') serve()
else if (role === 'autocannon') await runAutocannon()
else if (role === 'ours') await runOurs()
else await orchestrate()

/** A tiny keep-alive server: the same 13-byte answer to everything. */
function serve(): void {
  const body = Buffer.from('hello, world\n')
  const server = createServer((req, res) => {
    req.resume()
    res.writeHead(200, {
      'content-type': 'text/plain',
      'content-length': body.length
    })
    res.end(body)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    if (address === null || typeof address === 'string') process.exit(1)
    console.log(`PORT ${address.port}`)
  })
  // The parent's exit closes our stdin: never outlive the bench.
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
}

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  errors: number
  timeouts: number
  non2xx: number
  duration: number
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, result: AutocannonResult) => void
) => unknown

async function runAutocannon(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon
  const cpu = process.cpuUsage()
  const start = performance.now()
  const result = await new Promise<AutocannonResult>((done, fail) => {
    autocannon(
      {
        url: arg('url'),
        connections: Number(arg('connections')),
        pipelining: 1,
        duration: Number(arg('seconds')),
        // Equal settings: the same fixed arrival rate as ours, when given.
        ...(process.argv.some((a) => a.startsWith('--rate='))
          ? { overallRate: Number(arg('rate')) }
          : {})
      },
      (err, r) => (err ? fail(err) : done(r))
    )
  })
  const wallMs = performance.now() - start
  const used = process.cpuUsage(cpu)
  report({
    tool: 'autocannon',
    requests: result.requests.total,
    rps: (result.requests.total * 1000) / wallMs,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuMs: (used.user + used.system) / 1000,
    wallMs
  })
}

async function runOurs(): Promise<void> {
  const connections = Number(arg('connections'))
  const cpu = process.cpuUsage()
  const start = performance.now()
  const r = await runHttpLoad({
    kind: 'load-http',
    name: 'bench',
    url: arg('url'),
    method: 'GET',
    headers: {},
    rate: Number(arg('rate')),
    durationMs: Number(arg('seconds')) * 1000,
    maxInFlight: connections,
    connections,
    timeoutMs: 1000
  })
  const wallMs = performance.now() - start
  const used = process.cpuUsage(cpu)
  report({
    tool: 'ours',
    requests: r.completed,
    rps: r.achievedRps,
    p50: r.service.p50,
    p99: r.service.p99,
    correctedP99: r.corrected.p99,
    // Saturated on purpose: what waits past the drain times out; not errors.
    errors: r.errors - r.timeouts,
    cpuMs: (used.user + used.system) / 1000,
    wallMs
  })
}

function report(r: GeneratorReport): void {
  console.log(JSON.stringify(r))
}

/** Starts this file in another role; resolves with its last stdout line. */
function child(
  args: string[],
  onLine?: (line: string, proc: ChildProcess) => void
): { proc: ChildProcess; done: Promise<string> } {
  const proc = spawn(
    process.execPath,
    ['--import', hooks, '--no-warnings', self, ...args],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] }
  )
  let last = ''
  let buffered = ''
  proc.stdout?.setEncoding('utf8')
  proc.stdout?.on('data', (chunk: string) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      if (line.trim() === '') continue
      last = line
      onLine?.(line, proc)
    }
  })
  const done = new Promise<string>((ok, fail) => {
    proc.on('error', fail)
    proc.on('close', (code) =>
      code === 0 ? ok(last) : fail(new Error(`${args[0]} exited ${code}`))
    )
  })
  return { proc, done }
}

/** Starts the loopback server child and waits for its port. */
async function startServer(
  role = 'server'
): Promise<{ url: string; proc: ChildProcess }> {
  return new Promise((ok, fail) => {
    const { done } = child([`--role=${role}`], (line, p) => {
      const m = /^PORT (\d+)$/.exec(line)
      if (m) ok({ url: `http://127.0.0.1:${m[1]}/`, proc: p })
    })
    done.catch(fail)
    setTimeout(() => fail(new Error('server did not start in 10 s')), 10_000)
  })
}

/** CPU ms a process has used so far, from /proc (Linux); 0 elsewhere. */
function cpuOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime, fields 14 and 15, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

/** Runs one generator; also reads the server's CPU time around it. */
async function generator(
  args: string[],
  server?: ChildProcess
): Promise<GeneratorReport> {
  const before = cpuOf(server?.pid)
  const line = await child(args).done
  const report = JSON.parse(line) as GeneratorReport
  report.serverCpuMs = cpuOf(server?.pid) - before
  return report
}

async function orchestrate(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5)
  const connections = Number(process.argv[3] ?? 50)
  const rounds = Number(process.argv[4] ?? 6)
  // With a 4th argument both tools run at that same fixed rate (equal
  // settings); without it both run flat out (max throughput).
  const fixedRate = process.argv[5] ? Number(process.argv[5]) : undefined
  const server = await startServer()
  const results: GeneratorReport[] = []
  try {
    // Warm the server's JIT so the first measured round is not penalised.
    await generator([
      '--role=autocannon',
      `--url=${server.url}`,
      `--connections=${connections}`,
      '--seconds=2'
    ])
    for (let round = 0; round < rounds; round++) {
      const ac = await generator(
        [
          '--role=autocannon',
          `--url=${server.url}`,
          `--connections=${connections}`,
          `--seconds=${seconds}`,
          ...(fixedRate ? [`--rate=${fixedRate}`] : [])
        ],
        server.proc
      )
      results.push(ac)
      const ours = await generator(
        [
          '--role=ours',
          `--url=${server.url}`,
          `--connections=${connections}`,
          `--seconds=${seconds}`,
          `--rate=${fixedRate ?? Math.max(200_000, Math.ceil(ac.rps * 4))}`
        ],
        server.proc
      )
      results.push(ours)
    }
  } finally {
    server.proc.stdin?.end()
    server.proc.kill()
  }
  const f = (n: number): string => n.toFixed(2).padStart(8)
  console.log(
    `node ${process.version}, loopback, ${connections} connections, ${seconds} s per run, ${rounds} rounds (server in its own process)`
  )
  console.log(
    'tool         req/s     p50 ms   p99 ms   errors   CPU ms  share   CPU us/req   server us/req'
  )
  for (const r of results) {
    console.log(
      `${r.tool.padEnd(10)} ${r.rps.toFixed(0).padStart(7)}  ${f(r.p50)} ${f(r.p99)}  ${String(r.errors).padStart(6)}  ${r.cpuMs.toFixed(0).padStart(7)}  ${((100 * r.cpuMs) / r.wallMs).toFixed(0).padStart(4)}%  ${((r.cpuMs * 1000) / Math.max(1, r.requests)).toFixed(1).padStart(9)}   ${(((r.serverCpuMs ?? 0) * 1000) / Math.max(1, r.requests)).toFixed(1).padStart(9)}` +
        (r.correctedP99 === undefined
          ? ''
          : `   (corrected p99 ${r.correctedP99.toFixed(0)} ms: saturated on purpose)`)
    )
  }
  const best = (tool: string): GeneratorReport =>
    results
      .filter((r) => r.tool === tool)
      .reduce((a, b) => (b.rps > a.rps ? b : a))
  const a = best('autocannon')
  const o = best('ours')
  // Each round's pair ran back to back: their ratio cancels slow drifts in
  // what else the machine is doing.
  const pairs: number[] = []
  for (let i = 0; i + 1 < results.length; i += 2) {
    pairs.push(results[i + 1].rps / results[i].rps)
  }
  const sorted = [...pairs].sort((x, y) => x - y)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]
  const cpu = (r: GeneratorReport): number => r.cpuMs / r.requests
  console.log(
    `ratio ours/autocannon req/s: median of rounds ${median.toFixed(2)} ` +
      `(rounds ${pairs.map((p) => p.toFixed(2)).join(' ')}; best round each ${(o.rps / a.rps).toFixed(2)}); ` +
      `CPU per request ${(cpu(o) / cpu(a)).toFixed(2)}x (target: req/s ratio >= 1.00)`
  )
}
