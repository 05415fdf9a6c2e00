import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type ServerOptions, WebSocket } from 'ws'
import { runWebSocketProbe } from '../../src/probes/websocket.js'
import type { WsProbeSpec, WsStep } from '../../src/probes/types.js'
import { systemClock } from '../../src/kernel/clock.js'

const MiB = 1024 * 1024
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

function spec(
  url: string,
  steps: WsStep[],
  over: Partial<WsProbeSpec> = {}
): WsProbeSpec {
  const base: WsProbeSpec = {
    kind: 'websocket',
    name: 'live',
    url,
    protocol: 'ws',
    headers: {},
    subprotocols: [],
    connectTimeoutMs: 1000,
    maxMessageBytes: MiB,
    tls: { insecure: false },
    steps
  }
  return { ...base, ...over }
}

interface Wss {
  url: string
  port: number
  wss: WebSocketServer
  connections: number
  closed: Promise<{ code: number; reason: string }>[]
}

/** A ws server on 127.0.0.1:0; every client and the server close after. */
async function startWss(
  onConnection: (ws: WebSocket, url: string) => void,
  options: ServerOptions = {}
): Promise<Wss> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  const port = (wss.address() as AddressInfo).port
  const state: Wss = {
    url: `ws://127.0.0.1:${port}/ws`,
    port,
    wss,
    connections: 0,
    closed: []
  }
  wss.on('connection', (ws, req) => {
    state.connections++
    state.closed.push(
      new Promise((resolve) =>
        ws.once('close', (code, reason) =>
          resolve({ code, reason: reason.toString() })
        )
      )
    )
    onConnection(ws, req.url ?? '')
  })
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  })
  return state
}

async function listen(
  server: HttpServer | ReturnType<typeof createNetServer>
): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

function closeServer(
  server: HttpServer | ReturnType<typeof createNetServer>,
  sockets: Set<Socket>
): () => Promise<void> {
  return async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

function track(
  server: HttpServer | ReturnType<typeof createNetServer>
): Set<Socket> {
  const sockets = new Set<Socket>()
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  return sockets
}

const send = (ws: WebSocket, value: unknown): void => {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(value))
}

/**
 * The seed's live-score server: a welcome, the first update on subscribe,
 * and updates for another match every 20 ms all along. The buggy one keeps
 * streaming test-match updates after the unsubscribe.
 */
function matchServer(buggy: boolean) {
  return (ws: WebSocket): void => {
    send(ws, { type: 'connection_established' })
    const leaked = new Set<string>()
    const timer = setInterval(() => {
      send(ws, { type: 'match-update', match: 'other-match', score: '1-0' })
      for (const m of leaked) send(ws, { type: 'match-update', match: m })
    }, 20)
    ws.on('close', () => clearInterval(timer))
    ws.on('message', (data) => {
      const msg = JSON.parse((data as Buffer).toString('utf8')) as {
        action: string
        match: string
      }
      if (msg.action === 'subscribe') {
        send(ws, { type: 'match-update', match: msg.match, score: '0-0' })
      }
      if (msg.action === 'unsubscribe' && buggy) leaked.add(msg.match)
    })
  }
}

const seedSteps: WsStep[] = [
  { kind: 'receive', json: { type: 'connection_established' }, withinMs: 500 },
  { kind: 'send', json: { action: 'subscribe', match: 'test-match' } },
  // The subscribed match's first update: another match's updates stream
  // all along and could arrive first, leaving this one for the silence.
  {
    kind: 'receive',
    json: { type: 'match-update', match: 'test-match' },
    withinMs: 500
  },
  { kind: 'send', json: { action: 'unsubscribe', match: 'test-match' } },
  { kind: 'silence', json: { match: 'test-match' }, forMs: 300 }
]

describe('runWebSocketProbe: the seed flow', () => {
  it('passes against a server that stops after unsubscribe', async () => {
    const server = await startWss(matchServer(false))
    const sample = await runWebSocketProbe(spec(server.url, seedSteps))
    expect(sample).toMatchObject({
      probe: 'live',
      kind: 'websocket',
      ok: true,
      reason: '5 steps passed',
      status: 101,
      attempts: 1
    })
    expect(sample.steps?.map((s) => [s.step, s.kind])).toEqual([
      [1, 'receive'],
      [2, 'send'],
      [3, 'receive'],
      [4, 'send'],
      [5, 'silence']
    ])
    expect(sample.steps?.[4].ms).toBeGreaterThanOrEqual(290)
    expect(sample.timings.connectMs).toBeGreaterThanOrEqual(0)
    expect(sample.timings.totalMs).toBeGreaterThanOrEqual(300)
    // the socket is closed at the end even without a close step
    await expect(server.closed[0]).resolves.toBeDefined()
  })

  it('fails the silence when test-match updates keep coming', async () => {
    const server = await startWss(matchServer(true))
    const sample = await runWebSocketProbe(spec(server.url, seedSteps))
    expect(sample.ok).toBe(false)
    expect(sample.error).toBe(false)
    expect(sample.reason).toBe(
      'step 5 (silence): unexpected message during 300ms of silence: ' +
        '{"type":"match-update","match":"test-match"}'
    )
    expect(sample.excerpt).toBe('{"type":"match-update","match":"test-match"}')
    expect(sample.steps).toHaveLength(4)
    await expect(server.closed[0]).resolves.toBeDefined()
  })

  it('fails a silence without a matcher on any message', async () => {
    // nothing at connect: a welcome racing the first step would be ambiguous
    const server = await startWss((ws) => {
      const timer = setInterval(
        () => send(ws, { type: 'match-update', match: 'other-match' }),
        20
      )
      ws.on('close', () => clearInterval(timer))
    })
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'silence', forMs: 200 }])
    )
    expect(sample.reason).toMatch(
      /^step 1 \(silence\): unexpected message during 200ms of silence: \{"type":"match-update","match":"other-match"/
    )
  })
})

describe('runWebSocketProbe: failures', () => {
  it('names the awaited message and counts the others seen', async () => {
    const server = await startWss((ws) => {
      send(ws, { type: 'connection_established' })
      for (const n of [1, 2, 3]) send(ws, { type: 'viewers', n })
    })
    const sample = await runWebSocketProbe(
      spec(server.url, [
        {
          kind: 'receive',
          json: { type: 'connection_established' },
          withinMs: 300
        },
        { kind: 'receive', json: { type: 'match-update' }, withinMs: 200 }
      ])
    )
    expect(sample.ok).toBe(false)
    expect(sample.error).toBe(false)
    expect(sample.reason).toBe(
      'step 2 (receive): no message matching {"type":"match-update"} ' +
        'within 200ms (3 other messages seen)'
    )
    expect(sample.excerpt).toBe('{"type":"viewers","n":3}')
    expect(sample.steps).toEqual([
      expect.objectContaining({ step: 1, kind: 'receive' })
    ])
  })

  it('says so when nothing at all arrived', async () => {
    const server = await startWss(() => undefined)
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'receive', regex: '^hello', withinMs: 150 }])
    )
    expect(sample.reason).toBe(
      'step 1 (receive): no message matching /^hello/ within 150ms (no messages seen)'
    )
  })

  it('reports a server close with its code and reason', async () => {
    const server = await startWss((ws) => {
      send(ws, { type: 'connection_established' })
      ws.on('message', () => ws.close(1011, 'internal error'))
    })
    const sample = await runWebSocketProbe(spec(server.url, seedSteps))
    expect(sample.ok).toBe(false)
    expect(sample.error).toBe(false)
    expect(sample.reason).toBe(
      "closed by server: 1011 'internal error' while waiting in step 3 (receive)"
    )
    expect(sample.status).toBe(101)
    expect(sample.steps).toHaveLength(2)
  })

  it('reports a refused upgrade with its HTTP status', async () => {
    const http = createServer((_req, res) => res.end())
    const sockets = track(http)
    http.on('upgrade', (_req, socket: Socket) => {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
    })
    const port = await listen(http)
    cleanups.push(closeServer(http, sockets))
    const sample = await runWebSocketProbe(
      spec(`ws://127.0.0.1:${port}/ws`, seedSteps)
    )
    expect(sample).toMatchObject({
      ok: false,
      error: false,
      status: 403,
      reason: 'upgrade refused: HTTP 403',
      steps: []
    })
  })

  it('reports a refused connection with host and port', async () => {
    const probe = createNetServer()
    const port = await listen(probe)
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const sample = await runWebSocketProbe(
      spec(`ws://127.0.0.1:${port}/ws`, seedSteps)
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: `connection refused to 127.0.0.1:${port}`
    })
    expect(sample.timings.connectMs).toBeUndefined()
  })

  it('times out a handshake the server never answers', async () => {
    const silent = createNetServer(() => undefined)
    const sockets = track(silent)
    const port = await listen(silent)
    cleanups.push(closeServer(silent, sockets))
    const sample = await runWebSocketProbe(
      spec(`ws://127.0.0.1:${port}/ws`, seedSteps, { connectTimeoutMs: 200 })
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: `connect timeout after 200ms to 127.0.0.1:${port}`
    })
  })

  it('refuses a message larger than maxMessageBytes and closes with 1009', async () => {
    const server = await startWss((ws) => ws.send('x'.repeat(2 * MiB)))
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'receive', withinMs: 1000 }], {
        maxMessageBytes: MiB
      })
    )
    expect(sample.ok).toBe(false)
    expect(sample.reason).toBe(
      'message of 2 MiB exceeds max 1 MiB while waiting in step 1 (receive)'
    )
    await expect(server.closed[0]).resolves.toMatchObject({ code: 1009 })
  })

  it("rejects 'emit' on raw WebSocket before connecting", async () => {
    const server = await startWss(() => undefined)
    const sample = await runWebSocketProbe(
      spec(server.url, [
        { kind: 'receive', withinMs: 100 },
        { kind: 'emit', event: 'subscribe', data: {} }
      ])
    )
    expect(sample.reason).toBe(
      "step 2 (emit): 'emit' needs protocol 'socket.io'"
    )
    expect(server.connections).toBe(0)
  })

  it('rejects a bad regex and a bad scheme with the value quoted', async () => {
    const bad = await runWebSocketProbe(
      spec('ws://127.0.0.1:1/ws', [
        { kind: 'receive', regex: '(', withinMs: 1 }
      ])
    )
    expect(bad.reason).toBe("step 1 (receive): invalid regex '('")
    const scheme = await runWebSocketProbe(spec('ftp://127.0.0.1/x', []))
    expect(scheme.reason).toBe(
      "unsupported url scheme 'ftp:' (use ws, wss, http or https)"
    )
  })
})

describe('runWebSocketProbe: protocol features', () => {
  it('buffers messages that arrive before a receive step starts', async () => {
    // the welcome is sent before the pong, so it is in before step 2 starts
    const server = await startWss((ws) => send(ws, { type: 'welcome' }))
    const sample = await runWebSocketProbe(
      spec(server.url, [
        { kind: 'ping', withinMs: 300 },
        { kind: 'receive', json: { type: 'welcome' }, withinMs: 100 }
      ])
    )
    expect(sample.reason).toBe('2 steps passed')
  })

  it('measures ping/pong and fails when no pong comes', async () => {
    const server = await startWss(() => undefined)
    const ok = await runWebSocketProbe(
      spec(server.url, [{ kind: 'ping', withinMs: 300 }])
    )
    expect(ok.ok).toBe(true)
    expect(ok.steps).toEqual([
      { step: 1, kind: 'ping', ms: expect.any(Number) }
    ])

    const mute = await startWss(() => undefined, { autoPong: false })
    const sample = await runWebSocketProbe(
      spec(mute.url, [{ kind: 'ping', withinMs: 150 }])
    )
    expect(sample.reason).toBe('step 1 (ping): no pong within 150ms')
  })

  it('negotiates a subprotocol, and fails when none is accepted', async () => {
    const server = await startWss((ws) => send(ws, { protocol: ws.protocol }), {
      handleProtocols: (offered) =>
        offered.has('matches.v2') ? 'matches.v2' : false
    })
    const sample = await runWebSocketProbe(
      spec(
        server.url,
        [{ kind: 'receive', json: { protocol: 'matches.v2' }, withinMs: 300 }],
        { subprotocols: ['matches.v1', 'matches.v2'] }
      )
    )
    expect(sample.reason).toBe("1 step passed (subprotocol 'matches.v2')")

    const refused = await runWebSocketProbe(
      spec(server.url, [{ kind: 'receive', withinMs: 300 }], {
        subprotocols: ['matches.v1']
      })
    )
    expect(refused.ok).toBe(false)
    expect(refused.reason).toBe(
      "server accepted none of the subprotocols 'matches.v1'"
    )
  })

  it('sends headers and closes with the given code and reason', async () => {
    let auth: string | undefined
    const server = await startWss(() => undefined, {
      verifyClient: (info: { req: { headers: Record<string, unknown> } }) => {
        auth = info.req.headers.authorization as string
        return true
      }
    })
    const sample = await runWebSocketProbe(
      spec(
        server.url,
        [
          { kind: 'send', text: 'hi' },
          { kind: 'close', code: 4000, reason: 'bye' }
        ],
        { headers: { Authorization: 'Bearer abc123' } }
      )
    )
    expect(sample.reason).toBe('2 steps passed')
    expect(auth).toBe('Bearer abc123')
    await expect(server.closed[0]).resolves.toEqual({
      code: 4000,
      reason: 'bye'
    })
  })
})

describe('runWebSocketProbe: secrets and abort', () => {
  const token = 'tok-5ecret-9f8e7d6c'
  const header = 'hdr-5ecret-abcdef'

  it('never returns the token of the URL query or a secret header', async () => {
    const echo = (ws: WebSocket, url: string): void => {
      if (url.includes('mode=close')) {
        ws.close(4001, `bad ${url}`.slice(0, 120))
        return
      }
      setTimeout(() => ws.send(`you asked ${url} with ${header}`), 30)
    }
    const server = await startWss(echo)
    const http = createServer()
    const sockets = track(http)
    http.on('upgrade', (_req, socket: Socket) => {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
    })
    const port = await listen(http)
    cleanups.push(closeServer(http, sockets))

    const base = `ws://127.0.0.1:${server.port}/ws?token=${token}`
    const headers = { Authorization: `Bearer ${header}` }
    const samples = await Promise.all([
      runWebSocketProbe(
        spec(base, [{ kind: 'silence', forMs: 200 }], { headers })
      ),
      runWebSocketProbe(
        spec(base, [{ kind: 'receive', json: { a: 1 }, withinMs: 200 }], {
          headers
        })
      ),
      runWebSocketProbe(
        spec(`${base}&mode=close`, [{ kind: 'receive', withinMs: 200 }])
      ),
      runWebSocketProbe(
        spec(`ws://127.0.0.1:${port}/ws?token=${token}`, [], { headers })
      ),
      runWebSocketProbe(spec(`ws://127.0.0.1:1/ws?token=${token}`, []))
    ])
    for (const s of samples) {
      expect(s.ok).toBe(false)
      expect(JSON.stringify(s)).not.toContain(token)
      expect(JSON.stringify(s)).not.toContain(header)
    }
    expect(samples[0].reason).toContain('you asked /ws?token=*** with ***')
    expect(samples[1].excerpt).toBe('you asked /ws?token=*** with ***')
    expect(samples[2].reason).toMatch(/^closed by server: 4001 'bad /)
  })

  it('passes every reason and excerpt through opts.redact', async () => {
    const server = await startWss((ws) => {
      setTimeout(() => ws.send('the password is hunter2'), 30)
    })
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'silence', forMs: 200 }]),
      { redact: (s) => s.replaceAll('hunter2', '[masked]') }
    )
    expect(sample.reason).toContain('the password is [masked]')
    expect(sample.excerpt).toBe('the password is [masked]')
  })

  it('closes the socket promptly when aborted', async () => {
    const controller = new AbortController()
    // abort once the probe is surely waiting in step 2
    const server = await startWss((ws) => {
      ws.on('message', () => setTimeout(() => controller.abort(), 20))
    })
    const sample = await runWebSocketProbe(
      spec(server.url, [
        { kind: 'send', text: 'waiting' },
        { kind: 'receive', withinMs: 4000 }
      ]),
      { signal: controller.signal }
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: 'aborted while waiting in step 2 (receive)'
    })
    await expect(server.closed[0]).resolves.toMatchObject({ code: 1006 })
  })

  it('does not connect when already aborted', async () => {
    const server = await startWss(() => undefined)
    const sample = await runWebSocketProbe(spec(server.url, seedSteps), {
      signal: AbortSignal.abort()
    })
    expect(sample.reason).toBe('aborted before connecting')
    expect(server.connections).toBe(0)
  })

  it('closes the socket when the step engine throws', async () => {
    const server = await startWss(() => undefined)
    let sleeps = 0
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'receive', withinMs: 500 }]),
      {
        clock: {
          ...systemClock,
          // the connect wait sleeps once; the receive step's sleep breaks
          sleep: (ms, signal) =>
            ++sleeps === 1
              ? systemClock.sleep(ms, signal)
              : Promise.reject(new Error('clock broke'))
        }
      }
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: 'internal error: clock broke'
    })
    await expect(server.closed[0]).resolves.toMatchObject({ code: 1006 })
  })
})
