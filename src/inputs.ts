/**
 * The only reader of action inputs and the GitHub context. Everything past
 * this module sees typed values, so a bad input is reported once, here, with
 * the input's name and value.
 */
import * as core from '@actions/core'
import { suggest } from './config/suggest.js'

export const GATES = [
  'all',
  'validate',
  'plan',
  'preflight',
  'migrate',
  'deploy',
  'health',
  'smoke',
  'canary',
  'soak',
  'promote',
  'rollback'
] as const
export type GateInput = (typeof GATES)[number]

export interface Inputs {
  config: string
  gate: GateInput
  /** Canary step to run, by its weight. */
  step?: number
  environment?: string
  version: string
  previousVersion?: string
  rollbackTo?: string
  token?: string
  dryRun: boolean
  sha: string
  ref: string
  workspace: string
}

export class InputError extends Error {
  override name = 'InputError'
}

function shortSha(sha: string): string {
  return sha.slice(0, 7)
}

/** Reads and checks every input; throws InputError naming the bad one. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const gateText = core.getInput('gate') || 'all'
  if (!(GATES as readonly string[]).includes(gateText)) {
    const near = suggest(gateText, GATES)
    throw new InputError(
      `input 'gate': unknown gate '${gateText}'${near ? ` (did you mean '${near}'?)` : ''}; use one of ${GATES.join(', ')}`
    )
  }
  const stepText = core.getInput('step')
  let step: number | undefined
  if (stepText !== '') {
    const n = Number(stepText.replace(/%$/, ''))
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      throw new InputError(
        `input 'step': expected the weight of a canary step (1-100), got '${stepText}'`
      )
    }
    step = n
  }
  const dryText = (core.getInput('dry-run') || 'false').toLowerCase()
  if (!['true', 'false'].includes(dryText)) {
    throw new InputError(
      `input 'dry-run': expected 'true' or 'false', got '${core.getInput('dry-run')}'`
    )
  }
  const sha = env.GITHUB_SHA ?? ''
  const ref = env.GITHUB_REF ?? ''
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ''
  const token = core.getInput('github-token')
  if (token) core.setSecret(token)
  return {
    config: core.getInput('config') || '.github/deploy-gates.yml',
    gate: gateText as GateInput,
    step,
    environment: core.getInput('environment') || undefined,
    version:
      core.getInput('version') || tag || (sha ? shortSha(sha) : 'unknown'),
    previousVersion: core.getInput('previous-version') || undefined,
    rollbackTo: core.getInput('rollback-to') || undefined,
    token: token || undefined,
    dryRun: dryText === 'true',
    sha,
    ref,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd()
  }
}

/** The post step runs after the main step; it finishes pending rollbacks. */
export function isPostStep(): boolean {
  return core.getState('isPost') === 'true'
}
