/**
 * A second signal during the rollback's verify: a real CLI process, a
 * verify probe that never turns healthy (5 minutes of `within`, three
 * attempts), SIGTERM to start the rollback and SIGTERM again while verify
 * waits. The process must exit at once, saying what it left undone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../helpers/action.js'
import { startServer, type TestServer } from '../helpers/http-servers.js'
import { exited, until } from '../helpers/process.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer((req, res) => {
    res.writeHead(req.url === '/up' ? 200 : 503)
    res.end()
  })
})
afterAll(async () => {
  await server.close()
})

describe('a second signal during rollback verify', () => {
  it('stops waiting, exits, and names what was not verified', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-second-signal-'))
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      `version: 1
service: api
environment: staging
probes:
  up: { http: { url: '${server.origin}/up' } }
  down: { http: { url: '${server.origin}/down' } }
gates:
  deploy:
    run: echo deployed >> log.txt
  health:
    probes: [up]
    within: 5m
    interval: 1s
  smoke:
    tests:
      - run: touch smoke-started && sleep 300
rollback:
  run: echo rolled back >> log.txt
  verify: [down]
  attempts: 3
`
    )
    const child = spawn(
      process.execPath,
      [
        '--import',
        join(ROOT, 'scripts/ts-hooks.mjs'),
        '--no-warnings',
        join(ROOT, '__tests__/fixtures/cli-source.mjs'),
        'run',
        '-c',
        'deploy-gates.yml',
        '--previous-version',
        'v1',
        '--report-dir',
        'reports'
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const verifyRequests = (): number =>
      server.seen.filter((s) => s.url === '/down').length
    await until(() => existsSync(join(dir, 'smoke-started')), 90_000)
    child.kill('SIGTERM')
    await until(() => verifyRequests() >= 2, 30_000)
    const second = Date.now()
    child.kill('SIGTERM')
    const code = await exited(child)
    // Bounded by the signal, not by 3 x 5 minutes of verify (a wide
    // margin for a busy machine; the wait it replaces is 15 minutes).
    expect(Date.now() - second).toBeLessThan(60_000)
    expect(code).toBe(1)
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe(
      'deployed\nrolled back\n'
    )
    const why =
      'rollback verify cut short by a second SIGTERM: down not verified (2 more attempts not made)'
    expect(out).toContain('SIGTERM received: stopping the rollout')
    expect(out).toContain('second SIGTERM received')
    expect(out).toContain(`rollback-failed at smoke: `)
    expect(out).toContain(why)
    const report = JSON.parse(
      readFileSync(join(dir, 'reports', 'report.json'), 'utf8')
    ) as { result: string; reason: string }
    expect(report.result).toBe('rollback-failed')
    expect(report.reason).toContain(why)
  }, 180_000)
})
