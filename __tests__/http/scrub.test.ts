import { describe, expect, it } from '@jest/globals'
import { credentialScrubber, displayUrl } from '../../src/http/scrub.js'

describe('displayUrl', () => {
  it('shows URLs without credentials, query or fragment', () => {
    expect(displayUrl('wss://u:p@h.example:8443/ws?token=abc#x')).toBe(
      'wss://h.example:8443/ws'
    )
    expect(displayUrl('not a url?token=abc')).toBe('not a url')
  })
})

describe('credentialScrubber', () => {
  it('masks secret query values, URL passwords and secret headers', () => {
    const scrub = credentialScrubber(
      'wss://user:pa55word@h/ws?token=t0k3n&match=test-match&x=' +
        'a'.repeat(24),
      { Authorization: 'Bearer b3arer-value', 'X-Match': 'test-match' }
    )
    expect(
      scrub(
        'token=t0k3n pw=pa55word bearer=b3arer-value long=' +
          'a'.repeat(24) +
          ' match=test-match'
      )
    ).toBe('token=*** pw=*** bearer=*** long=*** match=test-match')
  })

  it('masks the URL-encoded and decoded forms of a value', () => {
    const scrub = credentialScrubber('ws://h/?key=a%2Bb%2Fc%3D', {})
    expect(scrub('a+b/c= and a%2Bb%2Fc%3D')).toBe('*** and ***')
  })

  it('leaves short values alone so text stays readable', () => {
    const scrub = credentialScrubber('ws://h/?key=ab', { Cookie: 'x' })
    expect(scrub('ab x')).toBe('ab x')
  })
})
