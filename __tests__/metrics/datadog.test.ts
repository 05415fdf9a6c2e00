/**
 * The Datadog source against a stand-in of `GET /api/v1/query` that checks
 * the path, both key headers and the from/to/query parameters of every
 * request before answering in Datadog's documented format.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { datadogBaseUrl, queryDatadog } from '../../src/metrics/datadog.js'
import type { DatadogSourceSpec } from '../../src/metrics/types.js'
import {
  ddSeries,
  startDatadog,
  type DatadogQuery,
  type Fault
} from '../helpers/metric-providers.js'
import { fakeClock } from '../helpers/http-servers.js'
import { startStandIn } from '../helpers/stand-ins.js'

const API_KEY = 'dd-api-4b1f0c9e8a7d6c5b4a3f2e1d'
const APP_KEY = 'dd-app-9a8b7c6d5e4f3a2b1c0d9e8f7a6b'
const T = Date.UTC(2026, 11, 4, 12, 4, 5)

type Answer = Record<string, unknown>[] | Fault
let next: (q: DatadogQuery) => Answer = () => []
let dd: Awaited<ReturnType<typeof startDatadog>>

beforeAll(async () => {
  dd = await startDatadog({
    apiKey: API_KEY,
    appKey: APP_KEY,
    answer: (q) => next(q)
  })
})
afterAll(async () => {
  expect(dd.rejected).toEqual([])
  await dd.close()
})

const spec = (over: Partial<DatadogSourceSpec> = {}): DatadogSourceSpec => ({
  url: dd.url,
  query: 'avg:system.cpu.user{service:matches-api,track:canary}',
  apiKey: API_KEY,
  appKey: APP_KEY,
  from: 1_796_400_000,
  to: 1_796_400_300,
  timeoutMs: 5000,
  ...over
})

describe('Datadog source', () => {
  it('reads the last non-null point of the one series, and says which', async () => {
    next = () => [
      ddSeries('service:matches-api,track:canary', [
        [T - 120_000, 0.7],
        [T, 0.82],
        [T + 60_000, null]
      ])
    ]
    const r = await queryDatadog(spec())
    expect(r).toMatchObject({
      kind: 'value',
      value: 0.82,
      note: 'datadog: avg:system.cpu.user{service:matches-api,track:canary}, last point 12:04:05'
    })
    expect(dd.queries.at(-1)).toEqual({
      query: 'avg:system.cpu.user{service:matches-api,track:canary}',
      from: 1_796_400_000,
      to: 1_796_400_300
    })
  })

  it('keeps a proxy path prefix', async () => {
    next = () => [ddSeries('a', [[T, 1]])]
    const r = await queryDatadog(spec({ url: `${dd.url}/` }))
    expect(r.kind).toBe('value')
    expect(datadogBaseUrl('datadoghq.eu')).toBe('https://api.datadoghq.eu')
    expect(datadogBaseUrl('us5.datadoghq.com')).toBe(
      'https://api.us5.datadoghq.com'
    )
  })

  it('no series is no-data; only null points is no-data', async () => {
    next = () => []
    const none = await queryDatadog(spec())
    expect(none).toMatchObject({ kind: 'no-data' })
    expect(none.kind !== 'value' && none.reason).toMatch(
      /^datadog: no series for 'avg:system\.cpu\.user/
    )
    next = () => [ddSeries('a', [[T, null]])]
    const nulls = await queryDatadog(spec())
    expect(nulls.kind !== 'value' && nulls.reason).toMatch(
      /has no non-null point in the window/
    )
  })

  it('several series are an error asking for an aggregation', async () => {
    next = () => [
      ddSeries('host:a', [[T, 1]]),
      ddSeries('host:b', [[T, 2]]),
      ddSeries('host:c', [[T, 3]])
    ]
    const r = await queryDatadog(spec())
    expect(r).toMatchObject({ kind: 'error' })
    expect(r.kind === 'error' && r.reason).toMatch(
      /^datadog: query returned 3 series \('host:a', 'host:b', 'host:c'…\); aggregate it to one/
    )
  })

  it("a rejected query is an error with Datadog's text", async () => {
    next = () => ({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ errors: ['Error parsing query: unexpected end'] })
    })
    const r = await queryDatadog(spec())
    expect(r.kind === 'error' && r.reason).toBe(
      `datadog: HTTP 400 from 127.0.0.1:${dd.port}: 'Error parsing query: unexpected end'`
    )
  })

  it('a wrong key is refused by the stand-in, and no key is shown', async () => {
    const before = dd.rejected.length
    const r = await queryDatadog(
      spec({ appKey: 'dd-app-wrong-0000000000000000' })
    )
    expect(dd.rejected.splice(before)).toEqual(['DD-APPLICATION-KEY'])
    expect(r).toMatchObject({ kind: 'error', status: 403 })
    expect(r.kind === 'error' && r.reason).toBe(
      `datadog: HTTP 403 from 127.0.0.1:${dd.port} (check api-key and app-key): 'Forbidden'`
    )
  })

  it('429 keeps Retry-After; 500 and malformed JSON are errors, never values', async () => {
    next = () => ({
      kind: 'status',
      status: 429,
      retryAfter: '7',
      body: JSON.stringify({ errors: ['Rate limit of 300 requests reached'] })
    })
    const limited = await queryDatadog(spec())
    expect(limited).toMatchObject({
      kind: 'error',
      status: 429,
      retryAfterMs: 7000
    })
    expect(limited.kind === 'error' && limited.reason).toBe(
      `datadog: rate limited: HTTP 429 from 127.0.0.1:${dd.port}; retry after 7s: 'Rate limit of 300 requests reached'`
    )
    next = () => ({
      kind: 'status',
      status: 500,
      body: '{"errors":["Internal error"]}'
    })
    const broken = await queryDatadog(spec())
    expect(broken.kind === 'error' && broken.reason).toBe(
      `datadog: HTTP 500 from 127.0.0.1:${dd.port}: 'Internal error'`
    )
    next = () => ({
      kind: 'raw',
      status: 200,
      contentType: 'application/json',
      body: '{"status":"ok","series":[{"pointlist":[[1,'
    })
    const bad = await queryDatadog(spec())
    expect(bad.kind === 'error' && bad.reason).toMatch(
      /^datadog: malformed answer from 127\.0\.0\.1:\d+: not JSON/
    )
  })

  it('an echoed key is masked in the quoted error text', async () => {
    next = () => ({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ errors: [`key ${API_KEY} cannot run this query`] })
    })
    const r = await queryDatadog(spec())
    const reason = r.kind === 'error' ? r.reason : ''
    expect(reason).toContain('cannot run this query')
    expect(reason).not.toContain(API_KEY)
  })

  it('a silent server times out on the source clock', async () => {
    const clock = fakeClock()
    // Accepts and never answers.
    const silent = await startStandIn(() => undefined)
    try {
      const r = await queryDatadog(spec({ url: silent.url, timeoutMs: 2000 }), {
        clock
      })
      expect(r.kind === 'error' && r.reason).toBe(
        `datadog: timeout after 2s (127.0.0.1:${silent.port})`
      )
    } finally {
      await silent.close()
    }
  })
})
