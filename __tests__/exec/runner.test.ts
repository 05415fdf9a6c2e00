import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { spawn } from 'node:child_process'
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from '../../src/exec/runner.js'
import type { OutputStream, SpawnFn } from '../../src/exec/runner.js'
import { createRedactor } from '../../src/redact/redactor.js'

/** Running means: signalable and not a zombie left behind by a non-reaping PID 1. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    return process.platform !== 'linux'
  }
}

async function waitFor(
  check: () => boolean,
  timeoutMs = 2000
): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 20))
  }
  return check()
}

let dir: string
const strays: number[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-test-'))
})

afterEach(() => {
  // Only our own `sleep` children, should a failed test leave one behind.
  for (const pid of strays.splice(0)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (isRunning(pid) && cmd.startsWith('sleep'))
        process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true })
})

function readPid(): number {
  const pid = Number(readFileSync(join(dir, 'pidfile'), 'utf8').trim())
  expect(pid).toBeGreaterThan(1)
  strays.push(pid)
  return pid
}

describe('runCommand: exit codes and shell options', () => {
  it('reports success with the output tail', async () => {
    const r = await runCommand({ run: 'echo hello; echo world >&2' })
    expect(r.outcome).toBe('ok')
    expect(r.exitCode).toBe(0)
    expect(r.signal).toBeNull()
    expect(r.tail.sort()).toEqual(['hello', 'world'])
    expect(r.reason).toMatch(/^exited with code 0 after \d+(\.\d)?(ms|s)$/)
    expect(r.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('reports a non-zero exit code', async () => {
    const r = await runCommand({ run: 'echo before; exit 3' })
    expect(r.outcome).toBe('failed')
    expect(r.exitCode).toBe(3)
    expect(r.tail).toEqual(['before'])
    expect(r.reason).toMatch(/^exited with code 3 after /)
  })

  it('fails a pipeline whose first command fails (pipefail)', async () => {
    const r = await runCommand({ run: 'false | true; echo unreachable' })
    expect(r.outcome).toBe('failed')
    expect(r.exitCode).toBe(1)
    expect(r.tail).not.toContain('unreachable')
  })

  it('stops at the first failing command (-e)', async () => {
    const r = await runCommand({ run: 'echo one; false; echo two' })
    expect(r.exitCode).toBe(1)
    expect(r.tail).toEqual(['one'])
  })

  it('reports a command killed by a signal it did not get from us', async () => {
    const r = await runCommand({ run: 'kill -9 $$' })
    expect(r.outcome).toBe('failed')
    expect(r.exitCode).toBeNull()
    expect(r.signal).toBe('SIGKILL')
    expect(r.reason).toMatch(/^killed by SIGKILL after /)
  })
})

describe('runCommand: environment', () => {
  it('passes values only through the environment, never as code', async () => {
    const hostile = '$(touch pwned)`touch pwned2`; touch pwned3'
    const r = await runCommand({
      run: 'echo "version=$DEPLOY_GATES_VERSION"; echo "base=$FROM_BASE"; echo "gone=${REMOVED-unset}"',
      cwd: dir,
      baseEnv: { PATH: process.env.PATH, FROM_BASE: 'b1', REMOVED: 'x' },
      env: { DEPLOY_GATES_VERSION: hostile, REMOVED: undefined }
    })
    expect(r.outcome).toBe('ok')
    expect(r.tail).toEqual([`version=${hostile}`, 'base=b1', 'gone=unset'])
    for (const f of ['pwned', 'pwned2', 'pwned3']) {
      expect(existsSync(join(dir, f))).toBe(false)
    }
  })

  it('inherits process.env by default and runs in cwd', async () => {
    process.env.RUNNER_TEST_INHERITED = 'yes'
    try {
      const r = await runCommand({
        run: 'echo "$RUNNER_TEST_INHERITED"; pwd',
        cwd: dir
      })
      expect(r.tail[0]).toBe('yes')
      expect(r.tail[1]).toContain('runner-test-')
    } finally {
      delete process.env.RUNNER_TEST_INHERITED
    }
  })

  it('hands bash the run text unchanged, detached, with -e -o pipefail', async () => {
    const calls: { cmd: string; args: readonly string[]; o: SpawnOptions }[] =
      []
    const spy: SpawnFn = (cmd, args, o): ChildProcess => {
      calls.push({ cmd, args, o })
      return spawn(cmd, args, o)
    }
    const run = 'echo "$DEPLOY_GATES_VERSION"'
    await runCommand({ run, spawn: spy, env: { DEPLOY_GATES_VERSION: '1' } })
    expect(calls).toHaveLength(1)
    expect(calls[0].cmd).toBe('bash')
    expect(calls[0].args).toEqual(['-e', '-o', 'pipefail', '-c', run])
    expect(calls[0].o.detached).toBe(true)
  })
})

describe('runCommand: timeout and abort', () => {
  it('kills the whole process group on timeout, grandchildren included', async () => {
    const r = await runCommand({
      run: 'sleep 30 & echo $! > pidfile; wait',
      cwd: dir,
      timeoutMs: 300,
      killGraceMs: 1000
    })
    const pid = readPid()
    expect(r.outcome).toBe('timeout')
    expect(r.reason).toBe('timed out after 300ms; process group killed')
    expect(await waitFor(() => !isRunning(pid))).toBe(true)
  })

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const r = await runCommand({
      run: "trap '' TERM; sleep 30 & echo $! > pidfile; wait",
      cwd: dir,
      timeoutMs: 200,
      killGraceMs: 300
    })
    const pid = readPid()
    expect(r.outcome).toBe('timeout')
    expect(r.reason).toBe(
      'timed out after 200ms; process group killed (SIGKILL after 300ms)'
    )
    expect(await waitFor(() => !isRunning(pid))).toBe(true)
  })

  it('stops on an AbortSignal and kills the group', async () => {
    const ac = new AbortController()
    const r = await runCommand({
      run: 'sleep 30 & echo $! > pidfile; echo started; wait',
      cwd: dir,
      signal: ac.signal,
      killGraceMs: 1000,
      onLine: (line) => {
        if (line === 'started') ac.abort()
      }
    })
    const pid = readPid()
    expect(r.outcome).toBe('aborted')
    expect(r.reason).toMatch(/^aborted after .+; process group killed$/)
    expect(r.tail).toEqual(['started'])
    expect(await waitFor(() => !isRunning(pid))).toBe(true)
  })

  it('does not start when already aborted', async () => {
    let spawned = false
    const r = await runCommand({
      run: 'touch should-not-exist',
      cwd: dir,
      signal: AbortSignal.abort(),
      spawn: (cmd, args, o) => {
        spawned = true
        return spawn(cmd, args, o)
      }
    })
    expect(r).toMatchObject({
      outcome: 'aborted',
      reason: 'aborted before start'
    })
    expect(spawned).toBe(false)
    expect(existsSync(join(dir, 'should-not-exist'))).toBe(false)
  })

  it('does not wait for a background child that keeps the pipes open', async () => {
    const r = await runCommand({
      run: 'sleep 20 & echo $!; echo done',
      drainMs: 100
    })
    const pid = Number(r.tail[0])
    strays.push(pid)
    expect(r.outcome).toBe('ok')
    expect(r.tail[1]).toBe('done')
  })
})

describe('runCommand: output tail and redaction', () => {
  const SECRET = 'tok_9a8b7c6d5e4f3a2b1c0d'

  it('keeps the last lines and caps their length', async () => {
    const r = await runCommand({
      run: "seq 1 120; head -c 5000 /dev/zero | tr '\\0' x; echo",
      tailLines: 50
    })
    expect(r.tail).toHaveLength(50)
    expect(r.tail[0]).toBe('72')
    expect(r.tail[48]).toBe('120')
    expect(r.tail[49]).toHaveLength(2001)
    expect(r.tail[49].endsWith('…')).toBe(true)
  })

  it('never shows a secret the script prints, in the tail or live', async () => {
    const redactor = createRedactor([SECRET])
    const live: { line: string; stream: OutputStream }[] = []
    const r = await runCommand({
      run: [
        'echo "token is $SMOKE_TOKEN"',
        'echo "err $SMOKE_TOKEN" >&2',
        'printf %s "$SMOKE_TOKEN" | base64',
        'echo "curl -H \'Authorization: Bearer $OTHER\' https://u:$OTHER@h.example/?token=$OTHER"',
        // The secret straddles the 2,000-character cut.
        'printf "x%.0s" $(seq 1 1990); echo "$SMOKE_TOKEN"',
        'printf "no newline $SMOKE_TOKEN"',
        'exit 4'
      ].join('\n'),
      env: { SMOKE_TOKEN: SECRET, OTHER: 'unlisted-credential' },
      redact: (s) => redactor.redact(s),
      onLine: (line, stream) => live.push({ line, stream })
    })
    expect(r.exitCode).toBe(4)
    const everything = [...r.tail, ...live.map((l) => l.line), r.reason]
    for (const line of everything) {
      expect(line).not.toContain(SECRET.slice(0, 8))
      expect(line).not.toContain(SECRET.slice(-8))
      expect(line).not.toContain('unlisted-credential')
      expect(line).not.toContain(Buffer.from(SECRET).toString('base64'))
    }
    expect(r.tail).toContain('token is ***')
    expect(r.tail).toContain('no newline ***')
    expect(live).toContainEqual({ line: 'err ***', stream: 'stderr' })
    expect(live).toContainEqual({ line: 'token is ***', stream: 'stdout' })
  })

  it('gives the same lines a block at a time, redacted', async () => {
    const one: string[] = []
    const blocks: string[][] = []
    const r = await runCommand({
      run: 'for i in $(seq 1 5000); do echo "line $i $SMOKE_TOKEN"; done',
      env: { SMOKE_TOKEN: SECRET },
      redact: (s) => s.split(SECRET).join('***'),
      onLine: (line) => one.push(line),
      onLines: (lines) => blocks.push(lines)
    })
    expect(r.outcome).toBe('ok')
    expect(blocks.flat()).toEqual(one)
    expect(one).toHaveLength(5000)
    expect(one[4999]).toBe('line 5000 ***')
    // 5,000 lines of output come in far fewer reads of the pipe.
    expect(blocks.length).toBeLessThan(one.length)
  })

  it('shows what a terminal shows for carriage-return progress', async () => {
    const r = await runCommand({ run: "printf '10%%\\r50%%\\r100%%\\r\\n'" })
    expect(r.tail).toEqual(['100%'])
  })

  it('survives a throwing progress callback', async () => {
    const r = await runCommand({
      run: 'echo a; echo b',
      onLine: () => {
        throw new Error('boom')
      }
    })
    expect(r.outcome).toBe('ok')
    expect(r.tail).toEqual(['a', 'b'])
  })
})

describe('runCommand: spawn errors', () => {
  it('says when bash is missing', async () => {
    const r = await runCommand({ run: 'true', bash: '/nonexistent/bash' })
    expect(r.outcome).toBe('spawn-error')
    expect(r.exitCode).toBeNull()
    expect(r.reason).toMatch(/^\/nonexistent\/bash not found: /)
  })

  it('says when the working directory is missing', async () => {
    const cwd = join(dir, 'missing')
    const r = await runCommand({ run: 'true', cwd })
    expect(r.outcome).toBe('spawn-error')
    expect(r.reason.startsWith(`working directory '${cwd}' not found`)).toBe(
      true
    )
  })
})
