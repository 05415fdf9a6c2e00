/**
 * Loopback stand-ins for the hosted metric APIs, each following its
 * provider's documented request and answer format and checking every
 * request before answering: Datadog's `GET /api/v1/query` with its two key
 * headers, New Relic's NerdGraph `POST /graphql` with `API-Key` and an NRQL
 * query in the GraphQL body, and CloudWatch's `GetMetricData` in the AWS
 * JSON 1.0 protocol with a SigV4 signature recomputed from the secret key.
 * A request that breaks the format is answered the way the provider would
 * refuse it, and recorded in `rejected` so a test can assert there were
 * none.
 */
import { createHash, createHmac } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson, startStandIn, type StandIn } from './stand-ins.js'

/** A fault a test asks a provider to answer with. */
export type Fault =
  | { kind: 'status'; status: number; body: string; retryAfter?: string }
  | { kind: 'raw'; status: number; body: string; contentType: string }

export interface ProviderStandIn extends StandIn {
  /** Requests refused for breaking the provider's format, and why. */
  rejected: string[]
}

function answerFault(res: ServerResponse, f: Fault): void {
  if (f.kind === 'raw') {
    res.writeHead(f.status, { 'content-type': f.contentType })
    res.end(f.body)
    return
  }
  res.writeHead(f.status, {
    'content-type': 'application/json',
    ...(f.retryAfter === undefined ? {} : { 'retry-after': f.retryAfter })
  })
  res.end(f.body)
}

async function start(
  check: (req: IncomingMessage, body: string) => string | undefined,
  refuse: (res: ServerResponse, why: string) => void,
  answer: (req: IncomingMessage, res: ServerResponse, body: string) => void
): Promise<ProviderStandIn> {
  const rejected: string[] = []
  const s = await startStandIn((req, res, body) => {
    const why = check(req, body)
    if (why !== undefined) {
      rejected.push(why)
      refuse(res, why)
      return
    }
    answer(req, res, body)
  })
  return Object.assign(s, { rejected })
}

// ---------------------------------------------------------------- Datadog

export interface DatadogQuery {
  query: string
  from: number
  to: number
}

/** A series as `/api/v1/query` returns it. */
export function ddSeries(
  scope: string,
  points: [number, number | null][]
): Record<string, unknown> {
  return {
    metric: 'system.cpu.user',
    display_name: 'system.cpu.user',
    scope,
    expression: `avg:system.cpu.user{${scope}}`,
    pointlist: points,
    start: points[0]?.[0] ?? 0,
    end: points[points.length - 1]?.[0] ?? 0,
    interval: 60,
    length: points.length,
    aggr: 'avg',
    unit: null,
    tag_set: scope.split(',')
  }
}

export async function startDatadog(opts: {
  apiKey: string
  appKey: string
  answer: (q: DatadogQuery) => Record<string, unknown>[] | Fault
}): Promise<ProviderStandIn & { queries: DatadogQuery[] }> {
  const queries: DatadogQuery[] = []
  const s = await start(
    (req) => {
      const u = new URL(req.url ?? '/', 'http://x')
      if (req.method !== 'GET') return `method ${req.method}`
      if (u.pathname !== '/api/v1/query') return `path ${u.pathname}`
      if (req.headers['dd-api-key'] !== opts.apiKey) return 'DD-API-KEY'
      if (req.headers['dd-application-key'] !== opts.appKey) {
        return 'DD-APPLICATION-KEY'
      }
      for (const p of ['from', 'to']) {
        if (!/^\d{10}$/.test(u.searchParams.get(p) ?? '')) {
          return `${p} is not Unix seconds`
        }
      }
      if (!u.searchParams.get('query')) return 'no query'
      return undefined
    },
    (res, why) =>
      why.startsWith('DD-')
        ? sendJson(res, 403, { errors: ['Forbidden'] })
        : sendJson(res, 400, { errors: [`bad request: ${why}`] }),
    (req, res) => {
      const u = new URL(req.url ?? '/', 'http://x')
      const q: DatadogQuery = {
        query: u.searchParams.get('query') ?? '',
        from: Number(u.searchParams.get('from')),
        to: Number(u.searchParams.get('to'))
      }
      queries.push(q)
      const a = opts.answer(q)
      if (!Array.isArray(a)) return answerFault(res, a)
      sendJson(res, 200, {
        status: 'ok',
        res_type: 'time_series',
        resp_version: 1,
        query: q.query,
        from_date: q.from * 1000,
        to_date: q.to * 1000,
        series: a,
        values: [],
        times: [],
        message: '',
        group_by: []
      })
    }
  )
  return Object.assign(s, { queries })
}

// -------------------------------------------------------------- New Relic

export async function startNewRelic(opts: {
  apiKey: string
  account: number
  answer: (nrql: string) => Record<string, unknown>[] | Fault
}): Promise<ProviderStandIn & { nrql: string[] }> {
  const nrql: string[] = []
  const s = await start(
    (req, body) => {
      if (req.method !== 'POST') return `method ${req.method}`
      if (req.url !== '/graphql') return `path ${req.url}`
      if (req.headers['api-key'] !== opts.apiKey) return 'API-Key'
      if (!/^application\/json/.test(req.headers['content-type'] ?? '')) {
        return 'content-type'
      }
      let doc: { query?: unknown; variables?: Record<string, unknown> }
      try {
        doc = JSON.parse(body) as typeof doc
      } catch {
        return 'body is not JSON'
      }
      if (
        typeof doc.query !== 'string' ||
        !/actor\s*\{\s*account\(id:\s*\$account\)\s*\{\s*nrql\(query:\s*\$nrql\)\s*\{\s*results/.test(
          doc.query
        )
      ) {
        return 'not an actor.account.nrql query'
      }
      if (doc.variables?.account !== opts.account) return 'account'
      if (typeof doc.variables?.nrql !== 'string') return 'nrql'
      return undefined
    },
    (res, why) =>
      why === 'API-Key'
        ? sendJson(res, 401, {
            errors: [{ message: 'Invalid API key' }],
            data: null
          })
        : sendJson(res, 200, { errors: [{ message: why }], data: null }),
    (_req, res, body) => {
      const q = (JSON.parse(body) as { variables: { nrql: string } }).variables
        .nrql
      nrql.push(q)
      const a = opts.answer(q)
      if (!Array.isArray(a)) return answerFault(res, a)
      sendJson(res, 200, {
        data: { actor: { account: { nrql: { results: a } } } }
      })
    }
  )
  return Object.assign(s, { nrql })
}

// ------------------------------------------------------------- CloudWatch

export interface CwQuery {
  namespace: string
  metric: string
  dimensions: Record<string, string>
  stat: string
  period: number
  start: number
  end: number
}

export interface CwData {
  /** Epoch milliseconds, newest first. */
  timestamps: number[]
  values: number[]
}

const hex = (data: string): string =>
  createHash('sha256').update(data, 'utf8').digest('hex')
const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest()

/**
 * Recomputes a SigV4 signature as AWS documents it (canonical request,
 * string to sign, derived key) and says what does not match.
 */
export function sigV4Problem(
  req: IncomingMessage,
  body: string,
  creds: {
    accessKeyId: string
    secretAccessKey: string
    sessionToken?: string
  },
  region: string,
  service: string
): string | undefined {
  const auth = req.headers.authorization ?? ''
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth
    )
  if (!m) return 'no SigV4 Authorization header'
  const [, keyId, date, reg, svc, signed, signature] = m
  if (keyId !== creds.accessKeyId) return 'unknown access key'
  if (reg !== region || svc !== service) return `scope ${reg}/${svc}`
  const amzDate = String(req.headers['x-amz-date'] ?? '')
  if (!amzDate.startsWith(date)) return 'x-amz-date'
  const token = req.headers['x-amz-security-token']
  if (creds.sessionToken !== undefined) {
    if (token !== creds.sessionToken) return 'x-amz-security-token'
    if (!signed.split(';').includes('x-amz-security-token')) {
      return 'session token not signed'
    }
  }
  const u = new URL(req.url ?? '/', 'http://x')
  const names = signed.split(';')
  if (!names.includes('host')) return 'host not signed'
  const canonicalHeaders = names
    .map((n) => {
      const v = req.headers[n]
      const text = Array.isArray(v) ? v.join(',') : (v ?? '')
      return `${n}:${text.trim().replace(/\s+/g, ' ')}\n`
    })
    .join('')
  const query = [...u.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&')
  const canonical = [
    req.method,
    u.pathname,
    query,
    canonicalHeaders,
    signed,
    hex(body)
  ].join('\n')
  const scope = `${date}/${reg}/${svc}/aws4_request`
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n')
  let key = hmac(`AWS4${creds.secretAccessKey}`, date)
  for (const part of [reg, svc, 'aws4_request']) key = hmac(key, part)
  const expected = createHmac('sha256', key).update(toSign).digest('hex')
  return expected === signature ? undefined : 'signature does not match'
}

export async function startCloudWatch(opts: {
  credentials: {
    accessKeyId: string
    secretAccessKey: string
    sessionToken?: string
  }
  region: string
  answer: (q: CwQuery) => CwData | Fault
}): Promise<ProviderStandIn & { queries: CwQuery[] }> {
  const queries: CwQuery[] = []
  const s = await start(
    (req, body) => {
      if (req.method !== 'POST' || req.url !== '/') {
        return `${req.method} ${req.url}`
      }
      if (req.headers['content-type'] !== 'application/x-amz-json-1.0') {
        return 'content-type'
      }
      if (
        req.headers['x-amz-target'] !==
        'GraniteServiceVersion20100801.GetMetricData'
      ) {
        return 'x-amz-target'
      }
      return sigV4Problem(
        req,
        body,
        opts.credentials,
        opts.region,
        'monitoring'
      )
    },
    (res, why) => {
      const sig = /signature|key|token|scope|date|Authorization/i.test(why)
      res.writeHead(sig ? 403 : 400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-query-error': sig
          ? 'SignatureDoesNotMatch;Sender'
          : 'InvalidParameterValue;Sender'
      })
      res.end(
        JSON.stringify({
          __type: sig
            ? 'com.amazon.coral.service#SignatureDoesNotMatch'
            : 'com.amazonaws.cloudwatch#InvalidParameterValueException',
          message: sig
            ? 'The request signature we calculated does not match the signature you provided.'
            : why
        })
      )
    },
    (_req, res, body) => {
      const doc = JSON.parse(body) as {
        MetricDataQueries: {
          Id: string
          MetricStat: {
            Metric: {
              Namespace: string
              MetricName: string
              Dimensions?: { Name: string; Value: string }[]
            }
            Period: number
            Stat: string
          }
        }[]
        StartTime: number
        EndTime: number
      }
      const one = doc.MetricDataQueries[0]
      const q: CwQuery = {
        namespace: one.MetricStat.Metric.Namespace,
        metric: one.MetricStat.Metric.MetricName,
        dimensions: Object.fromEntries(
          (one.MetricStat.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value])
        ),
        stat: one.MetricStat.Stat,
        period: one.MetricStat.Period,
        start: doc.StartTime * 1000,
        end: doc.EndTime * 1000
      }
      queries.push(q)
      const a = opts.answer(q)
      if (!('values' in a)) return answerFault(res, a)
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
      res.end(
        JSON.stringify({
          MetricDataResults: [
            {
              Id: one.Id,
              Label: q.metric,
              Timestamps: a.timestamps.map((t) => t / 1000),
              Values: a.values,
              StatusCode: 'Complete'
            }
          ],
          Messages: []
        })
      )
    }
  )
  return Object.assign(s, { queries })
}
