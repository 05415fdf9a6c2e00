import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { Server, type Socket as ServerSocket } from 'socket.io'
import { runWebSocketProbe } from '../../src/probes/websocket.js'
import type { WsProbeSpec, WsStep } from '../../src/probes/types.js'

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
    name: 'gateway',
    url,
    protocol: 'socket.io',
    headers: {},
    subprotocols: [],
    connectTimeoutMs: 1000,
    maxMessageBytes: MiB,
    tls: { insecure: false },
    steps
  }
  return { ...base, ...over }
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

async function listen(
  server: HttpServer | ReturnType<typeof createNetServer>
): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

interface Io {
  url: string
  io: Server
  disconnects: Promise<string>[]
}

/** A Socket.IO server on 127.0.0.1:0, closed with all its clients after. */
async function startIo(
  onConnection: (socket: ServerSocket) => void,
  setup: (io: Server) => void = () => undefined
): Promise<Io> {
  const http = createServer()
  const sockets = track(http)
  const io = new Server(http)
  setup(io)
  const state: Io = { url: '', io, disconnects: [] }
  io.on('connection', (socket) => {
    state.disconnects.push(
      new Promise((resolve) => socket.once('disconnect', resolve))
    )
    onConnection(socket)
  })
  const port = await listen(http)
  state.url = `http://127.0.0.1:${port}`
  cleanups.push(async () => {
    await io.close()
    for (const s of sockets) s.destroy()
  })
  return state
}

/**
 * The seed's gateway: the first update on subscribe, a viewer count for
 * everyone every 20 ms. The buggy one keeps streaming test-match updates
 * after the unsubscribe.
 */
function gateway(buggy: boolean) {
  return (socket: ServerSocket): void => {
    const leaked = new Set<string>()
    const timer = setInterval(() => {
      socket.emit('viewers', { count: 3 })
      for (const matchId of leaked) socket.emit('match-update', { matchId })
    }, 20)
    socket.on('disconnect', () => clearInterval(timer))
    socket.on('subscribe', ({ matchId }: { matchId: string }) => {
      socket.emit('match-update', { matchId, score: '0-0' })
    })
    socket.on('unsubscribe', ({ matchId }: { matchId: string }) => {
      if (buggy) leaked.add(matchId)
    })
  }
}

const seedSteps: WsStep[] = [
  { kind: 'receive', event: 'connect', withinMs: 500 },
  { kind: 'emit', event: 'subscribe', data: { matchId: 'test-match' } },
  { kind: 'receive', event: 'match-update', withinMs: 500 },
  { kind: 'emit', event: 'unsubscribe', data: { matchId: 'test-match' } },
  { kind: 'silence', event: 'match-update', forMs: 300 }
]

describe('runWebSocketProbe with protocol socket.io: the seed flow', () => {
  it('passes against a gateway that stops after unsubscribe', async () => {
    const server = await startIo(gateway(false))
    const sample = await runWebSocketProbe(spec(server.url, seedSteps))
    expect(sample).toMatchObject({
      probe: 'gateway',
      kind: 'websocket',
      ok: true,
      reason: '5 steps passed'
    })
    expect(sample.steps?.map((s) => s.kind)).toEqual([
      'receive',
      'emit',
      'receive',
      'emit',
      'silence'
    ])
    // the connect step's latency is the connect time
    expect(sample.steps?.[0].ms).toBe(sample.timings.connectMs)
    await expect(server.disconnects[0]).resolves.toBe(
      'client namespace disconnect'
    )
  })

  it('fails the silence when match updates keep coming', async () => {
    const server = await startIo(gateway(true))
    const sample = await runWebSocketProbe(spec(server.url, seedSteps))
    expect(sample.ok).toBe(false)
    expect(sample.reason).toBe(
      "step 5 (silence): unexpected event during 300ms of silence: 'match-update' " +
        '{"matchId":"test-match"}'
    )
    expect(sample.steps).toHaveLength(4)
    await expect(server.disconnects[0]).resolves.toBeDefined()
  })

  it('matches event data, so other matches do not break a silence', async () => {
    const server = await startIo((socket) => {
      const timer = setInterval(
        () => socket.emit('match-update', { matchId: 'other-match' }),
        20
      )
      socket.on('disconnect', () => clearInterval(timer))
    })
    const steps: WsStep[] = [
      {
        kind: 'receive',
        event: 'match-update',
        data: { matchId: 'other-match' },
        withinMs: 300
      },
      {
        kind: 'silence',
        event: 'match-update',
        data: { matchId: 'test-match' },
        forMs: 200
      }
    ]
    const sample = await runWebSocketProbe(spec(server.url, steps))
    expect(sample.reason).toBe('2 steps passed')
  })
})

describe('runWebSocketProbe with protocol socket.io: failures', () => {
  it('names the awaited event when it never comes', async () => {
    const server = await startIo(() => undefined)
    const sample = await runWebSocketProbe(
      spec(server.url, [
        {
          kind: 'receive',
          event: 'match-update',
          data: { matchId: 'test-match' },
          withinMs: 200
        }
      ])
    )
    expect(sample.reason).toBe(
      "step 1 (receive): no 'match-update' event matching " +
        '{"matchId":"test-match"} within 200ms (no events seen)'
    )
  })

  it('reports a middleware rejection as a connect error', async () => {
    const token = 'tok-5ecret-9f8e7d6c'
    let auth: unknown
    const server = await startIo(
      () => undefined,
      (io) =>
        io.use((socket, next) => {
          auth = socket.handshake.headers['x-api-key']
          next(new Error(`bad token ${String(socket.handshake.query.token)}`))
        })
    )
    const sample = await runWebSocketProbe(
      spec(`${server.url}/?token=${token}`, seedSteps, {
        headers: { 'X-Api-Key': 'key-123456' }
      })
    )
    expect(sample).toMatchObject({
      ok: false,
      error: false,
      reason: "connect error: 'bad token ***'"
    })
    expect(auth).toBe('key-123456')
    expect(JSON.stringify(sample)).not.toContain(token)
  })

  it('reports a refused upgrade with its HTTP status', async () => {
    const http = createServer((_req, res) => res.end())
    const sockets = track(http)
    http.on('upgrade', (_req, socket: Socket) => {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
    })
    const port = await listen(http)
    cleanups.push(async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    })
    const sample = await runWebSocketProbe(
      spec(`http://127.0.0.1:${port}`, seedSteps)
    )
    expect(sample).toMatchObject({
      ok: false,
      error: false,
      status: 403,
      reason: 'upgrade refused: HTTP 403'
    })
  })

  it('reports a refused connection with host and port', async () => {
    const probe = createNetServer()
    const port = await listen(probe)
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const sample = await runWebSocketProbe(
      spec(`http://127.0.0.1:${port}`, seedSteps)
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: `connection refused to 127.0.0.1:${port}`
    })
  })

  it('bounds the connect by the window of a leading connect step', async () => {
    const silent = createNetServer(() => undefined)
    const sockets = track(silent)
    const port = await listen(silent)
    cleanups.push(async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    })
    const url = `http://127.0.0.1:${port}`
    const byStep = await runWebSocketProbe(
      spec(url, [{ kind: 'receive', event: 'connect', withinMs: 150 }])
    )
    expect(byStep.reason).toBe('step 1 (receive): not connected within 150ms')
    const byTimeout = await runWebSocketProbe(
      spec(url, [], { connectTimeoutMs: 150 })
    )
    expect(byTimeout.reason).toBe(
      `connect timeout after 150ms to 127.0.0.1:${port}`
    )
  })

  it('reports a server disconnect while waiting', async () => {
    const server = await startIo((socket) => {
      socket.on('subscribe', () => socket.disconnect(true))
    })
    const sample = await runWebSocketProbe(spec(server.url, seedSteps))
    expect(sample.reason).toBe(
      'disconnected by server while waiting in step 3 (receive)'
    )
  })

  it('refuses an event larger than maxMessageBytes', async () => {
    const server = await startIo((socket) => {
      socket.emit('snapshot', 'x'.repeat(2 * MiB))
    })
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'receive', event: 'snapshot', withinMs: 1000 }])
    )
    expect(sample.ok).toBe(false)
    expect(sample.reason).toMatch(
      /^message of 2 MiB exceeds max 1 MiB while waiting in step 1 \(receive\)$/
    )
  })

  it("rejects 'ping' before connecting", async () => {
    const server = await startIo(() => undefined)
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'ping', withinMs: 100 }])
    )
    expect(sample.reason).toBe(
      "step 1 (ping): 'ping' is not available with protocol 'socket.io'"
    )
    expect(server.disconnects).toHaveLength(0)
  })
})

describe('runWebSocketProbe with protocol socket.io: send, close, abort', () => {
  it("sends as a 'message' event and closes on a close step", async () => {
    const server = await startIo((socket) => {
      socket.on('message', (m: unknown) => socket.emit('echo', m))
    })
    const sample = await runWebSocketProbe(
      spec(server.url, [
        { kind: 'send', json: { hello: 'gateway' } },
        {
          kind: 'receive',
          event: 'echo',
          data: { hello: 'gateway' },
          withinMs: 300
        },
        { kind: 'close' }
      ])
    )
    expect(sample.reason).toBe('3 steps passed')
    await expect(server.disconnects[0]).resolves.toBe(
      'client namespace disconnect'
    )
  })

  it('closes the socket promptly when aborted', async () => {
    const controller = new AbortController()
    // abort once the probe is surely waiting in step 2
    const server = await startIo((socket) => {
      socket.on('waiting', () => setTimeout(() => controller.abort(), 20))
    })
    const sample = await runWebSocketProbe(
      spec(server.url, [
        { kind: 'emit', event: 'waiting' },
        { kind: 'receive', event: 'never', withinMs: 4000 }
      ]),
      { signal: controller.signal }
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: 'aborted while waiting in step 2 (receive)'
    })
    await expect(server.disconnects[0]).resolves.toBe(
      'client namespace disconnect'
    )
  })

  it('uses the injected factory with probe options', async () => {
    const server = await startIo(() => undefined)
    const { io } = await import('socket.io-client')
    let seen: Record<string, unknown> | undefined
    const sample = await runWebSocketProbe(
      spec(server.url, [{ kind: 'receive', event: 'connect', withinMs: 500 }], {
        headers: { 'X-Probe': 'yes' },
        connectTimeoutMs: 700
      }),
      {
        createSocketIo: (url, options) => {
          seen = { ...options }
          return io(url, options)
        }
      }
    )
    expect(sample.ok).toBe(true)
    expect(seen).toMatchObject({
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 700,
      extraHeaders: { 'X-Probe': 'yes' }
    })
  })
})
