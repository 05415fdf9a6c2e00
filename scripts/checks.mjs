// The static checks of `npm test`, side by side: `node scripts/checks.mjs
// lint typecheck check:layers check-dist` runs those npm scripts at once
// (each is one CPU-bound process, and none reads what another writes), then
// prints each one's output whole, in the order given, with its time. It
// fails when any of them fails, naming which.
import { spawn } from 'node:child_process'

const scripts = process.argv.slice(2)
if (scripts.length === 0) {
  console.error('usage: checks.mjs <npm script>...')
  process.exit(2)
}
const npm = process.env.npm_execpath
  ? [process.execPath, process.env.npm_execpath]
  : ['npm']

function run(script) {
  const started = Date.now()
  return new Promise((resolve) => {
    const [cmd, ...pre] = npm
    const child = spawn(cmd, [...pre, 'run', '-s', script], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const out = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => out.push(d))
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

const results = await Promise.all(scripts.map(run))
for (const r of results) {
  const seconds = (r.ms / 1000).toFixed(1)
  const verdict = r.code === 0 ? 'passed' : `failed (exit ${r.code})`
  console.log(`> ${r.script}: ${verdict} in ${seconds} s`)
  const text = Buffer.concat(r.out).toString().trimEnd()
  if (text) console.log(text)
}
const failed = results.filter((r) => r.code !== 0).map((r) => r.script)
if (failed.length > 0) {
  console.error(`checks failed: ${failed.join(', ')}`)
  process.exit(1)
}
