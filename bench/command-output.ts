/**
 * Memory of a rollout whose `run:` command prints a lot: the bundled CLI
 * (`dist/cli`, built by `npm run package`) runs a deploy that prints BYTES
 * of 100-character lines, its stdout a pipe this process reads. Samples the
 * CLI's peak RSS (VmHWM) from /proc while it runs; the target is under
 * 200 MB for 1 GB of output, with the last line in the report's tail.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/command-output.ts [BYTES] [READ_MB_PER_S]
 *
 * Default 1 GB, read as fast as this process can. READ_MB_PER_S reads the
 * log no faster than that, like a runner shipping its log: output then
 * comes faster than it is read. Linux only (reads /proc).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bytes = Number(process.argv[2] ?? 1_000_000_000)
const readRate = Number(process.argv[3] ?? 0) * 1024 * 1024
const dir = mkdtempSync(join(tmpdir(), 'dg-bench-output-'))
const config = join(dir, 'deploy-gates.yml')
writeFileSync(
  config,
  `version: 1
service: api
environment: staging
gates:
  deploy:
    run: head -c ${bytes} < <(yes "$(printf '%099d' 0)"); echo "last line of the deploy"
`
)

function hwm(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
    return kb === undefined ? undefined : Number(kb) * 1024
  } catch {
    return undefined
  }
}

const started = Date.now()
const child = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    join(root, 'bin', 'deploy-gates.js'),
    'run',
    '-c',
    config,
    '--report-dir',
    join(dir, 'reports')
  ],
  { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] }
)
let received = 0
let end = ''
child.stdout.setEncoding('utf8')
child.stdout.on('data', (chunk: string) => {
  received += chunk.length
  end = (end + chunk).slice(-4000)
  if (readRate > 0) {
    const due = started + (received / readRate) * 1000 - Date.now()
    if (due > 0) {
      child.stdout.pause()
      setTimeout(() => child.stdout.resume(), due)
    }
  }
})
let peak = 0
const timer = setInterval(() => {
  peak = Math.max(peak, hwm(child.pid ?? 0) ?? 0)
}, 100)
const code = await new Promise<number | null>((ok) => child.on('exit', ok))
clearInterval(timer)
const report = JSON.parse(
  readFileSync(join(dir, 'reports', 'report.json'), 'utf8')
) as { result: string }
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`
console.log(
  [
    `output: ${mb(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s${readRate > 0 ? `, read at most ${readRate / 1024 / 1024} MB/s` : ''}`,
    `exit ${code}, result ${report.result}`,
    `log read: ${mb(received)}`,
    `peak RSS of the CLI: ${mb(peak)} (target < 200 MB)`,
    `last line in the log: ${end.includes('deploy | last line of the deploy')}`
  ].join('\n')
)
