/**
 * The Socket.IO side of WebSocket probes: a gateway such as NestJS speaks
 * events over its own framing, so `receive`/`silence` match an event name and
 * its payload and `emit` sends one. The steps themselves run in the shared
 * engine of websocket.ts; this file only adapts socket.io-client to it.
 */
import { Agent } from 'node:https'
import {
  io,
  type ManagerOptions,
  type Socket,
  type SocketOptions
} from 'socket.io-client'
import {
  eventMessage,
  excerpt,
  oversizeReason,
  transportFailure
} from './match.js'
import type { WsProbeSpec } from './types.js'
import type { Link, LinkEnd, Sink, Target } from './ws-link.js'
import { formatDuration } from '../kernel/format.js'

export type SocketIoOptions = Partial<ManagerOptions & SocketOptions>

/** Creates the socket.io-client socket; injected so tests can replace it. */
export type SocketIoFactory = (url: string, options: SocketIoOptions) => Socket

/**
 * Connects one Socket.IO client the way a probe needs it: one attempt, no
 * reconnection (a reconnect would hide the failure we are looking for), a
 * fresh manager, and the WebSocket transport only, so a broken upgrade is
 * not masked by a fallback to long-polling.
 */
export function openSocketIo(
  spec: WsProbeSpec,
  sink: Sink,
  target: Target,
  factory: SocketIoFactory = (url, options) => io(url, options)
): Link {
  const options: SocketIoOptions & { maxPayload?: number } = {
    transports: ['websocket'],
    reconnection: false,
    timeout: spec.connectTimeoutMs,
    forceNew: true,
    extraHeaders: spec.headers,
    rejectUnauthorized: !spec.tls.insecure,
    maxPayload: spec.maxMessageBytes
  }
  if (spec.subprotocols.length > 0) options.protocols = spec.subprotocols
  if (spec.tls.ca !== undefined) options.ca = spec.tls.ca
  if (spec.tls.minVersion !== undefined && target.secure) {
    // engine.io-client forwards only some TLS options to `ws`; an agent
    // carries the rest. Its type is narrowed for browsers, hence the cast.
    const agent = new Agent({
      minVersion: spec.tls.minVersion,
      rejectUnauthorized: !spec.tls.insecure,
      ca: spec.tls.ca
    })
    options.agent = agent as unknown as boolean
  }
  const socket = factory(spec.url, options)
  let closing = false

  socket.on('connect', () => sink.open({}))
  socket.on('connect_error', (err: Error) => {
    sink.end(connectErrorEnd(err, spec, target))
  })
  // `ws` is dropped by the time `disconnect` fires; the manager's `error`
  // comes first, while the frame header that was too large is still there.
  let oversize: string | undefined
  socket.io.on('error', (err: Error) => {
    if (!isOversize(err)) return
    const transport = socket.io.engine?.transport as unknown
    const ws = (transport as { ws?: unknown } | undefined)?.ws
    oversize = oversizeReason(ws, spec.maxMessageBytes)
  })
  socket.on('disconnect', (reason, details) => {
    sink.end(
      oversize !== undefined && reason === 'transport error'
        ? { reason: oversize, error: false }
        : disconnectEnd(reason, details, closing, spec, target)
    )
  })
  socket.onAny((event: string, ...args: unknown[]) => {
    sink.message(eventMessage(event, args))
  })

  const emit = (
    event: string,
    args: unknown[]
  ): Promise<string | undefined> => {
    if (!socket.connected) return Promise.resolve('not connected')
    socket.emit(event, ...args)
    return Promise.resolve(undefined)
  }
  return {
    send: (payload) =>
      emit('message', [
        payload.json !== undefined ? payload.json : payload.text
      ]),
    emit: (event, data) => emit(event, data === undefined ? [] : [data]),
    close: () => {
      closing = true
      socket.disconnect()
      return undefined
    },
    terminate: () => {
      closing = true
      socket.offAny()
      socket.disconnect()
      socket.io.engine?.close()
    }
  }
}

function connectErrorEnd(
  err: Error,
  spec: WsProbeSpec,
  target: Target
): LinkEnd {
  if (err.message === 'timeout') {
    return {
      reason: `connect timeout after ${formatDuration(spec.connectTimeoutMs)} to ${target.hostPort}`,
      error: true
    }
  }
  // A middleware's `next(new Error(...))` is an answer from the server; a
  // transport error is the network or the upgrade.
  if ((err as { type?: unknown }).type !== 'TransportError') {
    return { reason: `connect error: '${err.message}'`, error: false }
  }
  return transportFailure(err, target.hostPort, target.redact)
}

function disconnectEnd(
  reason: Socket.DisconnectReason,
  details: unknown,
  closing: boolean,
  spec: WsProbeSpec,
  target: Target
): LinkEnd {
  if (closing || reason === 'io client disconnect') {
    return { reason: 'closed by client', error: false, byClient: true }
  }
  switch (reason) {
    case 'io server disconnect':
      return { reason: 'disconnected by server', error: false, normal: true }
    case 'ping timeout':
      return { reason: 'server stopped answering (ping timeout)', error: true }
    case 'parse error':
      return { reason: 'unparsable packet from server', error: false }
    case 'transport close':
      return closeDetails(details, target)
    case 'transport error':
      if (isOversize(details)) {
        const reason = oversizeReason(undefined, spec.maxMessageBytes)
        return { reason, error: false }
      }
      return transportFailure(details, target.hostPort, target.redact)
    default:
      return { reason: `disconnected: '${String(reason)}'`, error: true }
  }
}

/** A `transport close` carries the WebSocket close event when there was one. */
function closeDetails(details: unknown, target: Target): LinkEnd {
  const context = (details as { context?: unknown } | undefined)?.context
  const code = (context as { code?: unknown } | undefined)?.code
  const why = (context as { reason?: unknown } | undefined)?.reason
  if (typeof code !== 'number' || code === 1006 || code === 1005) {
    return { reason: 'connection closed by server', error: true }
  }
  const quoted =
    typeof why === 'string' && why !== ''
      ? ` '${excerpt(why, 80, target.redact)}'`
      : ''
  return {
    reason: `closed by server: ${code}${quoted}`,
    error: false,
    normal: code === 1000 || code === 1001
  }
}

function isOversize(details: unknown): boolean {
  const seen = new Set<unknown>()
  let e: unknown = details
  for (let i = 0; i < 4 && e !== null && typeof e === 'object'; i++) {
    if (seen.has(e)) break
    seen.add(e)
    const rec = e as { code?: unknown; error?: unknown; description?: unknown }
    if (rec.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return true
    e = rec.error ?? rec.description
  }
  return false
}
