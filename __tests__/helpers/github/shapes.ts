/**
 * Records → GitHub-shaped JSON. The stand-in validates every body built here
 * against the operation's response schema, so these builders are held to
 * GitHub's published shapes, not to what our own code happens to read.
 */
import type {
  AppRecord,
  CheckRunRecord,
  CommentRecord,
  CommitStatusRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  GitHubState,
  IssueRecord,
  PullRequestRecord,
  RepoRecord,
  ReviewRecord,
  UserRecord
} from './state.js'

type Json = Record<string, unknown>

/** Where API objects (`url`) and web pages (`html_url`) live. */
export interface Urls {
  /** The stand-in's API root, e.g. `http://127.0.0.1:PORT` (no slash). */
  api: string
  /** The web root for html_url links (default `https://github.com`). */
  web: string
}

const FIXED = '2020-01-01T00:00:00Z'

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`${prefix}:${id}`).toString('base64url')}`
}

export function simpleUser(u: UserRecord, urls: Urls): Json {
  const url = `${urls.api}/users/${encodeURIComponent(u.login)}`
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(
      u.type === 'Bot' ? 'BOT' : u.type === 'User' ? 'U' : 'O',
      u.id
    ),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${urls.web}/${u.login.replace(/\[bot\]$/, '')}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: u.type,
    site_admin: false,
    user_view_type: 'public'
  }
}

export function integration(app: AppRecord, urls: Urls): Json {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('A', app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, '0')}`,
    owner: simpleUser(app.owner, urls),
    name: app.name,
    description: null,
    external_url: `${urls.web}/apps/${app.slug}`,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: FIXED,
    updated_at: FIXED,
    permissions: {
      checks: 'write',
      contents: 'read',
      deployments: 'write',
      issues: 'write',
      metadata: 'read',
      pull_requests: 'write',
      statuses: 'write'
    },
    events: []
  }
}

const REPO_URL_FIELDS: [string, string][] = [
  ['archive_url', '/{archive_format}{/ref}'],
  ['assignees_url', '/assignees{/user}'],
  ['blobs_url', '/git/blobs{/sha}'],
  ['branches_url', '/branches{/branch}'],
  ['collaborators_url', '/collaborators{/collaborator}'],
  ['comments_url', '/comments{/number}'],
  ['commits_url', '/commits{/sha}'],
  ['compare_url', '/compare/{base}...{head}'],
  ['contents_url', '/contents/{+path}'],
  ['contributors_url', '/contributors'],
  ['deployments_url', '/deployments'],
  ['downloads_url', '/downloads'],
  ['events_url', '/events'],
  ['forks_url', '/forks'],
  ['git_commits_url', '/git/commits{/sha}'],
  ['git_refs_url', '/git/refs{/sha}'],
  ['git_tags_url', '/git/tags{/sha}'],
  ['hooks_url', '/hooks'],
  ['issue_comment_url', '/issues/comments{/number}'],
  ['issue_events_url', '/issues/events{/number}'],
  ['issues_url', '/issues{/number}'],
  ['keys_url', '/keys{/key_id}'],
  ['labels_url', '/labels{/name}'],
  ['languages_url', '/languages'],
  ['merges_url', '/merges'],
  ['milestones_url', '/milestones{/number}'],
  ['notifications_url', '/notifications{?since,all,participating}'],
  ['pulls_url', '/pulls{/number}'],
  ['releases_url', '/releases{/id}'],
  ['stargazers_url', '/stargazers'],
  ['statuses_url', '/statuses/{sha}'],
  ['subscribers_url', '/subscribers'],
  ['subscription_url', '/subscription'],
  ['tags_url', '/tags'],
  ['teams_url', '/teams'],
  ['trees_url', '/git/trees{/sha}']
]

export function repoUrl(repo: string, urls: Urls): string {
  return `${urls.api}/repos/${repo}`
}

/** One object that satisfies minimal-, full- and plain `repository`. */
export function repository(
  r: RepoRecord,
  state: GitHubState,
  urls: Urls
): Json {
  const url = repoUrl(r.full_name, urls)
  const out: Json = {
    id: r.id,
    node_id: nodeId('R', r.id),
    name: r.name,
    full_name: r.full_name,
    owner: simpleUser(state.user(r.owner), urls),
    private: r.private,
    visibility: r.private ? 'private' : 'public',
    html_url: `${urls.web}/${r.full_name}`,
    description: null,
    fork: false,
    url
  }
  for (const [k, suffix] of REPO_URL_FIELDS) out[k] = `${url}${suffix}`
  const host = new URL(urls.web).host
  Object.assign(out, {
    git_url: `git://${host}/${r.full_name}.git`,
    ssh_url: `git@${host}:${r.full_name}.git`,
    clone_url: `${urls.web}/${r.full_name}.git`,
    svn_url: `${urls.web}/${r.full_name}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: r.default_branch,
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: r.has_issues,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    allow_forking: true,
    web_commit_signoff_required: false,
    pushed_at: FIXED,
    created_at: FIXED,
    updated_at: FIXED,
    network_count: 0,
    subscribers_count: 0
  })
  return out
}

function repoOf(state: GitHubState, full: string): RepoRecord {
  return state.repo(full)
}

export function checkRun(
  run: CheckRunRecord,
  state: GitHubState,
  urls: Urls
): Json {
  const repo = repoOf(state, run.repo)
  const url = `${repoUrl(repo.full_name, urls)}/check-runs/${run.id}`
  const prs = state.pulls.filter(
    (p) =>
      state.sameRepo(p.repo, run.repo) &&
      p.state === 'open' &&
      p.head.sha === run.head_sha
  )
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('CR', run.id),
    head_sha: run.head_sha,
    external_id: run.external_id,
    url,
    html_url: `${urls.web}/${repo.full_name}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${url}/annotations`
    },
    check_suite: { id: run.check_suite_id },
    app: integration(run.app, urls),
    pull_requests: prs.map((p) => pullRequestMinimal(p, repo, urls))
  }
}

function pullRequestMinimal(
  p: PullRequestRecord,
  repo: RepoRecord,
  urls: Urls
): Json {
  const r = { id: repo.id, url: repoUrl(repo.full_name, urls), name: repo.name }
  return {
    id: p.id,
    number: p.number,
    url: `${r.url}/pulls/${p.number}`,
    head: { ref: p.head.ref, sha: p.head.sha, repo: r },
    base: { ref: p.base.ref, sha: p.base.sha, repo: r }
  }
}

export function commitStatus(s: CommitStatusRecord, urls: Urls): Json {
  return {
    url: `${repoUrl(s.repo, urls)}/statuses/${s.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${s.creator.id}?v=4`,
    id: s.id,
    node_id: nodeId('SC', s.id),
    state: s.state,
    description: s.description,
    target_url: s.target_url,
    context: s.context,
    created_at: s.created_at,
    updated_at: s.updated_at,
    creator: simpleUser(s.creator, urls)
  }
}

/** `GET commits/{ref}/status`: the newest status per context, combined. */
export function combinedStatus(
  sha: string,
  repoName: string,
  state: GitHubState,
  urls: Urls
): Json {
  const latest = new Map<string, CommitStatusRecord>()
  for (const s of state.statuses) {
    if (state.sameRepo(s.repo, repoName) && s.sha === sha)
      latest.set(s.context, s)
  }
  const list = [...latest.values()].reverse()
  let combined = 'success'
  if (list.length === 0 || list.some((s) => s.state === 'pending')) {
    combined = 'pending'
  }
  if (list.some((s) => s.state === 'failure' || s.state === 'error')) {
    combined = 'failure'
  }
  const repo = repoOf(state, repoName)
  return {
    state: combined,
    statuses: list.map((s) => {
      const full = commitStatus(s, urls)
      delete full.creator
      return full
    }),
    sha,
    total_count: list.length,
    repository: repository(repo, state, urls),
    commit_url: `${repoUrl(repo.full_name, urls)}/commits/${sha}`,
    url: `${repoUrl(repo.full_name, urls)}/commits/${sha}/status`
  }
}

export function issueComment(
  c: CommentRecord,
  state: GitHubState,
  urls: Urls
): Json {
  const base = repoUrl(c.repo, urls)
  const isPull = state.findPull(c.repo, c.issue_number) !== undefined
  const url = `${base}/issues/comments/${c.id}`
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url,
    html_url: `${urls.web}/${c.repo}/${isPull ? 'pull' : 'issues'}/${c.issue_number}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(c.user, urls),
    created_at: c.created_at,
    updated_at: c.updated_at,
    issue_url: `${base}/issues/${c.issue_number}`,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    performed_via_github_app: c.app ? integration(c.app, urls) : null,
    reactions: reactions(`${url}/reactions`)
  }
}

function reactions(url: string): Json {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0
  }
}

function label(name: string, repo: string, urls: Urls): Json {
  let id = 0
  for (const ch of name) id = (id * 31 + ch.charCodeAt(0)) % 1_000_000
  return {
    id,
    node_id: nodeId('LA', id),
    url: `${repoUrl(repo, urls)}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false
  }
}

export function issue(i: IssueRecord, state: GitHubState, urls: Urls): Json {
  const base = repoUrl(i.repo, urls)
  const url = `${base}/issues/${i.number}`
  return {
    id: i.id,
    node_id: nodeId('I', i.id),
    url,
    repository_url: base,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${urls.web}/${i.repo}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: null,
    title: i.title,
    body: i.body,
    user: simpleUser(i.user, urls),
    labels: i.labels.map((l) => label(l, i.repo, urls)),
    assignee: i.assignees[0]
      ? simpleUser(state.user(i.assignees[0]), urls)
      : null,
    assignees: i.assignees.map((a) => simpleUser(state.user(a), urls)),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: state.commentsOn(i.number, i.repo).length,
    closed_at: i.closed_at,
    created_at: i.created_at,
    updated_at: i.updated_at,
    author_association: 'NONE',
    reactions: reactions(`${url}/reactions`)
  }
}

/** Full (`pulls/get`) or simple (lists) pull request. */
export function pullRequest(
  p: PullRequestRecord,
  state: GitHubState,
  urls: Urls,
  full: boolean
): Json {
  const repo = repoOf(state, p.repo)
  const base = repoUrl(repo.full_name, urls)
  const url = `${base}/pulls/${p.number}`
  const html = `${urls.web}/${repo.full_name}/pull/${p.number}`
  const repoJson = repository(repo, state, urls)
  const owner = state.user(repo.owner)
  const side = (s: { ref: string; sha: string }): Json => ({
    label: `${repo.owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha,
    user: simpleUser(owner, urls),
    repo: repoJson
  })
  const out: Json = {
    url,
    id: p.id,
    node_id: nodeId('PR', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${base}/issues/${p.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${base}/pulls/comments{/number}`,
    comments_url: `${base}/issues/${p.number}/comments`,
    statuses_url: `${base}/statuses/${p.head.sha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: simpleUser(p.user, urls),
    body: p.body,
    labels: p.labels.map((l) => label(l, p.repo, urls)),
    milestone: null,
    active_lock_reason: null,
    created_at: p.created_at,
    updated_at: p.updated_at,
    closed_at: p.closed_at,
    merged_at: p.merged_at,
    merge_commit_sha: p.merge_commit_sha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(p.head),
    base: side(p.base),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: `${base}/issues/${p.number}` },
      comments: { href: `${base}/issues/${p.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${base}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${base}/statuses/${p.head.sha}` }
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: p.draft
  }
  if (full) {
    Object.assign(out, {
      merged: p.merged,
      mergeable: p.state === 'open' ? true : null,
      rebaseable: p.state === 'open' ? true : null,
      mergeable_state: p.state === 'open' ? 'clean' : 'unknown',
      merged_by: p.merged ? simpleUser(state.actor, urls) : null,
      comments: state.commentsOn(p.number, p.repo).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: p.commits.length,
      additions: 0,
      deletions: 0,
      changed_files: 0
    })
  }
  return out
}

export function review(r: ReviewRecord, urls: Urls): Json {
  const base = repoUrl(r.repo, urls)
  const html = `${urls.web}/${r.repo}/pull/${r.pull_number}#pullrequestreview-${r.id}`
  return {
    id: r.id,
    node_id: nodeId('PRR', r.id),
    user: simpleUser(r.user, urls),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: `${base}/pulls/${r.pull_number}`,
    _links: {
      html: { href: html },
      pull_request: { href: `${base}/pulls/${r.pull_number}` }
    },
    submitted_at: r.submitted_at,
    commit_id: r.commit_id,
    author_association: 'MEMBER'
  }
}

export function deployment(d: DeploymentRecord, urls: Urls): Json {
  const url = `${repoUrl(d.repo, urls)}/deployments/${d.id}`
  return {
    url,
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.original_environment,
    environment: d.environment,
    description: d.description,
    creator: simpleUser(d.creator, urls),
    created_at: d.created_at,
    updated_at: d.updated_at,
    statuses_url: `${url}/statuses`,
    repository_url: repoUrl(d.repo, urls),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
    performed_via_github_app: d.app ? integration(d.app, urls) : null
  }
}

export function deploymentStatus(s: DeploymentStatusRecord, urls: Urls): Json {
  const dep = `${repoUrl(s.repo, urls)}/deployments/${s.deployment_id}`
  return {
    url: `${dep}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: simpleUser(s.creator, urls),
    description: s.description,
    environment: s.environment,
    target_url: s.target_url,
    created_at: s.created_at,
    updated_at: s.updated_at,
    deployment_url: dep,
    repository_url: repoUrl(s.repo, urls),
    environment_url: s.environment_url,
    log_url: s.log_url,
    performed_via_github_app: s.app ? integration(s.app, urls) : null
  }
}

/** `GET /rate_limit`: the core bucket is the one requests count against. */
export function rateLimitOverview(state: GitHubState): Json {
  const core = {
    limit: state.rateLimit.limit,
    used: state.rateLimit.used,
    remaining: Math.max(0, state.rateLimit.limit - state.rateLimit.used),
    reset: state.rateLimit.resetAt
  }
  const other = (limit: number): Json => ({
    limit,
    used: 0,
    remaining: limit,
    reset: state.rateLimit.resetAt
  })
  return {
    resources: {
      core,
      search: other(30),
      graphql: other(5000),
      integration_manifest: other(5000),
      code_search: other(10)
    },
    rate: core
  }
}
