/**
 * The `min-days-valid` rule: whether the certificate a server showed is far
 * enough from expiry. A certificate close to expiry is a finding, not a
 * transport failure: the answer itself was fine.
 */
import type { PeerCertificate } from './sockets.js'

const DAY_MS = 86_400_000

/**
 * Expiry of the last full certificate seen per host, for dispatchers that
 * resume TLS sessions (ours do not): a resumed session shows no certificate.
 */
const certExpiry = new Map<string, number>()

/** The reason a certificate fails `minDays`, or undefined when it passes. */
export function checkCertificate(
  peer: PeerCertificate | undefined,
  url: URL,
  minDays: number,
  now: number
): string | undefined {
  if (!peer?.tls) {
    return 'cannot check certificate expiry: the TLS connection is not observable'
  }
  const key = `${url.hostname}:${url.port}`
  let validTo = peer.validTo
  if (Number.isFinite(validTo)) certExpiry.set(key, validTo)
  else if (peer.resumed) validTo = certExpiry.get(key) ?? NaN
  if (!Number.isFinite(validTo)) {
    return 'cannot check certificate expiry: the server sent no certificate (resumed TLS session)'
  }
  const left = validTo - now
  if (left >= minDays * DAY_MS) return undefined
  const date = new Date(validTo).toISOString().slice(0, 10)
  const name = `certificate for '${url.hostname}'`
  if (left <= 0) return `${name} expired on ${date}`
  const days = Math.round(left / DAY_MS)
  const inText =
    left < DAY_MS
      ? `${Math.max(1, Math.round(left / 3_600_000))}h`
      : `${days} day${days === 1 ? '' : 's'}`
  return `${name} expires in ${inText} (${date}), below min-days-valid ${minDays}`
}
