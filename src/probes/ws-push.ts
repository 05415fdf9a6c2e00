/**
 * Push latency from the server's own timestamp: reads the time a server
 * stamped on a message it pushed, so a probe or a viewer load can tell how
 * late the message arrived. Meaningful only when the server and the runner
 * share a clock (same host, or both synced by NTP to well under the
 * latencies judged).
 */
import { parsePath, readPath, type PathSegment } from '../kernel/jsonpath.js'
import type { Result } from '../kernel/result.js'
import type { PushLatencySpec } from './types.js'

/** A message's payload to push latency in ms; undefined when unstamped. */
export type PushStamp = (payload: unknown, nowMs: number) => number | undefined

/** Pushed-message latencies kept per probe sample; later ones are dropped. */
export const MAX_PUSH_LATENCIES = 1000

/**
 * Compiles the stamp reader once. A stamp later than now (clocks a little
 * apart) counts as 0 ms: late pushes are what the measure is for.
 */
export function pushStamp(spec: PushLatencySpec): Result<PushStamp> {
  const path = parsePath(spec.timestamp)
  if (!path.ok) {
    return { ok: false, error: `push-latency.timestamp: ${path.error}` }
  }
  const segments: PathSegment[] = path.value
  const unit = spec.unit
  return {
    ok: true,
    value: (payload, nowMs) => {
      const found = readPath(payload, segments)
      if (!found.found) return undefined
      const at = epochMs(found.value, unit)
      if (at === undefined) return undefined
      return Math.max(0, nowMs - at)
    }
  }
}

function epochMs(
  value: unknown,
  unit: PushLatencySpec['unit']
): number | undefined {
  if (unit === 'iso') {
    if (typeof value !== 'string') return undefined
    const ms = Date.parse(value)
    return Number.isFinite(ms) ? ms : undefined
  }
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN
  if (!Number.isFinite(n)) return undefined
  return unit === 's' ? n * 1000 : unit === 'us' ? n / 1000 : n
}
