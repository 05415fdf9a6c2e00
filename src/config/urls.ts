/**
 * Static safety checks of URLs and header values, done at load time with the
 * config's vars filled in. Values known only at run time (secrets, version)
 * are replaced by placeholders; a URL whose scheme or host comes from such a
 * value is checked again when it is rendered.
 */
import { parseTemplate } from './interpolate.js'

export type UrlKind = 'http' | 'websocket' | 'socket.io'

const SCHEMES: Record<UrlKind, string[]> = {
  http: ['http:', 'https:'],
  websocket: ['ws:', 'wss:'],
  'socket.io': ['http:', 'https:', 'ws:', 'wss:']
}

export const MAX_URL_LENGTH = 8192

/**
 * Fills `${vars.X}` with its value and every other reference with a marker,
 * so the result can be parsed as a URL. Returns undefined when a reference
 * decides the scheme or host (nothing static to check).
 */
export function expandStatic(
  template: string,
  vars: Readonly<Record<string, string>>
): string | undefined {
  const parsed = parseTemplate(template)
  if (!parsed.ok) return undefined
  let out = ''
  const parts = parsed.parts
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]
    if (p.kind === 'text') out += p.text
    else if (p.kind === 'ref' && p.ns === 'vars') {
      const v = vars[p.name]
      if (v === undefined) return undefined
      const inner = expandStatic(v, {})
      if (inner === undefined) return undefined
      out += inner
    } else {
      const hostDone = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*[/?#]/i.test(out)
      if (!hostDone) {
        const rest = parts
          .slice(i + 1)
          .map((q) => (q.kind === 'text' ? q.text : 'x0'))
          .join('')
        const inUserinfo =
          /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*$/i.test(out) &&
          /^[^/?#]*@/.test(rest)
        // A reference in the scheme or host: nothing static to check.
        if (!inUserinfo) return undefined
      }
      out += 'x0'
    }
  }
  return out
}

function rawHost(url: string): {
  host: string
  port?: string
  userinfo?: string
} {
  const afterScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  const authority = afterScheme.split(/[/?#]/)[0]
  const at = authority.lastIndexOf('@')
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)
  return { host: m?.[1] ?? hostPort, port: m?.[2], userinfo }
}

const OBFUSCATED_IP = /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}$/i

function isObfuscatedIp(host: string): boolean {
  if (!OBFUSCATED_IP.test(host)) return false
  const parts = host.split('.')
  if (parts.length !== 4) return true
  return parts.some(
    (p) => /^0x/i.test(p) || (p.length > 1 && p.startsWith('0'))
  )
}

/**
 * Returns why a URL template is unsafe or invalid, or undefined when it is
 * fine (or cannot be judged before run time).
 */
export function checkUrl(
  template: string,
  kind: UrlKind,
  vars: Readonly<Record<string, string>>,
  opts: { allowUserinfo?: boolean } = {}
): string | undefined {
  if (template.length > MAX_URL_LENGTH) {
    return `URL is ${template.length} characters long; the limit is ${MAX_URL_LENGTH}`
  }
  const expanded = expandStatic(template, vars)
  if (expanded === undefined) return undefined
  const shown = expanded.length > 80 ? `${expanded.slice(0, 77)}...` : expanded
  if (expanded.length > MAX_URL_LENGTH) {
    return `URL is ${expanded.length} characters long; the limit is ${MAX_URL_LENGTH}`
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(expanded)?.[1]?.toLowerCase()
  const allowed = SCHEMES[kind]
  if (!scheme || !allowed.includes(`${scheme}:`)) {
    return `URL scheme '${scheme ? `${scheme}:` : shown}' is not allowed here (use ${allowed.map((s) => `${s}//`).join(' or ')})`
  }
  const { host, port, userinfo } = rawHost(expanded)
  if (userinfo !== undefined && !opts.allowUserinfo) {
    const rawInfo = rawHost(template).userinfo ?? ''
    const onlySecrets = /^(\$\{secrets\.[A-Za-z0-9_-]+\}:?)+$/.test(rawInfo)
    if (!onlySecrets) {
      return `URL '${shown.replace(userinfo, '***')}' has credentials before '@'; that hides the real host and leaks them into logs (send credentials in a header with \${secrets.NAME})`
    }
  }
  if (
    port !== undefined &&
    port !== '' &&
    (!/^\d+$/.test(port) || Number(port) > 65535)
  ) {
    return `port '${port}' is out of range (1-65535)`
  }
  if (isObfuscatedIp(host)) {
    return `host '${host}' is an IP address in hex, octal or integer form; write it as a dotted decimal address`
  }
  try {
    new URL(expanded)
  } catch {
    return `invalid URL '${shown}'`
  }
  return undefined
}

/** Header values must not smuggle extra headers or requests. */
export function checkHeaderValue(
  value: string,
  vars: Readonly<Record<string, string>>
): string | undefined {
  const expanded = expandStatic(value, vars) ?? value
  if (/[\r\n\0]/.test(expanded)) {
    return 'header value contains a line break or NUL, which would split the request'
  }
  return undefined
}
