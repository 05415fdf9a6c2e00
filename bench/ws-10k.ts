/**
 * 10,000 concurrent WebSocket connections from one process: the WebSocket
 * load engine opens them over a 10 s ramp against a `ws` echo server in a
 * child process, holds them for 10 s with a message every 5 s on each,
 * then closes them all. Reports the open-file limit, connect rate and
 * times, message round trips, and the RSS of the client process (and of
 * the server). Each side needs one descriptor per connection, so both run
 * in children started through `sh -c 'ulimit -n N && exec node ...'` when
 * the soft limit is too low and the hard one allows more (Node raises its
 * own soft limit to the hard one at startup, so in practice the hard limit
 * is what counts); below that, fewer connections run and it says so. Stops by itself
 * after about 30 s (hard stop at 120 s).
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/ws-10k.ts [CONNECTIONS]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { WebSocketServer } from 'ws'
import { runWsLoad } from '../src/probes/load-ws.js'

const root = resolve(import.meta.dirname, '..')
const self = import.meta.filename
const hooks = resolve(root, 'scripts', 'ts-hooks.mjs')
const RAMP_MS = 10_000
const HOLD_MS = 10_000

const role = process.argv.find((a) => a.startsWith('--role='))?.slice(7)
const arg = (name: string): string =>
  process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3) ?? ''

if (role === 'server') serve()
else if (role === 'client') await client()
else await orchestrate()

function serve(): void {
  const server = createServer((_req, res) => res.writeHead(404).end())
  const wss = new WebSocketServer({ server, perMessageDeflate: false })
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }))
    ws.on('error', () => undefined)
  })
  server.listen(0, '127.0.0.1', 4096, () => {
    const address = server.address()
    if (address === null || typeof address === 'string') process.exit(1)
    console.log(`PORT ${address.port}`)
  })
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
}

async function client(): Promise<void> {
  const connections = Number(arg('connections'))
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 250)
  const r = await runWsLoad({
    kind: 'load-ws',
    name: 'ws-10k',
    url: arg('url'),
    headers: {},
    connections,
    rampMs: RAMP_MS,
    durationMs: HOLD_MS,
    message: '{"type":"ping"}',
    intervalMs: 5000,
    connectTimeoutMs: 10_000
  })
  clearInterval(timer)
  console.log(
    JSON.stringify({
      baseline,
      peak,
      fdLimit: openFileLimit(),
      result: r
    })
  )
}

function openFileLimit(): string {
  const r = spawnSync('sh', ['-c', 'ulimit -n; ulimit -Hn'], {
    encoding: 'utf8'
  })
  return r.stdout.trim().split('\n').join(' soft / ') + ' hard'
}

/** Starts this file in a role, with the open-file limit raised when needed. */
function start(args: string[], nofile: number | undefined): ChildProcess {
  const node = [process.execPath, '--import', hooks, '--no-warnings', self]
  const quoted = [...node, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`)
  const command =
    nofile === undefined
      ? `exec ${quoted.join(' ')}`
      : `ulimit -n ${nofile} && exec ${quoted.join(' ')}`
  return spawn('sh', ['-c', command], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit']
  })
}

function lines(proc: ChildProcess, onLine: (line: string) => void): void {
  let buffered = ''
  proc.stdout?.setEncoding('utf8')
  proc.stdout?.on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    for (const line of parts) if (line.trim() !== '') onLine(line)
  })
}

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = /VmRSS:\s+(\d+) kB/.exec(status)
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

interface ClientReport {
  baseline: number
  peak: number
  fdLimit: string
  result: Awaited<ReturnType<typeof runWsLoad>>
}

async function orchestrate(): Promise<void> {
  const wanted = Number(process.argv[2] ?? 10_000)
  const limits = spawnSync('sh', ['-c', 'ulimit -n; ulimit -Hn'], {
    encoding: 'utf8'
  })
    .stdout.trim()
    .split('\n')
    .map((v) => (v === 'unlimited' ? Infinity : Number(v)))
  const [soft, hard] = limits
  const needed = wanted + 256
  let nofile: number | undefined
  let connections = wanted
  if (soft < needed) {
    if (hard >= needed) nofile = needed
    else {
      nofile = hard
      connections = Math.max(1, hard - 256)
    }
  }
  console.log(
    `ulimit -n: soft ${soft}, hard ${hard}; needed ${needed} per process: ` +
      (nofile === undefined
        ? 'enough'
        : hard >= needed
          ? `raised to ${nofile} in the children`
          : `LIMITED: hard limit allows only ${connections} connections`)
  )
  const server = start(['--role=server'], nofile)
  const guard = setTimeout(() => {
    server.kill('SIGKILL')
    process.exit(2)
  }, 120_000)
  let serverPeak = 0
  const poll = setInterval(() => {
    // `sh -c '... exec node'` keeps the pid: this is the node process.
    serverPeak = Math.max(serverPeak, rssOf(server.pid))
  }, 500)
  try {
    const url = await new Promise<string>((ok, fail) => {
      lines(server, (line) => {
        const m = /^PORT (\d+)$/.exec(line)
        if (m) ok(`ws://127.0.0.1:${m[1]}/`)
      })
      server.on('exit', () => fail(new Error('server exited')))
    })
    const clientProc = start(
      ['--role=client', `--url=${url}`, `--connections=${connections}`],
      nofile
    )
    const report = await new Promise<ClientReport>((ok, fail) => {
      let last = ''
      lines(clientProc, (line) => (last = line))
      clientProc.on('exit', (code) =>
        code === 0
          ? ok(JSON.parse(last) as ClientReport)
          : fail(new Error(`client exited ${code}`))
      )
    })
    const r = report.result
    const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`
    const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`
    console.log(
      `node ${process.version}, client limit ${report.fdLimit}, ramp ${RAMP_MS / 1000} s, hold ${HOLD_MS / 1000} s`
    )
    console.log(
      `connections ${r.connections}: connected ${r.connected} (${(r.connectRate * 100).toFixed(2)}%), failed ${r.failed}, dropped ${r.dropped}, most open at once ${r.maxOpen}`
    )
    if (Object.keys(r.errorCounts).length > 0) {
      console.log(`failures: ${JSON.stringify(r.errorCounts)}`)
    }
    console.log(
      `connect p50 ${r.connect.p50.toFixed(2)} ms, p99 ${r.connect.p99.toFixed(2)} ms, max ${r.connect.max.toFixed(1)} ms (n=${r.connect.n})`
    )
    console.log(
      `messages ${r.messagesSent} sent, ${r.messagesAnswered} echoed; rtt p50 ${r.rtt.p50.toFixed(2)} ms, p99 ${r.rtt.p99.toFixed(2)} ms (n=${r.rtt.n})`
    )
    console.log(
      `client RSS: ${mb(report.baseline)} before, ${mb(report.peak)} peak while holding (${kb((report.peak - report.baseline) / Math.max(1, r.maxOpen))} per connection)`
    )
    console.log(`server RSS peak: ${mb(serverPeak)}`)
    console.log(r.reason)
  } finally {
    clearInterval(poll)
    clearTimeout(guard)
    server.stdin?.end()
    server.kill()
  }
}
