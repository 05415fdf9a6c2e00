/**
 * One rollout per environment at a time. A workflow `concurrency:` group is
 * the first guard; this one holds when it is missing or two workflows roll
 * out the same environment. The environment's GitHub Deployments are the
 * shared record: a deploy-gates deployment whose latest status is queued or
 * in progress, of another workflow run, is a rollout under way. The run
 * then refuses (`on-concurrent: fail`), waits for it (`wait`), or goes on
 * with a warning (`ignore`).
 *
 * Two runs that start together both create their deployment, then look
 * again: the older deployment (lower id) goes first, the newer one yields.
 */
import type { GitHub } from './client.js'
import type { GitHubContext } from './context.js'
import type { Guard } from './guard.js'
import {
  decodeChanges,
  type DeploymentPayload,
  type ListedDeployment,
  type ListedStatus
} from './deployments.js'
import { formatDuration } from '../kernel/format.js'

export type OnConcurrent = 'fail' | 'wait' | 'ignore'

/**
 * A status older than this belongs to a run that cannot still be running
 * one job (GitHub-hosted jobs end after 6 hours): the deployment was left
 * in progress by a run that died, and blocks nobody.
 */
export const STALE_MS = 6 * 60 * 60 * 1000

/** Candidates looked at per check: the newest deploy-gates deployments. */
const CANDIDATES = 5

type Listed = readonly ListedDeployment[]

/** A rollout of another run that holds the environment. */
export interface Holder {
  id: number
  version: string
  /** The run that rolls it out, when its statuses or payload say. */
  runUrl?: string
  state: string
  /** When its latest status (or the deployment) was written. */
  since: number
  listed: ListedDeployment
}

/** `https://…/actions/runs/42/attempts/1` → `42`. */
export function runIdOf(url: string | undefined): string | undefined {
  return /\/actions\/runs\/(\d+)/.exec(url ?? '')?.[1]
}

/** `matches-api v1 (deployment 12, run <url>)`: who holds the environment. */
export function describeHolder(h: Holder, now: number): string {
  const ms = Math.max(0, Math.round((now - h.since) / 1000) * 1000)
  const age = ms === 0 ? '0s' : formatDuration(ms)
  return `${h.version} (deployment ${h.id}, ${h.state} ${age} ago${h.runUrl ? `, run ${h.runUrl}` : ''})`
}

export interface ExclusiveOptions {
  gh: GitHub
  context: GitHubContext
  guard: Guard
  environment: string
  /** This rollout's version: with the commit, it names its deployment. */
  version: string
  mode: OnConcurrent
  /** How long `wait` waits before giving up. */
  timeoutMs: number
  now: () => number
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  info: (line: string) => void
  warn: (message: string) => void
  staleMs?: number
  /** The first listing, shared with the rollback-target lookup. */
  firstList?: () => Promise<Listed | undefined>
  /** Statuses read once per run, shared with the rollback-target lookup. */
  statusesOnce?: (id: number) => Promise<readonly ListedStatus[] | undefined>
}

/** What the own deployment needs from the guard's caller. */
export interface OwnDeployment {
  /** Finds this rollout's deployment in a listing, or creates it. */
  ensure(list: Listed | undefined): Promise<{ id?: number; created: boolean }>
  /** Posts a status on it (queued while waiting, error when refused). */
  status(
    state: 'queued' | 'in_progress' | 'error',
    description: string
  ): Promise<void>
}

export class Exclusive {
  private readonly staleMs: number
  private readonly warned = new Set<number>()

  constructor(private readonly o: ExclusiveOptions) {
    this.staleMs = o.staleMs ?? STALE_MS
  }

  private async list(first: boolean): Promise<Listed | undefined> {
    if (first && this.o.firstList) return this.o.firstList()
    const res = await this.o.guard.run(
      'deployment history',
      'deployments: read',
      () =>
        this.o.gh.rest.repos.listDeployments({
          owner: this.o.context.owner,
          repo: this.o.context.repo,
          environment: this.o.environment,
          per_page: 30
        })
    )
    return res?.data
  }

  /**
   * The other run's rollout that holds the environment, if any: among the
   * newest deploy-gates deployments older than `before` (all when
   * undefined), not this run's, with a queued or in-progress latest status
   * that is not stale.
   */
  async holder(
    list: Listed | undefined,
    ownId: number | undefined,
    fresh: boolean
  ): Promise<Holder | undefined> {
    const ownRun = runIdOf(this.o.context.runUrl)
    const candidates = (list ?? [])
      .filter((d) => {
        const p = d.payload as Partial<DeploymentPayload> | string
        return typeof p === 'object' && p.tool === 'deploy-gates'
      })
      .filter((d) => d.id !== ownId && (ownId === undefined || d.id < ownId))
      .slice(0, CANDIDATES)
    for (const d of candidates) {
      const p = d.payload as Partial<DeploymentPayload>
      if (ownRun !== undefined && runIdOf(p.run) === ownRun) continue
      // This rollout's own deployment (same commit and version), left by an
      // earlier attempt or job, unless it names another run.
      if (
        d.sha === this.o.context.sha &&
        p.version === this.o.version &&
        (p.run === undefined || runIdOf(p.run) === ownRun)
      ) {
        continue
      }
      const h = await this.holds(d, fresh)
      if (h) return h
    }
    return undefined
  }

  /**
   * The deployment as a holder of the environment, when its latest status
   * says another run is rolling it out (and that status is not stale).
   */
  private async holds(
    d: ListedDeployment,
    fresh: boolean
  ): Promise<Holder | undefined> {
    const ownRun = runIdOf(this.o.context.runUrl)
    const p = d.payload as Partial<DeploymentPayload>
    const statuses =
      !fresh && this.o.statusesOnce
        ? await this.o.statusesOnce(d.id)
        : (
            await this.o.guard.run(
              'deployment history',
              'deployments: read',
              () =>
                this.o.gh.rest.repos.listDeploymentStatuses({
                  owner: this.o.context.owner,
                  repo: this.o.context.repo,
                  deployment_id: d.id,
                  per_page: 1
                })
            )
          )?.data
    if (statuses === undefined) return undefined
    const latest = statuses[0]
    const runUrl = latest?.log_url || p.run || undefined
    if (ownRun !== undefined && runIdOf(runUrl) === ownRun) return undefined
    const state: string = latest?.state ?? 'created'
    if (!['queued', 'pending', 'in_progress', 'created'].includes(state)) {
      return undefined
    }
    const decoded = decodeChanges(latest?.description)
    // A paused rollout's run has ended; it waits for a person, not a run.
    if (decoded?.phase === 'done') return undefined
    if (latest?.description?.startsWith('paused')) return undefined
    const holder: Holder = {
      id: d.id,
      version: typeof p.version === 'string' ? p.version : d.sha.slice(0, 7),
      ...(runUrl ? { runUrl } : {}),
      state: state.replace('_', ' '),
      since: Date.parse(latest?.created_at ?? d.created_at),
      listed: d
    }
    const now = this.o.now()
    if (now - holder.since <= this.staleMs) return holder
    if (!this.warned.has(d.id)) {
      this.warned.add(d.id)
      this.o.warn(
        `${this.o.environment}: deployment ${describeHolder(holder, now)} is still marked ${holder.state}, but nothing was written for over ${formatDuration(this.staleMs)}: its run has ended without finishing it. Going on; mark it inactive to stop this warning.`
      )
    }
    return undefined
  }

  /**
   * Makes sure no other run's rollout holds the environment before this
   * one changes anything. Resolves with the reason to refuse, or
   * undefined to go on.
   */
  async acquire(
    own: OwnDeployment,
    signal: AbortSignal
  ): Promise<string | undefined> {
    const env = this.o.environment
    const first = await this.list(true)
    let holder = await this.holder(first, undefined, false)
    if (holder && this.o.mode === 'fail') return this.refusal(holder)
    const mine = await own.ensure(first)
    if (!holder && mine.created && mine.id !== undefined) {
      // A run that started at the same moment may have created its
      // deployment too: the older one goes first.
      // Statuses read a moment ago stand; only new deployments are read.
      holder = await this.holder(await this.list(false), mine.id, false)
    }
    if (!holder) return undefined
    // The same commit and version rolled out by another run: one
    // deployment for both, so this run waits for it without a status.
    const shared = holder.id === mine.id
    if (this.o.mode === 'ignore') {
      this.o.warn(
        `another rollout of ${env} is in progress: ${describeHolder(holder, this.o.now())}; going on anyway (on-concurrent: ignore)`
      )
      return undefined
    }
    if (this.o.mode === 'fail') {
      const reason = this.refusal(holder)
      if (!shared) await own.status('error', reason)
      return reason
    }
    return this.wait(holder, shared ? undefined : mine.id, own, signal)
  }

  private refusal(h: Holder): string {
    return `another rollout of ${this.o.environment} is in progress: ${describeHolder(h, this.o.now())}. Refusing to roll out on top of it (on-concurrent: fail); set on-concurrent: wait to queue behind it, or use a workflow concurrency group. If that run is gone, mark its deployment inactive.`
  }

  private async wait(
    first: Holder,
    ownId: number | undefined,
    own: OwnDeployment,
    signal: AbortSignal
  ): Promise<string | undefined> {
    const env = this.o.environment
    const start = this.o.now()
    const limit = formatDuration(this.o.timeoutMs)
    let holder: Holder | undefined = first
    const mark = async (
      state: 'queued' | 'in_progress' | 'error',
      text: string
    ): Promise<void> => {
      if (ownId !== undefined) await own.status(state, text)
    }
    await mark(
      'queued',
      `waiting for ${holder.version} (deployment ${holder.id}) to finish`
    )
    while (holder) {
      const waited = this.o.now() - start
      if (waited >= this.o.timeoutMs) {
        const reason = `gave up after ${limit} waiting for another rollout of ${env}: ${describeHolder(holder, this.o.now())} (concurrent-timeout: ${limit})`
        await mark('error', reason)
        return reason
      }
      this.o.info(
        `waiting for another rollout of ${env} to finish: ${describeHolder(holder, this.o.now())}; waited ${formatDuration(waited)} of ${limit}`
      )
      // Look often at first, then less: a long wait stays cheap in requests.
      const pause = Math.min(
        120_000,
        Math.max(5_000, Math.round(waited / 2)),
        this.o.timeoutMs - waited
      )
      try {
        await this.o.sleep(pause, signal)
      } catch {
        const reason = `interrupted while waiting for another rollout of ${env}: ${describeHolder(holder, this.o.now())}`
        await mark('error', reason)
        return reason
      }
      // One request while the same rollout holds on; the whole list again
      // only once it ends (someone else may be queued ahead).
      holder =
        (await this.holds(holder.listed, true)) ??
        (await this.holder(await this.list(false), ownId, true))
    }
    this.o.info(
      `the other rollout of ${env} has ended; starting after ${formatDuration(this.o.now() - start)}`
    )
    await mark('in_progress', 'starting')
    return undefined
  }
}
