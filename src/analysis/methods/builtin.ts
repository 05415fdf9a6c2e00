/**
 * What a condition on a built-in metric measures at a given moment: the
 * value over all probe samples of the tracks it needs, or why there is
 * none yet.
 */
import { evaluate } from '../conditions.js'
import type { Builtin } from '../measure.js'
import {
  noLatencies,
  noValueToCompare,
  tooFewResponses,
  tooFewSamples
} from '../wording.js'
import type { Check, Measured, Tracks } from './method.js'

/**
 * `gated`: fewer than `minSamples` per needed track is no-data (final and
 * early pass); early fails only need a value, as their test decides.
 */
export function measureBuiltin(
  check: Check,
  b: Builtin,
  tracks: Tracks,
  minSamples: number,
  gated: boolean
): Measured {
  const name = check.metric.name
  const can = tracks.canary
  const base = check.relative ? tracks.baseline : undefined
  const n = {
    canary: can.count(b),
    ...(base ? { baseline: base.count(b) } : {})
  }
  const need = gated ? minSamples : 1
  for (const [t, stats] of [
    ['canary', can],
    ['baseline', base]
  ] as const) {
    if (!stats) continue
    const count = stats.count(b)
    if (count >= need) continue
    if (b.type === 'quantile' && stats.untimed > 0 && stats.n >= need) {
      // Answers came, but the runner stalled while timing too many of
      // them: missing latencies, which a longer bake can make up.
      return {
        status: 'no-data',
        n,
        reason: tooFewSamples(name, count, t, minSamples)
      }
    }
    const none =
      b.type === 'quantile' && stats.n > 0
        ? noLatencies(
            name,
            b.of,
            {
              http: stats.ws.httpSamples,
              ws: stats.ws.wsSamples,
              values: count
            },
            t
          )
        : undefined
    if (none) return { status: 'error', n, reason: none }
    if (b.type === 'quantile' && stats.n >= need) {
      return {
        status: 'error',
        n,
        reason: tooFewResponses(name, count, stats.n, t)
      }
    }
    return {
      status: 'no-data',
      n,
      reason: tooFewSamples(name, stats.n, t, minSamples)
    }
  }
  const value = can.value(b)
  const baseline = base ? base.value(b) : undefined
  const ev = evaluate(check.condition, value, baseline)
  if (!ev) return { status: 'no-data', n, reason: noValueToCompare(name) }
  return {
    status: 'value',
    value,
    ...(baseline === undefined ? {} : { baseline }),
    breached: ev.breached,
    n
  }
}
