import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import type http from 'node:http'
import {
  closeHttpDispatchers,
  DispatcherCache,
  sharedDispatchers
} from '../../src/http/dispatcher.js'
import { request } from '../../src/http/request.js'
import { systemClock } from '../../src/kernel/clock.js'
import {
  closedPort,
  httpSpec,
  startServer,
  type TestServer
} from '../helpers/http-servers.js'

let servers: TestServer[] = []
async function serve(handler: http.RequestListener): Promise<TestServer> {
  const s = await startServer(handler)
  servers.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})
afterAll(async () => {
  await closeHttpDispatchers()
})

const dispatcher = (): ReturnType<DispatcherCache['get']> =>
  sharedDispatchers.get({ tls: { insecure: false }, connectMs: 1000, env: {} })

describe('request', () => {
  it('returns a response with status, headers, the kept body and timings', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(201, { 'x-id': 'a1' })
      res.end('0123456789')
    })
    const r = await request(httpSpec(`${s.origin}/x`, { maxBodyBytes: 4 }), {
      dispatcher: dispatcher(),
      clock: systemClock
    })
    expect(r.kind).toBe('response')
    if (r.kind !== 'response') return
    expect(r.status).toBe(201)
    expect(r.headers['x-id']).toBe('a1')
    expect(r.body.toString()).toBe('0123')
    expect(r.totalBytes).toBe(10)
    expect(r.url.pathname).toBe('/x')
    expect(typeof r.timings.firstByteMs).toBe('number')
    expect(typeof r.timings.connectMs).toBe('number')
  })

  it('stops reading at the cap when asked to', async () => {
    const s = await serve((_req, res) => {
      res.write('x'.repeat(64 * 1024))
      res.end('x'.repeat(64 * 1024))
    })
    const r = await request(httpSpec(s.origin, { maxBodyBytes: 1000 }), {
      dispatcher: dispatcher(),
      clock: systemClock,
      stopAtCap: true
    })
    expect(r.kind === 'response' && r.totalBytes > 1000).toBe(true)
    expect(r.kind === 'response' && r.body.length).toBe(1000)
  })

  it('is a failure with one line and the cause for a refused port', async () => {
    const port = await closedPort()
    const r = await request(httpSpec(`http://127.0.0.1:${port}/`), {
      dispatcher: dispatcher(),
      clock: systemClock
    })
    expect(r).toMatchObject({
      kind: 'failed',
      reason: `connection refused to 127.0.0.1:${port}`,
      retry: true
    })
    expect(r.kind === 'failed' && r.cause).toBeTruthy()
  })

  it('is a refusal, not a failure, when a redirect leaves the host', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://elsewhere.example/' })
      res.end()
    })
    const r = await request(httpSpec(s.origin, { follow: 2 }), {
      dispatcher: dispatcher(),
      clock: systemClock
    })
    expect(r).toMatchObject({
      kind: 'refused',
      status: 302,
      reason: "redirect to 'elsewhere.example' refused: host not in allow-hosts"
    })
  })

  it('names the total timeout that ended it', async () => {
    const s = await serve(() => undefined)
    const spec = httpSpec(s.origin)
    const r = await request(
      { ...spec, timeouts: { ...spec.timeouts, totalMs: 100 } },
      { dispatcher: dispatcher(), clock: systemClock }
    )
    expect(r).toMatchObject({
      kind: 'failed',
      trip: 'total',
      reason: 'total timeout 100ms exceeded'
    })
  })
})

describe('DispatcherCache', () => {
  it('shares one dispatcher per TLS, connect timeout and proxy, until closed', async () => {
    const cache = new DispatcherCache()
    const key = { tls: { insecure: false }, connectMs: 1000, env: {} }
    const a = cache.get(key)
    expect(cache.get({ ...key })).toBe(a)
    expect(cache.get({ ...key, connectMs: 2000 })).not.toBe(a)
    expect(
      cache.get({ ...key, env: { HTTP_PROXY: 'http://p:3128' } })
    ).not.toBe(a)
    await cache.close()
    expect(cache.get(key)).not.toBe(a)
    await cache.close()
  })
})
