/**
 * The one place secret material is removed from text we show: logs, reasons,
 * reports, PR comments. Two layers: known secret values (and the encodings
 * they are commonly printed in), and shapes that are secret whatever their
 * value (Authorization headers, URL userinfo, token query parameters).
 */

import { decodeEscapes, decodeText, PASSES } from './decode.js'

/** What every secret is replaced by. */
export const MASK = '***'

/** Shorter secrets match too much ordinary text to be replaced everywhere. */
const MIN_SECRET_LENGTH = 4

export interface Redactor {
  /** Free text: known secrets, their encodings, and secret-shaped fragments. */
  redact(text: string): string
  /** One URL: known secrets, userinfo, token-like query parameters. */
  redactUrl(url: string): string
  /** A copy with sensitive header values masked and the rest redacted. */
  redactHeaders(h: Record<string, string>): Record<string, string>
  /** Registers a secret learned after creation (e.g. a minted token). */
  add(secret: string): void
}

/** Header names whose values are credentials whatever they contain. */
const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key'
])

/** Query parameter names that carry credentials or signatures. */
const SENSITIVE_PARAMS = new Set([
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'api_key',
  'apikey',
  'key',
  'secret',
  'password',
  'passwd',
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'auth',
  'code',
  'client_secret'
])

/** Words that make a name sensitive in free text (`DB_PASSWORD=`, ...). */
const SENSITIVE_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'apikey',
  'credential',
  'credentials',
  'cookie',
  'authorization',
  'auth'
])

/** Flag names like `--token-file` name a reference, not the secret itself. */
const REFERENCE_WORDS = new Set(['file', 'stdin', 'env', 'path', 'name', 'id'])

/** Authorization schemes kept visible so a report still says what was sent. */
const AUTH_SCHEME =
  /^(bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256|hmac|apikey)\s+/i

const PEM_BOUNDARY = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/

/** Splits `X-Api-Key`, `client_secret`, `accessToken` into lowercase words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
}

/**
 * Free-text names are judged by words, so `monkey: banana` stays readable
 * while `x-api-key`, `GITHUB_TOKEN`, `clientSecret` and `dbpassword` do not.
 */
export function isSensitiveName(name: string): boolean {
  const lower = name.toLowerCase()
  if (SENSITIVE_HEADERS.has(lower)) return true
  if (/token|secret|password|passwd/.test(lower)) return true
  const ws = words(name)
  if (ws.some((w) => SENSITIVE_WORDS.has(w))) return true
  return ws.length > 1 && ws.includes('key')
}

/** Header names are structured, so any that contains a sensitive word counts. */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return (
    SENSITIVE_HEADERS.has(lower) ||
    /token|secret|password|passwd|key/.test(lower)
  )
}

function isSensitiveParam(name: string): boolean {
  let decoded = name
  try {
    decoded = decodeURIComponent(name)
  } catch {
    // keep the raw name
  }
  const lower = decoded.toLowerCase()
  if (lower === 'token_type') return false
  if (SENSITIVE_PARAMS.has(lower)) return true
  if (isSensitiveName(decoded)) return true
  return words(decoded).some((w) => w === 'signature' || w === 'credential')
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64')
}

function urlSafe(s: string): string {
  return s.replace(/\+/g, '-').replace(/\//g, '_')
}

/**
 * Base64 of a secret embedded in a longer value (`user:token` in Basic
 * auth, docker `auths`) depends on its byte offset modulo 3; the characters
 * that encode only the secret's bits are the same for each offset.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const out: string[] = []
  const full = b64(bytes)
  out.push(full, full.replace(/=+$/, ''))
  for (let k = 0; k < 3; k++) {
    const shifted = b64(Buffer.concat([Buffer.alloc(k), bytes]))
    const from = Math.ceil((8 * k) / 6)
    const to = Math.floor((8 * (k + bytes.length)) / 6)
    const core = shifted.slice(from, to)
    if (core.length >= 6) out.push(core)
  }
  return out.flatMap((s) => [s, urlSafe(s)])
}

interface Variant {
  text: string
  /** Base64 forms mask the whole base64 run they sit in (`user:token`). */
  b64: boolean
  /** The secret as written (not an encoding): searched in decoded views. */
  plain: boolean
}

/** Every string we search for when a secret is known. */
function variantsOf(secret: string): Variant[] {
  const forms = new Map<string, Variant>()
  const put = (text: string, b64 = false, plain = false): void => {
    if (text.length < MIN_SECRET_LENGTH) return
    const was = forms.get(text)
    forms.set(text, {
      text,
      b64: b64 || (was?.b64 ?? false),
      plain: plain || (was?.plain ?? false)
    })
  }
  const bases = new Set([secret, secret.trim()])
  const lines = secret
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
  if (lines.length > 1) {
    bases.add(lines.join('\n'))
    bases.add(lines.join('\r\n'))
    bases.add(lines.join(''))
    bases.add(lines.join(' '))
    for (const line of lines) {
      if (!PEM_BOUNDARY.test(line)) put(line, false, true)
    }
  }
  for (const base of bases) {
    if (base.length < MIN_SECRET_LENGTH) continue
    put(base, false, true)
    put(JSON.stringify(base).slice(1, -1))
    const uri = encodeURIComponent(base)
    put(uri)
    put(uri.replace(/%20/g, '+'))
    put(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))
    for (const f of base64Forms(base)) put(f, true)
  }
  return [...forms.values()]
}

const BASE64_CHAR = /[A-Za-z0-9+/_-]/

/** Where `v` occurs in `text`, as [start, end) pairs. */
function occurrences(text: string, v: string): [number, number][] {
  const found: [number, number][] = []
  if (v.length > text.length) return found
  for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + 1)) {
    found.push([i, i + v.length])
  }
  return found
}

/** Widens a base64 match to the whole run it sits in (`user:token`). */
function widenBase64(text: string, [s, e]: [number, number]): [number, number] {
  while (s > 0 && BASE64_CHAR.test(text[s - 1])) s--
  while (e < text.length && BASE64_CHAR.test(text[e])) e++
  while (e < text.length && text[e] === '=') e++
  return [s, e]
}

/**
 * Spans of every known secret: as printed, then in each decoded view of the
 * text (JSON `\uXXXX`, HTML entities, percent and `+`, wrapped base64), the
 * view's matches mapped back to the characters that spell them.
 */
function secretSpans(
  text: string,
  variants: readonly Variant[]
): [number, number][] {
  const spans: [number, number][] = []
  for (const { text: v, b64 } of variants) {
    for (const span of occurrences(text, v)) {
      spans.push(b64 ? widenBase64(text, span) : span)
    }
  }
  const plain = variants.filter((v) => v.plain || v.b64)
  for (const pass of PASSES) {
    if (!pass.needs(text)) continue
    // The cheap decoding first; the position map only when a secret is in.
    const decoded = decodeText(text, pass.kinds, pass.trigger)
    if (decoded === undefined) continue
    if (!plain.some((v) => decoded.includes(v.text))) continue
    const view = decodeEscapes(text, pass.kinds)
    if (view === undefined) continue
    for (const { text: v, b64 } of plain) {
      for (const [s, e] of occurrences(view.text, v)) {
        const span: [number, number] = [view.start[s], view.end[e - 1]]
        spans.push(b64 ? widenBase64(text, span) : span)
      }
    }
  }
  return spans
}

/** Masks every occurrence, including overlapping ones of different secrets. */
function maskKnown(text: string, variants: readonly Variant[]): string {
  if (variants.length === 0 || text.length === 0) return text
  const spans = secretSpans(text, variants)
  if (spans.length === 0) return text
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  let out = ''
  let pos = 0
  let [start, end] = spans[0]
  for (const [s, e] of spans.slice(1)) {
    if (s <= end) {
      end = Math.max(end, e)
      continue
    }
    out += text.slice(pos, start) + MASK
    pos = end
    ;[start, end] = [s, e]
  }
  return out + text.slice(pos, start) + MASK + text.slice(end)
}

// An absolute URL in free text; stops at whitespace, quotes and brackets.
const URL_IN_TEXT = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>`]+/g
// Query or fragment parameters, also in relative URLs (`/cb?code=...`).
const PARAM_IN_TEXT = /([?&#])([A-Za-z0-9_.%-]+)=([^&#\s"'<>`]*)/g
// "name": "value" and 'name': 'value' (JSON, Python reprs, JS objects).
const QUOTED_PAIR =
  /(["'])([A-Za-z0-9_.-]{1,100})\1(\s*[:=]\s*)(["'])((?:\\.|(?!\4)[^\\])*)\4/g
// The same inside a JSON string that holds JSON: \"token\":\"value\".
const ESCAPED_PAIR =
  /(\\["'])([A-Za-z0-9_.-]{1,100})\1(\s*[:=]\s*)(\\["'])((?:(?!\4)[^\r\n])*)\4/g
/*
 * The patterns below match only a name and its separator, and look ahead for
 * the value, so that a harmless name (`Error: ...`) does not swallow a
 * sensitive one later on the same line (`Error: Authorization: Bearer x`).
 */
// Header and YAML lines: `Authorization: Bearer xyz` up to the line end.
const HEADER_LINE =
  /(["']?)\b([A-Za-z][A-Za-z0-9_.-]*)([ \t]*:[ \t]*)(?=([^\r\n]+))/g
// Assignments: `GITHUB_TOKEN=ghp_x`, `--password=x`, `password = "x"`.
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)([ \t]*=(?!=)[ \t]*)(?=("[^"\r\n]*"|'[^'\r\n]*'|[^\s"'&;,]+))/g
// Long flags followed by a value: `--token abc`.
const FLAG_VALUE =
  /(?<=^|\s)(--[A-Za-z][A-Za-z0-9_-]*)([ \t]+)(?=([^\s-][^\s]*))/g

/**
 * Runs `re` (global, with a zero-width look-ahead for the value) and lets
 * `fn` replace the name, separator and `consumed` characters of value.
 */
function replaceAhead(
  text: string,
  re: RegExp,
  fn: (m: RegExpExecArray) => { text: string; consumed: number } | undefined
): string {
  re.lastIndex = 0
  let out = ''
  let pos = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const r = fn(m)
    if (r) {
      const end = m.index + m[0].length + r.consumed
      out += text.slice(pos, m.index) + r.text
      pos = end
      re.lastIndex = end
    } else if (m[0].length === 0) {
      re.lastIndex++
    }
  }
  return out + text.slice(pos)
}

function maskUserinfo(url: string): string {
  return url.replace(
    /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^\s/?#"'<>`]*)@/,
    (_m, scheme: string) => `${scheme}${MASK}@`
  )
}

function maskParams(text: string, exact: ReadonlySet<string>): string {
  return text.replace(
    PARAM_IN_TEXT,
    (m, sep: string, name: string, value: string) => {
      if (value === '' || value === MASK) return m
      if (isSensitiveParam(name) || exact.has(safeDecode(value))) {
        return `${sep}${name}=${MASK}`
      }
      return m
    }
  )
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

/** Path segments equal to a known secret, even a short one (`/hooks/T0k`). */
function maskPathSegments(url: string, exact: ReadonlySet<string>): string {
  if (exact.size === 0) return url
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(.*)$/s.exec(url)
  if (!m) return url
  const path = m[2]
    .split('/')
    .map((seg) => (seg !== '' && exact.has(safeDecode(seg)) ? MASK : seg))
    .join('/')
  return m[1] + path + m[3]
}

function maskAuthValue(value: string): string {
  const scheme = AUTH_SCHEME.exec(value)
  return scheme ? `${scheme[0]}${MASK}` : MASK
}

/**
 * Names the config defines (probes, metrics, the service) label results,
 * as in `auth-missing: HTTP 200`; they are never credential names, however
 * they are spelled, so the text after them stays readable. Known secret
 * values are masked wherever they appear all the same.
 */
type IsIdentifier = (name: string) => boolean

function identifierTest(ids: readonly string[]): IsIdentifier {
  const set = new Set(ids.filter((id) => id !== ''))
  if (set.size === 0) return () => false
  return (name) => {
    if (set.has(name)) return true
    // A qualified label: `smoke.auth-missing`, `canary/with-token`.
    const last = /[./›]([^./›]+)$/.exec(name)
    return last !== null && set.has(last[1])
  }
}

function maskQuotedPairs(text: string, isId: IsIdentifier): string {
  const mask = (
    m: string,
    q1: string,
    name: string,
    sep: string,
    q2: string,
    value: string
  ): string => {
    if (value === '' || !isSensitiveName(name) || isId(name)) return m
    return `${q1}${name}${q1}${sep}${q2}${maskAuthValue(value)}${q2}`
  }
  return text.replace(QUOTED_PAIR, mask).replace(ESCAPED_PAIR, mask)
}

function maskHeaderLines(text: string, isId: IsIdentifier): string {
  return replaceAhead(text, HEADER_LINE, (m) => {
    const [head, quote, name, , rest] = m
    if (!isSensitiveName(name) || isId(name)) return undefined
    // Inside a quoted string the value ends at the closing quote.
    const end = quote ? rest.indexOf(quote) : -1
    const value = end >= 0 ? rest.slice(0, end) : rest
    if (value.trim() === '' || value.trim() === MASK) return undefined
    return { text: `${head}${maskAuthValue(value)}`, consumed: value.length }
  })
}

function maskAssignments(text: string, isId: IsIdentifier): string {
  const assigned = replaceAhead(text, ASSIGNMENT, (m) => {
    const [head, name, , value] = m
    if (!isSensitiveName(name) || isId(name) || value === MASK) return undefined
    const q = value[0] === '"' || value[0] === "'" ? value[0] : ''
    if (q && value.length <= 2) return undefined
    return { text: `${head}${q}${MASK}${q}`, consumed: value.length }
  })
  return replaceAhead(assigned, FLAG_VALUE, (m) => {
    const [head, name, , value] = m
    if (value === MASK || !isSensitiveName(name)) return undefined
    if (isId(name.replace(/^--/, ''))) return undefined
    if (words(name).some((w) => REFERENCE_WORDS.has(w))) return undefined
    return { text: `${head}${MASK}`, consumed: value.length }
  })
}

export interface RedactorOptions {
  /**
   * Names the config defines (probe, metric, service names): text after
   * them is not taken for a credential because the name contains `token`.
   */
  identifiers?: readonly string[]
  /**
   * False for a redactor of known values only, applied after the run's
   * (which already masked the secret-shaped fragments).
   */
  shapes?: boolean
}

/**
 * Built once per run from the secrets the config references, so every
 * surface that prints text shares the same list and the same rules.
 */
export function createRedactor(
  secrets: readonly string[],
  options: RedactorOptions = {}
): Redactor {
  const isId = identifierTest(options.identifiers ?? [])
  const shapes = options.shapes ?? true
  const exact = new Set<string>()
  const known = new Set<string>()
  let variants: Variant[] | undefined

  const list = (): Variant[] => {
    if (!variants) {
      const all = new Map<string, Variant>()
      for (const s of known) {
        for (const v of variantsOf(s)) {
          const was = all.get(v.text)
          all.set(v.text, {
            text: v.text,
            b64: v.b64 || !!was?.b64,
            plain: v.plain || !!was?.plain
          })
        }
      }
      // Longest first, so a secret that contains another is masked whole.
      variants = [...all.values()].sort((a, b) => b.text.length - a.text.length)
    }
    return variants
  }

  const add = (secret: string): void => {
    if (typeof secret !== 'string' || secret === '') return
    exact.add(secret)
    if (secret.trim() !== '') exact.add(secret.trim())
    if (secret.trim().length >= MIN_SECRET_LENGTH) {
      known.add(secret)
      variants = undefined
    }
  }
  for (const s of secrets) add(s)

  const urlParts = (url: string): string =>
    maskParams(maskPathSegments(maskUserinfo(url), exact), exact)

  const redact = (text: string): string => {
    if (typeof text !== 'string' || text === '') return text
    let out = maskKnown(text, list())
    out = out.replace(URL_IN_TEXT, urlParts)
    out = maskParams(out, exact)
    if (!shapes) return out
    out = maskQuotedPairs(out, isId)
    out = maskHeaderLines(out, isId)
    return maskAssignments(out, isId)
  }

  const redactUrl = (url: string): string => {
    if (typeof url !== 'string' || url === '') return url
    return urlParts(maskKnown(url, list()))
  }

  const redactHeaders = (h: Record<string, string>): Record<string, string> => {
    const out: Record<string, string> = {}
    for (const [name, value] of Object.entries(h)) {
      const v = String(value)
      if (isSensitiveHeader(name)) {
        out[name] = v === '' ? v : maskAuthValue(v)
      } else if (exact.has(v) || exact.has(v.trim())) {
        out[name] = MASK
      } else {
        out[name] = redact(v)
      }
    }
    return out
  }

  return { redact, redactUrl, redactHeaders, add }
}
