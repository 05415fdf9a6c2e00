/**
 * Preflight checks that ask GitHub: every other check on the commit green,
 * enough approving reviews, and the same commit already passed in an earlier
 * environment (`after: [staging]`).
 */
import type { GitHub } from './client.js'
import type { GitHubContext } from './context.js'
import type { PreflightQueries } from '../rollout/gates/preflight.js'
import type { Finding } from '../kernel/verdict.js'

const OK_CONCLUSIONS = new Set(['success', 'neutral', 'skipped'])

/** Builds the queries; `ownPrefix` excludes our own check runs. */
export function preflightQueries(
  gh: GitHub,
  context: GitHubContext,
  ownPrefix = 'deploy-gates /'
): PreflightQueries {
  const repo = { owner: context.owner, repo: context.repo }
  const pullNumber = async (): Promise<number | undefined> => {
    if (context.pullNumber !== undefined) return context.pullNumber
    const res = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: context.sha,
      per_page: 10
    })
    return res.data[0]?.number
  }
  return {
    async checksGreen(): Promise<Finding> {
      const runs = await gh.paginate(gh.rest.checks.listForRef, {
        ...repo,
        ref: context.sha,
        per_page: 100
      })
      const status = await gh.rest.repos.getCombinedStatusForRef({
        ...repo,
        ref: context.sha
      })
      const others = runs.filter((r) => !r.name.startsWith(ownPrefix))
      const bad = others
        .filter(
          (r) =>
            r.status !== 'completed' || !OK_CONCLUSIONS.has(r.conclusion ?? '')
        )
        .map(
          (r) =>
            `${r.name} (${r.status === 'completed' ? r.conclusion : r.status})`
        )
      const badStatuses = status.data.statuses
        .filter((s) => s.state !== 'success')
        .map((s) => `${s.context} (${s.state})`)
      const all = [...bad, ...badStatuses]
      return {
        name: 'checks: green',
        level: all.length ? 'fail' : 'ok',
        n: { canary: others.length + status.data.statuses.length },
        reason: all.length
          ? `not green: ${all.slice(0, 5).join(', ')}${all.length > 5 ? ` and ${all.length - 5} more` : ''}`
          : `${others.length + status.data.statuses.length} other checks green`
      }
    },
    async approvals(required: number): Promise<Finding> {
      const number = await pullNumber()
      if (number === undefined) {
        return {
          name: `approvals: ${required}`,
          level: 'fail',
          reason: `no pull request found for ${context.sha.slice(0, 7)} to count approvals on`
        }
      }
      const reviews = await gh.paginate(gh.rest.pulls.listReviews, {
        ...repo,
        pull_number: number,
        per_page: 100
      })
      // A reviewer's latest decision counts; comments do not change it.
      const latest = new Map<string, string>()
      for (const r of reviews) {
        const who = r.user?.login
        if (!who || r.state === 'COMMENTED') continue
        latest.set(who, r.state)
      }
      const approved = [...latest.values()].filter(
        (s) => s === 'APPROVED'
      ).length
      return {
        name: `approvals: ${required}`,
        level: approved >= required ? 'ok' : 'fail',
        value: String(approved),
        reason: `${approved} approving review${approved === 1 ? '' : 's'} on #${number}, ${required} required`
      }
    },
    async passedIn(environment: string): Promise<Finding> {
      const deployments = await gh.rest.repos.listDeployments({
        ...repo,
        sha: context.sha,
        environment,
        per_page: 20
      })
      for (const d of deployments.data) {
        const statuses = await gh.rest.repos.listDeploymentStatuses({
          ...repo,
          deployment_id: d.id,
          per_page: 20
        })
        if (statuses.data.some((s) => s.state === 'success')) {
          return {
            name: `after: ${environment}`,
            level: 'ok',
            reason: `${context.sha.slice(0, 7)} passed in ${environment}`
          }
        }
      }
      return {
        name: `after: ${environment}`,
        level: 'fail',
        reason: `${context.sha.slice(0, 7)} has not passed in ${environment} yet`
      }
    }
  }
}
