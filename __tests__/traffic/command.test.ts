import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunOptions, RunResult } from '../../src/exec/runner.js'
import { createRedactor } from '../../src/redact/redactor.js'
import { commandShifter } from '../../src/traffic/command.js'
import type { ShiftContext } from '../../src/traffic/types.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'traffic-cmd-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function ctx(over: Partial<ShiftContext> = {}): ShiftContext {
  return {
    env: {
      DEPLOY_GATES_VERSION: 'v1.2.3',
      DEPLOY_GATES_GATE: 'canary',
      DEPLOY_GATES_WEIGHT: '10'
    },
    values: { vars: {}, env: {}, builtins: {} },
    redact: (s) => s,
    ...over
  }
}

describe('commandShifter with real bash', () => {
  it('passes the weight as $DEPLOY_GATES_WEIGHT and reports exit 0', async () => {
    const lines: string[] = []
    const shifter = commandShifter(
      'echo "weight=$DEPLOY_GATES_WEIGHT gate=$DEPLOY_GATES_GATE" > weight.txt; echo "set to $DEPLOY_GATES_WEIGHT"',
      5000,
      { cwd: dir }
    )
    const r = await shifter.shift(25, ctx({ onLine: (l) => lines.push(l) }))
    expect(r.ok).toBe(true)
    expect(readFileSync(join(dir, 'weight.txt'), 'utf8')).toBe(
      'weight=25 gate=canary\n'
    )
    expect(r.reason).toMatch(/^traffic set to 25% \(exit 0, \d+(\.\d+)?m?s\)$/)
    expect(lines).toEqual(['set to 25'])
    expect(r.logTail).toEqual(['set to 25'])
    expect(r.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('keeps values literal: an env value cannot become shell code', async () => {
    const evil = '$(touch pwned)`touch pwned2`; touch pwned3'
    const shifter = commandShifter(
      'printf "%s|%s" "$DEPLOY_GATES_VERSION" "$DEPLOY_GATES_WEIGHT" > seen.txt',
      5000,
      { cwd: dir }
    )
    const r = await shifter.shift(
      50,
      ctx({ env: { DEPLOY_GATES_VERSION: evil, DEPLOY_GATES_WEIGHT: evil } })
    )
    expect(r.ok).toBe(true)
    // The shift's own weight wins over a stale one in ctx.env.
    expect(readFileSync(join(dir, 'seen.txt'), 'utf8')).toBe(`${evil}|50`)
    for (const f of ['pwned', 'pwned2', 'pwned3']) {
      expect(existsSync(join(dir, f))).toBe(false)
    }
  })

  it('never puts the weight into the command text', async () => {
    const seen: RunOptions[] = []
    const run = (o: RunOptions): Promise<RunResult> => {
      seen.push(o)
      return Promise.resolve({
        outcome: 'ok',
        exitCode: 0,
        signal: null,
        durationMs: 1200,
        tail: [],
        reason: 'exited with code 0 after 1.2s'
      })
    }
    const shifter = commandShifter('./set-weight.sh', 1000, { run })
    const r = await shifter.shift(75, ctx())
    expect(seen[0].run).toBe('./set-weight.sh')
    expect(seen[0].env?.DEPLOY_GATES_WEIGHT).toBe('75')
    expect(seen[0].timeoutMs).toBe(1000)
    expect(r.reason).toBe('traffic set to 75% (exit 0, 1.2s)')
  })

  it('fails on a non-zero exit with the last output line', async () => {
    const shifter = commandShifter(
      'echo "calling lb"; echo "lb said: weight 25 rejected" >&2; echo; exit 2',
      5000,
      { cwd: dir }
    )
    const r = await shifter.shift(25, ctx())
    expect(r.ok).toBe(false)
    expect(r.reason).toMatch(
      /^traffic command exited with code 2 after \S+: lb said: weight 25 rejected$/
    )
    expect(r.logTail).toContain('calling lb')
  })

  it('masks secrets in the reason and the tail', async () => {
    const redactor = createRedactor(['s3cr3t-lb-token'])
    const shifter = commandShifter(
      'echo "denied for s3cr3t-lb-token"; exit 1',
      5000,
      { cwd: dir }
    )
    const r = await shifter.shift(10, ctx({ redact: redactor.redact }))
    expect(r.ok).toBe(false)
    expect(r.reason).toContain('denied for ***')
    expect(r.reason).not.toContain('s3cr3t')
    expect(r.logTail?.join('\n')).not.toContain('s3cr3t')
  })

  it('times out and says so', async () => {
    const shifter = commandShifter('echo waiting; sleep 5', 200, {
      cwd: dir
    })
    const r = await shifter.shift(10, ctx())
    expect(r.ok).toBe(false)
    expect(r.reason).toMatch(
      /^traffic command timed out after 200ms; process group killed: waiting$/
    )
  })

  it('refuses a weight that is not a whole 0-100 without running', async () => {
    let ran = false
    const run = (): Promise<RunResult> => {
      ran = true
      return Promise.reject(new Error('should not run'))
    }
    const shifter = commandShifter('true', 1000, { run })
    for (const w of [-1, 101, 12.5, Number.NaN]) {
      const r = await shifter.shift(w, ctx())
      expect(r.ok).toBe(false)
      expect(r.reason).toMatch(/^invalid traffic weight '.*' \(expected/)
    }
    expect(ran).toBe(false)
  })
})
