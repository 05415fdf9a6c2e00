import { describe, expect, it } from '@jest/globals'
import {
  formatPath,
  parsePath,
  readPath,
  type PathSegment
} from '../../src/kernel/jsonpath.js'

describe('parsePath', () => {
  it.each<[string, PathSegment[]]>([
    ['value', ['value']],
    ['data.values[0].value', ['data', 'values', 0, 'value']],
    ['$.data.result[0].value[1]', ['data', 'result', 0, 'value', 1]],
    ['$', []],
    ['[2]', [2]],
    ["series['p95.ms']", ['series', 'p95.ms']],
    ['a["it\\"s"]', ['a', 'it"s']],
    ['a-b.c_d', ['a-b', 'c_d']]
  ])('%s', (path, segments) => {
    expect(parsePath(path)).toEqual({ ok: true, value: segments })
  })

  it.each([
    ['', 1],
    ['.a', 1],
    ['a..b', 3],
    ['a.', 3],
    ['a b', 2],
    ['a[x]', 2],
    ['a[-1]', 2],
    ['a[0', 2],
    ["a['b]", 2]
  ])('%j is invalid at position %d', (path, position) => {
    expect(parsePath(path)).toEqual({
      ok: false,
      error: `invalid path '${path}' at position ${position} (use e.g. data.values[0].value)`
    })
  })
})

describe('readPath', () => {
  const doc = { a: { b: [10, { c: null }] }, 'x.y': 1 }
  const read = (path: string): ReturnType<typeof readPath> => {
    const parsed = parsePath(path)
    if (!parsed.ok) throw new Error(parsed.error)
    return readPath(doc, parsed.value)
  }

  it('follows keys and indexes', () => {
    expect(read('a.b[0]')).toEqual({ found: true, value: 10 })
    expect(read('a.b[1].c')).toEqual({ found: true, value: null })
    expect(read("['x.y']")).toEqual({ found: true, value: 1 })
    expect(read('$')).toEqual({ found: true, value: doc })
  })

  it('says where the path stopped', () => {
    expect(read('a.z')).toEqual({
      found: false,
      reason: "'a' has no key 'z'"
    })
    expect(read('a.b[2]')).toEqual({
      found: false,
      reason: "'a.b' has 2 items, no [2]"
    })
    expect(read('a[0]')).toEqual({ found: false, reason: "'a' is an object" })
    expect(read('a.b.c')).toEqual({
      found: false,
      reason: "'a.b' is an array of 2"
    })
    expect(read('a.b[1].c.d')).toEqual({
      found: false,
      reason: "'a.b[1].c' is null"
    })
    expect(read('nope')).toEqual({
      found: false,
      reason: "the document has no key 'nope'"
    })
  })

  it('does not read inherited properties', () => {
    expect(read('a.constructor')).toEqual({
      found: false,
      reason: "'a' has no key 'constructor'"
    })
    expect(read('a.b.length')).toMatchObject({ found: false })
  })
})

describe('formatPath', () => {
  it('writes paths the way users do', () => {
    expect(formatPath(['data', 'values', 0, 'value'])).toBe(
      "'data.values[0].value'"
    )
    expect(formatPath(['series', "p95.ms's"])).toBe("'series['p95.ms\\'s']'")
    expect(formatPath([])).toBe('the document')
  })
})
