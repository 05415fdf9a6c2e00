/**
 * A probe named like a credential (`with-token`, `auth-missing`, as in the
 * shipped streaming example) keeps its name and reason on the CLI's result
 * line and in its reports: masking is for values, not names. Runs the
 * committed bin and bundle as a user does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './helpers/action.js'

const TOKEN = 'smk_jwt_8d7c6b5a4f3e2d1c'

let server: Server
let port: number

beforeAll(async () => {
  server = createServer((req, res) => {
    // Unauthenticated requests are let in (the bug auth-missing catches);
    // the authenticated one finds the service down.
    const authed = req.headers.authorization === `Bearer ${TOKEN}`
    res.writeHead(authed ? 503 : 200, { 'content-type': 'text/plain' })
    res.end(authed ? `down; your token ${TOKEN}` : 'welcome')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})

afterAll(() => {
  server.close()
})

function runBin(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'deploy-gates.js'), ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } }
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('close', (code) => resolve({ code, out }))
  })
}

describe('probe names with token or auth in them', () => {
  it('reads as written on the result line and in the reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-names-'))
    const config = join(dir, 'deploy-gates.yml')
    writeFileSync(
      config,
      `version: 1
service: api
environment: staging
probes:
  with-token:
    http:
      url: http://127.0.0.1:${port}/me
      headers: { Authorization: 'Bearer \${secrets.SMOKE_JWT}' }
      expect: { status: 200 }
  auth-missing:
    http:
      url: http://127.0.0.1:${port}/me
      expect: { status: 401 }
gates:
  deploy:
    run: echo deployed
  smoke:
    probes: [auth-missing, with-token]
rollback:
  run: echo rolled back
`
    )
    const reports = join(dir, 'reports')
    const r = await runBin(
      [
        'run',
        '-c',
        config,
        '--version',
        'v2',
        '--previous-version',
        'v1',
        '--report-dir',
        reports
      ],
      { SMOKE_JWT: TOKEN }
    )
    expect(r.code).toBe(1)
    const result = r.out.split('\n').find((l) => l.startsWith('rolled-back'))
    expect(result).toMatch(
      /^rolled-back at smoke: auth-missing: expected status 401, got 200; with-token: expected status 200, got 503;/
    )
    expect(result).not.toContain('***')
    const md = readFileSync(join(reports, 'report.md'), 'utf8')
    const json = readFileSync(join(reports, 'report.json'), 'utf8')
    for (const text of [r.out, md, json]) {
      expect(text).toMatch(/auth-missing: expected status 401, got 200/)
      expect(text).toMatch(/with-token: expected status 200, got 503/)
      expect(text).not.toMatch(/(auth-missing|with-token): \*\*\*/)
      // the secret itself stays masked
      expect(text).not.toContain(TOKEN)
    }
  }, 60_000)
})
