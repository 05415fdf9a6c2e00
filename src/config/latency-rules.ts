/**
 * Rules that keep latency meaning one thing (DESIGN.md §5): `pNN` is the
 * request latency of HTTP probes, `ws-*` are WebSocket measures, and a
 * push-latency timestamp path must parse.
 */
import { parsePath } from '../kernel/jsonpath.js'
import type { Config, ProbeConfig } from './schema.js'

type Path = (string | number)[]
type Add = (path: Path, message: string, atKey?: boolean) => void

/** A listed probe that exists, with what it measures. */
export type ListedProbe = [string, 'http' | 'websocket' | 'other']

/** The probes a section lists, skipping unknown names (reported apart). */
export function listed(
  config: Config,
  refs: readonly string[] | undefined
): ListedProbe[] {
  return (refs ?? []).flatMap((ref): ListedProbe[] => {
    const p = config.probes[ref]
    if (!p) return []
    return [[ref, p.http ? 'http' : p.websocket ? 'websocket' : 'other']]
  })
}

/**
 * A latency metric that none of the listed probes measures could never
 * have data: say so when the config is read, not after a bake.
 */
export function checkMeasuredBy(
  path: Path,
  metric: string,
  probes: ListedProbe[],
  add: Add
): void {
  const kind = /^p\d+$/.test(metric)
    ? 'http'
    : metric.startsWith('ws-')
      ? 'websocket'
      : undefined
  if (!kind || probes.length === 0 || probes.some(([, k]) => k === kind)) {
    return
  }
  const names = probes.map(([n]) => `'${n}'`).join(', ')
  add(
    path,
    kind === 'http'
      ? `'${metric}' is the request latency of HTTP probes, but none of ${names} is one (WebSocket probes have ws-connect-${metric}, ws-first-message-${metric}, ws-push-${metric})`
      : `'${metric}' is measured by WebSocket probes, but none of ${names} is one`,
    true
  )
}

/** The timestamp path of a probe's or a viewer load's `push-latency`. */
export function checkPushLatency(base: Path, p: ProbeConfig, add: Add): void {
  const places = [
    [['websocket'], p.websocket],
    [['load', 'websocket'], p.load?.websocket]
  ] as const
  for (const [at, ws] of places) {
    const stamp = ws?.['push-latency']?.timestamp
    const path = stamp === undefined ? undefined : parsePath(stamp)
    if (path && !path.ok) {
      add([...base, ...at, 'push-latency', 'timestamp'], path.error)
    }
  }
}
