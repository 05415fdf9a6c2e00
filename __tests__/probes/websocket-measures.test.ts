/**
 * What WebSocket and Socket.IO probes measure besides their flow's total
 * duration: connect time, time to the first expected message, and latency
 * of pushed messages (from the server's stamp, or from the send or emit
 * that triggered them), against real servers on loopback. Delays are 300
 * ms against prompt answers; assertions keep that margin, never tighter.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { Server, type Socket as ServerSocket } from 'socket.io'
import { WebSocketServer, type WebSocket } from 'ws'
import { runWebSocketProbe } from '../../src/probes/websocket.js'
import { pushStamp } from '../../src/probes/ws-push.js'
import type {
  PushLatencySpec,
  WsProbeSpec,
  WsStep
} from '../../src/probes/types.js'

const DELAY = 300
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function spec(
  url: string,
  steps: WsStep[],
  over: Partial<WsProbeSpec> = {}
): WsProbeSpec {
  return {
    kind: 'websocket',
    name: 'live',
    url,
    protocol: 'ws',
    headers: {},
    subprotocols: [],
    connectTimeoutMs: 2000,
    maxMessageBytes: 1024 * 1024,
    tls: { insecure: false },
    steps,
    ...over
  }
}

async function startWss(
  onConnection: (ws: WebSocket) => void
): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  wss.on('connection', onConnection)
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  })
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`
}

async function startIo(
  onConnection: (socket: ServerSocket) => void
): Promise<string> {
  const http = createServer()
  const sockets = new Set<Socket>()
  http.on('connection', (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  const io = new Server(http)
  io.on('connection', onConnection)
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  cleanups.push(async () => {
    await io.close()
    for (const s of sockets) s.destroy()
  })
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`
}

/** Answers `subscribe` with an update after `delay` ms, stamped when due. */
function scores(delay: number) {
  return (ws: WebSocket): void => {
    ws.on('message', (data) => {
      const msg = JSON.parse((data as Buffer).toString('utf8')) as {
        action?: string
      }
      if (msg.action !== 'subscribe') return
      const due = Date.now()
      setTimeout(() => {
        ws.send(JSON.stringify({ type: 'update', meta: { sentAt: due } }))
      }, delay)
    })
  }
}

const subscribeFlow: WsStep[] = [
  { kind: 'send', json: { action: 'subscribe' } },
  { kind: 'receive', json: { type: 'update' }, withinMs: 2000 },
  { kind: 'silence', forMs: 200 },
  { kind: 'close', code: 1000 }
]

describe('WebSocket probe measures', () => {
  it('times a push from the send that triggered it, apart from the flow', async () => {
    const url = await startWss(scores(DELAY))
    const sample = await runWebSocketProbe(spec(url, subscribeFlow))
    expect(sample.ok).toBe(true)
    const ws = sample.ws!
    expect(ws.connectMs).toBeGreaterThanOrEqual(0)
    expect(ws.connectMs).toBe(sample.timings.connectMs)
    expect(ws.pushLatenciesMs).toHaveLength(1)
    expect(ws.pushLatenciesMs![0]).toBeGreaterThanOrEqual(DELAY - 5)
    // The first expected message comes after the send, from the open.
    expect(ws.firstMessageMs).toBeGreaterThanOrEqual(DELAY - 5)
    // The flow's duration includes the silence; the push latency does not.
    expect(sample.timings.totalMs).toBeGreaterThan(ws.pushLatenciesMs![0])
  })

  it('a prompt server gives push latencies well under the delayed one', async () => {
    const url = await startWss(scores(0))
    const sample = await runWebSocketProbe(spec(url, subscribeFlow))
    expect(sample.ok).toBe(true)
    expect(sample.ws?.pushLatenciesMs?.[0]).toBeLessThan(DELAY - 100)
  })

  it('reads the server timestamp of every pushed message when configured', async () => {
    const url = await startWss((ws) => {
      const due = Date.now()
      // Three stamped pushes, each sent 300 ms after its stamp, one not.
      setTimeout(() => {
        for (let i = 0; i < 3; i++) {
          ws.send(JSON.stringify({ type: 'tick', meta: { sentAt: due } }))
        }
        ws.send(JSON.stringify({ type: 'hello' }))
      }, DELAY)
    })
    const sample = await runWebSocketProbe(
      spec(
        url,
        [
          { kind: 'receive', json: { type: 'hello' }, withinMs: 2000 },
          { kind: 'close', code: 1000 }
        ],
        { pushLatency: { timestamp: '$.meta.sentAt', unit: 'ms' } }
      )
    )
    expect(sample.ok).toBe(true)
    const pushes = sample.ws?.pushLatenciesMs ?? []
    expect(pushes).toHaveLength(3)
    for (const ms of pushes) expect(ms).toBeGreaterThanOrEqual(DELAY - 5)
    expect(sample.ws?.firstMessageMs).toBeGreaterThanOrEqual(DELAY - 50)
  })

  it('has no push latency without a stamp or a send before the receive', async () => {
    const url = await startWss((ws) => ws.send(JSON.stringify({ type: 'hi' })))
    const sample = await runWebSocketProbe(
      spec(url, [{ kind: 'receive', json: { type: 'hi' }, withinMs: 2000 }])
    )
    expect(sample.ok).toBe(true)
    expect(sample.ws?.firstMessageMs).toBeGreaterThanOrEqual(0)
    expect(sample.ws?.pushLatenciesMs).toBeUndefined()
  })

  it('keeps the connect time of a flow that failed after connecting', async () => {
    const url = await startWss(() => undefined)
    const sample = await runWebSocketProbe(
      spec(url, [{ kind: 'receive', json: { type: 'never' }, withinMs: 100 }])
    )
    expect(sample.ok).toBe(false)
    expect(sample.ws?.connectMs).toBeGreaterThanOrEqual(0)
    expect(sample.ws?.firstMessageMs).toBeUndefined()
  })

  it('fails a probe whose timestamp path cannot be read, before connecting', async () => {
    const sample = await runWebSocketProbe(
      spec('ws://127.0.0.1:9/ws', subscribeFlow, {
        pushLatency: { timestamp: 'a..b', unit: 'ms' }
      })
    )
    expect(sample.ok).toBe(false)
    expect(sample.reason).toMatch(
      /^push-latency\.timestamp: invalid path 'a\.\.b'/
    )
    expect(sample.ws).toBeUndefined()
  })
})

describe('Socket.IO probe measures', () => {
  /** Answers `subscribe` with `match-update` after `delay` ms. */
  const gateway =
    (delay: number) =>
    (socket: ServerSocket): void => {
      socket.on('subscribe', ({ matchId }: { matchId: string }) => {
        const due = new Date().toISOString()
        setTimeout(
          () => socket.emit('match-update', { matchId, at: due }),
          delay
        )
      })
    }
  const flow: WsStep[] = [
    { kind: 'receive', event: 'connect', withinMs: 2000 },
    { kind: 'emit', event: 'subscribe', data: { matchId: 'm1' } },
    { kind: 'receive', event: 'match-update', withinMs: 2000 },
    { kind: 'silence', event: 'match-update', forMs: 200 }
  ]

  it('times the update from the emit that asked for it', async () => {
    const url = await startIo(gateway(DELAY))
    const sample = await runWebSocketProbe(
      spec(url, flow, { protocol: 'socket.io' })
    )
    expect(sample.ok).toBe(true)
    expect(sample.ws?.connectMs).toBeGreaterThanOrEqual(0)
    expect(sample.ws?.pushLatenciesMs?.[0]).toBeGreaterThanOrEqual(DELAY - 5)
  })

  it('reads an ISO stamp from the event payload', async () => {
    const url = await startIo(gateway(DELAY))
    const sample = await runWebSocketProbe(
      spec(url, flow, {
        protocol: 'socket.io',
        pushLatency: { timestamp: 'at', unit: 'iso' }
      })
    )
    expect(sample.ok).toBe(true)
    expect(sample.ws?.pushLatenciesMs).toHaveLength(1)
    expect(sample.ws?.pushLatenciesMs?.[0]).toBeGreaterThanOrEqual(DELAY - 5)
  })

  it('a prompt gateway gives push latencies well under the delayed one', async () => {
    const url = await startIo(gateway(0))
    const sample = await runWebSocketProbe(
      spec(url, flow, { protocol: 'socket.io' })
    )
    expect(sample.ok).toBe(true)
    expect(sample.ws?.pushLatenciesMs?.[0]).toBeLessThan(DELAY - 100)
  })
})

describe('pushStamp', () => {
  const read = (s: PushLatencySpec, payload: unknown, now: number): unknown => {
    const p = pushStamp(s)
    if (!p.ok) throw new Error(p.error)
    return p.value(payload, now)
  }
  const now = Date.parse('2026-12-04T12:00:00.500Z')

  it('reads each unit', () => {
    const at = now - 300
    expect(read({ timestamp: 'ts', unit: 'ms' }, { ts: at }, now)).toBe(300)
    expect(read({ timestamp: 'ts', unit: 's' }, { ts: at / 1000 }, now)).toBe(
      300
    )
    expect(
      read({ timestamp: 'ts', unit: 'us' }, { ts: String(at * 1000) }, now)
    ).toBe(300)
    expect(
      read(
        { timestamp: 'data[0].ts', unit: 'iso' },
        { data: [{ ts: '2026-12-04T12:00:00.200Z' }] },
        now
      )
    ).toBe(300)
  })

  it('ignores unstamped messages and counts a stamp from the future as 0', () => {
    const s: PushLatencySpec = { timestamp: 'ts', unit: 'ms' }
    expect(read(s, { other: 1 }, now)).toBeUndefined()
    expect(read(s, 'text', now)).toBeUndefined()
    expect(read(s, { ts: 'soon' }, now)).toBeUndefined()
    expect(read(s, { ts: now + 20 }, now)).toBe(0)
  })
})
