/**
 * The raw WebSocket side of WebSocket probes: adapts the `ws` client to the
 * step engine of websocket.ts, turning its events and close codes into
 * one-line reasons.
 */
import WebSocket from 'ws'
import type { ClientOptions, RawData } from 'ws'
import type { ClientRequest, IncomingMessage } from 'node:http'
import {
  excerpt,
  oversizeReason,
  parseMessage,
  transportFailure
} from './match.js'
import type { WsProbeSpec } from './types.js'
import {
  thrownMessage,
  type Link,
  type LinkEnd,
  type Sink,
  type Target
} from './ws-link.js'
import { formatDuration } from '../kernel/format.js'

/** Creates the `ws` client; injected so tests can observe or replace it. */
export type WebSocketFactory = (
  url: string,
  protocols: string[],
  options: ClientOptions
) => WebSocket

/**
 * Connects one `ws` client for a probe. Redirects are not followed: a probe
 * checks the endpoint it names, and a redirect is reported as a refused
 * upgrade rather than silently probing somewhere else.
 */
export function openWs(
  spec: WsProbeSpec,
  sink: Sink,
  target: Target,
  factory: WebSocketFactory = (url, protocols, options) =>
    new WebSocket(url, protocols, options)
): Link {
  const options: ClientOptions = {
    headers: spec.headers,
    maxPayload: spec.maxMessageBytes,
    handshakeTimeout: spec.connectTimeoutMs,
    followRedirects: false,
    rejectUnauthorized: !spec.tls.insecure
  }
  if (spec.tls.ca !== undefined) options.ca = spec.tls.ca
  if (spec.tls.minVersion !== undefined) {
    options.minVersion = spec.tls.minVersion
  }
  const ws = factory(spec.url, spec.subprotocols, options)
  let closing = false

  ws.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
    const status = res.statusCode ?? 0
    sink.end({
      reason: `upgrade refused: HTTP ${status}`,
      error: false,
      status
    })
    res.resume()
    ws.terminate()
  })
  ws.on('open', () => sink.open({ protocol: ws.protocol || undefined }))
  ws.on('message', (data: RawData) => sink.message(parseMessage(toText(data))))
  ws.on('pong', () => sink.pong())
  ws.on('error', (err: Error) => {
    sink.end(wsErrorEnd(err, ws, spec, target))
  })
  ws.on('close', (code: number, reason: Buffer) => {
    sink.end(closeEnd(code, reason.toString(), closing, target))
  })

  return {
    send: (payload) =>
      new Promise((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) {
          resolve('connection is not open')
          return
        }
        const text =
          payload.json !== undefined
            ? JSON.stringify(payload.json)
            : (payload.text ?? '')
        ws.send(text, (err) => {
          resolve(err ? `send failed: ${err.message}` : undefined)
        })
      }),
    ping: () => {
      try {
        ws.ping()
        return undefined
      } catch (err) {
        return `ping failed: ${thrownMessage(err)}`
      }
    },
    close: (code, reason) => {
      closing = true
      try {
        ws.close(code, reason)
        return undefined
      } catch (err) {
        closing = false
        return `cannot close with code '${code}': ${thrownMessage(err)}`
      }
    },
    terminate: () => {
      closing = true
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate()
    }
  }
}

function wsErrorEnd(
  err: Error,
  ws: WebSocket,
  spec: WsProbeSpec,
  target: Target
): LinkEnd {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return { reason: oversizeReason(ws, spec.maxMessageBytes), error: false }
  }
  if (err.message === 'Server sent no subprotocol') {
    const offered = spec.subprotocols.map((p) => `'${p}'`).join(', ')
    return {
      reason: `server accepted none of the subprotocols ${offered}`,
      error: false
    }
  }
  if (err.message === 'Server sent an invalid subprotocol') {
    return { reason: 'server chose a subprotocol not offered', error: false }
  }
  if (err.message === 'Opening handshake has timed out') {
    return {
      reason: `connect timeout after ${formatDuration(spec.connectTimeoutMs)} to ${target.hostPort}`,
      error: true
    }
  }
  return { ...transportFailure(err, target.hostPort, target.redact) }
}

/** Close codes read as users know them; 1006 means no close frame at all. */
function closeEnd(
  code: number,
  reason: string,
  byClient: boolean,
  target: Target
): LinkEnd {
  const quoted = reason ? ` '${excerpt(reason, 80, target.redact)}'` : ''
  if (byClient) {
    return {
      reason: `closed by client: ${code}${quoted}`,
      error: false,
      byClient
    }
  }
  if (code === 1006) {
    return {
      reason: 'connection lost without a close frame (1006)',
      error: true
    }
  }
  if (code === 1005) {
    return { reason: 'closed by server without a status code', error: false }
  }
  return {
    reason: `closed by server: ${code}${quoted}`,
    error: false,
    normal: code === 1000 || code === 1001
  }
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  return data.toString('utf8')
}
