/**
 * The bundled action against the GitHub API stand-in when the API is down
 * (the verdict and the rollback do not wait for it), and on a push event
 * (the comment goes to the pull request that brought the commit).
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runActionAsync } from './helpers/action.js'
import { faults } from './helpers/github/index.js'
import { useGitHubAction } from './helpers/github-action.js'

const fx = useGitHubAction()

describe('the action on GitHub: outage and push', () => {
  it('still rolls back when the API is down, and exits by the verdict', async () => {
    fx.canary.behaviour.errorRate = 1
    fx.gh.failNext({ ...faults.serverError(), times: 1000 })
    const r = await fx.rollout({ previousVersion: 'v1' })
    expect(r.outputs.result).toBe('rolled-back')
    expect(r.status).toBe(1)
    expect(r.log).toContain('rollback v1')
    expect(r.stdout).toContain('GitHub API unavailable')
  }, 90_000)

  it('comments on the PR that introduced the commit on a push', async () => {
    const pushed = 'c1c2c3d4e5f60718293a4b5c6d7e8f9012345678'
    fx.gh.state.seedPullRequest({
      number: 31,
      head_sha: 'd1d2c3d4e5f60718293a4b5c6d7e8f9012345678',
      merged: true,
      merge_commit_sha: pushed,
      commits: [pushed]
    })
    const dir = mkdtempSync(join(fx.workspace, 'push-'))
    writeFileSync(join(dir, 'deploy-gates.yml'), fx.configYaml())
    const eventFile = join(dir, 'push.json')
    writeFileSync(
      eventFile,
      JSON.stringify({
        ref: 'refs/heads/main',
        after: pushed,
        head_commit: { id: pushed, message: 'Merge pull request #31' }
      })
    )
    const r = await runActionAsync(
      {
        gate: 'all',
        config: 'deploy-gates.yml',
        version: 'v2',
        'github-token': 'ghs_standInToken123'
      },
      {
        cwd: dir,
        env: {
          ...fx.gh.env(),
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: eventFile,
          GITHUB_SHA: pushed,
          GITHUB_RUN_ID: '4243'
        }
      }
    )
    expect(r.outputs.result).toBe('promoted')
    expect(
      fx.gh.calls('repos/list-pull-requests-associated-with-commit').length
    ).toBe(1)
    expect(fx.gh.state.commentsOn(31)).toHaveLength(1)
    expect(
      fx.gh.state.checkRunsFor(pushed, 'deploy-gates / staging')
    ).toHaveLength(1)
    expect(fx.gh.problems()).toEqual([])
  }, 60_000)
})
