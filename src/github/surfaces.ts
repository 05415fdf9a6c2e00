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
import { Exclusive, type OnConcurrent } from './exclusive.js'
import type { ListedDeployment, ListedStatus } from './deployments.js'
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
  /**
   * Before anything changes: makes sure no other run's rollout holds the
   * environment (refusing, waiting or warning per `on-concurrent`), and
   * creates this rollout's deployment. Resolves with why the run must not
   * go on, or undefined.
   */
  acquire(
    signal: AbortSignal,
    info: (line: string) => void
  ): Promise<string | undefined>
  /** GitHub API requests sent so far (retries included). */
  requests(): number
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
  /** What a rollout of the environment by another run means (default fail). */
  onConcurrent?: OnConcurrent
  /** How long `on-concurrent: wait` waits (default 1 hour). */
  concurrentTimeoutMs?: number
}

/** `concurrent-timeout`'s default: a long canary's worth of bakes. */
export const CONCURRENT_TIMEOUT_MS = 60 * 60 * 1000

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error('aborted'))
      return
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', stop)
      resolve()
    }, ms)
    const stop = (): void => {
      clearTimeout(t)
      reject(new Error('aborted'))
    }
    signal.addEventListener('abort', stop, { once: true })
  })
}

/** Builds the GitHub surfaces the config asks for. */
export function githubSurfaces(o: SurfaceOptions): Surfaces {
  let requests = 0
  const gh = createGitHubClient({
    token: o.token,
    baseUrl: o.context.apiUrl,
    log: o.warn,
    onRequest: () => {
      requests += 1
    },
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
  // The environment's newest deployments, read once for both the rollback
  // target and the concurrency check.
  let listing: Promise<readonly ListedDeployment[] | undefined> | undefined
  const firstList = (): Promise<readonly ListedDeployment[] | undefined> =>
    (listing ??= guard
      .run('deployment history', 'deployments: read', () =>
        gh.rest.repos.listDeployments({
          owner: context.owner,
          repo: context.repo,
          environment: config.environment,
          per_page: 30
        })
      )
      .then((r) => r?.data))
  // Each older deployment's statuses, read once before the rollout starts.
  const statusMemo = new Map<
    number,
    Promise<readonly ListedStatus[] | undefined>
  >()
  const statusesOnce = (
    id: number
  ): Promise<readonly ListedStatus[] | undefined> => {
    let p = statusMemo.get(id)
    if (!p) {
      p = guard
        .run('deployment history', 'deployments: read', () =>
          gh.rest.repos.listDeploymentStatuses({
            owner: context.owner,
            repo: context.repo,
            deployment_id: id,
            per_page: 10
          })
        )
        .then((r) => r?.data)
      statusMemo.set(id, p)
    }
    return p
  }
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
      previousSuccessfulVersion(
        gh,
        context,
        guard,
        config.environment,
        firstList,
        statusesOnce
      ),
    acquire: (signal, info) =>
      new Exclusive({
        gh,
        context,
        guard,
        environment: config.environment,
        version: o.version,
        mode: o.onConcurrent ?? 'fail',
        timeoutMs: o.concurrentTimeoutMs ?? CONCURRENT_TIMEOUT_MS,
        now: () => Date.now(),
        sleep,
        info,
        warn: o.warn,
        firstList,
        statusesOnce
      }).acquire(
        {
          ensure: (list) => deployments.begin(list),
          status: (state, text) => deployments.status(state, text)
        },
        signal
      ),
    requests: () => requests
  }
}
