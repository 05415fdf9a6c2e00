/**
 * The CLI in-process (exit codes and output) and through the committed bin,
 * which loads the bundled dist/cli/index.js.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, USAGE } from '../src/cli.js'
import { ROOT } from './helpers/action.js'

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

const design = join(ROOT, '__tests__/fixtures/valid/design.yml')
const bad = join(ROOT, '__tests__/fixtures/several-errors.yml')

describe('deploy-gates CLI', () => {
  it('validates a good config with exit 0', async () => {
    const r = await cli('validate', '--config', design)
    expect(r.code).toBe(0)
    expect(r.out).toContain('ok: ')
    expect(r.out).toContain('matches-api → staging')
  })

  it('prints file:line:col for every error and exits 1', async () => {
    const r = await cli('validate', `--config=${bad}`)
    expect(r.code).toBe(1)
    const lines = r.err.trim().split('\n')
    expect(lines).toEqual([
      `${bad}:12:13: gates.health.within: invalid duration 'soon' (use e.g. 500ms, 10s, 5m, 1h30m)`,
      `${bad}:15:5: gates.deploy.timout: unknown key 'timout' (did you mean 'timeout'?)`,
      `${bad}:17:12: rollback.traffic: must be between 0 and 100, got '120'`,
      `3 errors in ${bad}`
    ])
  })

  it('prints the plan as text and as JSON', async () => {
    const text = await cli('plan', '-c', design)
    expect(text.code).toBe(0)
    expect(text.out).toContain('6. canary')
    expect(text.out).toContain('approval before 25%')
    const json = await cli('plan', '--json', '--config', design)
    expect(JSON.parse(json.out).steps).toHaveLength(4)
  })

  it('reports a missing file in one line with exit 1', async () => {
    const r = await cli('validate', '--config', 'missing.yml')
    expect(r.code).toBe(1)
    expect(r.err.split('\n')[0]).toBe(
      "missing.yml: config file 'missing.yml' not found (set the 'config' input or --config to its path)"
    )
  })

  it.each([
    [[], 'missing command'],
    [['deploy'], "unknown command 'deploy'"],
    [['run', '--gate', 'canery'], "unknown gate 'canery'"],
    [
      ['run', '--step', 'abc'],
      "--step expects a canary weight 1-100, got 'abc'"
    ],
    [['validate', '--config'], "option '--config' needs a value"],
    [['validate', '--verbose'], "unknown option '--verbose'"],
    [['validate', 'extra'], "unexpected argument 'extra'"]
  ])('exits 2 on usage error %j', async (argv, message) => {
    const r = await cli(...argv)
    expect(r.code).toBe(2)
    expect(r.err).toContain(message)
  })

  it('runs a rollout with a header per gate, reports and the exit code of its verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-cli-'))
    const config = join(dir, 'deploy-gates.yml')
    const write = (smoke: string): void =>
      writeFileSync(
        config,
        `version: 1
service: api
environment: staging
gates:
  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION"
  smoke:
    tests:
      - run: ${smoke}
rollback:
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION"
`
      )
    const reports = join(dir, 'reports')
    const args = ['run', '-c', config, '--release', 'v2', '--report-dir']
    write('exit 0')
    const ok = await cli(...args, reports)
    expect(ok.code).toBe(0)
    expect(ok.out).toContain(
      '── deploy\ndeploy · started\ndeploy | deploy v2\n'
    )
    expect(ok.out).toContain('── smoke\nsmoke · started\n')
    expect(ok.out).toContain(
      `passed: v2 passed to staging\nreports: ${join(reports, 'report.md')}, ${join(reports, 'report.json')}\n`
    )
    write('exit 1')
    const failed = await cli(...args, reports, '--previous-version', 'v1')
    expect(failed.code).toBe(1)
    expect(failed.out).toContain('── rollback\n')
    expect(failed.out).toContain('rolled-back at smoke: ')
    const json = JSON.parse(
      readFileSync(join(reports, 'report.json'), 'utf8')
    ) as { result: string }
    expect(json.result).toBe('rolled-back')
    expect(readFileSync(join(reports, 'report.md'), 'utf8')).toContain(
      'rolled-back'
    )
  }, 30_000)

  it('exits 0 after a requested rollback that completed, 1 when it failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-cli-rb-'))
    const config = join(dir, 'deploy-gates.yml')
    const write = (rollback: string): void =>
      writeFileSync(
        config,
        `version: 1
service: api
environment: staging
probes:
  ok:
    command: { run: 'true' }
gates:
  deploy:
    run: echo deploy
rollback:
  run: ${rollback}
  verify: [ok]
`
      )
    const args = ['run', '-c', config, '--gate', 'rollback']
    write('echo "rollback to $DEPLOY_GATES_PREVIOUS_VERSION"')
    const ok = await cli(
      ...args,
      '--previous-version',
      'v1',
      '--report-dir',
      join(dir, 'ok')
    )
    expect(ok.out).toContain('rollback | rollback to v1')
    expect(ok.out).toMatch(/\nrolled-back: .*\n/)
    expect(ok.code).toBe(0)
    write('exit 3')
    const failed = await cli(
      ...args,
      '--previous-version',
      'v1',
      '--report-dir',
      join(dir, 'failed')
    )
    expect(failed.out).toMatch(/\nrollback-failed at rollback: /)
    expect(failed.code).toBe(1)
  }, 60_000)

  it('prints its own version with --version, and still reads --version V as the release', async () => {
    const pkg = JSON.parse(
      readFileSync(join(ROOT, 'package.json'), 'utf8')
    ) as { version: string }
    let out = ''
    const code = await runCli(
      ['--version'],
      { out: (t) => (out += t), err: () => undefined },
      { toolVersion: pkg.version }
    )
    expect(code).toBe(0)
    expect(out).toBe(`${pkg.version}\n`)
    // The old spelling with a value: the rollout version, with a note.
    const dir = mkdtempSync(join(tmpdir(), 'dg-cli-ver-'))
    const config = join(dir, 'deploy-gates.yml')
    writeFileSync(
      config,
      `version: 1
service: api
environment: staging
gates:
  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION"
`
    )
    const old = await cli(
      'run',
      '-c',
      config,
      '--version',
      'v7',
      '--report-dir',
      join(dir, 'r')
    )
    expect(old.code).toBe(0)
    expect(old.out).toContain('deploy | deploy v7')
    expect(old.err).toBe(
      "deploy-gates: '--version v7' is deprecated for the rollout version; use '--release v7' ('--version' alone prints the version of deploy-gates)\n"
    )
    const release = await cli(
      'run',
      '-c',
      config,
      '--release=v8',
      '--report-dir',
      join(dir, 'r')
    )
    expect(release.out).toContain('deploy | deploy v8')
    expect(release.err).toBe('')
  }, 30_000)

  it('the bin prints the package version and refuses an old Node in one line', () => {
    const pkg = JSON.parse(
      readFileSync(join(ROOT, 'package.json'), 'utf8')
    ) as { version: string; engines: { node: string } }
    const bin = join(ROOT, 'bin', 'deploy-gates.js')
    const v = spawnSync(process.execPath, [bin, '--version'], {
      encoding: 'utf8',
      timeout: 20_000
    })
    expect(v.status).toBe(0)
    expect(v.stdout).toBe(`${pkg.version}\n`)
    // The system Node, older than the one the bundle needs.
    const old = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'].find(
      (n) => {
        const r = spawnSync(n, ['--version'], { encoding: 'utf8' })
        return r.status === 0 && Number(/^v(\d+)/.exec(r.stdout)?.[1]) < 22
      }
    )
    if (old === undefined) {
      // .ci/run installs Debian's nodejs (older than 22) for this test.
      throw new Error('no Node older than 22 on this machine to test with')
    }
    const have = spawnSync(old, ['--version'], {
      encoding: 'utf8'
    }).stdout.trim()
    for (const argv of [
      ['run'],
      ['validate', '--config', design],
      ['--version']
    ]) {
      const r = spawnSync(old, [bin, ...argv], {
        encoding: 'utf8',
        timeout: 20_000
      })
      expect(r.status).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe(
        `deploy-gates: needs Node 22.19.0 or newer (package.json engines '${pkg.engines.node}'); this is Node ${have.slice(1)}\n`
      )
    }
  })

  it('shows help with exit 0', async () => {
    const r = await cli('--help')
    expect(r.code).toBe(0)
    expect(r.out).toBe(USAGE)
  })

  it('runs from the committed bin and bundle', () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'deploy-gates.js'), 'validate', '--config', bad],
      { encoding: 'utf8', timeout: 20_000 }
    )
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('gates.deploy.timout: unknown key')
    const ok = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'deploy-gates.js'),
        'plan',
        '--json',
        '--config',
        design
      ],
      { encoding: 'utf8', timeout: 20_000 }
    )
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout).service).toBe('matches-api')
  })

  it('keeps going when its reader closes the pipe', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'deploy-gates.js'), 'plan', '--config', design],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    // Like `deploy-gates plan | head -0`: nobody reads stdout.
    child.stdout.destroy()
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const code = await new Promise<number | null>((done) =>
      child.on('exit', (c) => done(c))
    )
    expect(err).toBe('')
    expect(code).toBe(0)
  }, 20_000)
})
