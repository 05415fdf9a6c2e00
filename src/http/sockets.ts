/**
 * Which socket served a request, and what it cost: the connect and TLS time
 * of each socket we open, and the peer certificate read while the socket is
 * still open, since a server that closes after answering leaves nothing to
 * read by the time the body is in.
 */
import diagnosticsChannel from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import * as tls from 'node:tls'
import type { buildConnector, Dispatcher } from 'undici'
import type { Timings } from '../kernel/sample.js'

interface ConnectTimes {
  connectMs: number
  tlsMs?: number
}

/** Filled by our connector: how long each new socket took to open. */
const socketTimes = new WeakMap<Socket, ConnectTimes>()
/** Sockets already attributed to an attempt; a reused socket costs nothing. */
const seenSockets = new WeakSet<Socket>()

/** The peer certificate as seen when the request went out. */
export interface PeerCertificate {
  /** False when the request did not go over an observable TLS socket. */
  tls: boolean
  /** `valid_to` in epoch ms; NaN when the server showed no certificate. */
  validTo: number
  /** True when the TLS session was resumed (no certificate is sent then). */
  resumed: boolean
}

/** What one request learns about its socket as it is sent. */
export interface Watch {
  socket?: Socket
  peer?: PeerCertificate
  onSend: (socket: Socket) => void
}

let pendingWatch: Watch | undefined
const watches = new WeakMap<object, Watch>()
let channelsReady = false

function peerOf(socket: Socket): PeerCertificate {
  if (!(socket instanceof tls.TLSSocket)) {
    return { tls: false, validTo: NaN, resumed: false }
  }
  // A destroyed socket has no certificate left (getPeerCertificate is null).
  const cert = socket.getPeerCertificate() as tls.PeerCertificate | null
  return {
    tls: true,
    validTo: cert ? Date.parse(cert.valid_to) : NaN,
    resumed: socket.isSessionReused()
  }
}

/**
 * undici does not tell a caller which socket served its request, and without
 * that we can neither attribute connect time nor read the peer certificate
 * behind a proxy. Its diagnostics channels do: a request is created
 * synchronously inside `dispatch`, and `sendHeaders` names its socket.
 */
function ensureChannels(): void {
  if (channelsReady) return
  channelsReady = true
  diagnosticsChannel.subscribe('undici:request:create', (msg) => {
    if (!pendingWatch) return
    const { request } = msg as { request: object }
    watches.set(request, pendingWatch)
    pendingWatch = undefined
  })
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (msg) => {
    const { request, socket } = msg as { request: object; socket: Socket }
    const w = watches.get(request)
    if (!w) return
    w.socket = socket
    w.peer = peerOf(socket)
    w.onSend(socket)
  })
}

/** Sends a request whose socket `watch` will learn about. */
export function watchedRequest(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions,
  watch: Watch
): Promise<Dispatcher.ResponseData> {
  ensureChannels()
  pendingWatch = watch
  try {
    return dispatcher.request(options)
  } finally {
    pendingWatch = undefined
  }
}

/** Wraps a connector to record TCP and TLS time for each socket it opens. */
export function timedConnector(
  base: buildConnector.connector
): buildConnector.connector {
  return (options, callback) => {
    const start = performance.now()
    let tcpAt: number | undefined
    const socket = (
      base as (
        o: buildConnector.Options,
        cb: buildConnector.Callback
      ) => Socket | undefined
    )(options, (...args) => {
      const [err, sock] = args
      if (!err && sock) {
        const end = performance.now()
        const tcp = tcpAt ?? end
        socketTimes.set(
          sock,
          options.protocol === 'https:'
            ? { connectMs: tcp - start, tlsMs: end - tcp }
            : { connectMs: end - start }
        )
      }
      callback(...args)
    })
    socket?.once('connect', () => {
      tcpAt = performance.now()
    })
  }
}

/** Adds the connect and TLS time of a socket the first time it serves us. */
export function addConnectTimes(
  timings: Timings,
  sock: Socket | undefined
): void {
  if (!sock || seenSockets.has(sock)) return
  seenSockets.add(sock)
  const c = socketTimes.get(sock)
  if (!c) return
  timings.connectMs = (timings.connectMs ?? 0) + c.connectMs
  if (c.tlsMs !== undefined) timings.tlsMs = (timings.tlsMs ?? 0) + c.tlsMs
}
