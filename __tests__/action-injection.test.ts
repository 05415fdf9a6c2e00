/**
 * Hostile event data (branch names, PR titles, commit messages) reaches the
 * user's commands only as environment values: no shell ever parses it.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './helpers/action.js'

describe('shell safety of the bundled action', () => {
  it('passes a hostile tag, branch and PR title as data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-inject-'))
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      `version: 1
service: api
environment: staging
gates:
  deploy:
    run: printf '%s\\n' "$DEPLOY_GATES_VERSION" "$DEPLOY_GATES_SHA" > seen.txt
  promote:
    run: echo promoted >> seen.txt
`
    )
    const event = {
      pull_request: {
        number: 7,
        title: '"; touch pwned-title; #',
        head: { ref: '$(touch pwned-branch)', sha: 'abc' },
        body: '`touch pwned-body`'
      },
      head_commit: { message: "$(touch pwned-commit)'; touch pwned-quote" }
    }
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event))
    for (const f of ['output', 'summary', 'state']) {
      writeFileSync(join(dir, f), '')
    }
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'index.js')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_WORKSPACE: dir,
        RUNNER_TEMP: join(dir, 'tmp'),
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_STATE: join(dir, 'state'),
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        GITHUB_REF: 'refs/tags/$(touch pwned-tag)',
        GITHUB_HEAD_REF: '$(touch pwned-branch)',
        GITHUB_SHA: '`touch pwned-sha`',
        INPUT_CONFIG: 'deploy-gates.yml',
        INPUT_GATE: 'all'
      }
    })
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'seen.txt'), 'utf8')).toBe(
      '$(touch pwned-tag)\n`touch pwned-sha`\npromoted\n'
    )
    const files = [...readdirSync(dir), ...readdirSync(ROOT)]
    expect(files.filter((f) => f.startsWith('pwned'))).toEqual([])
  })

  it('refuses a rollout of the PR head under pull_request_target', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-prt-'))
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      'version: 1\nservice: api\nenvironment: staging\ngates:\n  deploy:\n    run: touch pwned-by-pr\n'
    )
    const git = (...args: string[]): string =>
      spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout.trim()
    git('init', '-q')
    git('add', '.')
    git(
      '-c',
      'user.email=a@b.c',
      '-c',
      'user.name=t',
      'commit',
      '-qm',
      'pr head'
    )
    const head = git('rev-parse', 'HEAD')
    writeFileSync(
      join(dir, 'event.json'),
      JSON.stringify({ pull_request: { number: 3, head: { sha: head } } })
    )
    for (const f of ['output', 'summary', 'state']) {
      writeFileSync(join(dir, f), '')
    }
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'index.js')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_WORKSPACE: dir,
        RUNNER_TEMP: join(dir, 'tmp'),
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_STATE: join(dir, 'state'),
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        INPUT_CONFIG: 'deploy-gates.yml',
        INPUT_GATE: 'all'
      }
    })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(
      'refusing to run a rollout under pull_request_target'
    )
    expect(readdirSync(dir)).not.toContain('pwned-by-pr')
  })

  it('keeps the verdict when the report cannot be written or the event is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-disk-'))
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      'version: 1\nservice: api\nenvironment: staging\ngates:\n  deploy:\n    run: echo deployed\n'
    )
    writeFileSync(join(dir, 'event.json'), '{ this is not json')
    for (const f of ['output', 'summary', 'state']) {
      writeFileSync(join(dir, f), '')
    }
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'index.js')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_WORKSPACE: dir,
        // Not a directory: state and report files cannot be written there.
        RUNNER_TEMP: '/dev/null/not-a-dir',
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_STATE: join(dir, 'state'),
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        INPUT_CONFIG: 'deploy-gates.yml',
        INPUT_GATE: 'all'
      }
    })
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'output'), 'utf8')).toContain('passed')
    expect(r.stdout).toContain('::warning::could not write the JSON report')
    expect(r.stdout).toContain('::warning::could not read the event payload')
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /)
  })
})
