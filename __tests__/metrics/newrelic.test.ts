/**
 * The New Relic source against a NerdGraph stand-in that checks the path,
 * the API-Key header, the JSON body and its actor.account.nrql query of
 * every request before answering in NerdGraph's documented format.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { queryNewRelic } from '../../src/metrics/newrelic.js'
import type { NewRelicSourceSpec } from '../../src/metrics/types.js'
import { startNewRelic, type Fault } from '../helpers/metric-providers.js'

const API_KEY = 'NRAK-7Q2W9E4R1T6Y3U8I5O0P2A4S6D'
const ACCOUNT = 1234567
const NRQL =
  "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = 'matches-canary' SINCE 5 minutes ago"

let next: (nrql: string) => Record<string, unknown>[] | Fault = () => []
let nr: Awaited<ReturnType<typeof startNewRelic>>

beforeAll(async () => {
  nr = await startNewRelic({
    apiKey: API_KEY,
    account: ACCOUNT,
    answer: (q) => next(q)
  })
})
afterAll(async () => {
  expect(nr.rejected).toEqual([])
  await nr.close()
})

const spec = (over: Partial<NewRelicSourceSpec> = {}): NewRelicSourceSpec => ({
  url: nr.url,
  account: ACCOUNT,
  nrql: NRQL,
  apiKey: API_KEY,
  timeoutMs: 5000,
  ...over
})

describe('New Relic source', () => {
  it('reads the one numeric field of the first row, and says which', async () => {
    next = () => [
      { percentage: 1.25, beginTimeSeconds: 1, endTimeSeconds: 2 },
      { percentage: 9 }
    ]
    const r = await queryNewRelic(spec())
    expect(r).toMatchObject({ kind: 'value', value: 1.25 })
    expect(r.kind === 'value' && r.note).toMatch(
      /^newrelic: SELECT percentage\(count\(\*\).*, field 'percentage' of the first row$/
    )
    // The NRQL arrives as a GraphQL variable, quotes and all.
    expect(nr.nrql.at(-1)).toBe(NRQL)
  })

  it("takes the field `field` names, and a percentile's one number", async () => {
    next = () => [{ average: 0.2, count: 1200 }]
    const r = await queryNewRelic(spec({ field: 'count' }))
    expect(r).toMatchObject({ kind: 'value', value: 1200 })
    next = () => [{ 'percentile.duration': { '95': 0.31 } }]
    const p = await queryNewRelic(spec())
    expect(p).toMatchObject({ kind: 'value', value: 0.31 })
  })

  it('several numeric fields without `field` is an error naming them', async () => {
    next = () => [{ average: 0.2, count: 1200 }]
    const r = await queryNewRelic(spec())
    expect(r.kind === 'error' && r.reason).toBe(
      "newrelic: the first row has 2 numeric fields ('average', 'count'); name one with 'field'"
    )
    const missing = await queryNewRelic(spec({ field: 'max' }))
    expect(missing.kind === 'error' && missing.reason).toBe(
      "newrelic: the first row has no field 'max' (it has 'average', 'count')"
    )
  })

  it('no rows or a null value is no-data', async () => {
    next = () => []
    const none = await queryNewRelic(spec())
    expect(none.kind).toBe('no-data')
    expect(none.kind !== 'value' && none.reason).toMatch(
      /^newrelic: no rows for 'SELECT/
    )
    next = () => [{ average: null }]
    expect((await queryNewRelic(spec())).kind).toBe('no-data')
  })

  it("GraphQL errors are errors with New Relic's text", async () => {
    next = () => ({
      kind: 'status',
      status: 200,
      body: JSON.stringify({
        data: { actor: { account: { nrql: null } } },
        errors: [
          {
            message: 'NRQL Syntax Error: Error at line 1 position 8',
            path: ['actor', 'account', 'nrql']
          }
        ]
      })
    })
    const r = await queryNewRelic(spec())
    expect(r.kind === 'error' && r.reason).toBe(
      "newrelic: NerdGraph error: 'NRQL Syntax Error: Error at line 1 position 8'"
    )
  })

  it('a wrong key gets 401 from the stand-in, and no key is shown', async () => {
    const before = nr.rejected.length
    const wrong = 'NRAK-WRONGWRONGWRONGWRONG000'
    const r = await queryNewRelic(spec({ apiKey: wrong }))
    expect(nr.rejected.splice(before)).toEqual(['API-Key'])
    expect(r.kind === 'error' && r.reason).toBe(
      `newrelic: HTTP 401 from 127.0.0.1:${nr.port} (check api-key (a User key)): 'Invalid API key'`
    )
    expect(JSON.stringify(r)).not.toContain(wrong)
  })

  it('429 keeps Retry-After; 500 and malformed JSON are errors', async () => {
    next = () => ({
      kind: 'status',
      status: 429,
      retryAfter: '30',
      body: '{"errors":[{"message":"Too many requests"}]}'
    })
    const limited = await queryNewRelic(spec())
    expect(limited).toMatchObject({ kind: 'error', retryAfterMs: 30_000 })
    expect(limited.kind === 'error' && limited.reason).toMatch(
      /^newrelic: rate limited: HTTP 429 .*; retry after 30s: 'Too many requests'$/
    )
    next = () => ({
      kind: 'raw',
      status: 500,
      contentType: 'text/html',
      body: '<h1>oops</h1>'
    })
    const broken = await queryNewRelic(spec())
    expect(broken.kind === 'error' && broken.reason).toBe(
      `newrelic: HTTP 500 from 127.0.0.1:${nr.port}`
    )
    next = () => ({
      kind: 'raw',
      status: 200,
      contentType: 'application/json',
      body: '{"data":'
    })
    const bad = await queryNewRelic(spec())
    expect(bad.kind === 'error' && bad.reason).toMatch(
      /^newrelic: malformed answer from 127\.0\.0\.1:\d+: not JSON/
    )
  })
})
