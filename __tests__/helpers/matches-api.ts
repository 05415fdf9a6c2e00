/**
 * A small stateful API on loopback for chained smoke probes: create a match,
 * read it back, delete it. Every request is checked (method, path, token,
 * content type, body, the owner ref the create handed out) and each refusal
 * is recorded, so a test sees exactly what the probe sent.
 */
import { randomBytes } from 'node:crypto'
import { startServer, type TestServer } from './http-servers.js'

export interface MatchesApi extends TestServer {
  /** Matches that exist now, by id. */
  matches: Map<string, { name: string; ref: string }>
  /** Requests the API refused, one line each: `POST /api/matches: no token`. */
  refused: string[]
  /** Every request line in order: `GET /api/matches/m-1`. */
  log: string[]
  /** The refs handed out, to check that none is ever printed. */
  refs: string[]
}

export interface MatchesApiFaults {
  /** The create answers `{ match: { id }, name }` instead of `{ id, name }`. */
  idMoved?: boolean
  /** DELETE answers 204 but keeps the match. */
  deleteKeeps?: boolean
}

/** Starts the API; `token` is the bearer token a create must carry. */
export async function startMatchesApi(
  token: string,
  faults: MatchesApiFaults = {}
): Promise<MatchesApi> {
  const matches = new Map<string, { name: string; ref: string }>()
  const refused: string[] = []
  const log: string[] = []
  const refs: string[] = []
  let seq = 0
  const server = await startServer((req, res) => {
    const line = `${req.method} ${req.url}`
    log.push(line)
    const refuse = (status: number, why: string): void => {
      refused.push(`${line}: ${why}`)
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: why }))
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      if (req.method === 'POST' && req.url === '/api/matches') {
        if (req.headers.authorization !== `Bearer ${token}`) {
          refuse(401, 'missing or wrong bearer token')
          return
        }
        if (req.headers['content-type'] !== 'application/json') {
          refuse(415, 'content-type must be application/json')
          return
        }
        let name: unknown
        try {
          name = (JSON.parse(body) as { name?: unknown }).name
        } catch {
          refuse(400, 'body is not JSON')
          return
        }
        if (typeof name !== 'string' || name === '') {
          refuse(400, 'name is required')
          return
        }
        const id = `m-${++seq}`
        const ref = `ref-${randomBytes(12).toString('hex')}`
        refs.push(ref)
        matches.set(id, { name, ref })
        res.writeHead(201, {
          'content-type': 'application/json',
          location: `/api/matches/${id}`,
          'x-owner-ref': ref
        })
        res.end(
          JSON.stringify(
            faults.idMoved ? { match: { id }, name } : { id, name }
          )
        )
        return
      }
      const m = /^\/api\/matches\/([^/?]+)$/.exec(req.url ?? '')
      if (!m || (req.method !== 'GET' && req.method !== 'DELETE')) {
        refuse(404, 'no such route')
        return
      }
      const id = decodeURIComponent(m[1])
      const match = matches.get(id)
      if (!match) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: `no match '${id}'` }))
        return
      }
      if (req.headers['x-owner-ref'] !== match.ref) {
        refuse(403, 'x-owner-ref is not the one the create returned')
        return
      }
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ id, name: match.name, handle: match.ref }))
        return
      }
      if (!faults.deleteKeeps) matches.delete(id)
      res.writeHead(204).end()
    })
  })
  return { ...server, matches, refused, log, refs }
}

/** A rate limiter: the first `limit` requests get 200, the rest 429. */
export async function startRateLimited(
  limit: number
): Promise<TestServer & { counts: Record<number, number> }> {
  let n = 0
  const counts: Record<number, number> = {}
  const server = await startServer((req, res) => {
    const status =
      req.method === 'GET' && req.url === '/api/search'
        ? ++n <= limit
          ? 200
          : 429
        : 404
    counts[status] = (counts[status] ?? 0) + 1
    if (status === 429) res.setHeader('retry-after', '60')
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(status === 200 ? '{"results":[]}' : '{"error":"slow down"}')
  })
  return { ...server, counts }
}
