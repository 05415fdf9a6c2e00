import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { closeHttpDispatchers } from '../../src/http/dispatcher.js'
import { runHttpProbe, type HttpProbeOptions } from '../../src/probes/http.js'
import {
  hasOpenssl,
  makeSelfSignedCert,
  type TestCert
} from '../helpers/http-certs.js'
import {
  httpSpec,
  startServer,
  type TestServer
} from '../helpers/http-servers.js'

const base: HttpProbeOptions = { env: {} }
const suite = hasOpenssl() ? describe : describe.skip

suite('runHttpProbe over TLS', () => {
  let year: TestCert
  let short: TestCert
  let server: TestServer
  let expiring: TestServer
  let closing: TestServer

  beforeAll(async () => {
    year = makeSelfSignedCert(365)
    short = makeSelfSignedCert(3)
    const ok = (): ((_: unknown, res: { end(s: string): void }) => void) => {
      return (_req, res) => res.end('{"status":"ok"}')
    }
    server = await startServer(ok(), year)
    expiring = await startServer(ok(), short)
    closing = await startServer((_req, res) => {
      res.setHeader('connection', 'close')
      res.end('{"status":"ok"}')
    }, short)
  })
  afterAll(async () => {
    await Promise.all([server.close(), expiring.close(), closing.close()])
    await closeHttpDispatchers()
  })

  it('rejects a self-signed certificate and does not retry it', async () => {
    const sample = await runHttpProbe(
      httpSpec(server.origin, {
        retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 10 }
      }),
      base
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      attempts: 1,
      reason: 'TLS: self-signed certificate'
    })
  })

  it('accepts it once its CA is trusted, and times the handshake', async () => {
    const sample = await runHttpProbe(
      httpSpec(server.origin, {
        tls: { insecure: false, ca: year.cert, minVersion: 'TLSv1.2' },
        expect: { json: { status: 'ok' } }
      }),
      base
    )
    expect(sample).toMatchObject({ ok: true, reason: 'ok', status: 200 })
    expect(typeof sample.timings.tlsMs).toBe('number')
    expect(typeof sample.timings.connectMs).toBe('number')
  })

  it('accepts it when told to be insecure', async () => {
    const sample = await runHttpProbe(
      httpSpec(`https://localhost:${server.port}/`, {
        tls: { insecure: true }
      }),
      base
    )
    expect(sample.reason).toBe('ok')
  })

  it('fails a certificate that expires before min-days-valid', async () => {
    const sample = await runHttpProbe(
      httpSpec(`https://localhost:${expiring.port}/`, {
        tls: { insecure: false, ca: short.cert, minDaysValid: 14 }
      }),
      base
    )
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    expect(sample).toMatchObject({
      ok: false,
      status: 200,
      reason: `certificate for 'localhost' expires in 3 days (${day}), below min-days-valid 14`
    })
    expect(sample.error).toBeUndefined()
  })

  it('passes the same certificate against a lower minimum', async () => {
    const sample = await runHttpProbe(
      httpSpec(`https://localhost:${expiring.port}/`, {
        tls: { insecure: false, ca: short.cert, minDaysValid: 2 }
      }),
      base
    )
    expect(sample.reason).toBe('ok')
  })

  it('checks expiry on a reused connection too', async () => {
    const spec = httpSpec(`https://127.0.0.1:${expiring.port}/`, {
      tls: { insecure: false, ca: short.cert, minDaysValid: 2 }
    })
    const first = await runHttpProbe(spec, base)
    const strict = { ...spec, tls: { ...spec.tls, minDaysValid: 30 } }
    const second = await runHttpProbe(strict, base)
    expect(first.reason).toBe('ok')
    expect(second.reason).toMatch(
      /^certificate for '127\.0\.0\.1' expires in 3 days/
    )
  })

  it('checks expiry when the server closes the connection after answering', async () => {
    const spec = httpSpec(`https://localhost:${closing.port}/`, {
      tls: { insecure: false, ca: short.cert, minDaysValid: 2 }
    })
    const lenient = await runHttpProbe(spec, base)
    const strict = await runHttpProbe(
      { ...spec, tls: { ...spec.tls, minDaysValid: 30 } },
      base
    )
    expect(lenient).toMatchObject({ ok: true, reason: 'ok' })
    expect(strict).toMatchObject({ ok: false, status: 200 })
    expect(strict.reason).toMatch(
      /^certificate for 'localhost' expires in 3 days .*below min-days-valid 30$/
    )
  })
})
