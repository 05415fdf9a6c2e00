/**
 * Redirects with origin rules: which statuses redirect, where a redirect
 * may go (the original host or an allowed one), and what of the request
 * travels with it: credentials only to the same origin (scheme, host and
 * port, as browsers and curl since CVE-2022-27776 compare), never to
 * another port of the same host nor down from https to http.
 */

/** Statuses that carry a Location to follow. */
export const REDIRECTS = new Set([301, 302, 303, 307, 308])

const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']

/** What is sent on one hop; a redirect derives the next one from it. */
export interface Hop {
  url: URL
  method: string
  /** Lower-case names. */
  headers: Record<string, string>
  body?: string
  /**
   * Lower-case names of configured headers whose value came from a secret;
   * they travel only where `Authorization` may.
   */
  secretHeaders?: readonly string[]
}

/**
 * Same origin means same scheme, host and port (the URL parser fills in
 * default ports, so `https://a` and `https://a:443` are one origin).
 */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.origin !== 'null'
}

function sameHostOrAllowed(
  target: URL,
  origin: URL,
  allowHosts: string[]
): boolean {
  const host = target.hostname.toLowerCase()
  if (host === origin.hostname.toLowerCase()) return true
  return allowHosts.some((h) => {
    const a = h.trim().toLowerCase()
    return a === host || a === target.host.toLowerCase()
  })
}

/**
 * Decides where a redirect may go. Another host is refused unless allowed,
 * and credentials (plus headers that carry a secret) travel only to the
 * origin that received them: not to another port, host or scheme.
 */
export function redirectHop(
  hop: Hop,
  status: number,
  location: string,
  origin: URL,
  allowHosts: string[]
): { next: Hop } | { refused: string } {
  let url: URL
  try {
    url = new URL(location, hop.url)
  } catch {
    return { refused: 'redirect to an invalid location' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { refused: `redirect to unsupported scheme '${url.protocol}'` }
  }
  if (!sameHostOrAllowed(url, origin, allowHosts)) {
    return {
      refused: `redirect to '${url.host}' refused: host not in allow-hosts`
    }
  }
  const headers = { ...hop.headers }
  // Compared with the hop that redirected: once credentials are dropped they
  // never come back, even on a later hop back to the first origin.
  if (!sameOrigin(url, hop.url)) {
    for (const h of CREDENTIAL_HEADERS) delete headers[h]
    for (const h of hop.secretHeaders ?? []) delete headers[h.toLowerCase()]
  }
  let { method, body } = hop
  if (
    (status === 303 && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  ) {
    method = 'GET'
    body = undefined
    delete headers['content-type']
    delete headers['content-length']
  }
  return {
    next: {
      url,
      method,
      headers,
      body,
      ...(hop.secretHeaders ? { secretHeaders: hop.secretHeaders } : {})
    }
  }
}
