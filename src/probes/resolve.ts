/**
 * Turns a probe of the config into the resolved spec a probe engine runs:
 * templates rendered with the values of this moment (version, weight, track),
 * unit strings already parsed, and every default filled in. Secrets met on
 * the way are returned so the caller can mask them before anything prints.
 */
import type { ProbeConfig } from '../config/schema.js'
import { render } from '../config/interpolate.js'
import { checkUrl, type UrlKind } from '../config/urls.js'
import {
  HTTP_DEFAULTS,
  renderHttpRequest,
  RenderError,
  Renderer,
  type RenderOptions
} from '../http/resolve.js'
import { resolveHttpBurst, resolveHttpFlow } from './resolve-http.js'
import type {
  Captured,
  CommandProbeSpec,
  HttpBurstSpec,
  HttpFlowSpec,
  HttpProbeSpec,
  WsProbeSpec,
  WsStep
} from './types.js'
import type { LoadHttpSpec } from './load.js'
import type { LoadWsSpec } from './load-ws.js'
import { ConfigError } from '../kernel/errors.js'

/** Defaults for what the config leaves out; documented in the README. */
export const PROBE_DEFAULTS = {
  http: HTTP_DEFAULTS,
  websocket: {
    connectTimeoutMs: 10_000,
    maxMessageBytes: 1024 * 1024,
    withinMs: 5_000
  },
  command: { timeoutMs: 5 * 60_000 }
} as const

export type ResolvedProbe =
  | {
      ok: true
      spec:
        | HttpProbeSpec
        | HttpFlowSpec
        | HttpBurstSpec
        | WsProbeSpec
        | CommandProbeSpec
      secrets: string[]
    }
  | { ok: false; error: string }

export type ResolveOptions = RenderOptions

class ResolveError extends ConfigError {}

/**
 * Resolves one probe. Load probes are resolved by the load engine's own
 * mapping; this covers the probes that are sampled one request at a time.
 */
export function resolveProbe(
  name: string,
  probe: ProbeConfig,
  opts: ResolveOptions
): ResolvedProbe {
  const r = new Renderer(opts)
  try {
    const http = probe.http
    if (http?.steps) {
      const spec = resolveHttpFlow(name, http, http.steps, opts)
      return { ok: true, spec, secrets: checkFlow(spec) }
    }
    if (http?.url !== undefined) {
      const one = { ...http, url: http.url }
      const spec: HttpProbeSpec | HttpBurstSpec = http.burst
        ? resolveHttpBurst(name, one, http.burst, r)
        : { kind: 'http', name, ...renderHttpRequest(one, r) }
      return { ok: true, spec, secrets: r.secrets }
    }
    if (probe.websocket) {
      const w = probe.websocket
      const d = PROBE_DEFAULTS.websocket
      const kind: UrlKind =
        w.protocol === 'socket.io' ? 'socket.io' : 'websocket'
      const steps: WsStep[] = w.steps.map((s, i) =>
        wsStep(
          s,
          i,
          (v, what) => r.deep(v, what),
          (t, what) => r.str(t, what),
          d.withinMs
        )
      )
      const spec: WsProbeSpec = {
        kind: 'websocket',
        name,
        url: r.url(w.url, kind),
        protocol: w.protocol,
        headers: r.headers(w.headers),
        subprotocols: w.subprotocols ?? [],
        connectTimeoutMs: w.timeout ?? d.connectTimeoutMs,
        maxMessageBytes: w['max-message'] ?? d.maxMessageBytes,
        tls: r.tls(w.tls),
        steps,
        ...(w['push-latency'] ? { pushLatency: w['push-latency'] } : {})
      }
      return { ok: true, spec, secrets: r.secrets }
    }
    if (probe.command) {
      const spec: CommandProbeSpec = {
        kind: 'command',
        name,
        run: probe.command.run,
        timeoutMs: probe.command.timeout ?? PROBE_DEFAULTS.command.timeoutMs,
        exitCode: probe.command['exit-code']
      }
      return { ok: true, spec, secrets: [] }
    }
    return {
      ok: false,
      error: `probe '${name}' is a load probe; it runs through the load engine`
    }
  } catch (e) {
    if (e instanceof RenderError) {
      return { ok: false, error: `probe '${name}' ${e.message}` }
    }
    throw e
  }
}

/**
 * Renders every step once with stand-ins for the captures, so that a secret
 * that is not set fails the probe before its first request changes anything,
 * and every secret a step reads is masked before the probe runs.
 */
function checkFlow(spec: HttpFlowSpec): string[] {
  const stand: Captured = {}
  const secrets: string[] = []
  for (const step of spec.steps) {
    try {
      secrets.push(...step.build(stand).secrets)
    } catch (e) {
      if (e instanceof RenderError) {
        throw new RenderError(`${step.label}: ${e.message}`)
      }
      throw e
    }
    for (const c of step.captures) stand[c.name] = { value: 'x', secret: false }
  }
  return unique(secrets)
}

type WsStepConfig = NonNullable<ProbeConfig['websocket']>['steps'][number]

function wsStep(
  s: WsStepConfig,
  i: number,
  deep: (v: unknown, what: string) => unknown,
  str: (t: string, what: string) => string,
  withinMs: number
): WsStep {
  const where = `steps[${i}]`
  if (s.send) {
    return 'json' in s.send
      ? { kind: 'send', json: deep(s.send.json, `${where}.send`) }
      : { kind: 'send', text: str(s.send.text, `${where}.send`) }
  }
  if (s.emit) {
    return {
      kind: 'emit',
      event: str(s.emit.event, `${where}.emit.event`),
      ...(s.emit.data !== undefined
        ? { data: deep(s.emit.data, `${where}.emit`) }
        : {})
    }
  }
  if (s.receive) {
    const { within, json, data, regex, event } = s.receive
    return {
      kind: 'receive',
      withinMs: within ?? withinMs,
      ...(json !== undefined ? { json: deep(json, `${where}.receive`) } : {}),
      ...(data !== undefined ? { data: deep(data, `${where}.receive`) } : {}),
      ...(regex !== undefined ? { regex } : {}),
      ...(event !== undefined
        ? { event: str(event, `${where}.receive.event`) }
        : {})
    }
  }
  if (s.silence) {
    const sil: {
      for: number
      json?: unknown
      regex?: string
      event?: string
      data?: unknown
    } = s.silence
    return {
      kind: 'silence',
      forMs: sil.for,
      ...(sil.json !== undefined
        ? { json: deep(sil.json, `${where}.silence`) }
        : {}),
      ...(sil.data !== undefined
        ? { data: deep(sil.data, `${where}.silence`) }
        : {}),
      ...(sil.regex !== undefined ? { regex: sil.regex } : {}),
      ...(sil.event !== undefined
        ? { event: str(sil.event, `${where}.silence.event`) }
        : {})
    }
  }
  if (s.ping !== undefined) {
    return { kind: 'ping', withinMs: s.ping?.within ?? withinMs }
  }
  const close = s.close
  return close && typeof close === 'object'
    ? {
        kind: 'close',
        ...(close.code !== undefined ? { code: close.code } : {}),
        ...(close.reason !== undefined ? { reason: close.reason } : {})
      }
    : { kind: 'close' }
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)]
}

/** Defaults of load probes. */
export const LOAD_DEFAULTS = {
  maxInFlight: 256,
  timeoutMs: 10_000,
  rampMs: 0
} as const

export type ResolvedLoad =
  | { ok: true; spec: LoadHttpSpec | LoadWsSpec; secrets: string[] }
  | { ok: false; error: string }

/** Resolves a load probe (HTTP at a fixed rate, or WebSocket connections). */
export function resolveLoad(
  name: string,
  probe: ProbeConfig,
  opts: ResolveOptions
): ResolvedLoad {
  const load = probe.load
  if (!load) return { ok: false, error: `probe '${name}' is not a load probe` }
  const secrets: string[] = []
  const str = (t: string, what: string): string => {
    const r = render(t, opts.values)
    if (!r.ok) throw new ResolveError(`probe '${name}' ${what}: ${r.error}`)
    secrets.push(...r.secrets)
    return r.value
  }
  const headers = (
    h: Record<string, string> | undefined
  ): Record<string, string> =>
    Object.fromEntries(
      Object.entries(h ?? {}).map(([k, v]) => [k, str(v, `header '${k}'`)])
    )
  const url = (t: string, kind: UrlKind): string => {
    const v = str(t, 'url')
    const why = checkUrl(v, kind, {}, { allowUserinfo: true })
    if (why) throw new ResolveError(`probe '${name}' url: ${why}`)
    return v
  }
  try {
    if (load.http) {
      const h = load.http
      const spec: LoadHttpSpec = {
        kind: 'load-http',
        name,
        url: url(h.url, 'http'),
        method: h.method,
        headers: headers(h.headers),
        ...(h.body !== undefined ? { body: str(h.body, 'body') } : {}),
        rate: h.rate,
        durationMs: h.duration,
        maxInFlight: h['max-in-flight'] ?? LOAD_DEFAULTS.maxInFlight,
        timeoutMs: h.timeout ?? LOAD_DEFAULTS.timeoutMs,
        ...(h.tls !== undefined ? { tls: loadTls(name, h.tls, opts) } : {})
      }
      return { ok: true, spec, secrets: unique(secrets) }
    }
    if (load.websocket) {
      const w = load.websocket
      const message =
        w.message === undefined
          ? undefined
          : typeof w.message === 'string'
            ? str(w.message, 'message')
            : JSON.stringify(w.message.json)
      const spec: LoadWsSpec = {
        kind: 'load-ws',
        name,
        url: url(w.url, 'websocket'),
        headers: headers(w.headers),
        connections: w.connections,
        durationMs: w.duration,
        rampMs: w.ramp ?? LOAD_DEFAULTS.rampMs,
        ...(message !== undefined ? { message } : {}),
        ...(w.interval !== undefined ? { intervalMs: w.interval } : {}),
        ...(w.tls !== undefined ? { tls: loadTls(name, w.tls, opts) } : {}),
        ...(w['push-latency'] ? { pushLatency: w['push-latency'] } : {})
      }
      return { ok: true, spec, secrets: unique(secrets) }
    }
    return {
      ok: false,
      error: `probe '${name}' needs load.http or load.websocket`
    }
  } catch (e) {
    if (e instanceof ResolveError) return { ok: false, error: e.message }
    throw e
  }
}

/**
 * A load probe's `tls:` as its connections use it, the CA file read now.
 * Why it matters: without it, load against a private CA connects 0 of N.
 * `min-days-valid` is an HTTP probe check and has no meaning under load.
 */
/** A load probe's TLS settings, read as the HTTP client reads a request's. */
function loadTls(
  name: string,
  t: Parameters<Renderer['tls']>[0],
  opts: ResolveOptions
): ReturnType<Renderer['tls']> {
  try {
    return new Renderer(opts).tls(t)
  } catch (e) {
    if (e instanceof RenderError) {
      throw new ResolveError(`probe '${name}' ${e.message}`)
    }
    throw e
  }
}
