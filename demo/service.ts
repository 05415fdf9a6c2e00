/**
 * A small service with two faces for demos and scenario tests: a version
 * whose error rate and latency can be set, serving /health, /version,
 * /api/matches/:id, /metrics (Prometheus text) and a WebSocket channel; and a
 * weighted router in front of two versions, whose canary weight is read
 * from a file that the traffic script writes.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface Behaviour {
  /** Share of /api requests answered with 500 (0-1). */
  errorRate: number
  /** Added latency of /api requests, in ms. */
  latencyMs: number
}

export interface DemoService {
  version: string
  url: string
  port: number
  behaviour: Behaviour
  /** Requests served per path kind, for assertions. */
  served: { api: number; errors: number; health: number }
  close(): Promise<void>
}

/** Deterministic pseudo-random numbers (mulberry32), so runs repeat. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-version': res.getHeader('x-version') ?? ''
  })
  res.end(text)
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port)
    )
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

/** Starts one version of the service on a loopback port. */
export async function startService(
  version: string,
  behaviour: Behaviour,
  seed = 1
): Promise<DemoService> {
  const random = seeded(seed)
  const served = { api: 0, errors: 0, health: 0 }
  const counters = { requests: 0, errors: 0, latencySum: 0 }
  const sockets = new Set<WebSocket>()
  const server = createServer((req, res) => {
    res.setHeader('x-version', version)
    const url = new URL(req.url ?? '/', 'http://service')
    if (url.pathname === '/health') {
      served.health += 1
      json(res, 200, { status: 'ok', version })
      return
    }
    if (url.pathname === '/version') {
      json(res, 200, { version })
      return
    }
    if (url.pathname === '/metrics') {
      const text = [
        '# TYPE demo_requests_total counter',
        `demo_requests_total{version="${version}"} ${counters.requests}`,
        '# TYPE demo_errors_total counter',
        `demo_errors_total{version="${version}"} ${counters.errors}`,
        '# TYPE demo_latency_seconds_sum counter',
        `demo_latency_seconds_sum{version="${version}"} ${counters.latencySum / 1000}`,
        ''
      ].join('\n')
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      res.end(text)
      return
    }
    if (url.pathname.startsWith('/api/')) {
      served.api += 1
      counters.requests += 1
      const fail = random() < behaviour.errorRate
      // Latency varies ±20% around the configured value.
      const delay = behaviour.latencyMs * (0.8 + 0.4 * random())
      counters.latencySum += delay
      setTimeout(() => {
        if (fail) {
          served.errors += 1
          counters.errors += 1
          json(res, 500, { error: 'internal error', version })
        } else {
          const id = url.pathname.split('/').pop() ?? ''
          json(res, 200, { id, version, status: 'live' })
        }
      }, delay)
      return
    }
    json(res, 404, { error: 'not found' })
  })
  const wss = new WebSocketServer({ server, path: '/ws' })
  wss.on('connection', (ws) => {
    sockets.add(ws)
    ws.on('close', () => sockets.delete(ws))
    ws.send(JSON.stringify({ type: 'connection_established', version }))
    const subscribed = new Set<string>()
    ws.on('message', (data: Buffer) => {
      let msg: { action?: string; match?: string }
      try {
        msg = JSON.parse(data.toString()) as typeof msg
      } catch {
        return
      }
      if (msg.action === 'subscribe' && msg.match) {
        subscribed.add(msg.match)
        ws.send(
          JSON.stringify({
            type: 'match-update',
            match: msg.match,
            score: '0-0'
          })
        )
      } else if (msg.action === 'unsubscribe' && msg.match) {
        subscribed.delete(msg.match)
      }
    })
  })
  const port = await listen(server)
  return {
    version,
    url: `http://127.0.0.1:${port}`,
    port,
    behaviour,
    served,
    close: async () => {
      for (const s of sockets) s.terminate()
      wss.close()
      await closeServer(server)
    }
  }
}

export interface Router {
  url: string
  port: number
  /** Requests sent to each upstream, for measuring the traffic share. */
  counts: { stable: number; canary: number }
  close(): Promise<void>
}

/**
 * A weighted router: each request goes to the canary with probability
 * weight/100, where the weight is the number in `weightFile` (0 when the
 * file is missing), read on every request so a traffic script can set it.
 */
export async function startRouter(
  stable: { port: number },
  canary: { port: number },
  weightFile: string,
  seed = 7
): Promise<Router> {
  const random = seeded(seed)
  const counts = { stable: 0, canary: 0 }
  const weight = (): number => {
    try {
      const n = Number(readFileSync(weightFile, 'utf8').trim())
      return Number.isFinite(n) ? n : 0
    } catch {
      return 0
    }
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const toCanary = random() * 100 < weight()
    counts[toCanary ? 'canary' : 'stable'] += 1
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: toCanary ? canary.port : stable.port,
        method: req.method,
        path: req.url,
        headers: req.headers
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      }
    )
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    close: () => closeServer(server)
  }
}
