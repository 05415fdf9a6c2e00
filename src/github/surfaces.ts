/**
 * Everything deploy-gates shows and keeps in GitHub for one rollout, built
 * from the token and the run's context: check runs, the PR comment,
 * deployments (with the state store that spans jobs), preflight queries and
 * the rollback target from the deployment history.
 */
import type { Config } from '../config/schema.js'
import type { Reporter } from '../rollout/events.js'
import type { PreflightQueries } from '../rollout/gates/preflight.js'
import type { RolloutState, StateStore } from '../rollout/state.js'
import { ChecksReporter } from './checks.js'
import { createGitHubClient, type GitHub } from './client.js'
import { CommentReporter } from './comments.js'
import type { GitHubContext } from './context.js'
import {
  DeploymentStateStore,
  Deployments,
  DeploymentsReporter,
  previousSuccessfulVersion
} from './deployments.js'
import { Guard } from './guard.js'
import { preflightQueries } from './preflight.js'
import { QueuedReporter } from './queue.js'
import { PostmortemReporter } from './postmortem.js'
import {
  currentRollout,
  doraMarkdown,
  metricsOf,
  readHistory,
  type CurrentRollout,
  type DeploymentMetrics,
  type History
} from './dora.js'

export interface Surfaces {
  gh: GitHub
  reporters: Reporter[]
  /** Waits for queued GitHub updates, at most `ms`. */
  flush(ms: number): Promise<boolean>
  preflight: PreflightQueries
  /** Wraps the local state store so jobs of one rollout share what changed. */
  stateStore(
    file: StateStore,
    base: Omit<RolloutState, 'changed' | 'phase' | 'result' | 'updatedAt'>
  ): StateStore
  previousVersion(): Promise<string | undefined>
  /** This rollout's GitHub Deployment, once found or created (after flush). */
  deploymentId(): number | undefined
  /**
   * Deployment metrics of the last 30 days, the finishing rollout included
   * when given (the history is read once per run).
   */
  metrics(current?: CurrentRollout): Promise<DeploymentMetrics | undefined>
}

export interface SurfaceOptions {
  token: string
  context: GitHubContext
  config: Config
  version: string
  previousVersion?: string
  configDigest?: string
  warn: (message: string) => void
  /** Tests make retries fast. */
  retryAfterBaseValue?: number
}

/** Builds the GitHub surfaces the config asks for. */
export function githubSurfaces(o: SurfaceOptions): Surfaces {
  const gh = createGitHubClient({
    token: o.token,
    baseUrl: o.context.apiUrl,
    log: o.warn,
    ...(o.retryAfterBaseValue !== undefined
      ? { retryAfterBaseValue: o.retryAfterBaseValue }
      : {})
  })
  const guard = new Guard(o.warn)
  const { config, context } = o
  const deployments = new Deployments({
    gh,
    context,
    guard,
    service: config.service,
    environment: config.environment,
    version: o.version,
    ...(o.previousVersion ? { previousVersion: o.previousVersion } : {}),
    ...(o.configDigest ? { configDigest: o.configDigest } : {})
  })
  let history: Promise<History | undefined> | undefined
  const dora = async (
    current?: CurrentRollout
  ): Promise<DeploymentMetrics | undefined> => {
    history ??= readHistory(
      gh,
      context,
      guard,
      config.environment,
      Date.now(),
      {
        // Bounded so a run stays within its GitHub request budget.
        maxDeployments: 100,
        maxCommitLookups: 3,
        ...(current ? { leadTimeOf: [current.sha] } : {})
      }
    )
    const h = await history
    return h && metricsOf(config.environment, h, Date.now(), 30, current)
  }
  const reporters: Reporter[] = []
  if (config.report.checks !== 'off') {
    reporters.push(
      new ChecksReporter({
        gh,
        context,
        guard,
        environment: config.environment,
        service: config.service,
        ...(config.report['check-name']
          ? { name: config.report['check-name'] }
          : {}),
        perGate: config.report.checks === 'per-gate'
      })
    )
  }
  if (config.report.comment) {
    reporters.push(
      new CommentReporter({
        gh,
        context,
        guard,
        service: config.service,
        environment: config.environment,
        footer: async (report) => {
          const m = await dora(currentRollout(report, deployments.known()))
          return m ? doraMarkdown(m) : undefined
        }
      })
    )
  }
  const stores: DeploymentStateStore[] = []
  const deploymentsReporter = new DeploymentsReporter(deployments)
  reporters.push({
    onEvent: async (e) => {
      // The verdict status goes after the statuses the state store has
      // already queued, so it stays the latest.
      if (e.type === 'rollout-finished') {
        await Promise.all(stores.map((st) => st.settled()))
      }
      await deploymentsReporter.onEvent(e)
    }
  })
  if (config.report.postmortem) {
    reporters.push(
      new PostmortemReporter({ gh, context, guard, enabled: true })
    )
  }
  const queue = new QueuedReporter(
    {
      onEvent: async (e) => {
        for (const r of reporters) await r.onEvent(e)
      }
    },
    o.warn
  )
  return {
    gh,
    reporters: [queue],
    flush: async (ms) => {
      await Promise.race([
        Promise.all(stores.map((st) => st.settled())),
        new Promise((resolve) => setTimeout(resolve, ms).unref())
      ])
      return queue.flush(ms)
    },
    preflight: preflightQueries(gh, context),
    stateStore: (file, base) => {
      const store = new DeploymentStateStore(file, deployments, base)
      stores.push(store)
      return store
    },
    deploymentId: () => deployments.known(),
    metrics: dora,
    previousVersion: () =>
      previousSuccessfulVersion(gh, context, guard, config.environment)
  }
}
