/**
 * Secrets in the forms servers and tools echo them in: JSON `\uXXXX`
 * escapes (Go writes `&`, `<`, `>` so; any character may be), HTML
 * entities, percent-encoding with `+` for space, and base64 of the secret
 * alone or inside a longer value at each of the three byte alignments.
 * Also: a probe's name is a label, never a credential name.
 */
import { describe, expect, it } from '@jest/globals'
import { createRedactor } from '../../src/redact/redactor.js'
import { decodeEscapes } from '../../src/redact/decode.js'

// Every character class an encoder escapes: & < > / + space, non-ASCII.
const SECRET = 'Zq7&pass<w>rd/é+ x9'

/** Every `n`-character piece of `s`. */
function pieces(s: string, n = 4): string[] {
  const out: string[] = []
  for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n))
  return out
}

function jsonEscapeAll(s: string): string {
  return [...s]
    .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('')
}

function goJson(s: string): string {
  return JSON.stringify(s)
    .slice(1, -1)
    .replace(/&/g, '\\u0026')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
}

const b64 = (s: string): string => Buffer.from(s).toString('base64')
const b64url = (s: string): string =>
  Buffer.from(s).toString('base64url').replace(/=+$/, '')

/** Each escaped spelling of `s`, by name. */
function forms(s: string): Record<string, string> {
  const bytes = [...Buffer.from(s)]
  return {
    'json go (\\u0026 \\u003c \\u003e)': goJson(s),
    'json every char \\uXXXX': jsonEscapeAll(s),
    'json upper-case hex': jsonEscapeAll(s)
      .toUpperCase()
      .replace(/\\U/g, '\\u'),
    'json slash escaped': goJson(s).replace(/\//g, '\\/'),
    'html named': s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;'),
    'html decimal': [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
    'html hex': [...s]
      .map((c) => `&#x${c.codePointAt(0)?.toString(16)};`)
      .join(''),
    'html only &': s.replace(/&/g, '&#38;'),
    'url component': encodeURIComponent(s),
    'url form (+ for space)': encodeURIComponent(s).replace(/%20/g, '+'),
    'url lower-case hex': encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) =>
      m.toLowerCase()
    ),
    'url every byte': bytes
      .map((b) => `%${b.toString(16).padStart(2, '0')}`)
      .join(''),
    base64: b64(s),
    'base64 url-safe': b64url(s),
    'base64 wrapped at 8': (b64(s).match(/.{1,8}/g) ?? []).join('\n')
  }
}

/** The same, with the secret inside a longer value first. */
function embedded(s: string): Record<string, string> {
  return {
    'basic auth user:secret': `Basic-like ${b64(`deployer:${s}`)}`,
    'base64 offset 1': b64(`a${s}-tail`),
    'base64 offset 2': b64(`ab${s}-tail`),
    'base64 offset 3': b64(`abc${s}-tail`),
    'base64 url-safe offset 1': b64url(`{"k":"${s}"}`),
    'json in json': JSON.stringify(JSON.stringify({ password: s })),
    'go json in a body': `{"msg":"token ${goJson(s)} rejected"}`,
    'html attribute': `<a title="${forms(s)['html named']}">x</a>`,
    'query value': `/cb?next=${encodeURIComponent(`/x?k=${s}`)}`
  }
}

/**
 * What a reader could recover from `out`: the text, its decoding, and the
 * decoding of every base64 run in it. None may hold 6 characters of the
 * secret in a row.
 */
function recoverable(out: string): string[] {
  const decoded =
    decodeEscapes(out, new Set(['json', 'html', 'percent', 'plus']))?.text ??
    out
  const runs = [...out.matchAll(/[A-Za-z0-9+/_-]{8,}/g)].map((m) =>
    Buffer.from(m[0], 'base64').toString('latin1')
  )
  return [out, decoded, ...runs]
}

describe('escaped forms of a known secret', () => {
  const r = createRedactor([SECRET])

  it.each(Object.entries(forms(SECRET)))('masks %s', (_name, encoded) => {
    for (const text of [encoded, `before ${encoded} after`]) {
      const out = r.redact(text)
      expect(out).toContain('***')
      // nothing of the encoded spelling survives, only the words around it
      for (const p of pieces(encoded, 8)) expect(out).not.toContain(p)
    }
  })

  it.each(Object.entries(embedded(SECRET)))(
    'masks the secret inside a larger value: %s',
    (_name, encoded) => {
      const out = r.redact(`before ${encoded} after`)
      expect(out).toContain('***')
      for (const view of recoverable(out)) {
        for (const p of pieces(SECRET, 6)) expect(view).not.toContain(p)
      }
    }
  )

  it('keeps the text around an escaped secret', () => {
    expect(r.redact(`{"a":"ok","t":"${goJson(SECRET)}","b":1}`)).toBe(
      '{"a":"ok","t":"***","b":1}'
    )
    expect(r.redact(`x=${encodeURIComponent(SECRET)}&y=2`)).toBe('x=***&y=2')
  })

  it('leaves escapes that spell no secret as they are', () => {
    const text = '{"html":"\\u003cb\\u003e","q":"a%20b","e":"&amp;"}'
    expect(r.redact(text)).toBe(text)
  })
})

describe('decodeEscapes', () => {
  it('maps every decoded character back to its escape', () => {
    const d = decodeEscapes(
      'a\\u0026b&amp;c%2Fd+e',
      new Set(['json', 'html', 'percent', 'plus'])
    )
    expect(d?.text).toBe('a&b&c/d e')
    expect(d?.start.slice(0, 3)).toEqual([0, 1, 7])
    expect(d?.end[1]).toBe(7)
  })

  it('decodes a multi-byte UTF-8 character from its percent bytes', () => {
    const d = decodeEscapes('%C3%A9%F0%9F%94%91', new Set(['percent']))
    expect(d?.text).toBe('é🔑')
    expect(d?.start).toEqual([0, 6, 6])
  })

  it('is undefined when nothing is escaped', () => {
    expect(decodeEscapes('plain', new Set(['json', 'html']))).toBeUndefined()
  })
})

describe('names are labels, values are secrets', () => {
  const ids = ['with-token', 'auth-missing', 'auth-invalid', 'api-auth']
  const r = createRedactor(['s3cr3t-value'], { identifiers: ids })

  it.each([
    'with-token: HTTP 503, expected 200',
    'smoke › auth-missing: HTTP 200, expected 401',
    'smoke.auth-invalid: HTTP 200 (expected 401)',
    '::error title=smoke::auth-missing: HTTP 200, expected 401',
    'auth-missing=failed after 3 attempts',
    '- api-auth: ok'
  ])('keeps %j readable', (text) => {
    expect(r.redact(text)).toBe(text)
  })

  it('still masks real credential syntax after a probe name', () => {
    expect(r.redact('with-token: Authorization: Bearer abc.def')).toBe(
      'with-token: Authorization: Bearer ***'
    )
    expect(r.redact('auth-missing: sent x-auth-token: zzz9')).toBe(
      'auth-missing: sent x-auth-token: ***'
    )
    expect(r.redact('auth-missing: GITHUB_TOKEN=ghp_x')).toBe(
      'auth-missing: GITHUB_TOKEN=***'
    )
    expect(r.redact('with-token: got /cb?token=abc&x=1')).toBe(
      'with-token: got /cb?token=***&x=1'
    )
  })

  it('masks a known secret value next to a probe name', () => {
    expect(r.redact('with-token: body said s3cr3t-value')).toBe(
      'with-token: body said ***'
    )
  })

  it('without the names, name-shaped labels are still masked (the old rule)', () => {
    expect(createRedactor([]).redact('with-token: HTTP 503')).toBe(
      'with-token: ***'
    )
  })
})

describe('a values-only redactor', () => {
  it('masks known values and leaves name: value text alone', () => {
    const r = createRedactor(['hook-secret-1'], { shapes: false })
    expect(r.redact('auth-missing: HTTP 200 hook-secret-1')).toBe(
      'auth-missing: HTTP 200 ***'
    )
  })
})
