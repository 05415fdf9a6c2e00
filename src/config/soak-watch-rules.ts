/**
 * Rules of the soak's tests and the watch that the schema alone cannot say:
 * a test run that would never happen, a pass rate with no report to read it
 * from, and a watch whose metrics and probes are not those of the canary
 * analysis it continues.
 */
import type { Config } from './schema.js'
import { formatDuration } from '../kernel/format.js'
import { suggest } from './suggest.js'

type Path = (string | number)[]

/** Checks `gates.soak.tests` and `gates.watch`; errors go to `add`. */
export function checkSoakWatch(
  config: Config,
  add: (path: Path, message: string) => void
): void {
  const g = config.gates
  const tests = g.soak?.tests ?? []
  tests.forEach((t, i) => {
    const base: Path = [
      'gates',
      'soak',
      'tests',
      ...(tests.length > 1 ? [i] : [])
    ]
    if (t.every !== undefined && g.soak && t.every > g.soak.duration) {
      add(
        [...base, 'every'],
        `every '${formatDuration(t.every)}' is longer than the soak's duration '${formatDuration(g.soak.duration)}', so the tests would never run`
      )
    }
    if (t['pass-rate'] && !t.junit) {
      add(
        [...base, 'pass-rate'],
        "'pass-rate' is read from JUnit reports: add 'junit' with their paths"
      )
    }
  })
  const w = g.watch
  if (!w) return
  const analysis = g.canary?.analysis
  const known = Object.keys(analysis?.metrics ?? {})
  ;(w.metrics ?? []).forEach((name, i) => {
    if (known.includes(name)) return
    const near = suggest(name, known)
    add(
      ['gates', 'watch', 'metrics', i],
      known.length === 0
        ? `the watch judges metrics of gates.canary.analysis.metrics, which has none, got '${name}'`
        : `unknown metric '${name}': not in gates.canary.analysis.metrics${near ? ` (did you mean '${near}'?)` : ` (${known.join(', ')})`}`
    )
  })
  const probes = Object.keys(config.probes)
  ;(w.probes ?? []).forEach((name, i) => {
    if (probes.includes(name)) return
    const near = suggest(name, probes)
    add(
      ['gates', 'watch', 'probes', i],
      `unknown probe '${name}'${near ? ` (did you mean '${near}'?)` : ''}`
    )
  })
  const metrics = w.metrics ?? known
  const sampled = w.probes ?? analysis?.probes ?? []
  if (metrics.length === 0 && sampled.length === 0) {
    add(
      ['gates', 'watch'],
      'the watch needs metrics or probes: gates.canary.analysis has none to go on with, and watch lists none'
    )
  }
}
