/**
 * Turns a probe of the config into the resolved spec a probe engine runs:
 * templates rendered with the values of this moment (version, weight, track),
 * unit strings already parsed, and every default filled in. Secrets met on
 * the way are returned so the caller can mask them before anything prints.
 */
import type { ProbeConfig } from '../config/schema.js'
import { render, renderDeep, type RenderValues } from '../config/interpolate.js'
import { checkUrl, type UrlKind } from '../config/urls.js'
import type {
  CommandProbeSpec,
  HttpExpect,
  HttpProbeSpec,
  TlsSpec,
  WsProbeSpec,
  WsStep
} from './types.js'
import type { LoadHttpSpec } from './load.js'
import type { LoadWsSpec } from './load-ws.js'

/** Defaults for what the config leaves out; documented in the README. */
export const PROBE_DEFAULTS = {
  http: {
    connectMs: 5_000,
    headersMs: 10_000,
    bodyMs: 10_000,
    totalMs: 30_000,
    maxBodyBytes: 1024 * 1024,
    backoffMs: 500,
    maxBackoffMs: 10_000
  },
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
      spec: HttpProbeSpec | WsProbeSpec | CommandProbeSpec
      secrets: string[]
    }
  | { ok: false; error: string }

export interface ResolveOptions {
  values: RenderValues
  /** Reads a CA file named by `tls.ca` (relative to the workspace). */
  readFile: (path: string) => string
}

class ResolveError extends Error {}

type TlsConfig = NonNullable<NonNullable<ProbeConfig['http']>['tls']>

/**
 * Resolves one probe. Load probes are resolved by the load engine's own
 * mapping; this covers the probes that are sampled one request at a time.
 */
export function resolveProbe(
  name: string,
  probe: ProbeConfig,
  opts: ResolveOptions
): ResolvedProbe {
  const secrets: string[] = []
  const str = (template: string, what: string): string => {
    const r = render(template, opts.values)
    if (!r.ok) throw new ResolveError(`probe '${name}' ${what}: ${r.error}`)
    secrets.push(...r.secrets)
    return r.value
  }
  const deep = (value: unknown, what: string): unknown => {
    const r = renderDeep(value, opts.values)
    if (!r.ok) throw new ResolveError(`probe '${name}' ${what}: ${r.error}`)
    secrets.push(...r.secrets)
    return r.value
  }
  const url = (template: string, kind: UrlKind): string => {
    const value = str(template, 'url')
    const why = checkUrl(value, kind, {}, { allowUserinfo: true })
    if (why) throw new ResolveError(`probe '${name}' url: ${why}`)
    return value
  }
  const headers = (
    h: Record<string, string> | undefined
  ): Record<string, string> => {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(h ?? {})) {
      const value = str(v, `header '${k}'`)
      if (/[\r\n\0]/.test(value)) {
        throw new ResolveError(
          `probe '${name}' header '${k}': value contains a line break`
        )
      }
      out[k] = value
    }
    return out
  }
  const tls = (t: TlsConfig | undefined): TlsSpec => {
    const spec: TlsSpec = { insecure: t?.insecure ?? false }
    if (t?.ca) {
      try {
        spec.ca = opts.readFile(t.ca)
      } catch (e) {
        throw new ResolveError(
          `probe '${name}' tls.ca: cannot read '${t.ca}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`
        )
      }
    }
    if (t?.['min-version']) spec.minVersion = t['min-version']
    if (t?.['min-days-valid'] !== undefined)
      spec.minDaysValid = t['min-days-valid']
    return spec
  }
  try {
    if (probe.http) {
      const h = probe.http
      const d = PROBE_DEFAULTS.http
      const t: {
        connect?: number
        headers?: number
        body?: number
        total?: number
      } = h.timeout ?? {}
      const total = t.total ?? d.totalMs
      const reqHeaders = headers(h.headers)
      let body: string | undefined
      if (h.json !== undefined) {
        body = JSON.stringify(deep(h.json, 'json'))
        if (
          !Object.keys(reqHeaders).some(
            (k) => k.toLowerCase() === 'content-type'
          )
        ) {
          reqHeaders['content-type'] = 'application/json'
        }
      } else if (h.body !== undefined) {
        body = str(h.body, 'body')
      }
      const retries = h.retries
      const e = h.expect
      const expect: HttpExpect = {}
      if (e?.status) expect.status = e.status
      if (e?.headers) {
        expect.headers = Object.fromEntries(
          Object.entries(e.headers).map(([k, v]) => [
            k,
            typeof v === 'string'
              ? { equals: str(v, `expect.headers.${k}`) }
              : v
          ])
        )
      }
      if (e?.json !== undefined) expect.json = deep(e.json, 'expect.json')
      if (e?.paths) {
        expect.paths = Object.entries(e.paths).map(([path, a]) => ({
          path,
          ...a,
          ...(a.equals !== undefined
            ? { equals: deep(a.equals, `expect.paths.${path}`) }
            : {})
        }))
      }
      if (e?.body) {
        expect.body = {
          contains: e.body.contains?.map((s) => str(s, 'expect.body.contains')),
          notContains: e.body['not-contains']?.map((s) =>
            str(s, 'expect.body.not-contains')
          ),
          regex: e.body.regex
        }
      }
      if (e?.latency) expect.latency = e.latency
      const spec: HttpProbeSpec = {
        kind: 'http',
        name,
        url: url(h.url, 'http'),
        method: h.method,
        headers: reqHeaders,
        ...(body !== undefined ? { body } : {}),
        timeouts: {
          connectMs: Math.min(t.connect ?? d.connectMs, total),
          headersMs: Math.min(t.headers ?? d.headersMs, total),
          bodyMs: Math.min(t.body ?? d.bodyMs, total),
          totalMs: total
        },
        follow: h.follow,
        allowHosts: h['allow-hosts'] ?? [],
        tls: tls(h.tls),
        retry: {
          attempts: retries?.attempts ?? 1,
          backoffMs:
            (retries && 'backoff' in retries ? retries.backoff : undefined) ??
            d.backoffMs,
          maxBackoffMs:
            (retries && 'max-backoff' in retries
              ? retries['max-backoff']
              : undefined) ?? d.maxBackoffMs
        },
        expect,
        maxBodyBytes: h['max-body'] ?? d.maxBodyBytes
      }
      return { ok: true, spec, secrets: unique(secrets) }
    }
    if (probe.websocket) {
      const w = probe.websocket
      const d = PROBE_DEFAULTS.websocket
      const kind: UrlKind =
        w.protocol === 'socket.io' ? 'socket.io' : 'websocket'
      const steps: WsStep[] = w.steps.map((s, i) =>
        wsStep(s, i, deep, str, d.withinMs)
      )
      const spec: WsProbeSpec = {
        kind: 'websocket',
        name,
        url: url(w.url, kind),
        protocol: w.protocol,
        headers: headers(w.headers),
        subprotocols: w.subprotocols ?? [],
        connectTimeoutMs: w.timeout ?? d.connectTimeoutMs,
        maxMessageBytes: w['max-message'] ?? d.maxMessageBytes,
        tls: tls(w.tls),
        steps
      }
      return { ok: true, spec, secrets: unique(secrets) }
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
    if (e instanceof ResolveError) return { ok: false, error: e.message }
    throw e
  }
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
        ...(w.tls !== undefined ? { tls: loadTls(name, w.tls, opts) } : {})
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
function loadTls(name: string, t: TlsConfig, opts: ResolveOptions): TlsSpec {
  const spec: TlsSpec = { insecure: t.insecure ?? false }
  if (t.ca) {
    try {
      spec.ca = opts.readFile(t.ca)
    } catch (e) {
      throw new ResolveError(
        `probe '${name}' tls.ca: cannot read '${t.ca}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`
      )
    }
  }
  if (t['min-version']) spec.minVersion = t['min-version']
  return spec
}
