/**
 * Runs a file of examples/ as it is written, against loopback stand-ins:
 * overrides replace its hosts and cap its bakes, its commands find small
 * bash programs on PATH in place of npm, docker or kubectl, and the real
 * engine runs with a fake clock, so a soak of hours takes seconds.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { formatConfigError, parseConfig } from '../../src/config/load.js'
import { applyOverrides, type Overrides } from '../../src/config/override.js'
import type { Config } from '../../src/config/schema.js'
import type { RolloutIo } from '../../src/rollout/context.js'
import type { RolloutEvent, RolloutReport } from '../../src/rollout/events.js'
import type { PreflightQueries } from '../../src/rollout/gates/preflight.js'
import { realIo } from '../../src/rollout/real-io.js'
import { runRollout, type RolloutOptions } from '../../src/rollout/run.js'
import { fileStateStore } from '../../src/rollout/state.js'
import { systemClock } from '../../src/kernel/clock.js'
import { ROOT } from './action.js'
import { FakeClock } from './fake-clock.js'

/** A weekday inside every example's deploy window, outside its freezes. */
export const WEDNESDAY_MORNING = Date.parse('2026-11-25T10:30:00Z')

export interface ExampleRunOptions {
  /** File name in examples/. */
  example: string
  overrides: Overrides
  /**
   * Files the config's commands expect in the workspace (relative path →
   * text). A `.sh` file becomes an executable bash script that first logs
   * its call (`./scripts/deploy.sh v2`) to the call log.
   */
  files?: Record<string, string>
  /**
   * Programs put first on PATH (name → bash body), in place of npm, docker,
   * kubectl...: each logs its call (`npm run migrate:run`), then runs the
   * body with the arguments as given.
   */
  programs?: Record<string, string>
  /** The workflow step's env: secrets and what the commands read. */
  env?: Record<string, string>
  /** When the rollout runs (the fake clock's start). */
  epoch?: number
  gate?: RolloutOptions['gate']
  version?: string
  previousVersion?: string
  /** GitHub's answers to preflight; by default every check passes. */
  preflight?: PreflightQueries
  /** Reuse a workspace (its state file) from an earlier run. */
  workspace?: string
}

export interface ExampleRun {
  report: RolloutReport
  events: RolloutEvent[]
  /** Every program and script call, in order (`docker compose pull`). */
  calls: string[]
  workspace: string
  config: Config
}

/** GitHub answering every preflight query with a pass. */
export const allGreen: PreflightQueries = {
  checksGreen: () =>
    Promise.resolve({
      name: 'checks: green',
      level: 'ok',
      reason: 'all 6 checks on the commit succeeded'
    }),
  approvals: (n) =>
    Promise.resolve({
      name: `approvals: ${n}`,
      level: 'ok',
      reason: `${n} approving reviews`
    }),
  passedIn: (env) =>
    Promise.resolve({
      name: `after: ${env}`,
      level: 'ok',
      reason: `passed in '${env}'`
    })
}

const LOG_CALL = 'printf "%s\\n" "$DG_CALL_NAME${*:+ $*}" >> "$DG_CALLS"'

function write(path: string, text: string, executable = false): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
  if (executable) chmodSync(path, 0o755)
}

/** Loads an example as it is and applies the overrides. */
export function loadExample(example: string, overrides: Overrides): Config {
  const file = join(ROOT, 'examples', example)
  const loaded = parseConfig(readFileSync(file, 'utf8'), example)
  if (!loaded.ok) {
    throw new Error(loaded.errors.map(formatConfigError).join('\n'))
  }
  return applyOverrides(loaded.config, overrides)
}

/** Runs one example rollout with the real engine and a fake clock. */
export async function runExample(o: ExampleRunOptions): Promise<ExampleRun> {
  const config = loadExample(o.example, o.overrides)
  const workspace = o.workspace ?? mkdtempSync(join(tmpdir(), 'dg-example-'))
  const bin = join(workspace, '.bin')
  const callLog = join(workspace, '.calls.log')
  for (const [name, body] of Object.entries(o.programs ?? {})) {
    write(
      join(bin, name),
      `#!/usr/bin/env bash\nset -eo pipefail\nDG_CALL_NAME=${name}\n${LOG_CALL}\n${body}\n`,
      true
    )
  }
  for (const [path, text] of Object.entries(o.files ?? {})) {
    const script = path.endsWith('.sh')
    write(
      join(workspace, path),
      script
        ? `#!/usr/bin/env bash\nset -eo pipefail\nDG_CALL_NAME=${path}\n${LOG_CALL}\n${text}\n`
        : text,
      script
    )
  }
  const stepEnv: Record<string, string> = {
    ...(o.env ?? {}),
    PATH: [bin, process.env.PATH ?? ''].join(delimiter),
    DG_CALLS: callLog
  }
  const events: RolloutEvent[] = []
  const real = realIo({
    workspace,
    env: { ...process.env, ...stepEnv },
    reporters: [{ onEvent: (e) => void events.push(e) }],
    warn: () => undefined
  })
  const clock = new FakeClock(o.epoch ?? WEDNESDAY_MORNING)
  // Commands and command probes see the step's env, as on a runner.
  const io: RolloutIo = {
    ...real,
    clock,
    probeClock: systemClock,
    runCommand: (r) => real.runCommand({ ...r, env: { ...stepEnv, ...r.env } }),
    runProbe: (spec, p) =>
      real.runProbe(
        spec,
        spec.kind === 'command' ? { ...p, env: { ...stepEnv, ...p.env } } : p
      )
  }
  const report = await runRollout(
    {
      config,
      gate: o.gate ?? 'all',
      values: {
        version: o.version ?? 'v2.0.0',
        previousVersion: o.previousVersion ?? 'v1.9.0',
        sha: '0123456789abcdef0123456789abcdef01234567',
        environment: config.environment,
        service: config.service
      },
      dryRun: false,
      state: fileStateStore(join(workspace, '.state.json')),
      signal: new AbortController().signal,
      preflight: o.preflight ?? allGreen
    },
    io
  )
  return {
    report,
    events,
    calls: existsSync(callLog)
      ? readFileSync(callLog, 'utf8').split('\n').filter(Boolean)
      : [],
    workspace,
    config
  }
}

/** The gates of a report as `gate[@step] outcome`, for one-line asserts. */
export function outcomes(report: RolloutReport): string[] {
  return report.gates.map(
    (g) => `${g.gate}${g.step !== undefined ? `@${g.step}` : ''} ${g.outcome}`
  )
}

/** A JUnit report with `passed` passing and `failed` failing test cases. */
export function junit(suite: string, passed: number, failed = 0): string {
  const cases = [
    ...Array.from(
      { length: passed },
      (_, i) => `<testcase classname="${suite}" name="ok ${i + 1}"/>`
    ),
    ...Array.from(
      { length: failed },
      (_, i) =>
        `<testcase classname="${suite}" name="broken ${i + 1}"><failure message="expected 200, got 500"/></testcase>`
    )
  ]
  return `<?xml version="1.0"?>\n<testsuites><testsuite name="${suite}" tests="${passed + failed}" failures="${failed}">${cases.join('')}</testsuite></testsuites>\n`
}

/** `result: reason`, so a failed assertion shows why. */
export function verdict(r: ExampleRun): string {
  return `${r.report.result}: ${r.report.reason}`
}

/**
 * The gates of a healthy run as `gate[@step] passed`, a warning counted as
 * a pass: warn conditions (p95 > 200ms) measure the runner too and may trip
 * when its cores are busy, and a warning never stops a rollout.
 */
export function healthyOutcomes(report: RolloutReport): string[] {
  return outcomes(report).map((o) => o.replace(/ warned$/, ' passed'))
}
