/**
 * How fast hostile configs are refused: an alias bomb, a 2 MiB file, 1,000
 * levels of nesting, next to the parse of a real example. Timings are medians
 * of repeated in-process parses.
 *
 *   npm run bench:config-limits
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseConfig } from '../src/config/load.js'

const root = resolve(import.meta.dirname, '..')
const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
for (let i = 1; i < 9; i++) {
  const prev = String.fromCharCode(96 + i)
  const cur = String.fromCharCode(97 + i)
  levels.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(', ')}]`)
}
const head = 'version: 1\nservice: api\nenvironment: staging\n'
const cases: Record<string, string> = {
  'alias bomb (10^9 nodes)': `${levels.join('\n')}\n`,
  '2 MiB file': `${head}vars:\n${'  k: v\n'.repeat(300_000)}`,
  '1,000 levels of flow nesting': `${head}vars: ${'['.repeat(1000)}${']'.repeat(1000)}\n`,
  '100 levels of block nesting': `${head}vars:\n${Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`,
  'example (valid, 10/25/50/75/100 canary)': readFileSync(
    resolve(root, 'examples/canary-10-25-50-75-100.yml'),
    'utf8'
  )
}
for (const [name, text] of Object.entries(cases)) {
  const times: number[] = []
  let verdict = ''
  for (let i = 0; i < 25; i++) {
    const t = process.hrtime.bigint()
    const r = parseConfig(text, 'bench.yml')
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
    verdict = r.ok ? 'accepted' : r.errors[0].message
  }
  times.sort((a, b) => a - b)
  console.log(
    `${name.padEnd(40)} median ${times[12].toFixed(2)} ms  max ${times[24].toFixed(2)} ms  → ${verdict}`
  )
}
