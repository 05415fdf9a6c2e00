/**
 * Wires inputs → config → the requested gate → GitHub surfaces. The only
 * place that decides the step's exit status (setFailed).
 */
import * as path from 'node:path'
import * as core from '@actions/core'
import { InputError, readInputs, type Inputs } from './inputs.js'
import {
  formatConfigError,
  loadConfigFile,
  type ConfigError
} from './config/load.js'
import type { Config } from './config/schema.js'
import { buildPlan } from './rollout/plan.js'
import { planMarkdown } from './report/plan-markdown.js'

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

async function load(inputs: Inputs): Promise<Config | undefined> {
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
  return config
}

/** A reporting failure is a warning; it never changes a verdict. */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (e) {
    core.warning(`could not write the job summary: ${(e as Error).message}`)
  }
}

/** The action's main step. */
export async function run(): Promise<void> {
  try {
    core.saveState('isPost', 'true')
    const inputs = readInputs()
    const config = await load(inputs)
    if (!config) return
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
        core.setOutput('result', 'failed')
        core.setFailed(
          `gate '${inputs.gate}' needs the rollout engine, which this version of deploy-gates does not include yet; use gate 'validate' or 'plan'`
        )
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

/** The post step: a safety net that finishes a rollback left pending. */
export async function post(): Promise<void> {
  core.info('post: no rollback pending')
  return Promise.resolve()
}
