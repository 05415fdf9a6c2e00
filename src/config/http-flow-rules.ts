/**
 * Load-time rules of chained and burst HTTP probes: which keys go together,
 * and that every `${capture.X}` names a value an earlier step captures, so
 * a typo fails before the rollout starts rather than in the middle of it.
 */
import type { Config } from './schema.js'
import { parseTemplate } from './interpolate.js'
import { suggest } from './suggest.js'
import { checkUrl } from './urls.js'

type Path = (string | number)[]
type Add = (path: Path, message: string, atKey?: boolean) => void

/** Keys of a probe's `http:` that a chained probe sets per step instead. */
const PER_STEP = ['url', 'body', 'json', 'expect'] as const

/** Longest a burst may take at its rate: a burst is a moment, not a soak. */
export const MAX_BURST_S = 600

/** Checks the `http:` of every probe and where `${capture.X}` is used. */
export function checkHttpProbes(config: Config, raw: unknown, add: Add): void {
  for (const [name, p] of Object.entries(config.probes)) {
    const h = p.http
    if (!h) continue
    const base: Path = ['probes', name, 'http']
    if (h.steps) {
      for (const k of [...PER_STEP, 'burst'] as const) {
        if (h[k] !== undefined) {
          add(
            [...base, k],
            k === 'burst'
              ? "'burst' sends one request many times; it cannot be combined with 'steps'"
              : `with 'steps', '${k}' belongs to each step`,
            true
          )
        }
      }
      checkSteps(config, base, h.steps, add)
    } else if (h.url === undefined) {
      add(base, "an http probe needs 'url' (one request) or 'steps'")
    }
    if (h.burst) {
      for (const k of ['expect', 'retries'] as const) {
        if (h[k] !== undefined) {
          add(
            [...base, k],
            `with 'burst', '${k}' does not apply: each request is sent once and judged by burst.expect`,
            true
          )
        }
      }
      const b = h.burst
      if (
        b.expect['at-least'] === undefined &&
        b.expect['at-most'] === undefined
      ) {
        add([...base, 'burst', 'expect'], "needs 'at-least' or 'at-most'")
      }
      if (b.rate !== undefined && b.requests / b.rate > MAX_BURST_S) {
        add(
          [...base, 'burst', 'rate'],
          `${b.requests} requests at ${b.rate}/s take ${Math.round(b.requests / b.rate)}s; a burst lasts at most ${MAX_BURST_S}s (raise the rate or send fewer)`
        )
      }
      for (const k of ['at-least', 'at-most'] as const) {
        const s = b.expect[k]
        if (s && 'count' in s && s.count > b.requests) {
          add(
            [...base, 'burst', 'expect', k],
            `${s.count} is more than the ${b.requests} requests of the burst`
          )
        }
      }
    }
  }
  walk(raw, [], (s, path) => {
    if (!s.includes('${') || inStep(path)) return
    const parsed = parseTemplate(s)
    if (!parsed.ok) return
    const ref = parsed.parts.find((x) => x.kind === 'ref' && x.ns === 'capture')
    if (ref && ref.kind === 'ref') {
      add(path, `'${ref.raw}' only has a value in the steps of an http probe`)
    }
  })
}

type Step = NonNullable<
  NonNullable<Config['probes'][string]['http']>['steps']
>[number]

function checkSteps(config: Config, base: Path, steps: Step[], add: Add): void {
  const known: string[] = []
  const names = new Set<string>()
  steps.forEach((step, i) => {
    const at: Path = [...base, 'steps', i]
    if (step.name !== undefined) {
      if (names.has(step.name)) {
        add([...at, 'name'], `step name '${step.name}' is used twice`)
      }
      names.add(step.name)
    }
    const why = checkUrl(step.url, 'http', config.vars, { allowUserinfo: true })
    if (why) add([...at, 'url'], why)
    const { capture: _capture, ...request } = step
    walk(request, at, (s, path) => {
      if (!s.includes('${')) return
      const parsed = parseTemplate(s)
      if (!parsed.ok) return
      for (const p of parsed.parts) {
        if (p.kind !== 'ref' || p.ns !== 'capture') continue
        if (known.includes(p.name)) continue
        const near = suggest(p.name, known)
        add(
          path,
          known.length === 0
            ? `'${p.raw}': no earlier step captures anything (add capture: to a step before this one)`
            : `'${p.raw}': no earlier step captures '${p.name}'${near ? ` (did you mean '${near}'?)` : ''}`
        )
      }
    })
    known.push(...Object.keys(step.capture ?? {}))
  })
}

/**
 * A probe's name with what a plan reader cannot guess from it: how many
 * chained requests it sends, or the burst and the status it counts.
 */
export function probeLabel(name: string, config: Config): string {
  const h = config.probes[name]?.http
  if (h?.steps) {
    const n = h.steps.length
    return `${name} (${n} chained request${n === 1 ? '' : 's'})`
  }
  if (h?.burst) {
    const b = h.burst
    return `${name} (burst of ${b.requests}${b.rate !== undefined ? ` at ${b.rate}/s` : ''}, counting ${b.expect.status.join(' or ')})`
  }
  return name
}

/** True for a path inside `probes.X.http.steps`. */
function inStep(path: Path): boolean {
  return path[0] === 'probes' && path[2] === 'http' && path[3] === 'steps'
}

function walk(
  value: unknown,
  path: Path,
  visit: (s: string, p: Path) => void
): void {
  if (typeof value === 'string') visit(value, path)
  else if (Array.isArray(value))
    value.forEach((v, i) => walk(v, [...path, i], visit))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      walk(v, [...path, k], visit)
    }
  }
}
