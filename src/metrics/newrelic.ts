/**
 * The New Relic metric source: one NRQL query through NerdGraph
 * (`POST /graphql`, `actor.account(id).nrql`). The value is the one
 * numeric field of the first result row, or the field `field` names;
 * no rows is no-data, GraphQL `errors` are errors with New Relic's text.
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
  providerHttpError,
  providerMalformed,
  shortQuery,
  tagged
} from './provider.js'
import type { MetricSourceOptions, NewRelicSourceSpec } from './types.js'
import { systemClock } from '../kernel/clock.js'
import type { MetricReading, Unstamped } from '../kernel/reading.js'

/** NerdGraph of each region. */
export const NEWRELIC_URLS = {
  us: 'https://api.newrelic.com',
  eu: 'https://api.eu.newrelic.com'
} as const

/**
 * The GraphQL document. The account and the NRQL travel as variables, so
 * a quote in a rendered `${track}` can never change the query's shape.
 */
export const NERDGRAPH_QUERY =
  'query($account: Int!, $nrql: Nrql!) { actor { account(id: $account) { nrql(query: $nrql) { results } } } }'

/** Row fields that say when, not how much. */
const TIME_FIELDS = new Set([
  'beginTimeSeconds',
  'endTimeSeconds',
  'timestamp',
  'facet'
])

/**
 * Reads one New Relic metric. The user key travels only in the `API-Key`
 * header and is masked in every reason.
 */
export async function queryNewRelic(
  spec: NewRelicSourceSpec,
  opts: MetricSourceOptions = {}
): Promise<MetricReading> {
  const clock = opts.clock ?? systemClock
  const headers = {
    'API-Key': spec.apiKey,
    'content-type': 'application/json'
  }
  const scrub = reasonScrubber(spec.url, headers, opts)
  const reading = await read(spec, headers, opts, scrub)
  return stamp(reading, scrub, clock)
}

/** `{url}/graphql`, keeping a proxy's path prefix. */
export function nerdGraphUrl(base: string): string | undefined {
  const u = httpBaseUrl(base)
  const given = u?.pathname.endsWith('/graphql') === true
  return (given ? u : httpBaseUrl(base, '/graphql'))?.toString()
}

async function read(
  spec: NewRelicSourceSpec,
  headers: Record<string, string>,
  opts: MetricSourceOptions,
  scrub: Scrub
): Promise<Unstamped> {
  if (spec.nrql.trim() === '') {
    return { kind: 'error', reason: 'newrelic: empty nrql' }
  }
  const url = nerdGraphUrl(spec.url)
  if (url === undefined) {
    return {
      kind: 'error',
      reason: `newrelic: invalid url '${displayUrl(spec.url)}' (use e.g. https://api.newrelic.com)`
    }
  }
  const body = JSON.stringify({
    query: NERDGRAPH_QUERY,
    variables: { account: spec.account, nrql: spec.nrql }
  })
  const fetched = await httpSend(
    { url, method: 'POST', headers, body },
    spec.timeoutMs,
    opts
  )
  if (!fetched.ok) return tagged('newrelic', fetched.reading)
  return interpretNerdGraph(fetched.answer, hostPortOf(spec.url), spec, scrub)
}

/** Reduces a NerdGraph answer to a reading. */
export function interpretNerdGraph(
  answer: HttpAnswer,
  target: string,
  spec: Pick<NewRelicSourceSpec, 'nrql' | 'field'>,
  scrub: Scrub = (s) => s
): Unstamped {
  const success = answer.status >= 200 && answer.status <= 299
  const doc = parseJson(answer.body)
  const said = doc.ok && isRecord(doc.value) ? doc.value : undefined
  if (!success) {
    return providerHttpError(
      'newrelic',
      answer,
      target,
      errorText(said?.errors) ?? errorText(said?.message),
      scrub,
      'api-key (a User key)'
    )
  }
  if (!doc.ok) {
    return providerMalformed(
      'newrelic',
      answer,
      target,
      `not JSON ('${quote(answer.body, scrub, 60)}')`
    )
  }
  if (!said)
    return providerMalformed('newrelic', answer, target, 'not an object')
  const errors = errorText(said.errors)
  if (errors !== undefined) {
    return {
      kind: 'error',
      reason: `newrelic: NerdGraph error: '${quote(errors, scrub, 200)}'`,
      status: answer.status
    }
  }
  const results = dig(said, ['data', 'actor', 'account', 'nrql', 'results'])
  if (!Array.isArray(results)) {
    return providerMalformed(
      'newrelic',
      answer,
      target,
      "no 'data.actor.account.nrql.results' list"
    )
  }
  const q = shortQuery(spec.nrql, scrub)
  if (results.length === 0) {
    return { kind: 'no-data', reason: `newrelic: no rows for '${q}'` }
  }
  const row: unknown = results[0]
  if (!isRecord(row)) {
    return providerMalformed('newrelic', answer, target, 'row is not an object')
  }
  return rowValue(row, spec.field, q, scrub, answer.status)
}

function rowValue(
  row: Record<string, unknown>,
  field: string | undefined,
  q: string,
  scrub: Scrub,
  status: number
): Unstamped {
  const note = (name: string): string =>
    `newrelic: ${q}, field '${quote(name, scrub, 40)}' of the first row`
  if (field !== undefined) {
    if (!(field in row)) {
      const names = Object.keys(row).map((k) => `'${quote(k, scrub, 40)}'`)
      return {
        kind: 'error',
        reason: `newrelic: the first row has no field '${quote(field, scrub, 40)}' (it has ${names.join(', ') || 'none'})`,
        status
      }
    }
    const v = numeric(row[field])
    if (v === null) {
      return {
        kind: 'no-data',
        reason: `newrelic: field '${quote(field, scrub, 40)}' is null`
      }
    }
    if (v === undefined) {
      return {
        kind: 'error',
        reason: `newrelic: field '${quote(field, scrub, 40)}' is not a number`,
        status
      }
    }
    return { kind: 'value', value: v, note: note(field) }
  }
  const fields = Object.keys(row).filter((k) => !TIME_FIELDS.has(k))
  const numbers = fields.filter((k) => typeof numeric(row[k]) === 'number')
  if (numbers.length === 1) {
    const name = numbers[0]
    return {
      kind: 'value',
      value: numeric(row[name]) as number,
      note: note(name)
    }
  }
  if (numbers.length > 1) {
    return {
      kind: 'error',
      reason: `newrelic: the first row has ${numbers.length} numeric fields (${numbers.map((k) => `'${quote(k, scrub, 40)}'`).join(', ')}); name one with 'field'`,
      status
    }
  }
  if (fields.some((k) => numeric(row[k]) === null)) {
    return { kind: 'no-data', reason: `newrelic: '${q}' returned null` }
  }
  return {
    kind: 'error',
    reason: `newrelic: the first row has no numeric field`,
    status
  }
}

/**
 * A number, `null` for no value, `undefined` for anything else. Functions
 * such as `percentile(duration, 95)` answer `{ "95": 0.12 }`: one number
 * inside an object counts as that number.
 */
function numeric(v: unknown): number | null | undefined {
  if (v === null) return null
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (isRecord(v)) {
    const inner = Object.values(v)
    if (inner.length === 1) {
      const only = inner[0]
      if (only === null) return null
      if (typeof only === 'number') return Number.isFinite(only) ? only : null
    }
  }
  return undefined
}

function dig(value: unknown, path: string[]): unknown {
  let v = value
  for (const k of path) {
    if (!isRecord(v)) return undefined
    v = v[k]
  }
  return v
}
