/**
 * Loopback servers, a forward/CONNECT proxy, a fake clock and a spec builder
 * for the HTTP probe tests. Every server listens on 127.0.0.1 port 0 and
 * close() destroys its open sockets so no test leaves a handle behind.
 */
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { HttpProbeSpec } from '../../src/probes/types.js'
import type { TestCert } from './http-certs.js'
import type { Clock } from '../../src/kernel/clock.js'

export interface TestServer {
  port: number
  /** `http://127.0.0.1:PORT` (or https). */
  origin: string
  /** Request headers and URLs in arrival order. */
  seen: { url: string; headers: http.IncomingHttpHeaders }[]
  close(): Promise<void>
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>()
  const add = (s: net.Socket): void => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  }
  server.on('connection', add)
  server.on('secureConnection', add)
  return sockets
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function shut(
  server: net.Server,
  sockets: Set<net.Socket>
): Promise<void> {
  for (const s of sockets) s.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

/** Starts an HTTP (or, with a cert, HTTPS) server on a free loopback port. */
export async function startServer(
  handler: http.RequestListener,
  cert?: TestCert
): Promise<TestServer> {
  const seen: TestServer['seen'] = []
  const wrapped: http.RequestListener = (req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    handler(req, res)
  }
  const server = cert
    ? https.createServer({ key: cert.key, cert: cert.cert }, wrapped)
    : http.createServer(wrapped)
  const sockets = track(server)
  const port = await listen(server)
  return {
    port,
    origin: `${cert ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () => shut(server, sockets)
  }
}

/** A port that was just free: nothing listens there. */
export async function closedPort(): Promise<number> {
  const server = net.createServer()
  const port = await listen(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface TestProxy {
  url: string
  /** `CONNECT host:port` or `GET http://...` lines the proxy received. */
  seen: string[]
  close(): Promise<void>
}

/**
 * A minimal forward proxy: absolute-form requests are relayed with
 * http.request, CONNECT opens a TCP tunnel. `refuseConnect` answers CONNECT
 * with that status instead.
 */
export async function startProxy(refuseConnect?: number): Promise<TestProxy> {
  const seen: string[] = []
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const upstream = http.request(
      req.url ?? '',
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  const tunnels = new Set<net.Socket>()
  server.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    seen.push(`CONNECT ${req.url}`)
    tunnels.add(client)
    client.on('close', () => tunnels.delete(client))
    client.on('error', () => client.destroy())
    if (refuseConnect) {
      client.end(`HTTP/1.1 ${refuseConnect} Nope\r\ncontent-length: 0\r\n\r\n`)
      return
    }
    const [host, port] = (req.url ?? '').split(':')
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client)
      client.pipe(upstream)
    })
    tunnels.add(upstream)
    upstream.on('close', () => tunnels.delete(upstream))
    upstream.on('error', () => client.destroy())
  })
  const sockets = track(server)
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const s of tunnels) s.destroy()
      await shut(server, sockets)
    }
  }
}

export interface FakeClock extends Clock {
  /** Every wait the code asked for, in order. */
  sleeps: number[]
}

/**
 * Time that moves only when slept: waits between attempts take no real
 * time, and `monotonic()` shows exactly how long the code meant to wait.
 */
export function fakeClock(startEpoch = Date.UTC(2026, 0, 15, 12)): FakeClock {
  let offset = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => startEpoch + offset,
    monotonic: () => 1_000_000 + offset,
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(signal.reason as Error)
      sleeps.push(ms)
      offset += ms
      return Promise.resolve()
    }
  }
}

/** A complete spec with short timeouts; tests override what they test. */
export function httpSpec(
  url: string,
  over: Partial<HttpProbeSpec> = {}
): HttpProbeSpec {
  return {
    kind: 'http',
    name: 'test',
    url,
    method: 'GET',
    headers: {},
    timeouts: { connectMs: 1000, headersMs: 1000, bodyMs: 1000, totalMs: 3000 },
    follow: 0,
    allowHosts: [],
    tls: { insecure: false },
    retry: { attempts: 1, backoffMs: 100, maxBackoffMs: 2000 },
    expect: {},
    maxBodyBytes: 64 * 1024,
    ...over
  }
}
