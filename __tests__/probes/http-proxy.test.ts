import { afterEach, describe, expect, it } from '@jest/globals'
import type { Dispatcher } from 'undici'
import {
  closeHttpDispatchers,
  dispatcherFromEnv
} from '../../src/http/dispatcher.js'
import { runHttpProbe } from '../../src/probes/http.js'
import { hasOpenssl, makeSelfSignedCert } from '../helpers/http-certs.js'
import {
  httpSpec,
  startProxy,
  startServer,
  type TestProxy,
  type TestServer
} from '../helpers/http-servers.js'

let closers: (() => Promise<void>)[] = []
async function serve(
  cert?: Parameters<typeof startServer>[1]
): Promise<TestServer> {
  const s = await startServer((_req, res) => res.end('{"status":"ok"}'), cert)
  closers.push(() => s.close())
  return s
}
async function proxy(refuse?: number): Promise<TestProxy> {
  const p = await startProxy(refuse)
  closers.push(() => p.close())
  return p
}
function keep(d: Dispatcher): Dispatcher {
  closers.push(() => d.close())
  return d
}

afterEach(async () => {
  await closeHttpDispatchers()
  await Promise.all(closers.map((c) => c()))
  closers = []
})

describe('runHttpProbe through a proxy', () => {
  it('sends plain HTTP through HTTP_PROXY from the given env', async () => {
    const s = await serve()
    const p = await proxy()
    const sample = await runHttpProbe(httpSpec(`${s.origin}/via?x=1`), {
      env: { HTTP_PROXY: p.url }
    })
    expect(sample.reason).toBe('ok')
    expect(p.seen).toEqual([`GET ${s.origin}/via?x=1`])
    expect(s.seen).toHaveLength(1)
  })

  it('goes direct for hosts in NO_PROXY', async () => {
    const s = await serve()
    const p = await proxy()
    const d = keep(
      dispatcherFromEnv({ HTTP_PROXY: p.url, NO_PROXY: 'localhost,127.0.0.1' })
    )
    const sample = await runHttpProbe(httpSpec(s.origin), { dispatcher: d })
    expect(sample.reason).toBe('ok')
    expect(p.seen).toEqual([])
    expect(s.seen).toHaveLength(1)
  })

  it('names a proxy that refuses the tunnel', async () => {
    const s = await serve()
    const p = await proxy(403)
    const sample = await runHttpProbe(
      httpSpec(`https://127.0.0.1:${s.port}/`),
      { env: { HTTPS_PROXY: p.url } }
    )
    expect(sample).toMatchObject({
      ok: false,
      error: true,
      reason: 'proxy refused the tunnel with 403'
    })
  })

  const tlsIt = hasOpenssl() ? it : it.skip
  tlsIt(
    'tunnels HTTPS with CONNECT and still checks the certificate',
    async () => {
      const cert = makeSelfSignedCert(3)
      const s = await serve(cert)
      const p = await proxy()
      const env = { HTTPS_PROXY: p.url }
      const spec = httpSpec(`https://localhost:${s.port}/`, {
        tls: { insecure: false, ca: cert.cert, minDaysValid: 1 }
      })
      const ok = await runHttpProbe(spec, { env })
      const strict = await runHttpProbe(
        { ...spec, tls: { ...spec.tls, minDaysValid: 14 } },
        { env }
      )
      expect(ok.reason).toBe('ok')
      expect(strict.reason).toMatch(
        /^certificate for 'localhost' expires in 3 days \(\d{4}-\d\d-\d\d\), below min-days-valid 14$/
      )
      expect(p.seen).toContain(`CONNECT localhost:${s.port}`)
    }
  )
})
