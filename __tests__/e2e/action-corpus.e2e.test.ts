/**
 * Every bad config of the corpus, and bad action inputs, through the
 * committed bundle, the way the runner runs it: one annotation on the
 * expected line (or one error for an input), exit 1, no stack trace.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../helpers/action.js'

const dir = join(ROOT, '__tests__', 'fixtures', 'bad-configs')
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'))

interface Outcome {
  file: string
  code: number | null
  stdout: string
  stderr: string
}

function validate(
  file: string,
  inputs: Record<string, string> = {
    INPUT_CONFIG: `__tests__/fixtures/bad-configs/${file}`
  }
): Promise<Outcome> {
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
        ...inputs
      }
    })
    // A hang guard, not a speed check: a case that hangs is a failure.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => {
      clearTimeout(guard)
      resolve({ file, code, stdout, stderr })
    })
  })
}

const CONFIG = 'examples/minimal.yml'

/** Bad action inputs: [name, INPUT_* variables, fragment of the one error]. */
const INPUT_CASES: [string, Record<string, string>, string][] = [
  ['unknown gate', { INPUT_GATE: 'deploy-all' }, "input 'gate': unknown gate"],
  ['step 0', { INPUT_STEP: '0' }, "input 'step'"],
  ['step 101', { INPUT_STEP: '101' }, "got '101'"],
  ['step word', { INPUT_STEP: 'ten' }, "got 'ten'"],
  ['step 1e400', { INPUT_STEP: '1e400' }, "got '1e400'"],
  ['step NaN', { INPUT_STEP: 'NaN' }, "got 'NaN'"],
  ['dry-run yes', { 'INPUT_DRY-RUN': 'yes' }, "input 'dry-run'"],
  [
    'missing config',
    { INPUT_CONFIG: 'nope/deploy-gates.yml' },
    "config file 'nope/deploy-gates.yml' not found"
  ],
  ['config is a directory', { INPUT_CONFIG: 'examples' }, 'is not a file'],
  [
    'config path of 5,000 characters',
    { INPUT_CONFIG: 'a/'.repeat(2500) },
    "input 'config': 5000 characters long; the limit is 4096"
  ],
  [
    'environment with a line break',
    { INPUT_ENVIRONMENT: 'staging\n::error::forged' },
    "input 'environment': contains the control character U+000A"
  ],
  [
    'environment with a C1 control',
    { INPUT_ENVIRONMENT: 'staging\u009b2J' },
    "input 'environment': contains the control character U+009B"
  ],
  [
    'version with a terminal escape',
    { INPUT_VERSION: 'v1\u001b[2K' },
    "input 'version': contains the control character U+001B"
  ],
  [
    'previous version of 300 characters',
    { 'INPUT_PREVIOUS-VERSION': 'v'.repeat(300) },
    "input 'previous-version': 300 characters long; the limit is 256"
  ],
  [
    'rollback-to with a bell',
    { 'INPUT_ROLLBACK-TO': 'v1\u0007' },
    "input 'rollback-to': contains the control character U+0007"
  ]
]

async function all(): Promise<Outcome[]> {
  const results: Outcome[] = []
  for (let i = 0; i < files.length; i += 6) {
    results.push(
      ...(await Promise.all(files.slice(i, i + 6).map((f) => validate(f))))
    )
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
      if (
        /\n\s+at |TypeError|ReferenceError|RangeError/.test(r.stdout + r.stderr)
      ) {
        problems.push(`${r.file}: stack trace or crash`)
      }
      if (r.stderr !== '') problems.push(`${r.file}: stderr ${r.stderr}`)
    }
    expect(files.length + INPUT_CASES.length).toBeGreaterThanOrEqual(150)
    expect(problems).toEqual([])
  }, 300_000)

  it('refuses each bad input with one error line and exit 1', async () => {
    const problems: string[] = []
    for (let i = 0; i < INPUT_CASES.length; i += 5) {
      const batch = INPUT_CASES.slice(i, i + 5)
      const runs = await Promise.all(
        batch.map(([name, inputs]) =>
          validate(name, { INPUT_CONFIG: CONFIG, ...inputs })
        )
      )
      runs.forEach((r, k) => {
        const fragment = batch[k][2]
        // A config that cannot be read also gets the step's summary line.
        const errors = r.stdout
          .split('\n')
          .filter((l) => l.startsWith('::error'))
          .filter((l) => !/^::error::config '.*' has 1 error$/.test(l))
        if (r.code !== 1) problems.push(`${r.file}: exit ${r.code}`)
        if (errors.length !== 1 || !errors[0].includes(fragment)) {
          problems.push(`${r.file}: ${JSON.stringify(errors)}`)
        }
        if (/forged|\n\s+at |TypeError|RangeError/.test(r.stdout + r.stderr)) {
          problems.push(`${r.file}: forged line, stack trace or crash`)
        }
      })
    }
    expect(problems).toEqual([])
  }, 120_000)

  it('caps 10,000 unknown gates at 20 annotations and one line for the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-corpus-'))
    const gates = Array.from({ length: 10_000 }, (_, i) => `  g${i}: {}`)
    writeFileSync(
      join(dir, 'flood.yml'),
      `version: 1\nservice: api\nenvironment: staging\ngates:\n${gates.join('\n')}\n`
    )
    const r = await validate('flood.yml', {
      INPUT_CONFIG: join(dir, 'flood.yml')
    })
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(r.code).toBe(1)
    expect(errors).toHaveLength(22)
    expect(errors[20]).toBe(
      '::error title=deploy-gates config::9980 more errors not shown (fix the first 20 and run again)'
    )
    expect(errors[21]).toContain('has 10000 errors')
    expect(r.stdout.length).toBeLessThan(10_000)
  }, 120_000)
})
