/**
 * Turns a metric's source config into the spec its reader takes: every
 * template rendered for this track and window, defaults filled in, and
 * each credential listed so the caller can mask it before anything runs.
 */
import type { MetricConfig } from '../config/schema.js'
import type { WindowName } from '../config/interpolate.js'
import { datadogBaseUrl } from '../metrics/datadog.js'
import { NEWRELIC_URLS } from '../metrics/newrelic.js'
import type { MetricSpec } from '../metrics/types.js'

export type { MetricSpec }

export const METRIC_TIMEOUT_MS = 10_000
/** The shortest default window: most backends aggregate per minute. */
export const MIN_DEFAULT_WINDOW_MS = 60_000

/** The range a source reads, ending now. */
export interface MetricWindow {
  startMs: number
  endMs: number
}

/** `${window.*}` values: ISO 8601 and Unix seconds. */
export function windowValues(w: MetricWindow): Record<WindowName, string> {
  return {
    start: new Date(w.startMs).toISOString(),
    end: new Date(w.endMs).toISOString(),
    start_epoch: String(Math.floor(w.startMs / 1000)),
    end_epoch: String(Math.floor(w.endMs / 1000))
  }
}

/**
 * The window of a source: its own `window`, else the look interval, never
 * under a minute (a shorter range usually holds no point at all).
 */
export function metricWindow(
  metric: MetricConfig,
  lookMs: number,
  nowMs: number
): MetricWindow {
  const own =
    metric.prometheus?.window ??
    metric.http?.window ??
    metric.datadog?.window ??
    metric.newrelic?.window ??
    metric.cloudwatch?.window
  const ms = own ?? Math.max(lookMs, MIN_DEFAULT_WINDOW_MS)
  return { startMs: nowMs - ms, endMs: nowMs }
}

export interface SpecTools {
  /** Renders one template; throws with the reason on a bad reference. */
  str: (template: string) => string
  /** Renders every string inside a JSON-like value. */
  deep: (value: unknown) => unknown
  env: Readonly<Record<string, string | undefined>>
  window: MetricWindow
}

/**
 * The spec and the credentials in it (masked by the caller even when the
 * config wrote them out rather than as `${secrets.X}`). Throws with a
 * one-line reason when the source cannot be built.
 */
export function metricSpec(
  metric: MetricConfig,
  t: SpecTools
): { spec: MetricSpec; secrets: string[] } | undefined {
  const { str } = t
  const headers = (
    h: Record<string, string> | undefined
  ): Record<string, string> =>
    Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, str(v)]))
  if (metric.prometheus) {
    const p = metric.prometheus
    return {
      spec: {
        kind: 'prometheus',
        url: str(p.url),
        query: str(p.query),
        headers: headers(p.headers),
        timeoutMs: p.timeout ?? METRIC_TIMEOUT_MS
      },
      secrets: []
    }
  }
  if (metric.http) {
    const h = metric.http
    const hdrs = headers(h.headers)
    let body: string | undefined
    if (typeof h.body === 'string') body = str(h.body)
    else if (h.body !== undefined) {
      body = JSON.stringify(t.deep(h.body))
      const typed = Object.keys(hdrs).some(
        (k) => k.toLowerCase() === 'content-type'
      )
      if (!typed) hdrs['content-type'] = 'application/json'
    }
    return {
      spec: {
        kind: 'http-json',
        url: str(h.url),
        path: h.path,
        method: h.method,
        headers: hdrs,
        ...(body === undefined ? {} : { body }),
        timeoutMs: h.timeout ?? METRIC_TIMEOUT_MS
      },
      secrets: []
    }
  }
  if (metric.datadog) return datadog(metric.datadog, t)
  if (metric.newrelic) return newrelic(metric.newrelic, t)
  if (metric.cloudwatch) return cloudwatch(metric.cloudwatch, t)
  return undefined
}

function datadog(
  d: NonNullable<MetricConfig['datadog']>,
  { str, window }: SpecTools
): { spec: MetricSpec; secrets: string[] } {
  const apiKey = str(d['api-key'])
  const appKey = str(d['app-key'])
  return {
    spec: {
      kind: 'datadog',
      url:
        d.url !== undefined
          ? str(d.url)
          : datadogBaseUrl(str(d.site ?? 'datadoghq.com')),
      query: str(d.query),
      apiKey,
      appKey,
      from: Math.floor(window.startMs / 1000),
      to: Math.floor(window.endMs / 1000),
      timeoutMs: d.timeout ?? METRIC_TIMEOUT_MS
    },
    secrets: [apiKey, appKey]
  }
}

function newrelic(
  n: NonNullable<MetricConfig['newrelic']>,
  { str }: SpecTools
): { spec: MetricSpec; secrets: string[] } {
  const apiKey = str(n['api-key'])
  return {
    spec: {
      kind: 'newrelic',
      url: n.url !== undefined ? str(n.url) : NEWRELIC_URLS[n.region],
      account: n.account,
      nrql: str(n.nrql),
      apiKey,
      ...(n.field === undefined ? {} : { field: n.field }),
      timeoutMs: n.timeout ?? METRIC_TIMEOUT_MS
    },
    secrets: [apiKey]
  }
}

function cloudwatch(
  c: NonNullable<MetricConfig['cloudwatch']>,
  { str, env, window }: SpecTools
): { spec: MetricSpec; secrets: string[] } {
  const accessKeyId = env.AWS_ACCESS_KEY_ID ?? ''
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? ''
  const sessionToken = env.AWS_SESSION_TOKEN
  if (accessKeyId === '' || secretAccessKey === '') {
    throw new Error(
      'cloudwatch: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (aws-actions/configure-aws-credentials sets them)'
    )
  }
  const region =
    c.region !== undefined
      ? str(c.region)
      : (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '')
  if (region === '') {
    throw new Error("cloudwatch: no region: set 'region' or AWS_REGION")
  }
  const dimensions = Object.fromEntries(
    Object.entries(c.dimensions ?? {}).map(([k, v]) => [k, str(v)])
  )
  const session = sessionToken !== undefined && sessionToken !== ''
  return {
    spec: {
      kind: 'cloudwatch',
      region,
      ...(c.url === undefined ? {} : { url: str(c.url) }),
      namespace: str(c.namespace),
      metric: str(c.metric),
      dimensions,
      stat: c.stat,
      periodSeconds: Math.max(1, Math.round(c.period / 1000)),
      start: window.startMs,
      end: window.endMs,
      credentials: {
        accessKeyId,
        secretAccessKey,
        ...(session ? { sessionToken } : {})
      },
      timeoutMs: c.timeout ?? METRIC_TIMEOUT_MS
    },
    secrets: [accessKeyId, secretAccessKey, ...(session ? [sessionToken] : [])]
  }
}
