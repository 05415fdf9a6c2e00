import { describe, expect, it } from '@jest/globals'
import {
  checkHttpExpect,
  checkLatency,
  statusMatches,
  type HttpAnswer
} from '../../src/http/expect.js'
import {
  checkPath,
  checkValueCondition,
  jsonSubsetMismatch
} from '../../src/http/json-expect.js'
import { parsePath, readPath } from '../../src/kernel/jsonpath.js'
import { parseCondition, type Condition } from '../../src/config/units.js'

function cond(text: string): Condition {
  const c = parseCondition(text)
  if (!c.ok) throw new Error(c.error)
  return c.value
}

function answer(over: Partial<HttpAnswer> = {}): HttpAnswer {
  const body = over.body ?? ''
  return {
    status: 200,
    headers: {},
    body,
    keptBytes: Buffer.byteLength(body),
    truncated: false,
    latencyMs: 20,
    ...over
  }
}

describe('status', () => {
  it('matches codes, classes and numeric strings', () => {
    expect(statusMatches([200], 200)).toBe(true)
    expect(statusMatches(['2xx'], 204)).toBe(true)
    expect(statusMatches(['2XX'], 302)).toBe(false)
    expect(statusMatches(['503'], 503)).toBe(true)
    expect(statusMatches(['5x'], 503)).toBe(false)
  })

  it('defaults to 2xx and stops at a wrong status', () => {
    expect(checkHttpExpect({}, answer({ status: 204 }))).toEqual([])
    expect(
      checkHttpExpect(
        { json: { a: 1 } },
        answer({ status: 503, body: 'Service Unavailable' })
      )
    ).toEqual(['expected status 2xx, got 503'])
    expect(checkHttpExpect({ status: [200] }, answer({ status: 503 }))).toEqual(
      ['expected status 200, got 503']
    )
  })
})

describe('headers', () => {
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'set-cookie': ['a=1', 'b=2']
  }
  it('finds names case-insensitively and compares values', () => {
    expect(
      checkHttpExpect(
        {
          headers: {
            'Content-Type': { regex: '^application/json' },
            'Set-Cookie': { equals: 'a=1, b=2' }
          }
        },
        answer({ headers })
      )
    ).toEqual([])
  })

  it('says which header is missing or different', () => {
    expect(
      checkHttpExpect(
        {
          headers: {
            'X-Version': { equals: '1.2' },
            'Content-Type': { equals: 'text/html' },
            'content-type': { regex: 'xml' }
          }
        },
        answer({ headers })
      )
    ).toEqual([
      "header 'X-Version' missing",
      "header 'Content-Type': expected 'text/html', got 'application/json; charset=utf-8'",
      "header 'content-type': 'application/json; charset=utf-8' does not match /xml/"
    ])
  })
})

describe('body', () => {
  it('checks contains, notContains and regex', () => {
    const a = answer({ body: '{"id":"m1","error":null}' })
    expect(
      checkHttpExpect(
        {
          body: {
            contains: ['"id"'],
            notContains: ['Exception'],
            regex: ['m\\d']
          }
        },
        a
      )
    ).toEqual([])
    expect(
      checkHttpExpect(
        {
          body: { contains: ['"name"'], notContains: ['error'], regex: ['^x'] }
        },
        a
      )
    ).toEqual([
      `body does not contain '"name"'`,
      "body contains 'error'",
      'body does not match /^x/'
    ])
  })

  it('says when only part of the body was checked', () => {
    const a = answer({ body: 'abc', keptBytes: 3, truncated: true })
    expect(checkHttpExpect({ body: { contains: ['zzz'] } }, a)).toEqual([
      "body does not contain 'zzz' (first 3 bytes checked)"
    ])
  })

  it('reports a bad regex instead of throwing', () => {
    expect(checkHttpExpect({ body: { regex: ['('] } }, answer())).toEqual([
      "invalid regex '('"
    ])
  })
})

describe('JSON subset', () => {
  const doc = {
    status: 'degraded',
    version: '1.2.3',
    count: 3,
    data: { items: [{ id: 'a' }, { id: 'b' }], 'x-y': true },
    empty: null
  }

  it('passes when every expected key matches', () => {
    expect(
      jsonSubsetMismatch(
        { version: '1.2.3', data: { items: [{ id: 'a' }] }, empty: null },
        doc
      )
    ).toBeUndefined()
  })

  it('names the path, expected and actual value', () => {
    expect(jsonSubsetMismatch({ status: 'ok' }, doc)).toBe(
      "json.status: expected 'ok', got 'degraded'"
    )
    expect(
      jsonSubsetMismatch({ data: { items: [{}, { id: 'c' }] } }, doc)
    ).toBe("json.data.items[1].id: expected 'c', got 'b'")
    expect(jsonSubsetMismatch({ data: { owner: 'x' } }, doc)).toBe(
      'json.data.owner: missing'
    )
    expect(jsonSubsetMismatch({ data: { items: [{}, {}, {}] } }, doc)).toBe(
      'json.data.items[2]: missing (array has 2 elements)'
    )
    expect(jsonSubsetMismatch({ data: { 'x-y': false } }, doc)).toBe(
      'json.data.x-y: expected false, got true'
    )
    expect(jsonSubsetMismatch({ data: [] }, doc)).toBe(
      `json.data: expected an array, got {"items":[{"id":"a"},{"id":"b"}],"x-y":true}`
    )
    expect(jsonSubsetMismatch({ version: { major: 1 } }, doc)).toBe(
      "json.version: expected an object, got '1.2.3'"
    )
    expect(jsonSubsetMismatch({ empty: {} }, doc)).toBe(
      'json.empty: expected an object, got null'
    )
  })

  it('is strict about types', () => {
    expect(jsonSubsetMismatch({ count: '3' }, doc)).toBe(
      "json.count: expected '3', got 3 (a number)"
    )
  })

  it('fails invalid, empty or truncated JSON with a clear reason', () => {
    const want = { json: { status: 'ok' } }
    expect(checkHttpExpect(want, answer({ body: '{"status":' }))[0]).toMatch(
      /^body is not valid JSON/
    )
    expect(checkHttpExpect(want, answer({ body: '' }))).toEqual([
      'body is empty, expected JSON'
    ])
    expect(
      checkHttpExpect(
        want,
        answer({ body: '{"a":', keptBytes: 5, truncated: true })
      )
    ).toEqual(['body is larger than max-body-bytes (5), JSON not checked'])
  })

  it('never quotes the body itself in a JSON syntax error', () => {
    const r = checkHttpExpect(
      { json: {} },
      answer({ body: 'password=hunter2 is not json' })
    )
    expect(r[0]).toMatch(/^body is not valid JSON/)
    expect(r[0]).not.toContain('hunter2')
  })

  it('redacts a value before shortening it', () => {
    const secret = 'S'.repeat(40)
    const body = JSON.stringify({ token: `${'x'.repeat(40)}${secret}` })
    const redact = (s: string): string => s.split(secret).join('***')
    const [r] = checkHttpExpect(
      { json: { token: 'other' } },
      answer({ body }),
      redact
    )
    expect(r).toBe(`json.token: expected 'other', got '${'x'.repeat(40)}***'`)
  })
})

describe('paths', () => {
  const doc = {
    data: { items: [{ id: 'a', lag: '150ms' }], queue: 812, ratio: 0.07 },
    version: '2.0.1'
  }

  it('parses dotted paths with indexes', () => {
    expect(parsePath('data.items[0].id')).toEqual({
      ok: true,
      value: ['data', 'items', 0, 'id']
    })
    expect(parsePath('$.a[1][2]')).toEqual({ ok: true, value: ['a', 1, 2] })
    expect(parsePath('a..b')).toMatchObject({ ok: false })
    expect(readPath(doc, ['data', 'items', 0, 'id'])).toEqual({
      found: true,
      value: 'a'
    })
    expect(readPath(doc, ['data', 'items', 3])).toMatchObject({ found: false })
  })

  it('checks existence, absence, equality and regex', () => {
    expect(checkPath({ path: 'data.items[0].id' }, doc)).toBeUndefined()
    expect(checkPath({ path: 'data.items[1].id' }, doc)).toBe(
      'json.data.items[1].id: missing'
    )
    expect(
      checkPath({ path: 'data.error', exists: false }, doc)
    ).toBeUndefined()
    expect(checkPath({ path: 'data.queue', exists: false }, doc)).toBe(
      'json.data.queue: expected absent, got 812'
    )
    expect(checkPath({ path: 'version', equals: '2.0.1' }, doc)).toBeUndefined()
    expect(checkPath({ path: 'data.items', equals: [{ id: 'a' }] }, doc)).toBe(
      `json.data.items: expected [{"id":"a"}], got [{"id":"a","lag":"150ms"}]`
    )
    expect(checkPath({ path: 'version', regex: '^1\\.' }, doc)).toBe(
      "json.version: '2.0.1' does not match /^1\\./"
    )
    expect(checkPath({ path: 'data', regex: 'x' }, doc)).toBe(
      'json.data: expected a string matching /x/, got an object'
    )
    expect(checkPath({ path: 'a..b' }, doc)).toBe(
      "invalid path 'a..b' at position 3 (use e.g. data.values[0].value)"
    )
  })

  it('compares numbers, durations and percentages in their units', () => {
    expect(
      checkPath({ path: 'data.queue', condition: cond('< 500') }, doc)
    ).toBe('json.data.queue: 812, expected < 500')
    expect(
      checkPath({ path: 'data.items[0].lag', condition: cond('<= 200ms') }, doc)
    ).toBeUndefined()
    expect(
      checkPath({ path: 'data.items[0].lag', condition: cond('< 100ms') }, doc)
    ).toBe('json.data.items[0].lag: 150ms, expected < 100ms')
    expect(
      checkPath({ path: 'data.ratio', condition: cond('< 5%') }, doc)
    ).toBe('json.data.ratio: 7%, expected < 5%')
    expect(checkValueCondition(cond('> 1%'), '2.5%')).toBeUndefined()
    expect(checkValueCondition(cond('> 1'), '2')).toBe(
      "expected a number, got '2'"
    )
    expect(checkValueCondition(cond('> 2x baseline'), 3)).toBe(
      "condition '> 2x baseline' needs a baseline, not usable in a probe"
    )
  })
})

describe('latency', () => {
  it('compares the total time with the condition', () => {
    expect(checkLatency(cond('< 500ms'), 120)).toBeUndefined()
    expect(checkLatency(cond('< 500ms'), 812)).toBe(
      'latency 812ms, expected < 500ms'
    )
    expect(checkLatency(cond('<= 1s'), 1400)).toBe(
      'latency 1.4s, expected <= 1s'
    )
    expect(checkLatency(cond('< 300'), 299)).toBeUndefined()
    expect(checkLatency(cond('< 5%'), 1)).toBe(
      "latency condition '< 5%' must compare a duration"
    )
    expect(
      checkHttpExpect({ latency: cond('< 10ms') }, answer({ latencyMs: 25 }))
    ).toEqual(['latency 25ms, expected < 10ms'])
  })
})
