/**
 * The Nova Streaming stand-in, run in its own process by the streaming
 * example's test: the REST API over HTTPS, the viewer WebSocket, and the
 * plain-HTTP redirect. Its state lives in files of STATE_DIR that the test
 * and the deploy programs write: `version` (what is deployed), `faulty`
 * (the version that refuses one viewer connection in 20) and `upgrades`
 * (one byte per viewer upgrade seen).
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'

const env = (name: string): string => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set`)
  return v
}
const dir = env('STATE_DIR')
const stream = env('STREAM')
const jwt = env('SMOKE_JWT')
const REFUSE_EVERY = 20

const read = (name: string, fallback: string): string => {
  const f = join(dir, name)
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : fallback
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function api(req: IncomingMessage, res: ServerResponse, body: string): void {
  const route = `${req.method} ${req.url}`
  if (route === 'GET /health') return json(res, 200, { ok: true })
  if (route === 'GET /metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    res.end(
      '# HELP nova_streaming_active_streams Live streams.\n# TYPE nova_streaming_active_streams gauge\nnova_streaming_active_streams 3\n'
    )
    return
  }
  if (req.headers.authorization !== `Bearer ${jwt}`) {
    return json(res, 401, { error: 'unauthorized' })
  }
  if (route === 'GET /api/v1/streams/active') {
    return json(res, 200, { streams: [{ id: stream }] })
  }
  if (route === 'POST /api/v1/streams') {
    try {
      const b = JSON.parse(body) as { title?: string }
      return b.title
        ? json(res, 201, { id: stream })
        : json(res, 400, { error: 'title is required' })
    } catch {
      return json(res, 400, { error: 'malformed JSON' })
    }
  }
  json(res, 404, { error: 'stream not found' })
}

const https = createHttpsServer(
  {
    cert: readFileSync(env('CERT_FILE')),
    key: readFileSync(env('KEY_FILE')),
    minVersion: 'TLSv1.2'
  },
  (req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => api(req, res, body))
  }
)

const viewers = createHttpServer((_req, res) =>
  json(res, 426, { error: 'upgrade required' })
)
const wss = new WebSocketServer({ noServer: true })
viewers.on('upgrade', (req, socket, head) => {
  appendFileSync(join(dir, 'upgrades'), '.')
  const n = statSync(join(dir, 'upgrades')).size
  const refused =
    read('version', 'v1.9.0') === read('faulty', '') && n % REFUSE_EVERY === 0
  const ok =
    req.url === `/api/v1/streams/${stream}/ws` &&
    req.headers.authorization === `Bearer ${jwt}` &&
    !refused
  if (!ok) {
    socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n')
    return
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.send(
      JSON.stringify({ type: 'connection_established', stream_id: stream })
    )
  })
})

const listen = (s: typeof viewers | typeof https): Promise<number> =>
  new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port))
  )

const apiPort = await listen(https)
const plain = createHttpServer((req, res) => {
  res.writeHead(301, {
    location: `https://127.0.0.1:${apiPort}${req.url ?? '/'}`
  })
  res.end()
})
const urls = {
  api: `https://127.0.0.1:${apiPort}`,
  plain: `http://127.0.0.1:${await listen(plain)}`,
  viewers: `http://127.0.0.1:${await listen(viewers)}`
}
process.stdout.write(`${JSON.stringify(urls)}\n`)
// The test ends us by closing stdin (or by SIGTERM).
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
