/**
 * Overrides on a loaded config: other hosts and shorter bakes, soaks and
 * load runs, so a config can be rehearsed unchanged against stand-ins.
 */
import { ConfigError } from '../kernel/errors.js'
import type { Config } from './schema.js'

type SoakTest = NonNullable<
  NonNullable<Config['gates']['soak']>['tests']
>[number]

export interface Overrides {
  /** New values for existing `vars` (hosts, URLs). */
  vars?: Record<string, string>
  /** New values for existing vars of the canary analysis tracks. */
  tracks?: {
    canary?: Record<string, string>
    baseline?: Record<string, string>
  }
  /** Every canary bake lasts at most this long (ms). */
  maxBake?: number
  /**
   * The soak lasts at most this long (ms); its test commands keep their
   * share of it (every 2h of 24h becomes every 1/12 of the shorter soak).
   */
  maxSoak?: number
  /** The watch after promotion lasts at most this long (ms). */
  maxWatch?: number
  /**
   * Every load probe ramps up in at most this long and then holds at most
   * this long (ms): a shorter ramp with the same connections is a burst.
   */
  maxLoad?: number
}

function replaced(
  where: string,
  current: Record<string, string>,
  values: Record<string, string>
): Record<string, string> {
  for (const key of Object.keys(values)) {
    if (!(key in current)) {
      // A misspelt override would leave the real host in place.
      throw new ConfigError(
        `${where}.'${key}' is not defined, so it cannot be overridden (defined: ${Object.keys(current).join(', ') || 'none'})`
      )
    }
  }
  return { ...current, ...values }
}

function positive(name: string, ms: number | undefined): void {
  if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) {
    throw new ConfigError(
      `override '${name}' must be a positive duration in ms, got '${ms}'`
    )
  }
}

function shortenLoad(config: Config, maxMs: number): Config['probes'] {
  return Object.fromEntries(
    Object.entries(config.probes).map(([name, probe]) => {
      const load = probe.load
      if (!load) return [name, probe]
      const http = load.http && {
        ...load.http,
        duration: Math.min(load.http.duration, maxMs)
      }
      const ws = load.websocket
      const websocket = ws && {
        ...ws,
        duration: Math.min(ws.duration, maxMs),
        ...(ws.ramp !== undefined ? { ramp: Math.min(ws.ramp, maxMs) } : {})
      }
      return [
        name,
        {
          ...probe,
          load: {
            ...load,
            ...(http ? { http } : {}),
            ...(websocket ? { websocket } : {})
          }
        }
      ]
    })
  )
}

/**
 * Returns a copy of `config` pointed at other hosts, with bakes, the soak
 * and load runs capped. Only values are replaced: probes, conditions and
 * commands stay as written, so what passes here is the config itself.
 */
export function applyOverrides(config: Config, o: Overrides): Config {
  positive('maxBake', o.maxBake)
  positive('maxSoak', o.maxSoak)
  positive('maxLoad', o.maxLoad)
  positive('maxWatch', o.maxWatch)
  const out: Config = {
    ...config,
    vars: replaced('vars', config.vars, o.vars ?? {}),
    gates: { ...config.gates }
  }
  const canary = config.gates.canary
  if (o.tracks && !canary?.analysis) {
    throw new ConfigError(
      `override 'tracks' needs 'gates.canary.analysis', which is not defined`
    )
  }
  if (canary) {
    const analysis = canary.analysis && {
      ...canary.analysis,
      ...(o.tracks
        ? {
            tracks: Object.fromEntries(
              (['canary', 'baseline'] as const).flatMap((t) => {
                const current = canary.analysis?.tracks?.[t]
                const values = o.tracks?.[t]
                if (values && !current) {
                  throw new ConfigError(
                    `gates.canary.analysis.tracks.'${t}' is not defined, so it cannot be overridden`
                  )
                }
                return current
                  ? [
                      [
                        t,
                        replaced(
                          `gates.canary.analysis.tracks.${t}`,
                          current,
                          values ?? {}
                        )
                      ]
                    ]
                  : []
              })
            )
          }
        : {})
    }
    out.gates.canary = {
      ...canary,
      steps: canary.steps.map((s) =>
        o.maxBake !== undefined && s.bake !== undefined
          ? { ...s, bake: Math.min(s.bake, o.maxBake) }
          : s
      ),
      ...(analysis ? { analysis } : {})
    }
  }
  const soak = config.gates.soak
  if (soak && o.maxSoak !== undefined) {
    const duration = Math.min(soak.duration, o.maxSoak)
    const scale = duration / soak.duration
    const scaled = (t: SoakTest): SoakTest =>
      t.every === undefined
        ? t
        : { ...t, every: Math.max(1, Math.round(t.every * scale)) }
    const tests = soak.tests
    out.gates.soak = {
      ...soak,
      duration,
      ...(tests === undefined ? {} : { tests: tests.map(scaled) })
    }
  }
  const watch = config.gates.watch
  if (watch && o.maxWatch !== undefined) {
    out.gates.watch = {
      ...watch,
      duration: Math.min(watch.duration, o.maxWatch)
    }
  }
  if (o.maxLoad !== undefined) out.probes = shortenLoad(config, o.maxLoad)
  return out
}
