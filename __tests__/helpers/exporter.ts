/**
 * A loopback Prometheus exporter the test controls: gauges it sets and
 * counters it bumps, served in the text exposition format on 127.0.0.1:0,
 * so a real Prometheus can scrape numbers the test knows in advance; and a
 * stub HTTP server for the answers no real backend gives on demand.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'

export type Labels = Record<string, string>

interface Family {
  type: 'gauge' | 'counter'
  series: Map<string, { labels: Labels; value: number }>
}

export interface Exporter {
  /** `127.0.0.1:<port>`, the scrape target. */
  target: string
  /** The metrics URL, for checking the format by hand. */
  url: string
  /** How many times /metrics was served. */
  readonly scrapes: number
  set(name: string, labels: Labels, value: number): void
  inc(name: string, labels: Labels, by?: number): void
  /** Runs before every scrape is rendered, e.g. to bump counters. */
  onScrape(fn: () => void): void
  render(): string
  close(): Promise<void>
}

/** Starts the exporter; the caller must `close()` it. */
export async function startExporter(): Promise<Exporter> {
  const families = new Map<string, Family>()
  const hooks: (() => void)[] = []
  let scrapes = 0

  const family = (name: string, type: Family['type']): Family => {
    const existing = families.get(name)
    if (existing) {
      if (existing.type !== type) throw new Error(`${name} is a ${type}`)
      return existing
    }
    const created: Family = { type, series: new Map() }
    families.set(name, created)
    return created
  }
  const key = (labels: Labels): string =>
    JSON.stringify(
      Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))
    )

  const render = (): string => {
    const lines: string[] = []
    for (const [name, f] of families) {
      lines.push(`# TYPE ${name} ${f.type}`)
      for (const { labels, value } of f.series.values()) {
        const pairs = Object.entries(labels).map(
          ([k, v]) => `${k}="${escapeLabel(v)}"`
        )
        const set = pairs.length > 0 ? `{${pairs.join(',')}}` : ''
        lines.push(`${name}${set} ${formatValue(value)}`)
      }
    }
    return `${lines.join('\n')}\n`
  }

  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end()
      return
    }
    scrapes++
    for (const hook of hooks) hook()
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8'
    })
    res.end(render())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    target: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/metrics`,
    get scrapes() {
      return scrapes
    },
    set(name, labels, value) {
      family(name, 'gauge').series.set(key(labels), { labels, value })
    },
    inc(name, labels, by = 1) {
      const f = family(name, 'counter')
      const k = key(labels)
      const current = f.series.get(k)?.value ?? 0
      f.series.set(k, { labels, value: current + by })
    },
    onScrape(fn) {
      hooks.push(fn)
    },
    render,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

/** What a stub saw of one request. */
export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

export interface StubServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  requests: SeenRequest[]
  close(): Promise<void>
}

/**
 * A loopback HTTP server whose every answer the test writes, for the paths
 * a real metrics backend will not produce on demand: 5xx, 429, stalls,
 * garbage. Open connections are dropped on close, so a stalled request
 * never keeps Jest alive.
 */
export async function startStubServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void
): Promise<StubServer> {
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers
    })
    handler(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A loopback port nothing listens on (bound, then released). */
export async function refusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
