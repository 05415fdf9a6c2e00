/**
 * Redact first, then cut: a secret placed across every cut position of
 * every preview (head, tail, one-line, a line cut at a hard cap) leaves no
 * piece behind.
 */
import { describe, expect, it } from '@jest/globals'
import { preview, PREVIEW_GUARD } from '../../src/redact/preview.js'
import { createRedactor } from '../../src/redact/redactor.js'

const SECRET = 'tok_Straddle9f8e7d6c5b4a'
const redact = createRedactor([SECRET]).redact

/** Every 4-character piece of the secret: seeing one is a leak. */
const PIECES = Array.from({ length: SECRET.length - 3 }, (_, i) =>
  SECRET.slice(i, i + 4)
)

function leaks(shown: string): string[] {
  return PIECES.filter((p) => shown.includes(p))
}

describe('preview', () => {
  it.each([8, 40, 120])('head cut at %i: no piece at any offset', (max) => {
    for (let at = 0; at <= max + SECRET.length; at++) {
      const text = `${'a'.repeat(at)}${SECRET}${'b'.repeat(200)}`
      const shown = preview(text, max, redact)
      expect(shown.length).toBeLessThanOrEqual(max)
      expect(leaks(shown)).toEqual([])
    }
  })

  it.each([8, 40, 120])('tail cut at %i: no piece at any offset', (max) => {
    for (let at = 0; at <= max + SECRET.length; at++) {
      const text = `${'a'.repeat(200)}${SECRET}${'b'.repeat(at)}`
      const shown = preview(text, max, redact, { tail: true })
      expect(shown.length).toBeLessThanOrEqual(max)
      expect(leaks(shown)).toEqual([])
    }
  })

  it('cuts redacted text the same as before for text without secrets', () => {
    expect(preview('short', 10, redact)).toBe('short')
    expect(preview('x'.repeat(20), 10, redact)).toBe(`${'x'.repeat(9)}…`)
    expect(preview('x'.repeat(20), 10, redact, { tail: true })).toBe(
      `…${'x'.repeat(9)}`
    )
    expect(preview('a \n\t b', 10, redact, { oneLine: true })).toBe('a b')
  })

  it('never splits a mask', () => {
    for (let max = 3; max < 12; max++) {
      const shown = preview(`ab ${SECRET} cd ${SECRET} ef`, max, redact)
      expect(shown).not.toMatch(/(^|[^*])\*{1,2}(?!\*)/)
    }
  })

  it('masks a secret straddling the edge of a huge value', () => {
    // Many masked secrets first, so the redacted text is much shorter than
    // the original and the window's edge would come within the preview.
    const many = `${SECRET} `.repeat(4000)
    const head = many.slice(0, 64 * 1024 - 10)
    const text = `${head}${SECRET}${'z'.repeat(100_000)}`
    const shown = preview(text, 20_000, redact)
    expect(leaks(shown)).toEqual([])
  })

  it('drops the guard of a piece already cut (a capped line)', () => {
    const line = `${'x'.repeat(PREVIEW_GUARD)}${SECRET.slice(0, 10)}`
    const shown = preview(line, 1_000_000, redact, { partial: true })
    expect(shown).not.toContain(SECRET.slice(0, 10))
    expect(shown.endsWith('…')).toBe(true)
  })
})
