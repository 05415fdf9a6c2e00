import { describe, it, expect } from '@jest/globals'
import { runCommandProbe } from '../../src/probes/command.js'
import type { CommandProbeSpec } from '../../src/probes/types.js'
import type { RunOptions, RunResult } from '../../src/exec/runner.js'
import { createRedactor } from '../../src/redact/redactor.js'
import { systemClock } from '../../src/kernel/clock.js'
import type { Clock } from '../../src/kernel/clock.js'

const SECRET = 'smk_5f4e3d2c1b0a9f8e7d6c'
const redactor = createRedactor([SECRET])
const redact = (s: string): string => redactor.redact(s)

function spec(
  run: string,
  over: Partial<CommandProbeSpec> = {}
): CommandProbeSpec {
  return {
    kind: 'command',
    name: 'smoke',
    run,
    timeoutMs: 4000,
    exitCode: 0,
    ...over
  }
}

describe('runCommandProbe', () => {
  it('passes when the exit code is the expected one', async () => {
    const clock: Clock = { ...systemClock, now: () => 1_700_000_000_000 }
    const s = await runCommandProbe(
      spec('echo "checking $DEPLOY_GATES_VERSION"; echo all good'),
      { env: { DEPLOY_GATES_VERSION: '1.2.3' }, redact, clock }
    )
    expect(s).toMatchObject({
      probe: 'smoke',
      kind: 'command',
      ok: true,
      attempts: 1,
      startedAt: 1_700_000_000_000,
      excerpt: 'checking 1.2.3\nall good'
    })
    expect(s.error).toBeUndefined()
    expect(s.reason).toMatch(/^command 'smoke' exited with code 0 after /)
    expect(s.timings.totalMs).toBeGreaterThanOrEqual(0)
  })

  it('fails on another exit code, naming both, without secrets', async () => {
    const s = await runCommandProbe(
      spec(
        'echo "using $SMOKE_TOKEN"; echo "3 of 10 failed (token $SMOKE_TOKEN)" >&2; exit 1'
      ),
      { env: { SMOKE_TOKEN: SECRET }, redact }
    )
    expect(s.ok).toBe(false)
    expect(s.error).toBeUndefined()
    expect(s.reason).toBe(
      "command 'smoke' exited with code 1 (expected 0): 3 of 10 failed (token ***)"
    )
    expect(s.excerpt).toBe('using ***\n3 of 10 failed (token ***)')
    expect(JSON.stringify(s)).not.toContain(SECRET)
  })

  it('honours a non-zero expected exit code', async () => {
    const s = await runCommandProbe(spec('exit 2', { exitCode: 2 }), {
      env: {},
      redact
    })
    expect(s.ok).toBe(true)
    expect(s.excerpt).toBeUndefined()
    const wrong = await runCommandProbe(spec('true', { exitCode: 2 }), {
      env: {},
      redact
    })
    expect(wrong.ok).toBe(false)
    expect(wrong.reason).toBe("command 'smoke' exited with code 0 (expected 2)")
  })

  it('reports a timeout as an error', async () => {
    const s = await runCommandProbe(
      spec('echo waiting; sleep 10', { name: 'slow', timeoutMs: 200 }),
      { env: {}, redact }
    )
    expect(s.ok).toBe(false)
    expect(s.error).toBe(true)
    expect(s.reason).toBe(
      "command 'slow' timed out after 200ms; process group killed: waiting"
    )
  })

  it('stops when aborted', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 100)
    const s = await runCommandProbe(spec('sleep 10'), {
      env: {},
      redact,
      signal: ac.signal
    })
    expect(s.ok).toBe(false)
    expect(s.error).toBe(true)
    expect(s.reason).toMatch(
      /^command 'smoke' aborted after .+; process group killed$/
    )
  })

  it('keeps only the last lines as the excerpt', async () => {
    const s = await runCommandProbe(spec('seq 1 30'), { env: {}, redact })
    const lines = s.excerpt!.split('\n')
    expect(lines).toHaveLength(20)
    expect(lines[0]).toBe('11')
    expect(lines[19]).toBe('30')
  })

  it('passes the spec and options through to the runner', async () => {
    let seen: RunOptions | undefined
    const fake = (o: RunOptions): Promise<RunResult> => {
      seen = o
      return Promise.resolve({
        outcome: 'spawn-error',
        exitCode: null,
        signal: null,
        durationMs: 1,
        tail: [],
        reason: 'bash not found: spawn bash ENOENT'
      })
    }
    const ac = new AbortController()
    const s = await runCommandProbe(spec('make smoke', { timeoutMs: 1234 }), {
      env: { DEPLOY_GATES_GATE: 'smoke' },
      redact,
      run: fake,
      signal: ac.signal,
      cwd: '/srv/app'
    })
    expect(seen).toMatchObject({
      run: 'make smoke',
      timeoutMs: 1234,
      env: { DEPLOY_GATES_GATE: 'smoke' },
      signal: ac.signal,
      cwd: '/srv/app'
    })
    expect(seen?.redact).toBe(redact)
    expect(s).toMatchObject({
      ok: false,
      error: true,
      reason:
        "command 'smoke' could not start: bash not found: spawn bash ENOENT"
    })
  })
})
