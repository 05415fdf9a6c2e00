/**
 * The Nova Streaming stand-in, run in its own process by the streaming
 * example's test: the REST API over HTTPS, the viewer WebSocket, and the
 * plain-HTTP redirect. Its state lives in files of STATE_DIR that the test
 * and the deploy programs write: `version` (what is deployed), `faulty`
 * (the version that refuses one viewer connection in 20), `unlimited` (the
 * version without rate limiting) and `upgrades` (one byte per viewer
 * upgrade seen). Streams created through the API live in memory; `streams`
 * logs each creation and deletion.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
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
/** A second test user: it must not see the first one's streams. */
const otherJwt = env('OTHER_USER_JWT')
const REFUSE_EVERY = 20
/** Stream creations a client may make per window before 429s. */
const CREATE_LIMIT = 20
/** Wide, so a burst slowed by a busy machine still meets the limit. */
const CREATE_WINDOW_MS = 10_000

const read = (name: string, fallback: string): string => {
  const f = join(dir, name)
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : fallback
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Streams created through the API, by id. */
const created = new Map<string, { id: string; title: string; owner: string }>()
/** When recent stream creations came in (a sliding window). */
let creations: number[] = []
/** The deploy the limiter counts for: a deploy restarts it empty. */
let deployedAt = 0

/** True when a creation is over the limit (unless this version has none). */
function limited(): boolean {
  if (read('version', 'v1.9.0') === read('unlimited', '')) return false
  const f = join(dir, 'version')
  const at = existsSync(f) ? statSync(f).mtimeMs : 0
  if (at !== deployedAt) creations = []
  deployedAt = at
  const now = Date.now()
  creations = creations.filter((t) => now - t < CREATE_WINDOW_MS)
  creations.push(now)
  return creations.length > CREATE_LIMIT
}

function api(req: IncomingMessage, res: ServerResponse, body: string): void {
  const route = `${req.method} ${req.url}`
  const one = /^\/api\/v1\/streams\/([0-9a-f-]{36})$/.exec(req.url ?? '')
  if (route === 'GET /health') return json(res, 200, { ok: true })
  if (route === 'GET /metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    res.end(
      '# HELP nova_streaming_active_streams Live streams.\n# TYPE nova_streaming_active_streams gauge\nnova_streaming_active_streams 3\n'
    )
    return
  }
  const user =
    req.headers.authorization === `Bearer ${jwt}`
      ? 'smoke'
      : req.headers.authorization === `Bearer ${otherJwt}`
        ? 'other'
        : undefined
  if (!user) return json(res, 401, { error: 'unauthorized' })
  if (route === 'GET /api/v1/streams/active') {
    const listed = [...created.values()].map(({ id, title }) => ({ id, title }))
    return json(res, 200, { streams: [{ id: stream }, ...listed] })
  }
  if (route === 'POST /api/v1/streams') {
    if (limited()) {
      res.setHeader('retry-after', '1')
      return json(res, 429, { error: 'too many requests' })
    }
    try {
      const b = JSON.parse(body) as { title?: string }
      if (!b.title) return json(res, 400, { error: 'title is required' })
      const s = { id: randomUUID(), title: b.title, owner: user }
      created.set(s.id, s)
      appendFileSync(join(dir, 'streams'), `created ${s.id}\n`)
      return json(res, 201, { id: s.id, title: s.title })
    } catch {
      return json(res, 400, { error: 'malformed JSON' })
    }
  }
  // Another user's stream does not exist for this one.
  const own = one ? created.get(one[1]) : undefined
  const found = own?.owner === user ? own : undefined
  if (found && req.method === 'GET') {
    return json(res, 200, { id: found.id, title: found.title })
  }
  if (found && req.method === 'DELETE') {
    created.delete(found.id)
    appendFileSync(join(dir, 'streams'), `deleted ${found.id}\n`)
    res.writeHead(204)
    return void res.end()
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
