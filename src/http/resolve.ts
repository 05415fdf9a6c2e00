/**
 * Turns an `http:` request of the config (a probe, the traffic webhook, a
 * notification) into the exchange the client sends: templates rendered with
 * the values of this moment, unit strings already parsed, defaults filled
 * in, and the secrets met on the way collected for masking.
 */
import type { HttpRequestConfig } from '../config/schema.js'
import { render, renderDeep, type RenderValues } from '../config/interpolate.js'
import { checkUrl, type UrlKind } from '../config/urls.js'
import type { HttpExchangeSpec, HttpExpect, TlsSpec } from './types.js'
import { ConfigError } from '../kernel/errors.js'

/** Defaults for what a request leaves out; documented in the README. */
export const HTTP_DEFAULTS = {
  connectMs: 5_000,
  headersMs: 10_000,
  bodyMs: 10_000,
  totalMs: 30_000,
  maxBodyBytes: 1024 * 1024,
  backoffMs: 500,
  maxBackoffMs: 10_000
} as const

export interface RenderOptions {
  values: RenderValues
  /** Reads a CA file named by `tls.ca` (relative to the workspace). */
  readFile: (path: string) => string
}

/** A template that cannot be rendered; the message names the field. */
export class RenderError extends ConfigError {}

type TlsConfig = NonNullable<HttpRequestConfig['tls']>

/**
 * Renders the fields of one request config, collecting every secret it
 * reads. Each method throws a RenderError whose message starts with the
 * field (`url: ...`, `header 'X': ...`), for the caller to prefix.
 */
export class Renderer {
  private readonly found: string[] = []
  /** Headers whose value holds a secret, for redirects to drop. */
  readonly secretHeaders: string[] = []

  constructor(private readonly opts: RenderOptions) {}

  /** The secrets read so far, each once. */
  get secrets(): string[] {
    return [...new Set(this.found)]
  }

  str(template: string, what: string): string {
    const r = render(template, this.opts.values)
    if (!r.ok) throw new RenderError(`${what}: ${r.error}`)
    this.found.push(...r.secrets)
    return r.value
  }

  deep(value: unknown, what: string): unknown {
    const r = renderDeep(value, this.opts.values)
    if (!r.ok) throw new RenderError(`${what}: ${r.error}`)
    this.found.push(...r.secrets)
    return r.value
  }

  url(template: string, kind: UrlKind): string {
    const value = this.str(template, 'url')
    const why = checkUrl(value, kind, {}, { allowUserinfo: true })
    if (why) throw new RenderError(`url: ${why}`)
    return value
  }

  headers(h: Record<string, string> | undefined): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(h ?? {})) {
      const before = this.found.length
      const value = this.str(v, `header '${k}'`)
      if (this.found.length > before) this.secretHeaders.push(k)
      if (/[\r\n\0]/.test(value)) {
        throw new RenderError(`header '${k}': value contains a line break`)
      }
      out[k] = value
    }
    return out
  }

  tls(t: TlsConfig | undefined): TlsSpec {
    const spec: TlsSpec = { insecure: t?.insecure ?? false }
    if (t?.ca) {
      try {
        spec.ca = this.opts.readFile(t.ca)
      } catch (e) {
        throw new RenderError(
          `tls.ca: cannot read '${t.ca}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`
        )
      }
    }
    if (t?.['min-version']) spec.minVersion = t['min-version']
    if (t?.['min-days-valid'] !== undefined)
      spec.minDaysValid = t['min-days-valid']
    return spec
  }
}

function renderExpect(e: HttpRequestConfig['expect'], r: Renderer): HttpExpect {
  const expect: HttpExpect = {}
  if (e?.status) expect.status = e.status
  if (e?.headers) {
    expect.headers = Object.fromEntries(
      Object.entries(e.headers).map(([k, v]) => [
        k,
        typeof v === 'string' ? { equals: r.str(v, `expect.headers.${k}`) } : v
      ])
    )
  }
  if (e?.json !== undefined) expect.json = r.deep(e.json, 'expect.json')
  if (e?.paths) {
    expect.paths = Object.entries(e.paths).map(([path, a]) => ({
      path,
      ...a,
      ...(a.equals !== undefined
        ? { equals: r.deep(a.equals, `expect.paths.${path}`) }
        : {})
    }))
  }
  if (e?.body) {
    expect.body = {
      contains: e.body.contains?.map((s) => r.str(s, 'expect.body.contains')),
      notContains: e.body['not-contains']?.map((s) =>
        r.str(s, 'expect.body.not-contains')
      ),
      regex: e.body.regex
    }
  }
  if (e?.latency) expect.latency = e.latency
  return expect
}

/** Renders one request config; throws a RenderError naming the field. */
export function renderHttpRequest(
  h: HttpRequestConfig,
  r: Renderer
): HttpExchangeSpec {
  const d = HTTP_DEFAULTS
  const t: {
    connect?: number
    headers?: number
    body?: number
    total?: number
  } = h.timeout ?? {}
  const total = t.total ?? d.totalMs
  const headers = r.headers(h.headers)
  let body: string | undefined
  if (h.json !== undefined) {
    body = JSON.stringify(r.deep(h.json, 'json'))
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json'
    }
  } else if (h.body !== undefined) {
    body = r.str(h.body, 'body')
  }
  const retries = h.retries
  const expect = renderExpect(h.expect, r)
  return {
    url: r.url(h.url, 'http'),
    method: h.method,
    headers,
    ...(body !== undefined ? { body } : {}),
    timeouts: {
      connectMs: Math.min(t.connect ?? d.connectMs, total),
      headersMs: Math.min(t.headers ?? d.headersMs, total),
      bodyMs: Math.min(t.body ?? d.bodyMs, total),
      totalMs: total
    },
    follow: h.follow,
    allowHosts: h['allow-hosts'] ?? [],
    ...(r.secretHeaders.length ? { secretHeaders: [...r.secretHeaders] } : {}),
    tls: r.tls(h.tls),
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
}

export type ResolvedRequest =
  | { ok: true; spec: HttpExchangeSpec; secrets: string[] }
  | { ok: false; error: string }

/**
 * Renders a request config at send time, for callers that are not probes:
 * the error names the field (`header 'X': secret 'Y' is not set`), and the
 * caller says whose request it was.
 */
export function resolveHttpRequest(
  h: HttpRequestConfig,
  opts: RenderOptions
): ResolvedRequest {
  const r = new Renderer(opts)
  try {
    const spec = renderHttpRequest(h, r)
    return { ok: true, spec, secrets: r.secrets }
  } catch (e) {
    if (e instanceof RenderError) return { ok: false, error: e.message }
    throw e
  }
}
