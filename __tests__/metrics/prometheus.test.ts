/**
 * The Prometheus source's failure paths, against a loopback stub that
 * answers what a struggling or misconfigured backend would: every one must
 * be an error or no-data with a precise reason, never a number.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { ServerResponse } from 'node:http'
import {
  instantQueryUrl,
  interpretAnswer,
  queryPrometheus
} from '../../src/metrics/prometheus.js'
import type { PrometheusSourceSpec } from '../../src/metrics/types.js'
import {
  refusedPort,
  startStubServer,
  type StubServer
} from '../helpers/exporter.js'
import { systemClock, type Clock } from '../../src/kernel/clock.js'
import type { Unstamped } from '../../src/kernel/reading.js'

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const fixedClock: Clock = { ...systemClock, now: () => NOW }

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function stub(
  handler: Parameters<typeof startStubServer>[0]
): Promise<StubServer> {
  const server = await startStubServer(handler)
  cleanups.push(() => server.close())
  return server
}

function spec(
  url: string,
  over: Partial<PrometheusSourceSpec> = {}
): PrometheusSourceSpec {
  return { url, query: 'up', timeoutMs: 1000, headers: {}, ...over }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

const vector = (
  samples: { metric?: Record<string, string>; value: string }[]
): unknown => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: samples.map((s) => ({
      metric: s.metric ?? {},
      value: [1768478400.123, s.value]
    }))
  }
})

describe('the request', () => {
  it('GETs /api/v1/query under the base URL with the query, timeout and headers', async () => {
    const server = await stub((_req, res) =>
      json(res, 200, vector([{ value: '1' }]))
    )
    const r = await queryPrometheus(
      spec(`${server.url}/prom/?tenant=a`, {
        query: 'sum(rate(x{track="canary"}[1m]))',
        timeoutMs: 1500,
        headers: { 'X-Scope-OrgID': 'team-a' }
      })
    )
    expect(r).toMatchObject({ kind: 'value', value: 1 })
    expect(server.requests).toHaveLength(1)
    const seen = server.requests[0]
    expect(seen.method).toBe('GET')
    const u = new URL(seen.url, server.url)
    expect(u.pathname).toBe('/prom/api/v1/query')
    expect(u.searchParams.get('tenant')).toBe('a')
    expect(u.searchParams.get('query')).toBe('sum(rate(x{track="canary"}[1m]))')
    expect(u.searchParams.get('timeout')).toBe('1500ms')
    expect(seen.headers['x-scope-orgid']).toBe('team-a')
    expect(seen.headers.accept).toBe('application/json')
  })

  it('builds the query URL from a base with or without trailing slashes', () => {
    const a = instantQueryUrl('http://p:9090', 'up', 1000)
    const b = instantQueryUrl('http://p:9090//', 'up', 1000)
    expect(a).toBe('http://p:9090/api/v1/query?query=up&timeout=1000ms')
    expect(b).toBe(a)
    expect(instantQueryUrl('not a url', 'up', 1000)).toBeUndefined()
  })

  it('stamps the reading with the injected clock', async () => {
    const server = await stub((_req, res) =>
      json(res, 200, vector([{ value: '3' }]))
    )
    const r = await queryPrometheus(spec(server.url), { clock: fixedClock })
    expect(r).toEqual({ kind: 'value', value: 3, at: NOW })
  })

  it('is an error, without a request, for an empty query or a bad URL', async () => {
    const empty = await queryPrometheus(
      spec('http://127.0.0.1:1', { query: ' ' })
    )
    expect(empty).toMatchObject({ kind: 'error', reason: 'empty PromQL query' })
    const bad = await queryPrometheus(spec('prometheus:9090/x?token=abcdef'))
    expect(bad).toMatchObject({ kind: 'error' })
    expect(bad.kind === 'error' && bad.reason).toMatch(
      /^invalid Prometheus url/
    )
    expect(JSON.stringify(bad)).not.toContain('abcdef')
  })
})

describe('HTTP and transport failures are errors', () => {
  it('500', async () => {
    const server = await stub((_req, res) => res.writeHead(500).end('boom'))
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({
      kind: 'error',
      status: 500,
      reason: `HTTP 500 from 127.0.0.1:${server.port}`
    })
  })

  it('502 with an HTML page from a proxy', async () => {
    const server = await stub((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<html><body>Bad Gateway</body></html>')
    })
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({ kind: 'error', status: 502 })
  })

  it('429 keeps Retry-After in seconds', async () => {
    const server = await stub((_req, res) =>
      res.writeHead(429, { 'retry-after': '7' }).end()
    )
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({
      kind: 'error',
      status: 429,
      retryAfterMs: 7000,
      reason: `rate limited: HTTP 429 from 127.0.0.1:${server.port}; retry after 7s`
    })
  })

  it('429 with an HTTP-date Retry-After waits until that date', async () => {
    const at = new Date(NOW + 30_000).toUTCString()
    const server = await stub((_req, res) =>
      res.writeHead(429, { 'retry-after': at }).end()
    )
    const r = await queryPrometheus(spec(server.url), { clock: fixedClock })
    expect(r).toMatchObject({
      kind: 'error',
      status: 429,
      retryAfterMs: 30_000
    })
  })

  it('503 with a Prometheus body keeps its text and Retry-After', async () => {
    const server = await stub((_req, res) => {
      res.writeHead(503, {
        'content-type': 'application/json',
        'retry-after': '2'
      })
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'unavailable',
          error: 'too many queries in flight'
        })
      )
    })
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({
      kind: 'error',
      status: 503,
      retryAfterMs: 2000,
      reason:
        'Prometheus error (unavailable): too many queries in flight; retry after 2s'
    })
  })

  it('a server that never answers times out', async () => {
    const server = await stub(() => undefined)
    const r = await queryPrometheus(spec(server.url, { timeoutMs: 200 }))
    expect(r).toMatchObject({
      kind: 'error',
      reason: `timeout after 200ms (127.0.0.1:${server.port})`
    })
    expect(r.kind === 'error' && r.status).toBeUndefined()
  })

  it('a body that stalls halfway times out too', async () => {
    const server = await stub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"status":"success","data":{')
    })
    const r = await queryPrometheus(spec(server.url, { timeoutMs: 200 }))
    expect(r).toMatchObject({ kind: 'error' })
    expect(r.kind === 'error' && r.reason).toMatch(/^timeout after 200ms/)
  })

  it('a refused port', async () => {
    const port = await refusedPort()
    const r = await queryPrometheus(spec(`http://127.0.0.1:${port}`))
    expect(r).toMatchObject({
      kind: 'error',
      reason: `connection refused to 127.0.0.1:${port}`
    })
  })

  it('a connection reset before any answer', async () => {
    const server = await stub((req) => req.socket.destroy())
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({ kind: 'error' })
    expect(r.kind === 'error' && r.reason).toMatch(/127\.0\.0\.1/)
  })

  it('malformed JSON on a 200', async () => {
    const server = await stub((_req, res) =>
      res.writeHead(200).end('{"status":"success",')
    )
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({
      kind: 'error',
      status: 200,
      reason: `malformed answer from 127.0.0.1:${server.port}: not JSON ('{"status":"success",')`
    })
  })

  it('an answer too large to be a metric', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024)
    const server = await stub((_req, res) => res.writeHead(200).end(big))
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({
      kind: 'error',
      status: 200,
      reason: 'answer larger than 4 MiB'
    })
  })

  it('bad PromQL: Prometheus 400 body becomes the reason', async () => {
    const server = await stub((_req, res) =>
      json(res, 400, {
        status: 'error',
        errorType: 'bad_data',
        error:
          'invalid parameter "query": 1:34: parse error: unclosed left parenthesis'
      })
    )
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({
      kind: 'error',
      status: 400,
      reason:
        'Prometheus rejected the query (bad_data): invalid parameter "query": 1:34: parse error: unclosed left parenthesis'
    })
  })

  it('422 execution error, multi-line text kept on one line', async () => {
    const server = await stub((_req, res) =>
      json(res, 422, {
        status: 'error',
        errorType: 'execution',
        error: 'found duplicate series\nfor the match group'
      })
    )
    const r = await queryPrometheus(spec(server.url))
    expect(r).toMatchObject({
      kind: 'error',
      status: 422,
      reason:
        'Prometheus error (execution): found duplicate series for the match group'
    })
  })

  it('ends at once when the caller aborts', async () => {
    // Aborts once the request has arrived, however slowly a busy machine
    // gets it there, and never answers it.
    const controller = new AbortController()
    const server = await stub(() => controller.abort())
    const r = await queryPrometheus(spec(server.url, { timeoutMs: 5000 }), {
      signal: controller.signal
    })
    expect(r).toMatchObject({ kind: 'error', reason: 'aborted' })
    const again = await queryPrometheus(spec(server.url), {
      signal: controller.signal
    })
    expect(again).toMatchObject({ kind: 'error', reason: 'aborted' })
    expect(server.requests).toHaveLength(1)
  })
})

describe('secrets never reach a reason', () => {
  it('masks a URL token and an echoed Authorization header', async () => {
    const server = await stub((req, res) =>
      json(res, 400, {
        status: 'error',
        errorType: 'bad_data',
        error: `denied for ${req.headers.authorization} at ${req.url}`
      })
    )
    const r = await queryPrometheus(
      spec(`${server.url}/?access_token=tok-1234567890`, {
        headers: { Authorization: 'Bearer s3cr3t-value-42' }
      })
    )
    expect(r.kind).toBe('error')
    const text = JSON.stringify(r)
    expect(text).not.toContain('s3cr3t-value-42')
    expect(text).not.toContain('tok-1234567890')
    expect(text).toContain('denied for *** at /api/v1/query?access_token=***&')
  })

  it('runs the caller redactor over every reason', async () => {
    const port = await refusedPort()
    const r = await queryPrometheus(spec(`http://127.0.0.1:${port}`), {
      redact: (s) => s.replaceAll('127.0.0.1', '<host>')
    })
    expect(r).toMatchObject({
      kind: 'error',
      reason: `connection refused to <host>:${port}`
    })
  })
})

describe('answer shapes', () => {
  const answer = (body: unknown, status = 200): Unstamped =>
    interpretAnswer(
      { status, body: typeof body === 'string' ? body : JSON.stringify(body) },
      'prom:9090',
      'q{track="canary"}'
    )

  it('a scalar is its number', () => {
    expect(
      answer({
        status: 'success',
        data: { resultType: 'scalar', result: [1768478400, '0.25'] }
      })
    ).toEqual({ kind: 'value', value: 0.25 })
  })

  it('a one-sample vector is its number, including negative and exponent forms', () => {
    expect(answer(vector([{ value: '-1.5e-3' }]))).toEqual({
      kind: 'value',
      value: -0.0015
    })
    expect(answer(vector([{ value: '0' }]))).toEqual({
      kind: 'value',
      value: 0
    })
  })

  it('an empty vector is no-data naming the query', () => {
    expect(answer(vector([]))).toEqual({
      kind: 'no-data',
      reason: `no series match 'q{track="canary"}'`
    })
  })

  it.each([
    ['NaN', /'NaN' \(e\.g\. 0\/0: no traffic in the window\)/],
    ['+Inf', /'\+Inf'/],
    ['-Inf', /'-Inf'/]
  ])('%s is no-data', (value, reason) => {
    const r = answer(vector([{ value }]))
    expect(r.kind).toBe('no-data')
    expect(r.kind === 'no-data' && r.reason).toMatch(reason)
  })

  it('several series are an error naming the count and the differing labels', () => {
    const r = answer(
      vector([
        { metric: { code: '200', instance: 'a', job: 'api' }, value: '1' },
        { metric: { code: '500', instance: 'a', job: 'api' }, value: '2' },
        { metric: { code: '500', instance: 'b', job: 'api' }, value: '3' }
      ])
    )
    expect(r).toEqual({
      kind: 'error',
      status: 200,
      reason:
        "query returned 3 series differing in 'code', 'instance'; aggregate it to one (sum(...), avg(...))"
    })
  })

  it('a matrix, a string, or a native histogram is an error with a fix', () => {
    const matrix = answer({
      status: 'success',
      data: { resultType: 'matrix', result: [] }
    })
    expect(matrix.kind === 'error' && matrix.reason).toMatch(/range vector/)
    const str = answer({
      status: 'success',
      data: { resultType: 'string', result: [0, 'x'] }
    })
    expect(str.kind === 'error' && str.reason).toMatch(/string/)
    const hist = answer({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [{ metric: {}, histogram: [0, { count: '1' }] }]
      }
    })
    expect(hist.kind === 'error' && hist.reason).toMatch(/histogram_quantile/)
  })

  it.each([
    [{ status: 'success' }, "no 'status: success' with 'data'"],
    [{ data: {} }, "no 'status: success' with 'data'"],
    [
      { status: 'success', data: { resultType: 'tensor', result: [] } },
      "unknown resultType 'tensor'"
    ],
    [
      { status: 'success', data: { resultType: 'vector', result: {} } },
      'vector result is not a list'
    ],
    [
      { status: 'success', data: { resultType: 'scalar', result: [1, 2] } },
      'sample is not [time, "value"]'
    ],
    [
      { status: 'success', data: { resultType: 'scalar', result: [1, 'abc'] } },
      "sample value 'abc' is not a number"
    ],
    [
      { status: 'success', data: { resultType: 'scalar', result: [1, ''] } },
      "sample value '' is not a number"
    ]
  ])('malformed %j is an error', (body, what) => {
    expect(answer(body)).toEqual({
      kind: 'error',
      status: 200,
      reason: `malformed answer from prom:9090: ${what}`
    })
  })

  it('a non-2xx JSON body that is not a Prometheus error is an HTTP error', () => {
    expect(answer({ message: 'nope' }, 404)).toEqual({
      kind: 'error',
      status: 404,
      reason:
        'HTTP 404 from prom:9090 (url must be the Prometheus base URL, without /api/v1/query)'
    })
    expect(answer({ message: 'nope' }, 401)).toMatchObject({
      reason: 'HTTP 401 from prom:9090 (check the credentials in headers)'
    })
  })
})
