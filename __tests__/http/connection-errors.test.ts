import { describe, expect, it } from '@jest/globals'
import { excerpt, transportFailure } from '../../src/http/connection-errors.js'

describe('excerpt', () => {
  it('cuts excerpts to one short line', () => {
    expect(excerpt('a\n  b')).toBe('a b')
    expect(excerpt('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`)
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
    expect(transportFailure(errno(code), target)).toEqual({
      reason,
      error: true
    })
  })

  it('digs through Socket.IO wrappers to the Node error', () => {
    const wrapped = Object.assign(new Error('websocket error'), {
      type: 'TransportError',
      description: { message: 'x', error: errno('ECONNREFUSED') }
    })
    expect(transportFailure(wrapped, target).reason).toBe(
      'connection refused to 127.0.0.1:9'
    )
  })

  it('reads the status of a refused upgrade', () => {
    const wrapped = {
      description: { message: 'Unexpected server response: 401' }
    }
    expect(transportFailure(wrapped, target)).toEqual({
      reason: 'upgrade refused: HTTP 401',
      error: false,
      status: 401
    })
  })

  it('names TLS errors and falls back to the message', () => {
    expect(
      transportFailure(
        errno('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
        target
      ).reason
    ).toBe('TLS error with 127.0.0.1:9: self-signed certificate')
    expect(transportFailure(new Error('boom'), target).reason).toBe(
      'connection to 127.0.0.1:9 failed: boom'
    )
  })
})
