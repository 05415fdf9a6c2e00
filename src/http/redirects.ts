/**
 * Redirects with origin rules: which statuses redirect, where a redirect
 * may go (the original host or an allowed one), and what of the request
 * travels with it (never credentials to another host or down to http).
 */

/** Statuses that carry a Location to follow. */
export const REDIRECTS = new Set([301, 302, 303, 307, 308])

const CROSS_HOST_STRIP = ['authorization', 'cookie', 'proxy-authorization']

/** What is sent on one hop; a redirect derives the next one from it. */
export interface Hop {
  url: URL
  method: string
  headers: Record<string, string>
  body?: string
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
 * and credentials never travel to another host or from https down to http.
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
  const crossHost =
    url.hostname.toLowerCase() !== hop.url.hostname.toLowerCase() ||
    (hop.url.protocol === 'https:' && url.protocol === 'http:')
  if (crossHost) for (const h of CROSS_HOST_STRIP) delete headers[h]
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
  return { next: { url, method, headers, body } }
}
