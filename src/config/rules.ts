/**
 * Rules that need more than one field: references between sections, canary
 * step order, metric kinds against their conditions, templates and URLs.
 * They run after the schema accepted the shape, on the parsed config, and
 * return errors with key paths for the loader to place in the file.
 */
import type { Config, MetricConfig, ProbeConfig } from './schema.js'
import { BUILTIN_METRICS, METRIC_SOURCES, sourcesOf } from './schema.js'
import { isRelative, operandKind, type Condition } from './units.js'
import { suggest } from './suggest.js'
import { BUILTIN_ENV, parseTemplate, type Part } from './interpolate.js'
import { isTimeZone, parseAllowWindow } from './window.js'
import { parseFreezeEntry } from './freeze-rules.js'
import { checkPreflightRequire } from './preflight-rules.js'
import { checkHttpProbes } from './http-flow-rules.js'
import { checkHeaderValue, checkUrl, type UrlKind } from './urls.js'
import {
  checkMeasuredBy,
  checkPushLatency,
  listed,
  type ListedProbe
} from './latency-rules.js'

export type Path = (string | number)[]

export interface RuleError {
  path: Path
  message: string
  /** Point at the key itself rather than its value. */
  atKey?: boolean
}

/** Checks every cross-field rule; `raw` is the YAML data before parsing. */
export function checkRules(config: Config, raw: unknown): RuleError[] {
  const errors: RuleError[] = []
  const add = (path: Path, message: string, atKey = false): void => {
    errors.push({ path, message, atKey })
  }
  checkProbes(config, add)
  checkGates(config, add)
  checkPreflightRequire(config, add)
  checkHttpProbes(config, raw, add)
  checkTemplates(raw, config, add)
  if (errors.length === 0) checkUrls(config, add)
  return errors
}
type Add = (path: Path, message: string, atKey?: boolean) => void
const PROBE_KINDS = ['http', 'websocket', 'load', 'command'] as const

function checkProbes(config: Config, add: Add): void {
  for (const [name, p] of Object.entries(config.probes)) {
    const kinds = PROBE_KINDS.filter((k) => p[k] !== undefined)
    if (kinds.length === 0) {
      add(['probes', name], `a probe needs one of ${PROBE_KINDS.join(', ')}`)
    } else if (kinds.length > 1) {
      add(
        ['probes', name, kinds[1]],
        `a probe has one kind, but '${name}' has both '${kinds[0]}' and '${kinds[1]}'`,
        true
      )
    }
    if (p.load) {
      const n = (p.load.http ? 1 : 0) + (p.load.websocket ? 1 : 0)
      if (n !== 1) {
        add(
          ['probes', name, 'load'],
          'a load probe needs exactly one of http, websocket'
        )
      }
    }
    if (p.websocket) checkWsSteps(name, p.websocket, add)
    checkPushLatency(['probes', name], p, add)
  }
}

function checkWsSteps(
  name: string,
  ws: NonNullable<ProbeConfig['websocket']>,
  add: Add
): void {
  const io = ws.protocol === 'socket.io'
  ws.steps.forEach((step, i) => {
    const path: Path = ['probes', name, 'websocket', 'steps', i]
    const keys = Object.keys(step).filter(
      (k) => step[k as keyof typeof step] !== undefined
    )
    if (keys.length !== 1) {
      add(
        path,
        keys.length === 0
          ? 'a step needs one of send, emit, receive, silence, ping, close'
          : `a step does one thing, got ${keys.map((k) => `'${k}'`).join(' and ')}`
      )
      return
    }
    const kind = keys[0]
    if (io && (kind === 'send' || kind === 'ping')) {
      add(
        [...path, kind],
        `'${kind}' is for raw WebSocket; with protocol socket.io use 'emit'`,
        true
      )
    }
    if (!io && kind === 'emit') {
      add(
        [...path, kind],
        "'emit' needs protocol: socket.io; raw WebSocket uses 'send'",
        true
      )
    }
    const match =
      step.receive ??
      (typeof step.silence === 'object' ? step.silence : undefined)
    if (match && 'event' in match && match.event !== undefined && !io) {
      add(
        [...path, kind, 'event'],
        "'event' matching needs protocol: socket.io",
        true
      )
    }
    if (step.receive && io && step.receive.event === undefined) {
      add(
        [...path, 'receive'],
        "with protocol socket.io, 'receive' needs an 'event'"
      )
    }
    if (match && 'regex' in match && match.regex !== undefined)
      checkRegex([...path, kind, 'regex'], match.regex, add)
  })
}

function checkRegex(path: Path, source: string, add: Add): void {
  try {
    new RegExp(source)
  } catch {
    add(path, `invalid regular expression '${source}'`)
  }
}

function checkProbeRefs(
  config: Config,
  path: Path,
  refs: readonly string[] | undefined,
  add: Add,
  use: 'any' | 'sampled' | 'load' = 'any'
): void {
  const known = Object.keys(config.probes)
  refs?.forEach((ref, i) => {
    const p = config.probes[ref]
    if (!p) {
      const near = suggest(ref, known)
      add(
        [...path, i],
        `unknown probe '${ref}'${near ? ` (did you mean '${near}'?)` : known.length ? ` (probes: ${known.join(', ')})` : ' (no probes are defined)'}`
      )
    } else if (use === 'sampled' && p.load) {
      add(
        [...path, i],
        `probe '${ref}' is a load probe; bakes sample http, websocket or command probes every interval (load probes run in smoke, or during canary bakes under analysis.load)`
      )
    } else if (use === 'load' && !p.load) {
      add(
        [...path, i],
        `probe '${ref}' is not a load probe; analysis.load runs load probes during each bake (list it under analysis.probes to sample it)`
      )
    }
  })
}

function checkGates(config: Config, add: Add): void {
  const g = config.gates
  checkProbeRefs(config, ['gates', 'health', 'probes'], g.health?.probes, add)
  checkProbeRefs(config, ['gates', 'smoke', 'probes'], g.smoke?.probes, add)
  checkProbeRefs(config, ['rollback', 'verify'], config.rollback?.verify, add)
  if (g.smoke && !g.smoke.probes?.length && !g.smoke.tests?.length) {
    add(['gates', 'smoke'], 'smoke needs probes or tests')
  }
  g.smoke?.tests?.forEach((t, i) => {
    if (t['pass-rate'] && !t.junit) {
      add(
        ['gates', 'smoke', 'tests', i, 'pass-rate'],
        "'pass-rate' needs 'junit' reports to count"
      )
    }
  })
  if (g.preflight?.window) {
    const w = g.preflight.window
    const base: Path = ['gates', 'preflight', 'window']
    w.allow?.forEach((a, i) => {
      const r = parseAllowWindow(a)
      if (!r.ok) add([...base, 'allow', i], r.error)
    })
    w.freeze?.forEach((f, i) => {
      const r = parseFreezeEntry(f)
      if (!r.ok) add([...base, 'freeze', i], r.error)
    })
    if (!isTimeZone(w.timezone)) {
      add(
        [...base, 'timezone'],
        `unknown time zone '${w.timezone}' (use an IANA name like Europe/Berlin or UTC)`
      )
    }
  }
  const canary = g.canary
  if (canary) {
    const t = canary.traffic
    if ((t.run ? 1 : 0) + (t.http ? 1 : 0) !== 1) {
      add(
        ['gates', 'canary', 'traffic'],
        "traffic needs exactly one of 'run' (a command) or 'http' (a webhook)"
      )
    }
    let prev = 0
    canary.steps.forEach((s, i) => {
      if (s.weight <= prev) {
        add(
          ['gates', 'canary', 'steps', i, 'weight'],
          `weights must increase step by step: ${prev} then '${s.weight}'`
        )
      }
      prev = Math.max(prev, s.weight)
    })
    const a = canary.analysis
    if (a) {
      const base: Path = ['gates', 'canary', 'analysis']
      checkProbeRefs(config, [...base, 'probes'], a.probes, add, 'sampled')
      checkProbeRefs(config, [...base, 'load'], a.load, add, 'load')
      const known = Object.keys(config.vars)
      for (const track of ['canary', 'baseline'] as const) {
        for (const key of Object.keys(a.tracks?.[track] ?? {})) {
          if (!(key in config.vars)) {
            const near = suggest(key, known)
            add(
              [...base, 'tracks', track, key],
              `track var '${key}' overrides nothing: it is not in vars${near ? ` (did you mean '${near}'?)` : ''}`,
              true
            )
          }
        }
      }
      checkMetrics(
        [...base, 'metrics'],
        a.metrics,
        {
          hasProbes: (a.probes?.length ?? 0) > 0,
          probes: listed(config, a.probes),
          hasBaseline: a.tracks?.baseline !== undefined,
          soak: false
        },
        add
      )
      const bakes = canary.steps.some((s) => s.bake !== undefined)
      if (!bakes && (a.probes?.length || Object.keys(a.metrics ?? {}).length)) {
        add(
          [...base],
          'analysis runs during bakes, but no canary step has a bake'
        )
      }
      if (bakes && a.interval <= 0) {
        add([...base, 'interval'], 'interval must be above 0')
      }
    }
  }
  if (g.soak) {
    checkProbeRefs(
      config,
      ['gates', 'soak', 'probes'],
      g.soak.probes,
      add,
      'sampled'
    )
    checkMetrics(
      ['gates', 'soak', 'metrics'],
      g.soak.metrics,
      {
        hasProbes: (g.soak.probes?.length ?? 0) > 0,
        probes: listed(config, g.soak.probes),
        hasBaseline: false,
        soak: true
      },
      add
    )
    if (!g.soak.tests && !g.soak.probes?.length && !g.soak.metrics) {
      add(['gates', 'soak'], 'soak needs probes or metrics to watch')
    }
  }
  if (config.notify && !config.notify.slack && !config.notify.webhook) {
    add(['notify'], "notify needs 'slack' or 'webhook'")
  }
}

interface MetricContext {
  hasProbes: boolean
  /** The listed probes that exist, by name, with their kind. */
  probes: ListedProbe[]
  hasBaseline: boolean
  soak: boolean
}

const KIND_WORDS = {
  percent: "a rate; compare it with a percentage like '> 5%'",
  duration: "a latency; compare it with a duration like '> 200ms'"
}

function checkMetrics(
  path: Path,
  metrics: Record<string, MetricConfig> | undefined,
  ctx: MetricContext,
  add: Add
): void {
  const builtins = Object.keys(BUILTIN_METRICS)
  for (const [name, m] of Object.entries(metrics ?? {})) {
    const here = [...path, name]
    const sources = sourcesOf(m).length
    const builtin = BUILTIN_METRICS[name as keyof typeof BUILTIN_METRICS]
    if (sources > 1) {
      add(
        here,
        `a metric has one source, not ${sourcesOf(m)
          .map((k) => `'${k}'`)
          .join(' and ')}`
      )
    }
    if (sources === 0 && !builtin) {
      const near = suggest(name, builtins)
      add(
        here,
        near
          ? `unknown built-in metric '${name}' (did you mean '${near}'?)`
          : `metric '${name}' needs a source: ${METRIC_SOURCES.map((k) => `'${k}'`).join(', ')} (built-in metrics are ${builtins.join(', ')})`,
        true
      )
      continue
    }
    if (sources === 0 && !ctx.hasProbes) {
      add(
        here,
        `built-in metric '${name}' is computed from probe samples, but no probes are listed`,
        true
      )
    }
    if (sources === 0) checkMeasuredBy(here, name, ctx.probes, add)
    if (!m.warn && !m.fail) {
      add(here, "a metric needs 'warn' or 'fail'")
    }
    for (const level of ['warn', 'fail'] as const) {
      const list = m[level] ?? []
      list.forEach((c, k) => {
        const at = list.length > 1 ? [...here, level, k] : [...here, level]
        checkCondition(
          at,
          name,
          c,
          sources === 0 ? builtin : undefined,
          ctx,
          add
        )
      })
    }
  }
}

function checkCondition(
  path: Path,
  metric: string,
  c: Condition,
  kind: 'percent' | 'duration' | undefined,
  ctx: MetricContext,
  add: Add
): void {
  if (c.kind === 'growth' && !ctx.soak) {
    add(path, `trend '${c.text}' needs a long window; use it under gates.soak`)
    return
  }
  if (isRelative(c) && !ctx.hasBaseline) {
    add(
      path,
      ctx.soak
        ? `'${c.text}' compares with the baseline, but soak has no baseline track`
        : `'${c.text}' compares with the baseline, but analysis.tracks has no 'baseline' track`
    )
    return
  }
  const got = operandKind(c)
  if (kind && got && got !== kind && c.kind !== 'growth') {
    add(path, `'${metric}' is ${KIND_WORDS[kind]}, got '${c.text}'`)
  }
}

/** Sections whose strings are templates (DESIGN.md §3), `http:` included. */
function isInterpolated(path: Path): boolean {
  const [a, b, c, d] = path
  if (a === 'probes' || a === 'notify' || path.includes('http')) return true
  if (a === 'gates' && b === 'canary' && c === 'analysis' && d === 'metrics')
    return true
  if (a === 'gates' && b === 'soak' && c === 'metrics') return true
  if (a === 'gates' && b === 'preflight' && c === 'require') return true
  if (a === 'gates' && b === 'canary' && c === 'traffic' && d === 'http')
    return true
  return false
}

/** A field of a metric's source, where `${window.*}` has a value. */
function isMetricSource(path: Path): boolean {
  const [a, b, c, d] = path
  const inCanary = a === 'gates' && b === 'canary' && c === 'analysis'
  const depth = inCanary ? 4 : a === 'gates' && b === 'soak' ? 3 : -1
  if (depth < 0 || (inCanary && d !== 'metrics')) return false
  if (!inCanary && c !== 'metrics') return false
  return path.length > depth + 1
}

const COMMAND_KEYS = new Set(['run', 'backup', 'revert'])

function isCommand(path: Path): boolean {
  const last = path[path.length - 1]
  return typeof last === 'string' && COMMAND_KEYS.has(last)
}

function isVarValue(path: Path): boolean {
  return (
    path[0] === 'vars' ||
    (path[0] === 'gates' &&
      path[1] === 'canary' &&
      path[2] === 'analysis' &&
      path[3] === 'tracks')
  )
}

function walkStrings(
  value: unknown,
  path: Path,
  visit: (s: string, p: Path) => void
): void {
  if (typeof value === 'string') visit(value, path)
  else if (Array.isArray(value))
    value.forEach((v, i) => walkStrings(v, [...path, i], visit))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      walkStrings(v, [...path, k], visit)
    }
  }
}

function describeRef(p: Part): string {
  return p.kind === 'text' ? p.text : p.raw
}

function commandHint(refs: Part[]): string {
  const ref = refs[0]
  if (ref.kind === 'builtin') {
    return `use "$${BUILTIN_ENV[ref.name]}" instead`
  }
  if (ref.kind === 'ref' && ref.ns === 'vars') {
    return 'pass it through the step\'s env: and read "$NAME", or use the DEPLOY_GATES_* variables (DEPLOY_GATES_VERSION, DEPLOY_GATES_WEIGHT, ...)'
  }
  return `read "$${ref.kind === 'ref' ? ref.name : ''}" from the environment (map the secret in the step's env:), or use the DEPLOY_GATES_* variables`
}

function checkTemplates(raw: unknown, config: Config, add: Add): void {
  const vars = Object.keys(config.vars)
  walkStrings(raw, [], (s, path) => {
    if (!/\$\{/.test(s)) return
    const parsed = parseTemplate(s)
    if (isCommand(path)) {
      if (!parsed.ok) return // plain shell such as ${HOME:-/root} is fine
      const refs = parsed.parts.filter((p) => p.kind !== 'text')
      if (refs.length > 0) {
        add(
          path,
          `'${describeRef(refs[0])}' is not interpolated in commands (they run as written, so config values can never become shell code); ${commandHint(refs)}`
        )
      }
      return
    }
    if (!parsed.ok) {
      add(path, parsed.error)
      return
    }
    const refs = parsed.parts.filter((p) => p.kind !== 'text')
    if (refs.length === 0) return
    if (isVarValue(path)) {
      const bad = refs.find((p) => p.kind === 'ref' && p.ns === 'vars')
      if (bad)
        add(
          path,
          `vars cannot refer to other vars ('${describeRef(bad)}'); write the value out`
        )
      return
    }
    if (!isInterpolated(path)) {
      add(
        path,
        `'${describeRef(refs[0])}' is not interpolated here; templates work in probes, metrics, webhooks and notify`
      )
      return
    }
    for (const p of refs) {
      if (p.kind === 'ref' && p.ns === 'window' && !isMetricSource(path)) {
        add(
          path,
          `'${p.raw}' only has a value in a metric source (prometheus, http, datadog, newrelic, cloudwatch)`
        )
      }
      if (p.kind === 'ref' && p.ns === 'vars' && !vars.includes(p.name)) {
        const near = suggest(p.name, vars)
        add(
          path,
          `unknown var '${p.name}' in '${p.raw}'${near ? ` (did you mean '${near}'?)` : vars.length ? '' : ' (no vars are defined)'}`
        )
      }
    }
  })
}

/** Every var set a template may be rendered with: the vars, then each track. */
function varSets(config: Config): Record<string, string>[] {
  const tracks = config.gates.canary?.analysis?.tracks ?? {}
  return [
    config.vars,
    ...Object.values(tracks).map((t) => ({ ...config.vars, ...t }))
  ]
}

function checkUrls(config: Config, add: Add): void {
  const sets = varSets(config)
  const url = (path: Path, value: string | undefined, kind: UrlKind): void => {
    if (value === undefined) return
    for (const vars of sets) {
      const why = checkUrl(value, kind, vars)
      if (why) {
        add(path, why)
        return
      }
    }
  }
  const hdrs = (path: Path, h: Record<string, string> | undefined): void => {
    for (const [k, v] of Object.entries(h ?? {})) {
      for (const vars of sets) {
        const why = checkHeaderValue(v, vars)
        if (why) {
          add([...path, k], why)
          break
        }
      }
    }
  }
  for (const [name, p] of Object.entries(config.probes)) {
    const base: Path = ['probes', name]
    if (p.http) {
      url([...base, 'http', 'url'], p.http.url, 'http')
      hdrs([...base, 'http', 'headers'], p.http.headers)
    }
    if (p.websocket) {
      const kind =
        p.websocket.protocol === 'socket.io' ? 'socket.io' : 'websocket'
      url([...base, 'websocket', 'url'], p.websocket.url, kind)
      hdrs([...base, 'websocket', 'headers'], p.websocket.headers)
    }
    if (p.load?.http) {
      url([...base, 'load', 'http', 'url'], p.load.http.url, 'http')
      hdrs([...base, 'load', 'http', 'headers'], p.load.http.headers)
    }
    if (p.load?.websocket) {
      url(
        [...base, 'load', 'websocket', 'url'],
        p.load.websocket.url,
        'websocket'
      )
      hdrs([...base, 'load', 'websocket', 'headers'], p.load.websocket.headers)
    }
  }
  const metricUrls = (
    base: Path,
    metrics: Record<string, MetricConfig> | undefined
  ): void => {
    for (const [name, m] of Object.entries(metrics ?? {})) {
      url([...base, name, 'prometheus', 'url'], m.prometheus?.url, 'http')
      hdrs([...base, name, 'prometheus', 'headers'], m.prometheus?.headers)
      url([...base, name, 'http', 'url'], m.http?.url, 'http')
      hdrs([...base, name, 'http', 'headers'], m.http?.headers)
      url([...base, name, 'datadog', 'url'], m.datadog?.url, 'http')
      url([...base, name, 'newrelic', 'url'], m.newrelic?.url, 'http')
      url([...base, name, 'cloudwatch', 'url'], m.cloudwatch?.url, 'http')
    }
  }
  metricUrls(
    ['gates', 'canary', 'analysis', 'metrics'],
    config.gates.canary?.analysis?.metrics
  )
  metricUrls(['gates', 'soak', 'metrics'], config.gates.soak?.metrics)
  metricUrls(['gates', 'preflight', 'require'], config.gates.preflight?.require)
  const hook = config.gates.canary?.traffic.http
  url(['gates', 'canary', 'traffic', 'http', 'url'], hook?.url, 'http')
  hdrs(['gates', 'canary', 'traffic', 'http', 'headers'], hook?.headers)
  url(['notify', 'slack', 'webhook'], config.notify?.slack?.webhook, 'http')
  url(['notify', 'webhook', 'url'], config.notify?.webhook?.url, 'http')
  hdrs(['notify', 'webhook', 'headers'], config.notify?.webhook?.headers)
}
