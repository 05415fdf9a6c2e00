/**
 * Keeping credentials out of messages: URLs as reasons may quote them, and
 * maskers for the secrets a request carries in its URL and headers, so a
 * server that echoes its request back cannot leak them into a report.
 */

const MASK = '***'

/** A URL as reasons may quote it: no userinfo, no query, no fragment. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return url.replace(/[?#].*$/s, '').replace(/\/\/[^/@]*@/, '//')
  }
}

const SECRET_NAME =
  /token|key|secret|auth|pass|pwd|sig|session|jwt|code|credential|ticket|cookie/i

/**
 * Finds the credentials a connection is made with in the URL (password,
 * query values with a secret-looking name or of token length) and in
 * secret-looking headers, and returns a function that masks them; the
 * caller's own redaction runs after it.
 */
export function credentialScrubber(
  url: string,
  headers: Record<string, string>
): (text: string) => string {
  const secrets = new Set<string>()
  const add = (value: string | undefined): void => {
    if (value !== undefined && value.length >= 4) {
      secrets.add(value)
      const decoded = safeDecode(value)
      if (decoded.length >= 4) secrets.add(decoded)
      secrets.add(encodeURIComponent(decoded))
    }
  }
  try {
    const u = new URL(url)
    add(u.password)
    for (const [name, value] of u.searchParams) {
      if (SECRET_NAME.test(name) || value.length >= 20) add(value)
    }
  } catch {
    // an unparsable URL is reported without its query anyway
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_NAME.test(name)) continue
    add(value)
    const scheme = /^\S+\s+(\S.*)$/.exec(value)
    if (scheme) add(scheme[1])
  }
  return masker([...secrets])
}

const SENSITIVE =
  /auth|token|key|secret|pass|pwd|sig|cookie|session|credential/i

/**
 * The masker of a request's reasons and excerpts: the URL password, query
 * values and header values under a sensitive name (and the credential
 * after an `Authorization` scheme), then the caller's `redact`. Narrower
 * than `credentialScrubber`: a long query value that names no secret stays
 * readable in an excerpt.
 */
export function requestCleaner(
  req: { url: string; headers: Record<string, string> },
  redact: (s: string) => string
): (s: string) => string {
  const found = new Set<string>()
  const add = (v: string | null | undefined): void => {
    if (!v || v.length < 4) return
    found.add(v)
    found.add(encodeURIComponent(v))
  }
  for (const [name, value] of Object.entries(req.headers)) {
    if (!SENSITIVE.test(name)) continue
    add(value)
    const scheme = /^\s*[\w-]+\s+(\S+)\s*$/.exec(value)
    if (scheme) add(scheme[1])
  }
  try {
    const u = new URL(req.url)
    if (u.password) add(decodeURIComponent(u.password))
    for (const [name, value] of u.searchParams) {
      if (SENSITIVE.test(name)) add(value)
    }
  } catch {
    // An invalid URL is reported without quoting it.
  }
  const mask = masker([...found])
  return (s) => mask(redact(s))
}

/** Masks every secret, longest first so a secret inside another goes too. */
function masker(secrets: string[]): (text: string) => string {
  const ordered = [...secrets].sort((a, b) => b.length - a.length)
  return (text) => ordered.reduce((acc, s) => acc.split(s).join(MASK), text)
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
