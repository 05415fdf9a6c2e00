/**
 * GitHub API faults during every phase of a rollout, verdict unchanged.
 *
 * Baseline runs of the bundled action (a re-run that finds what an earlier
 * attempt left, a first run that promotes, a run that rolls back) record
 * which GitHub operations the action calls and in which phase: start
 * (before the first gate), in progress (while gates run) and finish (after
 * the verdict line). The operation list comes from those runs, so a call
 * added later is covered without touching this file. Then, for every
 * operation, the rollout runs again with a secondary rate limit once (on
 * the first call, and on the last when there are several), a 5xx on every
 * call and a 403 on every call of it; and, for a promoted and a rolled-back
 * rollout, with a 5xx on every request of one phase. The verdict (the
 * `result` output and the exit code) must not move, nothing may crash or
 * hang, no surface may be duplicated, and a failing or refused operation
 * gets one clear warning.
 *
 * Runs are separate processes with a fresh stand-in each, started together
 * from a pool: a run mostly waits (bakes, Octokit's one write per second,
 * retry backoff), so they overlap well on two cores.
 *
 * `DEPLOY_GATES_TEST_DIST` points the runs at another build of the action,
 * to check a fix in src/ before dist/ is rebuilt.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startService, type DemoService } from '../../demo/service.js'
import { ROOT, parseOutputFile, runnerEnv } from '../helpers/action.js'
import {
  faults,
  startGitHubStandIn,
  type GitHubStandIn
} from '../helpers/github/index.js'
import {
  SHA,
  pullRequestEvent,
  rolloutConfigYaml
} from '../helpers/github-action.js'
import { permissionFor } from '../helpers/github/routes.js'

const DIST = process.env.DEPLOY_GATES_TEST_DIST ?? join(ROOT, 'dist')
/** The commit of the last good deployment: the default rollback target. */
const PREVIOUS_SHA = '9999999999999999999999999999999999999999'
const CHECK_NAME = 'deploy-gates / staging'
const EXTERNAL_ID = 'deploy-gates:matches-api:staging'
const MARKER = '<!-- deploy-gates:matches-api:staging -->'
/**
 * A run still going by then hangs. A clean run takes about 14 s; one whose
 * every deployment-status read fails takes about 55 s on an idle machine
 * (each failed read waits out the client's retries), longer on a busy one.
 */
const RUN_LIMIT_MS = 150_000
/** Waiting for a run that may be queued behind others in the pool. */
const TEST_LIMIT_MS = 300_000
/**
 * Runs at once: each mostly waits on bakes and throttling, so a few per
 * core overlap well; more only starve each other of samples.
 */
const POOL = Math.max(2, availableParallelism() * 4)

type Scenario = 'rerun' | 'promoted' | 'rolled-back'
/**
 * In this order, each operation is faulted in the first run that calls it:
 * the re-run first, where a failed lookup must not lead to a duplicate.
 */
const SCENARIOS: Scenario[] = ['rerun', 'promoted', 'rolled-back']
type Phase = 'start' | 'progress' | 'finish'
const PHASES: Phase[] = ['start', 'progress', 'finish']

interface Surfaces {
  checkRuns: number
  conclusion: string | null
  comments: number
  deployments: number
  deploymentState: string | null
  postmortems: number
}

interface Run {
  status: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** Lines the config's commands appended to log.txt. */
  log: string[]
  timedOut: boolean
  gh: GitHubStandIn
  /** The phase each recorded request arrived in, by its seq. */
  phases: Map<number, Phase>
  surfaces: Surfaces
  warnings: string[]
}

function configYaml(scenario: Scenario): string {
  return rolloutConfigYaml({
    base: stable.url,
    canary: scenario === 'rolled-back' ? bad.url : good.url,
    stable: stable.url,
    // A deploy that takes a moment: queued calls of the start land in
    // progress.
    deploy: 'sleep 1 && echo "deploy $DEPLOY_GATES_VERSION" >> log.txt',
    traffic: 'echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt',
    postmortem: true
  })
}

function eventFile(dir: string): string {
  const file = join(dir, 'event.json')
  writeFileSync(file, JSON.stringify(pullRequestEvent()))
  return file
}

function seed(gh: GitHubStandIn, scenario: Scenario): void {
  gh.state.seedPullRequest({ number: 12, head_sha: SHA })
  gh.state.addCommit(PREVIOUS_SHA, Date.now() - 86_400_000)
  gh.state.addCommit(SHA, Date.now() - 3_600_000)
  gh.state.seedDeployment({
    sha: PREVIOUS_SHA,
    environment: 'staging',
    payload: { tool: 'deploy-gates', service: 'matches-api', version: 'v1' },
    statuses: ['in_progress', 'success']
  })
  if (scenario !== 'rerun') return
  // What an earlier attempt of this workflow run left behind.
  gh.state.seedCheckRun({
    head_sha: SHA,
    name: CHECK_NAME,
    status: 'completed',
    conclusion: 'failure',
    app: { slug: 'github-actions' },
    external_id: EXTERNAL_ID
  })
  gh.state.seedComment({
    issue_number: 12,
    body: `${MARKER}\n### deploy-gates: an earlier attempt`
  })
  gh.state.seedDeployment({
    sha: SHA,
    environment: 'staging',
    payload: { tool: 'deploy-gates', service: 'matches-api', version: 'v2' },
    statuses: [
      { state: 'in_progress', description: 'dg1 m0 r0 d1 w10 running' },
      { state: 'failure', description: 'dg1 m0 r0 d1 w0 done failed' }
    ]
  })
}

function surfacesOf(gh: GitHubStandIn): Surfaces {
  const runs = gh.state.checkRunsFor(SHA, CHECK_NAME)
  const mine = gh.state.deployments.filter((d) => d.sha === SHA)
  return {
    checkRuns: runs.length,
    conclusion: runs[0]?.conclusion ?? null,
    comments: gh.state
      .commentsOn(12)
      .filter((c) => (c.body ?? '').includes(MARKER)).length,
    deployments: mine.length,
    deploymentState:
      mine.length > 0
        ? (gh.state.latestStatus(mine[0].id)?.state ?? null)
        : null,
    postmortems: gh.state.issues.filter((i) =>
      (i.body ?? '').includes('deploy-gates')
    ).length
  }
}

/**
 * One rollout of the bundled action against a fresh stand-in. `arm` gets
 * the stand-in before the process starts, and the phase the rollout is in
 * (from its own log lines), to inject faults.
 */
async function rollout(
  scenario: Scenario,
  arm?: (gh: GitHubStandIn, phase: () => Phase) => void
): Promise<Run> {
  const gh = await startGitHubStandIn({ repository: 'acme/app' })
  seed(gh, scenario)
  let phase: Phase = 'start'
  arm?.(gh, () => phase)
  const dir = mkdtempSync(join(workspace, `${scenario}-`))
  writeFileSync(join(dir, 'deploy-gates.yml'), configYaml(scenario))
  const runner = runnerEnv({ files: dir, workspace: dir })
  const files = runner.files
  const env: Record<string, string> = {
    ...runner.env,
    GITHUB_REF: 'refs/pull/12/merge',
    ...gh.env(),
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile(dir),
    GITHUB_SHA: 'ffffffffffffffffffffffffffffffffffffffff',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '2',
    INPUT_GATE: 'all',
    INPUT_CONFIG: 'deploy-gates.yml',
    INPUT_VERSION: 'v2',
    'INPUT_GITHUB-TOKEN': 'ghs_standInToken123'
  }
  // The stand-in answers from this event loop, so stamping new requests
  // before each log line, and every few ms, gives each its phase.
  const phases = new Map<number, Phase>()
  const stamp = (): void => {
    for (const r of gh.requests)
      if (!phases.has(r.seq)) phases.set(r.seq, phase)
  }
  const onLine = (line: string): void => {
    stamp()
    if (phase === 'start' && / · started/.test(line)) phase = 'progress'
    if (phase !== 'finish' && line.startsWith('result: ')) phase = 'finish'
  }
  const ticker = setInterval(stamp, 5)
  const ended = await new Promise<{
    status: number | null
    stdout: string
    stderr: string
    timedOut: boolean
  }>((resolve) => {
    const child = spawn(process.execPath, [join(DIST, 'index.js')], {
      cwd: dir,
      env
    })
    let stdout = ''
    let stderr = ''
    let partial = ''
    let timedOut = false
    const limit = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, RUN_LIMIT_MS)
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString()
      stdout += text
      const lines = (partial + text).split('\n')
      partial = lines.pop() ?? ''
      for (const l of lines) onLine(l)
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (status) => {
      clearTimeout(limit)
      resolve({ status, stdout, stderr, timedOut })
    })
  })
  clearInterval(ticker)
  stamp()
  await gh.close()
  const logFile = join(dir, 'log.txt')
  return {
    ...ended,
    outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    log: existsSync(logFile)
      ? readFileSync(logFile, 'utf8').trim().split('\n')
      : [],
    gh,
    phases,
    surfaces: surfacesOf(gh),
    warnings: ended.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning::'))
      .map((l) => l.slice('::warning::'.length))
  }
}

/** Operations by phase, each in order of its first call there. */
function operationsByPhase(run: Run): Record<Phase, string[]> {
  const out: Record<Phase, string[]> = { start: [], progress: [], finish: [] }
  for (const r of run.gh.requests) {
    const p = run.phases.get(r.seq)
    if (r.operationId && p && !out[p].includes(r.operationId)) {
      out[p].push(r.operationId)
    }
  }
  return out
}

/** A crash as a runner's log shows it: a JavaScript stack frame. */
const STACK_FRAME = /^\s*at .+(:\d+:\d+\)?|\(native\))$/m

/** With DG_FAULTS_DUMP=<dir>, each run's requests and output, to debug. */
function dump(key: string, run: Run): void {
  const dir = process.env.DG_FAULTS_DUMP
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, `${key.replace(/[^\w-]+/g, '_')}.txt`),
    [
      `status ${run.status} timedOut ${run.timedOut}`,
      JSON.stringify(run.outputs),
      JSON.stringify(run.surfaces),
      ...run.gh.requests.map(
        (r) =>
          `${r.seq} ${run.phases.get(r.seq)} ${r.method} ${r.operationId} ${r.status}${r.injected ? ' injected' : ''}`
      ),
      '--- stdout',
      run.stdout,
      '--- stderr',
      run.stderr,
      '--- log',
      ...run.log
    ].join('\n')
  )
}

/** At most `n` jobs at once, started in the order they were asked for. */
function pool(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: (() => void)[] = []
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r))
    active += 1
    try {
      return await job()
    } finally {
      active -= 1
      waiting.shift()?.()
    }
  }
}

// The baselines run before the tests are declared: the fault cases are
// built from what they called.
const stable: DemoService = await startService(
  'v1',
  { errorRate: 0, latencyMs: 2 },
  3
)
const good: DemoService = await startService(
  'v2',
  { errorRate: 0, latencyMs: 2 },
  4
)
/** Every /api request to this canary fails: the rollout rolls back. */
const bad: DemoService = await startService(
  'v2',
  { errorRate: 1, latencyMs: 2 },
  5
)
const workspace = mkdtempSync(join(tmpdir(), 'dg-gh-faults-'))
const baselines = new Map<Scenario, Run>(
  await Promise.all(SCENARIOS.map(async (s) => [s, await rollout(s)] as const))
)
for (const [s, run] of baselines) dump(`baseline ${s}`, run)
const baseline = (s: Scenario): Run => baselines.get(s) as Run

/** Every operation a baseline called, with the first scenario calling it. */
const operations = new Map<string, Scenario>()
for (const s of SCENARIOS) {
  for (const r of baseline(s).gh.requests) {
    if (r.operationId && !operations.has(r.operationId)) {
      operations.set(r.operationId, s)
    }
  }
}

type Kind = 'secondary-limit-first' | 'secondary-limit-last' | '5xx' | '403'

interface Case {
  key: string
  scenario: Scenario
  arm: (gh: GitHubStandIn, phase: () => Phase) => void
}

function callsIn(s: Scenario, op: string): number {
  return baseline(s).gh.calls(op).length
}

function kindsFor(op: string, s: Scenario): Kind[] {
  return callsIn(s, op) > 1
    ? ['secondary-limit-first', 'secondary-limit-last', '5xx', '403']
    : ['secondary-limit-first', '5xx', '403']
}

function operationCase(op: string, s: Scenario, kind: Kind): Case {
  const arm = (gh: GitHubStandIn): void => {
    switch (kind) {
      case 'secondary-limit-first':
      case 'secondary-limit-last':
        gh.failNext({
          ...faults.secondaryRateLimit({ retryAfter: 1 }),
          pathPattern: op,
          after: kind === 'secondary-limit-last' ? callsIn(s, op) - 1 : 0
        })
        return
      case '5xx':
        gh.failNext({ ...faults.serverError(), pathPattern: op, times: 1000 })
        return
      case '403':
        gh.failNext({
          ...faults.notAccessible({ permission: permissionFor(op) }),
          pathPattern: op,
          times: 1000
        })
    }
  }
  return { key: `${op} ${kind}`, scenario: s, arm }
}

const OUTAGE_SCENARIOS = ['promoted', 'rolled-back'] as const

function outageCase(s: Scenario, during: Phase): Case {
  return {
    key: `${s} ${during} 5xx`,
    scenario: s,
    arm: (gh, phase) =>
      gh.failNext({
        ...faults.serverError(),
        times: 100_000,
        when: () => phase() === during
      })
  }
}

const cases: Case[] = [
  ...[...operations].flatMap(([op, s]) =>
    kindsFor(op, s).map((k) => operationCase(op, s, k))
  ),
  ...OUTAGE_SCENARIOS.flatMap((s) => PHASES.map((p) => outageCase(s, p)))
]
const results = new Map<string, Promise<Run>>()

beforeAll(() => {
  const limit = pool(POOL)
  for (const c of cases) {
    const run = limit(() => rollout(c.scenario, c.arm))
    run.then((r) => dump(c.key, r)).catch(() => undefined)
    results.set(c.key, run)
  }
})

afterAll(async () => {
  await Promise.allSettled(results.values())
  await Promise.all([stable.close(), good.close(), bad.close()])
  rmSync(workspace, { recursive: true, force: true })
}, TEST_LIMIT_MS)

function resultOf(key: string): Promise<Run> {
  const r = results.get(key)
  if (!r) throw new Error(`no fault case '${key}'`)
  return r
}

/** What every faulted run keeps: the verdict, no crash, no duplicates. */
function expectVerdictKept(run: Run, base: Run): void {
  expect(run.timedOut).toBe(false)
  expect({ result: run.outputs.result, status: run.status }).toEqual({
    result: base.outputs.result,
    status: base.status
  })
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(STACK_FRAME)
  expect(run.stdout).not.toContain('failed unexpectedly')
  // A request GitHub would refuse is a bug even while GitHub is failing.
  expect(run.gh.problems()).toEqual([])
  const s = run.surfaces
  const b = base.surfaces
  expect(s.checkRuns).toBeLessThanOrEqual(b.checkRuns)
  expect(s.comments).toBeLessThanOrEqual(b.comments)
  expect(s.deployments).toBeLessThanOrEqual(b.deployments)
  expect(s.postmortems).toBeLessThanOrEqual(b.postmortems)
}

function equal(a: Surfaces, b: Surfaces): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** The warnings a fault added to the clean run's. */
function newWarnings(run: Run, base: Run): string[] {
  return run.warnings.filter((w) => !base.warnings.includes(w))
}

describe('baselines', () => {
  it.each(SCENARIOS)('%s: a clean run to compare faults with', (s) => {
    const run = baseline(s)
    expect(run.timedOut).toBe(false)
    expect(run.outputs.result).toBe(
      s === 'rolled-back' ? 'rolled-back' : 'promoted'
    )
    expect(run.status).toBe(s === 'rolled-back' ? 1 : 0)
    expect(run.gh.problems()).toEqual([])
    expect(run.warnings).toEqual([])
    expect(run.surfaces).toEqual({
      checkRuns: 1,
      conclusion: s === 'rolled-back' ? 'failure' : 'success',
      comments: 1,
      deployments: 1,
      deploymentState: s === 'rolled-back' ? 'inactive' : 'success',
      postmortems: s === 'rolled-back' ? 1 : 0
    })
    const byPhase = operationsByPhase(run)
    expect(byPhase.start).not.toEqual([])
    expect(byPhase.finish).not.toEqual([])
    // A rollback can end before the first queued write goes out.
    if (s !== 'rolled-back') expect(byPhase.progress).not.toEqual([])
  })

  it('covers the operations a rollout reports through, at minimum', () => {
    expect([...operations.keys()]).toEqual(
      expect.arrayContaining([
        'checks/list-for-ref',
        'checks/create',
        'checks/update',
        'repos/list-deployments',
        'repos/create-deployment',
        'repos/create-deployment-status',
        'issues/list-comments',
        'issues/create-comment',
        'issues/update-comment',
        'issues/create'
      ])
    )
    expect(cases.length).toBeGreaterThanOrEqual(operations.size * 3)
  })
})

describe.each([...operations])('%s (faulted in the %s run)', (op, s) => {
  const base = (): Run => baseline(s)
  const method = base().gh.calls(op)[0].method

  for (const kind of kindsFor(op, s).filter(
    (k) => k !== '5xx' && k !== '403'
  )) {
    it(
      `${kind}: retried once, verdict and surfaces as without it`,
      async () => {
        const run = await resultOf(`${op} ${kind}`)
        expectVerdictKept(run, base())
        expect(run.surfaces).toEqual(base().surfaces)
        const calls = run.gh.calls(op)
        const hit = calls.findIndex((r) => r.injected)
        expect(hit).toBe(
          kind === 'secondary-limit-first' ? 0 : callsIn(s, op) - 1
        )
        const again = calls[hit + 1]
        expect(again).toMatchObject({ path: calls[hit].path, injected: false })
        expect(again.body).toEqual(calls[hit].body)
      },
      TEST_LIMIT_MS
    )

    it(
      `${kind}: warns only that it waited`,
      async () => {
        const run = await resultOf(`${op} ${kind}`)
        const added = newWarnings(run, base())
        expect(added).toHaveLength(1)
        expect(added[0]).toMatch(
          /^GitHub secondary rate limit on .*retrying in 1s$/
        )
      },
      TEST_LIMIT_MS
    )
  }

  it(
    '5xx on every call: verdict kept, no duplicate',
    async () => {
      expectVerdictKept(await resultOf(`${op} 5xx`), base())
    },
    TEST_LIMIT_MS
  )

  it(
    '5xx on every call: one warning names the failing call',
    async () => {
      const added = newWarnings(await resultOf(`${op} 5xx`), base())
      expect(added).toHaveLength(1)
      expect(added[0]).toMatch(/^[\w ()]+: GitHub API call failed \(500\)/)
      expect(added[0]).toContain(`(${method} /repos/acme/app/`)
    },
    TEST_LIMIT_MS
  )

  it(
    '403 on every call: verdict kept, no duplicate',
    async () => {
      expectVerdictKept(await resultOf(`${op} 403`), base())
    },
    TEST_LIMIT_MS
  )

  it(
    '403 on every call: one warning names the permission',
    async () => {
      const added = newWarnings(await resultOf(`${op} 403`), base())
      expect(added).toHaveLength(1)
      expect(added[0]).toMatch(
        /^[\w ()]+: the token cannot (read|write) here .*add 'permissions: [a-z-]+: (read|write)' to the job/
      )
    },
    TEST_LIMIT_MS
  )
})

describe.each(OUTAGE_SCENARIOS)('a %s rollout with GitHub failing', (s) => {
  describe.each(PHASES)('through the %s phase', (p) => {
    const key = `${s} ${p} 5xx`

    it(
      'keeps the verdict, and rolls back when it should',
      async () => {
        const run = await resultOf(key)
        expectVerdictKept(run, baseline(s))
        if (s === 'rolled-back') {
          expect(run.log.some((l) => l.startsWith('rollback'))).toBe(true)
        }
        // The outage did happen in that phase.
        expect(
          run.gh.requests.some((r) => r.injected && run.phases.get(r.seq) === p)
        ).toBe(true)
      },
      TEST_LIMIT_MS
    )

    it(
      'says what it could not report, each problem once',
      async () => {
        const run = await resultOf(key)
        const added = newWarnings(run, baseline(s))
        // Retries can absorb an outage; a surface left short must be told.
        if (!equal(run.surfaces, baseline(s).surfaces)) {
          expect(added.length).toBeGreaterThan(0)
        }
        expect(new Set(added).size).toBe(added.length)
        for (const w of added) {
          expect(w).toMatch(
            /GitHub API (call failed \(500\)|unavailable \(500)/
          )
        }
      },
      TEST_LIMIT_MS
    )
  })
})
