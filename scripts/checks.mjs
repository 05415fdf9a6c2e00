// The static checks of `npm test`, side by side and alongside the tests:
// `node scripts/checks.mjs lint typecheck check:layers --alongside jest`
// runs those npm scripts at once (each is one CPU-bound process, and none
// reads what another writes) while the `--alongside` script runs in the
// foreground with its output live. The test suites mostly wait on bakes,
// servers and child processes and leave part of two cores idle, which the
// checks fill. When everything has ended it prints each check's output
// whole, in the order given, with its time, and fails when any check or
// the foreground script failed, naming which.
import { spawn } from 'node:child_process'

const args = process.argv.slice(2)
const at = args.indexOf('--alongside')
const scripts = at === -1 ? args : args.slice(0, at)
const foreground = at === -1 ? undefined : args[at + 1]
if (scripts.length === 0 || (at !== -1 && !foreground)) {
  console.error('usage: checks.mjs <npm script>... [--alongside <npm script>]')
  process.exit(2)
}
const npm = process.env.npm_execpath
  ? [process.execPath, process.env.npm_execpath]
  : ['npm']

function run(script, live) {
  const started = Date.now()
  return new Promise((resolve) => {
    const [cmd, ...pre] = npm
    const child = spawn(cmd, [...pre, 'run', '-s', script], {
      stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe']
    })
    const out = []
    child.stdout?.on('data', (d) => out.push(d))
    child.stderr?.on('data', (d) => out.push(d))
    child.on('error', (e) => {
      out.push(Buffer.from(`${e.message}\n`))
      resolve({ script, code: 1, out, ms: Date.now() - started })
    })
    child.on('close', (code, signal) =>
      resolve({
        script,
        code: code ?? (signal ? 1 : 0),
        out,
        ms: Date.now() - started
      })
    )
  })
}

const checks = Promise.all(scripts.map((s) => run(s, false)))
const main = foreground ? await run(foreground, true) : undefined
const results = await checks
for (const r of results) {
  const seconds = (r.ms / 1000).toFixed(1)
  const verdict = r.code === 0 ? 'passed' : `failed (exit ${r.code})`
  console.log(`> ${r.script}: ${verdict} in ${seconds} s`)
  const text = Buffer.concat(r.out).toString().trimEnd()
  if (text) console.log(text)
}
const failed = [...results, ...(main ? [main] : [])]
  .filter((r) => r.code !== 0)
  .map((r) => r.script)
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`)
  process.exit(1)
}
