/**
 * Secrets too short to mask (under 4 characters) are not masked in free
 * text, since `ab` would garble every line; each is named once in a
 * warning that never quotes the value. Probe and metric names feed the
 * redactor so they read as labels.
 */
import { describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/config/load.js'
import { shortSecretWarnings } from '../../src/app/secrets.js'
import { configIdentifiers } from '../../src/redact/identifiers.js'
import { createRedactor } from '../../src/redact/redactor.js'
import type { Config } from '../../src/config/schema.js'

const YAML = `version: 1
service: api
environment: staging
probes:
  with-token:
    http:
      url: 'https://example.test/x?k=\${secrets.PIN}'
      headers: { Authorization: 'Bearer \${secrets.API_TOKEN}' }
gates:
  preflight:
    secrets: [LISTED, PIN]
  smoke:
    probes: [with-token]
`

function config(): Config {
  const r = parseConfig(YAML, 'deploy-gates.yml')
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.config
}

describe('short secrets', () => {
  it('names each short secret once and never its value', () => {
    const warnings = shortSecretWarnings(config(), {
      PIN: '7x',
      API_TOKEN: 'long-enough-token',
      LISTED: ' a '
    })
    expect(warnings).toEqual([
      "secret 'PIN' is shorter than 4 characters and cannot be masked safely in logs and reports; use a longer secret",
      "secret 'LISTED' is shorter than 4 characters and cannot be masked safely in logs and reports; use a longer secret"
    ])
  })

  it('says nothing when every secret is long enough or unset', () => {
    expect(shortSecretWarnings(config(), { PIN: '1234' })).toEqual([])
  })

  it('leaves a short secret in free text but masks it as a whole value', () => {
    const r = createRedactor(['7x'])
    expect(r.redact('version 7x of 17x')).toBe('version 7x of 17x')
    expect(r.redact('GET /hooks/7x?k=7x&n=1')).toBe('GET /hooks/7x?k=***&n=1')
    expect(r.redactUrl('https://h.test/hooks/7x')).toBe(
      'https://h.test/hooks/***'
    )
  })
})

describe('configIdentifiers', () => {
  it('lists the service and the probe names', () => {
    expect(configIdentifiers(config())).toEqual(['api', 'with-token'])
  })
})
