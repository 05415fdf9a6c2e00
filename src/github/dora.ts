/**
 * Delivery metrics of an environment from its GitHub deployment history,
 * the four numbers release checklists ask teams to record (DORA):
 * deployment frequency, change failure rate, time to restore and lead time
 * for changes. Computed from what GitHub already keeps, so they need no
 * database, and bounded: the window's deployments page by page up to a
 * cap, one status call per deployment and a capped number of commit
 * lookups.
 */
import type { GitHub } from './client.js'
import type { GitHubContext } from './context.js'
import { decodeChanges } from './deployments.js'
import type { Guard, Scope } from './guard.js'
import { escapeCell } from '../report/markdown.js'
import { formatDuration } from '../kernel/format.js'
import type { RolloutReport, RolloutResult } from '../rollout/events.js'

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
  /**
   * Deployments read, newest first, page by page (default 100); one
   * status request each.
   */
  maxDeployments?: number
  /** Commits whose author date is looked up first (the finishing one). */
  leadTimeOf?: string[]
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

/** What was read of an environment's history, before any computation. */
export interface History {
  histories: DeploymentHistory[]
  /** Commit SHA → author date, for the lead times that could be looked up. */
  authorDates: Map<string, number>
  /** The window held more deployments than were read. */
  truncated: boolean
  /** Requests made to read it. */
  requests: number
}

/** The rollout that is finishing, which the history may not show yet. */
export interface CurrentRollout {
  /** Its GitHub Deployment, when one was created. */
  deploymentId?: number
  sha: string
  startedAt: number
  endedAt: number
  result: RolloutResult
  reason: string
}

/** The finishing rollout as the metrics need it, from its report. */
export function currentRollout(
  report: Pick<
    RolloutReport,
    'sha' | 'startedAt' | 'endedAt' | 'result' | 'reason'
  >,
  deploymentId?: number
): CurrentRollout {
  return {
    ...(deploymentId !== undefined ? { deploymentId } : {}),
    sha: report.sha,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    result: report.result,
    reason: report.reason
  }
}

/** The page size GitHub allows at most. */
const PAGE = 100

/**
 * Reads the environment's deployments of the window, newest first, page by
 * page (up to `maxDeployments`), each one's statuses, and the author dates
 * of the newest successful commits. Undefined when the history cannot be
 * read (Guard has warned); commit lookups that fail only leave lead time
 * out.
 */
export async function readHistory(
  gh: GitHub,
  context: GitHubContext,
  guard: Guard,
  environment: string,
  now: number,
  opts: MetricsOptions = {}
): Promise<History | undefined> {
  const days = opts.days ?? 30
  const max = Math.max(1, opts.maxDeployments ?? PAGE)
  const repo = { owner: context.owner, repo: context.repo }
  const since = now - days * DAY_MS
  let requests = 0
  const recent: { id: number; sha: string; created_at: string }[] = []
  let truncated = false
  for (let page = 1; ; page++) {
    const perPage = Math.min(PAGE, max)
    requests++
    const list = await guard.run(SURFACE, 'deployments: read', () =>
      gh.rest.repos.listDeployments({
        ...repo,
        environment,
        per_page: perPage,
        page
      })
    )
    if (!list) return undefined
    const inWindow = list.data.filter((d) => (ms(d.created_at) ?? 0) >= since)
    recent.push(...inWindow)
    // Newest first: a page that reaches past the window, or a short one,
    // is the last that matters.
    if (inWindow.length < list.data.length || list.data.length < perPage) {
      break
    }
    if (recent.length >= max) {
      truncated = true
      break
    }
  }
  const read = recent.slice(0, max)
  truncated ||= recent.length > max

  const histories = await pool(read, opts.concurrency ?? 4, async (d) => {
    requests++
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
  const shas = [
    ...new Set([...(opts.leadTimeOf ?? []), ...newest.map((x) => x.h.sha)])
  ].slice(0, opts.maxCommitLookups ?? 20)
  const authorDates = new Map<string, number>()
  for (const sha of shas) {
    requests++
    const res = await guard.run(`${SURFACE} (lead time)`, CONTENTS_READ, () =>
      gh.rest.git.getCommit({ ...repo, commit_sha: sha })
    )
    if (!res) break
    const t = ms(res.data.author.date)
    if (t !== undefined) authorDates.set(sha, t)
  }
  return { histories, authorDates, truncated, requests }
}

/** Where a result leaves a deployment, as the status deploy-gates writes. */
function finalStatus(
  c: CurrentRollout
): { state: string; description?: string } | undefined {
  switch (c.result) {
    case 'promoted':
    case 'passed':
      return { state: 'success' }
    case 'paused':
      return undefined
    case 'rolled-back':
      return { state: 'inactive' }
    case 'failed':
      // Refused before anything changed: not a failed change.
      return { state: 'failure', description: `failed: ${c.reason}` }
    default:
      return { state: 'failure' }
  }
}

/**
 * The history with the finishing rollout's verdict in it: its final status
 * may not be written (or visible) yet when the report is made, and a
 * table that leaves out the rollout it sits under reads as wrong. Pure.
 */
export function withCurrent(
  histories: readonly DeploymentHistory[],
  current: CurrentRollout
): DeploymentHistory[] {
  const status = finalStatus(current)
  const last = {
    // After every real status of the same instant.
    id: Number.MAX_SAFE_INTEGER,
    at: current.endedAt,
    ...(status ?? { state: 'in_progress' })
  }
  const own =
    current.deploymentId === undefined
      ? undefined
      : histories.find((h) => h.id === current.deploymentId)
  if (own) {
    return histories.map((h) =>
      h === own && status ? { ...h, statuses: [...h.statuses, last] } : h
    )
  }
  return [
    ...histories,
    {
      id: current.deploymentId ?? Number.MAX_SAFE_INTEGER,
      sha: current.sha,
      createdAt: current.startedAt,
      statuses: status ? [last] : []
    }
  ]
}

/** The metrics of a history read before, with the finishing rollout. */
export function metricsOf(
  environment: string,
  history: History,
  now: number,
  days = 30,
  current?: CurrentRollout
): DeploymentMetrics {
  return computeMetrics(
    environment,
    current ? withCurrent(history.histories, current) : history.histories,
    history.authorDates,
    now,
    days,
    history.truncated
  )
}

/**
 * Reads the environment's deployments and computes the metrics, the
 * finishing rollout included when given. Undefined when the history
 * cannot be read (Guard has warned).
 */
export async function deploymentMetrics(
  gh: GitHub,
  context: GitHubContext,
  guard: Guard,
  environment: string,
  now: number,
  opts: MetricsOptions = {},
  current?: CurrentRollout
): Promise<DeploymentMetrics | undefined> {
  const history = await readHistory(gh, context, guard, environment, now, {
    ...opts,
    ...(current ? { leadTimeOf: [current.sha] } : {})
  })
  if (!history) return undefined
  return metricsOf(environment, history, now, opts.days ?? 30, current)
}

/**
 * The metrics as stable JSON (the action's `dora` output, the CLI's
 * `--json`): every key always present, `null` when there is no value,
 * durations in seconds.
 */
export function doraJson(m: DeploymentMetrics): string {
  const seconds = (v: number | undefined): number | null =>
    v === undefined ? null : Math.round(v / 1000)
  return JSON.stringify({
    environment: m.environment,
    days: m.days,
    deployments: m.deployments,
    successful: m.successful,
    failed: m.failed,
    finished: m.n,
    deploymentFrequencyPerWeek: Number(m.frequencyPerWeek.toFixed(2)),
    changeFailureRate:
      m.changeFailureRate === undefined
        ? null
        : Number(m.changeFailureRate.toFixed(4)),
    medianTimeToRestoreSeconds: seconds(m.medianTimeToRestoreMs),
    restores: m.restores,
    medianLeadTimeSeconds: seconds(m.medianLeadTimeMs),
    leadTimes: m.leadTimes,
    truncated: m.truncated
  })
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
