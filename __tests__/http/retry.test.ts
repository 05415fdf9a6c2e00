import { describe, expect, it } from '@jest/globals'
import { parseRetryAfter } from '../../src/http/retry.js'

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, ignores the rest', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000)
    expect(parseRetryAfter(['5', '9'], NOW)).toBe(5000)
    expect(parseRetryAfter(new Date(NOW + 4000).toUTCString(), NOW)).toBe(4000)
    expect(parseRetryAfter(new Date(NOW - 4000).toUTCString(), NOW)).toBe(0)
    expect(parseRetryAfter('soon', NOW)).toBeUndefined()
    expect(parseRetryAfter('-1', NOW)).toBeUndefined()
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined()
  })
})
