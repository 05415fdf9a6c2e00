/**
 * The `deploy-gates` command: the same engine outside GitHub, with console
 * output instead of annotations. Exit codes: 0 ok, 1 invalid config or failed
 * rollout, 2 usage error.
 */
import { formatConfigError, loadConfigFile } from './config/load.js'
import { buildPlan } from './rollout/plan.js'
import { planText } from './report/plan-markdown.js'

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t)
}

export const USAGE = `usage: deploy-gates <command> [options]

commands:
  validate   check the config file; prints file:line:col for each error
  plan       print the gates and canary steps the config would run
  help       show this help

options:
  --config FILE   config file (default .github/deploy-gates.yml)
  --json          plan: print the plan as JSON (the action's 'plan' output)
  -h, --help      show this help

exit codes: 0 ok, 1 invalid config, 2 usage error
`

interface Args {
  command?: string
  config: string
  json: boolean
  help: boolean
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = {
    config: '.github/deploy-gates.yml',
    json: false,
    help: false
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-h' || a === '--help') args.help = true
    else if (a === '--json') args.json = true
    else if (a === '--config' || a === '-c') {
      const v = argv[i + 1]
      if (v === undefined || v.startsWith('-')) {
        return `option '${a}' needs a file name`
      }
      args.config = v
      i += 1
    } else if (a.startsWith('--config=')) {
      args.config = a.slice('--config='.length)
    } else if (a.startsWith('-')) return `unknown option '${a}'`
    else if (args.command === undefined) args.command = a
    else return `unexpected argument '${a}'`
  }
  return args
}

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = defaultIo
): Promise<number> {
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(`deploy-gates: ${args}\n\n${USAGE}`)
    return 2
  }
  if (args.help || args.command === 'help') {
    io.out(USAGE)
    return 0
  }
  if (args.command === undefined) {
    io.err(`deploy-gates: missing command\n\n${USAGE}`)
    return 2
  }
  if (args.command !== 'validate' && args.command !== 'plan') {
    io.err(
      `deploy-gates: unknown command '${args.command}' (use validate or plan)\n`
    )
    return 2
  }
  const loaded = await loadConfigFile(args.config)
  if (!loaded.ok) {
    for (const e of loaded.errors) io.err(`${formatConfigError(e)}\n`)
    io.err(
      `${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'} in ${args.config}\n`
    )
    return 1
  }
  const plan = buildPlan(loaded.config)
  if (args.command === 'validate') {
    io.out(
      `ok: ${args.config} (${plan.service} → ${plan.environment}; gates: ${plan.gates.join(', ') || 'none'})\n`
    )
    return 0
  }
  io.out(
    args.json
      ? `${JSON.stringify(plan, null, 2)}\n`
      : planText(loaded.config, plan)
  )
  return 0
}
