/**
 * The action under GitHub's own local runner for JavaScript actions,
 * `@github/local-action`: it loads the TypeScript entry points (src/main.ts,
 * src/post.ts) with `@actions/core` replaced by its stubs, the way a
 * developer debugs the action on a workstation. Offline: the GitHub API is
 * the OpenAPI-checked stand-in on loopback, the services are loopback ones.
 * Outputs are read from its "Action Outputs" table, annotations from the
 * workflow commands it prints.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startService, type DemoService } from '../demo/service.js'
import { ROOT } from './helpers/action.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from './helpers/github/index.js'

const BIN = join(ROOT, 'node_modules/@github/local-action/bin/local-action.js')
const TOKEN = 'ghs_localActionToken0123456789'

interface LocalRun {
  code: number | null
  out: string
  outputs: Record<string, string>
  annotations: { type: string; params: string; message: string }[]
  summary: string
  /** Lines the config's commands wrote to $RUNNER_TEMP/log.txt. */
  log: string[]
}

/** `'valid'` → valid: console.table prints strings as JS literals. */
function unquote(cell: string): string {
  const t = cell.trim()
  const q = t[0]
  if ((q === "'" || q === '"' || q === '`') && t.endsWith(q)) {
    return t.slice(1, -1).replace(/\\(['"`\\])/g, '$1')
  }
  return t
}

/** The rows of the "Action Outputs" table. */
function outputsOf(out: string): Record<string, string> {
  const at = out.lastIndexOf('Action Outputs')
  const rows: Record<string, string> = {}
  if (at < 0) return rows
  for (const line of out.slice(at).split('\n')) {
    const m = /^│\s*\d+\s*│\s*'([\w-]+)'\s*│(.*)│\s*$/.exec(line)
    if (m) rows[m[1]] = unquote(m[2])
  }
  return rows
}

let workspace: string
let gh: GitHubStandIn
let good: DemoService
let bad: DemoService
let stable: DemoService

/** Runs one entry point under local-action with the given env file lines. */
async function localAction(
  entry: string,
  vars: Record<string, string>,
  post?: string
): Promise<LocalRun> {
  const dir = mkdtempSync(join(workspace, 'run-'))
  const temp = vars.RUNNER_TEMP ?? join(dir, 'temp')
  const summary = join(dir, 'summary.md')
  const envFile = join(dir, '.env')
  const all: Record<string, string> = {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    GITHUB_STEP_SUMMARY: summary,
    ...vars
  }
  writeFileSync(
    envFile,
    Object.entries(all)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n')
  )
  // The runner's own variables stay out: the env file is the whole job.
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|STATE_)/.test(k)) env[k] = v
  }
  // local-action swaps @actions/core by its path; a linked node_modules
  // would load it by its real path and escape the stub.
  if (lstatSync(join(ROOT, 'node_modules')).isSymbolicLink()) {
    env.NODE_PRESERVE_SYMLINKS = '1'
  }
  env.NO_COLOR = '1'
  env.FORCE_COLOR = '0'
  const args = [BIN, 'run', ROOT, entry, envFile]
  if (post) args.push('--post', post)
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const code = await new Promise<number | null>((resolve) =>
    child.on('close', (c) => resolve(c))
  )
  const annotations = [
    ...out.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)
  ].map((m) => ({ type: m[1], params: m[2]?.trim() ?? '', message: m[3] }))
  return {
    code,
    out,
    outputs: outputsOf(out),
    annotations,
    summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '',
    log: existsSync(join(temp, 'log.txt'))
      ? readFileSync(join(temp, 'log.txt'), 'utf8').trim().split('\n')
      : []
  }
}

/** A one-gate rollout: the canary step against loopback services. */
function canaryConfig(canary: DemoService): string {
  return `version: 1
service: matches-api
environment: staging
vars:
  base: ${stable.url}
probes:
  api:
    http: { url: '\${vars.base}/api/matches/test-match', expect: { status: 200 } }
gates:
  canary:
    traffic:
      run: echo "weight $DEPLOY_GATES_WEIGHT" >> "$RUNNER_TEMP/log.txt"
    steps:
      - { weight: 25, bake: 4s }
    analysis:
      interval: 100ms
      min-samples: 15
      tracks:
        canary: { base: ${canary.url} }
        baseline: { base: ${stable.url} }
      probes: [api]
      metrics:
        error-rate: { fail: '> 5%' }
rollback:
  traffic: 0
  run: echo "rollback $DEPLOY_GATES_PREVIOUS_VERSION" >> "$RUNNER_TEMP/log.txt"
report:
  comment: false
  checks: overall
`
}

/** A job on a push to main, reporting to the stand-in. */
function github(): Record<string, string> {
  return {
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    'INPUT_GITHUB-TOKEN': TOKEN
  }
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'dg-local-action-'))
  mkdirSync(join(workspace, '.github'))
  gh = await startGitHubStandIn({ tokens: [TOKEN] })
  good = await startService('v2', { errorRate: 0, latencyMs: 2 })
  bad = await startService('v3', { errorRate: 0.5, latencyMs: 2 })
  stable = await startService('v1', { errorRate: 0, latencyMs: 2 })
  writeFileSync(join(workspace, 'good.yml'), canaryConfig(good))
  writeFileSync(join(workspace, 'bad.yml'), canaryConfig(bad))
  writeFileSync(
    join(workspace, 'broken.yml'),
    [
      'version: 1',
      'service: api',
      'environment: staging',
      'probes:',
      "  p: { http: { url: 'http://127.0.0.1:9/' } }",
      'gates:',
      '  health:',
      '    probes: [p]',
      '    withn: 30s',
      ''
    ].join('\n')
  )
}, 60_000)

afterAll(async () => {
  await gh?.close()
  await good?.close()
  await bad?.close()
  await stable?.close()
})

describe('the action under @github/local-action', () => {
  it('validate: a config error is an annotation on its line, and the step fails', async () => {
    const r = await localAction('src/main.ts', {
      INPUT_CONFIG: 'broken.yml',
      INPUT_GATE: 'validate'
    })
    expect(r.code).toBe(0)
    expect(r.outputs.result).toBe('invalid')
    expect(r.outputs.reason).toContain("unknown key 'withn'")
    const config = r.annotations.find((a) =>
      a.params.includes('file=broken.yml')
    )
    expect(config).toMatchObject({ type: 'error' })
    expect(config?.params).toContain('line=9')
    expect(config?.message).toContain("did you mean 'within'?")
    // setFailed: the step's failure, as its last error.
    expect(r.annotations.at(-1)?.message).toBe(
      "config 'broken.yml' has 1 error"
    )
  }, 300_000)

  it('plan: the plan output and the job summary', async () => {
    const r = await localAction('src/main.ts', {
      INPUT_CONFIG: 'good.yml',
      INPUT_GATE: 'plan'
    })
    expect(r.annotations.filter((a) => a.type === 'error')).toEqual([])
    const plan = JSON.parse(r.outputs.plan) as {
      gates: string[]
      steps: { weight: number }[]
    }
    expect(plan.gates).toEqual(['canary'])
    expect(plan.steps.map((s) => s.weight)).toEqual([25])
    expect(r.summary).toContain('canary')
  }, 300_000)

  it('a one-gate rollout that passes, reported to GitHub, then a quiet post step', async () => {
    gh.reset()
    const r = await localAction(
      'src/main.ts',
      {
        ...github(),
        INPUT_CONFIG: 'good.yml',
        INPUT_GATE: 'canary',
        INPUT_STEP: '25',
        INPUT_VERSION: 'v2',
        'INPUT_PREVIOUS-VERSION': 'v1'
      },
      'src/post.ts'
    )
    expect(r.annotations.filter((a) => a.type === 'error')).toEqual([])
    expect(r.outputs).toMatchObject({ result: 'passed', version: 'v2' })
    expect(Number(r.outputs['deployment-id'])).toBeGreaterThan(0)
    // This rollout is counted in the metrics, though it is still finishing.
    expect(JSON.parse(r.outputs.dora)).toMatchObject({
      environment: 'staging',
      deployments: 1,
      successful: 1
    })
    // The job summary and the check run have the bake's look-by-look chart.
    expect(r.summary).toContain('error-rate, canary 25%')
    expect(r.summary).toContain('canary (red) vs baseline (blue)')
    const done = gh
      .calls('checks/update')
      .map((c) => c.body as { output?: { summary?: string } })
      .filter((b) => b.output?.summary?.includes('xychart-beta'))
    expect(done.length).toBeGreaterThan(0)
    // Traffic went to 25% and stayed; the post step finds nothing to finish.
    expect(r.log).toEqual(['weight 25'])
    expect(r.out).toContain('post: no rollback pending')
    expect(r.out).not.toContain(TOKEN)
    expect(gh.problems()).toEqual([])
  }, 300_000)

  it('a one-gate rollout that rolls back: outputs, the failure, one rollback', async () => {
    const vars = {
      INPUT_CONFIG: 'bad.yml',
      INPUT_GATE: 'canary',
      INPUT_STEP: '25',
      INPUT_VERSION: 'v3',
      'INPUT_PREVIOUS-VERSION': 'v1'
    }
    const r = await localAction('src/main.ts', vars, 'src/post.ts')
    expect(r.outputs).toMatchObject({
      result: 'rolled-back',
      'failed-gate': 'canary',
      version: 'v3'
    })
    expect(r.outputs.reason).toMatch(/error-rate \d+(\.\d+)?% > 5%/)
    const failure = r.annotations.at(-1)
    expect(failure?.type).toBe('error')
    expect(failure?.message).toMatch(/^rolled-back: /)
    expect(r.summary).toContain('error-rate, canary 25%')
    // The main step rolled back what it changed (this job deployed
    // nothing, so only the traffic), once; the post step has nothing left.
    expect(r.log).toEqual(['weight 25', 'weight 0'])
    expect(r.out).toContain('post: no rollback pending')
  }, 300_000)

  it('the post step finishes the rollback of a main step that was killed', async () => {
    const temp = mkdtempSync(join(workspace, 'killed-'))
    const dir = join(temp, 'deploy-gates', 'matches-api-staging')
    mkdirSync(dir, { recursive: true })
    const now = Date.now()
    // What a main step killed at the 25% step leaves behind.
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({
        version: 1,
        service: 'matches-api',
        environment: 'staging',
        rolloutVersion: 'v3',
        previousVersion: 'v1',
        sha: 'a'.repeat(40),
        startedAt: now - 60_000,
        updatedAt: now - 1000,
        phase: 'running',
        changed: {
          migrated: false,
          migrationReversible: true,
          deployed: true,
          trafficWeight: 25
        },
        currentGate: 'canary',
        currentStep: 25,
        rollbackAttempts: 0
      })
    )
    const r = await localAction('src/post.ts', {
      INPUT_CONFIG: 'bad.yml',
      INPUT_GATE: 'canary',
      RUNNER_TEMP: temp
    })
    expect(r.outputs).toMatchObject({ result: 'rolled-back', version: 'v3' })
    expect(r.log).toEqual(['weight 0', 'rollback v1'])
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      phase: string
    }
    expect(state.phase).toBe('done')
  }, 300_000)
})
