/**
 * The report's charts: Mermaid `xychart-beta` blocks. Each bake is drawn as
 * a time series, canary against baseline look by look, with the fail line
 * as its own series, so a reviewer sees when the canary drifted and how
 * close it came. Mermaid's xychart has no legend, so the colours are fixed
 * through the init directive and named under each chart.
 */
import type {
  BakeSeries,
  GateReport,
  MetricSeries,
  RolloutReport,
  StepPoint
} from '../rollout/events.js'
import type { Track } from '../kernel/verdict.js'

/** Points per line: more than this and Mermaid's lines turn to noise. */
export const MAX_POINTS = 40

/** Fixed colours, in the order the lines are drawn. */
const COLOURS = {
  canary: { hex: '#d62728', name: 'red' },
  baseline: { hex: '#1f77b4', name: 'blue' },
  threshold: { hex: '#7f7f7f', name: 'grey' }
} as const

type Line = keyof typeof COLOURS

const LABELS: Record<Line, string> = {
  canary: 'canary',
  baseline: 'baseline',
  threshold: 'fail threshold'
}

function round(v: number, digits: number): number {
  return Number(v.toFixed(digits))
}

/** 1, 2 or 5 times a power of ten, at or above `v`. */
function niceTop(v: number, minTop: number): number {
  const target = Math.max(v, minTop)
  const pow = 10 ** Math.floor(Math.log10(target))
  for (const m of [1, 2, 5, 10]) if (m * pow >= target) return round(m * pow, 6)
  return target
}

/** A title Mermaid can parse: no double quotes or line breaks. */
function text(s: string): string {
  return s.replace(/["\r\n`]/g, "'").slice(0, 80)
}

/** The init directive that gives the lines their colours, in order. */
function init(lines: readonly Line[]): string {
  const palette = lines.map((l) => COLOURS[l].hex).join(', ')
  return `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`
}

/** "canary (red) vs baseline (blue), fail threshold (grey)". */
export function legend(lines: readonly Line[]): string {
  const named = (l: Line): string => `${LABELS[l]} (${COLOURS[l].name})`
  const tracks = lines.filter((l) => l !== 'threshold').map(named)
  const head = tracks.join(' vs ')
  return lines.includes('threshold') ? `${head}, ${named('threshold')}` : head
}

interface Drawn {
  lines: Line[]
  values: Record<Line, number[]>
}

function block(
  title: string,
  xAxis: string,
  yAxis: string,
  drawn: Drawn,
  minTop: number
): string {
  const all = drawn.lines.flatMap((l) => drawn.values[l])
  const low = Math.min(0, ...all)
  const top = niceTop(Math.max(...all) * 1.1, minTop)
  return [
    '```mermaid',
    init(drawn.lines),
    'xychart-beta',
    `  title "${text(title)}"`,
    `  ${xAxis}`,
    `  y-axis "${text(yAxis)}" ${round(low, 6)} --> ${top}`,
    ...drawn.lines.map((l) => `  line [${drawn.values[l].join(', ')}]`),
    '```'
  ].join('\n')
}

/** Evenly spread indices of `n` items, the first and last always in. */
export function pick(n: number, max = MAX_POINTS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i)
  return Array.from({ length: max }, (_, k) =>
    Math.round((k * (n - 1)) / (max - 1))
  )
}

const KIND_AXIS: Record<
  MetricSeries['kind'],
  { unit: string; show: (v: number) => number; minTop: number }
> = {
  // Rates are ratios (0.07 = 7%), like every rate we parse.
  rate: { unit: '%', show: (v) => round(v * 100, 3), minTop: 1 },
  latency: { unit: 'ms', show: (v) => round(v, 1), minTop: 10 },
  number: { unit: '', show: (v) => round(v, 4), minTop: 1 }
}

function bakeName(g: GateReport): string {
  return g.step !== undefined ? `${g.gate} ${g.step}%` : g.gate
}

function seconds(ms: number, inMinutes: boolean): number {
  return inMinutes ? round(ms / 60_000, 1) : Math.round(ms / 1000)
}

function hasValue(values: (number | null)[] | undefined, i: number): boolean {
  return values !== undefined && values[i] !== null && values[i] !== undefined
}

/** One metric of one bake; '' when the canary never had a value. */
function metricChart(g: GateReport, s: BakeSeries, m: MetricSeries): string {
  const canaryLooks = m.canary.flatMap((v, i) => (v === null ? [] : [i]))
  if (canaryLooks.length === 0) return ''
  // Looks where the baseline had no value yet (or its samples were set
  // aside) are left out rather than dropping the baseline line: the
  // comparison is what a reviewer came for.
  const paired = canaryLooks.filter((i) => hasValue(m.baseline, i))
  const valid = paired.length > 0 ? paired : canaryLooks
  const unpaired = canaryLooks.length - valid.length
  const chosen = pick(valid.length).map((k) => valid[k])
  const axis = KIND_AXIS[m.kind]
  const drawn: Drawn = {
    lines: ['canary'],
    values: { canary: [], baseline: [], threshold: [] }
  }
  const left: string[] = []
  const take = (line: Line, values: (number | null)[] | undefined): void => {
    if (!values) return
    const got = chosen.map((i) => values[i])
    if (got.every((v) => v === null)) return
    // A line with holes would have to invent values; leave it out.
    if (got.some((v) => v === null)) {
      left.push(`${LABELS[line]} not charted: no value at some looks`)
      return
    }
    drawn.lines.push(line)
    drawn.values[line] = (got as number[]).map(axis.show)
  }
  drawn.values.canary = chosen.map((i) => axis.show(m.canary[i] as number))
  take('baseline', m.baseline)
  take('threshold', m.threshold)
  const first = s.at[chosen[0]]
  const last = s.at[chosen[chosen.length - 1]]
  const inMinutes = last > 180_000
  const from = seconds(first, inMinutes)
  const to = Math.max(seconds(last, inMinutes), from + 1)
  const unit = inMinutes ? 'min' : 's'
  const chart = block(
    `${m.name}, ${bakeName(g)}`,
    `x-axis "time into the bake (${unit})" ${from} --> ${to}`,
    `${m.name}${axis.unit ? ` (${axis.unit})` : ''}`,
    drawn,
    axis.minTop
  )
  const looks =
    chosen.length < valid.length
      ? `${chosen.length} of ${valid.length} looks`
      : `${valid.length} look${valid.length === 1 ? '' : 's'}`
  const sofar =
    m.source === 'probes' ? 'over the bake so far' : 'as read at each look'
  if (unpaired > 0) {
    left.unshift(
      `${unpaired} look${unpaired === 1 ? '' : 's'} without a baseline value left out`
    )
  }
  const note = left.length > 0 ? `; ${left.join('; ')}` : ''
  return `${chart}\n\n_${legend(drawn.lines)}: ${m.name} ${sofar}, ${looks}${note}._`
}

/** Every bake's charts, one per metric; '' when no bake kept its looks. */
export function bakeCharts(gates: readonly GateReport[]): string {
  const out: string[] = []
  for (const g of gates) {
    if (!g.series) continue
    for (const m of g.series.metrics) {
      const c = metricChart(g, g.series, m)
      if (c) out.push(c)
    }
  }
  return out.join('\n\n')
}

// ---------------------------------------------------------------------------
// Per step: one point per canary step, for reports without look series.

type StepValue = 'errorRate' | 'p95Ms'

const STEP_CHARTS: {
  series: StepValue
  title: string
  axis: string
  show: (v: number) => number
  minTop: number
}[] = [
  {
    series: 'errorRate',
    title: 'Error rate per step',
    axis: 'error rate (%)',
    show: (v) => round(v * 100, 3),
    minTop: 1
  },
  {
    series: 'p95Ms',
    title: 'p95 latency per step',
    axis: 'p95 (ms)',
    show: (v) => round(v, 1),
    minTop: 10
  }
]

function valueOf(p: StepPoint, track: Track, s: StepValue): number | undefined {
  const v = p[track][s]
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined
}

function stepChart(
  points: StepPoint[],
  spec: (typeof STEP_CHARTS)[number]
): string {
  // Steps without a canary value are left out: nothing was measured there.
  const steps: { weight: number; canary: number; baseline?: number }[] = []
  for (const p of points) {
    const c = valueOf(p, 'canary', spec.series)
    if (c === undefined) continue
    const b = valueOf(p, 'baseline', spec.series)
    steps.push({
      weight: p.weight,
      canary: spec.show(c),
      ...(b !== undefined ? { baseline: spec.show(b) } : {})
    })
  }
  if (steps.length === 0) return ''
  const baseline = steps.flatMap((p) =>
    p.baseline !== undefined ? [p.baseline] : []
  )
  // A line with holes would have to invent values; leave the baseline out.
  const complete = baseline.length === steps.length
  const drawn: Drawn = {
    lines: complete ? ['canary', 'baseline'] : ['canary'],
    values: {
      canary: steps.map((p) => p.canary),
      baseline: complete ? baseline : [],
      threshold: []
    }
  }
  const chart = block(
    `${spec.title}: ${legend(drawn.lines)}`,
    `x-axis "canary weight" [${steps.map((p) => `"${p.weight}%"`).join(', ')}]`,
    spec.axis,
    drawn,
    spec.minTop
  )
  if (complete || baseline.length === 0) return chart
  const where = steps
    .filter((p) => p.baseline === undefined)
    .map((p) => `${p.weight}%`)
    .join(', ')
  return `${chart}\n\n_Baseline not charted: no value at ${where}._`
}

/**
 * Two charts (error rate, p95) with one point per step, each left out when
 * the canary has no value for it; '' when there is nothing to draw.
 */
export function canaryChart(points: StepPoint[]): string {
  return STEP_CHARTS.map((spec) => stepChart(points, spec))
    .filter((c) => c !== '')
    .join('\n\n')
}

/**
 * The report's charts: each bake look by look when the looks were kept,
 * else one point per step.
 */
export function reportCharts(r: RolloutReport): string {
  return bakeCharts(r.gates) || canaryChart(r.chart)
}
