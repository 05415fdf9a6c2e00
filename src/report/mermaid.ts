/**
 * The canary chart of the PR comment: Mermaid `xychart-beta` blocks of the
 * error rate and the p95 per step, one line per track, so a reviewer sees at
 * a glance where the canary drifted away from the baseline.
 */
import type { StepPoint } from '../rollout/events.js'
import type { Track } from '../kernel/verdict.js'

type Series = 'errorRate' | 'p95Ms'

interface ChartSpec {
  series: Series
  title: string
  axis: string
  /** Converts a stored value to what the axis shows. */
  show: (v: number) => number
  /** Smallest top of the y axis, so a flat zero line is still readable. */
  minTop: number
}

const CHARTS: ChartSpec[] = [
  {
    series: 'errorRate',
    title: 'Error rate per step',
    axis: 'error rate (%)',
    // StepPoint error rates are ratios (0.07 = 7%), like every rate we parse.
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

function round(v: number, digits: number): number {
  return Number(v.toFixed(digits))
}

function valueOf(p: StepPoint, track: Track, s: Series): number | undefined {
  const v = p[track][s]
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined
}

/** 1, 2 or 5 times a power of ten, at or above `v`. */
function niceTop(v: number, minTop: number): number {
  const target = Math.max(v, minTop)
  const pow = 10 ** Math.floor(Math.log10(target))
  for (const m of [1, 2, 5, 10]) if (m * pow >= target) return round(m * pow, 6)
  return target
}

function chart(points: StepPoint[], spec: ChartSpec): string {
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
  const canary = steps.map((p) => p.canary)
  const baseline = steps.flatMap((p) =>
    p.baseline !== undefined ? [p.baseline] : []
  )
  // A line with holes would have to invent values; leave the baseline out.
  const complete = baseline.length === steps.length
  const top = niceTop(
    Math.max(...canary, ...(complete ? baseline : [])) * 1.1,
    spec.minTop
  )
  const title = complete
    ? `${spec.title}: canary (line 1) vs baseline (line 2)`
    : `${spec.title}: canary`
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "canary weight" [${steps.map((p) => `"${p.weight}%"`).join(', ')}]`,
    `  y-axis "${spec.axis}" 0 --> ${top}`,
    `  line [${canary.join(', ')}]`
  ]
  if (complete) lines.push(`  line [${baseline.join(', ')}]`)
  lines.push('```')
  if (!complete && baseline.length > 0) {
    const where = steps
      .filter((p) => p.baseline === undefined)
      .map((p) => `${p.weight}%`)
      .join(', ')
    lines.push('', `_Baseline not charted: no value at ${where}._`)
  }
  return lines.join('\n')
}

/**
 * Two charts (error rate, p95), each left out when the canary has no value
 * for it; '' when there is nothing to draw. Mermaid's xychart has no legend,
 * so the titles say which line is which.
 */
export function canaryChart(points: StepPoint[]): string {
  return CHARTS.map((spec) => chart(points, spec))
    .filter((c) => c !== '')
    .join('\n\n')
}
