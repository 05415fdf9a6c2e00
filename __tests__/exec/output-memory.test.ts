/**
 * A command that prints hundreds of megabytes keeps the process small: the
 * real runner, in a process of its own (no compiler loaded), streams every
 * line to a pipe with that pipe's back-pressure and keeps only a tail. The
 * parent reads the pipe and checks that nothing is lost and no secret
 * passes. 1 GB takes minutes on a busy 2-core machine, so this test prints
 * 256 MB; bench/command-output.ts measures 1 GB through the bundled CLI.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from '../../src/exec/runner.js'
import { createRedactor } from '../../src/redact/redactor.js'
import { ROOT } from '../helpers/action.js'

const SECRET = 's3cr3t-FLOOD-4242'
const LINE = 'x'.repeat(499)
const BYTES = 256_000_000
const LIMIT = 200 * 1024 * 1024

interface Flood {
  outcome: string
  lines: number
  tail: string[]
  peakRss: number
}

describe('command output memory', () => {
  it('streams 256 MB of output under 200 MB RSS, losing no line and keeping the tail', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dg-flood-')), 'flood.json')
    const child = spawn(
      process.execPath,
      [join(ROOT, '__tests__/fixtures/runner/flood.mjs'), String(BYTES), out],
      {
        env: {
          PATH: process.env.PATH,
          FLOOD_SECRET: SECRET,
          FLOOD_LINE: LINE
        },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let received = 0
    let lines = 0
    let leaked = false
    // The end of the stream so far: long enough for a split secret and for
    // the last two lines.
    let end = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      received += chunk.length
      if ((end + chunk).includes(SECRET)) leaked = true
      for (
        let i = chunk.indexOf('\n');
        i !== -1;
        i = chunk.indexOf('\n', i + 1)
      )
        lines++
      end = (end + chunk).slice(-2000)
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const code = await new Promise<number | null>((resolve) =>
      child.on('close', (c) => resolve(c))
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const flood = JSON.parse(readFileSync(out, 'utf8')) as Flood
    const expected = BYTES / (LINE.length + 1) + 1
    expect(flood.outcome).toBe('ok')
    expect(flood.lines).toBe(expected)
    expect(lines).toBe(expected)
    expect(received).toBe(
      (BYTES / (LINE.length + 1)) * ('deploy | '.length + LINE.length + 1) +
        'deploy | last line ***\n'.length
    )
    expect(leaked).toBe(false)
    expect(end.endsWith(`deploy | ${LINE}\ndeploy | last line ***\n`)).toBe(
      true
    )
    expect(flood.tail).toHaveLength(50)
    expect(flood.tail.slice(-2)).toEqual([LINE, 'last line ***'])
    expect(flood.peakRss).toBeLessThan(LIMIT)
  }, 300_000)
})

describe('streamed output', () => {
  it('masks a secret written in pieces across chunks, line by line', async () => {
    const redactor = createRedactor([SECRET])
    const lines: string[] = []
    const r = await runCommand({
      run: 'printf "a %s" "${S:0:7}"; sleep 0.3; printf "%s b\\nnext\\n" "${S:7}"',
      env: { S: SECRET },
      redact: (t) => redactor.redact(t),
      onLine: (l) => lines.push(l)
    })
    expect(r.outcome).toBe('ok')
    expect(lines).toEqual(['a *** b', 'next'])
    expect(r.tail).toEqual(['a *** b', 'next'])
  })

  it('stops reading while the writer is behind and loses nothing', async () => {
    let behind = 0
    let read = 0
    let readWhileBehind = 0
    let waiting = false
    const r = await runCommand({
      run: 'seq 1 200000',
      onLine: () => {
        read++
        if (waiting) readWhileBehind++
      },
      whenWritten: () => {
        if (behind >= 5) return undefined
        behind++
        waiting = true
        return new Promise<void>((ok) =>
          setTimeout(() => {
            waiting = false
            ok()
          }, 100)
        )
      }
    })
    expect(r.outcome).toBe('ok')
    expect(behind).toBe(5)
    expect(readWhileBehind).toBe(0)
    expect(read).toBe(200_000)
    expect(r.tail.at(-1)).toBe('200000')
  })
})
