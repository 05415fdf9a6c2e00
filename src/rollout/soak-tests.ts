/**
 * Test commands during the soak (DESIGN.md §4): each runs every `every`
 * while the soak samples on, through the same runner as every command. A
 * failing run (its exit code, or a JUnit pass rate under the minimum) is a
 * soak finding like any other and ends the soak.
 */
import * as path from 'node:path'
import { stat } from 'node:fs/promises'
import type { SoakConfig } from '../config/schema.js'
import { compareOp, type Op } from '../config/units.js'
import { readJunitFiles } from '../probes/junit.js'
import { formatDuration, formatPercent } from '../kernel/format.js'
import type { Finding } from '../kernel/verdict.js'
import type { GateContext } from './context.js'

type TestConfig = NonNullable<SoakConfig['tests']>[number]

/** The opposite of a condition's operator, for "94% < 100%". */
const NOT: Record<Op, string> = {
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
  '==': '!='
}

export interface SoakTestRuns {
  /** Starts the runs that are due at this point of the soak. */
  onLook(elapsedMs: number): void
  /** Aborted as soon as a run failed: the soak stops there. */
  readonly failed: AbortSignal
  /**
   * Waits for the runs in flight; when the soak went the distance, first
   * runs each test that has not run yet. Returns one finding per test
   * (the failing run, else a summary) and the log tail of the last run.
   */
  finish(complete: boolean): Promise<{ findings: Finding[]; logTail: string[] }>
}

interface Lane {
  t: TestConfig
  label: string
  every: number
  /** The next slot (1-based multiple of `every`) to start. */
  next: number
  runs: number
  running?: Promise<void>
  failure?: Finding
  last?: Finding
}

/** Schedules the soak's test commands against the soak's own clock. */
export function soakTestRuns(
  ctx: GateContext,
  tests: TestConfig[],
  durationMs: number
): SoakTestRuns {
  const failed = new AbortController()
  // Ends the runs still going once the soak has its verdict without them.
  const stop = new AbortController()
  const signal = AbortSignal.any([ctx.signal, stop.signal])
  let logTail: string[] = []
  const lanes: Lane[] = tests.map((t, i) => ({
    t,
    label: `soak tests${tests.length > 1 ? ` #${i + 1}` : ''} '${ctx.redact(t.run)}'`,
    every: Math.max(1, t.every ?? durationMs),
    next: 1,
    runs: 0
  }))
  const start = (lane: Lane, atMs: number): void => {
    lane.runs += 1
    lane.running = runOnce(ctx, lane, atMs, signal)
      .then((r) => {
        // A run cut short says nothing about the release.
        if (signal.aborted) return
        logTail = r.tail
        lane.last = r.finding
        if (r.finding.level === 'fail' || r.finding.level === 'error') {
          lane.failure = r.finding
          failed.abort(new Error(r.finding.reason))
        }
      })
      .finally(() => {
        lane.running = undefined
      })
  }
  return {
    failed: failed.signal,
    onLook(elapsedMs) {
      if (failed.signal.aborted) return
      for (const lane of lanes) {
        const due = lane.next * lane.every
        if (lane.running || due > durationMs || elapsedMs < due) continue
        // A run that outlasted `every` skips the slots it covered.
        lane.next = Math.floor(elapsedMs / lane.every) + 1
        start(lane, elapsedMs)
      }
    },
    async finish(complete) {
      if (!complete || failed.signal.aborted) {
        stop.abort(new Error('the soak has ended'))
      }
      await inFlight(lanes)
      if (complete && !failed.signal.aborted) {
        for (const lane of lanes) {
          if (lane.runs === 0) start(lane, durationMs)
        }
        await inFlight(lanes)
      }
      const findings = lanes.flatMap((lane): Finding[] => {
        if (lane.failure) return [lane.failure]
        if (!lane.last) return []
        return [
          {
            ...lane.last,
            reason: `${lane.label}: ${lane.runs} run${lane.runs === 1 ? '' : 's'} passed (last ${lane.last.reason.slice(lane.label.length + 1)})`
          }
        ]
      })
      return { findings, logTail }
    }
  }
}

/** Waits for the runs still going. */
async function inFlight(lanes: Lane[]): Promise<void> {
  await Promise.all(lanes.flatMap((l) => (l.running ? [l.running] : [])))
}

/** Last-modified times of the reports, to tell a fresh one from a stale one. */
async function mtimes(files: string[]): Promise<(number | undefined)[]> {
  return Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => s.mtimeMs,
        () => undefined
      )
    )
  )
}

/** Runs one test command and judges it, named by its label and time. */
async function runOnce(
  ctx: GateContext,
  lane: Lane,
  atMs: number,
  signal: AbortSignal
): Promise<{ finding: Finding; tail: string[] }> {
  const { t } = lane
  const label = `${lane.label} at ${formatDuration(atMs)}`
  const files = (t.junit ?? []).map((p) => path.resolve(ctx.io.workspace, p))
  const before = await mtimes(files)
  const r = await ctx.command('soak', t.run, t.timeout, signal)
  const passRate = t['pass-rate']
  const base = { name: lane.label, value: '', reason: '' }
  if (!passRate || files.length === 0) {
    const ok = r.outcome === 'ok'
    return {
      tail: r.tail,
      finding: {
        ...base,
        level: ok ? 'ok' : 'fail',
        value: ok ? 'passed' : 'failed',
        reason: `${label}: ${ok ? 'passed' : r.reason}`
      }
    }
  }
  const after = await mtimes(files)
  const at = after.findIndex((m, i) => m !== undefined && m === before[i])
  const stale = at >= 0 ? files[at] : undefined
  const report = stale
    ? { error: `JUnit report '${stale}' was not written by this run` }
    : await readJunitFiles(files)
  if ('error' in report) {
    return {
      tail: r.tail,
      finding: {
        ...base,
        level: 'error',
        value: 'none',
        reason: `${label}: ${ctx.redact(report.error)} (command ${r.reason})`
      }
    }
  }
  const counted = report.tests - report.skipped
  const rate = report.passRate
  const need =
    passRate.kind === 'compare' && passRate.operand.kind === 'percent'
      ? passRate.operand.ratio
      : 1
  const op: Op = passRate.kind === 'compare' ? passRate.op : '>='
  const ok = rate !== undefined && compareOp(op, rate, need)
  const failedNames = report.failed
    .slice(0, 5)
    .map((f) => ctx.redact(`${f.suite} › ${f.name}`))
  const measured =
    rate === undefined
      ? `no test counted in ${t.junit?.join(', ')}`
      : `${report.passed} of ${counted} passed (${formatPercent(rate)}) ${ok ? op : NOT[op]} ${formatPercent(need)}`
  return {
    tail: r.tail,
    finding: {
      ...base,
      level: ok ? 'ok' : 'fail',
      value: rate === undefined ? 'none' : formatPercent(rate),
      condition: passRate.text,
      n: { canary: counted },
      reason: `${label}: ${measured}${!ok && failedNames.length ? ` (failed: ${failedNames.join('; ')})` : ''}`
    }
  }
}
