/**
 * The whole CLI (the bundle in dist/cli, with everything a rollout loads)
 * stays small while a deploy command floods its log: V8's young generation
 * is kept from doubling under that allocation rate (src/app/heap.ts). Peak
 * RSS is read from /proc while it runs; the log is read as fast as it
 * comes, as a runner does. bench/command-output.ts runs the 1 GB case.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../helpers/action.js'

const BYTES = 300_000_000
const LIMIT = 200 * 1024 * 1024

function peakRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
    return kb === undefined ? 0 : Number(kb) * 1024
  } catch {
    return 0
  }
}

const linux = process.platform === 'linux'

describe('CLI memory under a flood of command output', () => {
  ;(linux ? it : it.skip)(
    'runs a deploy printing 300 MB under 200 MB RSS and keeps its last line',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dg-cli-flood-'))
      writeFileSync(
        join(dir, 'deploy-gates.yml'),
        [
          'version: 1',
          'service: api',
          'environment: staging',
          'gates:',
          '  deploy:',
          `    run: head -c ${BYTES} < <(yes "$(printf '%099d' 0)"); echo "last line of the deploy"`,
          ''
        ].join('\n')
      )
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'bin', 'deploy-gates.js'),
          'run',
          '-c',
          'deploy-gates.yml',
          '--report-dir',
          'reports'
        ],
        {
          cwd: dir,
          env: { PATH: process.env.PATH, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe']
        }
      )
      let peak = 0
      const sampler = setInterval(() => {
        peak = Math.max(peak, peakRss(child.pid ?? 0))
      }, 50)
      let received = 0
      let end = ''
      child.stdout.setEncoding('utf8')
      child.stdout.on('data', (chunk: string) => {
        received += chunk.length
        end = (end + chunk).slice(-4000)
        peak = Math.max(peak, peakRss(child.pid ?? 0))
      })
      let stderr = ''
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      const code = await new Promise<number | null>((resolve) =>
        child.on('exit', (c) => resolve(c))
      )
      clearInterval(sampler)
      expect(stderr).toBe('')
      expect(code).toBe(0)
      expect(received).toBeGreaterThan(BYTES)
      expect(end).toContain('deploy | last line of the deploy')
      const report = JSON.parse(
        readFileSync(join(dir, 'reports', 'report.json'), 'utf8')
      ) as { result: string; gates: Array<{ tail?: string[] }> }
      expect(report.result).toBe('passed')
      expect(peak).toBeGreaterThan(0)
      expect(peak).toBeLessThan(LIMIT)
    },
    300_000
  )
})
