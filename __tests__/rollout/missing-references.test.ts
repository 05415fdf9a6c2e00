/**
 * Every `${secrets.X}` and `${env.X}` a run will render is resolved before
 * any gate changes anything: an unset one fails preflight, named with every
 * place it is used, and no command runs (marker files prove it).
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../src/cli.js'
import { ConfigSchema } from '../../src/config/schema.js'
import {
  missingReason,
  missingReferences
} from '../../src/rollout/gates/preflight-refs.js'

async function cli(
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runCli(argv, {
    out: (t) => {
      out += t
    },
    err: (t) => {
      err += t
    }
  })
  return { code, out, err }
}

/** Names no runner sets, so the test does not depend on the environment. */
const TOKEN = 'DG_T13_API_TOKEN'
const HOOK = 'DG_T13_HOOK'
const PATH_ENV = 'DG_T13_PATH'
const BASE = 'DG_T13_BASE'
const UNUSED = 'DG_T13_UNUSED'

function rollout(dir: string, preflight = ''): string {
  const file = join(dir, 'deploy-gates.yml')
  writeFileSync(
    file,
    `version: 1
service: api
environment: staging
vars:
  base: http://127.0.0.1:9/\${env.${BASE}}
probes:
  api:
    http:
      url: \${vars.base}/health
      headers:
        Authorization: Bearer \${secrets.${TOKEN}}
  page:
    http:
      url: http://127.0.0.1:9/\${env.${PATH_ENV}}
      headers:
        X-Key: \${secrets.${TOKEN}}
  unused:
    http:
      url: http://127.0.0.1:9/\${secrets.${UNUSED}}
gates:${preflight}
  migrate:
    run: touch "${join(dir, 'migrated')}"
  deploy:
    run: touch "${join(dir, 'deployed')}"
  health:
    probes: [api]
    within: 2s
  smoke:
    probes: [page]
notify:
  webhook:
    url: https://hooks.test/\${secrets.${HOOK}}
    headers:
      X-Run: \${env.${PATH_ENV}}
`
  )
  return file
}

describe('missing references fail preflight before anything changes', () => {
  it('names every missing reference in one reason and runs no command (CLI)', async () => {
    for (const n of [TOKEN, HOOK, PATH_ENV, BASE, UNUSED]) {
      expect(process.env[n]).toBeUndefined()
    }
    const dir = mkdtempSync(join(tmpdir(), 'dg-refs-'))
    const config = rollout(dir)
    const r = await cli(
      'run',
      '-c',
      config,
      '--version',
      'v2',
      '--report-dir',
      join(dir, 'reports')
    )
    expect(r.code).toBe(1)
    expect(existsSync(join(dir, 'migrated'))).toBe(false)
    expect(existsSync(join(dir, 'deployed'))).toBe(false)
    const reason =
      `secrets and environment variables not set: ` +
      `env.${BASE} (probes.api.http.url via vars.base), ` +
      `secrets.${TOKEN} (probes.api.http.headers.Authorization, probes.page.http.headers.X-Key), ` +
      `env.${PATH_ENV} (probes.page.http.url, notify.webhook.headers.X-Run), ` +
      `secrets.${HOOK} (notify.webhook.url); ` +
      `map them in the step's env: before the rollout starts`
    expect(r.out).toContain(`failed at preflight: ${reason}`)
    expect(r.out).toContain(
      `failed at preflight: ${reason}; nothing was changed\nreports: `
    )
    expect(r.out).not.toContain(UNUSED)
    expect(r.out).not.toContain('── migrate')
  }, 30_000)

  it('keeps a listed secret to one mention, with where it is used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-refs-'))
    const config = rollout(dir, `\n  preflight:\n    secrets: [${TOKEN}]`)
    const r = await cli('run', '-c', config, '--report-dir', join(dir, 'r'))
    expect(r.code).toBe(1)
    expect(existsSync(join(dir, 'migrated'))).toBe(false)
    const line = r.out.split('\n').find((l) => l.includes('failed at'))
    expect(line?.split(TOKEN)).toHaveLength(2)
  }, 30_000)
})

describe('missingReferences', () => {
  const config = ConfigSchema.parse({
    version: 1,
    service: 'api',
    environment: 'staging',
    vars: { key: '${secrets.K}' },
    probes: {
      a: { http: { url: 'http://127.0.0.1:9/${env.A}' } },
      b: {
        http: {
          url: 'http://127.0.0.1:9/',
          headers: { 'X-Key': '${vars.key}', 'X-Lit': '$${secrets.NOT}' }
        }
      },
      v: { http: { url: 'http://127.0.0.1:9/${secrets.V}' } }
    },
    gates: {
      deploy: { run: 'true' },
      health: { probes: ['a'] },
      smoke: { probes: ['b'] },
      canary: {
        traffic: { http: { url: 'http://127.0.0.1:9/${secrets.SHIFT}' } },
        steps: [{ weight: 50 }],
        analysis: {
          tracks: { canary: { key: '${secrets.CANARY_K}' } },
          metrics: {
            rate: {
              prometheus: {
                url: 'http://127.0.0.1:9/',
                query: 'up{job="${env.JOB}"}'
              },
              fail: '> 1'
            }
          }
        }
      }
    },
    rollback: { verify: ['v'] }
  })

  it('takes only what the selected gates render, vars and tracks included', () => {
    expect(missingReferences(config, {}, ['smoke'])).toEqual([
      {
        ref: 'secrets.K',
        at: ['probes.b.http.headers.X-Key via vars.key']
      },
      {
        ref: 'secrets.CANARY_K',
        at: [
          'probes.b.http.headers.X-Key via gates.canary.analysis.tracks.canary.key'
        ]
      }
    ])
    expect(missingReferences(config, {}, ['health']).map((m) => m.ref)).toEqual(
      ['env.A']
    )
    expect(
      missingReferences(config, {}, ['deploy', 'canary']).map((m) => m.ref)
    ).toEqual(['secrets.V', 'env.JOB', 'secrets.SHIFT'])
  })

  it('counts an empty value as missing and a set one as present', () => {
    expect(
      missingReferences(config, { A: '' }, ['health']).map((m) => m.ref)
    ).toEqual(['env.A'])
    expect(missingReferences(config, { A: 'x' }, ['health'])).toEqual([])
  })

  it('caps the places named per reference', () => {
    expect(
      missingReason([
        { ref: 'env.X', at: ['a', 'b', 'c', 'd', 'e'] },
        { ref: 'env.Y', at: ['f'] }
      ])
    ).toBe(
      "environment variables not set: env.X (a, b, c and 2 more), env.Y (f); map them in the step's env: before the rollout starts"
    )
  })
})
