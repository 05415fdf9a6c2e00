/**
 * Runs the bundled action exactly as the runner does: `node dist/index.js`
 * with INPUT_* variables and the GITHUB_* files, under this Node (24).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..', '..')

export interface ActionRun {
  status: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  state: string
}

/** Parses the GITHUB_OUTPUT file (heredoc form written by @actions/core). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const body: string[] = []
    for (i += 1; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i])
    out[m[1]] = body.join('\n')
  }
  return out
}

/** Runs `entry` (default dist/index.js) with the given inputs. */
export function runAction(
  inputs: Record<string, string>,
  opts: { cwd?: string; env?: Record<string, string>; entry?: string } = {}
): ActionRun {
  const dir = mkdtempSync(join(tmpdir(), 'dg-action-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_WORKSPACE: opts.cwd ?? ROOT,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    ...files,
    ...opts.env
  }
  for (const [k, v] of Object.entries(inputs)) {
    env[`INPUT_${k.toUpperCase()}`] = v
  }
  const r = spawnSync(
    process.execPath,
    [opts.entry ?? join(ROOT, 'dist', 'index.js')],
    { cwd: opts.cwd ?? ROOT, env, encoding: 'utf8', timeout: 20_000 }
  )
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    state: readFileSync(files.GITHUB_STATE, 'utf8')
  }
}

/**
 * Like runAction, but asynchronous: needed when the test process itself
 * serves something the action calls (the GitHub API stand-in, services).
 */
export async function runActionAsync(
  inputs: Record<string, string>,
  opts: { cwd?: string; env?: Record<string, string>; runnerTemp?: string } = {}
): Promise<ActionRun> {
  const { spawn } = await import('node:child_process')
  const dir = mkdtempSync(join(tmpdir(), 'dg-action-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_WORKSPACE: opts.cwd ?? ROOT,
    RUNNER_TEMP: opts.runnerTemp ?? join(dir, 'runner-temp'),
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    ...files,
    ...opts.env
  }
  for (const [k, v] of Object.entries(inputs)) {
    env[`INPUT_${k.toUpperCase()}`] = v
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
      cwd: opts.cwd ?? ROOT,
      env
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (status) =>
      resolve({
        status,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        state: readFileSync(files.GITHUB_STATE, 'utf8')
      })
    )
  })
}
