import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { runWebSocketProbe } from '../../src/probes/websocket.js'
import type { TlsSpec, WsProbeSpec } from '../../src/probes/types.js'

let dir: string
let cert: string
let server: Server
let wss: WebSocketServer
let url: string

/** A wss server with a self-signed certificate for 127.0.0.1 made here. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-tls-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem')
    ],
    { stdio: 'ignore', timeout: 5000 }
  )
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
  server = createServer({ cert, key: readFileSync(join(dir, 'key.pem')) })
  wss = new WebSocketServer({ server })
  wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'hello' })))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}/ws`
})

afterAll(async () => {
  for (const c of wss.clients) c.terminate()
  await new Promise<void>((resolve) => wss.close(() => resolve()))
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(dir, { recursive: true, force: true })
})

function spec(tls: TlsSpec): WsProbeSpec {
  return {
    kind: 'websocket',
    name: 'tls',
    url,
    protocol: 'ws',
    headers: {},
    subprotocols: [],
    connectTimeoutMs: 2000,
    maxMessageBytes: 1024,
    tls,
    steps: [{ kind: 'receive', json: { type: 'hello' }, withinMs: 1000 }]
  }
}

describe('runWebSocketProbe over TLS', () => {
  it('rejects an untrusted certificate by default', async () => {
    const sample = await runWebSocketProbe(spec({ insecure: false }))
    expect(sample.ok).toBe(false)
    expect(sample.error).toBe(true)
    expect(sample.reason).toMatch(
      /^TLS error with 127\.0\.0\.1:\d+: self-signed certificate/
    )
  })

  it('trusts the certificate given as ca', async () => {
    const sample = await runWebSocketProbe(
      spec({ insecure: false, ca: cert, minVersion: 'TLSv1.3' })
    )
    expect(sample.reason).toBe('1 step passed')
  })

  it('skips verification when insecure', async () => {
    const sample = await runWebSocketProbe(spec({ insecure: true }))
    expect(sample.ok).toBe(true)
  })
})
