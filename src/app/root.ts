/**
 * The one composition root of a rollout, shared by the action and the CLI:
 * it wires the redactor, signals to an abort, the reporters, the state
 * store and the report files, maps the verdict to outputs and an exit code,
 * and closes what the run opened.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Config } from '../config/schema.js'
import type { Surfaces } from '../github/surfaces.js'
import type { RolloutReport, RolloutResult } from '../rollout/events.js'
import type { RolloutOptions } from '../rollout/run.js'
import {
  closeHttpDispatchers,
  consoleReporter,
  createRedactor,
  currentRollout,
  doraJson,
  doraMarkdown,
  fileStateStore,
  notifyReporter,
  realIo,
  recoverRollout,
  renderMarkdown,
  runRollout,
  toJsonReport
} from '../engine.js'
import { errorMessage } from '../kernel/errors.js'
import { configIdentifiers } from '../redact/identifiers.js'
import { shortSecretWarnings } from './secrets.js'
import { groupedReporter } from './groups.js'
import type { Host } from './host.js'
import { reportOutputs, type Outputs } from './outputs.js'
import { startRunnerMonitor } from '../runner/monitor.js'

export interface RunRequest {
  config: Config
  gate: RolloutOptions['gate']
  /** Canary step to run, by its weight. */
  step?: number
  version: string
  /** The version a rollback returns to, when the caller was told it. */
  previousVersion?: string
  sha: string
  dryRun: boolean
  workspace: string
  /** Secret values known before the run: the config's, the token. */
  secrets: string[]
  /** Where state.json and report.json go. */
  dir: string
  /** Also write report.md there (the CLI has no job summary). */
  markdownFile?: boolean
  /** GitHub's check runs, comment and deployment, when there is a token. */
  surfaces?: Surfaces
  /** The workflow run, linked from notifications. */
  runUrl?: string
}

export interface RecoverRequest {
  config: Config
  dryRun: boolean
  workspace: string
  secrets: string[]
  dir: string
}

export interface RunOutcome {
  report: RolloutReport
  outputs: Outputs
  exitCode: 0 | 1
  /** Why the step fails, when the verdict fails it. */
  failure?: string
  files: { json?: string; markdown?: string }
}

/** How long the end of a run waits for queued GitHub updates. */
const FLUSH_MS = 60_000

const FAILED: ReadonlySet<RolloutResult> = new Set([
  'failed',
  'rolled-back',
  'held',
  'rollback-failed'
])

/**
 * promoted, passed and paused succeed; every other verdict fails the run,
 * except a rollback that was asked for (`gate: rollback`) and completed:
 * that run did what it was asked, so it is green. Only a rollback that
 * failed (or held) fails it.
 */
export function exitCodeOf(
  result: RolloutResult,
  gate?: RolloutOptions['gate']
): 0 | 1 {
  if (gate === 'rollback' && result === 'rolled-back') return 0
  return FAILED.has(result) ? 1 : 0
}

/** A report that cannot be written is a warning; it never changes a verdict. */
function write(host: Host, file: string, text: string, what: string): boolean {
  try {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, text)
    return true
  } catch (e) {
    host.warn(`could not write the ${what}: ${errorMessage(e)}`)
    return false
  }
}

/** Keeps the reports, then turns the verdict into outputs and an exit code. */
async function conclude(
  host: Host,
  report: RolloutReport,
  o: {
    dir: string
    markdownFile?: boolean
    extra?: string
    /** The deployment metrics as JSON, for the `dora` output. */
    dora?: string
    surfaces?: Surfaces
    gate?: RolloutOptions['gate']
  }
): Promise<RunOutcome> {
  const json = path.join(o.dir, 'report.json')
  const files: RunOutcome['files'] = {}
  if (
    write(
      host,
      json,
      `${JSON.stringify(toJsonReport(report), null, 2)}\n`,
      'JSON report'
    )
  ) {
    files.json = json
  }
  const markdown = renderMarkdown(report, { maxChars: 1_000_000 })
  if (o.markdownFile) {
    const md = path.join(o.dir, 'report.md')
    if (write(host, md, markdown, 'markdown report')) files.markdown = md
  }
  // What this run cost of the token's hourly GitHub budget.
  const requests = o.surfaces?.requests()
  const footer =
    requests !== undefined
      ? `\n<sub>GitHub API: ${requests} request${requests === 1 ? '' : 's'}</sub>\n`
      : ''
  await host.summary?.(`${markdown}${o.extra ? `\n${o.extra}` : ''}${footer}`)
  const deploymentId = o.surfaces?.deploymentId()
  const exitCode = exitCodeOf(report.result, o.gate)
  return {
    report,
    outputs: {
      ...reportOutputs(report, {
        ...(files.json ? { reportFile: files.json } : {}),
        ...(deploymentId !== undefined ? { deploymentId } : {})
      }),
      ...(o.dora ? { dora: o.dora } : {})
    },
    exitCode,
    ...(exitCode !== 0
      ? { failure: `${report.result}: ${report.reason}` }
      : {}),
    files
  }
}

/**
 * Runs gates (all, one, or a rollback). SIGINT and SIGTERM abort the run,
 * which then rolls back: the only process signal handlers of deploy-gates.
 */
export async function runGates(
  host: Host,
  req: RunRequest
): Promise<RunOutcome> {
  const { config, surfaces } = req
  for (const w of shortSecretWarnings(config)) host.warn(w)
  const controller = new AbortController()
  // A second signal (GitHub sends SIGTERM 7.5 s after SIGINT) stops every
  // wait of the rollback, which then says what it left undone.
  const hurry = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      host.interrupted(
        `second ${signal} received: the rollback stops waiting (verify cut short)`
      )
      hurry.abort(new Error(`a second ${signal}`))
      return
    }
    host.interrupted(
      `${signal} received: stopping the rollout and rolling back`
    )
    controller.abort(new Error(`${signal} received`))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const grouped = groupedReporter(
    host,
    consoleReporter((line) => host.info(line))
  )
  // How busy this runner is: samples it stalled on are set aside.
  const runner = startRunnerMonitor()
  try {
    // The version a rollback returns to: the caller's, else the last good
    // deployment of the environment (never waiting on it to roll back).
    const previousVersion =
      req.previousVersion ?? (await surfaces?.previousVersion())
    const values = {
      version: req.version,
      ...(previousVersion ? { previousVersion } : {}),
      sha: req.sha,
      environment: config.environment,
      service: config.service
    }
    // One rollout per environment: before anything changes.
    const refused = await surfaces?.acquire(controller.signal, (line) =>
      host.info(line)
    )
    if (refused !== undefined) {
      const now = Date.now()
      await surfaces?.flush(FLUSH_MS)
      return await conclude(
        host,
        {
          service: values.service,
          environment: values.environment,
          version: values.version,
          ...(previousVersion ? { previousVersion } : {}),
          sha: values.sha,
          result: 'failed',
          reason: refused,
          startedAt: now,
          endedAt: now,
          gates: [],
          chart: [],
          timeline: [{ at: now, text: refused }]
        },
        { dir: req.dir, ...(surfaces ? { surfaces } : {}), gate: req.gate }
      )
    }
    const file = fileStateStore(path.join(req.dir, 'state.json'))
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
    const redactor = createRedactor(req.secrets, {
      identifiers: configIdentifiers(config)
    })
    const warn = (m: string): void => host.warn(m)
    const io = realIo({
      workspace: req.workspace,
      env: process.env,
      reporters: [
        grouped,
        ...(surfaces?.reporters ?? []),
        notifyReporter(config.notify, {
          env: process.env,
          redact: (t) => redactor.redact(t),
          addSecrets: (list) => {
            for (const x of list) {
              host.mask(x)
              redactor.add(x)
            }
          },
          warn,
          info: (m) => host.info(m),
          vars: config.vars,
          ...(req.runUrl ? { runUrl: req.runUrl } : {})
        })
      ],
      warn,
      runner,
      ...(host.written ? { logWritten: () => host.written?.() } : {})
    })
    const report = await runRollout(
      {
        config,
        gate: req.gate,
        ...(req.step !== undefined ? { step: req.step } : {}),
        values,
        dryRun: req.dryRun,
        state,
        signal: controller.signal,
        hurry: hurry.signal,
        ...(surfaces ? { preflight: surfaces.preflight } : {}),
        secrets: req.secrets,
        redactor
      },
      io
    )
    await surfaces?.flush(FLUSH_MS)
    // The metrics count this rollout too, whatever GitHub shows of it yet.
    const metrics = await surfaces
      ?.metrics(currentRollout(report, surfaces.deploymentId()))
      .catch(() => undefined)
    return await conclude(host, report, {
      dir: req.dir,
      ...(req.markdownFile ? { markdownFile: true } : {}),
      ...(metrics
        ? { extra: doraMarkdown(metrics), dora: doraJson(metrics) }
        : {}),
      ...(surfaces ? { surfaces } : {}),
      gate: req.gate
    })
  } finally {
    runner.close()
    grouped.close()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await closeHttpDispatchers()
  }
}

/**
 * The post step's safety net: finishes the rollback of a run that was
 * killed mid-rollout. Undefined when nothing is pending.
 */
export async function recoverGates(
  host: Host,
  req: RecoverRequest
): Promise<RunOutcome | undefined> {
  const grouped = groupedReporter(
    host,
    consoleReporter((line) => host.info(line))
  )
  try {
    const report = await recoverRollout(
      {
        config: req.config,
        dryRun: req.dryRun,
        state: fileStateStore(path.join(req.dir, 'state.json')),
        signal: new AbortController().signal,
        secrets: req.secrets
      },
      realIo({
        workspace: req.workspace,
        env: process.env,
        reporters: [grouped],
        warn: (m) => host.warn(m),
        ...(host.written ? { logWritten: () => host.written?.() } : {})
      })
    )
    return report ? await conclude(host, report, { dir: req.dir }) : undefined
  } finally {
    grouped.close()
    await closeHttpDispatchers()
  }
}
