/**
 * HTTP load at a fixed arrival rate (an open model). Request i is due at
 * t0 + i/rate whether or not earlier answers came back, and its latency is
 * measured from that intended time: a server that stalls for a second shows
 * a second of latency for every request that should have been sent during
 * the stall (no coordinated omission). Service time, from the actual send,
 * is kept alongside so the two can be told apart. Every request is counted:
 * errors and timeouts are recorded at their latency, never dropped.
 */
import { Engine } from './load-engine.js'
import { failedLoad } from './load-failed.js'
import { connectOptions, Lanes } from './load-lanes.js'
import type { LoadHttpOptions, LoadHttpSpec, LoadResult } from './load-types.js'
import { displayUrl } from './match.js'
import { systemClock } from '../kernel/clock.js'

export type { LoadHttpSpec, LoadResult } from './load-types.js'

/**
 * Runs one fixed-rate load probe. Why an open model: a closed-loop
 * generator (N workers waiting for answers) sends less when the server is
 * slow and so under-reports exactly the stalls a rollout gate must catch.
 */
export async function runHttpLoad(
  spec: LoadHttpSpec,
  options: LoadHttpOptions = {}
): Promise<LoadResult> {
  const redact = options.redact ?? ((s: string): string => s)
  const invalid = checkSpec(spec)
  if (invalid !== undefined) return failedLoad(spec, redact(invalid))
  const clock = options.clock ?? systemClock
  const url = new URL(spec.url)
  const lanes =
    options.dispatcher === undefined
      ? new Lanes(url.origin, spec.connections ?? spec.maxInFlight, {
          pipelining: 1,
          connect: connectOptions(spec.tls)
        })
      : undefined
  const engine = new Engine(spec, clock, url, options.dispatcher, lanes)
  try {
    await engine.run(options.signal)
  } finally {
    await lanes?.destroy()
  }
  return engine.result(redact)
}

function checkSpec(spec: LoadHttpSpec): string | undefined {
  let url: URL
  try {
    url = new URL(spec.url)
  } catch {
    return `invalid URL '${displayUrl(spec.url)}'`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `unsupported protocol '${url.protocol}' (use http: or https:)`
  }
  if (!(spec.rate > 0) || !Number.isFinite(spec.rate)) {
    return `invalid rate '${spec.rate}' (must be above 0 per second)`
  }
  if (!(spec.durationMs > 0)) {
    return `invalid duration '${spec.durationMs}ms' (must be above 0)`
  }
  if (!Number.isInteger(spec.maxInFlight) || spec.maxInFlight < 1) {
    return `invalid max-in-flight '${spec.maxInFlight}' (must be at least 1)`
  }
  if (!(spec.timeoutMs > 0)) {
    return `invalid timeout '${spec.timeoutMs}ms' (must be above 0)`
  }
  return undefined
}
