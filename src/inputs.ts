/**
 * The only reader of action inputs and the GitHub context. Everything past
 * this module sees typed values, so a bad input is reported once, here, with
 * the input's name and value.
 */
import { readFileSync } from 'node:fs'
import * as core from '@actions/core'
import type { GitHubContext } from './github/context.js'
import { GATE_ORDER } from './config/schema.js'
import { suggest } from './config/suggest.js'
import { decodeUtf8 } from './config/utf8.js'
import { InputError } from './kernel/errors.js'
import { parseDuration } from './config/units.js'

export const GATES = [
  'all',
  'validate',
  'plan',
  ...GATE_ORDER,
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
  /** Another run rolling out the environment: refuse, wait or go on. */
  onConcurrent: 'fail' | 'wait' | 'ignore'
  /** How long `on-concurrent: wait` waits, in ms. */
  concurrentTimeoutMs: number
  sha: string
  ref: string
  workspace: string
}

export { InputError }

function shortSha(sha: string): string {
  return sha.slice(0, 7)
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1F\x7F-\x9F]/

/**
 * A one-line input: names, versions and paths travel into logs, env vars,
 * file names and GitHub deployments, where a line break or a terminal
 * escape would forge lines or hide text.
 */
function plainInput(name: string, max = 256): string {
  const value = core.getInput(name)
  const control = CONTROL.exec(value)
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase()
    throw new InputError(
      `input '${name}': contains the control character U+${code.padStart(4, '0')}; use one line of plain text`
    )
  }
  if (value.length > max) {
    throw new InputError(
      `input '${name}': ${value.length} characters long; the limit is ${max}`
    )
  }
  return value
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
  const concurrentText = (core.getInput('on-concurrent') || 'fail').trim()
  const modes = ['fail', 'wait', 'ignore'] as const
  const onConcurrent = modes.find((m) => m === concurrentText)
  if (onConcurrent === undefined) {
    const near = suggest(concurrentText, modes)
    throw new InputError(
      `input 'on-concurrent': unknown value '${concurrentText}'${near ? ` (did you mean '${near}'?)` : ''}; use fail, wait or ignore`
    )
  }
  const timeoutText = core.getInput('concurrent-timeout') || '1h'
  const timeout = parseDuration(timeoutText)
  if (!timeout.ok || timeout.value <= 0) {
    throw new InputError(
      `input 'concurrent-timeout': expected a duration such as 30m or 2h, got '${timeoutText}'`
    )
  }
  const sha = env.GITHUB_SHA ?? ''
  const ref = env.GITHUB_REF ?? ''
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ''
  const token = core.getInput('github-token')
  if (token) core.setSecret(token)
  return {
    config: plainInput('config', 4096) || '.github/deploy-gates.yml',
    gate: gateText as GateInput,
    step,
    environment: plainInput('environment') || undefined,
    version: plainInput('version') || tag || (sha ? shortSha(sha) : 'unknown'),
    previousVersion: plainInput('previous-version') || undefined,
    rollbackTo: plainInput('rollback-to') || undefined,
    token: token || undefined,
    dryRun: dryText === 'true',
    onConcurrent,
    concurrentTimeoutMs: timeout.value,
    sha,
    ref,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd()
  }
}

/** The post step runs after the main step; it finishes pending rollbacks. */
export function isPostStep(): boolean {
  return core.getState('isPost') === 'true'
}

interface EventPayload {
  pull_request?: {
    number?: number
    head?: { sha?: string; repo?: { full_name?: string } }
    base?: { repo?: { full_name?: string } }
  }
}

function readEvent(file: string | undefined): EventPayload {
  if (!file) return {}
  try {
    const decoded = decodeUtf8(readFileSync(file), 'the event payload')
    if (!decoded.ok) {
      core.warning(`${decoded.message}; reporting on GITHUB_SHA`)
      return {}
    }
    const parsed: unknown = JSON.parse(decoded.text)
    return parsed && typeof parsed === 'object' ? parsed : {}
  } catch {
    core.warning(
      `could not read the event payload '${file}'; reporting on GITHUB_SHA`
    )
    return {}
  }
}

/**
 * The repository, commit and pull request to report on. For pull request
 * events that is the PR's head commit (GITHUB_SHA is the merge commit).
 */
export function readGitHubContext(
  env: NodeJS.ProcessEnv = process.env
): GitHubContext | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) return undefined
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const pr = event.pull_request
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const runId = env.GITHUB_RUN_ID
  return {
    owner,
    repo,
    sha: pr?.head?.sha ?? env.GITHUB_SHA ?? '',
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF || env.GITHUB_SHA || '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ...(typeof pr?.number === 'number' ? { pullNumber: pr.number } : {}),
    fork:
      !!pr?.head?.repo?.full_name &&
      pr.head.repo.full_name !== pr.base?.repo?.full_name,
    serverUrl,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    ...(runId
      ? {
          runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
        }
      : {})
  }
}

/**
 * Under `pull_request_target` the job has a write token and secrets; if the
 * workspace holds the PR's head commit, the config and its commands come
 * from the PR's author. Returns why the rollout must not run, or undefined.
 */
export function pullRequestTargetProblem(
  headOfWorkspace: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): string | undefined {
  if (env.GITHUB_EVENT_NAME !== 'pull_request_target') return undefined
  const head = readEvent(env.GITHUB_EVENT_PATH).pull_request?.head?.sha
  if (!head || !headOfWorkspace || head !== headOfWorkspace) return undefined
  return `refusing to run a rollout under pull_request_target with the pull request's head (${head.slice(0, 7)}) checked out: its config and commands come from the PR author, and this job has a write token and secrets. Check out the base branch (the default for pull_request_target) or use the pull_request event. See SECURITY.md.`
}
