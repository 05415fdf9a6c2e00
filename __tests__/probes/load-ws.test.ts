import { afterEach, describe, it, expect } from '@jest/globals'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws'
import { parseCondition, type Condition } from '../../src/config/units.js'
import { runWsLoad, type LoadWsSpec } from '../../src/probes/load-ws.js'
import { messageTemplate } from '../../src/probes/load-ws-run.js'
import { evaluateLoad } from '../../src/probes/load-verdict.js'
import { runLoadInWorker } from '../../src/probes/load-thread.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

interface Wss {
  url: string
  wss: WebSocketServer
  opened: number
  /** Close codes the server saw, one per connection that ended. */
  closes: number[]
}

/** A ws server on 127.0.0.1:0; every client and the server close after. */
async function startWss(
  onConnection: (ws: WebSocket) => void = () => undefined,
  options: ServerOptions = {}
): Promise<Wss> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  const port = (wss.address() as AddressInfo).port
  const state: Wss = {
    url: `ws://127.0.0.1:${port}/live`,
    wss,
    opened: 0,
    closes: []
  }
  wss.on('connection', (ws) => {
    state.opened++
    ws.once('close', (code) => state.closes.push(code))
    onConnection(ws)
  })
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  })
  return state
}

const echo = (ws: WebSocket): void => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }))
}

function spec(url: string, over: Partial<LoadWsSpec> = {}): LoadWsSpec {
  return {
    kind: 'load-ws',
    name: 'viewers',
    url,
    headers: {},
    connections: 50,
    durationMs: 300,
    rampMs: 500,
    ...over
  }
}

function cond(text: string): Condition {
  const c = parseCondition(text)
  if (!c.ok) throw new Error(c.error)
  return c.value
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

// Runs that inject nothing go through a load worker, as rollouts run them;
// an injected socket factory cannot cross threads, so that one runs here.
describe('runWsLoad', () => {
  it('ramps 50 connections, holds them, times echoes, closes all', async () => {
    const server = await startWss(echo)
    const r = await runLoadInWorker(
      // A hold long enough for 50 handshakes on a busy machine.
      spec(server.url, {
        message: '{"type":"ping"}',
        intervalMs: 100,
        durationMs: 3000
      })
    )
    expect(r).toMatchObject({
      connections: 50,
      connected: 50,
      failed: 0,
      dropped: 0,
      connectRate: 1,
      maxOpen: 50,
      statusCounts: {},
      errorCounts: {}
    })
    expect(r.connect.n).toBe(50)
    expect(r.messagesSent).toBeGreaterThan(50)
    expect(r.messagesAnswered).toBeGreaterThan(0)
    expect(r.rtt.n).toBeGreaterThanOrEqual(r.messagesAnswered)
    expect(r.rtt.p50).toBeGreaterThan(0)
    expect(r.durationMs).toBeGreaterThanOrEqual(3490)
    expect(server.opened).toBe(50)
    await until(() => server.closes.length === 50)
    expect(server.closes).toEqual(Array(50).fill(1000))
    expect(r.reason).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/live held 3s after a 500ms ramp: 50 of 50 connected \(100%\), connect p95 [\d.]+m?s \(n=50\), rtt p95 [\d.]+m?s \(n=[\d,]+\)$/
    )
    const v = evaluateLoad(r, {
      'connect-rate': cond('>= 99%'),
      p95: cond('< 1s')
    })
    expect(v.ok).toBe(true)
    expect(v.findings[0].reason).toBe(
      'connect-rate 100%, expected >= 99% (n=50)'
    )
    expect(v.findings[1].reason).toMatch(
      /^p95 rtt [\d.]+m?s, expected < 1s \(n=[\d,]+\)$/
    )
  })

  it('reports about half when the server refuses every other upgrade', async () => {
    let seen = 0
    const server = await startWss(() => undefined, {
      verifyClient: (_info, done) => done(seen++ % 2 === 0, 403, 'Forbidden')
    })
    // Holds of 1 s here and below leave every handshake time to end, even
    // on a busy machine: a short hold would count it 'not open by the end'.
    const r = await runLoadInWorker(spec(server.url, { durationMs: 1000 }))
    expect(r.connections).toBe(50)
    expect(r.connected).toBe(25)
    expect(r.failed).toBe(25)
    expect(r.connectRate).toBe(0.5)
    expect(r.statusCounts).toEqual({ '403': 25 })
    expect(r.errorCounts).toEqual({ 'HTTP 403': 25 })
    const v = evaluateLoad(r, {
      'connect-rate': cond('>= 99%'),
      'error-rate': cond('< 1%')
    })
    expect(v.ok).toBe(false)
    expect(v.reason).toBe(
      'error-rate 50%, expected < 1% (n=50); connect-rate 50%, expected >= 99% (n=50)'
    )
  })

  it('counts connections the server drops during the hold', async () => {
    const server = await startWss((ws) => {
      setTimeout(() => ws.close(1011, 'overloaded'), 50)
    })
    const r = await runLoadInWorker(
      spec(server.url, { connections: 10, rampMs: 0, durationMs: 3000 })
    )
    expect(r.connected).toBe(10)
    expect(r.dropped).toBe(10)
    expect(r.errorCounts).toEqual({ 'close 1011': 10 })
    expect(r.reason).toContain('10 dropped')
    expect(evaluateLoad(r, { 'success-rate': cond('>= 99%') }).reason).toBe(
      'success-rate 0%, expected >= 99% (n=10)'
    )
  })

  it('counts refused connections and handshake timeouts as failed', async () => {
    const closedServer = await startWss()
    const url = closedServer.url
    await cleanups.pop()?.()
    const refused = await runLoadInWorker(
      spec(url, { connections: 5, rampMs: 0, durationMs: 1000 })
    )
    expect(refused).toMatchObject({
      connected: 0,
      failed: 5,
      connectRate: 0,
      errorCounts: { ECONNREFUSED: 5 }
    })
    // A TCP server that accepts and never answers the upgrade.
    const sockets = new Set<Socket>()
    const silent = createNetServer((s) => {
      sockets.add(s)
      s.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    })
    const port = (silent.address() as AddressInfo).port
    const slow = await runLoadInWorker(
      spec(`ws://127.0.0.1:${port}/`, {
        connections: 3,
        rampMs: 0,
        durationMs: 400,
        connectTimeoutMs: 150
      })
    )
    expect(slow).toMatchObject({
      connected: 0,
      failed: 3,
      errorCounts: { timeout: 3 }
    })
  })

  it('closes every socket when aborted mid-hold', async () => {
    // 200 ms into the run: the worker takes a moment to start.
    const controller = new AbortController()
    let abortAt = 0
    const server = await startWss((ws) => {
      echo(ws)
      if (abortAt === 0) {
        abortAt = Date.now() + 200
        setTimeout(() => controller.abort(), 200)
      }
    })
    const r = await runLoadInWorker(
      spec(server.url, { connections: 20, rampMs: 100, durationMs: 10_000 }),
      { signal: controller.signal }
    )
    expect(Date.now() - abortAt).toBeLessThan(2800)
    expect(r.connected).toBeGreaterThan(0)
    expect(r.connected).toBe(server.opened)
    expect(r.connected + r.failed).toBe(20)
    await until(() => server.closes.length === server.opened)
    expect(server.wss.clients.size).toBe(0)
    expect(server.closes).toEqual(Array(server.opened).fill(1000))
  })

  it('says so when the server never echoes', async () => {
    const server = await startWss()
    const r = await runLoadInWorker(
      spec(server.url, {
        connections: 5,
        rampMs: 0,
        durationMs: 1000,
        message: 'hello',
        intervalMs: 50
      })
    )
    expect(r.messagesSent).toBeGreaterThanOrEqual(10)
    expect(r.messagesAnswered).toBe(0)
    expect(r.rtt.n).toBe(0)
    expect(r.reason).toMatch(/no echo of \d+ messages$/)
    expect(evaluateLoad(r, { p95: cond('< 100ms') }).reason).toBe(
      'p95 rtt has no samples, expected < 100ms (n=0)'
    )
  })

  it('opens sockets through an injected factory, counting its throws', async () => {
    const server = await startWss()
    let calls = 0
    const r = await runWsLoad(
      spec(server.url, { connections: 6, rampMs: 0, durationMs: 1000 }),
      {
        createSocket: (url, protocols, options) => {
          calls++
          if (calls % 3 === 0) throw new Error('no sockets left')
          return new WebSocket(url, protocols, options)
        }
      }
    )
    expect(calls).toBe(6)
    expect(r).toMatchObject({
      connections: 6,
      connected: 4,
      failed: 2,
      errorCounts: { 'no sockets left': 2 }
    })
    await until(() => server.closes.length === 4)
    expect(server.closes).toEqual([1000, 1000, 1000, 1000])
  })

  it('refuses a bad spec with a one-line reason', async () => {
    const r = await runLoadInWorker(spec('http://127.0.0.1:1/'))
    expect(r).toMatchObject({
      ok: false,
      reason: "unsupported protocol 'http:' (use ws: or wss:)"
    })
    const m = await runLoadInWorker(spec('ws://127.0.0.1:1/', { message: 'x' }))
    expect(m.reason).toBe(
      "invalid interval 'none' (a message needs an interval above 0)"
    )
  })
})

describe('messageTemplate', () => {
  it('embeds the id in a JSON object, else appends it', () => {
    expect(messageTemplate('{"type":"ping"}')('dg#3.17')).toBe(
      '{"type":"ping","_dg":"dg#3.17"}'
    )
    expect(messageTemplate('{}')('dg#0.0')).toBe('{"_dg":"dg#0.0"}')
    expect(messageTemplate('hello')('dg#1.2')).toBe('hello dg#1.2')
    expect(messageTemplate('[1,2]')('dg#1.2')).toBe('[1,2] dg#1.2')
  })
})
