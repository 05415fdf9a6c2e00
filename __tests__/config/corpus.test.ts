/**
 * The bad-config corpus: every file under fixtures/bad-configs carries its one
 * expected error in a header line `# expect: LINE PATH | MESSAGE FRAGMENT`.
 * Generated cases (sizes, bombs, nesting) follow at the end.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatConfigError, parseConfig } from '../../src/config/load.js'

const dir = join(import.meta.dirname, '..', 'fixtures', 'bad-configs')
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'))

interface Expectation {
  line: number
  path: string
  fragment: string
}

function expectationOf(text: string): Expectation {
  const m = /^# expect: (\d+) (.+?) \| (.*)$/m.exec(text)
  if (!m) throw new Error('corpus file without an expect header')
  return { line: Number(m[1]), path: m[2] === '-' ? '' : m[2], fragment: m[3] }
}

function expectOneError(
  text: string | Uint8Array,
  file: string,
  want: Expectation
): void {
  const result = parseConfig(text, file)
  expect(result.ok).toBe(false)
  if (result.ok) return
  const shown = result.errors.map(formatConfigError)
  expect(shown).toHaveLength(1)
  const [e] = result.errors
  expect({ line: e.line, path: e.path }).toEqual({
    line: want.line,
    path: want.path
  })
  expect(e.message).toContain(want.fragment)
  expect(shown[0].startsWith(`${file}:${want.line}:${e.col}: `)).toBe(true)
  expect(shown[0]).not.toMatch(/\n\s+at |Error:|\[object/)
}

describe('bad config corpus', () => {
  it('has at least 140 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(140)
  })

  // Read as bytes, the way the loader reads a file: some cases are not UTF-8.
  it.each(files)('%s', (name) => {
    const bytes = readFileSync(join(dir, name))
    const header = bytes.toString('latin1')
    expectOneError(bytes, `bad/${name}`, expectationOf(header))
  })
})

const HEAD = 'version: 1\nservice: api\nenvironment: staging\n'

describe('generated bad configs', () => {
  it('rejects an alias bomb quickly, at the first alias', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const cur = String.fromCharCode(97 + i)
      levels.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(', ')}]`)
    }
    const text = `${levels.join('\n')}\n`
    const started = process.hrtime.bigint()
    expectOneError(text, 'bomb.yml', {
      line: 2,
      path: '',
      fragment: 'YAML aliases expand to too much data'
    })
    // Not a speed assertion: a bomb that expanded would not finish at all.
    expect(Number(process.hrtime.bigint() - started)).toBeGreaterThan(0)
  })

  it('rejects more than 100 aliases', () => {
    const refs = Array.from({ length: 101 }, (_, i) => `  k${i}: *v`).join('\n')
    expectOneError(`${HEAD}x: &v 1\ny:\n${refs}\n`, 'aliases.yml', {
      line: 106,
      path: '',
      fragment: 'more than 100 YAML aliases'
    })
  })

  it('rejects a 2 MiB file before parsing', () => {
    const text = `${HEAD}vars:\n${'  k: v\n'.repeat((2 * 1024 * 1024) / 7 + 10)}`
    expectOneError(text, 'big.yml', {
      line: 1,
      path: '',
      fragment: 'the limit is 1 MiB'
    })
  })

  it('rejects a 10 MiB file', () => {
    expectOneError('#'.repeat(10 * 1024 * 1024), 'huge.yml', {
      line: 1,
      path: '',
      fragment: 'config is 10.0 MiB; the limit is 1 MiB'
    })
  })

  it('rejects 1,000 levels of flow nesting', () => {
    const text = `${HEAD}vars: ${'['.repeat(1000)}${']'.repeat(1000)}\n`
    expectOneError(text, 'deep.yml', {
      line: 4,
      path: '',
      fragment: 'nesting deeper than 64 levels'
    })
  })

  it('rejects 100 levels of block nesting', () => {
    const lines = Array.from(
      { length: 100 },
      (_, i) => `${'  '.repeat(i + 1)}k${i}:`
    )
    const text = `${HEAD}vars:\n${lines.join('\n')} 1\n`
    const result = parseConfig(text, 'deep.yml')
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.errors).toHaveLength(1)
      expect(result.errors[0].message).toBe('nesting deeper than 64 levels')
    }
  })

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing here\n\n'],
    ['only whitespace', '   \n\t\n']
  ])('rejects %s', (_name, text) => {
    expectOneError(text, 'empty.yml', {
      line: 1,
      path: '',
      fragment: 'config is empty'
    })
  })

  it('rejects a 10 KB URL', () => {
    const url = `https://staging.example.com/${'a'.repeat(10_000)}`
    expectOneError(
      `${HEAD}probes:\n  p:\n    http: { url: "${url}" }\n`,
      'url.yml',
      { line: 6, path: 'probes.p.http.url', fragment: 'the limit is 8192' }
    )
  })
})
