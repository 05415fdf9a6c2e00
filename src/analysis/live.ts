/**
 * The values a bake shows while it runs: each track's sample count, error
 * rate and p95, and each metric's current value per track, for progress
 * lines and the report's chart.
 */
import type { Track } from '../kernel/verdict.js'
import { kindForCondition, thresholdOf, type ValueKind } from './conditions.js'
import { builtinOf, type JudgeMetric, type TrackStats } from './measure.js'
import type { Tracks } from './methods/method.js'
import type { ReadingSeries } from './series.js'
import { formatValue } from './wording.js'

export interface TrackLive {
  n: number
  errorRate?: number
  p95Ms?: number
}

export interface LiveValues {
  canary: TrackLive
  baseline?: TrackLive
  /**
   * Current numeric value of each metric per track, how it reads, and the
   * line its first fail condition draws now (relative lines move with the
   * baseline).
   */
  metrics: Record<
    string,
    {
      canary?: number
      baseline?: number
      threshold?: number
      kind: ValueKind
      /** Probes: over the bake so far; external: the look's reading. */
      source: JudgeMetric['source']
    }
  >
  /** For progress lines: `{ 'error-rate': '0.4% / 0.3%' }` (canary / baseline). */
  values: Record<string, string>
}

/**
 * The line the fail conditions draw now: the tightest of them when they all
 * point one way (`> 500ms` and `> 2x baseline` fail at the lower one), else
 * the first one's.
 */
function failLine(m: JudgeMetric, baseline?: number): number | undefined {
  const lines: { op: string; at: number }[] = []
  for (const c of m.fail) {
    if (c.kind !== 'compare') continue
    const at = thresholdOf(c, baseline)
    if (at !== undefined && Number.isFinite(at)) lines.push({ op: c.op, at })
  }
  if (lines.length === 0) return undefined
  const at = lines.map((l) => l.at)
  if (lines.every((l) => l.op.startsWith('>'))) return Math.min(...at)
  if (lines.every((l) => l.op.startsWith('<'))) return Math.max(...at)
  return at[0]
}

/** Current values: what the tracks measured and the sources last read. */
export function liveValues(
  metrics: JudgeMetric[],
  tracks: Tracks,
  sources: ReadonlyMap<string, ReadingSeries>,
  hasBaseline: boolean
): LiveValues {
  const track = (t: TrackStats): TrackLive => ({
    n: t.n,
    ...(t.n > 0 ? { errorRate: t.rate('error') } : {}),
    ...(t.latN > 0 ? { p95Ms: t.quantile(0.95) } : {})
  })
  const out: LiveValues = {
    canary: track(tracks.canary),
    ...(tracks.baseline ? { baseline: track(tracks.baseline) } : {}),
    metrics: {},
    values: {}
  }
  for (const m of metrics) {
    const b = m.source === 'probes' ? builtinOf(m.name) : undefined
    const series = sources.get(m.name)
    const value = (t: Track): number | undefined => {
      if (b) {
        const stats = tracks[t]
        if (!stats || stats.count(b) === 0) return undefined
        return stats.value(b)
      }
      return series?.last[t]
    }
    const kind: ValueKind = b
      ? b.type === 'rate'
        ? 'rate'
        : 'latency'
      : m.fail.length + m.warn.length > 0
        ? kindForCondition(m.fail[0] ?? m.warn[0])
        : 'number'
    const c = value('canary')
    const bl = hasBaseline ? value('baseline') : undefined
    const line = failLine(m, bl)
    out.metrics[m.name] = {
      ...(c === undefined ? {} : { canary: c }),
      ...(bl === undefined ? {} : { baseline: bl }),
      ...(line === undefined ? {} : { threshold: line }),
      kind,
      source: m.source
    }
    const show = (v: number | undefined): string =>
      v === undefined ? 'n/a' : formatValue(v, kind)
    out.values[m.name] = hasBaseline ? `${show(c)} / ${show(bl)}` : show(c)
  }
  return out
}
