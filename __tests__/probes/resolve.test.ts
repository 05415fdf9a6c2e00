import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import { PROBE_DEFAULTS, resolveProbe } from '../../src/probes/resolve.js'
import { ROOT } from '../helpers/action.js'

function design(): Config {
  const text = readFileSync(
    join(ROOT, '__tests__/fixtures/valid/design.yml'),
    'utf8'
  )
  const r = parseConfig(text, 'design.yml')
  if (!r.ok) throw new Error('fixture must be valid')
  return r.config
}

const config = design()
const values = {
  vars: config.vars,
  env: { SMOKE_TOKEN: 'tok-3f9a8b7c6d' },
  builtins: { version: 'v2.4.0', track: 'canary' }
}
const noFile = (): string => {
  throw Object.assign(new Error('nope'), { code: 'ENOENT' })
}

describe('resolveProbe', () => {
  it('renders an HTTP probe with defaults and parsed expectations', () => {
    const r = resolveProbe('version', config.probes.version, {
      values,
      readFile: noFile
    })
    expect(r).toMatchObject({
      ok: true,
      spec: {
        kind: 'http',
        url: 'https://staging.example.com/monitoring/version',
        method: 'GET',
        timeouts: {
          connectMs: PROBE_DEFAULTS.http.connectMs,
          totalMs: PROBE_DEFAULTS.http.totalMs
        },
        retry: { attempts: 1 },
        expect: { json: { version: 'v2.4.0' } }
      }
    })
  })

  it('returns the secrets it rendered so they can be masked', () => {
    const r = resolveProbe('match', config.probes.match, {
      values,
      readFile: noFile
    })
    expect(r.ok && r.secrets).toEqual(['tok-3f9a8b7c6d'])
    expect(r.ok && r.spec.kind === 'http' && r.spec.headers).toEqual({
      Authorization: 'Bearer tok-3f9a8b7c6d'
    })
  })

  it('names a missing secret and never renders an empty one', () => {
    const r = resolveProbe('match', config.probes.match, {
      values: { ...values, env: {} },
      readFile: noFile
    })
    expect(r).toEqual({
      ok: false,
      error:
        "probe 'match' header 'Authorization': secret 'SMOKE_TOKEN' is not set (referenced as '${secrets.SMOKE_TOKEN}')"
    })
  })

  it('renders the WebSocket conversation step by step', () => {
    const r = resolveProbe('live', config.probes.live, {
      values,
      readFile: noFile
    })
    expect(r.ok && r.spec.kind === 'websocket' && r.spec.steps).toEqual([
      {
        kind: 'receive',
        withinMs: 5000,
        json: { type: 'connection_established' }
      },
      { kind: 'send', json: { action: 'subscribe', match: 'test-match' } },
      { kind: 'receive', withinMs: 5000, json: { type: 'match-update' } },
      { kind: 'send', json: { action: 'unsubscribe', match: 'test-match' } },
      { kind: 'silence', forMs: 3000, json: { match: 'test-match' } }
    ])
  })

  it('checks a URL whose scheme comes from the environment when rendered', () => {
    const r = parseConfig(
      `version: 1\nservice: a\nenvironment: s\nprobes:\n  p:\n    http: { url: '\${env.TARGET}/x' }\n`,
      'c.yml'
    )
    if (!r.ok)
      throw new Error('must load: the scheme is unknown until run time')
    const bad = resolveProbe('p', r.config.probes.p, {
      values: { vars: {}, env: { TARGET: 'file:///etc' }, builtins: {} },
      readFile: noFile
    })
    expect(bad).toEqual({
      ok: false,
      error:
        "probe 'p' url: URL scheme 'file:' is not allowed here (use http:// or https://)"
    })
  })

  it('reads the CA file named in tls.ca, or says why it cannot', () => {
    const r = parseConfig(
      `version: 1\nservice: a\nenvironment: s\nprobes:\n  p:\n    http: { url: 'https://x.example.com', tls: { ca: certs/ca.pem, min-days-valid: 14 } }\n`,
      'c.yml'
    )
    if (!r.ok) throw new Error('fixture')
    const ok = resolveProbe('p', r.config.probes.p, {
      values,
      readFile: (p) => `PEM of ${p}`
    })
    expect(ok.ok && ok.spec.kind === 'http' && ok.spec.tls).toEqual({
      insecure: false,
      ca: 'PEM of certs/ca.pem',
      minDaysValid: 14
    })
    const missing = resolveProbe('p', r.config.probes.p, {
      values,
      readFile: noFile
    })
    expect(missing).toEqual({
      ok: false,
      error: "probe 'p' tls.ca: cannot read 'certs/ca.pem' (ENOENT)"
    })
  })
})
