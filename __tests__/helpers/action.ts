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

export interface RunnerFiles {
  GITHUB_OUTPUT: string
  GITHUB_STEP_SUMMARY: string
  GITHUB_STATE: string
}

/**
 * What a runner gives every step: PATH and HOME, the workspace, a runner
 * temp dir, and empty output, summary and state files in `files` (a fresh
 * dir per attempt, as on a fresh runner). Nothing else of this process's
 * environment leaks in.
 */
export function runnerEnv(o: {
  files: string
  workspace: string
  runnerTemp?: string
}): { env: Record<string, string>; files: RunnerFiles } {
  const files: RunnerFiles = {
    GITHUB_OUTPUT: join(o.files, 'output'),
    GITHUB_STEP_SUMMARY: join(o.files, 'summary'),
    GITHUB_STATE: join(o.files, 'state')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  return {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GITHUB_WORKSPACE: o.workspace,
      RUNNER_TEMP: o.runnerTemp ?? join(o.files, 'runner-temp'),
      ...files
    },
    files
  }
}

/** Runs `entry` (default dist/index.js) with the given inputs. */
export function runAction(
  inputs: Record<string, string>,
  opts: { cwd?: string; env?: Record<string, string>; entry?: string } = {}
): ActionRun {
  const runner = runnerEnv({
    files: mkdtempSync(join(tmpdir(), 'dg-action-')),
    workspace: opts.cwd ?? ROOT
  })
  const files = runner.files
  const env: Record<string, string> = {
    ...runner.env,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
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
  const runner = runnerEnv({
    files: mkdtempSync(join(tmpdir(), 'dg-action-')),
    workspace: opts.cwd ?? ROOT,
    ...(opts.runnerTemp ? { runnerTemp: opts.runnerTemp } : {})
  })
  const files = runner.files
  const env: Record<string, string> = {
    ...runner.env,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
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
