import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import type http from 'node:http'
import { closeHttpDispatchers } from '../../src/http/dispatcher.js'
import { createRedactor } from '../../src/redact/redactor.js'
import {
  shifterFor,
  webhookShifter,
  type TrafficWebhookConfig
} from '../../src/traffic/shifter.js'
import type { ShiftContext } from '../../src/traffic/types.js'
import {
  fakeClock,
  startServer,
  type TestServer
} from '../helpers/http-servers.js'

const TOKEN = 'lb-Tok3n-9f8e7d6c5b4a'

interface Received {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

let servers: TestServer[] = []
async function serve(
  answer: (r: Received, n: number) => { status: number; body?: string }
): Promise<{ server: TestServer; got: Received[] }> {
  const got: Received[] = []
  const server = await startServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body
      }
      got.push(r)
      const a = answer(r, got.length)
      res.writeHead(a.status, { 'content-type': 'application/json' })
      res.end(a.body ?? '{}')
    })
  })
  servers.push(server)
  return { server, got }
}

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})
afterAll(async () => {
  await closeHttpDispatchers()
})

function hook(over: Partial<TrafficWebhookConfig>): TrafficWebhookConfig {
  return { url: 'http://127.0.0.1:1/', method: 'POST', ...over }
}

function ctx(
  over: Partial<ShiftContext> = {},
  env: Record<string, string> = { LB_TOKEN: TOKEN }
): ShiftContext {
  const redactor = createRedactor([])
  return {
    env: {},
    values: {
      vars: { pool: 'matches' },
      env,
      builtins: { version: 'v2.0.0', weight: '0' }
    },
    redact: redactor.redact,
    ...over
  }
}

// Hermetic: no proxy from the machine, no real waits between retries.
const deps = { env: {}, random: (): number => 0 }

describe('webhookShifter against a loopback server', () => {
  it('sends the rendered weight and secret header, never showing the secret', async () => {
    const { server, got } = await serve(() => ({ status: 200 }))
    const secrets: string[] = []
    const shifter = webhookShifter(
      hook({
        url: `${server.origin}/weights/\${vars.pool}`,
        headers: { Authorization: 'Bearer ${secrets.LB_TOKEN}' },
        json: { canary: '${weight}', version: '${version}' }
      }),
      deps
    )
    const r = await shifter.shift(
      25,
      ctx({ onSecrets: (s) => secrets.push(...s) })
    )
    expect(r.ok).toBe(true)
    expect(got).toHaveLength(1)
    expect(got[0].method).toBe('POST')
    expect(got[0].url).toBe('/weights/matches')
    expect(JSON.parse(got[0].body)).toEqual({
      canary: '25',
      version: 'v2.0.0'
    })
    expect(got[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(got[0].headers['content-type']).toBe('application/json')
    expect(r.reason).toMatch(
      new RegExp(
        `^traffic set to 25% via POST 127\\.0\\.0\\.1:${server.port}/weights/matches \\(200, \\d+(\\.\\d+)?m?s\\)$`
      )
    )
    expect(r.reason).not.toContain(TOKEN)
    expect(secrets).toEqual([TOKEN])
  })

  it('renders the weight at call time, per shift', async () => {
    const { server, got } = await serve(() => ({ status: 204 }))
    const shifter = webhookShifter(
      hook({ url: `${server.origin}/w`, method: 'PUT', body: 'w=${weight}' }),
      deps
    )
    for (const w of [10, 50, 0])
      expect((await shifter.shift(w, ctx())).ok).toBe(true)
    expect(got.map((g) => g.body)).toEqual(['w=10', 'w=50', 'w=0'])
    expect(got.every((g) => g.method === 'PUT')).toBe(true)
  })

  it('retries a 500 and succeeds on the next answer (3 attempts by default)', async () => {
    const { server, got } = await serve((_r, n) => ({
      status: n === 1 ? 500 : 200
    }))
    const clock = fakeClock()
    const shifter = webhookShifter(
      hook({ url: `${server.origin}/weights`, json: { w: '${weight}' } }),
      { ...deps, clock }
    )
    const r = await shifter.shift(50, ctx())
    expect(r.ok).toBe(true)
    expect(got).toHaveLength(2)
    expect(got.map((g) => JSON.parse(g.body) as unknown)).toEqual([
      { w: '50' },
      { w: '50' }
    ])
    expect(r.reason).toMatch(/\(200, \S+, 2 attempts\)$/)
    expect(clock.sleeps).toHaveLength(1)
  })

  it('gives up after the default 3 attempts of 5xx', async () => {
    const { server, got } = await serve(() => ({ status: 503 }))
    const shifter = webhookShifter(hook({ url: `${server.origin}/w` }), {
      ...deps,
      clock: fakeClock()
    })
    const r = await shifter.shift(10, ctx())
    expect(r.ok).toBe(false)
    expect(got).toHaveLength(3)
    expect(r.reason).toMatch(
      /^traffic shift to 10% via POST 127\.0\.0\.1:\d+\/w failed: expected status 2xx, got 503 after 3 attempts/
    )
  })

  it('fails at once on a 4xx, with the reason and without the secret', async () => {
    const { server, got } = await serve(() => ({
      status: 403,
      body: `{"error":"bad token"}`
    }))
    const shifter = webhookShifter(
      hook({
        url: `${server.origin}/weights`,
        headers: { 'X-Api-Key': '${secrets.LB_TOKEN}' },
        json: { weight: '${weight}' }
      }),
      deps
    )
    const r = await shifter.shift(25, ctx())
    expect(r.ok).toBe(false)
    expect(got).toHaveLength(1)
    expect(got[0].headers['x-api-key']).toBe(TOKEN)
    expect(r.reason).toMatch(
      /^traffic shift to 25% via POST 127\.0\.0\.1:\d+\/weights failed: expected status 2xx, got 403$/
    )
    expect(r.reason).not.toContain(TOKEN)
  })

  it('judges the answer with expect', async () => {
    const { server } = await serve((r) => ({
      status: 200,
      body: JSON.stringify({
        applied: JSON.parse(r.body).weight === '25' ? 25 : 0
      })
    }))
    const shifter = webhookShifter(
      hook({
        url: `${server.origin}/w`,
        json: { weight: '${weight}' },
        expect: { status: [200], json: { applied: 30 } }
      }),
      deps
    )
    const r = await shifter.shift(25, ctx())
    expect(r.ok).toBe(false)
    expect(r.reason).toMatch(/failed: .*applied/)
  })

  it('masks a secret in the URL path and drops the query from the reason', async () => {
    const { server, got } = await serve(() => ({ status: 200 }))
    const shifter = webhookShifter(
      hook({
        url: `${server.origin}/hooks/\${secrets.LB_TOKEN}?sig=\${secrets.LB_TOKEN}`
      }),
      deps
    )
    const r = await shifter.shift(25, ctx())
    expect(r.ok).toBe(true)
    expect(got[0].url).toBe(`/hooks/${TOKEN}?sig=${TOKEN}`)
    expect(r.reason).toContain('/hooks/***')
    expect(r.reason).not.toContain(TOKEN)
    expect(r.reason).not.toContain('sig=')
  })

  it('fails without a request when a secret is missing', async () => {
    const { server, got } = await serve(() => ({ status: 200 }))
    const shifter = webhookShifter(
      hook({
        url: `${server.origin}/w`,
        headers: { Authorization: 'Bearer ${secrets.LB_TOKEN}' }
      }),
      deps
    )
    const r = await shifter.shift(25, ctx({}, {}))
    expect(r.ok).toBe(false)
    expect(got).toHaveLength(0)
    expect(r.reason).toBe(
      "traffic webhook header 'Authorization': secret 'LB_TOKEN' is not set (referenced as '${secrets.LB_TOKEN}')"
    )
  })
})

describe('shifterFor', () => {
  it('picks the webhook for http and the command for run', async () => {
    const { server, got } = await serve(() => ({ status: 200 }))
    const viaHttp = shifterFor(
      {
        traffic: {
          http: hook({ url: `${server.origin}/w`, body: '${weight}' })
        }
      },
      deps
    )
    expect((await viaHttp.shift(5, ctx())).ok).toBe(true)
    expect(got.map((g) => g.body)).toEqual(['5'])

    const viaRun = shifterFor({
      traffic: { run: 'test "$DEPLOY_GATES_WEIGHT" = 5' }
    })
    const r = await viaRun.shift(5, ctx())
    expect(r.ok).toBe(true)
    expect(r.reason).toMatch(/^traffic set to 5% \(exit 0/)
  })

  it('throws on a traffic section with neither', () => {
    expect(() => shifterFor({ traffic: {} })).toThrow(/exactly one of/)
  })
})
