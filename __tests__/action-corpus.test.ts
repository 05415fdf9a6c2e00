/**
 * Every bad config of the corpus through the committed bundle, the way the
 * runner runs it: one annotation on the expected line, exit 1, no stack trace.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './helpers/action.js'

const dir = join(ROOT, '__tests__', 'fixtures', 'bad-configs')
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'))

interface Outcome {
  file: string
  code: number | null
  stdout: string
  stderr: string
}

function validate(file: string): Promise<Outcome> {
  const tmp = mkdtempSync(join(tmpdir(), 'dg-corpus-'))
  const output = join(tmp, 'output')
  writeFileSync(output, '')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        GITHUB_WORKSPACE: ROOT,
        GITHUB_OUTPUT: output,
        INPUT_GATE: 'validate',
        INPUT_CONFIG: `__tests__/fixtures/bad-configs/${file}`
      }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ file, code, stdout, stderr }))
  })
}

async function all(): Promise<Outcome[]> {
  const results: Outcome[] = []
  for (let i = 0; i < files.length; i += 6) {
    results.push(...(await Promise.all(files.slice(i, i + 6).map(validate))))
  }
  return results
}

describe('bad configs through dist/index.js', () => {
  it('annotates each at its expected line and exits 1', async () => {
    const problems: string[] = []
    for (const r of await all()) {
      const text = readFileSync(join(dir, r.file), 'utf8')
      const line = /^# expect: (\d+) /.exec(text)?.[1]
      const annotations = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('::error title=deploy-gates config,'))
      if (r.code !== 1) problems.push(`${r.file}: exit ${r.code}`)
      if (annotations.length !== 1) {
        problems.push(`${r.file}: ${annotations.length} annotations`)
      } else if (!annotations[0].includes(`,line=${line},col=`)) {
        problems.push(`${r.file}: ${annotations[0]}`)
      }
      if (/\n\s+at |TypeError|ReferenceError/.test(r.stdout + r.stderr)) {
        problems.push(`${r.file}: stack trace or crash`)
      }
      if (r.stderr !== '') problems.push(`${r.file}: stderr ${r.stderr}`)
    }
    expect(problems).toEqual([])
  }, 120_000)
})
