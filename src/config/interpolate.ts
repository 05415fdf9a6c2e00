/**
 * `${...}` templates in probe, metric, webhook and notify fields. Templates
 * are parsed once at load time so that every reference is checked before a
 * rollout starts, and rendered at run time with the values of that moment
 * (version, weight, track). `run:` strings are never templates: commands get
 * the same values as DEPLOY_GATES_* environment variables instead.
 */
import { ConfigError } from '../kernel/errors.js'

/** Values known only while a rollout runs. */
export const BUILTINS = [
  'version',
  'previous_version',
  'environment',
  'sha',
  'weight',
  'step',
  'track',
  'service'
] as const
export type Builtin = (typeof BUILTINS)[number]

/** The environment variable each builtin reaches commands as. */
export const BUILTIN_ENV: Record<Builtin, string> = {
  version: 'DEPLOY_GATES_VERSION',
  previous_version: 'DEPLOY_GATES_PREVIOUS_VERSION',
  environment: 'DEPLOY_GATES_ENVIRONMENT',
  sha: 'DEPLOY_GATES_SHA',
  weight: 'DEPLOY_GATES_WEIGHT',
  step: 'DEPLOY_GATES_STEP',
  track: 'DEPLOY_GATES_TRACK',
  service: 'DEPLOY_GATES_SERVICE'
}

export type Namespace = 'vars' | 'env' | 'secrets' | 'window' | 'capture'

/** `${window.X}`: the time range a metric source reads. */
export const WINDOW_NAMES = [
  'start',
  'end',
  'start_epoch',
  'end_epoch'
] as const
export type WindowName = (typeof WINDOW_NAMES)[number]

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; ns: Namespace; name: string; raw: string }
  | { kind: 'builtin'; name: Builtin; raw: string }

export type ParsedTemplate =
  { ok: true; parts: Part[] } | { ok: false; error: string }

const REF_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/

/**
 * Splits a string into literal text and references. `$${` escapes a literal
 * `${`. Anything else inside `${...}` is an error, so a typo such as
 * `${var.base}` cannot reach a server as text.
 */
export function parseTemplate(input: string): ParsedTemplate {
  const parts: Part[] = []
  let buf = ''
  let i = 0
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      buf += '${'
      i += 3
      continue
    }
    if (!input.startsWith('${', i)) {
      buf += input[i]
      i += 1
      continue
    }
    const end = input.indexOf('}', i + 2)
    if (end < 0) {
      return { ok: false, error: `unclosed '\${' in '${clip(input)}'` }
    }
    const raw = input.slice(i, end + 1)
    const inner = input.slice(i + 2, end).trim()
    if (buf) parts.push({ kind: 'text', text: buf })
    buf = ''
    const dot = inner.indexOf('.')
    if (dot < 0) {
      if (!(BUILTINS as readonly string[]).includes(inner)) {
        return {
          ok: false,
          error: `unknown reference '${raw}' (use \${vars.NAME}, \${env.NAME}, \${secrets.NAME} or one of ${BUILTINS.map((b) => `\${${b}}`).join(', ')})`
        }
      }
      parts.push({ kind: 'builtin', name: inner as Builtin, raw })
    } else {
      const ns = inner.slice(0, dot)
      const name = inner.slice(dot + 1)
      if (ns === 'window') {
        if (!(WINDOW_NAMES as readonly string[]).includes(name)) {
          return {
            ok: false,
            error: `unknown reference '${raw}' (use ${WINDOW_NAMES.map((n) => `\${window.${n}}`).join(', ')})`
          }
        }
        parts.push({ kind: 'ref', ns, name, raw })
        i = end + 1
        continue
      }
      if (
        ns !== 'vars' &&
        ns !== 'env' &&
        ns !== 'secrets' &&
        ns !== 'capture'
      ) {
        return {
          ok: false,
          error: `unknown reference '${raw}' (namespaces are vars, env, secrets, window and capture)`
        }
      }
      if (!REF_NAME.test(name)) {
        return { ok: false, error: `invalid name in reference '${raw}'` }
      }
      parts.push({ kind: 'ref', ns, name, raw })
    }
    i = end + 1
  }
  if (buf) parts.push({ kind: 'text', text: buf })
  return { ok: true, parts }
}

/** True when the string contains anything that looks like a reference. */
export function looksLikeTemplate(s: string): boolean {
  return /\$\{/.test(s.replace(/\$\$\{/g, ''))
}

export interface RenderValues {
  vars: Readonly<Record<string, string>>
  env: Readonly<Record<string, string | undefined>>
  builtins: Partial<Record<Builtin, string>>
  /** Only while a metric source renders: the range it reads. */
  window?: Readonly<Record<WindowName, string>>
  /** Only in the steps of an HTTP probe: values earlier answers gave. */
  capture?: Readonly<Record<string, { value: string; secret: boolean }>>
}

export type Rendered =
  { ok: true; value: string; secrets: string[] } | { ok: false; error: string }

/**
 * Renders a template with the values of this moment. Secrets come from the
 * environment and are returned so the caller can mask them; a missing secret
 * or env value is an error, never an empty string in a URL.
 */
export function render(template: string, values: RenderValues): Rendered {
  const parsed = parseTemplate(template)
  if (!parsed.ok) return parsed
  let out = ''
  const secrets: string[] = []
  for (const part of parsed.parts) {
    if (part.kind === 'text') {
      out += part.text
    } else if (part.kind === 'builtin') {
      const v = values.builtins[part.name]
      if (v === undefined) {
        return { ok: false, error: `'${part.raw}' has no value here` }
      }
      out += v
    } else if (part.ns === 'window') {
      const v = values.window?.[part.name as WindowName]
      if (v === undefined) {
        return {
          ok: false,
          error: `'${part.raw}' has no value here (only metric sources read a window)`
        }
      }
      out += v
    } else if (part.ns === 'capture') {
      const c = values.capture?.[part.name]
      if (c === undefined) {
        return {
          ok: false,
          error: `'${part.raw}' has no value here (an earlier step of this probe captures it)`
        }
      }
      if (c.secret) secrets.push(c.value)
      out += c.value
    } else if (part.ns === 'vars') {
      const v = values.vars[part.name]
      if (v === undefined) {
        return { ok: false, error: `unknown var '${part.name}'` }
      }
      // vars may themselves hold env/secrets references.
      const inner = render(v, { ...values, vars: {} })
      if (!inner.ok) return inner
      out += inner.value
      secrets.push(...inner.secrets)
    } else {
      const v = values.env[part.name]
      if (v === undefined || v === '') {
        const where = part.ns === 'secrets' ? 'secret' : 'environment variable'
        return {
          ok: false,
          error: `${where} '${part.name}' is not set (referenced as '${part.raw}')`
        }
      }
      if (part.ns === 'secrets') secrets.push(v)
      out += v
    }
  }
  return { ok: true, value: out, secrets }
}

/** Applies `render` to every string inside a JSON-like value. */
export function renderDeep(
  value: unknown,
  values: RenderValues
):
  | { ok: true; value: unknown; secrets: string[] }
  | { ok: false; error: string } {
  const secrets: string[] = []
  const one = (v: string): string => {
    const r = render(v, values)
    if (!r.ok) throw new TemplateError(r.error)
    secrets.push(...r.secrets)
    return r.value
  }
  try {
    return { ok: true, value: mapStrings(value, one), secrets }
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, error: e.message }
    throw e
  }
}

class TemplateError extends ConfigError {}

/** A copy of a JSON-like value with every string passed through `fn`. */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fn(v)
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [
          k,
          walk(x)
        ])
      )
    }
    return v
  }
  return walk(value) as T
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/**
 * Names of every `${secrets.X}` in a JSON-like value (the raw config), so
 * their values can be masked before anything runs or prints.
 */
export function referencedSecrets(value: unknown): string[] {
  const names = new Set<string>()
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(
        /\$\{\s*secrets\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}/g
      )) {
        names.add(m[1])
      }
    } else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(value)
  return [...names]
}

/** One `${env.X}`, `${secrets.X}` or `${vars.X}` and where it is written. */
export interface Reference {
  ns: Namespace
  name: string
  /** The config path of the string, e.g. `probes.api.http.headers.Authorization`. */
  at: string
}

/**
 * Every reference inside a JSON-like value, each with the path of the string
 * that holds it, so a check before the run can name where each one is used.
 * Strings that are not valid templates are left to the config checks.
 */
export function listReferences(value: unknown, at: string): Reference[] {
  const out: Reference[] = []
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return
      const parsed = parseTemplate(v)
      if (!parsed.ok) return
      for (const p of parsed.parts) {
        // Captures come from answers during the probe, not the environment.
        if (p.kind === 'ref' && p.ns !== 'capture') {
          out.push({ ns: p.ns, name: p.name, at: path })
        }
      }
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`))
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        walk(x, path === '' ? k : `${path}.${k}`)
      }
    }
  }
  walk(value, at)
  return out
}
