/**
 * Escaped text decoded with a map back to the original positions, so a
 * secret written as `\u0026`, `&#x26;`, `%26` or `+` (or split by the line
 * breaks of wrapped base64) is found in its decoded form and masked where
 * it sits in the text as printed. Enumerating every escaped spelling of a
 * secret cannot work (an encoder may escape any character), decoding can.
 */

/** The escape families one decoding pass undoes. */
export type Escape = 'json' | 'html' | 'percent' | 'plus' | 'wrap'

export interface Decoded {
  /** The decoded text. */
  text: string
  /** For each UTF-16 unit of `text`, where its escape starts in the input. */
  start: number[]
  /** For each UTF-16 unit of `text`, where its escape ends in the input. */
  end: number[]
}

const JSON_SIMPLE: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  "'": "'",
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t'
}

const HTML_NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  sol: '/',
  colon: ':',
  equals: '=',
  plus: '+',
  percnt: '%',
  num: '#',
  nbsp: '\u00a0'
}

const HEX4 = /^[0-9a-fA-F]{4}$/
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));/

interface Unit {
  /** Decoded characters (possibly empty, possibly a surrogate pair). */
  chars: string
  /** Input characters consumed. */
  length: number
}

function fromCodePoint(cp: number): string | undefined {
  if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff) return undefined
  return String.fromCodePoint(cp)
}

function jsonUnit(text: string, i: number): Unit | undefined {
  const next = text[i + 1]
  if (next === undefined) return undefined
  if (next === 'u') {
    const hex = text.slice(i + 2, i + 6)
    if (!HEX4.test(hex)) return undefined
    return { chars: String.fromCharCode(parseInt(hex, 16)), length: 6 }
  }
  const simple = JSON_SIMPLE[next]
  return simple === undefined ? undefined : { chars: simple, length: 2 }
}

function htmlUnit(text: string, i: number): Unit | undefined {
  const m = ENTITY.exec(text.slice(i, i + 12))
  if (!m) return undefined
  let chars: string | undefined
  if (m[1] !== undefined) chars = fromCodePoint(parseInt(m[1], 10))
  else if (m[2] !== undefined) chars = fromCodePoint(parseInt(m[2], 16))
  else chars = HTML_NAMED[m[3].toLowerCase()]
  return chars === undefined ? undefined : { chars, length: m[0].length }
}

function percentByte(text: string, i: number): number | undefined {
  if (text[i] !== '%') return undefined
  const hex = text.slice(i + 1, i + 3)
  return /^[0-9a-fA-F]{2}$/.test(hex) ? parseInt(hex, 16) : undefined
}

/** One `%XX` character, or the 2 to 4 `%XX` bytes of one UTF-8 character. */
function percentUnit(text: string, i: number): Unit | undefined {
  const lead = percentByte(text, i)
  if (lead === undefined) return undefined
  if (lead < 0x80) return { chars: String.fromCharCode(lead), length: 3 }
  const count = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0
  if (count === 0) return undefined
  const bytes = [lead]
  for (let k = 1; k < count; k++) {
    const b = percentByte(text, i + 3 * k)
    if (b === undefined || (b & 0xc0) !== 0x80) return undefined
    bytes.push(b)
  }
  const chars = Buffer.from(bytes).toString('utf8')
  if (chars.includes('\ufffd')) return undefined
  return { chars, length: 3 * count }
}

function unitAt(
  text: string,
  i: number,
  kinds: ReadonlySet<Escape>
): Unit | undefined {
  const c = text[i]
  if (c === '\\' && kinds.has('json')) return jsonUnit(text, i)
  if (c === '&' && kinds.has('html')) return htmlUnit(text, i)
  if (c === '%' && kinds.has('percent')) return percentUnit(text, i)
  if (c === '+' && kinds.has('plus')) return { chars: ' ', length: 1 }
  if ((c === '\n' || c === '\r') && kinds.has('wrap')) {
    return { chars: '', length: 1 }
  }
  return undefined
}

/**
 * Decodes every escape of the given families in one left-to-right pass.
 * Undefined when the text holds none, so callers skip a pointless search.
 */
export function decodeEscapes(
  text: string,
  kinds: ReadonlySet<Escape>
): Decoded | undefined {
  const out: string[] = []
  const start: number[] = []
  const end: number[] = []
  let changed = false
  let i = 0
  while (i < text.length) {
    const unit = unitAt(text, i, kinds)
    if (unit) {
      changed = true
      for (let k = 0; k < unit.chars.length; k++) {
        out.push(unit.chars[k])
        start.push(i)
        end.push(i + unit.length)
      }
      i += unit.length
    } else {
      out.push(text[i])
      start.push(i)
      end.push(i + 1)
      i++
    }
  }
  return changed ? { text: out.join(''), start, end } : undefined
}

const TRIGGERS: Record<Escape, string> = {
  json: '\\\\',
  html: '&',
  percent: '%',
  plus: '\\+',
  wrap: '\\r\\n'
}

/** Finds the characters an escape of `kinds` can start with. */
function triggerOf(kinds: ReadonlySet<Escape>): RegExp {
  return new RegExp(`[${[...kinds].map((k) => TRIGGERS[k]).join('')}]`, 'g')
}

/**
 * The decoded text alone, without the position map: the cheap test of
 * whether a secret is there at all. Plain runs are copied whole, so text
 * with few escapes costs little more than a search.
 */
export function decodeText(
  text: string,
  kinds: ReadonlySet<Escape>,
  trigger: RegExp = triggerOf(kinds)
): string | undefined {
  trigger.lastIndex = 0
  let out = ''
  let pos = 0
  for (let m = trigger.exec(text); m; m = trigger.exec(text)) {
    const unit = unitAt(text, m.index, kinds)
    if (!unit) continue
    out += text.slice(pos, m.index) + unit.chars
    pos = m.index + unit.length
    trigger.lastIndex = pos
  }
  return pos === 0 && out === '' ? undefined : out + text.slice(pos)
}

/** One decoding pass, run only when its escape character is in the text. */
export interface Pass {
  kinds: ReadonlySet<Escape>
  trigger: RegExp
  needs: (t: string) => boolean
}

function pass(kinds: Escape[], needs: (t: string) => boolean): Pass {
  const set = new Set(kinds)
  return { kinds: set, trigger: triggerOf(set), needs }
}

export const PASSES: readonly Pass[] = [
  pass(['json'], (t) => t.includes('\\')),
  pass(['html'], (t) => t.includes('&')),
  pass(['percent'], (t) => t.includes('%')),
  pass(['percent', 'plus'], (t) => t.includes('+')),
  // A secret escaped two ways at once (`\u0026` and `%2F` in one value).
  pass(
    ['json', 'html', 'percent'],
    (t) => ['\\', '&', '%'].filter((c) => t.includes(c)).length > 1
  ),
  pass(['wrap'], (t) => t.includes('\n') || t.includes('\r'))
]
