/**
 * Starts a real Prometheus (the Debian package's binary) on a free loopback
 * port, scraping given targets every second, with its data in a temporary
 * directory. It is spawned directly, never through a shell, so the pid we
 * signal is Prometheus itself and stopping it cannot leave an orphan.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import {
  accessSync,
  constants,
  mkdtempSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** What CI prints when the package is missing. */
export const PROMETHEUS_MISSING =
  'prometheus not installed: .ci/run installs it with apt'

/**
 * `which prometheus`, without a shell. PROMETHEUS_BINARY, when set, is the
 * only candidate (a non-Debian install, or checking the missing-binary path).
 */
export function findPrometheus(): string | undefined {
  const forced = process.env.PROMETHEUS_BINARY
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  const candidates =
    forced !== undefined
      ? [forced]
      : [...dirs, '/usr/bin', '/usr/local/bin'].map((d) =>
          join(d, 'prometheus')
        )
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

export interface PrometheusServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string
  pid: number
  /** The last lines Prometheus logged, for failure messages. */
  logTail(): string
  /** SIGTERM, then SIGKILL after `graceMs`; removes the data directory. */
  stop(graceMs?: number): Promise<{
    code: number | null
    signal: NodeJS.Signals | null
  }>
}

export interface StartOptions {
  binary: string
  /** `host:port` scrape targets, all in job `app`. */
  targets: string[]
  /** Bound on reaching /-/ready. */
  readyTimeoutMs?: number
}

const LOG_TAIL_BYTES = 4096

/**
 * Starts Prometheus and resolves once /-/ready answers 200. A port taken
 * between our probe and Prometheus' bind shows up as an early exit, which
 * is retried on a new port.
 */
export async function startPrometheus(
  opts: StartOptions
): Promise<PrometheusServer> {
  let lastError: Error | undefined
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts)
    } catch (err) {
      lastError = err as Error
      if (!/address already in use/i.test(lastError.message)) throw err
    }
  }
  throw lastError ?? new Error('prometheus did not start')
}

async function startOnce(opts: StartOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dg-prometheus-'))
  const port = await freePort()
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: app',
    '    static_configs:',
    `      - targets: [${opts.targets.map((t) => `'${t}'`).join(', ')}]`,
    ''
  ].join('\n')
  writeFileSync(join(dir, 'prometheus.yml'), config)
  const child = spawn(
    opts.binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn'
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let log = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    log = (log + chunk).slice(-LOG_TAIL_BYTES)
  })
  const exited = new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
  }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  const spawnError = new Promise<Error>((resolve) =>
    child.once('error', resolve)
  )
  // A crashed test worker must not leave Prometheus running.
  const killOnExit = (): void => {
    if (isRunning(child)) child.kill('SIGKILL')
  }
  process.once('exit', killOnExit)

  const url = `http://127.0.0.1:${port}`
  const stop = async (
    graceMs = 5000
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    process.removeListener('exit', killOnExit)
    if (isRunning(child)) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => {
        if (isRunning(child)) child.kill('SIGKILL')
      }, graceMs)
      try {
        await exited
      } finally {
        clearTimeout(timer)
      }
    }
    rmSync(dir, { recursive: true, force: true })
    return exited
  }

  const ready = waitReady(url, opts.readyTimeoutMs ?? 10_000, () =>
    isRunning(child)
  )
  const outcome = await Promise.race([
    ready.then(
      () => 'ready' as const,
      (e: unknown) => e as Error
    ),
    exited.then(() => 'exited' as const),
    spawnError.then((e) => e)
  ])
  if (outcome !== 'ready') {
    await stop(1000)
    const why = outcome === 'exited' ? 'exited' : outcome.message
    throw new Error(`prometheus ${why} before ready: ${log.trim()}`)
  }
  return { url, pid: child.pid ?? -1, logTail: () => log, stop }
}

/**
 * Waits until a query over job `app` sees every target up, i.e. the first
 * scrape has landed, so the tests that follow query real samples.
 */
export async function waitForFirstScrape(
  url: string,
  targets: number,
  timeoutMs = 15_000
): Promise<void> {
  const query = encodeURIComponent('sum(up{job="app"})')
  await poll(
    async () => {
      const res = await fetch(`${url}/api/v1/query?query=${query}`)
      if (!res.ok) return false
      const body = (await res.json()) as {
        data?: { result?: { value?: [number, string] }[] }
      }
      return Number(body.data?.result?.[0]?.value?.[1]) === targets
    },
    timeoutMs,
    'first scrape'
  )
}

async function waitReady(
  url: string,
  timeoutMs: number,
  running: () => boolean
): Promise<void> {
  await poll(
    async () => (await fetch(`${url}/-/ready`)).status === 200,
    timeoutMs,
    '/-/ready',
    running
  )
}

async function poll(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  running: () => boolean = () => true
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (running()) {
    try {
      if (await check()) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`prometheus: no ${what} within ${timeoutMs}ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`prometheus: stopped before ${what}`)
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

/** True while a process with this pid exists (signal 0 probes it). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
