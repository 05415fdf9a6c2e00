/**
 * The `deploy-gates` command: argv and the console around the same
 * composition root as the action (src/app/root.ts). Exit codes: 0 ok,
 * 1 invalid config or failed rollout, 2 usage error.
 */
import { mkdirSync } from 'node:fs'
import { streamWritten, type Host } from './app/host.js'
import type { RunRequest } from './app/root.js'
import { configSecrets } from './app/secrets.js'
import {
  formatConfigError,
  loadConfigFile,
  moreErrorsLine
} from './config/load.js'
import { GATE_ORDER } from './config/schema.js'
import { buildPlan } from './rollout/plan.js'
import { planText } from './report/plan-markdown.js'
import { DeployGatesError, errorMessage } from './kernel/errors.js'

/** For the bin script, which calls it before anything else runs. */
export { keepYoungGenerationSmall } from './app/heap.js'

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  /** Dates the next freeze windows in `plan`; the system clock if absent. */
  now?: () => number
  /** Back-pressure of `out`: a promise while its text is still queued. */
  written?: () => Promise<void> | undefined
}

/**
 * Writes to a stream until its reader goes away (`| head`, a closed pipe),
 * then drops the text: a rollout must not stop halfway, with traffic
 * shifted and no rollback, because nobody reads its progress any more.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false
  let watching = false
  return (text) => {
    if (!watching) {
      watching = true
      stream.on('error', () => {
        closed = true
      })
    }
    if (!closed) stream.write(text)
  }
}

/** What the bin knows that the bundle does not. */
export interface CliOptions {
  /** package.json's version, printed by `--version`. */
  toolVersion?: string
}

const defaultIo: CliIo = {
  out: writer(process.stdout),
  err: writer(process.stderr),
  written: streamWritten(process.stdout)
}

export const USAGE = `usage: deploy-gates <command> [options]

commands:
  validate   check the config file; prints file:line:col for each error
  plan       print the gates and canary steps the config would run
  run        run the rollout here: commands, probes, canary analysis,
             rollback on failure; reports go to --report-dir
  metrics    an environment's deployment metrics from GitHub
             (deploy-gates metrics --help)
  help       show this help

options:
  --config FILE             config file (default .github/deploy-gates.yml)
  --json                    plan: print the plan as JSON (the 'plan' output)
  --release V               run: the version rolled out (default: 'local');
                            '--version V' still works but is deprecated
  --previous-version V      run: the version a rollback returns to
  --gate G                  run: all (default), one gate, or rollback
  --step N                  run: with --gate canary, the step's weight
  --dry-run                 run: measure and report, change nothing
  --report-dir DIR          run: where report.json and report.md go
                            (default .deploy-gates)
  -h, --help                show this help
  --version                 print the version of deploy-gates

exit codes: 0 ok (valid config; rollout promoted, passed or paused;
            a requested rollback that completed), 1 invalid config or
            failed rollout, 2 usage error or unsupported Node
`

interface Args {
  command?: string
  config: string
  json: boolean
  help: boolean
  /** `--version` without a value: print the tool's version. */
  toolVersion: boolean
  /** `--version V` used for the rollout version (deprecated spelling). */
  deprecatedVersion: boolean
  dryRun: boolean
  version: string
  previousVersion?: string
  gate: string
  step?: string
  reportDir: string
}

const VALUE_OPTIONS: Record<string, keyof Args> = {
  '--config': 'config',
  '-c': 'config',
  '--release': 'version',
  '--previous-version': 'previousVersion',
  '--gate': 'gate',
  '--step': 'step',
  '--report-dir': 'reportDir'
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = {
    config: '.github/deploy-gates.yml',
    json: false,
    help: false,
    toolVersion: false,
    deprecatedVersion: false,
    dryRun: false,
    version: 'local',
    gate: 'all',
    reportDir: '.deploy-gates'
  }
  const set = (key: keyof Args, value: string): void => {
    ;(args as unknown as Record<string, string>)[key] = value
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const eq = a.indexOf('=')
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a
    if (a === '-h' || a === '--help') args.help = true
    else if (a === '--json') args.json = true
    else if (a === '--dry-run') args.dryRun = true
    else if (name === '--version') {
      // Alone it asks for the tool's version; with a value it is the old
      // spelling of --release, kept so existing scripts keep working.
      const v = name !== a ? a.slice(eq + 1) : argv[i + 1]
      if (v === undefined || v.startsWith('-')) {
        args.toolVersion = true
        continue
      }
      args.version = v
      args.deprecatedVersion = true
      if (name === a) i += 1
    } else if (name in VALUE_OPTIONS) {
      const key = VALUE_OPTIONS[name]
      if (name !== a) {
        set(key, a.slice(eq + 1))
        continue
      }
      const v = argv[i + 1]
      if (v === undefined || v.startsWith('-')) {
        return `option '${a}' needs a value`
      }
      set(key, v)
      i += 1
    } else if (a.startsWith('-')) return `unknown option '${a}'`
    else if (args.command === undefined) args.command = a
    else return `unexpected argument '${a}'`
  }
  return args
}

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = defaultIo,
  options: CliOptions = {}
): Promise<number> {
  if (argv[0] === 'metrics') {
    const { runMetrics } = await import('./cli-metrics.js')
    return runMetrics(argv.slice(1), io)
  }
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(`deploy-gates: ${args}\n\n${USAGE}`)
    return 2
  }
  if (args.toolVersion) {
    io.out(`${options.toolVersion ?? 'unknown'}\n`)
    return 0
  }
  if (args.deprecatedVersion) {
    io.err(
      `deploy-gates: '--version ${args.version}' is deprecated for the rollout version; use '--release ${args.version}' ('--version' alone prints the version of deploy-gates)\n`
    )
  }
  if (args.help || args.command === 'help') {
    io.out(USAGE)
    return 0
  }
  if (args.command === undefined) {
    io.err(`deploy-gates: missing command\n\n${USAGE}`)
    return 2
  }
  if (!['validate', 'plan', 'run'].includes(args.command)) {
    io.err(
      `deploy-gates: unknown command '${args.command}' (use validate, plan or run)\n`
    )
    return 2
  }
  const gates = ['all', ...GATE_ORDER, 'rollback']
  if (!gates.includes(args.gate)) {
    io.err(
      `deploy-gates: unknown gate '${args.gate}' (use ${gates.join(', ')})\n`
    )
    return 2
  }
  let step: number | undefined
  if (args.step !== undefined) {
    step = Number(args.step.replace(/%$/, ''))
    if (!Number.isInteger(step) || step < 1 || step > 100) {
      io.err(
        `deploy-gates: --step expects a canary weight 1-100, got '${args.step}'\n`
      )
      return 2
    }
  }
  const loaded = await loadConfigFile(args.config)
  if (!loaded.ok) {
    for (const e of loaded.errors) io.err(`${formatConfigError(e)}\n`)
    const more = loaded.more ?? 0
    if (more > 0) io.err(`${args.config}: ${moreErrorsLine(more)}\n`)
    const count = loaded.errors.length + more
    io.err(`${count} error${count === 1 ? '' : 's'} in ${args.config}\n`)
    return 1
  }
  const plan = buildPlan(loaded.config, (io.now ?? Date.now)())
  if (args.command === 'validate') {
    io.out(
      `ok: ${args.config} (${plan.service} → ${plan.environment}; gates: ${plan.gates.join(', ') || 'none'})\n`
    )
    return 0
  }
  if (args.command === 'plan') {
    io.out(
      args.json
        ? `${JSON.stringify(plan, null, 2)}\n`
        : planText(loaded.config, plan)
    )
    return 0
  }
  try {
    return await runLocal(args, loaded, step, io)
  } catch (e) {
    // One line, never a stack: ours say what is wrong, anything else is a bug.
    const what = e instanceof DeployGatesError ? '' : 'failed unexpectedly: '
    io.err(`deploy-gates: ${what}${errorMessage(e)}\n`)
    return 1
  }
}

/** The root's view of a terminal: plain lines, a header per section. */
function consoleHost(io: CliIo): Host {
  return {
    info: (line) => io.out(`${line}\n`),
    ...(io.written ? { written: io.written } : {}),
    warn: (message) => io.err(`warning: ${message}\n`),
    interrupted: (message) => io.err(`${message}\n`),
    // A terminal has no masking; the run's redactor already hides secrets.
    mask: () => undefined,
    startGroup: (title) => io.out(`── ${title}\n`),
    endGroup: () => undefined
  }
}

async function runLocal(
  args: Args,
  loaded: Extract<Awaited<ReturnType<typeof loadConfigFile>>, { ok: true }>,
  step: number | undefined,
  io: CliIo
): Promise<number> {
  const config = loaded.config
  // The root and the engine load only for `run`, so validate and plan start
  // fast.
  const { runGates } = await import('./app/root.js')
  // Fails before anything changes when the reports could not be kept.
  mkdirSync(args.reportDir, { recursive: true })
  const outcome = await runGates(consoleHost(io), {
    config,
    gate: args.gate as RunRequest['gate'],
    ...(step !== undefined ? { step } : {}),
    version: args.version,
    ...(args.previousVersion !== undefined
      ? { previousVersion: args.previousVersion }
      : {}),
    sha: process.env.GITHUB_SHA ?? 'local',
    dryRun: args.dryRun,
    workspace: process.cwd(),
    secrets: configSecrets(loaded.raw, config),
    dir: args.reportDir,
    markdownFile: true
  })
  const { report, files } = outcome
  const where = report.failedGate ? ` at ${report.failedGate}` : ''
  const written = [files.markdown, files.json].filter((f) => f !== undefined)
  io.out(
    `${report.result}${where}: ${report.reason}\n${written.length > 0 ? `reports: ${written.join(', ')}\n` : ''}`
  )
  return outcome.exitCode
}
