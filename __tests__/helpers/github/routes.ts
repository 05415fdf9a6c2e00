/**
 * What the stand-in does for each GitHub operation deploy-gates uses: check
 * runs, commit statuses, PRs and reviews, issues and comments, deployments
 * and their statuses, the repository and the rate limit. Requests arrive here
 * already validated against the description; handlers add GitHub's semantic
 * rules (a completed check run needs a conclusion, a comment body is at most
 * 65536 characters...) and report those breaches as violations too.
 */
import * as shape from './shapes.js'
import type { Urls } from './shapes.js'
import type {
  CheckRunRecord,
  CheckStatus,
  CommentRecord,
  CommitStatusRecord,
  DeploymentRecord,
  DeploymentState,
  GitHubState,
  IssueRecord,
  RepoRecord
} from './state.js'

type Obj = Record<string, unknown>

export interface RouteContext {
  operationId: string
  params: Record<string, string>
  query: URLSearchParams
  /** The parsed JSON body (`{}` when there was none). */
  body: Obj
  state: GitHubState
  urls: Urls
  /** Absolute URL of this request without its query, for Link headers. */
  selfUrl: string
}

export interface RouteResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Set when our client broke one of GitHub's rules the schema can't say. */
  violation?: string
}

export type Handler = (ctx: RouteContext) => RouteResult

const DOCS = 'https://docs.github.com/rest'

/** GitHub's error body: `{ message, documentation_url, status }`. */
export function errorBody(
  status: number,
  message: string,
  extra: Obj = {}
): Obj {
  return { message, documentation_url: DOCS, status: String(status), ...extra }
}

function notFound(): RouteResult {
  return { status: 404, body: errorBody(404, 'Not Found') }
}

/** A 422 that is also a violation: GitHub would refuse what we sent. */
function invalid(
  ctx: RouteContext,
  message: string,
  field?: string
): RouteResult {
  return {
    status: 422,
    body: errorBody(422, 'Validation Failed', {
      errors: [
        field
          ? {
              resource: resourceOf(ctx.operationId),
              field,
              code: 'invalid',
              message
            }
          : message
      ]
    }),
    violation: `${ctx.operationId}: ${message}`
  }
}

function resourceOf(operationId: string): string {
  if (operationId.startsWith('checks/')) return 'CheckRun'
  if (operationId.includes('deployment-status')) return 'DeploymentStatus'
  if (operationId.includes('deployment')) return 'Deployment'
  if (operationId.includes('comment')) return 'IssueComment'
  if (operationId.includes('status')) return 'Status'
  return 'Issue'
}

function noCommit(ref: string): RouteResult {
  return {
    status: 422,
    body: errorBody(422, `No commit found for SHA: ${ref}`)
  }
}

function repoOf(ctx: RouteContext): RepoRecord | undefined {
  return ctx.state.repos.get(
    `${ctx.params.owner}/${ctx.params.repo}`.toLowerCase()
  )
}

function int(ctx: RouteContext, name: string): number {
  return Number(ctx.params[name])
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** Issue titles may be strings or integers in GitHub's description. */
function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined
}

/**
 * `per_page` (default 30, at most 100) and `page` slicing with GitHub's Link
 * header (first/prev/next/last), keeping the other query parameters.
 */
export function paginate<T>(
  items: T[],
  ctx: RouteContext
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(
    100,
    Math.max(1, Number(ctx.query.get('per_page') ?? 30))
  )
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1))
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (p: number): string => {
    const q = new URLSearchParams(ctx.query)
    q.set('per_page', String(perPage))
    q.set('page', String(p))
    return `<${ctx.selfUrl}?${q.toString()}>`
  }
  const rels: string[] = []
  if (page > 1) {
    rels.push(`${link(Math.min(page - 1, last))}; rel="prev"`)
  }
  if (page < last) rels.push(`${link(page + 1)}; rel="next"`)
  if (page < last) rels.push(`${link(last)}; rel="last"`)
  if (page > 1) rels.push(`${link(1)}; rel="first"`)
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length > 0 ? { link: rels.join(', ') } : {}
  }
}

function withRepo(
  fn: (ctx: RouteContext, repo: RepoRecord) => RouteResult
): Handler {
  return (ctx) => {
    const repo = repoOf(ctx)
    return repo ? fn(ctx, repo) : notFound()
  }
}

// ---- check runs -----------------------------------------------------------

function applyOutput(run: CheckRunRecord, output: unknown): void {
  if (typeof output !== 'object' || output === null) return
  const o = output as Obj
  if ('title' in o) run.output.title = str(o.title) ?? null
  if ('summary' in o) run.output.summary = str(o.summary) ?? null
  if ('text' in o) run.output.text = str(o.text) ?? null
  if (Array.isArray(o.annotations)) {
    run.annotations.push(...(o.annotations as Obj[]))
  }
}

function applyStatus(ctx: RouteContext, run: CheckRunRecord, b: Obj): void {
  if (typeof b.status === 'string') run.status = b.status as CheckStatus
  if (typeof b.conclusion === 'string') {
    run.conclusion = b.conclusion
    run.status = 'completed'
  }
  if (typeof b.started_at === 'string') run.started_at = b.started_at
  if (typeof b.completed_at === 'string') run.completed_at = b.completed_at
  if (run.status === 'completed' && run.completed_at === null) {
    run.completed_at = ctx.state.stamp()
  }
}

const createCheckRun = withRepo((ctx, repo) => {
  const b = ctx.body
  const headSha = String(b.head_sha)
  const sha = ctx.state.resolveRef(repo.full_name, headSha)
  if (sha === null) return noCommit(headSha)
  const completing =
    b.status === 'completed' || typeof b.completed_at === 'string'
  if (completing && typeof b.conclusion !== 'string') {
    return invalid(
      ctx,
      "'conclusion' is required when status is 'completed' or completed_at is set",
      'conclusion'
    )
  }
  const now = ctx.state.stamp()
  const run: CheckRunRecord = {
    repo: repo.full_name,
    id: ctx.state.nextId('checkRun'),
    name: String(b.name),
    head_sha: sha,
    status: 'queued',
    conclusion: null,
    started_at: now,
    completed_at: null,
    external_id: str(b.external_id) ?? null,
    details_url: str(b.details_url) ?? null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    actions: Array.isArray(b.actions) ? (b.actions as Obj[]) : [],
    app: ctx.state.app,
    check_suite_id: ctx.state.checkSuiteId(repo.full_name, sha, ctx.state.app),
    created_at: now,
    updates: 0
  }
  applyStatus(ctx, run, b)
  applyOutput(run, b.output)
  ctx.state.checkRuns.push(run)
  return { status: 201, body: shape.checkRun(run, ctx.state, ctx.urls) }
})

function findRun(
  ctx: RouteContext,
  repo: RepoRecord
): CheckRunRecord | undefined {
  const id = int(ctx, 'check_run_id')
  return ctx.state.checkRuns.find(
    (r) => r.id === id && ctx.state.sameRepo(r.repo, repo.full_name)
  )
}

const updateCheckRun = withRepo((ctx, repo) => {
  const run = findRun(ctx, repo)
  if (!run) return notFound()
  const b = ctx.body
  if (
    typeof b.completed_at === 'string' &&
    typeof b.conclusion !== 'string' &&
    run.conclusion === null
  ) {
    return invalid(
      ctx,
      "'conclusion' is required when completed_at is set",
      'conclusion'
    )
  }
  if (typeof b.name === 'string') run.name = b.name
  if (typeof b.details_url === 'string') run.details_url = b.details_url
  if (typeof b.external_id === 'string') run.external_id = b.external_id
  if (Array.isArray(b.actions)) run.actions = b.actions as Obj[]
  applyStatus(ctx, run, b)
  applyOutput(run, b.output)
  run.updates += 1
  return { status: 200, body: shape.checkRun(run, ctx.state, ctx.urls) }
})

const getCheckRun = withRepo((ctx, repo) => {
  const run = findRun(ctx, repo)
  return run
    ? { status: 200, body: shape.checkRun(run, ctx.state, ctx.urls) }
    : notFound()
})

const listCheckRunsForRef = withRepo((ctx, repo) => {
  const sha = ctx.state.resolveRef(repo.full_name, ctx.params.ref)
  if (sha === null) return noCommit(ctx.params.ref)
  const q = ctx.query
  let runs = ctx.state.checkRuns.filter(
    (r) => ctx.state.sameRepo(r.repo, repo.full_name) && r.head_sha === sha
  )
  const name = q.get('check_name')
  if (name !== null) runs = runs.filter((r) => r.name === name)
  const status = q.get('status')
  if (status !== null) runs = runs.filter((r) => r.status === status)
  const appId = q.get('app_id')
  if (appId !== null) runs = runs.filter((r) => r.app.id === Number(appId))
  if ((q.get('filter') ?? 'latest') === 'latest') {
    const newest = new Map<string, CheckRunRecord>()
    for (const r of runs) {
      const key = `${r.app.id} ${r.name}`
      const prev = newest.get(key)
      if (!prev || prev.id < r.id) newest.set(key, r)
    }
    runs = [...newest.values()]
  }
  runs = [...runs].sort((a, b) => b.id - a.id)
  const { page, headers } = paginate(runs, ctx)
  return {
    status: 200,
    headers,
    body: {
      total_count: runs.length,
      check_runs: page.map((r) => shape.checkRun(r, ctx.state, ctx.urls))
    }
  }
})

// ---- commit statuses ------------------------------------------------------

const createCommitStatus = withRepo((ctx, repo) => {
  const sha = ctx.state.resolveRef(repo.full_name, ctx.params.sha)
  if (sha === null) return noCommit(ctx.params.sha)
  const b = ctx.body
  const now = ctx.state.stamp()
  const s: CommitStatusRecord = {
    repo: repo.full_name,
    id: ctx.state.nextId('status'),
    sha,
    state: b.state as CommitStatusRecord['state'],
    context: str(b.context) ?? 'default',
    description: str(b.description) ?? null,
    target_url: str(b.target_url) ?? null,
    creator: ctx.state.actor,
    created_at: now,
    updated_at: now
  }
  ctx.state.statuses.push(s)
  return { status: 201, body: shape.commitStatus(s, ctx.urls) }
})

const listCommitStatuses = withRepo((ctx, repo) => {
  const sha = ctx.state.resolveRef(repo.full_name, ctx.params.ref)
  if (sha === null) return noCommit(ctx.params.ref)
  const all = ctx.state.statuses
    .filter((s) => ctx.state.sameRepo(s.repo, repo.full_name) && s.sha === sha)
    .reverse()
  const { page, headers } = paginate(all, ctx)
  return {
    status: 200,
    headers,
    body: page.map((s) => shape.commitStatus(s, ctx.urls))
  }
})

const combinedStatus = withRepo((ctx, repo) => {
  const sha = ctx.state.resolveRef(repo.full_name, ctx.params.ref)
  if (sha === null) return noCommit(ctx.params.ref)
  return {
    status: 200,
    body: shape.combinedStatus(sha, repo.full_name, ctx.state, ctx.urls)
  }
})

// ---- issues and comments --------------------------------------------------

const MAX_BODY = 65536

function findComment(
  ctx: RouteContext,
  repo: RepoRecord
): CommentRecord | undefined {
  const id = int(ctx, 'comment_id')
  return ctx.state.comments.find(
    (c) => c.id === id && ctx.state.sameRepo(c.repo, repo.full_name)
  )
}

function tooLong(ctx: RouteContext, body: unknown): RouteResult | null {
  return typeof body === 'string' && body.length > MAX_BODY
    ? invalid(
        ctx,
        `body is too long (maximum is ${MAX_BODY} characters, got ${body.length})`,
        'body'
      )
    : null
}

const createComment = withRepo((ctx, repo) => {
  const n = int(ctx, 'issue_number')
  if (!ctx.state.numberTaken(repo.full_name, n)) return notFound()
  const bad = tooLong(ctx, ctx.body.body)
  if (bad) return bad
  const now = ctx.state.stamp()
  const c: CommentRecord = {
    repo: repo.full_name,
    id: ctx.state.nextId('comment'),
    issue_number: n,
    body: String(ctx.body.body),
    user: ctx.state.actor,
    app: ctx.state.app,
    created_at: now,
    updated_at: now
  }
  ctx.state.comments.push(c)
  return { status: 201, body: shape.issueComment(c, ctx.state, ctx.urls) }
})

const updateComment = withRepo((ctx, repo) => {
  const c = findComment(ctx, repo)
  if (!c) return notFound()
  const bad = tooLong(ctx, ctx.body.body)
  if (bad) return bad
  c.body = String(ctx.body.body)
  c.updated_at = ctx.state.stamp()
  return { status: 200, body: shape.issueComment(c, ctx.state, ctx.urls) }
})

const getComment = withRepo((ctx, repo) => {
  const c = findComment(ctx, repo)
  return c
    ? { status: 200, body: shape.issueComment(c, ctx.state, ctx.urls) }
    : notFound()
})

const deleteComment = withRepo((ctx, repo) => {
  const c = findComment(ctx, repo)
  if (!c) return notFound()
  ctx.state.comments.splice(ctx.state.comments.indexOf(c), 1)
  return { status: 204 }
})

const listComments = withRepo((ctx, repo) => {
  const n = int(ctx, 'issue_number')
  if (!ctx.state.numberTaken(repo.full_name, n)) return notFound()
  let all = ctx.state.commentsOn(n, repo.full_name)
  const since = ctx.query.get('since')
  if (since !== null) {
    const t = Date.parse(since)
    all = all.filter((c) => Date.parse(c.updated_at) >= t)
  }
  const { page, headers } = paginate(all, ctx)
  return {
    status: 200,
    headers,
    body: page.map((c) => shape.issueComment(c, ctx.state, ctx.urls))
  }
})

function labelNames(v: unknown): string[] {
  if (!Array.isArray(v)) return []
  return v.map((l) =>
    typeof l === 'object' && l !== null ? String((l as Obj).name) : String(l)
  )
}

const createIssue = withRepo((ctx, repo) => {
  if (!repo.has_issues) {
    return {
      status: 410,
      body: errorBody(410, 'Issues are disabled for this repo')
    }
  }
  const b = ctx.body
  const bad = tooLong(ctx, b.body)
  if (bad) return bad
  const now = ctx.state.stamp()
  const issue: IssueRecord = {
    repo: repo.full_name,
    id: ctx.state.nextId('issue'),
    number: ctx.state.nextNumber(repo.full_name),
    title: scalar(b.title) ?? '',
    body: str(b.body) ?? null,
    state: 'open',
    labels: labelNames(b.labels),
    assignees: Array.isArray(b.assignees) ? b.assignees.map(String) : [],
    user: ctx.state.actor,
    created_at: now,
    updated_at: now,
    closed_at: null
  }
  ctx.state.issues.push(issue)
  return { status: 201, body: shape.issue(issue, ctx.state, ctx.urls) }
})

const getIssue = withRepo((ctx, repo) => {
  const i = ctx.state.findIssue(repo.full_name, int(ctx, 'issue_number'))
  return i
    ? { status: 200, body: shape.issue(i, ctx.state, ctx.urls) }
    : notFound()
})

const updateIssue = withRepo((ctx, repo) => {
  const i = ctx.state.findIssue(repo.full_name, int(ctx, 'issue_number'))
  if (!i) return notFound()
  const b = ctx.body
  const bad = tooLong(ctx, b.body)
  if (bad) return bad
  const title = scalar(b.title)
  if (title !== undefined) i.title = title
  if ('body' in b) i.body = str(b.body) ?? null
  if (Array.isArray(b.labels)) i.labels = labelNames(b.labels)
  if (b.state === 'open' || b.state === 'closed') {
    i.closed_at = b.state === 'closed' ? ctx.state.stamp() : null
    i.state = b.state
  }
  i.updated_at = ctx.state.stamp()
  return { status: 200, body: shape.issue(i, ctx.state, ctx.urls) }
})

// ---- pull requests --------------------------------------------------------

const getPull = withRepo((ctx, repo) => {
  const p = ctx.state.findPull(repo.full_name, int(ctx, 'pull_number'))
  return p
    ? { status: 200, body: shape.pullRequest(p, ctx.state, ctx.urls, true) }
    : notFound()
})

const listPulls = withRepo((ctx, repo) => {
  const state = ctx.query.get('state') ?? 'open'
  const head = ctx.query.get('head')
  const base = ctx.query.get('base')
  const all = ctx.state.pulls
    .filter(
      (p) =>
        ctx.state.sameRepo(p.repo, repo.full_name) &&
        (state === 'all' || p.state === state) &&
        (head === null || `${repo.owner}:${p.head.ref}` === head) &&
        (base === null || p.base.ref === base)
    )
    .sort((a, b) => b.number - a.number)
  const { page, headers } = paginate(all, ctx)
  return {
    status: 200,
    headers,
    body: page.map((p) => shape.pullRequest(p, ctx.state, ctx.urls, false))
  }
})

const pullsForCommit = withRepo((ctx, repo) => {
  const sha = ctx.state.resolveRef(repo.full_name, ctx.params.commit_sha)
  if (sha === null) return noCommit(ctx.params.commit_sha)
  const all = ctx.state.pulls
    .filter(
      (p) =>
        ctx.state.sameRepo(p.repo, repo.full_name) &&
        (p.commits.includes(sha) || p.merge_commit_sha === sha)
    )
    .sort((a, b) => b.number - a.number)
  const { page, headers } = paginate(all, ctx)
  return {
    status: 200,
    headers,
    body: page.map((p) => shape.pullRequest(p, ctx.state, ctx.urls, false))
  }
})

const listReviews = withRepo((ctx, repo) => {
  const n = int(ctx, 'pull_number')
  if (!ctx.state.findPull(repo.full_name, n)) return notFound()
  const all = ctx.state.reviews.filter(
    (r) => ctx.state.sameRepo(r.repo, repo.full_name) && r.pull_number === n
  )
  const { page, headers } = paginate(all, ctx)
  return {
    status: 200,
    headers,
    body: page.map((r) => shape.review(r, ctx.urls))
  }
})

// ---- deployments ----------------------------------------------------------

function contextState(
  ctx: RouteContext,
  repo: RepoRecord,
  sha: string,
  context: string
): string {
  const statuses = ctx.state.statuses.filter(
    (s) =>
      ctx.state.sameRepo(s.repo, repo.full_name) &&
      s.sha === sha &&
      s.context === context
  )
  const latest = statuses[statuses.length - 1]
  if (latest) return latest.state
  const runs = ctx.state
    .checkRunsFor(sha, context, repo.full_name)
    .sort((a, b) => b.id - a.id)
  const run = runs[0]
  if (!run) return 'missing'
  if (run.status !== 'completed') return 'pending'
  return ['success', 'neutral', 'skipped'].includes(run.conclusion ?? '')
    ? 'success'
    : 'failure'
}

const createDeployment = withRepo((ctx, repo) => {
  const b = ctx.body
  const ref = String(b.ref)
  const sha = ctx.state.resolveRef(repo.full_name, ref)
  if (sha === null) {
    return { status: 422, body: errorBody(422, `No ref found for: ${ref}`) }
  }
  const required = Array.isArray(b.required_contexts)
    ? (b.required_contexts as string[])
    : repo.required_contexts
  const failing = required
    .map((context) => ({
      context,
      state: contextState(ctx, repo, sha, context)
    }))
    .filter((c) => c.state !== 'success')
  if (failing.length > 0) {
    return {
      status: 409,
      body: errorBody(
        409,
        `Conflict: Commit status checks failed for ${ref}.`,
        {
          errors: [
            {
              contexts: failing,
              resource: 'Deployment',
              field: 'required_contexts',
              code: 'invalid'
            }
          ]
        }
      )
    }
  }
  const environment = str(b.environment) ?? 'production'
  const now = ctx.state.stamp()
  const d: DeploymentRecord = {
    repo: repo.full_name,
    id: ctx.state.nextId('deployment'),
    sha,
    ref,
    task: str(b.task) ?? 'deploy',
    payload:
      typeof b.payload === 'object' && b.payload !== null
        ? (b.payload as Obj)
        : (str(b.payload) ?? {}),
    environment,
    original_environment: environment,
    description: str(b.description) ?? null,
    transient_environment: b.transient_environment === true,
    production_environment:
      typeof b.production_environment === 'boolean'
        ? b.production_environment
        : environment === 'production',
    auto_merge: b.auto_merge !== false,
    required_contexts: Array.isArray(b.required_contexts)
      ? (b.required_contexts as string[])
      : null,
    creator: ctx.state.actor,
    app: ctx.state.app,
    created_at: now,
    updated_at: now
  }
  ctx.state.deployments.push(d)
  return { status: 201, body: shape.deployment(d, ctx.urls) }
})

const listDeployments = withRepo((ctx, repo) => {
  const q = ctx.query
  const filters: [string, (d: DeploymentRecord) => string][] = [
    ['sha', (d) => d.sha],
    ['ref', (d) => d.ref],
    ['task', (d) => d.task],
    ['environment', (d) => d.environment]
  ]
  const all = ctx.state.deployments
    .filter(
      (d) =>
        ctx.state.sameRepo(d.repo, repo.full_name) &&
        filters.every(([k, get]) => {
          const v = q.get(k)
          return v === null || v === 'none' || get(d) === v
        })
    )
    .sort((a, b) => b.id - a.id)
  const { page, headers } = paginate(all, ctx)
  return {
    status: 200,
    headers,
    body: page.map((d) => shape.deployment(d, ctx.urls))
  }
})

function findDeployment(
  ctx: RouteContext,
  repo: RepoRecord
): DeploymentRecord | undefined {
  const id = int(ctx, 'deployment_id')
  return ctx.state.deployments.find(
    (d) => d.id === id && ctx.state.sameRepo(d.repo, repo.full_name)
  )
}

const getDeployment = withRepo((ctx, repo) => {
  const d = findDeployment(ctx, repo)
  return d ? { status: 200, body: shape.deployment(d, ctx.urls) } : notFound()
})

const createDeploymentStatus = withRepo((ctx, repo) => {
  const d = findDeployment(ctx, repo)
  if (!d) return notFound()
  const b = ctx.body
  const description = str(b.description) ?? ''
  if (description.length > 140) {
    return invalid(
      ctx,
      `description is too long (maximum is 140 characters, got ${description.length})`,
      'description'
    )
  }
  const state = b.state as DeploymentState
  if (typeof b.environment === 'string') d.environment = b.environment
  const status = ctx.state.addDeploymentStatus(d, {
    state,
    description,
    log_url: str(b.log_url),
    target_url: str(b.target_url),
    environment_url: str(b.environment_url),
    environment: d.environment
  })
  if (state === 'success' && b.auto_inactive !== false) {
    // GitHub: prior successful deployments to the same non-production,
    // non-transient environment become inactive.
    for (const other of ctx.state.deployments) {
      if (
        other.id === d.id ||
        !ctx.state.sameRepo(other.repo, d.repo) ||
        other.environment !== d.environment ||
        other.transient_environment ||
        other.production_environment
      ) {
        continue
      }
      if (ctx.state.latestStatus(other.id)?.state === 'success') {
        ctx.state.addDeploymentStatus(other, { state: 'inactive' })
      }
    }
  }
  return {
    status: 201,
    headers: { location: `${ctx.selfUrl}/${status.id}` },
    body: shape.deploymentStatus(status, ctx.urls)
  }
})

const listDeploymentStatuses = withRepo((ctx, repo) => {
  const d = findDeployment(ctx, repo)
  if (!d) return notFound()
  const all = ctx.state.statusesOf(d.id).reverse()
  const { page, headers } = paginate(all, ctx)
  return {
    status: 200,
    headers,
    body: page.map((s) => shape.deploymentStatus(s, ctx.urls))
  }
})

const getDeploymentStatus = withRepo((ctx, repo) => {
  const d = findDeployment(ctx, repo)
  const id = int(ctx, 'status_id')
  const s = d ? ctx.state.statusesOf(d.id).find((x) => x.id === id) : undefined
  return s
    ? { status: 200, body: shape.deploymentStatus(s, ctx.urls) }
    : notFound()
})

// ---- repository and rate limit --------------------------------------------

const getRepo = withRepo((ctx, repo) => ({
  status: 200,
  body: shape.repository(repo, ctx.state, ctx.urls)
}))

const rateLimit: Handler = (ctx) => ({
  status: 200,
  body: shape.rateLimitOverview(ctx.state)
})

/** The operations the stand-in implements; any other answers 501. */
export const ROUTES: Record<string, Handler> = {
  'git/get-commit': (ctx) => {
    const sha = ctx.params.commit_sha
    const at = ctx.state.commitDates.get(sha)
    if (at === undefined)
      return { status: 404, body: errorBody(404, 'Not Found') }
    const base = `${ctx.urls.api}/repos/${ctx.params.owner}/${ctx.params.repo}`
    const who = {
      name: 'Dev',
      email: 'dev@example.com',
      date: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')
    }
    return {
      status: 200,
      body: {
        sha,
        node_id: `C_${sha.slice(0, 10)}`,
        url: `${base}/git/commits/${sha}`,
        html_url: `${ctx.urls.web}/${ctx.params.owner}/${ctx.params.repo}/commit/${sha}`,
        author: who,
        committer: who,
        tree: {
          sha: 'f'.repeat(40),
          url: `${base}/git/trees/${'f'.repeat(40)}`
        },
        message: 'change',
        parents: [],
        verification: {
          verified: false,
          reason: 'unsigned',
          signature: null,
          payload: null,
          verified_at: null
        }
      }
    }
  },
  'issues/list-for-repo': (ctx) => {
    const repo = ctx.state.repos.get(
      `${ctx.params.owner}/${ctx.params.repo}`.toLowerCase()
    )
    if (!repo) return { status: 404, body: errorBody(404, 'Not Found') }
    const state = ctx.query.get('state') ?? 'open'
    const labels = (ctx.query.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '')
    const asc = ctx.query.get('direction') === 'asc'
    const all = ctx.state.issues
      .filter(
        (i) =>
          ctx.state.sameRepo(i.repo, repo.full_name) &&
          (state === 'all' || i.state === state) &&
          labels.every((l) => i.labels.includes(l))
      )
      .sort((a, b) => (asc ? a.number - b.number : b.number - a.number))
    const { page, headers } = paginate(all, ctx)
    return {
      status: 200,
      headers,
      body: page.map((i) => shape.issue(i, ctx.state, ctx.urls))
    }
  },
  'checks/create': createCheckRun,
  'checks/update': updateCheckRun,
  'checks/get': getCheckRun,
  'checks/list-for-ref': listCheckRunsForRef,
  'repos/create-commit-status': createCommitStatus,
  'repos/list-commit-statuses-for-ref': listCommitStatuses,
  'repos/get-combined-status-for-ref': combinedStatus,
  'issues/create-comment': createComment,
  'issues/update-comment': updateComment,
  'issues/get-comment': getComment,
  'issues/delete-comment': deleteComment,
  'issues/list-comments': listComments,
  'issues/create': createIssue,
  'issues/get': getIssue,
  'issues/update': updateIssue,
  'pulls/get': getPull,
  'pulls/list': listPulls,
  'pulls/list-reviews': listReviews,
  'repos/list-pull-requests-associated-with-commit': pullsForCommit,
  'repos/create-deployment': createDeployment,
  'repos/list-deployments': listDeployments,
  'repos/get-deployment': getDeployment,
  'repos/create-deployment-status': createDeploymentStatus,
  'repos/list-deployment-statuses': listDeploymentStatuses,
  'repos/get-deployment-status': getDeploymentStatus,
  'repos/get': getRepo,
  'rate-limit/get': rateLimit
}

/**
 * The `x-accepted-github-permissions` GitHub sends with a 403, so the client
 * can name the missing `permissions:` scope.
 */
export function permissionFor(operationId: string): string {
  if (operationId.startsWith('checks/')) return 'checks=write'
  if (operationId === 'repos/create-commit-status') return 'statuses=write'
  if (operationId.includes('deployment')) return 'deployments=write'
  if (operationId.includes('comment'))
    return 'issues=write; pull_requests=write'
  if (operationId.startsWith('issues/')) return 'issues=write'
  if (operationId.startsWith('pulls/')) return 'pull_requests=write'
  return 'contents=write'
}
