/**
 * Coordinated omission, shown: a loopback HTTP server in a child process is
 * frozen with SIGSTOP for 1.4 s in the middle of a 10 s run at 200 req/s,
 * then resumed with SIGCONT. Our engine (open model, 10 connections and at
 * most 10 in flight) must report a corrected p99 of at least 1 s: every
 * request due during the stall waited for it. Its service-time p99 (from
 * the actual send) and autocannon's p99 (a closed model: 10 connections,
 * `overallRate` 200/s, same stall) do not see it, because only the 10
 * requests on the wire at the time were slow: that is the point.
 *
 * autocannon runs three times: at 200/s as it comes (in rate mode it
 * corrects at recording time, but with an expected interval of
 * ceil(1 / per-connection rate) = 1 ms instead of 50 ms, so each stalled
 * request adds ~1,400 synthetic samples and its p50 jumps to hundreds of
 * ms), at 200/s with `ignoreCoordinatedOmission` (the raw closed-model
 * view), and as fast as it can (its usual mode), where the stalled
 * requests are a vanishing fraction. Stops by itself after about 50 s.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/co-stall.ts
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { runHttpLoad } from '../src/probes/load.js'

const root = resolve(import.meta.dirname, '..')
const self = import.meta.filename
const hooks = resolve(root, 'scripts', 'ts-hooks.mjs')

const RATE = 200
const SECONDS = 10
const CONNECTIONS = 10
const STALL_AT_MS = 4000
const STALL_MS = 1400

interface Report {
  tool: string
  requests: number
  /** Latency samples: autocannon adds synthetic ones in rate mode. */
  samples: number
  p50: number
  p99: number
  max: number
  serviceP99?: number
  queued?: number
  errors: number
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice(7)
const arg = (name: string): string =>
  process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3) ?? ''

if (role === 'server') serve()
else if (role === 'ours') await runOurs()
else if (role === 'autocannon') await runAutocannon()
else await orchestrate()

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

async function runOurs(): Promise<void> {
  console.log('START')
  const r = await runHttpLoad({
    kind: 'load-http',
    name: 'co-stall',
    url: arg('url'),
    method: 'GET',
    headers: {},
    rate: RATE,
    durationMs: SECONDS * 1000,
    maxInFlight: CONNECTIONS,
    connections: CONNECTIONS,
    timeoutMs: 10_000
  })
  report({
    tool: 'ours (corrected)',
    requests: r.requests,
    samples: r.corrected.n,
    p50: r.corrected.p50,
    p99: r.corrected.p99,
    max: r.corrected.max,
    serviceP99: r.service.p99,
    queued: r.queued,
    errors: r.errors
  })
}

interface AutocannonResult {
  requests: { total: number }
  latency: { p50: number; p99: number; max: number; totalCount: number }
  errors: number
  timeouts: number
  non2xx: number
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, result: AutocannonResult) => void
) => unknown

async function runAutocannon(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon
  console.log('START')
  const r = await new Promise<AutocannonResult>((done, fail) => {
    autocannon(
      {
        url: arg('url'),
        connections: CONNECTIONS,
        // With --rate: the same 200 req/s; without: as fast as it can.
        ...(arg('rate') === '' ? {} : { overallRate: Number(arg('rate')) }),
        ignoreCoordinatedOmission: arg('raw') === '1',
        duration: SECONDS,
        timeout: 10
      },
      (err, result) => (err ? fail(err) : done(result))
    )
  })
  report({
    tool:
      arg('rate') === ''
        ? 'autocannon max rate'
        : arg('raw') === '1'
          ? 'autocannon 200/s raw'
          : 'autocannon 200/s',
    requests: r.requests.total,
    samples: r.latency.totalCount,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts + r.non2xx
  })
}

function report(r: Report): void {
  console.log(JSON.stringify(r))
}

function child(
  args: string[],
  onLine: (line: string) => void
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
      onLine(line)
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

/** Runs one generator and freezes the server in the middle of its run. */
async function stalledRun(
  server: ChildProcess,
  args: string[]
): Promise<Report> {
  const timers: NodeJS.Timeout[] = []
  const { done } = child(args, (line) => {
    if (line !== 'START') return
    timers.push(
      setTimeout(() => server.kill('SIGSTOP'), STALL_AT_MS),
      setTimeout(() => server.kill('SIGCONT'), STALL_AT_MS + STALL_MS)
    )
  })
  try {
    return JSON.parse(await done) as Report
  } finally {
    for (const t of timers) clearTimeout(t)
    server.kill('SIGCONT')
  }
}

async function orchestrate(): Promise<void> {
  let url = ''
  const server = child(['--role=server'], (line) => {
    const m = /^PORT (\d+)$/.exec(line)
    if (m) url = `http://127.0.0.1:${m[1]}/`
  })
  // We kill it at the end; its exit is not an error.
  server.done.catch(() => undefined)
  const guard = setTimeout(() => {
    server.proc.kill('SIGKILL')
    process.exit(2)
  }, 120_000)
  try {
    while (url === '') await new Promise((r) => setTimeout(r, 20))
    const ours = await stalledRun(server.proc, ['--role=ours', `--url=${url}`])
    const ac = await stalledRun(server.proc, [
      '--role=autocannon',
      `--url=${url}`,
      `--rate=${RATE}`
    ])
    const acRaw = await stalledRun(server.proc, [
      '--role=autocannon',
      `--url=${url}`,
      `--rate=${RATE}`,
      '--raw=1'
    ])
    const acMax = await stalledRun(server.proc, [
      '--role=autocannon',
      `--url=${url}`
    ])
    const f = (n: number | undefined): string =>
      n === undefined ? '       -' : n.toFixed(1).padStart(8)
    console.log(
      `node ${process.version}, ${RATE} req/s for ${SECONDS} s, ${CONNECTIONS} connections, server SIGSTOPped ${STALL_MS} ms at ${STALL_AT_MS} ms`
    )
    console.log(
      'tool                  requests  samples   p50 ms   p99 ms   max ms   errors'
    )
    for (const r of [ours, ac, acRaw, acMax]) {
      console.log(
        `${r.tool.padEnd(20)} ${String(r.requests).padStart(9)} ${String(r.samples).padStart(8)} ${f(r.p50)} ${f(r.p99)} ${f(r.max)} ${String(r.errors).padStart(8)}`
      )
    }
    console.log(
      `ours, service time   p99 ${f(ours.serviceP99).trim()} ms (from the actual send; ${ours.queued} arrivals waited for a slot)`
    )
    const okCorrected = ours.p99 >= 1000
    console.log(
      `corrected p99 ${ours.p99.toFixed(0)} ms ${okCorrected ? '>=' : '<'} 1000 ms: ${okCorrected ? 'PASS' : 'FAIL'}; ` +
        `corrected/service ${(ours.p99 / (ours.serviceP99 ?? 1)).toFixed(1)}x, corrected/autocannon ${(ours.p99 / Math.max(acRaw.p99, 1)).toFixed(1)}x (200/s raw), ${(ours.p99 / Math.max(acMax.p99, 1)).toFixed(1)}x (max rate)`
    )
    if (!okCorrected) process.exitCode = 1
  } finally {
    clearTimeout(guard)
    server.proc.kill('SIGCONT')
    server.proc.stdin?.end()
    server.proc.kill()
  }
}
