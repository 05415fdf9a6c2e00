/**
 * The Prometheus metric source: one instant query per track and look, whose
 * answer must reduce to exactly one number. Anything else is said plainly:
 * an empty vector is no-data (the series does not exist yet, or the
 * `${track}` label matched nothing), several series are an error asking for
 * an aggregation, and Prometheus' own error text is passed through.
 */
import { displayUrl } from '../http/scrub.js'
import {
  hostPortOf,
  httpBaseUrl,
  reasonScrubber,
  type HttpAnswer
} from '../http/send.js'
import {
  httpGet,
  quote,
  parseJson,
  parseNumberText,
  stamp,
  statusError,
  type Scrub
} from './http-json.js'
import type { MetricSourceOptions, PrometheusSourceSpec } from './types.js'
import { systemClock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import type { MetricReading, Unstamped } from '../kernel/reading.js'

/**
 * Runs an instant query (`GET {url}/api/v1/query`) and reduces it to one
 * reading. A wrong answer must never look like a good number, so every
 * shape other than a scalar or a one-sample vector is an error or no-data,
 * with a reason that tells the user how to fix the query.
 */
export async function queryPrometheus(
  spec: PrometheusSourceSpec,
  opts: MetricSourceOptions = {}
): Promise<MetricReading> {
  const clock = opts.clock ?? systemClock
  const scrub = reasonScrubber(spec.url, spec.headers, opts)
  const reading = await query(spec, opts, scrub)
  return stamp(reading, scrub, clock)
}

/**
 * `url` is the Prometheus base URL, possibly behind a path prefix
 * (`https://host/prometheus`) and with query parameters a proxy needs;
 * both are kept, and the API path and the query are added to them.
 */
export function instantQueryUrl(
  base: string,
  query: string,
  timeoutMs: number
): string | undefined {
  const u = httpBaseUrl(base, '/api/v1/query')
  if (u === undefined) return undefined
  u.searchParams.append('query', query)
  // Prometheus stops evaluating when we stop waiting, instead of later.
  u.searchParams.append('timeout', `${Math.max(1, Math.round(timeoutMs))}ms`)
  return u.toString()
}

async function query(
  spec: PrometheusSourceSpec,
  opts: MetricSourceOptions,
  scrub: Scrub
): Promise<Unstamped> {
  if (spec.query.trim() === '') {
    return { kind: 'error', reason: 'empty PromQL query' }
  }
  const url = instantQueryUrl(spec.url, spec.query, spec.timeoutMs)
  if (url === undefined) {
    return {
      kind: 'error',
      reason: `invalid Prometheus url '${displayUrl(spec.url)}' (use e.g. http://prometheus:9090)`
    }
  }
  const fetched = await httpGet(url, spec.headers, spec.timeoutMs, opts)
  if (!fetched.ok) return fetched.reading
  return interpretAnswer(
    fetched.answer,
    hostPortOf(spec.url),
    spec.query,
    scrub
  )
}

/**
 * Reduces a Prometheus HTTP API answer to a reading. Exported for the
 * Prometheus-compatible backends (Thanos, Mimir, VictoriaMetrics) whose
 * quirks are easier to test on canned bodies than on live servers.
 */
export function interpretAnswer(
  answer: HttpAnswer,
  target: string,
  promql: string,
  scrub: Scrub = (s) => s
): Unstamped {
  const success = answer.status >= 200 && answer.status <= 299
  const doc = parseJson(answer.body)
  if (!doc.ok) {
    if (!success) return httpError(answer, target)
    return malformed(
      answer,
      target,
      `not JSON ('${quote(answer.body, scrub, 60)}')`
    )
  }
  const body = doc.value
  if (isRecord(body) && body.status === 'error') {
    return prometheusError(body, answer, target, scrub)
  }
  if (!success) return httpError(answer, target)
  if (!isRecord(body) || body.status !== 'success' || !isRecord(body.data)) {
    return malformed(answer, target, "no 'status: success' with 'data'")
  }
  const { resultType, result } = body.data
  switch (resultType) {
    case 'scalar':
      return sampleReading(result, answer, target, scrub)
    case 'vector':
      return vectorReading(result, answer, target, promql, scrub)
    case 'matrix':
      return {
        kind: 'error',
        reason:
          'query returned a range vector; make it an instant one (e.g. rate(x[1m]) instead of x[1m])',
        status: answer.status
      }
    case 'string':
      return {
        kind: 'error',
        reason: 'query returned a string, not a number',
        status: answer.status
      }
    default:
      return malformed(
        answer,
        target,
        `unknown resultType '${quote(String(resultType), scrub, 40)}'`
      )
  }
}

/** A 404 almost always means the URL already had the API path in it. */
function httpError(answer: HttpAnswer, target: string): Unstamped {
  const reading = statusError(answer, target)
  if (answer.status !== 404) return reading
  return {
    ...reading,
    reason: `${reading.reason} (url must be the Prometheus base URL, without /api/v1/query)`
  }
}

function prometheusError(
  body: Record<string, unknown>,
  answer: HttpAnswer,
  target: string,
  scrub: Scrub
): Unstamped {
  const type = typeof body.errorType === 'string' ? body.errorType : 'error'
  const text =
    typeof body.error === 'string' && body.error.trim() !== ''
      ? quote(body.error, scrub, 200)
      : `HTTP ${answer.status} from ${target}`
  const what =
    type === 'bad_data' ? 'Prometheus rejected the query' : 'Prometheus error'
  const wait =
    answer.retryAfterMs === undefined
      ? ''
      : `; retry after ${formatDuration(answer.retryAfterMs)}`
  const reading: Unstamped = {
    kind: 'error',
    reason: `${what} (${quote(type, scrub, 40)}): ${text}${wait}`,
    status: answer.status
  }
  if (answer.retryAfterMs !== undefined) {
    reading.retryAfterMs = answer.retryAfterMs
  }
  return reading
}

function vectorReading(
  result: unknown,
  answer: HttpAnswer,
  target: string,
  promql: string,
  scrub: Scrub
): Unstamped {
  if (!Array.isArray(result)) {
    return malformed(answer, target, 'vector result is not a list')
  }
  if (result.length === 0) {
    return {
      kind: 'no-data',
      reason: `no series match '${quote(promql, scrub, 120)}'`
    }
  }
  if (result.length > 1) {
    const differ = differingLabels(result)
    const by =
      differ.length === 0
        ? ''
        : ` differing in ${differ.map((l) => `'${l}'`).join(', ')}`
    return {
      kind: 'error',
      reason: `query returned ${result.length} series${by}; aggregate it to one (sum(...), avg(...))`,
      status: answer.status
    }
  }
  const sample: unknown = result[0]
  if (!isRecord(sample)) {
    return malformed(answer, target, 'vector sample is not an object')
  }
  if (sample.value === undefined && sample.histogram !== undefined) {
    return {
      kind: 'error',
      reason:
        'query returned a native histogram; reduce it to a number (histogram_quantile, histogram_count)',
      status: answer.status
    }
  }
  return sampleReading(sample.value, answer, target, scrub)
}

/** `[<unix seconds>, "<value>"]`, the pair scalars and samples come in. */
function sampleReading(
  pair: unknown,
  answer: HttpAnswer,
  target: string,
  scrub: Scrub
): Unstamped {
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    typeof pair[1] !== 'string'
  ) {
    return malformed(answer, target, 'sample is not [time, "value"]')
  }
  const n = parseNumberText(pair[1])
  if (n.kind === 'number') return { kind: 'value', value: n.value }
  if (n.kind === 'not-finite') {
    const why = /nan/i.test(n.text)
      ? ' (e.g. 0/0: no traffic in the window)'
      : ' (division by zero?)'
    return { kind: 'no-data', reason: `query returned '${n.text}'${why}` }
  }
  return malformed(
    answer,
    target,
    `sample value '${quote(pair[1], scrub, 40)}' is not a number`
  )
}

/** Labels whose values are not the same in every series, for the hint. */
function differingLabels(series: unknown[]): string[] {
  const labelSets = series.map((s) =>
    isRecord(s) && isRecord(s.metric) ? s.metric : {}
  )
  const names = new Set(labelSets.flatMap((m) => Object.keys(m)))
  const differ = [...names].filter((name) => {
    const values = new Set(labelSets.map((m) => JSON.stringify(m[name])))
    return values.size > 1
  })
  return differ.sort().slice(0, 5)
}

function malformed(
  answer: HttpAnswer,
  target: string,
  what: string
): Unstamped {
  return {
    kind: 'error',
    reason: `malformed answer from ${target}: ${what}`,
    status: answer.status
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
