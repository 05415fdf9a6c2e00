/**
 * The bundled action against the OpenAPI-checked GitHub API stand-in, with
 * real event payloads: the check run, the sticky comment and the deployment
 * of a promoted and a rolled-back rollout, a fork's read-only token and a
 * secondary rate limit.
 */
import { describe, expect, it } from '@jest/globals'
import { faults } from './helpers/github/index.js'
import { SHA, useGitHubAction } from './helpers/github-action.js'

const fx = useGitHubAction()

describe('the action on GitHub', () => {
  it('reports a promoted rollout: check run, comment, deployment, in budget', async () => {
    const r = await fx.rollout()
    expect(r.status).toBe(0)
    expect(r.outputs.result).toBe('promoted')
    expect(r.outputs['previous-version']).toBe('v1')
    expect(fx.gh.problems()).toEqual([])
    const runs = fx.gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({
      status: 'completed',
      conclusion: 'success'
    })
    const comments = fx.gh.state.commentsOn(12)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain(
      '<!-- deploy-gates:matches-api:staging -->'
    )
    expect(comments[0].body).toContain('xychart-beta')
    const mine = fx.gh.state.deployments.filter((d) => d.sha === SHA)
    expect(mine).toHaveLength(1)
    expect(fx.gh.state.latestStatus(mine[0].id)?.state).toBe('success')
    expect(r.outputs['deployment-id']).toBe(String(mine[0].id))
    const requests = fx.gh.requests.length
    // DESIGN.md §9: a full 4-step rollout stays within 25 requests.
    expect(requests).toBeLessThanOrEqual(25)
    // The job summary's footer says what the run cost.
    expect(r.summary).toContain(`GitHub API: ${requests} requests`)
    expect(r.summary).toContain('promoted')

    // A re-run updates the same check run and the same comment.
    const again = await fx.rollout()
    expect(again.outputs.result).toBe('promoted')
    expect(
      fx.gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    ).toHaveLength(1)
    expect(fx.gh.state.commentsOn(12)).toHaveLength(1)
    expect(fx.gh.problems()).toEqual([])
  }, 60_000)

  it('reports a rolled-back rollout and rolls back to the last good deployment', async () => {
    fx.canary.behaviour.errorRate = 1
    const r = await fx.rollout()
    expect(r.status).toBe(1)
    expect(r.outputs.result).toBe('rolled-back')
    expect(r.log).toContain('rollback v1')
    expect(fx.gh.problems()).toEqual([])
    const [run] = fx.gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(run).toMatchObject({ conclusion: 'failure' })
    expect(fx.gh.state.commentsOn(12)[0].body).toContain('rolled-back')
  }, 60_000)

  it('keeps the verdict with a fork read-only token, and writes the summary', async () => {
    fx.gh.readOnly = true
    const r = await fx.rollout({ fork: true })
    expect(r.status).toBe(0)
    expect(r.outputs.result).toBe('promoted')
    expect(r.summary).toContain('promoted')
    const warnings = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning::'))
    expect(warnings.some((w) => w.includes('permissions: checks: write'))).toBe(
      true
    )
    expect(fx.gh.state.checkRunsFor(SHA)).toHaveLength(0)
  }, 60_000)

  it('waits out a secondary rate limit and then succeeds', async () => {
    fx.gh.failNext({
      ...faults.secondaryRateLimit({ retryAfter: 1 }),
      pathPattern: 'checks/create'
    })
    const r = await fx.rollout()
    expect(r.outputs.result).toBe('promoted')
    expect(
      fx.gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    ).toHaveLength(1)
    expect(fx.gh.calls('checks/create').length).toBe(2)
  }, 60_000)
})
