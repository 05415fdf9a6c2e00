/**
 * How fast hostile configs are refused, and how parse time grows with the
 * keys of one mapping (1x, 4x, 16x) next to the YAML library's own
 * duplicate-key scan on the same texts. Timings are medians of the CPU
 * time of repeated in-process parses; the growth ratios compare runs of
 * the same process.
 *
 *   npm run bench:config-limits
 */
import { readdirSync, readFileSync } from 'node:fs'
import * as os from 'node:os'
import { resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { LIMITS, parseConfig } from '../src/config/load.js'

const root = resolve(import.meta.dirname, '..')
const head = 'version: 1\nservice: api\nenvironment: staging\n'

/**
 * CPU time of this process (user + system), not wall time: on a shared
 * machine the wall clock mostly measures the other jobs.
 */
function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function median(runs: number, f: () => unknown): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = cpuMs()
    f()
    times.push(cpuMs() - t)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(runs / 2)]
}

function verdict(text: string | Uint8Array): string {
  const r = parseConfig(text, 'bench.yml')
  if (r.ok) return 'accepted'
  const more = r.more ? ` (+${r.more} counted)` : ''
  return `${r.errors.length} error(s)${more}: ${r.errors[0].message.slice(0, 60)}`
}

const ms = (t: number): string => `${t.toFixed(t < 10 ? 2 : 0)} ms`
const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`

// 1. Growth with the keys of one mapping.
const vars = (n: number): string =>
  `${head}vars:\n${Array.from({ length: n }, (_, i) => `  k${i}: v${i}`).join('\n')}\n`
const unknown = (n: number): string =>
  `${head}${Array.from({ length: n }, (_, i) => `k${i}: v`).join('\n')}\n`
const gates = (n: number): string =>
  `${head}gates:\n${Array.from({ length: n }, (_, i) => `  g${i}: {}`).join('\n')}\n`
const toLimit = (n: number): string =>
  `${head}vars:\n${Array.from({ length: n }, (_, i) => `  k${i}: ${'v'.repeat(2)}`).join('\n')}\n`

const series: [string, (n: number) => string, number][] = [
  ['vars, accepted', vars, 750],
  ['unknown top-level keys', unknown, 750],
  ['unknown gates (`gN: {}`)', gates, 600],
  ['one mapping up to the 1 MiB limit', toLimit, 4_500]
]
console.log(
  `keys of one mapping: median CPU of 7 parses (load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores)`
)
console.log(
  '| mapping | keys 1x / 4x / 16x | size at 16x | 1x | 4x | 16x | 4x/1x | 16x/4x | result at 16x |'
)
for (const [name, make, base] of series) {
  const texts = [1, 4, 16].map((k) => make(base * k))
  const t = texts.map((text) => median(7, () => parseConfig(text, 'b.yml')))
  console.log(
    `| ${name} | ${[1, 4, 16].map((k) => (base * k).toLocaleString('en-US')).join(' / ')} | ${kib(Buffer.byteLength(texts[2]))} | ${t.map(ms).join(' | ')} | ${(t[1] / t[0]).toFixed(1)} | ${(t[2] / t[1]).toFixed(1)} | ${verdict(texts[2])} |`
  )
}

// The same texts through the library's own duplicate-key scan, as the loader
// parsed them before (1x and 4x only: 16x takes minutes).
console.log('\nlibrary with uniqueKeys: true (the old parse), median of 3')
for (const [name, make, base] of series.slice(0, 2)) {
  const t = [1, 4].map((k) => {
    const text = make(base * k)
    return median(3, () => parseAllDocuments(text, { uniqueKeys: true }))
  })
  const ours = [1, 4].map((k) => {
    const text = make(base * k)
    return median(3, () => parseConfig(text, 'b.yml'))
  })
  console.log(
    `| ${name} | 1x ${ms(t[0])} | 4x ${ms(t[1])} | 4x/1x ${(t[1] / t[0]).toFixed(1)} | ours 4x ${ms(ours[1])} |`
  )
}

// 2. Hostile inputs, each refused with one line.
const M = LIMITS.bytes - 1024
const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
for (let i = 1; i < 9; i++) {
  const prev = String.fromCharCode(96 + i)
  const cur = String.fromCharCode(97 + i)
  levels.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(', ')}]`)
}
const cases: Record<string, string | Uint8Array> = {
  'alias bomb (10^9 nodes)': `${levels.join('\n')}\n`,
  '2 MiB file': `${head}vars:\n${'  k: v\n'.repeat(300_000)}`,
  '1,000 levels of flow nesting': `${head}vars: ${'['.repeat(1000)}${']'.repeat(1000)}\n`,
  '100 levels of block nesting': `${head}vars:\n${Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`,
  '100,000 `- ` on one line': `${head}x:\n  ${'- '.repeat(100_000)}1\n`,
  '100,000 `[` behind `"a\\\\"`': `${head}x: ["a\\\\", ${'['.repeat(100_000)}]\n`,
  '~1 MiB of `]`': `${head}x: [${']'.repeat(M - 100)}\n`,
  '~1 MiB of `&a `': `${head}x: ${'&a '.repeat(M / 3 - 100)}1\n`,
  '~1 MiB of comment lines': `${head}${'#\n'.repeat(M / 2 - 100)}`,
  '49,000 comment lines (under the line cap)': `${head}${'#\n'.repeat(49_000)}x: 1\n`,
  '1,000 stray `]` (at the syntax error cap)': `${head}x: [${']'.repeat(1_000)}\n`,
  '~1 MiB, bad UTF-8 at the end': Buffer.concat([
    Buffer.from(`${head}${'# ok\n'.repeat(M / 5 - 100)}`),
    Buffer.from([0xff])
  ]),
  'example (valid, 10/25/50/75/100 canary)': readFileSync(
    resolve(root, 'examples/canary-10-25-50-75-100.yml'),
    'utf8'
  )
}
console.log('\nhostile inputs: median of 9 parses')
for (const [name, text] of Object.entries(cases)) {
  const t = median(9, () => parseConfig(text, 'bench.yml'))
  console.log(`| ${name} | ${ms(t)} | ${verdict(text)} |`)
}

// 3. The corpus, in process: the slowest case.
const dir = resolve(root, '__tests__/fixtures/bad-configs')
let slowest = { name: '', t: 0 }
for (const name of readdirSync(dir)) {
  const bytes = readFileSync(resolve(dir, name))
  const t = median(5, () => parseConfig(bytes, name))
  if (t > slowest.t) slowest = { name, t }
}
console.log(
  `\ncorpus: ${readdirSync(dir).length} files, slowest ${slowest.name} at ${ms(slowest.t)}`
)
