/**
 * Every `${secrets.X}` and `${env.X}` a run will render, found before any
 * gate changes anything: a secret that is not mapped would otherwise be met
 * only by the probe that uses it, after the deploy, and health would retry
 * the same error until `within` ran out.
 */
import { listReferences, type Reference } from '../../config/interpolate.js'
import type { Config, GateName } from '../../config/schema.js'

/** A reference the environment has no value for, and where it is used. */
export interface MissingReference {
  /** `secrets.API_TOKEN` or `env.DB_URL`. */
  ref: string
  /** Config paths that use it, e.g. `probes.api.http.headers.Authorization`. */
  at: string[]
}

/** Places named per reference before the rest is counted. */
const PLACES_SHOWN = 3

const CHANGING: ReadonlySet<GateName> = new Set([
  'migrate',
  'deploy',
  'canary',
  'promote',
  // A failing watch rolls back: the rollback's verify probes run.
  'watch'
])

/** The probes the selected gates (and a rollback after them) may run. */
function probesUsed(config: Config, gates: ReadonlySet<GateName>): string[] {
  const g = config.gates
  const names = [
    ...(gates.has('health') ? (g.health?.probes ?? []) : []),
    ...(gates.has('smoke') ? (g.smoke?.probes ?? []) : []),
    ...(gates.has('canary') ? (g.canary?.analysis?.probes ?? []) : []),
    ...(gates.has('canary') ? (g.canary?.analysis?.load ?? []) : []),
    ...(gates.has('soak') ? (g.soak?.probes ?? []) : []),
    ...(gates.has('watch')
      ? (g.watch?.probes ?? g.canary?.analysis?.probes ?? [])
      : []),
    ...([...gates].some((n) => CHANGING.has(n))
      ? (config.rollback?.verify ?? [])
      : [])
  ]
  return [...new Set(names)]
}

/** Template strings the selected gates render, with their config paths. */
function templatesUsed(
  config: Config,
  gates: ReadonlySet<GateName>
): Reference[] {
  const g = config.gates
  const refs: Reference[] = []
  for (const name of probesUsed(config, gates)) {
    const probe = config.probes[name]
    if (probe) refs.push(...listReferences(probe, `probes.${name}`))
  }
  if (gates.has('canary')) {
    refs.push(
      ...listReferences(
        g.canary?.analysis?.metrics,
        'gates.canary.analysis.metrics'
      ),
      ...listReferences(g.canary?.traffic.http, 'gates.canary.traffic.http')
    )
  }
  if (gates.has('soak')) {
    refs.push(...listReferences(g.soak?.metrics, 'gates.soak.metrics'))
  }
  if (gates.has('watch') && !gates.has('canary')) {
    // The watch reads the canary analysis metrics it names.
    const all = g.canary?.analysis?.metrics ?? {}
    for (const name of g.watch?.metrics ?? Object.keys(all)) {
      refs.push(
        ...listReferences(all[name], `gates.canary.analysis.metrics.${name}`)
      )
    }
  }
  // Hooks called for the selected gates, and the confirms they wait for.
  for (const [name, h] of Object.entries(config.hooks ?? {})) {
    if (h.gates === undefined || h.gates.some((x) => gates.has(x))) {
      refs.push(...listReferences(h.http, `hooks.${name}.http`))
    }
  }
  for (const gate of gates) {
    if (gate === 'preflight') continue
    if (gate === 'canary') {
      g.canary?.steps.forEach((s, i) =>
        refs.push(
          ...listReferences(
            s.confirm?.http,
            `gates.canary.steps[${i}].confirm.http`
          )
        )
      )
    } else {
      refs.push(
        ...listReferences(g[gate]?.confirm?.http, `gates.${gate}.confirm.http`)
      )
    }
  }
  // Any run may end with a notification.
  refs.push(
    ...listReferences(
      { slack: config.notify?.slack, webhook: config.notify?.webhook },
      'notify'
    )
  )
  return refs
}

/** The values a `${vars.X}` may stand for: the var and each track's. */
function varValues(config: Config, name: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const v = config.vars[name]
  if (v !== undefined) out.push([`vars.${name}`, v])
  const tracks = config.gates.canary?.analysis?.tracks ?? {}
  for (const [track, overlay] of Object.entries(tracks)) {
    const t = (overlay as Record<string, string> | undefined)?.[name]
    if (t !== undefined) {
      out.push([`gates.canary.analysis.tracks.${track}.${name}`, t])
    }
  }
  return out
}

/**
 * The references of `gates` (every configured gate for a whole rollout)
 * that the environment leaves unset or empty, in config order. A var that
 * holds a reference counts where the var is used.
 */
export function missingReferences(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  gates: readonly GateName[]
): MissingReference[] {
  const byRef = new Map<string, string[]>()
  const note = (r: Reference, at: string): void => {
    if (r.ns === 'vars') return
    if ((env[r.name] ?? '') !== '') return
    const key = `${r.ns}.${r.name}`
    const places = byRef.get(key) ?? []
    if (!places.includes(at)) places.push(at)
    byRef.set(key, places)
  }
  for (const r of templatesUsed(config, new Set(gates))) {
    if (r.ns !== 'vars') {
      note(r, r.at)
      continue
    }
    for (const [where, value] of varValues(config, r.name)) {
      for (const inner of listReferences(value, where)) {
        note(inner, `${r.at} via ${where}`)
      }
    }
  }
  return [...byRef].map(([ref, at]) => ({ ref, at }))
}

/**
 * One line naming every missing reference and where it is used, e.g.
 * `secrets not set: secrets.API_TOKEN (probes.api.http.headers.Authorization)`.
 */
export function missingReason(missing: readonly MissingReference[]): string {
  const secrets = missing.some((m) => m.ref.startsWith('secrets.'))
  const envs = missing.some((m) => m.ref.startsWith('env.'))
  const what =
    secrets && envs
      ? 'secrets and environment variables'
      : secrets
        ? 'secrets'
        : 'environment variables'
  const items = missing.map((m) => {
    const shown = m.at.slice(0, PLACES_SHOWN).join(', ')
    const more = m.at.length - PLACES_SHOWN
    return `${m.ref} (${shown}${more > 0 ? ` and ${more} more` : ''})`
  })
  // Not `missing secrets: ...`: a sensitive word before a colon reads as a
  // `name: value` line to the redactor, which would mask the whole list.
  return `${what} not set: ${items.join(', ')}; map them in the step's env: before the rollout starts`
}
