/**
 * The canary judge against the two usual alternatives, on the same
 * simulated sample streams (src/analysis/simulate.ts, seeded):
 *
 * - judge: always-valid sequential tests (src/analysis/judge.ts), 99%;
 * - naive: the point estimate checked against the threshold at every look;
 * - fixed: Flagger-style, a check per 1-minute interval, fail after 5
 *   failed checks (`threshold: 5`).
 *
 * Both tracks are sampled 20 times a second, looked at every 5 s, with
 * min-samples 20. Scenarios: a bad canary (10% errors against `> 2%`;
 * p95 at 2.5x the baseline against `> 2x baseline`), A/A canaries (the
 * same healthy service on both tracks) for the false-fail rate, a canary
 * sitting exactly at its threshold, and a healthy canary's time to promote
 * with decide-early against a fixed 5-minute bake.
 *
 *   npx node --import ./scripts/ts-hooks.mjs --no-warnings bench/judge-vs-fixed.ts [RUNS]
 *
 * RUNS (default 1000) is the number of A/A bakes; the other scenarios run
 * RUNS / 5 bakes each. Takes about 10 s at the default.
 */
import { buildJudge } from '../src/analysis/judge.js'
import type { JudgeMetric } from '../src/analysis/measure.js'
import { FixedIntervalJudge, NaiveJudge } from '../src/analysis/naive.js'
import {
  simulateBake,
  type BakeScenario,
  type SimJudge,
  type SimOutcome,
  type TrackModel
} from '../src/analysis/simulate.js'
import { parseCondition, type Condition } from '../src/config/units.js'

const RUNS = Number(process.argv[2] ?? 1000)
const SMALL = Math.max(20, Math.round(RUNS / 5))

function cond(text: string): Condition {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

function metric(name: string, ...fail: string[]): JudgeMetric {
  return { name, source: 'probes', warn: [], fail: fail.map(cond) }
}

const healthy: TrackModel = { errorRate: 0.01, medianMs: 100, sigma: 0.5 }

function scenario(
  canary: TrackModel,
  bakeMs: number,
  baseline: TrackModel = healthy
): BakeScenario {
  return { perSecond: 20, bakeMs, lookMs: 5000, canary, baseline }
}

type Name = 'judge' | 'naive' | 'fixed'

interface Tally {
  decided: number
  times: number[]
}

/** Runs `runs` seeded bakes with a fresh judge of each kind. */
function run(
  sc: BakeScenario,
  metrics: JudgeMetric[],
  runs: number,
  want: 'fail' | 'pass',
  decideEarly = false
): Record<Name, Tally> {
  const tallies: Record<Name, Tally> = {
    judge: { decided: 0, times: [] },
    naive: { decided: 0, times: [] },
    fixed: { decided: 0, times: [] }
  }
  const names: Name[] = ['judge', 'naive', 'fixed']
  for (let seed = 1; seed <= runs; seed++) {
    const judges: SimJudge[] = [
      buildJudge({ metrics, hasBaseline: true, decideEarly }),
      new NaiveJudge({ metrics, hasBaseline: true }),
      new FixedIntervalJudge({ metrics, hasBaseline: true })
    ]
    const outcomes: SimOutcome[] = simulateBake(sc, seed * 7919, judges)
    outcomes.forEach((o, i) => {
      const t = tallies[names[i]]
      if (o.decision === want) {
        t.decided++
        t.times.push(o.afterMs)
      }
    })
  }
  return tallies
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

const sec = (ms: number): string =>
  Number.isNaN(ms) ? 'never' : `${(ms / 1000).toFixed(0)} s`
const pct = (k: number, n: number): string =>
  `${((100 * k) / n).toFixed(1)}% (${k}/${n})`
const ratio = (a: number, b: number): string =>
  Number.isFinite(a / b) ? `${(a / b).toFixed(1)}x` : 'n/a'

const rows: string[][] = []
const row = (...cells: string[]): void => {
  rows.push(cells)
}

// 1. Bad canary: 10% errors against `> 2%`, baseline healthy.
{
  const t = run(
    scenario({ ...healthy, errorRate: 0.1 }, 600_000),
    [metric('error-rate', '> 2%')],
    SMALL,
    'fail'
  )
  const m = {
    judge: quantile(t.judge.times, 0.5),
    naive: quantile(t.naive.times, 0.5),
    fixed: quantile(t.fixed.times, 0.5)
  }
  row(
    'time to fail: 10% errors vs > 2% (median)',
    sec(m.judge),
    sec(m.naive),
    sec(m.fixed),
    ratio(m.fixed, m.judge)
  )
  row(
    '  detected within 10 min',
    pct(t.judge.decided, SMALL),
    pct(t.naive.decided, SMALL),
    pct(t.fixed.decided, SMALL),
    ''
  )
}

// 2. Bad canary: p95 at 2.5x the baseline against `> 2x baseline`.
{
  const t = run(
    scenario({ ...healthy, medianMs: 250 }, 600_000),
    [metric('p95', '> 2x baseline')],
    SMALL,
    'fail'
  )
  const m = {
    judge: quantile(t.judge.times, 0.5),
    naive: quantile(t.naive.times, 0.5),
    fixed: quantile(t.fixed.times, 0.5)
  }
  row(
    'time to fail: p95 2.5x vs > 2x baseline (median)',
    sec(m.judge),
    sec(m.naive),
    sec(m.fixed),
    ratio(m.fixed, m.judge)
  )
  row(
    '  detected within 10 min',
    pct(t.judge.decided, SMALL),
    pct(t.naive.decided, SMALL),
    pct(t.fixed.decided, SMALL),
    ''
  )
}

// 3. A/A: the same healthy service on both tracks, relative conditions.
{
  const t = run(
    scenario(healthy, 300_000),
    [metric('error-rate', '> 2x baseline'), metric('p95', '> 1.5x baseline')],
    RUNS,
    'fail',
    true
  )
  row(
    'A/A false-fail rate, 5 min (error-rate 2x, p95 1.5x)',
    pct(t.judge.decided, RUNS),
    pct(t.naive.decided, RUNS),
    pct(t.fixed.decided, RUNS),
    ''
  )
}

// 4. A canary exactly at its threshold: 2% errors against `> 2%`.
{
  const t = run(
    scenario({ ...healthy, errorRate: 0.02 }, 300_000),
    [metric('error-rate', '> 2%')],
    SMALL,
    'fail'
  )
  row(
    'at-threshold false-fail rate (2% vs > 2%)',
    pct(t.judge.decided, SMALL),
    pct(t.naive.decided, SMALL),
    pct(t.fixed.decided, SMALL),
    ''
  )
}

// 5. Healthy canary: time to promote with decide-early vs a fixed bake.
{
  const bakeMs = 300_000
  const t = run(
    scenario({ ...healthy, errorRate: 0.005 }, bakeMs),
    [metric('error-rate', '> 2%'), metric('p95', '> 500ms')],
    SMALL,
    'pass',
    true
  )
  const times = [...t.judge.times]
  for (let i = t.judge.decided; i < SMALL; i++) times.push(bakeMs)
  const med = quantile(times, 0.5)
  row(
    'time to promote, healthy (0.5% errors, p95 ~230ms) (median)',
    sec(med),
    sec(bakeMs),
    sec(bakeMs),
    ratio(bakeMs, med)
  )
  row(
    '  passed early (decide-early)',
    pct(t.judge.decided, SMALL),
    'n/a',
    'n/a',
    ''
  )
}

const header = [
  'scenario',
  'judge (99%)',
  'naive per-look',
  'fixed 1m x5',
  'fixed / judge'
]
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((r) => r[i].length))
)
const line = (cells: string[]): string =>
  `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
console.log(
  `judge vs naive vs fixed-interval: 20 samples/s per track, looks every 5 s, ${RUNS} A/A bakes, ${SMALL} bakes per other scenario`
)
console.log(line(header))
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
for (const r of rows) console.log(line(r))
