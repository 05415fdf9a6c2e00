/**
 * The action over @actions/core: reads inputs, loads the config, hands the
 * gates to the composition root (src/app/root.ts) and shows what came back
 * as outputs, the job summary, annotations and log groups. The only place
 * that decides the step's exit status (setFailed).
 */
import { spawnSync } from 'node:child_process'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import {
  pullRequestTargetProblem,
  readGitHubContext,
  readInputs,
  type Inputs
} from './inputs.js'
import {
  formatConfigError,
  loadConfigFile,
  moreErrorsLine,
  type ConfigProblem
} from './config/load.js'
import type { Config } from './config/schema.js'
import { buildPlan } from './rollout/plan.js'
import { planMarkdown } from './report/plan-markdown.js'
import { DeployGatesError, errorMessage } from './kernel/errors.js'
import { streamWritten, type Host } from './app/host.js'
import type { Outputs } from './app/outputs.js'
import type { RunRequest } from './app/root.js'
import { configSecrets } from './app/secrets.js'

/**
 * The root loads with the engine (probes, analysis, reporters) only for
 * gates that run a rollout, so `validate` and `plan` start fast.
 */
async function root(): Promise<typeof import('./app/root.js')> {
  return import('./app/root.js')
}

/** What a step ends with: its outputs, and why it fails when it does. */
interface Conclusion {
  outputs: Outputs
  failure?: string
}

/** Writes every output once, at the end, then fails the step if it must. */
function conclude(c: Conclusion): void {
  for (const [name, value] of Object.entries(c.outputs)) {
    core.setOutput(name, value)
  }
  if (c.failure !== undefined) core.setFailed(c.failure)
}

/** Annotations land on the config file's line, where the fix is made. */
function annotate(errors: ConfigProblem[], more = 0): void {
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
  if (more > 0)
    core.error(moreErrorsLine(more), { title: 'deploy-gates config' })
}

/** The runner masks a multi-line secret reliably only line by line. */
function mask(secret: string): void {
  core.setSecret(secret)
  if (!secret.includes('\n')) return
  for (const line of secret.split(/\r?\n/)) {
    if (line.trim().length >= 4 && !line.startsWith('-----')) {
      core.setSecret(line.trim())
    }
  }
}

/** A reporting failure is a warning; it never changes a verdict. */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (e) {
    core.warning(`could not write the job summary: ${errorMessage(e)}`)
  }
}

/** The root's view of the runner: log, masks, groups, job summary. */
const host: Host = {
  info: (line) => core.info(line),
  // core.info writes to stdout: command output waits while that queues.
  written: streamWritten(process.stdout),
  warn: (message) => core.warning(message),
  interrupted: (message) => core.warning(message),
  mask,
  startGroup: (title) => core.startGroup(title),
  endGroup: () => core.endGroup(),
  summary: writeSummary
}

interface Loaded {
  config: Config
  secrets: string[]
  digest: string
}

async function load(inputs: Inputs): Promise<Loaded | Conclusion> {
  const absolute = path.resolve(inputs.workspace, inputs.config)
  const relative = path.relative(inputs.workspace, absolute) || inputs.config
  const result = await loadConfigFile(absolute, relative)
  if (!result.ok) {
    const errors = result.errors
    const count = errors.length + (result.more ?? 0)
    annotate(errors, result.more)
    return {
      outputs: { result: 'invalid', reason: formatConfigError(errors[0]) },
      failure: `config '${relative}' has ${count} error${count === 1 ? '' : 's'}`
    }
  }
  const config = result.config
  if (inputs.environment) config.environment = inputs.environment
  // Mask every secret the config can reach before anything prints.
  const secrets = configSecrets(result.raw, config)
  for (const s of secrets) mask(s)
  return { config, secrets, digest: result.digest }
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

/** The commit checked out in the workspace, when it is a git checkout. */
function workspaceHead(workspace: string): string | undefined {
  const r = spawnSync('git', ['-C', workspace, 'rev-parse', 'HEAD'], {
    encoding: 'utf8',
    timeout: 10_000
  })
  return r.status === 0 ? r.stdout.trim() : undefined
}

/** Runs gates (all, one, or rollback) and reports them on GitHub. */
async function rollout(inputs: Inputs, loaded: Loaded): Promise<Conclusion> {
  const { config } = loaded
  const refused = pullRequestTargetProblem(workspaceHead(inputs.workspace))
  if (refused) {
    return { outputs: { result: 'failed', reason: refused }, failure: refused }
  }
  const { runGates } = await root()
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
          warn: (m) => core.warning(m),
          onConcurrent: inputs.onConcurrent,
          concurrentTimeoutMs: inputs.concurrentTimeoutMs
        })
      : undefined
  const previousVersion = inputs.rollbackTo ?? inputs.previousVersion
  const outcome = await runGates(host, {
    config,
    gate: inputs.gate as RunRequest['gate'],
    ...(inputs.step !== undefined ? { step: inputs.step } : {}),
    version: inputs.version,
    ...(previousVersion ? { previousVersion } : {}),
    sha: context?.sha || inputs.sha,
    dryRun: inputs.dryRun,
    workspace: inputs.workspace,
    secrets: [...loaded.secrets, ...(inputs.token ? [inputs.token] : [])],
    dir: workDir(config),
    ...(surfaces ? { surfaces } : {}),
    ...(context?.runUrl ? { runUrl: context.runUrl } : {})
  })
  return {
    outputs: outcome.outputs,
    ...(outcome.failure !== undefined ? { failure: outcome.failure } : {})
  }
}

async function main(): Promise<Conclusion> {
  core.saveState('isPost', 'true')
  const inputs = readInputs()
  const loaded = await load(inputs)
  if ('outputs' in loaded) return loaded
  const { config } = loaded
  const plan = buildPlan(config, Date.now())
  switch (inputs.gate) {
    case 'validate':
      core.info(
        `config '${inputs.config}' is valid: ${config.service} → ${config.environment}, gates ${plan.gates.join(', ') || '(none)'}`
      )
      return { outputs: { result: 'valid', version: inputs.version } }
    case 'plan':
      core.info(JSON.stringify(plan, null, 2))
      await writeSummary(planMarkdown(config, plan))
      return {
        outputs: { plan: JSON.stringify(plan), version: inputs.version }
      }
    default:
      return rollout(inputs, loaded)
  }
}

/** The action's main step. */
export async function run(): Promise<void> {
  let conclusion: Conclusion
  try {
    conclusion = await main()
  } catch (e) {
    if (e instanceof DeployGatesError) {
      // Ours: a bad input, unreadable state; the message says it all.
      conclusion = { outputs: {}, failure: e.message }
    } else {
      const err = e instanceof Error ? e : new Error(String(e))
      core.debug(err.stack ?? err.message)
      conclusion = {
        outputs: {},
        failure: `deploy-gates failed unexpectedly: ${err.message}`
      }
    }
  }
  conclude(conclusion)
}

/** Finishes a pending rollback, or undefined when there is nothing to do. */
async function recover(): Promise<Conclusion | undefined> {
  const inputs = readInputs()
  if (['validate', 'plan'].includes(inputs.gate)) return undefined
  const absolute = path.resolve(inputs.workspace, inputs.config)
  const result = await loadConfigFile(absolute, inputs.config)
  if (!result.ok) return undefined
  const config = result.config
  if (inputs.environment) config.environment = inputs.environment
  const { recoverGates } = await root()
  const outcome = await recoverGates(host, {
    config,
    dryRun: inputs.dryRun,
    workspace: inputs.workspace,
    secrets: inputs.token ? [inputs.token] : [],
    dir: workDir(config)
  })
  if (!outcome) {
    core.info('post: no rollback pending')
    return undefined
  }
  return {
    outputs: outcome.outputs,
    ...(outcome.failure !== undefined ? { failure: outcome.failure } : {})
  }
}

/**
 * The post step: a safety net. When the main step was killed mid-rollout,
 * the saved state says what changed, and the rollback finishes here.
 */
export async function post(): Promise<void> {
  let conclusion: Conclusion | undefined
  try {
    conclusion = await recover()
  } catch (e) {
    conclusion = {
      outputs: {},
      failure: `deploy-gates post step failed: ${errorMessage(e)}`
    }
  }
  if (conclusion) conclude(conclusion)
}
