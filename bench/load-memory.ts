/**
 * Memory of the load engine over a long run: 60 s at a fixed 5,000 req/s
 * against a loopback server in a child process. The engine keeps no
 * per-request state beyond the requests on the wire, and its percentiles
 * come from fixed-size HDR histograms, so the generator's RSS at 60 s
 * should match its RSS at 10 s (target: within +/-10%). Stops by itself
 * after about 62 s.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/load-memory.ts [SECONDS] [RATE] [--trace]
 *
 * Defaults: 60 s, 5,000 req/s; --trace prints memory every second to stderr.
 * Run node with --expose-gc to force a full GC at every 10 s mark, so the
 * heap figures are the live heap. V8 grows its young generation (8 -> 16
 * MB semi-spaces, +16 MB heap total) once enough bytes have survived
 * scavenges, about 55 s into this run; that step is sizing, not a leak.
 * With it pre-sized the RSS figure shows only what the engine does:
 *
 *   npx node --min-semi-space-size=16 --import ./scripts/ts-hooks.mjs --no-warnings bench/load-memory.ts
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { runHttpLoad } from '../src/probes/load.js'

const root = resolve(import.meta.dirname, '..')
const self = import.meta.filename
const hooks = resolve(root, 'scripts', 'ts-hooks.mjs')

if (process.argv.includes('--role=server')) serve()
else await main()

function serve(): void {
  const body = Buffer.from('hello, world\n')
  const server = createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-length': body.length })
    res.end(body)
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    if (address === null || typeof address === 'string') process.exit(1)
    console.log(`PORT ${address.port}`)
  })
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 60)
  const rate = Number(process.argv[3] ?? 5000)
  const trace = process.argv.includes('--trace')
  const server = spawn(
    process.execPath,
    ['--import', hooks, '--no-warnings', self, '--role=server'],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] }
  )
  const url = await new Promise<string>((ok, fail) => {
    server.stdout.setEncoding('utf8')
    server.stdout.on('data', (chunk: string) => {
      const m = /PORT (\d+)/.exec(chunk)
      if (m) ok(`http://127.0.0.1:${m[1]}/`)
    })
    server.on('exit', () => fail(new Error('server exited')))
  })
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`
  const samples: { s: number; rss: number; heap: number; total: number }[] = []
  const start = performance.now()
  const timer = setInterval(() => {
    const gc = (globalThis as { gc?: () => void }).gc
    const t = Math.round((performance.now() - start) / 1000)
    if (gc !== undefined && t % 10 === 0) gc()
    const m = process.memoryUsage()
    if (trace) {
      console.error(
        `${((performance.now() - start) / 1000).toFixed(0)} s: rss ${mb(m.rss)}, heap total ${mb(m.heapTotal)} used ${mb(m.heapUsed)}, external ${mb(m.external)}`
      )
    }
    samples.push({
      s: Math.round((performance.now() - start) / 1000),
      rss: m.rss,
      heap: m.heapUsed,
      total: m.heapTotal
    })
  }, 1000)
  const guard = setTimeout(() => process.exit(2), (seconds + 60) * 1000)
  try {
    const r = await runHttpLoad({
      kind: 'load-http',
      name: 'memory',
      url,
      method: 'GET',
      headers: {},
      rate,
      durationMs: seconds * 1000,
      maxInFlight: 100,
      connections: 20,
      timeoutMs: 5000
    })
    clearInterval(timer)
    const at = (s: number): (typeof samples)[number] =>
      samples.reduce((a, b) => (Math.abs(b.s - s) < Math.abs(a.s - s) ? b : a))
    const a = at(10)
    const b = at(seconds)
    const later = samples.filter((x) => x.s >= 10)
    const maxRss = Math.max(...later.map((x) => x.rss))
    const minRss = Math.min(...later.map((x) => x.rss))
    const change = ((b.rss - a.rss) / a.rss) * 100
    console.log(
      `node ${process.version}, ${rate} req/s for ${seconds} s, max-in-flight 100, 20 connections`
    )
    console.log(
      `requests ${r.requests}, completed ${r.completed}, errors ${r.errors}, ${r.achievedRps} req/s, corrected p99 ${r.corrected.p99.toFixed(2)} ms (n=${r.corrected.n})`
    )
    console.log(
      `RSS at ${a.s} s ${mb(a.rss)} (heap used ${mb(a.heap)} of ${mb(a.total)}), at ${b.s} s ${mb(b.rss)} (heap used ${mb(b.heap)} of ${mb(b.total)}): ${change >= 0 ? '+' : ''}${change.toFixed(1)}%`
    )
    const series = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]
      .filter((t) => t < seconds)
      .concat([seconds])
      .map((t) => `${t} s ${mb(at(t).rss)}/${mb(at(t).heap)}`)
    console.log(`RSS/heap: ${series.join(', ')}`)
    console.log(
      `RSS from 10 s on: min ${mb(minRss)}, max ${mb(maxRss)}; target flat +/-10%: ${Math.abs(change) <= 10 ? 'PASS' : 'FAIL'}`
    )
    if (b.total - a.total >= 15 * 1024 * 1024) {
      console.log(
        `heap total grew ${mb(b.total - a.total)}: V8 sized up its young generation; rerun with node --min-semi-space-size=16 to pre-size it`
      )
    }
    if (Math.abs(change) > 10) process.exitCode = 1
  } finally {
    clearInterval(timer)
    clearTimeout(guard)
    server.stdin.end()
    server.kill()
  }
}
