import { afterEach, describe, it, expect } from '@jest/globals'
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { Agent } from 'undici'
import { parseCondition, type Condition } from '../../src/config/units.js'
import {
  runHttpLoad,
  type LoadHttpSpec,
  type LoadResult
} from '../../src/probes/load.js'
import { evaluateLoad } from '../../src/probes/load-verdict.js'
import { runLoadInWorker } from '../../src/probes/load-thread.js'
import { systemClock, type Clock } from '../../src/kernel/clock.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

interface TestServer {
  url: string
  port: number
  /** Requests being handled right now, and the most ever at once. */
  active: number
  maxActive: number
  received: number
}

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  state: TestServer
) => void

/** An HTTP server on 127.0.0.1:0 that counts concurrent requests. */
async function startServer(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>()
  const state: TestServer = {
    url: '',
    port: 0,
    active: 0,
    maxActive: 0,
    received: 0
  }
  const server: Server = createServer((req, res) => {
    state.received++
    state.active++
    state.maxActive = Math.max(state.maxActive, state.active)
    let done = false
    const leave = (): void => {
      if (!done) state.active--
      done = true
    }
    res.once('finish', leave)
    res.once('close', leave)
    req.resume()
    handler(req, res, state)
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.port = (server.address() as AddressInfo).port
  state.url = `http://127.0.0.1:${state.port}/load`
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return state
}

const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('ok')
}

function spec(url: string, over: Partial<LoadHttpSpec> = {}): LoadHttpSpec {
  return {
    kind: 'load-http',
    name: 'api-load',
    url,
    method: 'GET',
    headers: {},
    rate: 100,
    durationMs: 1000,
    maxInFlight: 50,
    timeoutMs: 2000,
    ...over
  }
}

function cond(text: string): Condition {
  const c = parseCondition(text)
  if (!c.ok) throw new Error(c.error)
  return c.value
}

// Runs that inject nothing go through a load worker, as rollouts run them;
// an injected clock or dispatcher cannot cross threads, so those run here.
describe('runHttpLoad', () => {
  it('holds a fixed arrival rate and accounts for every request', async () => {
    const server = await startServer(ok)
    const r = await runLoadInWorker(spec(server.url, { rate: 200 }))
    // 200/s for 1 s: exactly 200 arrivals are scheduled.
    expect(r.requests).toBe(200)
    expect(r.completed).toBeGreaterThanOrEqual(150)
    expect(r.completed).toBeLessThanOrEqual(250)
    expect(r.completed + r.timeouts).toBe(r.requests)
    expect(server.received).toBe(r.sent)
    expect(r.errors).toBe(0)
    expect(r.statusCounts).toEqual({ '200': r.completed })
    expect(r.corrected.n).toBe(r.requests)
    expect(r.service.n).toBe(r.sent)
    expect(r.achievedRps).toBeGreaterThan(100)
    expect(r.achievedRps).toBeLessThan(300)
    expect(r.durationMs).toBeGreaterThanOrEqual(990)
    expect(r.ok).toBeUndefined()
    expect(r.reason).toMatch(
      /^200 requests at 200\/s over 1s to http:\/\/127\.0\.0\.1:\d+\/load: no errors, p95 [\d.]+m?s \(n=200\), [\d.]+ req\/s$/
    )
  })

  it('shows a server stall in the corrected p99, not in service time', async () => {
    // After the 20th request the server answers nothing for 1.8 s. Only
    // max-in-flight (4) requests are on the wire during the stall; the
    // arrivals behind them wait in the generator, so their service time is
    // short but their latency from the intended send time is not. The stall
    // is long next to what a starved client adds to service times (about
    // 0.5 s on a loaded 2-core machine), so the comparison holds there too.
    let stallUntil = 0
    const server = await startServer((req, res, state) => {
      if (state.received === 20) stallUntil = performance.now() + 1800
      const wait = stallUntil - performance.now()
      if (wait > 0) setTimeout(() => ok(req, res, state), wait)
      else ok(req, res, state)
    })
    const r = await runLoadInWorker(
      spec(server.url, {
        rate: 100,
        durationMs: 1500,
        maxInFlight: 4,
        timeoutMs: 10_000
      })
    )
    expect(r.requests).toBe(150)
    expect(r.errors).toBe(0)
    expect(r.completed).toBe(150)
    expect(server.maxActive).toBeLessThanOrEqual(4)
    expect(r.queued).toBeGreaterThan(20)
    expect(r.corrected.p99).toBeGreaterThanOrEqual(1200)
    expect(r.corrected.max).toBeGreaterThanOrEqual(1500)
    // At most 4 of 150 requests were on the wire during the stall (< 3%).
    expect(r.service.p95).toBeLessThan(r.corrected.p99 / 2)
    expect(r.service.max).toBeGreaterThanOrEqual(1200)
    const verdict = evaluateLoad(r, { p99: cond('< 100ms') })
    expect(verdict.ok).toBe(false)
    expect(verdict.reason).toMatch(
      /^p99 [\d.]+m?s, expected < 100ms \(n=150\)$/
    )
  })

  it('counts 500s as errors, never dropping them', async () => {
    const server = await startServer((_req, res, state) => {
      res.writeHead(state.received % 2 === 0 ? 500 : 200)
      res.end()
    })
    const r = await runLoadInWorker(
      spec(server.url, { rate: 100, durationMs: 500 })
    )
    expect(r.requests).toBe(50)
    expect(r.completed).toBe(50)
    expect(r.statusCounts).toEqual({ '200': 25, '500': 25 })
    expect(r.errors).toBe(25)
    expect(r.timeouts).toBe(0)
    expect(r.corrected.n).toBe(50)
    expect(r.reason).toContain('25 failed (50%, most often HTTP 500)')
    const v = evaluateLoad(r, {
      'error-rate': cond('< 1%'),
      'success-rate': cond('>= 50%')
    })
    expect(v.ok).toBe(false)
    expect(v.findings.map((f) => f.reason)).toEqual([
      'error-rate 50%, expected < 1% (n=50)',
      'success-rate 50%, expected >= 50% (n=50)'
    ])
    expect(v.findings.map((f) => f.ok)).toEqual([false, true])
  })

  it('counts refused connections as errors at their latency', async () => {
    const server = await startServer(ok)
    const url = server.url
    await cleanups.pop()?.()
    const r = await runLoadInWorker(spec(url, { rate: 100, durationMs: 300 }))
    expect(r.requests).toBe(30)
    expect(r.completed).toBe(0)
    expect(r.errors).toBe(30)
    expect(r.errorCounts).toEqual({ ECONNREFUSED: 30 })
    expect(r.corrected.n).toBe(30)
    expect(r.service.n).toBe(30)
    expect(evaluateLoad(r, { 'error-rate': cond('< 1%') }).reason).toBe(
      'error-rate 100%, expected < 1% (n=30)'
    )
  })

  it('never has more than max-in-flight requests on the wire', async () => {
    const server = await startServer((req, res, state) => {
      setTimeout(() => ok(req, res, state), 100)
    })
    const r = await runLoadInWorker(
      spec(server.url, { rate: 100, durationMs: 500, maxInFlight: 3 })
    )
    expect(server.maxActive).toBe(3)
    expect(r.maxInFlightSeen).toBe(3)
    expect(r.requests).toBe(50)
    // 50 requests at 3 at a time x 100 ms: most wait, none are dropped.
    expect(r.completed).toBe(50)
    expect(r.errors).toBe(0)
    expect(r.queued).toBeGreaterThan(30)
    expect(r.reason).toMatch(/\d+ waited for a slot/)
    // The last arrival waited about 50/3 x 100 ms - 500 ms for its turn.
    expect(r.corrected.max).toBeGreaterThan(800)
    expect(r.service.max).toBeLessThan(r.corrected.max)
  })

  it('queues on its connections when max-in-flight is larger', async () => {
    const server = await startServer((req, res, state) => {
      setTimeout(() => ok(req, res, state), 100)
    })
    const r = await runLoadInWorker(
      spec(server.url, {
        rate: 60,
        durationMs: 300,
        maxInFlight: 6,
        connections: 2
      })
    )
    expect(r.requests).toBe(18)
    expect(r.completed).toBe(18)
    expect(server.maxActive).toBe(2)
    expect(r.maxInFlightSeen).toBe(6)
    // Waiting on a busy connection is service time: the request was sent.
    expect(r.service.max).toBeGreaterThanOrEqual(200)
  })

  it('records timeouts at their latency and counts them', async () => {
    const server = await startServer(() => {
      // never answers
    })
    const r = await runLoadInWorker(
      spec(server.url, { rate: 20, durationMs: 500, timeoutMs: 250 })
    )
    expect(r.requests).toBe(10)
    expect(r.completed).toBe(0)
    expect(r.timeouts).toBe(10)
    expect(r.errors).toBe(10)
    expect(r.errorCounts).toEqual({ timeout: 10 })
    expect(r.corrected.n).toBe(10)
    expect(r.service.p50).toBeGreaterThanOrEqual(240)
    expect(r.reason).toContain('10 failed (100%, 10 timed out)')
  })

  it('frees the connection of a timed-out request for the next ones', async () => {
    const server = await startServer((req, res, state) => {
      if (state.received > 1) ok(req, res, state)
      // the first request is never answered
    })
    const r = await runLoadInWorker(
      spec(server.url, {
        rate: 20,
        durationMs: 500,
        maxInFlight: 1,
        connections: 1,
        timeoutMs: 150
      })
    )
    expect(r.requests).toBe(10)
    expect(r.timeouts).toBe(1)
    expect(r.completed).toBe(9)
    expect(r.statusCounts).toEqual({ '200': 9 })
    expect(r.service.max).toBeGreaterThanOrEqual(150)
  })

  it('counts arrivals never sent by the end as timeouts at their wait', async () => {
    // One slot, 200 ms answers: of 50 arrivals in 500 ms only a handful are
    // sent before the drain (one 300 ms timeout) runs out.
    const server = await startServer((req, res, state) => {
      setTimeout(() => ok(req, res, state), 200)
    })
    const r = await runLoadInWorker(
      spec(server.url, {
        rate: 100,
        durationMs: 500,
        maxInFlight: 1,
        timeoutMs: 300
      })
    )
    expect(r.requests).toBe(50)
    expect(r.sent).toBeLessThan(10)
    expect(r.completed + r.timeouts).toBe(50)
    expect(r.timeouts).toBeGreaterThanOrEqual(50 - r.sent)
    expect(r.errorCounts.timeout).toBe(r.timeouts)
    expect(r.corrected.n).toBe(50)
    expect(r.service.n).toBe(r.sent)
    // The first unsent arrival (at about 40 ms) waited until the end (800 ms).
    expect(r.corrected.max).toBeGreaterThanOrEqual(600)
    expect(r.corrected.p50).toBeGreaterThanOrEqual(250)
    expect(evaluateLoad(r, { 'error-rate': cond('< 1%') }).ok).toBe(false)
  })

  it('uses an injected dispatcher and leaves it open', async () => {
    const server = await startServer(ok)
    const agent = new Agent({ connections: 2 })
    cleanups.push(() => agent.close())
    const r = await runHttpLoad(
      spec(server.url, { rate: 50, durationMs: 200, headers: { 'x-a': '1' } }),
      { dispatcher: agent }
    )
    expect(r.completed).toBe(10)
    const again = await agent.request({
      origin: new URL(server.url).origin,
      path: '/',
      method: 'GET'
    })
    expect(again.statusCode).toBe(200)
    await again.body.dump()
  })

  it('sends method, headers and body as given', async () => {
    const seen: string[] = []
    const server = await startServer((req, res, state) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        seen.push(
          `${req.method} ${req.url} ${String(req.headers['x-k'])} ${body}`
        )
        ok(req, res, state)
      })
    })
    const r = await runLoadInWorker(
      spec(`${server.url}?q=1`, {
        method: 'POST',
        headers: { 'x-k': 'v', 'content-type': 'application/json' },
        body: '{"a":1}',
        rate: 20,
        durationMs: 150
      })
    )
    expect(r.completed).toBe(3)
    expect(seen).toEqual(Array(3).fill('POST /load?q=1 v {"a":1}'))
  })

  it('stops scheduling when aborted, counting what was due', async () => {
    // 300 ms into the run: the worker takes a moment to start.
    const controller = new AbortController()
    const server = await startServer((req, res, state) => {
      if (state.received === 1) setTimeout(() => controller.abort(), 300)
      ok(req, res, state)
    })
    const r = await runLoadInWorker(
      spec(server.url, { rate: 100, durationMs: 5000 }),
      {
        signal: controller.signal
      }
    )
    expect(r.requests).toBeGreaterThanOrEqual(20)
    expect(r.requests).toBeLessThan(100)
    expect(r.completed + r.errors).toBe(r.requests)
  })

  it('schedules on an injected clock', async () => {
    // Virtual time advances only when the engine sleeps: 5 s of arrivals
    // run in real milliseconds, and the arithmetic of the schedule shows.
    let now = 0
    const clock: Clock = {
      now: () => 1_700_000_000_000 + now,
      monotonic: () => now,
      sleep: async (ms) => {
        now += ms
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const server = await startServer(ok)
    const r = await runHttpLoad(
      spec(server.url, { rate: 100, durationMs: 5000, timeoutMs: 60_000 }),
      { clock }
    )
    expect(r.requests).toBe(500)
    expect(r.completed).toBe(500)
    expect(r.durationMs).toBeGreaterThanOrEqual(4990)
    expect(r.achievedRps).toBeGreaterThan(90)
    expect(r.achievedRps).toBeLessThanOrEqual(101)
  })

  it('refuses a bad spec with a one-line reason', async () => {
    const bad = await runLoadInWorker(spec('ftp://127.0.0.1/x'))
    expect(bad).toMatchObject({
      ok: false,
      requests: 0,
      reason: "unsupported protocol 'ftp:' (use http: or https:)"
    })
    const rate = await runLoadInWorker(spec('http://127.0.0.1:1/', { rate: 0 }))
    expect(rate.reason).toBe("invalid rate '0' (must be above 0 per second)")
    const real = systemClock.monotonic()
    expect(real).toBeGreaterThan(0)
  })
})

function result(over: Partial<LoadResult> = {}): LoadResult {
  const hist = {
    n: 6000,
    p50: 40,
    p90: 180,
    p95: 412,
    p99: 900,
    max: 1500,
    mean: 80
  }
  return {
    probe: 'api-load',
    kind: 'load-http',
    requests: 6000,
    sent: 6000,
    completed: 5990,
    errors: 30,
    timeouts: 10,
    queued: 0,
    statusCounts: { '200': 5970, '503': 20 },
    errorCounts: { timeout: 10 },
    achievedRps: 99.8,
    corrected: hist,
    service: { ...hist, p95: 20 },
    durationMs: 60_020,
    maxInFlightSeen: 12,
    reason: '',
    ...over
  }
}

describe('evaluateLoad', () => {
  it('judges percentiles on the corrected histogram, with n', () => {
    const v = evaluateLoad(result(), {
      p95: cond('< 100ms'),
      p50: cond('< 100ms')
    })
    expect(v.ok).toBe(false)
    expect(v.reason).toBe('p95 412ms, expected < 100ms (n=6,000)')
    expect(v.findings).toEqual([
      {
        metric: 'p50',
        ok: true,
        value: 40,
        n: 6000,
        reason: 'p50 40ms, expected < 100ms (n=6,000)'
      },
      {
        metric: 'p95',
        ok: false,
        value: 412,
        n: 6000,
        reason: 'p95 412ms, expected < 100ms (n=6,000)'
      }
    ])
  })

  it('passes and says what passed', () => {
    const v = evaluateLoad(result(), {
      'error-rate': cond('< 1%'),
      p99: cond('<= 1s'),
      rps: cond('>= 95')
    })
    expect(v.ok).toBe(true)
    expect(v.reason).toBe(
      'error-rate 0.5%, expected < 1% (n=6,000); p99 900ms, expected <= 1s (n=6,000); rps 99.8/s, expected >= 95 (n=5,990)'
    )
  })

  it('fails without samples, on a wrong unit, and on relative conditions', () => {
    const empty = result({
      requests: 0,
      completed: 0,
      errors: 0,
      corrected: { n: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 }
    })
    const v = evaluateLoad(empty, {
      p95: cond('< 100ms'),
      'error-rate': cond('< 1%')
    })
    expect(v.ok).toBe(false)
    expect(v.findings.map((f) => f.reason)).toEqual([
      'error-rate has no samples, expected < 1% (n=0)',
      'p95 has no samples, expected < 100ms (n=0)'
    ])
    const odd = evaluateLoad(result(), {
      p95: cond('< 5%'),
      p99: cond('< 2x baseline'),
      'connect-rate': cond('>= 99%')
    })
    expect(odd.findings.map((f) => f.reason)).toEqual([
      'connect-rate applies to WebSocket load only',
      "p95: condition '< 5%' is not a duration",
      "p99: condition '< 2x baseline' needs a baseline or trend, which a load probe has not"
    ])
    expect(odd.ok).toBe(false)
  })

  it('has nothing to say without expectations', () => {
    expect(evaluateLoad(result(), {})).toEqual({
      ok: true,
      findings: [],
      reason: 'no expectations'
    })
  })
})
