/**
 * Cold start of the bundled action: `node dist/index.js` validating an
 * example config, against a bare `node -e 0` on the same Node, interleaved
 * so both see the same machine load. Prints medians and their ratio.
 *
 *   npm run bench:cold-start [-- RUNS]
 */
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const runs = Number(process.argv[2] ?? 30)
const dir = mkdtempSync(join(tmpdir(), 'dg-bench-'))
const output = join(dir, 'output')
writeFileSync(output, '')

function time(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { env, cwd: root })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${String(r.stdout)}`)
  return ms
}

function stats(xs: number[]): { median: number; p90: number; min: number } {
  const s = [...xs].sort((a, b) => a - b)
  const at = (q: number): number =>
    s[Math.min(s.length - 1, Math.floor(q * s.length))]
  return { median: at(0.5), p90: at(0.9), min: s[0] }
}

const bare: number[] = []
const action: number[] = []
const env = {
  PATH: process.env.PATH,
  GITHUB_OUTPUT: output,
  GITHUB_WORKSPACE: root,
  INPUT_GATE: 'validate',
  INPUT_CONFIG: 'examples/canary-10-25-50-75-100.yml'
}
for (let i = 0; i < runs + 3; i++) {
  const b = time(['-e', '0'], { PATH: process.env.PATH })
  const a = time([join(root, 'dist', 'index.js')], env)
  if (i >= 3) {
    bare.push(b)
    action.push(a)
  }
}
const sb = stats(bare)
const sa = stats(action)
const f = (n: number): string => `${n.toFixed(1)} ms`
console.log(`node ${process.version}, ${runs} runs each, interleaved`)
console.log(
  `bare node -e 0          median ${f(sb.median)}  p90 ${f(sb.p90)}  min ${f(sb.min)}`
)
console.log(
  `dist/index.js validate  median ${f(sa.median)}  p90 ${f(sa.p90)}  min ${f(sa.min)}`
)
console.log(`ratio (median)          ${(sa.median / sb.median).toFixed(2)}x`)
console.log(
  `action's own cost       ${f(sa.median - sb.median)} (budget 150 ms to first probe)`
)

// Start to first probe: a rollout whose first gate is a health probe
// against a loopback server; measured from spawn to the probe's request.
let arrived: (() => void) | undefined
const target = createServer((_req, res) => {
  arrived?.()
  res.end('ok')
})
await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
const port = (target.address() as AddressInfo).port
writeFileSync(
  join(dir, 'health.yml'),
  `version: 1\nservice: bench\nenvironment: bench\nprobes:\n  up:\n    http: { url: 'http://127.0.0.1:${port}/health' }\ngates:\n  health:\n    probes: [up]\n`
)
const firstProbe: number[] = []
for (let i = 0; i < Math.min(runs, 20) + 2; i++) {
  const start = process.hrtime.bigint()
  const hit = new Promise<number>((resolve) => {
    arrived = () => resolve(Number(process.hrtime.bigint() - start) / 1e6)
  })
  const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: output,
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: join(dir, 'tmp'),
      INPUT_GATE: 'all',
      INPUT_CONFIG: 'health.yml'
    },
    stdio: 'ignore'
  })
  const ms = await hit
  await new Promise((r) => child.on('exit', r))
  if (i >= 2) firstProbe.push(ms)
}
target.close()
const sp = stats(firstProbe)
console.log(
  `dist/index.js start → first probe request: median ${f(sp.median)}  p90 ${f(sp.p90)}  min ${f(sp.min)}  (own cost ${f(sp.median - sb.median)})`
)
