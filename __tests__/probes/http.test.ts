import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import type http from 'node:http'
import { readCapped } from '../../src/http/body.js'
import { closeHttpDispatchers } from '../../src/http/dispatcher.js'
import { retryWait } from '../../src/http/retry.js'
import { runHttpProbe, type HttpProbeOptions } from '../../src/probes/http.js'
import { parseCondition, type Condition } from '../../src/config/units.js'
import {
  closedPort,
  fakeClock,
  httpSpec,
  startServer,
  type TestServer
} from '../helpers/http-servers.js'

// Hermetic: never pick up a proxy from the machine running the tests.
const base: HttpProbeOptions = { env: {} }

let servers: TestServer[] = []
async function serve(handler: http.RequestListener): Promise<TestServer> {
  const s = await startServer(handler)
  servers.push(s)
  return s
}

function cond(text: string): Condition {
  const c = parseCondition(text)
  if (!c.ok) throw new Error(c.error)
  return c.value
}

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})
afterAll(async () => {
  await closeHttpDispatchers()
})

describe('runHttpProbe: answers', () => {
  it('passes a healthy JSON endpoint and records timings', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"status":"ok","version":"1.2.3","checks":[{"db":"up"}]}')
    })
    const clock = fakeClock()
    const sample = await runHttpProbe(
      httpSpec(`${s.origin}/health`, {
        expect: {
          status: [200],
          headers: { 'Content-Type': { regex: 'json' } },
          json: { status: 'ok', checks: [{ db: 'up' }] },
          paths: [{ path: 'version', regex: '^1\\.' }]
        }
      }),
      { ...base, clock }
    )
    expect(sample).toMatchObject({
      probe: 'test',
      kind: 'http',
      ok: true,
      reason: 'ok',
      status: 200,
      attempts: 1,
      startedAt: clock.now()
    })
    expect(sample.error).toBeUndefined()
    expect(sample.excerpt).toContain('"status":"ok"')
    expect(typeof sample.timings.connectMs).toBe('number')
    expect(typeof sample.timings.firstByteMs).toBe('number')
  })

  it('sends method, headers and body', async () => {
    const s = await serve((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => res.end(`${req.method} ${body}`))
    })
    const sample = await runHttpProbe(
      httpSpec(`${s.origin}/x`, {
        method: 'post',
        headers: { 'X-Probe': 'yes' },
        body: 'ping',
        expect: { body: { contains: ['POST ping'] } }
      }),
      base
    )
    expect(sample.reason).toBe('ok')
    expect(s.seen[0].headers['x-probe']).toBe('yes')
  })

  it('fails a wrong status with the codes in the reason', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(404)
      res.end()
    })
    const sample = await runHttpProbe(
      httpSpec(s.origin, { expect: { status: [200, '3xx'] } }),
      base
    )
    expect(sample).toMatchObject({
      ok: false,
      reason: 'expected status 200 or 3xx, got 404',
      status: 404
    })
    expect(sample.error).toBeUndefined()
  })

  it('names invalid JSON when a JSON expectation is present', async () => {
    const s = await serve((_req, res) => res.end('<html>oops</html>'))
    const sample = await runHttpProbe(
      httpSpec(s.origin, { expect: { json: { status: 'ok' } } }),
      base
    )
    expect(sample.ok).toBe(false)
    expect(sample.reason).toMatch(/^body is not valid JSON/)
    expect(sample.error).toBeUndefined()
  })

  it('fails a slow answer against the latency condition', async () => {
    const s = await serve((_req, res) => {
      setTimeout(() => res.end('late'), 150)
    })
    const sample = await runHttpProbe(
      httpSpec(s.origin, { expect: { latency: cond('< 50ms') } }),
      base
    )
    expect(sample.reason).toMatch(/^latency \d+ms, expected < 50ms$/)
  })

  it('keeps only max-body-bytes of a 10 MiB body', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(160 * chunk.length) })
      res.write('START')
      let sent = 5
      const pump = (): void => {
        while (sent < 160 * chunk.length) {
          const part = chunk.subarray(
            0,
            Math.min(chunk.length, 160 * chunk.length - sent)
          )
          sent += part.length
          if (!res.write(part)) {
            res.once('drain', pump)
            return
          }
        }
        res.end()
      }
      pump()
    })
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        maxBodyBytes: 64 * 1024,
        expect: { body: { contains: ['START', 'END'] } }
      }),
      base
    )
    expect(sample.status).toBe(200)
    expect(sample.reason).toBe(
      "body does not contain 'END' (first 65536 bytes checked)"
    )
    expect(sample.excerpt?.length).toBe(500)
  })

  it('readCapped keeps the cap and counts the rest', async () => {
    async function* tenMiB(): AsyncGenerator<Uint8Array> {
      const chunk = new Uint8Array(64 * 1024)
      for (let i = 0; i < 160; i++) {
        await Promise.resolve()
        yield chunk
      }
    }
    let chunks = 0
    const r = await readCapped(tenMiB(), 100_000, () => chunks++)
    expect(r.kept.length).toBe(100_000)
    expect(r.total).toBe(10 * 1024 * 1024)
    expect(chunks).toBe(160)
  })
})

describe('runHttpProbe: transport failures', () => {
  it('reports a refused connection with host and port', async () => {
    const port = await closedPort()
    const sample = await runHttpProbe(
      httpSpec(`http://127.0.0.1:${port}/`),
      base
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: `connection refused to 127.0.0.1:${port}`,
      attempts: 1
    })
    expect(sample.status).toBeUndefined()
  })

  it('reports a reset in the middle of the body', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'content-length': '1000' })
      res.write('x'.repeat(100))
      setTimeout(() => req.socket.resetAndDestroy(), 30)
    })
    const sample = await runHttpProbe(httpSpec(s.origin), base)
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      status: 200,
      reason: 'connection reset while reading body'
    })
  })

  it('reports a server that never sends headers', async () => {
    const s = await serve(() => {
      // Never answers.
    })
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        timeouts: { connectMs: 500, headersMs: 200, bodyMs: 500, totalMs: 2000 }
      }),
      base
    )
    expect(sample).toMatchObject({
      error: true,
      reason: 'no response headers within 200ms'
    })
    expect(sample.timings.totalMs).toBeLessThan(2000)
  })

  it('reports a body trickling slower than the body timeout', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200)
      res.write('x')
      const timer = setInterval(() => res.write('x'), 200)
      res.on('close', () => clearInterval(timer))
    })
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        timeouts: { connectMs: 500, headersMs: 500, bodyMs: 100, totalMs: 2000 }
      }),
      base
    )
    expect(sample).toMatchObject({
      error: true,
      status: 200,
      reason: 'body stalled: no data for 100ms'
    })
  })

  it('enforces the total timeout on a body that keeps coming', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200)
      const timer = setInterval(() => res.write('x'), 20)
      res.on('close', () => clearInterval(timer))
    })
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        timeouts: { connectMs: 500, headersMs: 500, bodyMs: 500, totalMs: 300 }
      }),
      base
    )
    expect(sample).toMatchObject({
      error: true,
      reason: 'total timeout 300ms exceeded'
    })
  })

  it('stops when the caller aborts', async () => {
    const s = await serve(() => {
      // Never answers.
    })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 10 }
      }),
      { ...base, signal: ac.signal }
    )
    expect(sample).toMatchObject({
      error: true,
      reason: 'aborted',
      attempts: 1
    })
  })

  it('rejects a URL that is not http(s)', async () => {
    const sample = await runHttpProbe(httpSpec('ftp://127.0.0.1/x'), base)
    expect(sample).toMatchObject({ ok: false, attempts: 0 })
    expect(sample.reason).toMatch(/^invalid URL/)
  })
})

describe('runHttpProbe: retries', () => {
  it('retries a 503 and passes on the 200 that follows', async () => {
    let n = 0
    const s = await serve((_req, res) => {
      res.writeHead(++n === 1 ? 503 : 200)
      res.end()
    })
    const clock = fakeClock()
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        expect: { status: [200] },
        retry: { attempts: 3, backoffMs: 400, maxBackoffMs: 1000 }
      }),
      { ...base, clock, random: () => 0.5 }
    )
    expect(sample).toMatchObject({ ok: true, attempts: 2, status: 200 })
    expect(clock.sleeps).toEqual([200])
  })

  it('waits as long as Retry-After says on a 429', async () => {
    let n = 0
    const s = await serve((_req, res) => {
      if (++n === 1) res.writeHead(429, { 'retry-after': '1' })
      else res.writeHead(200)
      res.end()
    })
    const clock = fakeClock()
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        retry: { attempts: 2, backoffMs: 50, maxBackoffMs: 5000 }
      }),
      { ...base, clock, random: () => 0 }
    )
    expect(sample).toMatchObject({ ok: true, attempts: 2 })
    expect(clock.sleeps).toEqual([1000])
  })

  it('reads Retry-After as an HTTP date and caps it', async () => {
    const clock = fakeClock()
    const at = new Date(clock.now() + 3000).toUTCString()
    let n = 0
    const s = await serve((_req, res) => {
      if (++n === 1) res.writeHead(503, { 'retry-after': at })
      else if (n === 2) res.writeHead(503, { 'retry-after': '120' })
      else res.writeHead(200)
      res.end()
    })
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        retry: { attempts: 3, backoffMs: 50, maxBackoffMs: 10_000 }
      }),
      { ...base, clock }
    )
    expect(sample).toMatchObject({ ok: true, attempts: 3 })
    expect(clock.sleeps[0]).toBeGreaterThan(2000)
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3000)
    expect(clock.sleeps[1]).toBe(10_000)
  })

  it('says how many attempts failed and how long they took', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503)
      res.end()
    })
    const clock = fakeClock()
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        expect: { status: [200] },
        retry: { attempts: 3, backoffMs: 1000, maxBackoffMs: 4000 }
      }),
      { ...base, clock, random: () => 1 }
    )
    // Full jitter at its top: 1s then 2s; the fake clock moves only on sleep.
    expect(clock.sleeps).toEqual([1000, 2000])
    expect(sample).toMatchObject({
      ok: false,
      attempts: 3,
      status: 503,
      reason: 'expected status 200, got 503 after 3 attempts in 3s'
    })
  })

  it('retries refused connections', async () => {
    const port = await closedPort()
    const clock = fakeClock()
    const sample = await runHttpProbe(
      httpSpec(`http://127.0.0.1:${port}/`, {
        retry: { attempts: 3, backoffMs: 100, maxBackoffMs: 1000 }
      }),
      { ...base, clock }
    )
    expect(sample.attempts).toBe(3)
    expect(sample.reason).toMatch(
      new RegExp(
        `^connection refused to 127\\.0\\.0\\.1:${port} after 3 attempts in `
      )
    )
    expect(clock.sleeps).toHaveLength(2)
  })

  it('does not retry a 404 or a failed expectation on a 200', async () => {
    let hits = 0
    const s = await serve((req, res) => {
      hits++
      res.writeHead(req.url === '/missing' ? 404 : 200)
      res.end('{"status":"degraded"}')
    })
    const retry = { attempts: 3, backoffMs: 10, maxBackoffMs: 10 }
    const clock = fakeClock()
    const notFound = await runHttpProbe(
      httpSpec(`${s.origin}/missing`, { retry }),
      { ...base, clock }
    )
    const wrong = await runHttpProbe(
      httpSpec(s.origin, { retry, expect: { json: { status: 'ok' } } }),
      { ...base, clock }
    )
    expect(notFound).toMatchObject({
      attempts: 1,
      reason: 'expected status 2xx, got 404'
    })
    expect(wrong).toMatchObject({
      attempts: 1,
      reason: "json.status: expected 'ok', got 'degraded'"
    })
    expect(hits).toBe(2)
    expect(clock.sleeps).toEqual([])
  })

  it('starts no attempt that the deadline would cut', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503, { 'retry-after': '10' })
      res.end()
    })
    const clock = fakeClock()
    const sample = await runHttpProbe(
      httpSpec(s.origin, {
        retry: { attempts: 5, backoffMs: 100, maxBackoffMs: 60_000 }
      }),
      { ...base, clock, deadline: clock.monotonic() + 5000 }
    )
    expect(clock.sleeps).toEqual([])
    expect(sample).toMatchObject({
      attempts: 1,
      reason:
        'expected status 2xx, got 503 after 1 attempt in 0ms (deadline reached)'
    })
  })

  it('retryWait doubles up to the cap with full jitter', () => {
    const spec = { retry: { attempts: 9, backoffMs: 100, maxBackoffMs: 500 } }
    const top = (): number => 1
    expect(
      [1, 2, 3, 4, 5].map((n) => retryWait(spec, n, undefined, top))
    ).toEqual([100, 200, 400, 500, 500])
    expect(retryWait(spec, 3, undefined, () => 0.25)).toBe(100)
    expect(retryWait(spec, 1, 30_000, top)).toBe(500)
  })
})

describe('runHttpProbe: redirects', () => {
  let target: TestServer
  async function redirector(
    location: (t: TestServer) => string
  ): Promise<TestServer> {
    target = await serve((_req, res) => res.end('{"status":"ok"}'))
    return serve((req, res) => {
      if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' })
      } else {
        res.writeHead(302, { location: location(target) })
      }
      res.end()
    })
  }
  const toLocalhost = (t: TestServer): string => `http://localhost:${t.port}/ok`

  it('does not follow by default and says where it pointed', async () => {
    const s = await redirector(toLocalhost)
    const sample = await runHttpProbe(httpSpec(`${s.origin}/start`), base)
    expect(sample).toMatchObject({
      ok: false,
      status: 302,
      reason: `expected status 2xx, got 302 (redirect to 'localhost:${target.port}' not followed)`
    })
    expect(target.seen).toHaveLength(0)
  })

  it('refuses another host even when following', async () => {
    const s = await redirector(toLocalhost)
    const sample = await runHttpProbe(
      httpSpec(`${s.origin}/start`, { follow: 3 }),
      base
    )
    expect(sample).toMatchObject({
      ok: false,
      reason: `redirect to 'localhost:${target.port}' refused: host not in allow-hosts`
    })
    expect(sample.error).toBeUndefined()
    expect(target.seen).toHaveLength(0)
  })

  it('follows to an allowed host without forwarding credentials', async () => {
    const s = await redirector(toLocalhost)
    const sample = await runHttpProbe(
      httpSpec(`${s.origin}/start`, {
        follow: 3,
        allowHosts: ['localhost'],
        headers: { Authorization: 'Bearer abcdefgh', 'X-Trace': 't1' },
        expect: { json: { status: 'ok' } }
      }),
      base
    )
    expect(sample).toMatchObject({ ok: true, status: 200 })
    expect(target.seen[0].headers.authorization).toBeUndefined()
    expect(target.seen[0].headers['x-trace']).toBe('t1')
  })

  it('follows a same-host redirect and stops a loop', async () => {
    const s = await redirector((t) => `http://127.0.0.1:${t.port}/ok`)
    const same = await runHttpProbe(
      httpSpec(`${s.origin}/start`, { follow: 1 }),
      base
    )
    expect(same).toMatchObject({ ok: true, status: 200 })
    const loop = await runHttpProbe(
      httpSpec(`${s.origin}/loop`, { follow: 2 }),
      base
    )
    expect(loop).toMatchObject({ ok: false, reason: 'more than 2 redirects' })
  })
})

describe('runHttpProbe: secrets', () => {
  const KEY = 'k3y-PLANTED-9f8e7d'
  const TOKEN = 'tok-PLANTED-1a2b3c'
  async function echo(): Promise<TestServer> {
    return serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          status: `bad ${req.headers['x-api-key'] as string}`,
          url: req.url,
          headers: req.headers
        })
      )
    })
  }

  it('never puts a planted header or query secret in reason or excerpt', async () => {
    const s = await echo()
    const redact = (text: string): string =>
      text.split(KEY).join('***').split(TOKEN).join('***')
    const sample = await runHttpProbe(
      httpSpec(`${s.origin}/echo?token=${TOKEN}`, {
        headers: { 'X-Api-Key': KEY },
        expect: { json: { status: 'ok' } }
      }),
      { ...base, redact }
    )
    expect(sample.ok).toBe(false)
    expect(sample.reason).toBe("json.status: expected 'ok', got 'bad ***'")
    const shown = `${sample.reason}\n${sample.excerpt ?? ''}`
    expect(shown).toContain('***')
    expect(shown).not.toContain(KEY)
    expect(shown).not.toContain(TOKEN)
  })

  it('masks secret-looking headers and query values even without redact', async () => {
    const s = await echo()
    const sample = await runHttpProbe(
      httpSpec(`${s.origin}/echo?token=${TOKEN}&page=1`, {
        headers: { 'X-Api-Key': KEY },
        expect: { json: { status: 'ok' } }
      }),
      base
    )
    const shown = `${sample.reason}\n${sample.excerpt ?? ''}`
    expect(shown).not.toContain(KEY)
    expect(shown).not.toContain(TOKEN)
    expect(sample.excerpt).toContain('page=1')
  })

  it('keeps secrets out of transport error reasons', async () => {
    const port = await closedPort()
    const sample = await runHttpProbe(
      httpSpec(`http://user:${KEY}@127.0.0.1:${port}/x?token=${TOKEN}`),
      base
    )
    expect(sample.reason).toBe(`connection refused to 127.0.0.1:${port}`)
  })
})
