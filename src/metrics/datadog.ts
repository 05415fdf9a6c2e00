/**
 * The Datadog metric source: one metrics query (`GET /api/v1/query`) over
 * the look's window, whose answer must be exactly one series. The value is
 * its last non-null point, the newest number Datadog has; no series is
 * no-data (the tags matched nothing yet), several are an error asking for
 * an aggregation, and Datadog's own error text is passed through.
 */
import { displayUrl } from '../http/scrub.js'
import {
  hostPortOf,
  httpBaseUrl,
  httpSend,
  reasonScrubber,
  type HttpAnswer
} from '../http/send.js'
import { parseJson, quote, stamp, type Scrub } from './http-json.js'
import {
  errorText,
  isRecord,
  pointTime,
  providerHttpError,
  providerMalformed,
  shortQuery,
  tagged
} from './provider.js'
import type { DatadogSourceSpec, MetricSourceOptions } from './types.js'
import { systemClock } from '../kernel/clock.js'
import type { MetricReading, Unstamped } from '../kernel/reading.js'

/** The API host of a Datadog site (`datadoghq.eu` → `https://api.datadoghq.eu`). */
export function datadogBaseUrl(site: string): string {
  return `https://api.${site.replace(/^api\./, '')}`
}

/**
 * Reads one Datadog metric. The keys travel only in the `DD-API-KEY` and
 * `DD-APPLICATION-KEY` headers and are masked in every reason, as is
 * anything Datadog echoes back.
 */
export async function queryDatadog(
  spec: DatadogSourceSpec,
  opts: MetricSourceOptions = {}
): Promise<MetricReading> {
  const clock = opts.clock ?? systemClock
  const headers = {
    'DD-API-KEY': spec.apiKey,
    'DD-APPLICATION-KEY': spec.appKey
  }
  const scrub = reasonScrubber(spec.url, headers, opts)
  const reading = await read(spec, headers, opts, scrub)
  return stamp(reading, scrub, clock)
}

/** `{url}/api/v1/query?from=&to=&query=`, keeping a proxy's path prefix. */
export function datadogQueryUrl(spec: DatadogSourceSpec): string | undefined {
  const u = httpBaseUrl(spec.url, '/api/v1/query')
  if (u === undefined) return undefined
  u.searchParams.set('from', String(Math.floor(spec.from)))
  u.searchParams.set('to', String(Math.floor(spec.to)))
  u.searchParams.set('query', spec.query)
  return u.toString()
}

async function read(
  spec: DatadogSourceSpec,
  headers: Record<string, string>,
  opts: MetricSourceOptions,
  scrub: Scrub
): Promise<Unstamped> {
  if (spec.query.trim() === '') {
    return { kind: 'error', reason: 'datadog: empty query' }
  }
  const url = datadogQueryUrl(spec)
  if (url === undefined) {
    return {
      kind: 'error',
      reason: `datadog: invalid url '${displayUrl(spec.url)}' (use e.g. https://api.datadoghq.com)`
    }
  }
  const fetched = await httpSend(
    { url, method: 'GET', headers },
    spec.timeoutMs,
    opts
  )
  if (!fetched.ok) return tagged('datadog', fetched.reading)
  return interpretDatadog(
    fetched.answer,
    hostPortOf(spec.url),
    spec.query,
    scrub
  )
}

/**
 * Reduces a `/api/v1/query` answer to a reading. Datadog reports a bad
 * query either as a 400 with `errors` or as a 200 with `status: error`;
 * both are errors with its text, never an empty series.
 */
export function interpretDatadog(
  answer: HttpAnswer,
  target: string,
  query: string,
  scrub: Scrub = (s) => s
): Unstamped {
  const success = answer.status >= 200 && answer.status <= 299
  const doc = parseJson(answer.body)
  if (!success) {
    const said = doc.ok && isRecord(doc.value) ? doc.value : {}
    const text = errorText(said.errors) ?? errorText(said.error)
    return providerHttpError(
      'datadog',
      answer,
      target,
      text,
      scrub,
      'api-key and app-key'
    )
  }
  if (!doc.ok) {
    return providerMalformed(
      'datadog',
      answer,
      target,
      `not JSON ('${quote(answer.body, scrub, 60)}')`
    )
  }
  const body = doc.value
  if (!isRecord(body)) {
    return providerMalformed('datadog', answer, target, 'not an object')
  }
  if (body.status === 'error' || body.errors !== undefined) {
    const text = errorText(body.error) ?? errorText(body.errors) ?? 'error'
    return {
      kind: 'error',
      reason: `datadog: query rejected: '${quote(text, scrub, 200)}'`,
      status: answer.status
    }
  }
  const { series } = body
  if (!Array.isArray(series)) {
    return providerMalformed('datadog', answer, target, "no 'series' list")
  }
  const q = shortQuery(query, scrub)
  if (series.length === 0) {
    return { kind: 'no-data', reason: `datadog: no series for '${q}'` }
  }
  if (series.length > 1) {
    const scopes = series
      .map((s) => (isRecord(s) && typeof s.scope === 'string' ? s.scope : ''))
      .filter((s) => s !== '')
      .slice(0, 3)
      .map((s) => `'${quote(s, scrub, 40)}'`)
    const by = scopes.length === 0 ? '' : ` (${scopes.join(', ')}…)`
    return {
      kind: 'error',
      reason: `datadog: query returned ${series.length} series${by}; aggregate it to one (avg:metric{tags} without 'by {…}')`,
      status: answer.status
    }
  }
  return lastPoint(series[0], answer, target, q)
}

function lastPoint(
  one: unknown,
  answer: HttpAnswer,
  target: string,
  q: string
): Unstamped {
  if (!isRecord(one) || !Array.isArray(one.pointlist)) {
    return providerMalformed(
      'datadog',
      answer,
      target,
      "series has no 'pointlist'"
    )
  }
  for (let i = one.pointlist.length - 1; i >= 0; i--) {
    const point: unknown = one.pointlist[i]
    if (!Array.isArray(point) || point.length < 2) {
      return providerMalformed(
        'datadog',
        answer,
        target,
        'point is not [time, value]'
      )
    }
    const [time, value] = point as unknown[]
    if (value === null) continue
    if (typeof value !== 'number' || typeof time !== 'number') {
      return providerMalformed(
        'datadog',
        answer,
        target,
        'point is not [time, value]'
      )
    }
    if (!Number.isFinite(value)) continue
    return {
      kind: 'value',
      value,
      note: `datadog: ${q}, last point ${pointTime(time)}`
    }
  }
  return {
    kind: 'no-data',
    reason: `datadog: '${q}' has no non-null point in the window`
  }
}
