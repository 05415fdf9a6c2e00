// Runs a command while busy processes keep every core loaded, as on a shared
// CI runner that builds and tests in the same job: `node scripts/contend.mjs
// [--per-core N] -- <command...>`. The busy processes spin until the command
// ends (they are killed then, whatever its outcome) and the command's exit
// code is passed on.
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'

const args = process.argv.slice(2)
let perCore = 4
const at = args.indexOf('--per-core')
if (at !== -1) {
  perCore = Number(args[at + 1])
  args.splice(at, 2)
}
const sep = args.indexOf('--')
const command = sep === -1 ? args : args.slice(sep + 1)
if (command.length === 0 || !(perCore >= 1)) {
  console.error('usage: contend.mjs [--per-core N] -- <command...>')
  process.exit(2)
}

const count = availableParallelism() * perCore
const spin = 'for(;;){let x=0;for(let i=0;i<1e7;i++)x+=i}'
const busy = Array.from({ length: count }, () =>
  spawn(process.execPath, ['-e', spin], { stdio: 'ignore' })
)
console.log(
  `contend: ${count} busy processes on ${availableParallelism()} cores`
)
const stop = () => {
  for (const b of busy) b.kill('SIGKILL')
}
process.on('exit', stop)
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stop()
    process.exit(130)
  })
}
const child = spawn(command[0], command.slice(1), { stdio: 'inherit' })
child.on('exit', (code, signal) => {
  stop()
  process.exit(code ?? (signal ? 1 : 0))
})
