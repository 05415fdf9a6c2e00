/**
 * Load probes over TLS against a private CA (a self-signed certificate):
 * with the probe's `tls.ca` they connect, without it the reason names the
 * TLS error. Run through the load worker, as rollouts run them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { ProbeConfig } from '../../src/config/schema.js'
import { runLoadInWorker } from '../../src/probes/load-thread.js'
import type { LoadHttpSpec, LoadWsSpec } from '../../src/probes/load-types.js'
import { resolveLoad } from '../../src/probes/resolve.js'
import { hasOpenssl, makeSelfSignedCert } from '../helpers/http-certs.js'

const suite = hasOpenssl() ? describe : describe.skip

let cert: string
let server: Server
let wss: WebSocketServer
let origin: string

beforeAll(async () => {
  if (!hasOpenssl()) return
  const made = makeSelfSignedCert(1)
  cert = made.cert
  server = createServer({ cert: made.cert, key: made.key }, (req, res) => {
    req.resume()
    res.end('ok')
  })
  wss = new WebSocketServer({ server })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  if (!hasOpenssl()) return
  for (const c of wss.clients) c.terminate()
  await new Promise<void>((resolve) => wss.close(() => resolve()))
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function httpSpec(over: Partial<LoadHttpSpec> = {}): LoadHttpSpec {
  return {
    kind: 'load-http',
    name: 'api-load',
    url: `https://${origin}/load`,
    method: 'GET',
    headers: {},
    rate: 50,
    durationMs: 200,
    maxInFlight: 10,
    timeoutMs: 2000,
    ...over
  }
}

function wsSpec(over: Partial<LoadWsSpec> = {}): LoadWsSpec {
  return {
    kind: 'load-ws',
    name: 'viewers',
    url: `wss://${origin}/live`,
    headers: {},
    connections: 5,
    // Long enough for five TLS handshakes on a busy machine.
    durationMs: 1500,
    rampMs: 0,
    ...over
  }
}

suite('load over TLS with a private CA', () => {
  it('HTTPS load connects with tls.ca and names the TLS error without', async () => {
    const ok = await runLoadInWorker(
      httpSpec({ tls: { ca: cert, insecure: false } })
    )
    expect(ok).toMatchObject({ requests: 10, completed: 10, errors: 0 })
    const insecure = await runLoadInWorker(
      httpSpec({ tls: { insecure: true } })
    )
    expect(insecure).toMatchObject({ requests: 10, completed: 10 })
    const refused = await runLoadInWorker(httpSpec())
    expect(refused).toMatchObject({ requests: 10, completed: 0, errors: 10 })
    expect(refused.errorCounts).toEqual({ DEPTH_ZERO_SELF_SIGNED_CERT: 10 })
    expect(refused.reason).toContain(
      '10 failed (100%, most often self-signed certificate)'
    )
  })

  it('WSS load connects with tls.ca and names the TLS error without', async () => {
    const ok = await runLoadInWorker(
      wsSpec({ tls: { ca: cert, insecure: false } })
    )
    expect(ok).toMatchObject({ connections: 5, connected: 5, failed: 0 })
    const refused = await runLoadInWorker(wsSpec())
    expect(refused).toMatchObject({ connections: 5, connected: 0, failed: 5 })
    expect(refused.reason).toContain(
      '0 of 5 connected (0%, most often self-signed certificate)'
    )
  })
})

describe('resolveLoad', () => {
  it('carries the probe tls into both load specs, the CA file read', () => {
    const tls = { ca: 'ca.pem', insecure: false, 'min-version': 'TLSv1.3' }
    const probe = {
      load: {
        http: {
          url: 'https://api.internal/x',
          method: 'GET',
          rate: 10,
          duration: 1000,
          tls
        },
        websocket: undefined
      }
    } as unknown as ProbeConfig
    const opts = {
      values: { vars: {}, env: {}, builtins: {} },
      readFile: (p: string): string => `PEM of ${p}`
    }
    const http = resolveLoad('api-load', probe, opts)
    expect(http.ok && http.spec.tls).toEqual({
      ca: 'PEM of ca.pem',
      insecure: false,
      minVersion: 'TLSv1.3'
    })
    const ws = resolveLoad(
      'viewers',
      {
        load: {
          websocket: {
            url: 'wss://live.internal/ws',
            connections: 5,
            duration: 1000,
            tls: { insecure: true }
          }
        }
      },
      opts
    )
    expect(ws.ok && ws.spec.tls).toEqual({ insecure: true })
    const missing = resolveLoad('api-load', probe, {
      ...opts,
      readFile: () => {
        throw Object.assign(new Error('nope'), { code: 'ENOENT' })
      }
    })
    expect(missing).toEqual({
      ok: false,
      error: "probe 'api-load' tls.ca: cannot read 'ca.pem' (ENOENT)"
    })
  })
})
