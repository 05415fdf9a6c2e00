/**
 * Wires inputs → config → the requested gate → GitHub surfaces. The only
 * place that decides the step's exit status (setFailed).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import {
  InputError,
  pullRequestTargetProblem,
  readGitHubContext,
  readInputs,
  type Inputs
} from './inputs.js'
import {
  formatConfigError,
  loadConfigFile,
  type ConfigError
} from './config/load.js'
import { referencedSecrets } from './config/interpolate.js'
import type { Config } from './config/schema.js'
import { buildPlan } from './rollout/plan.js'
import type { RolloutReport } from './rollout/events.js'
import { planMarkdown } from './report/plan-markdown.js'
import { errorMessage } from './kernel/errors.js'

/**
 * The engine (probes, analysis, reporters) loads only for gates that run a
 * rollout, so `validate` and `plan` start fast.
 */
async function engine(): Promise<typeof import('./engine.js')> {
  return import('./engine.js')
}

/** Annotations land on the config file's line, where the fix is made. */
function annotate(errors: ConfigError[]): void {
  for (const e of errors) {
    if (e.line === 0) {
      core.error(e.message, { title: 'deploy-gates config' })
      continue
    }
    core.error(`${e.path ? `${e.path}: ` : ''}${e.message}`, {
      title: 'deploy-gates config',
      file: e.file,
      startLine: e.line,
      startColumn: e.col
    })
  }
}

interface Loaded {
  config: Config
  secrets: string[]
  digest: string
}

async function load(inputs: Inputs): Promise<Loaded | undefined> {
  const absolute = path.resolve(inputs.workspace, inputs.config)
  const relative = path.relative(inputs.workspace, absolute) || inputs.config
  const result = await loadConfigFile(absolute, relative)
  if (!result.ok) {
    const errors = result.errors
    annotate(errors)
    core.setOutput('result', 'invalid')
    core.setOutput('reason', formatConfigError(errors[0]))
    core.setFailed(
      `config '${relative}' has ${errors.length} error${errors.length === 1 ? '' : 's'}`
    )
    return undefined
  }
  const config = result.config
  if (inputs.environment) config.environment = inputs.environment
  // Mask every secret the config can reach before anything prints.
  const names = [
    ...referencedSecrets(result.raw),
    ...(config.gates.preflight?.secrets ?? [])
  ]
  const secrets = names
    .map((n) => process.env[n])
    .filter((v): v is string => typeof v === 'string' && v !== '')
  for (const s of secrets) {
    core.setSecret(s)
    // The runner masks a multi-line secret reliably only line by line.
    if (s.includes('\n')) {
      for (const line of s.split(/\r?\n/)) {
        if (line.trim().length >= 4 && !line.startsWith('-----')) {
          core.setSecret(line.trim())
        }
      }
    }
  }
  return { config, secrets, digest: result.digest }
}

/** A reporting failure is a warning; it never changes a verdict. */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (e) {
    core.warning(`could not write the job summary: ${errorMessage(e)}`)
  }
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_')
}

/** Where state and reports live: the runner's temp dir, per environment. */
function workDir(config: Config): string {
  const base = process.env.RUNNER_TEMP || os.tmpdir()
  return path.join(
    base,
    'deploy-gates',
    `${safeName(config.service)}-${safeName(config.environment)}`
  )
}

function writeReport(
  dir: string,
  report: RolloutReport,
  toJsonReport: (r: RolloutReport) => unknown
): string | undefined {
  try {
    mkdirSync(dir, { recursive: true })
    const file = path.join(dir, 'report.json')
    writeFileSync(file, `${JSON.stringify(toJsonReport(report), null, 2)}\n`)
    return file
  } catch (e) {
    core.warning(`could not write the JSON report: ${errorMessage(e)}`)
    return undefined
  }
}

/** How long the end of a run waits for queued GitHub updates. */
const FLUSH_MS = 60_000

const FAILED = new Set(['failed', 'rolled-back', 'held', 'rollback-failed'])

async function finish(
  report: RolloutReport,
  dir: string,
  extra = ''
): Promise<void> {
  const { renderMarkdown, toJsonReport } = await engine()
  core.setOutput('result', report.result)
  core.setOutput('reason', report.reason)
  core.setOutput('version', report.version)
  if (report.previousVersion) {
    core.setOutput('previous-version', report.previousVersion)
  }
  if (report.failedGate) core.setOutput('failed-gate', report.failedGate)
  const file = writeReport(dir, report, toJsonReport)
  if (file) core.setOutput('report', file)
  await writeSummary(
    `${renderMarkdown(report, { maxChars: 1_000_000 })}${extra ? `\n${extra}` : ''}`
  )
  if (FAILED.has(report.result)) {
    core.setFailed(`${report.result}: ${report.reason}`)
  }
}

/** Runs gates (all, one, or rollback), stopping cleanly on SIGINT/SIGTERM. */
/** The commit checked out in the workspace, when it is a git checkout. */
function workspaceHead(workspace: string): string | undefined {
  const r = spawnSync('git', ['-C', workspace, 'rev-parse', 'HEAD'], {
    encoding: 'utf8',
    timeout: 10_000
  })
  return r.status === 0 ? r.stdout.trim() : undefined
}

async function rollout(inputs: Inputs, loaded: Loaded): Promise<void> {
  const { config } = loaded
  const refused = pullRequestTargetProblem(workspaceHead(inputs.workspace))
  if (refused) {
    core.setOutput('result', 'failed')
    core.setOutput('reason', refused)
    core.setFailed(refused)
    return
  }
  const {
    closeHttpDispatchers,
    consoleReporter,
    createRedactor,
    doraMarkdown,
    fileStateStore,
    notifyReporter,
    realIo,
    runRollout
  } = await engine()
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    core.warning(`${signal} received: stopping the rollout and rolling back`)
    controller.abort(new Error(`${signal} received`))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const dir = workDir(config)
  const warn = (m: string): void => core.warning(m)
  const context = readGitHubContext()
  // Octokit loads only when there is somewhere to report to.
  const surfaces =
    inputs.token && context
      ? (await import('./github/surfaces.js')).githubSurfaces({
          token: inputs.token,
          context,
          config,
          version: inputs.version,
          ...(inputs.previousVersion
            ? { previousVersion: inputs.previousVersion }
            : {}),
          configDigest: loaded.digest,
          warn
        })
      : undefined
  try {
    // The version a rollback returns to: the input, else the last good
    // deployment of the environment (never waiting on it to roll back).
    const previousVersion =
      inputs.rollbackTo ??
      inputs.previousVersion ??
      (await surfaces?.previousVersion())
    const values = {
      version: inputs.version,
      ...(previousVersion ? { previousVersion } : {}),
      sha: context?.sha || inputs.sha,
      environment: config.environment,
      service: config.service
    }
    const file = fileStateStore(path.join(dir, 'state.json'))
    const state = surfaces
      ? surfaces.stateStore(file, {
          version: 1,
          service: values.service,
          environment: values.environment,
          rolloutVersion: values.version,
          ...(previousVersion ? { previousVersion } : {}),
          sha: values.sha,
          startedAt: Date.now(),
          rollbackAttempts: 0
        })
      : file
    const secrets = [...loaded.secrets, ...(inputs.token ? [inputs.token] : [])]
    const redactor = createRedactor(secrets)
    const io = realIo({
      workspace: inputs.workspace,
      env: process.env,
      reporters: [
        consoleReporter((line) => core.info(line)),
        ...(surfaces?.reporters ?? []),
        notifyReporter(config.notify, {
          env: process.env,
          redact: (t) => redactor.redact(t),
          addSecrets: (list) => {
            for (const x of list) {
              core.setSecret(x)
              redactor.add(x)
            }
          },
          warn,
          info: (m) => core.info(m),
          vars: config.vars,
          ...(context?.runUrl ? { runUrl: context.runUrl } : {})
        })
      ],
      warn
    })
    const report = await runRollout(
      {
        config,
        gate: inputs.gate as Exclude<Inputs['gate'], 'validate' | 'plan'>,
        ...(inputs.step !== undefined ? { step: inputs.step } : {}),
        values,
        dryRun: inputs.dryRun,
        state,
        signal: controller.signal,
        ...(surfaces ? { preflight: surfaces.preflight } : {}),
        secrets,
        redactor
      },
      io
    )
    await surfaces?.flush(FLUSH_MS)
    const metrics = await surfaces?.metrics().catch(() => undefined)
    await finish(report, dir, metrics ? doraMarkdown(metrics) : '')
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await closeHttpDispatchers()
  }
}

/** The action's main step. */
export async function run(): Promise<void> {
  try {
    core.saveState('isPost', 'true')
    const inputs = readInputs()
    const loaded = await load(inputs)
    if (!loaded) return
    const { config } = loaded
    const plan = buildPlan(config)
    switch (inputs.gate) {
      case 'validate':
        core.info(
          `config '${inputs.config}' is valid: ${config.service} → ${config.environment}, gates ${plan.gates.join(', ') || '(none)'}`
        )
        core.setOutput('result', 'valid')
        core.setOutput('version', inputs.version)
        return
      case 'plan':
        core.setOutput('plan', JSON.stringify(plan))
        core.setOutput('version', inputs.version)
        core.info(JSON.stringify(plan, null, 2))
        await writeSummary(planMarkdown(config, plan))
        return
      default:
        await rollout(inputs, loaded)
    }
  } catch (e) {
    if (e instanceof InputError) {
      core.setFailed(e.message)
      return
    }
    const err = e instanceof Error ? e : new Error(String(e))
    core.debug(err.stack ?? err.message)
    core.setFailed(`deploy-gates failed unexpectedly: ${err.message}`)
  }
}

/**
 * The post step: a safety net. When the main step was killed mid-rollout,
 * the saved state says what changed, and the rollback finishes here.
 */
export async function post(): Promise<void> {
  try {
    const inputs = readInputs()
    if (['validate', 'plan'].includes(inputs.gate)) return
    const absolute = path.resolve(inputs.workspace, inputs.config)
    const result = await loadConfigFile(absolute, inputs.config)
    if (!result.ok) return
    const config = result.config
    if (inputs.environment) config.environment = inputs.environment
    const dir = workDir(config)
    const {
      closeHttpDispatchers,
      consoleReporter,
      fileStateStore,
      realIo,
      recoverRollout
    } = await engine()
    const io = realIo({
      workspace: inputs.workspace,
      env: process.env,
      reporters: [consoleReporter((line) => core.info(line))],
      warn: (m) => core.warning(m)
    })
    const report = await recoverRollout(
      {
        config,
        dryRun: inputs.dryRun,
        state: fileStateStore(path.join(dir, 'state.json')),
        signal: new AbortController().signal,
        ...(inputs.token ? { secrets: [inputs.token] } : {})
      },
      io
    )
    await closeHttpDispatchers()
    if (!report) {
      core.info('post: no rollback pending')
      return
    }
    await finish(report, dir)
  } catch (e) {
    core.setFailed(`deploy-gates post step failed: ${errorMessage(e)}`)
  }
}
