/**
 * Hostile configs that are too large to keep as fixtures: floods of keys,
 * errors, anchors and lines, nesting past the depth check, and the stack
 * overflow safety net. Each ends in one line (or twenty and a count), never
 * an exception. No assertion here is about speed: bench/config-limits.ts
 * measures that.
 */
import { describe, expect, it } from '@jest/globals'
import {
  formatConfigError,
  LIMITS,
  MAX_ERRORS,
  moreErrorsLine,
  parseConfig
} from '../../src/config/load.js'
import { decodeUtf8, firstInvalidUtf8 } from '../../src/config/utf8.js'

const HEAD = 'version: 1\nservice: api\nenvironment: staging\n'

function refused(text: string | Uint8Array): {
  lines: string[]
  more: number
} {
  const r = parseConfig(text, 'h.yml')
  expect(r.ok).toBe(false)
  if (r.ok) return { lines: [], more: 0 }
  return { lines: r.errors.map(formatConfigError), more: r.more ?? 0 }
}

function oneLine(text: string | Uint8Array, fragment: string): string {
  const { lines, more } = refused(text)
  expect(lines).toHaveLength(1)
  expect(more).toBe(0)
  expect(lines[0]).toContain(fragment)
  expect(lines[0]).not.toMatch(/\n|\bat \S+:\d+|RangeError|TypeError/)
  return lines[0]
}

describe('error cap', () => {
  it('shows 20 of 10,000 unknown gates and counts the rest', () => {
    const gates = Array.from({ length: 10_000 }, (_, i) => `  g${i}: {}`)
    const { lines, more } = refused(`${HEAD}gates:\n${gates.join('\n')}\n`)
    expect(lines).toHaveLength(MAX_ERRORS)
    expect(more).toBe(10_000 - MAX_ERRORS)
    expect(lines[0]).toBe("h.yml:5:3: gates.g0: unknown key 'g0'")
    expect(lines[19]).toBe("h.yml:24:3: gates.g19: unknown key 'g19'")
    expect(moreErrorsLine(more)).toBe(
      '9980 more errors not shown (fix the first 20 and run again)'
    )
  })

  it('caps duplicate keys the same way, in file order', () => {
    const dups = Array.from({ length: 500 }, (_, i) => `  a: ${i}`)
    const { lines, more } = refused(`${HEAD}vars:\n${dups.join('\n')}\n`)
    expect(lines).toHaveLength(MAX_ERRORS)
    expect(more).toBe(499 - MAX_ERRORS)
    expect(lines[0]).toBe("h.yml:6:3: vars: duplicate key 'a'")
  })

  it('caps YAML syntax errors, and stops reading after 1,000', () => {
    const some = refused(`${HEAD}x: [${']'.repeat(500)}\n`)
    expect(some.lines).toHaveLength(MAX_ERRORS)
    expect(some.more).toBe(499 - MAX_ERRORS)
    oneLine(
      `${HEAD}x: [${']'.repeat(5000)}\n`,
      'h.yml:4:6: Unexpected flow-seq-end token in YAML stream (and over 1,000 more YAML syntax errors)'
    )
  })

  it('suggests only for the first keys, and not for a pasted blob', () => {
    const blob = 'v'.repeat(200_000)
    oneLine(`${HEAD}${blob}n: 1\n`, 'implicit block mapping key')
    oneLine(`${HEAD}? ${blob}\n: 1\n`, `unknown key '${'v'.repeat(10)}`)
    oneLine(`${HEAD}servce: x\n`, "(did you mean 'service'?)")
  })
})

describe('nesting past the old pre-parse check', () => {
  const deep = 100_000
  it.each([
    ['a block sequence on one line', `${HEAD}x:\n  ${'- '.repeat(deep)}1\n`],
    [
      'block sequences on indented lines',
      `${HEAD}x:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(2 + i)}-`).join('\n')} 1\n`
    ],
    [
      'brackets behind an escaped backslash in a double-quoted scalar',
      `${HEAD}x: ["a\\\\", ${'['.repeat(deep)}]\n`
    ],
    [
      'brackets behind a backslash in a single-quoted scalar',
      `${HEAD}x: ['a\\', ${'['.repeat(deep)}]\n`
    ],
    [
      'brackets behind a quoted key with an escape',
      `"k\\"[": ${'{a: '.repeat(deep)}1\n`
    ],
    ['explicit keys', `${HEAD}x:\n  ${'? '.repeat(deep)}1\n`],
    ['block maps on one line', `${HEAD}x:\n  ${'a: '.repeat(deep)}1\n`],
    ['unclosed brackets', `${HEAD}x: ${'['.repeat(deep)}\n`]
  ])('%s', (_name, text) => {
    oneLine(text, `nesting deeper than ${LIMITS.depth} levels`)
  })

  it('accepts 60 levels', () => {
    const text = `${HEAD}vars:\n  x: "${'['.repeat(200)}"\nextra: ${'['.repeat(60)}${']'.repeat(60)}\n`
    oneLine(text, "unknown key 'extra'")
  })

  it('turns a stack overflow inside the parser into one line', () => {
    // Call the loader from every frame of a recursion that filled the
    // stack, deepest first: some frames leave room to enter it but not to
    // compose, and each of those must answer with the one line.
    const text = `${HEAD}vars:\n  x: ${'['.repeat(60)}${']'.repeat(60)}\n`
    const normal =
      'h.yml:5:6: vars.x: expected a string, number or boolean, got a list'
    const overflow =
      'h.yml:1:1: config is too large or too deeply nested to read (Maximum call stack size exceeded)'
    const answers: string[] = []
    let done = false
    const dive = (): void => {
      try {
        dive()
      } catch {
        // the bottom of the stack
      }
      if (done) return
      try {
        const r = parseConfig(text, 'h.yml')
        answers.push(r.ok ? 'ok' : r.errors.map(formatConfigError).join('\n'))
      } catch {
        // No room left even to enter the loader or to build its answer.
        return
      }
      done = answers.at(-1) === normal
    }
    dive()
    expect(answers.at(-1)).toBe(normal)
    expect(answers).toContain(overflow)
    expect(answers.filter((a) => a !== normal && a !== overflow)).toEqual([])
  })
})

describe('floods under the size limit', () => {
  const M = LIMITS.bytes - 1024
  it.each([
    [
      'anchors',
      `${HEAD}x: ${'&a '.repeat(M / 3 - 100)}1\n`,
      'more than 25,000 YAML nodes'
    ],
    [
      'stray closers',
      `${HEAD}x: [${']'.repeat(M - 100)}\n`,
      'more YAML syntax errors'
    ],
    [
      'commas',
      `${HEAD}x: [${','.repeat(M - 100)}]\n`,
      'more than 25,000 YAML nodes'
    ],
    [
      'empty items',
      `${HEAD}x: [${'[],'.repeat(M / 3 - 100)}]\n`,
      'more than 25,000 YAML nodes'
    ],
    [
      'tags',
      `${HEAD}x: ${'!!str '.repeat(M / 6 - 100)}a\n`,
      'more than 25,000 YAML nodes'
    ],
    [
      'keys',
      `${HEAD}vars:\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: v`).join('\n')}\n`,
      'more than 25,000 YAML nodes'
    ],
    [
      'comment lines',
      `${HEAD}${'#\n'.repeat(M / 2 - 100)}`,
      'more than 50,000 lines'
    ],
    ['document markers', `${'---\n'.repeat(M / 4)}`, 'more than 50,000 lines'],
    [
      'null keys',
      `${HEAD}${':\n'.repeat(M / 2 - 100)}`,
      'more than 50,000 lines'
    ],
    [
      'tab lines',
      `${HEAD}x: 1\n${'\t\n'.repeat(M / 2 - 100)}`,
      'more than 50,000 lines'
    ]
  ])('%s', (_name, text, what) => {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LIMITS.bytes)
    oneLine(text, what)
  })

  it('accepts 12,000 vars', () => {
    const vars = Array.from({ length: 12_000 }, (_, i) => `  k${i}: v${i}`)
    const r = parseConfig(`${HEAD}vars:\n${vars.join('\n')}\n`, 'h.yml')
    expect(r.ok).toBe(true)
  })
})

describe('numbers and durations', () => {
  it.each([
    ['.nan', '.nan'],
    ['.NaN', '.NaN'],
    ['.inf', '.inf'],
    ['-.inf', '-.inf'],
    ['+.INF', '+.INF'],
    ['1e400', '1e400'],
    ['-1E+999', '-1E+999']
  ])('refuses %s quoting it', (value, shown) => {
    const line = oneLine(
      `${HEAD}gates:\n  canary:\n    traffic: { run: ./w.sh }\n    steps:\n      - { weight: ${value} }\n`,
      `expected a finite number, got '${shown}'`
    )
    expect(line).toContain('gates.canary.steps[0].weight: ')
  })

  it('takes a quoted .nan as text', () => {
    expect(parseConfig(`${HEAD}vars:\n  x: '.nan'\n`, 'h.yml').ok).toBe(true)
  })

  it.each(['24d20h31m', '24d', '596h'])('accepts a timeout of %s', (d) => {
    const r = parseConfig(
      `${HEAD}gates:\n  migrate: { run: ./m.sh, timeout: ${d} }\n`,
      'h.yml'
    )
    expect(r.ok).toBe(true)
  })

  it.each(['24d20h32m', '25d', '597h', '2147483648ms', '30d'])(
    'refuses a timeout of %s',
    (d) => {
      oneLine(
        `${HEAD}gates:\n  migrate: { run: ./m.sh, timeout: ${d} }\n`,
        `duration '${d}' is longer than the longest wait a timer can hold (24d20h31m)`
      )
    }
  )

  const PROBE = `probes:\n  p: { http: { url: 'https://staging.example.com/' } }\n`
  it.each([
    ['health', `gates:\n  health: { probes: [p], interval: 0s }\n`],
    ['soak', `gates:\n  soak: { duration: 5m, probes: [p], interval: 99ms }\n`],
    [
      'analysis',
      `gates:\n  canary:\n    traffic: { run: ./w.sh }\n    steps: [{ weight: 5, bake: 1m }]\n    analysis: { probes: [p], interval: 0.05s }\n`
    ]
  ])('refuses a %s interval under 100ms', (_gate, gates) => {
    oneLine(`${HEAD}${PROBE}${gates}`, 'interval: must be at least 100ms')
  })

  it('accepts a health interval of 100ms', () => {
    const r = parseConfig(
      `${HEAD}${PROBE}gates:\n  health: { probes: [p], interval: 100ms }\n`,
      'h.yml'
    )
    expect(r.ok).toBe(true)
  })
})

describe('bytes', () => {
  // A small seeded generator, so a failure reproduces.
  function random(seed: number): () => number {
    let s = seed
    return () => {
      s = (s * 1103515245 + 12345) & 0x7fffffff
      return s / 0x80000000
    }
  }

  it('finds the same first bad byte as the strict decoder, on 20,000 random inputs', () => {
    const next = random(7)
    const strict = new TextDecoder('utf-8', { fatal: true })
    const valid = (b: Uint8Array): boolean => {
      try {
        strict.decode(b)
        return true
      } catch {
        return false
      }
    }
    for (let n = 0; n < 20_000; n++) {
      const bytes = Uint8Array.from(
        { length: 1 + Math.floor(next() * 8) },
        () =>
          next() < 0.5
            ? 0x80 + Math.floor(next() * 0x80)
            : Math.floor(next() * 256)
      )
      const at = firstInvalidUtf8(bytes)
      expect(at === -1).toBe(valid(bytes))
      if (at >= 0) {
        expect(valid(bytes.subarray(0, at))).toBe(true)
        expect(valid(bytes.subarray(0, at + 1))).toBe(false)
      }
    }
  })

  it('names the line and offset of the first bad byte', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEAD}vars:\n  x: caf`),
      Buffer.from([0xe9, 0x0a])
    ])
    expect(oneLine(bytes, 'byte 0xE9 at offset 59 (line 5)')).toMatch(
      /^h\.yml:5:9: config is not valid UTF-8/
    )
  })

  it('says when a file is UTF-16', () => {
    const bytes = Buffer.from(`\ufeff${HEAD}`, 'utf16le')
    oneLine(bytes, 'config is UTF-16')
  })

  it('accepts UTF-8 with a byte order mark and characters of every length', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${HEAD}vars:\n  x: "é ✓ 𝄞"\n`)
    ])
    const r = parseConfig(bytes, 'h.yml')
    expect(r.ok && r.config.vars).toEqual({ x: 'é ✓ 𝄞' })
  })

  it('reports the event payload the same way', () => {
    const r = decodeUtf8(Uint8Array.from([0x7b, 0xff, 0x7d]), 'the payload')
    expect(r).toEqual({
      ok: false,
      offset: 1,
      line: 1,
      col: 2,
      message:
        'the payload is not valid UTF-8: byte 0xFF at offset 1 (line 1); save it as UTF-8'
    })
  })
})
