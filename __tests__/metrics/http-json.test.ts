/**
 * The HTTP JSON source against a loopback server: numbers in the shapes
 * metrics APIs print them, missing data as no-data, and every failure as an
 * error with a reason, never a value.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { ServerResponse } from 'node:http'
import { parseNumberText, readHttpJson } from '../../src/metrics/http-json.js'
import type { HttpJsonSourceSpec } from '../../src/metrics/types.js'
import {
  refusedPort,
  startStubServer,
  type StubServer
} from '../helpers/exporter.js'
import { systemClock, type Clock } from '../../src/kernel/clock.js'

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const fixedClock: Clock = { ...systemClock, now: () => NOW }

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function serving(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {}
): Promise<StubServer> {
  return stub((_req, res) => send(res, status, body, headers))
}

async function stub(
  handler: Parameters<typeof startStubServer>[0]
): Promise<StubServer> {
  const server = await startStubServer(handler)
  cleanups.push(() => server.close())
  return server
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
}

function spec(
  url: string,
  path: string,
  over: Partial<HttpJsonSourceSpec> = {}
): HttpJsonSourceSpec {
  return { url, path, headers: {}, timeoutMs: 1000, ...over }
}

describe('reading a number', () => {
  const doc = {
    data: {
      values: [{ value: 0.031 }, { value: '0.5' }],
      'p95.ms': 412,
      pair: [1768478400, '0.25'],
      zero: 0
    }
  }

  it.each([
    ['data.values[0].value', 0.031],
    ['data.values[1].value', 0.5],
    ["data['p95.ms']", 412],
    ['$.data.pair[1]', 0.25],
    ['data.zero', 0]
  ])('%s', async (path, value) => {
    const server = await serving(doc)
    const r = await readHttpJson(spec(`${server.url}/m`, path), {
      clock: fixedClock
    })
    expect(r).toEqual({ kind: 'value', value, at: NOW })
  })

  it('a bare number as the whole document', async () => {
    const server = await serving('  42.5\n')
    const r = await readHttpJson(spec(server.url, '$'))
    expect(r).toMatchObject({ kind: 'value', value: 42.5 })
  })

  it('sends the headers and asks for JSON', async () => {
    const server = await serving({ v: 1 })
    await readHttpJson(
      spec(`${server.url}/api/q?from=now-5m`, 'v', {
        headers: { 'DD-API-KEY': 'key-1234', Accept: 'application/vnd+json' }
      })
    )
    expect(server.requests).toHaveLength(1)
    const seen = server.requests[0]
    expect(seen.method).toBe('GET')
    expect(seen.url).toBe('/api/q?from=now-5m')
    expect(seen.headers['dd-api-key']).toBe('key-1234')
    expect(seen.headers.accept).toBe('application/vnd+json')
  })
})

describe('no data is no-data, never zero', () => {
  const doc = { data: { values: [], empty: null, nan: 'NaN', n: 1 } }

  it.each([
    [
      'data.values[0].value',
      "'data.values[0].value' not found: 'data.values' has 0 items, no [0]"
    ],
    ['data.missing', "'data.missing' not found: 'data' has no key 'missing'"],
    ['data.n.x', "'data.n.x' not found: 'data.n' is a number"],
    ['data.empty', "'data.empty' is null"],
    ['data.nan', "'data.nan' is 'NaN'"]
  ])('%s', async (path, reason) => {
    const server = await serving(doc)
    const r = await readHttpJson(spec(server.url, path))
    expect(r).toMatchObject({ kind: 'no-data', reason })
  })

  it('an empty body or a 204', async () => {
    const empty = await serving('')
    expect(await readHttpJson(spec(empty.url, 'v'))).toMatchObject({
      kind: 'no-data',
      reason: 'empty answer (HTTP 200)'
    })
    const none = await stub((_req, res) => res.writeHead(204).end())
    expect(await readHttpJson(spec(none.url, 'v'))).toMatchObject({
      kind: 'no-data',
      reason: 'empty answer (HTTP 204)'
    })
  })
})

describe('a value that is not a number is an error', () => {
  const doc = {
    status: 'ok',
    obj: { a: 1 },
    list: [1, 2, 3],
    pair: [1768478400, '0.25'],
    yes: true,
    blank: ' '
  }

  it.each([
    ['status', "'status' is not a number: 'ok'"],
    ['blank', "'blank' is not a number: ''"],
    ['obj', "'obj' is an object, not a number"],
    ['yes', "'yes' is a boolean, not a number"],
    [
      'list',
      "'list' is an array of 3, not a number (point the path at one element, e.g. 'list[0]')"
    ],
    [
      'pair',
      "'pair' is an array of 2, not a number (point the path at one element, e.g. 'pair[1]')"
    ]
  ])('%s', async (path, reason) => {
    const server = await serving(doc)
    const r = await readHttpJson(spec(server.url, path))
    expect(r).toMatchObject({ kind: 'error', status: 200, reason })
  })

  it('an invalid path is an error before any request', async () => {
    const server = await serving({ a: 1 })
    const r = await readHttpJson(spec(server.url, 'data..value'))
    expect(r).toMatchObject({
      kind: 'error',
      reason:
        "invalid path 'data..value' at position 6 (use e.g. data.values[0].value)"
    })
    expect(server.requests).toHaveLength(0)
  })
})

describe('HTTP and transport failures are errors', () => {
  it('500', async () => {
    const server = await serving({ value: 1 }, 500)
    const r = await readHttpJson(spec(server.url, 'value'))
    expect(r).toMatchObject({
      kind: 'error',
      status: 500,
      reason: `HTTP 500 from 127.0.0.1:${server.port}`
    })
  })

  it('429 with Retry-After', async () => {
    const server = await serving({ value: 1 }, 429, { 'retry-after': '3' })
    const r = await readHttpJson(spec(server.url, 'value'))
    expect(r).toMatchObject({
      kind: 'error',
      status: 429,
      retryAfterMs: 3000,
      reason: `rate limited: HTTP 429 from 127.0.0.1:${server.port}; retry after 3s`
    })
  })

  it('a redirect is not followed', async () => {
    const server = await stub((_req, res) =>
      res.writeHead(302, { location: '/elsewhere' }).end()
    )
    const r = await readHttpJson(spec(server.url, 'value'))
    expect(r).toMatchObject({ kind: 'error', status: 302 })
    expect(r.kind === 'error' && r.reason).toMatch(/redirects are not followed/)
    expect(server.requests).toHaveLength(1)
  })

  it('a slow server times out', async () => {
    const server = await stub(() => undefined)
    const r = await readHttpJson(spec(server.url, 'value', { timeoutMs: 150 }))
    expect(r).toMatchObject({
      kind: 'error',
      reason: `timeout after 150ms (127.0.0.1:${server.port})`
    })
  })

  it('a refused port', async () => {
    const port = await refusedPort()
    const r = await readHttpJson(spec(`http://127.0.0.1:${port}/m`, 'value'))
    expect(r).toMatchObject({
      kind: 'error',
      reason: `connection refused to 127.0.0.1:${port}`
    })
  })

  it('malformed JSON, quoted short and on one line', async () => {
    const server = await serving('<html>\n<h1>Maintenance</h1>\n</html>')
    const r = await readHttpJson(spec(server.url, 'value'))
    expect(r).toMatchObject({
      kind: 'error',
      status: 200,
      reason: `malformed answer from 127.0.0.1:${server.port}: not JSON ('<html> <h1>Maintenance</h1> </html>')`
    })
  })

  it('a non-http URL', async () => {
    const r = await readHttpJson(spec('file:///etc/passwd', 'value'))
    expect(r).toMatchObject({
      kind: 'error',
      reason:
        "invalid url 'file:///etc/passwd' (use an http:// or https:// URL)"
    })
  })

  it('never shows a token from the URL or headers', async () => {
    // Echoed into a reason that is cut at 40 characters: the cut must not
    // leave a prefix of the secret behind.
    const server = await stub((req, res) =>
      send(res, 200, {
        value: `${'x'.repeat(30)} k=${String(req.headers['x-api-key'])} ${req.url ?? ''}`
      })
    )
    const r = await readHttpJson(
      spec(`${server.url}/m?api_key=abcd-secret-99`, 'value', {
        headers: { 'X-Api-Key': 'hdr-secret-77' }
      })
    )
    expect(r).toMatchObject({
      kind: 'error',
      reason: `'value' is not a number: '${'x'.repeat(30)} k=*** /m…'`
    })
    const port = await refusedPort()
    const refused = await readHttpJson(
      spec(
        `http://user:pw-secret-55@127.0.0.1:${port}/?token=zz-secret-11`,
        'v'
      )
    )
    expect(refused.kind).toBe('error')
    const text = JSON.stringify([r, refused])
    for (const secret of [
      'abcd-s',
      'hdr-s',
      'abcd-secret-99',
      'hdr-secret-77',
      'pw-secret-55',
      'zz-secret-11'
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})

describe('parseNumberText', () => {
  it.each([
    ['1', 1],
    [' 0.5 ', 0.5],
    ['-2', -2],
    ['+3.', 3],
    ['.25', 0.25],
    ['1e3', 1000],
    ['1E-2', 0.01]
  ])('%j is %d', (text, value) => {
    expect(parseNumberText(text)).toEqual({ kind: 'number', value })
  })

  it.each(['NaN', '+Inf', '-Inf', 'inf', 'Infinity', '1e999'])(
    '%j is not finite',
    (text) => {
      expect(parseNumberText(text).kind).toBe('not-finite')
    }
  )

  it.each(['', ' ', 'abc', '0x10', '1,5', '1 2', '5%', '12ms', 'true'])(
    '%j is invalid',
    (text) => {
      expect(parseNumberText(text)).toEqual({ kind: 'invalid' })
    }
  )
})
