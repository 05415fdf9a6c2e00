/**
 * Self-signed certificates for HTTPS tests, made by the openssl CLI into a
 * temporary directory: node:crypto cannot issue X.509 certificates.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestCert {
  key: string
  cert: string
}

/** True when the openssl CLI can be run on this machine. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * A self-signed P-256 certificate for `localhost` and 127.0.0.1, valid for
 * `days` from now. It is its own CA, so passing `cert` as a trusted CA makes
 * a client accept it.
 */
export function makeSelfSignedCert(days: number): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'dg-cert-'))
  try {
    const keyPath = join(dir, 'key.pem')
    const certPath = join(dir, 'cert.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        String(days),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1'
      ],
      { stdio: 'ignore' }
    )
    return {
      key: readFileSync(keyPath, 'utf8'),
      cert: readFileSync(certPath, 'utf8')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
