/**
 * The GitHub stand-in's memory: repositories, check runs, commit statuses,
 * pull requests and reviews, issues and comments, deployments and their
 * statuses. Records keep GitHub's field names so tests can assert on them
 * directly; `shapes.ts` turns them into GitHub-shaped JSON.
 *
 * Seeders exist for what other actors put on GitHub (other apps' check runs,
 * a PR, a review, a previous deployment, last run's sticky comment).
 */

export interface UserRecord {
  login: string
  id: number
  type: 'User' | 'Bot' | 'Organization'
}

export interface AppRecord {
  id: number
  slug: string
  name: string
  owner: UserRecord
}

export interface RepoRecord {
  owner: string
  name: string
  /** `owner/name`: the key every other record refers to. */
  full_name: string
  id: number
  default_branch: string
  private: boolean
  has_issues: boolean
  /** Branch and tag names → commit SHA (without `refs/heads/`). */
  refs: Map<string, string>
  /** Contexts branch protection requires before a deployment (409 if not green). */
  required_contexts: string[]
}

export type CheckStatus =
  'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'

export interface CheckRunRecord {
  repo: string
  id: number
  name: string
  head_sha: string
  status: CheckStatus
  conclusion: string | null
  started_at: string | null
  completed_at: string | null
  external_id: string | null
  details_url: string | null
  output: { title: string | null; summary: string | null; text: string | null }
  /** Every annotation sent, across create and updates (GitHub appends). */
  annotations: Record<string, unknown>[]
  actions: Record<string, unknown>[]
  app: AppRecord
  check_suite_id: number
  created_at: string
  /** How many PATCHes this run received (the ≤ 1 per 10 s budget). */
  updates: number
}

export interface CommitStatusRecord {
  repo: string
  id: number
  sha: string
  state: 'error' | 'failure' | 'pending' | 'success'
  context: string
  description: string | null
  target_url: string | null
  creator: UserRecord
  created_at: string
  updated_at: string
}

export interface PullRequestRecord {
  repo: string
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  draft: boolean
  merged: boolean
  merged_at: string | null
  merge_commit_sha: string | null
  closed_at: string | null
  head: { ref: string; sha: string }
  base: { ref: string; sha: string }
  user: UserRecord
  labels: string[]
  /** Commit SHAs in the PR: `commits/{sha}/pulls` finds the PR by these. */
  commits: string[]
  created_at: string
  updated_at: string
}

export interface ReviewRecord {
  repo: string
  id: number
  pull_number: number
  user: UserRecord
  state:
    'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING'
  body: string
  commit_id: string | null
  submitted_at: string
}

export interface IssueRecord {
  repo: string
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  labels: string[]
  assignees: string[]
  user: UserRecord
  created_at: string
  updated_at: string
  closed_at: string | null
}

export interface CommentRecord {
  repo: string
  id: number
  issue_number: number
  body: string
  user: UserRecord
  app: AppRecord | null
  created_at: string
  updated_at: string
}

export interface DeploymentRecord {
  repo: string
  id: number
  sha: string
  ref: string
  task: string
  payload: Record<string, unknown> | string
  environment: string
  original_environment: string
  description: string | null
  transient_environment: boolean
  production_environment: boolean
  auto_merge: boolean
  required_contexts: string[] | null
  creator: UserRecord
  app: AppRecord | null
  created_at: string
  updated_at: string
}

export type DeploymentState =
  | 'error'
  | 'failure'
  | 'inactive'
  | 'in_progress'
  | 'queued'
  | 'pending'
  | 'success'

export interface DeploymentStatusRecord {
  repo: string
  id: number
  deployment_id: number
  state: DeploymentState
  description: string
  environment: string
  target_url: string
  log_url: string
  environment_url: string
  creator: UserRecord
  app: AppRecord | null
  created_at: string
  updated_at: string
}

/** The identity behind the workflow token: github-actions[bot] and its app. */
export const ACTIONS_BOT: UserRecord = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot'
}
export const ACTIONS_APP: AppRecord = {
  id: 15368,
  slug: 'github-actions',
  name: 'GitHub Actions',
  owner: { login: 'github', id: 9919, type: 'Organization' }
}

const SHA = /^[0-9a-f]{40}$/

export interface GitHubStateOptions {
  /** Default repository for seeders, `owner/name` (default `acme/app`). */
  repository?: string
  /** Epoch ms for timestamps (default Date.now): inject a fake clock's. */
  now?: () => number
  /** Who writes with the token (default github-actions[bot]). */
  actor?: UserRecord
  /** The app that owns the token's check runs (default GitHub Actions). */
  app?: AppRecord
}

export interface SeedCheckRun {
  repo?: string
  head_sha: string
  name: string
  status?: CheckStatus
  conclusion?: string | null
  /**
   * Another app by default (slug 'ci-app'), so it differs from our own runs;
   * the same slug always means the same app (`{ slug: 'github-actions' }` is ours).
   */
  app?: Partial<AppRecord> & { slug: string }
  external_id?: string | null
  details_url?: string | null
  output?: Partial<CheckRunRecord['output']>
  started_at?: string | null
  completed_at?: string | null
}

export interface SeedStatus {
  repo?: string
  sha: string
  context: string
  state: CommitStatusRecord['state']
  description?: string | null
  target_url?: string | null
  creator?: string
}

export interface SeedPullRequest {
  repo?: string
  /** Default: the next free issue number of the repository. */
  number?: number
  title?: string
  body?: string | null
  state?: 'open' | 'closed'
  draft?: boolean
  merged?: boolean
  merge_commit_sha?: string | null
  head_sha: string
  head_ref?: string
  base_ref?: string
  base_sha?: string
  user?: string
  labels?: string[]
  /** Extra commit SHAs that belong to the PR (head_sha is always one). */
  commits?: string[]
}

export interface SeedReview {
  repo?: string
  pull_number: number
  state: ReviewRecord['state']
  user?: string
  body?: string
  commit_id?: string | null
}

export interface SeedIssue {
  repo?: string
  number?: number
  title: string
  body?: string | null
  state?: 'open' | 'closed'
  labels?: string[]
  user?: string
}

export interface SeedComment {
  repo?: string
  issue_number: number
  body: string
  /** Default github-actions[bot] (a comment a previous run left). */
  user?: string
}

export interface SeedDeployment {
  repo?: string
  sha: string
  ref?: string
  environment?: string
  task?: string
  payload?: Record<string, unknown> | string
  description?: string | null
  production_environment?: boolean
  transient_environment?: boolean
  /** Statuses in order, e.g. ['in_progress', 'success']. */
  statuses?: (DeploymentState | SeedDeploymentStatus)[]
}

export interface SeedDeploymentStatus {
  state: DeploymentState
  description?: string
  environment_url?: string
  log_url?: string
}

const ID_BASE = {
  repo: 1_000_000,
  checkRun: 10_000_000,
  checkSuite: 20_000_000,
  status: 30_000_000,
  issue: 40_000_000,
  review: 50_000_000,
  comment: 60_000_000,
  deployment: 70_000_000,
  deploymentStatus: 80_000_000,
  user: 90_000_000
}

/** Everything the stand-in knows; `reset()` empties it in place. */
export class GitHubState {
  readonly defaultRepo: string
  readonly actor: UserRecord
  readonly app: AppRecord
  readonly repos = new Map<string, RepoRecord>()
  readonly checkRuns: CheckRunRecord[] = []
  readonly statuses: CommitStatusRecord[] = []
  readonly pulls: PullRequestRecord[] = []
  readonly reviews: ReviewRecord[] = []
  readonly issues: IssueRecord[] = []
  readonly comments: CommentRecord[] = []
  readonly deployments: DeploymentRecord[] = []
  readonly deploymentStatuses: DeploymentStatusRecord[] = []
  /** Primary rate limit of the token; requests count against it. */
  readonly rateLimit = { limit: 5000, used: 0, resetAt: 0 }
  private readonly nowFn: () => number
  private readonly users = new Map<string, UserRecord>()
  private readonly suites = new Map<string, number>()
  private readonly apps = new Map<string, AppRecord>()
  private readonly knownShas = new Set<string>()
  /** Author dates of commits, for `git/get-commit` (epoch ms). */
  readonly commitDates = new Map<string, number>()
  private counters: Record<keyof typeof ID_BASE, number> = { ...ID_BASE }

  constructor(opts: GitHubStateOptions = {}) {
    this.defaultRepo = opts.repository ?? 'acme/app'
    this.nowFn = opts.now ?? Date.now
    this.actor = opts.actor ?? ACTIONS_BOT
    this.app = opts.app ?? ACTIONS_APP
    this.reset()
  }

  /** Forgets every record; arrays keep their identity. */
  reset(): void {
    this.repos.clear()
    for (const list of [
      this.checkRuns,
      this.statuses,
      this.pulls,
      this.reviews,
      this.issues,
      this.comments,
      this.deployments,
      this.deploymentStatuses
    ] as unknown[][]) {
      list.length = 0
    }
    this.users.clear()
    this.suites.clear()
    this.apps.clear()
    this.apps.set(this.app.slug, this.app)
    this.knownShas.clear()
    this.commitDates.clear()
    this.counters = { ...ID_BASE }
    this.rateLimit.limit = 5000
    this.rateLimit.used = 0
    this.rateLimit.resetAt = Math.floor(this.nowFn() / 1000) + 3600
    this.users.set(this.actor.login, this.actor)
    this.repo(this.defaultRepo)
  }

  /** ISO timestamp without milliseconds, as GitHub writes them. */
  stamp(): string {
    return new Date(this.nowFn()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  nowMs(): number {
    return this.nowFn()
  }

  nextId(kind: keyof typeof ID_BASE): number {
    this.counters[kind] += 1
    return this.counters[kind]
  }

  /** The repository `owner/name`, created on first use (any name works). */
  repo(fullName: string = this.defaultRepo): RepoRecord {
    const key = fullName.toLowerCase()
    const hit = this.repos.get(key)
    if (hit) return hit
    const [owner, name] = fullName.split('/')
    const record: RepoRecord = {
      owner,
      name,
      full_name: `${owner}/${name}`,
      id: this.nextId('repo'),
      default_branch: 'main',
      private: false,
      has_issues: true,
      refs: new Map(),
      required_contexts: []
    }
    this.repos.set(key, record)
    return record
  }

  /** A user by login (bots end in `[bot]`), with a stable id. */
  user(login: string): UserRecord {
    const hit = this.users.get(login)
    if (hit) return hit
    const u: UserRecord = {
      login,
      id: this.nextId('user'),
      type: login.endsWith('[bot]') ? 'Bot' : 'User'
    }
    this.users.set(login, u)
    return u
  }

  /** Points a branch or tag at a commit, so refs resolve like on GitHub. */
  setRef(ref: string, sha: string, repo: string = this.defaultRepo): void {
    this.repo(repo).refs.set(stripRef(ref), sha)
    this.knownShas.add(sha)
  }

  /** Remembers a commit (any 40-hex SHA is accepted anyway). */
  addCommit(sha: string, authorDate?: number): void {
    this.knownShas.add(sha)
    if (authorDate !== undefined) this.commitDates.set(sha, authorDate)
  }

  /**
   * A SHA, branch or tag → the commit SHA, or null when GitHub would say
   * "No commit found": full SHAs, known SHAs and known refs resolve.
   */
  resolveRef(repo: string, ref: string): string | null {
    if (SHA.test(ref) || this.knownShas.has(ref)) return ref
    const named = this.repo(repo).refs.get(stripRef(ref))
    if (named) return named
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      for (const sha of this.knownShas) if (sha.startsWith(ref)) return sha
    }
    return null
  }

  checkSuiteId(repo: string, sha: string, app: AppRecord): number {
    const key = `${repo.toLowerCase()} ${sha} ${app.id}`
    let id = this.suites.get(key)
    if (id === undefined) {
      id = this.nextId('checkSuite')
      this.suites.set(key, id)
    }
    return id
  }

  sameRepo(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase()
  }

  /** An issue or pull request number already used in the repository? */
  numberTaken(repo: string, n: number): boolean {
    return (
      this.pulls.some((p) => this.sameRepo(p.repo, repo) && p.number === n) ||
      this.issues.some((i) => this.sameRepo(i.repo, repo) && i.number === n)
    )
  }

  nextNumber(repo: string): number {
    let max = 0
    for (const x of [...this.pulls, ...this.issues]) {
      if (this.sameRepo(x.repo, repo)) max = Math.max(max, x.number)
    }
    return max + 1
  }

  findPull(repo: string, n: number): PullRequestRecord | undefined {
    return this.pulls.find((p) => this.sameRepo(p.repo, repo) && p.number === n)
  }

  findIssue(repo: string, n: number): IssueRecord | undefined {
    return this.issues.find(
      (i) => this.sameRepo(i.repo, repo) && i.number === n
    )
  }

  /** A check run another app (or ours, with `app: state.app`) put on a commit. */
  seedCheckRun(seed: SeedCheckRun): CheckRunRecord {
    const repo = this.repo(seed.repo).full_name
    const slug = seed.app?.slug ?? 'ci-app'
    let app = this.apps.get(slug)
    if (!app || (seed.app?.id !== undefined && seed.app.id !== app.id)) {
      app = {
        id: seed.app?.id ?? 40_000 + this.apps.size + 1,
        slug,
        name: seed.app?.name ?? slug,
        owner: seed.app?.owner ?? this.user(repo.split('/')[0])
      }
      this.apps.set(slug, app)
    }
    const status = seed.status ?? (seed.conclusion ? 'completed' : 'queued')
    const now = this.stamp()
    const run: CheckRunRecord = {
      repo,
      id: this.nextId('checkRun'),
      name: seed.name,
      head_sha: seed.head_sha,
      status,
      conclusion: seed.conclusion ?? null,
      started_at: seed.started_at === undefined ? now : seed.started_at,
      completed_at:
        seed.completed_at === undefined
          ? status === 'completed'
            ? now
            : null
          : seed.completed_at,
      external_id: seed.external_id ?? null,
      details_url: seed.details_url ?? null,
      output: {
        title: seed.output?.title ?? null,
        summary: seed.output?.summary ?? null,
        text: seed.output?.text ?? null
      },
      annotations: [],
      actions: [],
      app,
      check_suite_id: this.checkSuiteId(repo, seed.head_sha, app),
      created_at: now,
      updates: 0
    }
    this.knownShas.add(seed.head_sha)
    this.checkRuns.push(run)
    return run
  }

  /** A commit status (the older statuses API) someone set on a commit. */
  seedStatus(seed: SeedStatus): CommitStatusRecord {
    const now = this.stamp()
    const s: CommitStatusRecord = {
      repo: this.repo(seed.repo).full_name,
      id: this.nextId('status'),
      sha: seed.sha,
      state: seed.state,
      context: seed.context,
      description: seed.description ?? null,
      target_url: seed.target_url ?? null,
      creator: this.user(seed.creator ?? 'ci-bot[bot]'),
      created_at: now,
      updated_at: now
    }
    this.knownShas.add(seed.sha)
    this.statuses.push(s)
    return s
  }

  seedPullRequest(seed: SeedPullRequest): PullRequestRecord {
    const repo = this.repo(seed.repo)
    const number = seed.number ?? this.nextNumber(repo.full_name)
    if (this.numberTaken(repo.full_name, number)) {
      throw new Error(
        `number '${number}' is already used in '${repo.full_name}'`
      )
    }
    const now = this.stamp()
    const merged = seed.merged ?? false
    const state = seed.state ?? (merged ? 'closed' : 'open')
    const headRef = seed.head_ref ?? `feature-${number}`
    const pr: PullRequestRecord = {
      repo: repo.full_name,
      id: this.nextId('issue'),
      number,
      title: seed.title ?? `Pull request ${number}`,
      body: seed.body ?? null,
      state,
      draft: seed.draft ?? false,
      merged,
      merged_at: merged ? now : null,
      merge_commit_sha: seed.merge_commit_sha ?? null,
      closed_at: state === 'closed' ? now : null,
      head: { ref: headRef, sha: seed.head_sha },
      base: {
        ref: seed.base_ref ?? repo.default_branch,
        sha: seed.base_sha ?? '0'.repeat(40)
      },
      user: this.user(seed.user ?? 'octocat'),
      labels: seed.labels ?? [],
      commits: [...new Set([seed.head_sha, ...(seed.commits ?? [])])],
      created_at: now,
      updated_at: now
    }
    for (const sha of pr.commits) this.knownShas.add(sha)
    if (pr.merge_commit_sha) this.knownShas.add(pr.merge_commit_sha)
    if (state === 'open') repo.refs.set(headRef, seed.head_sha)
    this.pulls.push(pr)
    return pr
  }

  seedReview(seed: SeedReview): ReviewRecord {
    const repo = this.repo(seed.repo).full_name
    const pr = this.findPull(repo, seed.pull_number)
    if (!pr)
      throw new Error(`no pull request '${seed.pull_number}' in '${repo}'`)
    const r: ReviewRecord = {
      repo,
      id: this.nextId('review'),
      pull_number: seed.pull_number,
      user: this.user(seed.user ?? 'reviewer'),
      state: seed.state,
      body: seed.body ?? '',
      commit_id: seed.commit_id === undefined ? pr.head.sha : seed.commit_id,
      submitted_at: this.stamp()
    }
    this.reviews.push(r)
    return r
  }

  seedIssue(seed: SeedIssue): IssueRecord {
    const repo = this.repo(seed.repo).full_name
    const number = seed.number ?? this.nextNumber(repo)
    if (this.numberTaken(repo, number)) {
      throw new Error(`number '${number}' is already used in '${repo}'`)
    }
    const now = this.stamp()
    const state = seed.state ?? 'open'
    const issue: IssueRecord = {
      repo,
      id: this.nextId('issue'),
      number,
      title: seed.title,
      body: seed.body ?? null,
      state,
      labels: seed.labels ?? [],
      assignees: [],
      user: this.user(seed.user ?? 'octocat'),
      created_at: now,
      updated_at: now,
      closed_at: state === 'closed' ? now : null
    }
    this.issues.push(issue)
    return issue
  }

  seedComment(seed: SeedComment): CommentRecord {
    const repo = this.repo(seed.repo).full_name
    if (!this.numberTaken(repo, seed.issue_number)) {
      throw new Error(
        `no issue or pull request '${seed.issue_number}' in '${repo}'`
      )
    }
    const user = this.user(seed.user ?? this.actor.login)
    const now = this.stamp()
    const c: CommentRecord = {
      repo,
      id: this.nextId('comment'),
      issue_number: seed.issue_number,
      body: seed.body,
      user,
      app: user.login === this.actor.login ? this.app : null,
      created_at: now,
      updated_at: now
    }
    this.comments.push(c)
    return c
  }

  /** A deployment made before this run, with its status history. */
  seedDeployment(seed: SeedDeployment): DeploymentRecord {
    const repo = this.repo(seed.repo).full_name
    const now = this.stamp()
    const environment = seed.environment ?? 'production'
    const d: DeploymentRecord = {
      repo,
      id: this.nextId('deployment'),
      sha: seed.sha,
      ref: seed.ref ?? seed.sha,
      task: seed.task ?? 'deploy',
      payload: seed.payload ?? {},
      environment,
      original_environment: environment,
      description: seed.description ?? null,
      transient_environment: seed.transient_environment ?? false,
      production_environment:
        seed.production_environment ?? environment === 'production',
      auto_merge: false,
      required_contexts: [],
      creator: this.actor,
      app: this.app,
      created_at: now,
      updated_at: now
    }
    this.knownShas.add(seed.sha)
    this.deployments.push(d)
    for (const s of seed.statuses ?? []) {
      this.addDeploymentStatus(d, typeof s === 'string' ? { state: s } : s)
    }
    return d
  }

  /** Appends a deployment status (no auto-inactive; routes handle that). */
  addDeploymentStatus(
    d: DeploymentRecord,
    s: SeedDeploymentStatus & {
      target_url?: string
      environment?: string
      creator?: UserRecord
    }
  ): DeploymentStatusRecord {
    const now = this.stamp()
    const logUrl = s.log_url ?? s.target_url ?? ''
    const status: DeploymentStatusRecord = {
      repo: d.repo,
      id: this.nextId('deploymentStatus'),
      deployment_id: d.id,
      state: s.state,
      description: s.description ?? '',
      environment: s.environment ?? d.environment,
      target_url: s.target_url ?? logUrl,
      log_url: logUrl,
      environment_url: s.environment_url ?? '',
      creator: s.creator ?? this.actor,
      app: this.app,
      created_at: now,
      updated_at: now
    }
    d.updated_at = now
    this.deploymentStatuses.push(status)
    return status
  }

  statusesOf(deploymentId: number): DeploymentStatusRecord[] {
    return this.deploymentStatuses.filter(
      (s) => s.deployment_id === deploymentId
    )
  }

  /** The newest status of a deployment, or undefined before the first. */
  latestStatus(deploymentId: number): DeploymentStatusRecord | undefined {
    const all = this.statusesOf(deploymentId)
    return all[all.length - 1]
  }

  /** Comments on one issue or PR, oldest first. */
  commentsOn(n: number, repo: string = this.defaultRepo): CommentRecord[] {
    return this.comments.filter(
      (c) => this.sameRepo(c.repo, repo) && c.issue_number === n
    )
  }

  /** Check runs on a commit, optionally by name. */
  checkRunsFor(
    sha: string,
    name?: string,
    repo: string = this.defaultRepo
  ): CheckRunRecord[] {
    return this.checkRuns.filter(
      (r) =>
        this.sameRepo(r.repo, repo) &&
        r.head_sha === sha &&
        (name === undefined || r.name === name)
    )
  }
}

function stripRef(ref: string): string {
  return ref.replace(/^(?:refs\/)?(?:heads|tags)\//, '')
}
