/**
 * Credentials across redirects: `Authorization`, `Cookie` and any configured
 * header that carries a secret go only to the origin (scheme, host and port)
 * that received them, as browsers and curl do since CVE-2022-27776. Real
 * loopback servers see what each hop really sends.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { httpRequest } from '../../src/config/schema.js'
import {
  closeHttpDispatchers,
  sharedDispatchers
} from '../../src/http/dispatcher.js'
import { redirectHop, sameOrigin } from '../../src/http/redirects.js'
import { request } from '../../src/http/request.js'
import { resolveHttpRequest } from '../../src/http/resolve.js'
import { systemClock } from '../../src/kernel/clock.js'
import { hasOpenssl, makeSelfSignedCert } from '../helpers/http-certs.js'
import { startServer, type TestServer } from '../helpers/http-servers.js'

const TOKEN = 'tok-REDIRECT-5e6f7a'
const KEY = 'key-REDIRECT-8b9c0d'
const env = { TOKEN, KEY }

let servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})
afterAll(async () => {
  await closeHttpDispatchers()
})

async function serve(handler: http.RequestListener): Promise<TestServer> {
  const s = await startServer(handler)
  servers.push(s)
  return s
}

/** The request a probe or webhook config renders to, secrets and all. */
function specFor(
  url: string,
  allowHosts: string[] = []
): ReturnType<typeof resolveHttpRequest> & { ok: true } {
  const config = httpRequest.parse({
    url,
    follow: 3,
    ...(allowHosts.length ? { 'allow-hosts': allowHosts } : {}),
    headers: {
      Authorization: 'Bearer ${secrets.TOKEN}',
      Cookie: 'sid=s3ss10n',
      'X-Api-Key': '${secrets.KEY}',
      'X-Trace': 't1'
    }
  })
  const r = resolveHttpRequest(config, {
    values: { vars: {}, env, builtins: {} },
    readFile: () => ''
  })
  if (!r.ok) throw new Error(r.error)
  return r
}

const send = async (
  url: string,
  opts: { insecure?: boolean; allowHosts?: string[] } = {}
): ReturnType<typeof request> =>
  request(specFor(url, opts.allowHosts).spec, {
    dispatcher: sharedDispatchers.get({
      tls: { insecure: opts.insecure ?? false },
      connectMs: 2000,
      env: {}
    }),
    clock: systemClock
  })

const CREDENTIALS = ['authorization', 'cookie', 'x-api-key']

describe('redirects keep credentials only within one origin', () => {
  it('drops them on a redirect to another port of the same host', async () => {
    const b = await serve((_req, res) => res.end('ok'))
    const a = await serve((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${b.port}/landed` })
      res.end()
    })
    const r = await send(`${a.origin}/start`)
    expect(r).toMatchObject({ kind: 'response', status: 200 })
    expect(a.seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(a.seen[0].headers['x-api-key']).toBe(KEY)
    expect(b.seen).toHaveLength(1)
    for (const h of CREDENTIALS) expect(b.seen[0].headers[h]).toBeUndefined()
    expect(JSON.stringify(b.seen)).not.toContain(TOKEN)
    expect(JSON.stringify(b.seen)).not.toContain(KEY)
    expect(b.seen[0].headers['x-trace']).toBe('t1')
  })

  it('keeps them on a redirect within the origin', async () => {
    const a = await serve((req, res) => {
      if (req.url === '/start') {
        res.writeHead(307, { location: `http://127.0.0.1:${port()}/landed` })
        res.end()
      } else res.end('ok')
    })
    const port = (): number => a.port
    const r = await send(`${a.origin}/start`)
    expect(r).toMatchObject({ kind: 'response', status: 200 })
    expect(a.seen.map((s) => s.url)).toEqual(['/start', '/landed'])
    const landed = a.seen[1].headers
    expect(landed.authorization).toBe(`Bearer ${TOKEN}`)
    expect(landed.cookie).toBe('sid=s3ss10n')
    expect(landed['x-api-key']).toBe(KEY)
  })

  it('does not give them back when a later hop returns to the first origin', async () => {
    let aPort = 0
    const b = await serve((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${aPort}/back` })
      res.end()
    })
    const a = await serve((req, res) => {
      if (req.url === '/start') {
        res.writeHead(302, { location: `http://127.0.0.1:${b.port}/` })
        res.end()
      } else res.end('ok')
    })
    aPort = a.port
    const r = await send(`${a.origin}/start`)
    expect(r).toMatchObject({ kind: 'response', status: 200 })
    expect(a.seen[1].url).toBe('/back')
    for (const h of CREDENTIALS) expect(a.seen[1].headers[h]).toBeUndefined()
  })

  it('drops them on an allowed redirect to another host', async () => {
    const b = await serve((_req, res) => res.end('ok'))
    const a = await serve((_req, res) => {
      res.writeHead(301, { location: `http://localhost:${b.port}/` })
      res.end()
    })
    const r = await send(`${a.origin}/`, { allowHosts: ['localhost'] })
    expect(r).toMatchObject({ kind: 'response', status: 200 })
    for (const h of CREDENTIALS) expect(b.seen[0].headers[h]).toBeUndefined()
  })

  const tlsIt = hasOpenssl() ? it : it.skip
  tlsIt(
    'drops them from https down to http on the very same host and port',
    async () => {
      // One port that speaks TLS and plain HTTP, so only the scheme differs.
      const cert = makeSelfSignedCert(3)
      const seen: { scheme: string; headers: http.IncomingHttpHeaders }[] = []
      let port = 0
      const plain = http.createServer((req, res) => {
        seen.push({ scheme: 'http', headers: req.headers })
        res.end('ok')
      })
      const secure = https.createServer(cert, (req, res) => {
        seen.push({ scheme: 'https', headers: req.headers })
        res.writeHead(302, { location: `http://127.0.0.1:${port}/plain` })
        res.end()
      })
      const backends = await Promise.all(
        [secure, plain].map(async (srv) => {
          await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok))
          return (srv.address() as AddressInfo).port
        })
      )
      // The front port passes each connection, by its first byte, to the
      // TLS or the plain server (0x16 opens a TLS handshake record).
      const sockets = new Set<net.Socket>()
      const front = net.createServer((socket) => {
        sockets.add(socket)
        socket.once('data', (first) => {
          const back = net.connect(
            backends[first[0] === 0x16 ? 0 : 1],
            '127.0.0.1'
          )
          sockets.add(back)
          back.write(first)
          socket.pipe(back).pipe(socket)
          const end = (): void => {
            socket.destroy()
            back.destroy()
          }
          socket.on('error', end).on('close', end)
          back.on('error', end).on('close', end)
        })
      })
      await new Promise<void>((ok) => front.listen(0, '127.0.0.1', ok))
      port = (front.address() as AddressInfo).port
      try {
        const r = await send(`https://127.0.0.1:${port}/start`, {
          insecure: true
        })
        expect(r).toMatchObject({ kind: 'response', status: 200 })
        expect(seen.map((s) => s.scheme)).toEqual(['https', 'http'])
        expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
        for (const h of CREDENTIALS) {
          expect(seen[1].headers[h]).toBeUndefined()
        }
      } finally {
        for (const s of sockets) s.destroy()
        secure.closeAllConnections()
        plain.closeAllConnections()
        for (const srv of [front, secure, plain]) {
          await new Promise<void>((ok) => srv.close(() => ok()))
        }
      }
    }
  )
})

describe('sameOrigin and redirectHop', () => {
  it('fills in default ports and ignores the case of the host', () => {
    expect(
      sameOrigin(
        new URL('https://api.test/a'),
        new URL('https://API.test:443/')
      )
    ).toBe(true)
    expect(
      sameOrigin(new URL('http://api.test/'), new URL('http://api.test:8080/'))
    ).toBe(false)
    expect(
      sameOrigin(new URL('https://api.test/'), new URL('http://api.test/'))
    ).toBe(false)
  })

  it('names the secret-bearing headers it drops, case-insensitively', () => {
    const r = redirectHop(
      {
        url: new URL('http://127.0.0.1:8000/'),
        method: 'GET',
        headers: { 'x-api-key': KEY, accept: 'text/plain' },
        secretHeaders: ['X-Api-Key']
      },
      302,
      'http://127.0.0.1:8001/',
      new URL('http://127.0.0.1:8000/'),
      []
    )
    expect(r).toEqual({
      next: {
        url: new URL('http://127.0.0.1:8001/'),
        method: 'GET',
        headers: { accept: 'text/plain' },
        body: undefined,
        secretHeaders: ['X-Api-Key']
      }
    })
  })
})
