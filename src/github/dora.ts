/**
 * Delivery metrics of an environment from its GitHub deployment history,
 * the four numbers release checklists ask teams to record (DORA):
 * deployment frequency, change failure rate, time to restore and lead time
 * for changes. Computed from what GitHub already keeps, so they need no
 * database, and bounded: at most one page of deployments, one status call
 * per deployment and a capped number of commit lookups.
 */
import type { GitHub } from './client.js'
import type { GitHubContext } from './context.js'
import { decodeChanges } from './deployments.js'
import type { Guard, Scope } from './guard.js'
import { escapeCell } from '../report/markdown.js'
import { formatDuration } from '../kernel/format.js'

const DAY_MS = 86_400_000
const SURFACE = 'deployment metrics'
/**
 * Commit dates need `contents: read`, a scope Guard does not list yet;
 * the warning must name the permission that is really missing.
 */
const CONTENTS_READ = 'contents: read' as string as Scope

export interface DeploymentMetrics {
  environment: string
  days: number
  /** Deployments created in the window. */
  deployments: number
  successful: number
  /** Rolled back (inactive without success), failure or error. */
  failed: number
  /** Finished deployments, successful or failed: the failure rate's base. */
  n: number
  /** Successful deployments per week. */
  frequencyPerWeek: number
  /** failed / n, absent when nothing finished. */
  changeFailureRate?: number
  /** Median from a failure to the next success, over restored incidents. */
  medianTimeToRestoreMs?: number
  restores: number
  /** Median from the commit's author date to the deployment's success. */
  medianLeadTimeMs?: number
  leadTimes: number
  /** The window held more deployments than were read. */
  truncated: boolean
}

export interface MetricsOptions {
  /** Window in days (default 30). */
  days?: number
  /** Deployments read, newest first (default and maximum 100). */
  maxDeployments?: number
  /** Commits looked up for lead time (default 20). */
  maxCommitLookups?: number
  /** Status calls in flight at once (default 4). */
  concurrency?: number
}

/** One deployment and its statuses, as the pure computation needs them. */
export interface DeploymentHistory {
  id: number
  sha: string
  createdAt: number
  /** In any order; sorted by time (then id) before use. */
  statuses: { id: number; state: string; at: number; description?: string }[]
}

export type DeploymentOutcome =
  | { kind: 'success'; successAt: number; failedAt?: number }
  | { kind: 'failure'; failedAt: number }
  /** Refused before anything changed (deploy-gates' `failed` result). */
  | { kind: 'not-deployed' }
  | { kind: 'unfinished' }

/**
 * What became of one deployment. `inactive` after a success only means a
 * newer deployment replaced it; `inactive` without a success is how
 * deploy-gates marks a rollback. A failure status of deploy-gates' own
 * `failed` result changed nothing, so it is not a failed change.
 */
export function classify(h: DeploymentHistory): DeploymentOutcome {
  const statuses = [...h.statuses].sort((a, b) => a.at - b.at || a.id - b.id)
  let kind: 'success' | 'failure' | 'not-deployed' | undefined
  let successAt: number | undefined
  /** The failure since the last success. */
  let failedAt: number | undefined
  /** The failure a success recovered from (a re-run that made it). */
  let recovered: number | undefined
  for (const s of statuses) {
    if (s.state === 'success') {
      if (kind !== 'success') {
        successAt = s.at
        recovered = failedAt
        failedAt = undefined
      }
      kind = 'success'
    } else if (s.state === 'failure' && refused(s.description)) {
      // Changed nothing: whatever the deployment was before, it still is.
      kind ??= 'not-deployed'
    } else if (
      s.state === 'failure' ||
      s.state === 'error' ||
      // Inactive without a success: rolled back. After one: replaced.
      (s.state === 'inactive' && kind !== 'success' && kind !== 'not-deployed')
    ) {
      failedAt ??= s.at
      kind = 'failure'
    }
  }
  if (kind === 'success' && successAt !== undefined) {
    return recovered !== undefined
      ? { kind, successAt, failedAt: recovered }
      : { kind, successAt }
  }
  if (kind === 'failure' && failedAt !== undefined) return { kind, failedAt }
  if (kind === 'not-deployed') return { kind }
  return { kind: 'unfinished' }
}

function refused(description: string | undefined): boolean {
  if (!description) return false
  if (/^failed:/.test(description)) return true
  const c = decodeChanges(description)
  return c?.result === 'failed' && !c.changed.deployed
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * The metrics from histories already read (pure). `authorDates` maps a
 * commit SHA to its author date, for the lead times that could be looked up.
 */
export function computeMetrics(
  environment: string,
  histories: readonly DeploymentHistory[],
  authorDates: ReadonlyMap<string, number>,
  now: number,
  days = 30,
  truncated = false
): DeploymentMetrics {
  const since = now - days * DAY_MS
  const inWindow = histories.filter(
    (h) => h.createdAt >= since && h.createdAt <= now
  )
  const outcomes = inWindow.map((h) => ({ h, o: classify(h) }))
  const successes = outcomes.filter((x) => x.o.kind === 'success')
  const failures = outcomes.filter((x) => x.o.kind === 'failure')
  const n = successes.length + failures.length

  // Incidents: from the first failure to the next success of any deployment.
  const events: { at: number; ok: boolean }[] = []
  for (const { o } of outcomes) {
    if (o.kind === 'failure') events.push({ at: o.failedAt, ok: false })
    if (o.kind === 'success') {
      if (o.failedAt !== undefined) events.push({ at: o.failedAt, ok: false })
      events.push({ at: o.successAt, ok: true })
    }
  }
  events.sort((a, b) => a.at - b.at || Number(a.ok) - Number(b.ok))
  const restores: number[] = []
  let open: number | undefined
  for (const e of events) {
    if (!e.ok) open ??= e.at
    else if (open !== undefined) {
      restores.push(e.at - open)
      open = undefined
    }
  }

  const leads: number[] = []
  for (const { h, o } of successes) {
    const authored = authorDates.get(h.sha)
    if (authored === undefined || o.kind !== 'success') continue
    leads.push(Math.max(0, o.successAt - authored))
  }

  const out: DeploymentMetrics = {
    environment,
    days,
    deployments: inWindow.length,
    successful: successes.length,
    failed: failures.length,
    n,
    frequencyPerWeek: successes.length / (days / 7),
    restores: restores.length,
    leadTimes: leads.length,
    truncated
  }
  if (n > 0) out.changeFailureRate = failures.length / n
  const ttr = median(restores)
  if (ttr !== undefined) out.medianTimeToRestoreMs = ttr
  const lead = median(leads)
  if (lead !== undefined) out.medianLeadTimeMs = lead
  return out
}

function ms(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined
  const t = Date.parse(iso)
  return Number.isNaN(t) ? undefined : t
}

async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker)
  )
  return out
}

/**
 * Reads the environment's recent deployments and computes the metrics.
 * Undefined when the history cannot be read (Guard has warned); commit
 * lookups that fail only leave lead time out.
 */
export async function deploymentMetrics(
  gh: GitHub,
  context: GitHubContext,
  guard: Guard,
  environment: string,
  now: number,
  opts: MetricsOptions = {}
): Promise<DeploymentMetrics | undefined> {
  const days = opts.days ?? 30
  const max = Math.min(100, Math.max(1, opts.maxDeployments ?? 100))
  const repo = { owner: context.owner, repo: context.repo }
  const list = await guard.run(SURFACE, 'deployments: read', () =>
    gh.rest.repos.listDeployments({ ...repo, environment, per_page: max })
  )
  if (!list) return undefined
  const since = now - days * DAY_MS
  const recent = list.data.filter((d) => (ms(d.created_at) ?? 0) >= since)
  const truncated =
    list.data.length >= max && recent.length === list.data.length

  const histories = await pool(recent, opts.concurrency ?? 4, async (d) => {
    const res = await guard.run(SURFACE, 'deployments: read', () =>
      gh.rest.repos.listDeploymentStatuses({
        ...repo,
        deployment_id: d.id,
        per_page: 100
      })
    )
    const h: DeploymentHistory = {
      id: d.id,
      sha: d.sha,
      createdAt: ms(d.created_at) ?? 0,
      statuses: (res?.data ?? []).map((s) => ({
        id: s.id,
        state: s.state,
        at: ms(s.created_at) ?? 0,
        ...(s.description ? { description: s.description } : {})
      }))
    }
    return h
  })
  if (!guard.enabled(SURFACE)) return undefined

  // Lead time for the newest successful deployments, one lookup per commit.
  const newest = histories
    .map((h) => ({ h, o: classify(h) }))
    .filter((x) => x.o.kind === 'success')
    .sort((a, b) => b.h.createdAt - a.h.createdAt)
  const shas = [...new Set(newest.map((x) => x.h.sha))].slice(
    0,
    opts.maxCommitLookups ?? 20
  )
  const authorDates = new Map<string, number>()
  for (const sha of shas) {
    const res = await guard.run(`${SURFACE} (lead time)`, CONTENTS_READ, () =>
      gh.rest.git.getCommit({ ...repo, commit_sha: sha })
    )
    if (!res) break
    const t = ms(res.data.author.date)
    if (t !== undefined) authorDates.set(sha, t)
  }
  return computeMetrics(
    environment,
    histories,
    authorDates,
    now,
    days,
    truncated
  )
}

function percent(x: number): string {
  const p = x * 100
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`
}

function perWeek(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1)
}

/** The metrics as a small markdown table for the job summary or a comment. */
export function doraMarkdown(m: DeploymentMetrics): string {
  const plural = (k: number, one: string, many = `${one}s`): string =>
    `${k} ${k === 1 ? one : many}`
  const rows = [
    `| ${escapeCell(m.environment, 100)}, last ${m.days} days | value |`,
    '| --- | --- |',
    `| Deployment frequency | ${perWeek(m.frequencyPerWeek)} per week (${m.successful} successful of ${plural(m.deployments, 'deployment')}) |`,
    `| Change failure rate | ${m.changeFailureRate === undefined ? '–' : `${percent(m.changeFailureRate)} (${m.failed} of ${m.n} finished)`} |`,
    `| Time to restore (median) | ${m.medianTimeToRestoreMs === undefined ? '–' : `${formatDuration(m.medianTimeToRestoreMs)} (${plural(m.restores, 'restore')})`} |`,
    `| Lead time for changes (median) | ${m.medianLeadTimeMs === undefined ? '–' : `${formatDuration(m.medianLeadTimeMs)} (${plural(m.leadTimes, 'deployment')})`} |`
  ]
  if (m.truncated) {
    rows.push(
      '',
      `Only the latest ${m.deployments} deployments were read; older ones in the window are not counted.`
    )
  }
  return `${rows.join('\n')}\n`
}
