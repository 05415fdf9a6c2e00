/**
 * The one small path language for JSON: metric endpoints, probe body
 * assertions and push timestamps. Dotted keys and array indexes,
 * `data.values[0].value`, plus `['a.b']` for keys that hold dots and an
 * optional leading `$` for people used to JSONPath. No filters or
 * wildcards: a path names exactly one place.
 */
import type { Result } from './result.js'

export type PathSegment = string | number

const IDENT = /[^.[\]\s]+/y
const INDEX = /\[(\d+)\]/y
const QUOTED = /\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/y

/**
 * Parses a path once, at config time, so a typo is an error naming the
 * position instead of a metric that silently never has data.
 */
export function parsePath(path: string): Result<PathSegment[]> {
  const s = path.trim()
  const segments: PathSegment[] = []
  let pos = s.startsWith('$') ? 1 : 0
  const bad = (at: number): Result<PathSegment[]> => ({
    ok: false,
    error: `invalid path '${path}' at position ${at + 1} (use e.g. data.values[0].value)`
  })
  if (s === '') return bad(0)
  let first = true
  while (pos < s.length) {
    const bracket = matchBracket(s, pos)
    if (bracket) {
      segments.push(bracket.segment)
      pos += bracket.length
      first = false
      continue
    }
    if (s[pos] === '.') {
      if (first && pos === 0) return bad(pos)
      pos += 1
    } else if (!first) {
      return bad(pos)
    }
    const ident = matchAt(IDENT, s, pos)
    if (!ident) return bad(pos)
    segments.push(ident[0])
    pos += ident[0].length
    first = false
  }
  return { ok: true, value: segments }
}

export type Lookup =
  { found: true; value: unknown } | { found: false; reason: string }

/**
 * Follows a parsed path into a JSON value. When a step is missing the reason
 * names the deepest prefix that did exist and what it held, because "path
 * not found" alone sends people diffing the whole document by hand.
 */
export function readPath(doc: unknown, segments: PathSegment[]): Lookup {
  let current = doc
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]
    const here = formatPath(segments.slice(0, i))
    if (typeof seg === 'number') {
      if (!Array.isArray(current)) {
        return { found: false, reason: `${here} is ${describe(current)}` }
      }
      if (seg >= current.length) {
        const n = current.length
        return {
          found: false,
          reason: `${here} has ${n} item${n === 1 ? '' : 's'}, no [${seg}]`
        }
      }
      current = current[seg] as unknown
      continue
    }
    if (!isRecord(current)) {
      return { found: false, reason: `${here} is ${describe(current)}` }
    }
    if (!Object.hasOwn(current, seg)) {
      return { found: false, reason: `${here} has no key '${seg}'` }
    }
    current = current[seg]
  }
  return { found: true, value: current }
}

/** A path as users write it, for reasons; the root is `the document`. */
export function formatPath(segments: PathSegment[]): string {
  if (segments.length === 0) return 'the document'
  let out = ''
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (/^[^.[\]\s']+$/.test(seg)) out += out === '' ? seg : `.${seg}`
    else out += `['${seg.replace(/[\\']/g, '\\$&')}']`
  }
  return `'${out}'`
}

/** What a JSON value is, in a few words, for reasons. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return 'a string'
  return `a ${typeof value}`
}

/** `[3]`, `['a.b']` or `["a.b"]` at `pos`. */
function matchBracket(
  s: string,
  pos: number
): { segment: PathSegment; length: number } | undefined {
  const index = matchAt(INDEX, s, pos)
  if (index) return { segment: Number(index[1]), length: index[0].length }
  const quoted = matchAt(QUOTED, s, pos)
  if (!quoted) return undefined
  const key = unescape(quoted[1] ?? quoted[2] ?? '')
  return { segment: key, length: quoted[0].length }
}

function matchAt(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos
  return re.exec(s)
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
