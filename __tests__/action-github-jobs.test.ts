/**
 * The bundled action against the GitHub API stand-in in its other shapes:
 * one job per gate sharing only the deployment state, a manual rollback by
 * workflow_dispatch (passing and failing) and preflight checks that read
 * GitHub (checks green, approvals, passed in an earlier environment).
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runActionAsync, type ActionRun } from './helpers/action.js'
import {
  SHA,
  useGitHubAction,
  type RolloutRun
} from './helpers/github-action.js'

const fx = useGitHubAction()

describe('the action on GitHub: jobs, manual rollback, preflight', () => {
  it('runs one job per gate, sharing only the deployment state', async () => {
    fx.canary.behaviour.errorRate = 1
    const dir = mkdtempSync(join(fx.workspace, 'jobs-'))
    // Each job gets its own runner temp: nothing is shared on disk.
    const job = (gate: string, step?: string): Promise<RolloutRun> =>
      fx.rollout({
        gate,
        dir,
        runnerTemp: mkdtempSync(join(fx.workspace, `tmp-${gate}-`)),
        ...(step ? { step } : {})
      })
    const plan = await job('plan')
    expect(JSON.parse(plan.outputs.plan).jobs.length).toBe(6)
    expect((await job('deploy')).outputs.result).toBe('passed')
    expect((await job('health')).outputs.result).toBe('passed')
    const c10 = await job('canary', '10')
    expect(c10.outputs.result).toBe('rolled-back')
    // The failed canary job already rolled back; a rollback job after it
    // finds the state in the deployment and what the previous version was.
    const rb = await job('rollback')
    expect(rb.outputs['previous-version']).toBe('v1')
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toContain('rollback v1')
    expect(fx.gh.problems()).toEqual([])
  }, 90_000)

  it('rolls back by workflow_dispatch to the requested version', async () => {
    const dir = mkdtempSync(join(fx.workspace, 'dispatch-'))
    writeFileSync(join(dir, 'deploy-gates.yml'), fx.configYaml())
    const eventFile = join(dir, 'dispatch.json')
    writeFileSync(
      eventFile,
      JSON.stringify({ inputs: { environment: 'staging', version: 'v0.9' } })
    )
    const r = await runActionAsync(
      {
        gate: 'rollback',
        config: 'deploy-gates.yml',
        'rollback-to': 'v0.9',
        'github-token': 'ghs_standInToken123'
      },
      {
        cwd: dir,
        env: {
          ...fx.gh.env(),
          GITHUB_EVENT_NAME: 'workflow_dispatch',
          GITHUB_EVENT_PATH: eventFile,
          GITHUB_SHA: SHA,
          GITHUB_RUN_ID: '4244'
        }
      }
    )
    expect(r.outputs.result).toBe('rolled-back')
    expect(r.outputs['previous-version']).toBe('v0.9')
    expect(readFileSync(join(dir, 'log.txt'), 'utf8')).toBe(
      'weight 0\nrollback v0.9\n'
    )
    // The rollback asked for completed and verified: a green step and a
    // green check run, with the verdict in the summary.
    expect(r.status).toBe(0)
    expect(r.stdout).not.toContain('::error::')
    expect(r.summary).toContain('**rolled-back**')
    const [check] = fx.gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' })
    const mine = fx.gh.state.deployments.filter((d) => d.sha === SHA)
    expect(r.outputs['deployment-id']).toBe(String(mine[0].id))
    expect(fx.gh.problems()).toEqual([])
  }, 60_000)

  it('fails the step when a manual rollback fails', async () => {
    const dir = mkdtempSync(join(fx.workspace, 'dispatch-fail-'))
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      fx
        .configYaml()
        .replace(
          'run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt',
          'run: exit 3'
        )
    )
    const eventFile = join(dir, 'dispatch.json')
    writeFileSync(eventFile, JSON.stringify({ inputs: {} }))
    const r = await runActionAsync(
      {
        gate: 'rollback',
        config: 'deploy-gates.yml',
        'rollback-to': 'v0.9',
        'github-token': 'ghs_standInToken123'
      },
      {
        cwd: dir,
        env: {
          ...fx.gh.env(),
          GITHUB_EVENT_NAME: 'workflow_dispatch',
          GITHUB_EVENT_PATH: eventFile,
          GITHUB_SHA: SHA,
          GITHUB_RUN_ID: '4246'
        }
      }
    )
    expect(r.outputs.result).toBe('rollback-failed')
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('::error::rollback-failed: ')
    const [check] = fx.gh.state.checkRunsFor(SHA, 'deploy-gates / staging')
    expect(check).toMatchObject({ conclusion: 'failure' })
    expect(fx.gh.problems()).toEqual([])
  }, 60_000)

  it('checks preflight against GitHub: checks green, approvals, passed before', async () => {
    const dir = mkdtempSync(join(fx.workspace, 'preflight-'))
    const preflight = `gates:
  preflight:
    checks: green
    approvals: 2
    after: [qa]
`
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      fx.configYaml().replace('gates:\n', preflight)
    )
    fx.gh.state.seedCheckRun({
      head_sha: SHA,
      name: 'unit tests',
      status: 'completed',
      conclusion: 'failure'
    })
    fx.gh.state.seedReview({ pull_number: 12, state: 'APPROVED' })
    const run = (): Promise<ActionRun> =>
      runActionAsync(
        {
          gate: 'preflight',
          config: 'deploy-gates.yml',
          version: 'v2',
          'github-token': 'ghs_standInToken123'
        },
        {
          cwd: dir,
          env: {
            ...fx.gh.env(),
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: fx.event(),
            GITHUB_RUN_ID: '4245'
          }
        }
      )
    const r = await run()
    expect(r.outputs.result).toBe('failed')
    // The deployment exists from the start: its id is an output even when
    // the first gate fails.
    expect(r.outputs['deployment-id']).toMatch(/^\d+$/)
    expect(r.outputs.reason).toContain('not green: unit tests (failure)')
    expect(r.outputs.reason).toContain('1 approving review on #12, 2 required')
    expect(r.outputs.reason).toContain('has not passed in qa yet')
    expect(fx.gh.problems()).toEqual([])
  }, 60_000)
})
