import { describe, expect, it } from '@jest/globals'
import {
  compileMatcher,
  eventMessage,
  expectedPhrase,
  formatBytes,
  matchesSubset,
  oversizeReason,
  parseMessage,
  type MessageMatcher
} from '../../src/probes/match.js'
import type { WsMatch } from '../../src/probes/types.js'

function matcher(m: WsMatch): MessageMatcher {
  const r = compileMatcher(m)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

describe('matchesSubset', () => {
  it.each([
    [{ type: 'a', n: 1 }, { type: 'a' }, true],
    [{ type: 'a' }, { type: 'b' }, false],
    [{ type: 'a' }, { type: 'a', n: 1 }, false],
    [{ a: { b: { c: 1, d: 2 } } }, { a: { b: { c: 1 } } }, true],
    [{ a: [1, 2] }, { a: [1, 2] }, true],
    [{ a: [1, 2] }, { a: [1] }, false],
    [{ a: [{ id: 1, x: 2 }] }, { a: [{ id: 1 }] }, true],
    [{ a: null }, { a: null }, true],
    [{}, { a: undefined }, false],
    [{ n: '1' }, { n: 1 }, false],
    [[1], { 0: 1 }, false],
    ['x', 'x', true],
    [null, {}, false]
  ])('%j against %j is %p', (actual, expected, result) => {
    expect(matchesSubset(actual, expected)).toBe(result)
  })
})

describe('compileMatcher', () => {
  it('matches JSON messages by subset and skips non-JSON ones', () => {
    const m = matcher({ json: { type: 'match-update' } })
    expect(m.description).toBe('{"type":"match-update"}')
    expect(m.matches(parseMessage('{"type":"match-update","match":"m"}'))).toBe(
      true
    )
    expect(m.matches(parseMessage('{"type":"other"}'))).toBe(false)
    expect(m.matches(parseMessage('type match-update'))).toBe(false)
    expect(m.matches(parseMessage('{not json'))).toBe(false)
  })

  it('combines json and regex, both required', () => {
    const m = matcher({ json: { a: 1 }, regex: '"b":\\s*2' })
    expect(m.description).toBe('{"a":1} and /"b":\\s*2/')
    expect(m.matches(parseMessage('{"a":1,"b": 2}'))).toBe(true)
    expect(m.matches(parseMessage('{"a":1,"b":3}'))).toBe(false)
    expect(m.matches(parseMessage('{"a":2,"b":2}'))).toBe(false)
  })

  it('matches any message when nothing is given', () => {
    const m = matcher({})
    expect(m.any).toBe(true)
    expect(m.matches(parseMessage('whatever'))).toBe(true)
    expect(expectedPhrase(m, 'message')).toBe('message')
  })

  it('matches Socket.IO events by name and first argument', () => {
    const m = matcher({ event: 'match-update', data: { matchId: 't' } })
    expect(m.matches(eventMessage('match-update', [{ matchId: 't' }]))).toBe(
      true
    )
    expect(m.matches(eventMessage('match-update', [{ matchId: 'o' }]))).toBe(
      false
    )
    expect(m.matches(eventMessage('viewers', [{ matchId: 't' }]))).toBe(false)
    expect(m.matches(eventMessage('match-update', []))).toBe(false)
    expect(expectedPhrase(m, 'event')).toBe(
      `'match-update' event matching {"matchId":"t"}`
    )
    expect(expectedPhrase(matcher({ event: 'x' }), 'event')).toBe("'x' event")
  })

  it('gives Socket.IO payloads a text form for regex and excerpts', () => {
    expect(eventMessage('e', ['hello']).text).toBe('hello')
    expect(eventMessage('e', [{ a: 1 }]).text).toBe('{"a":1}')
    expect(eventMessage('e', [1, 2]).text).toBe('[1,2]')
    expect(
      matcher({ regex: '^hel' }).matches(eventMessage('e', ['hello']))
    ).toBe(true)
  })

  it('rejects a bad regex with the value quoted', () => {
    expect(compileMatcher({ regex: '[a' })).toEqual({
      ok: false,
      error: "invalid regex '[a'"
    })
  })
})

describe('text helpers', () => {
  it('formats sizes as the config writes them', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1024)).toBe('1 KiB')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(2 * 1024 * 1024)).toBe('2 MiB')
  })

  it('names the oversized message from what ws read, or not at all', () => {
    const receiver = {
      _compressed: false,
      _fragmented: 0,
      _totalPayloadLength: 2 * 1024 * 1024
    }
    expect(oversizeReason({ _receiver: receiver }, 1024 * 1024)).toBe(
      'message of 2 MiB exceeds max 1 MiB'
    )
    expect(
      oversizeReason({ _receiver: { ...receiver, _fragmented: 1 } }, 1024)
    ).toBe('message of at least 2 MiB exceeds max 1 KiB')
    expect(
      oversizeReason({ _receiver: { ...receiver, _compressed: true } }, 1024)
    ).toBe('message exceeds max 1 KiB')
    expect(oversizeReason(undefined, 1024)).toBe('message exceeds max 1 KiB')
  })
})
