import { describe, expect, it } from '@jest/globals'
import { excerpt, transportFailure } from '../../src/http/connection-errors.js'

const same = (s: string): string => s

describe('excerpt', () => {
  it('cuts excerpts to one short line', () => {
    expect(excerpt('a\n  b', 120, same)).toBe('a b')
    expect(excerpt('x'.repeat(200), 10, same)).toBe(`${'x'.repeat(9)}…`)
  })

  it('masks a secret that straddles the cut before cutting', () => {
    const secret = 'S3cretValue-abcdef'
    const redact = (s: string): string => s.split(secret).join('***')
    for (let at = 0; at < 30; at++) {
      const text = `${'x'.repeat(at)}${secret}${'y'.repeat(40)}`
      const shown = excerpt(text, 20, redact)
      expect(shown.length).toBeLessThanOrEqual(20)
      // no piece of the secret of 3 characters or more survives the cut
      for (let k = 0; k + 3 <= secret.length; k++) {
        expect(shown).not.toContain(secret.slice(k, k + 3))
      }
    }
  })
})

describe('transportFailure', () => {
  const target = '127.0.0.1:9'
  const errno = (code: string, message = code): Error =>
    Object.assign(new Error(message), { code })

  it.each([
    ['ECONNREFUSED', 'connection refused to 127.0.0.1:9'],
    ['ECONNRESET', 'connection reset by 127.0.0.1:9'],
    ['ENOTFOUND', 'cannot resolve host of 127.0.0.1:9'],
    ['EHOSTUNREACH', 'host unreachable: 127.0.0.1:9']
  ])('words %s', (code, reason) => {
    expect(transportFailure(errno(code), target, same)).toEqual({
      reason,
      error: true
    })
  })

  it('digs through Socket.IO wrappers to the Node error', () => {
    const wrapped = Object.assign(new Error('websocket error'), {
      type: 'TransportError',
      description: { message: 'x', error: errno('ECONNREFUSED') }
    })
    expect(transportFailure(wrapped, target, same).reason).toBe(
      'connection refused to 127.0.0.1:9'
    )
  })

  it('reads the status of a refused upgrade', () => {
    const wrapped = {
      description: { message: 'Unexpected server response: 401' }
    }
    expect(transportFailure(wrapped, target, same)).toEqual({
      reason: 'upgrade refused: HTTP 401',
      error: false,
      status: 401
    })
  })

  it('names TLS errors and falls back to the message', () => {
    expect(
      transportFailure(
        errno('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
        target,
        same
      ).reason
    ).toBe('TLS error with 127.0.0.1:9: self-signed certificate')
    expect(transportFailure(new Error('boom'), target, same).reason).toBe(
      'connection to 127.0.0.1:9 failed: boom'
    )
  })
})
