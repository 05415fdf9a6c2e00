/**
 * Cancellation of the bundled action in the middle of a bake: SIGTERM makes
 * it roll back before it exits; a hard kill leaves the rollback to the post
 * step, which finishes it from the saved state.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startRouter,
  startService,
  type DemoService,
  type Router
} from '../demo/service.js'
import { ROOT, runnerEnv } from './helpers/action.js'
import { exited, until } from './helpers/process.js'

let stable: DemoService
let canary: DemoService
let router: Router
let workspace: string

function config(): string {
  return `version: 1
service: matches-api
environment: staging
vars:
  base: ${router.url}
probes:
  health:
    http: { url: '\${vars.base}/health' }
  api:
    http: { url: '\${vars.base}/api/matches/m1' }
gates:
  deploy:
    run: echo "deploy $DEPLOY_GATES_VERSION" >> log.txt
  canary:
    traffic:
      run: echo "$DEPLOY_GATES_WEIGHT" > weight && echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt
    steps:
      - { weight: 10, bake: 10m }
      - { weight: 100 }
    analysis:
      interval: 200ms
      tracks:
        canary: { base: ${canary.url} }
        baseline: { base: ${stable.url} }
      probes: [api]
      metrics:
        error-rate: { fail: '> 50%' }
rollback:
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> log.txt
  verify: [health]
`
}

beforeAll(async () => {
  stable = await startService('v1', { errorRate: 0, latencyMs: 2 })
  canary = await startService('v2', { errorRate: 0, latencyMs: 2 })
  workspace = mkdtempSync(join(tmpdir(), 'dg-signals-'))
  router = await startRouter(stable, canary, join(workspace, 'weight'))
})

afterAll(async () => {
  await router.close()
  await canary.close()
  await stable.close()
})

function start(dir: string, env: Record<string, string> = {}): ChildProcess {
  writeFileSync(join(dir, 'deploy-gates.yml'), config())
  // The post step runs on the same runner: same files and runner temp.
  const runner = runnerEnv({ files: dir, workspace: dir })
  return spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
    cwd: dir,
    env: {
      ...runner.env,
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      INPUT_CONFIG: 'deploy-gates.yml',
      INPUT_GATE: 'all',
      INPUT_VERSION: 'v2',
      'INPUT_PREVIOUS-VERSION': 'v1',
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

function logOf(dir: string): string[] {
  const f = join(dir, 'log.txt')
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n') : []
}

describe('cancelling the action mid-bake', () => {
  it('rolls back before exiting on SIGTERM', async () => {
    const dir = mkdtempSync(join(workspace, 'term-'))
    const child = start(dir)
    let out = ''
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    await until(() => logOf(dir).includes('weight 10'), 15_000)
    await new Promise((r) => setTimeout(r, 500))
    child.kill('SIGTERM')
    const code = await exited(child)
    expect(logOf(dir)).toEqual([
      'deploy v2',
      'weight 10',
      'weight 0',
      'rollback v1'
    ])
    expect(code).toBe(1)
    expect(out).toContain('SIGTERM received')
    expect(readFileSync(join(dir, 'output'), 'utf8')).toContain('rolled-back')
  }, 30_000)

  it('finishes the rollback in the post step after a hard kill', async () => {
    const dir = mkdtempSync(join(workspace, 'kill-'))
    const child = start(dir)
    await until(() => logOf(dir).includes('weight 10'), 15_000)
    await new Promise((r) => setTimeout(r, 300))
    child.kill('SIGKILL')
    await exited(child)
    expect(logOf(dir)).toEqual(['deploy v2', 'weight 10'])
    const post = start(dir, { STATE_isPost: 'true' })
    let out = ''
    post.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    const code = await exited(post)
    expect(logOf(dir)).toEqual([
      'deploy v2',
      'weight 10',
      'weight 0',
      'rollback v1'
    ])
    expect(code).toBe(1)
    expect(out).toContain('rolled-back')
    // A second post step finds nothing left to do.
    const again = start(dir, { STATE_isPost: 'true' })
    let out2 = ''
    again.stdout?.on('data', (d: Buffer) => (out2 += d.toString()))
    expect(await exited(again)).toBe(0)
    expect(out2).toContain('no rollback pending')
    expect(logOf(dir)).toHaveLength(4)
  }, 40_000)
})
