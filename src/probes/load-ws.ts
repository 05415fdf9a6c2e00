/**
 * WebSocket load: open N connections spread over a ramp, hold them for a
 * duration, optionally send a message on each every interval and time the
 * echo, then close every socket, even when the run fails or is aborted.
 * What a rollout gate learns from it: can the new version take the
 * connections it will get (connect success rate, connect time) and does it
 * keep answering while holding them (message round trips, drops).
 */
import { failedLoad } from './load-failed.js'
import { WsRun } from './load-ws-run.js'
import type { LoadWsOptions, LoadWsResult, LoadWsSpec } from './load-types.js'
import { displayUrl } from './match.js'
import { pushStamp } from './ws-push.js'

export type { LoadWsSpec } from './load-types.js'

/**
 * Runs one WebSocket load probe. Why a ramp: thousands of simultaneous
 * handshakes measure the listen backlog, not the service; a ramp shows how
 * the service takes the connections it will really get.
 */
export async function runWsLoad(
  spec: LoadWsSpec,
  options: LoadWsOptions = {}
): Promise<LoadWsResult> {
  const redact = options.redact ?? ((s: string): string => s)
  const invalid = checkSpec(spec)
  if (invalid !== undefined) return failedLoad(spec, redact(invalid))
  const run = new WsRun(spec, options)
  try {
    await run.rampAndHold(options.signal)
  } finally {
    await run.closeAll(options.closeGraceMs ?? 2000)
  }
  return run.result(redact)
}

function checkSpec(spec: LoadWsSpec): string | undefined {
  let url: URL
  try {
    url = new URL(spec.url)
  } catch {
    return `invalid URL '${displayUrl(spec.url)}'`
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return `unsupported protocol '${url.protocol}' (use ws: or wss:)`
  }
  if (!Number.isInteger(spec.connections) || spec.connections < 1) {
    return `invalid connections '${spec.connections}' (must be at least 1)`
  }
  if (!(spec.durationMs >= 0)) {
    return `invalid duration '${spec.durationMs}ms' (must be 0 or more)`
  }
  if (!(spec.rampMs >= 0)) {
    return `invalid ramp '${spec.rampMs}ms' (must be 0 or more)`
  }
  if (spec.message !== undefined && !((spec.intervalMs ?? 0) > 0)) {
    return `invalid interval '${spec.intervalMs ?? 'none'}' (a message needs an interval above 0)`
  }
  const stamp = spec.pushLatency ? pushStamp(spec.pushLatency) : undefined
  return stamp && !stamp.ok ? stamp.error : undefined
}
