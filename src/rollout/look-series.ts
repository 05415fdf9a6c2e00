/**
 * A bake's values look by look, kept for its chart: what the judge saw at
 * each look, per metric and track, and the fail line it compared with. The
 * record stays small on long bakes: past a cap, every other look is dropped
 * (the last one always stays), so a day-long soak costs what a short one does.
 */
import type { LiveValues } from '../analysis/live.js'
import type { BakeSeries, MetricSeries } from './events.js'

/** Looks kept per bake before thinning; charts show far fewer. */
export const MAX_LOOKS = 400

export class LookSeries {
  private readonly at: number[] = []
  private readonly metrics = new Map<string, MetricSeries>()

  constructor(private readonly hasBaseline: boolean) {}

  /** One look, `ms` after the bake started. */
  add(ms: number, live: LiveValues): void {
    const index = this.at.length
    this.at.push(ms)
    for (const [name, v] of Object.entries(live.metrics)) {
      let m = this.metrics.get(name)
      if (!m) {
        // A metric seen first at a later look had no value before it.
        const empty = (): (number | null)[] =>
          new Array<number | null>(index).fill(null)
        m = {
          name,
          kind: v.kind,
          source: v.source,
          canary: empty(),
          ...(this.hasBaseline ? { baseline: empty() } : {}),
          threshold: empty()
        }
        this.metrics.set(name, m)
      }
      m.canary.push(finite(v.canary))
      m.baseline?.push(finite(v.baseline))
      m.threshold?.push(finite(v.threshold))
    }
    for (const m of this.metrics.values()) {
      while (m.canary.length < this.at.length) {
        m.canary.push(null)
        m.baseline?.push(null)
        m.threshold?.push(null)
      }
    }
    if (this.at.length > MAX_LOOKS) this.thin()
  }

  /** The record, or undefined when no look had a value. */
  result(): BakeSeries | undefined {
    const metrics = [...this.metrics.values()]
      .filter((m) => m.canary.some((v) => v !== null))
      .map((m) => {
        const out: MetricSeries = {
          name: m.name,
          kind: m.kind,
          source: m.source,
          canary: [...m.canary]
        }
        if (m.baseline) out.baseline = [...m.baseline]
        if (m.threshold?.some((v) => v !== null)) {
          out.threshold = [...m.threshold]
        }
        return out
      })
    if (metrics.length === 0) return undefined
    return { at: [...this.at], metrics }
  }

  private thin(): void {
    const last = this.at.length - 1
    const keep = (_: unknown, i: number): boolean => i % 2 === 0 || i === last
    const at = this.at.filter(keep)
    this.at.splice(0, this.at.length, ...at)
    for (const m of this.metrics.values()) {
      m.canary = m.canary.filter(keep)
      if (m.baseline) m.baseline = m.baseline.filter(keep)
      if (m.threshold) m.threshold = m.threshold.filter(keep)
    }
  }
}

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null
}
