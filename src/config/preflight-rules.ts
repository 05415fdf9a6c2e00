/**
 * Rules of preflight's `require` checks that the schema alone cannot say:
 * each check has exactly one source, a metric says what it expects, and the
 * expectation is absolute (there is no baseline or trend before a rollout).
 */
import { METRIC_SOURCES, type Config } from './schema.js'

type Path = (string | number)[]

/** Checks `gates.preflight.require`; errors go to `add` with key paths. */
export function checkPreflightRequire(
  config: Config,
  add: (path: Path, message: string) => void
): void {
  const checks = config.gates.preflight?.require ?? {}
  for (const [name, c] of Object.entries(checks)) {
    const base: Path = ['gates', 'preflight', 'require', name]
    const sources = ([...METRIC_SOURCES, 'run'] as const).filter(
      (k) => c[k] !== undefined
    )
    if (sources.length !== 1) {
      add(
        base,
        `preflight check '${name}' needs exactly one of ${METRIC_SOURCES.map((s) => `'${s}'`).join(', ')} (a metric) or 'run' (a command), got ${sources.length ? sources.map((s) => `'${s}'`).join(', ') : 'none'}`
      )
      continue
    }
    if (c.run !== undefined) {
      if (c.expect) {
        add(
          [...base, 'expect'],
          `'expect' is for metrics; a command check passes when it exits 0`
        )
      }
      continue
    }
    if (c.timeout !== undefined) {
      add(
        [...base, 'timeout'],
        `'timeout' is for commands; a metric's source has its own 'timeout'`
      )
    }
    const e = c.expect
    if (!e) {
      add(
        base,
        `preflight check '${name}' needs 'expect', the condition the value must meet, e.g. '< 60%'`
      )
    } else if (
      e.kind === 'growth' ||
      (e.operand.kind !== 'number' &&
        e.operand.kind !== 'percent' &&
        e.operand.kind !== 'duration')
    ) {
      add(
        [...base, 'expect'],
        `condition '${e.text}' compares with a baseline or a trend; before a rollout there is neither (use e.g. '< 60%' or '< 0.6')`
      )
    }
  }
}
