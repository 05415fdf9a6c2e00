/**
 * The CloudWatch metric source: `GetMetricData` for one metric, signed
 * with SigV4 by the official AWS SDK (loaded only when a config reads
 * CloudWatch), sent through the project's own HTTP client so timeouts,
 * cancellation and size caps work as for every other source. The value is
 * the newest datapoint in the window; none is no-data.
 */
import {
  hostPortOf,
  httpSend,
  reasonScrubber,
  type HttpAnswer
} from '../http/send.js'
import { quote, stamp, type Scrub } from './http-json.js'
import {
  isRecord,
  pointTime,
  providerHttpError,
  providerMalformed,
  tagged
} from './provider.js'
import type { CloudWatchSourceSpec, MetricSourceOptions } from './types.js'
import { systemClock } from '../kernel/clock.js'
import { errorMessage } from '../kernel/errors.js'
import type { MetricReading, Unstamped } from '../kernel/reading.js'

/** The statistics GetMetricData takes besides percentiles. */
export const CLOUDWATCH_STATS = [
  'Average',
  'Sum',
  'Minimum',
  'Maximum',
  'SampleCount'
] as const

/** `p95`, `p99.9`: a percentile statistic. */
export const PERCENTILE_STAT = /^p(\d{1,2}(\.\d{1,2})?|100)$/

/** The regional endpoint, as the SDK would pick it. */
export function cloudWatchEndpoint(region: string): string {
  return `https://monitoring.${region}.amazonaws.com`
}

/** The request the SDK hands to its HTTP handler (the fields we use). */
interface SdkRequest {
  method: string
  protocol: string
  hostname: string
  port?: number
  path: string
  query?: Record<string, string | string[] | null>
  headers: Record<string, string>
  body?: unknown
}

interface SdkResponse {
  statusCode: number
  headers: Record<string, string>
  body: Uint8Array
}

/** What the last exchange was, for wording an SDK error. */
interface Exchange {
  answer?: HttpAnswer
  failure?: Unstamped
}

/**
 * The SDK's HTTP handler, backed by `httpSend`: one attempt, the source's
 * timeout on the injected clock, the caller's abort signal. A transport
 * failure is kept as our own reading and surfaces as a thrown error the
 * source recognizes.
 */
class SourceHandler {
  readonly exchange: Exchange = {}
  private readonly timeoutMs: number
  private readonly opts: MetricSourceOptions

  constructor(timeoutMs: number, opts: MetricSourceOptions) {
    this.timeoutMs = timeoutMs
    this.opts = opts
  }

  async handle(request: SdkRequest): Promise<{ response: SdkResponse }> {
    const port = request.port === undefined ? '' : `:${request.port}`
    const query = new URLSearchParams()
    for (const [k, v] of Object.entries(request.query ?? {})) {
      for (const one of Array.isArray(v) ? v : [v ?? '']) query.append(k, one)
    }
    const qs = query.toString()
    const url = `${request.protocol}//${request.hostname}${port}${request.path}${qs === '' ? '' : `?${qs}`}`
    const headers = { ...request.headers }
    // undici sets Host from the URL; it is the same value the SDK signed.
    for (const k of Object.keys(headers)) {
      if (k.toLowerCase() === 'host') delete headers[k]
    }
    const body = bodyText(request.body)
    const fetched = await httpSend(
      {
        url,
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body })
      },
      this.timeoutMs,
      this.opts
    )
    if (!fetched.ok) {
      this.exchange.failure = fetched.reading
      throw new TransportFailed()
    }
    this.exchange.answer = fetched.answer
    return {
      response: {
        statusCode: fetched.answer.status,
        headers: fetched.answer.headers ?? {},
        body: Buffer.from(fetched.answer.body, 'utf8')
      }
    }
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {}
  }
}

class TransportFailed extends Error {}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) {
    // By its bytes: Buffer.from(view) would call the view's valueOf().
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString(
      'utf8'
    )
  }
  // The JSON protocol only sends text; a stream would be a new protocol.
  throw new Error('unsupported request body (not text)')
}

/**
 * Reads one CloudWatch metric. The secret key never leaves the signer;
 * it, the session token and the access key id are masked in every reason
 * all the same.
 */
export async function queryCloudWatch(
  spec: CloudWatchSourceSpec,
  opts: MetricSourceOptions = {}
): Promise<MetricReading> {
  const clock = opts.clock ?? systemClock
  const endpoint = spec.url ?? cloudWatchEndpoint(spec.region)
  const { credentials } = spec
  const secrets = {
    'x-aws-secret': credentials.secretAccessKey,
    'x-aws-key': credentials.accessKeyId,
    ...(credentials.sessionToken === undefined
      ? {}
      : { 'x-aws-session': credentials.sessionToken })
  }
  const scrub = reasonScrubber(endpoint, secrets, opts)
  const reading = await read(spec, endpoint, opts, scrub)
  return stamp(reading, scrub, clock)
}

async function read(
  spec: CloudWatchSourceSpec,
  endpoint: string,
  opts: MetricSourceOptions,
  scrub: Scrub
): Promise<Unstamped> {
  const bad = checkSpec(spec)
  if (bad !== undefined) return { kind: 'error', reason: `cloudwatch: ${bad}` }
  const sdk = await import('@aws-sdk/client-cloudwatch')
  const handler = new SourceHandler(spec.timeoutMs, opts)
  const client = new sdk.CloudWatchClient({
    region: spec.region,
    endpoint,
    credentials: spec.credentials,
    maxAttempts: 1,
    requestHandler: handler,
    useDualstackEndpoint: false,
    useFipsEndpoint: false,
    disableRequestCompression: true
  })
  const command = new sdk.GetMetricDataCommand({
    MetricDataQueries: [
      {
        Id: 'm0',
        MetricStat: {
          Metric: {
            Namespace: spec.namespace,
            MetricName: spec.metric,
            Dimensions: Object.entries(spec.dimensions).map(
              ([Name, Value]) => ({
                Name,
                Value
              })
            )
          },
          Period: spec.periodSeconds,
          Stat: spec.stat
        },
        ReturnData: true
      }
    ],
    StartTime: new Date(spec.start),
    EndTime: new Date(spec.end),
    ScanBy: 'TimestampDescending'
  })
  const target = hostPortOf(endpoint)
  try {
    const out = await client.send(command, {
      ...(opts.signal ? { abortSignal: opts.signal } : {})
    })
    return newest(out.MetricDataResults, spec, target, handler.exchange, scrub)
  } catch (e) {
    return sdkError(e, handler.exchange, target, scrub)
  } finally {
    client.destroy()
  }
}

function checkSpec(spec: CloudWatchSourceSpec): string | undefined {
  const stats: readonly string[] = CLOUDWATCH_STATS
  if (!stats.includes(spec.stat) && !PERCENTILE_STAT.test(spec.stat)) {
    return `invalid stat '${spec.stat}' (use ${CLOUDWATCH_STATS.join(', ')} or pNN such as p95)`
  }
  if (spec.region.trim() === '') {
    return "no region: set 'region' or AWS_REGION"
  }
  if (!(spec.end > spec.start)) return 'empty window'
  return undefined
}

interface MetricDataResult {
  Id?: string
  Label?: string
  Timestamps?: Date[]
  Values?: number[]
  StatusCode?: string
  Messages?: { Code?: string; Value?: string }[]
}

function newest(
  results: MetricDataResult[] | undefined,
  spec: CloudWatchSourceSpec,
  target: string,
  exchange: Exchange,
  scrub: Scrub
): Unstamped {
  const answer = exchange.answer ?? { status: 200, body: '' }
  const result = results?.find((r) => r.Id === 'm0')
  if (!result) {
    return providerMalformed(
      'cloudwatch',
      answer,
      target,
      'no MetricDataResults'
    )
  }
  if (
    result.StatusCode === 'InternalError' ||
    result.StatusCode === 'Forbidden'
  ) {
    const said = (result.Messages ?? [])
      .map((m) => `${m.Code ?? ''} ${m.Value ?? ''}`.trim())
      .join('; ')
    return {
      kind: 'error',
      reason: `cloudwatch: GetMetricData ${result.StatusCode}${said === '' ? '' : `: '${quote(said, scrub, 200)}'`}`,
      status: answer.status
    }
  }
  const times = result.Timestamps ?? []
  const values = result.Values ?? []
  let best = -1
  for (let i = 0; i < Math.min(times.length, values.length); i++) {
    const v = values[i]
    if (typeof v !== 'number' || !Number.isFinite(v)) continue
    if (best < 0 || times[i].getTime() > times[best].getTime()) best = i
  }
  const what = describeMetric(spec, scrub)
  if (best < 0) {
    return {
      kind: 'no-data',
      reason: `cloudwatch: no datapoints for ${what} in the window`
    }
  }
  return {
    kind: 'value',
    value: values[best],
    note: `cloudwatch: ${what}, last point ${pointTime(times[best].getTime())}`
  }
}

/** `AWS/ApplicationELB TargetResponseTime p95 (TargetGroup=…)` */
export function describeMetric(
  spec: Pick<
    CloudWatchSourceSpec,
    'namespace' | 'metric' | 'stat' | 'dimensions'
  >,
  scrub: Scrub = (s) => s
): string {
  const dims = Object.entries(spec.dimensions)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
  const text = `${spec.namespace} ${spec.metric} ${spec.stat}${dims === '' ? '' : ` (${dims})`}`
  return quote(text, scrub, 120)
}

/**
 * An SDK failure in one line. Our transport failure comes back as it
 * was; an HTTP error keeps its status, Retry-After and AWS's own code and
 * message; an answer the SDK could not parse is a malformed answer.
 */
function sdkError(
  e: unknown,
  exchange: Exchange,
  target: string,
  scrub: Scrub
): Unstamped {
  if (exchange.failure) return tagged('cloudwatch', exchange.failure)
  const answer = exchange.answer
  if (!answer) {
    return {
      kind: 'error',
      reason: `cloudwatch: ${quote(errorMessage(e), scrub, 200)}`
    }
  }
  const ok = answer.status >= 200 && answer.status <= 299
  const code = isRecord(e) && typeof e.name === 'string' ? e.name : undefined
  const message = isRecord(e) && typeof e.message === 'string' ? e.message : ''
  const parsedFault =
    code !== undefined &&
    !/^(Error|TypeError|SyntaxError)$/.test(code) &&
    !/deserialization|unexpected token|not valid json/i.test(message)
  if (ok && !parsedFault) {
    return providerMalformed(
      'cloudwatch',
      answer,
      target,
      `not a GetMetricData answer ('${quote(answer.body, scrub, 60)}')`
    )
  }
  if (ok) {
    return {
      kind: 'error',
      reason: `cloudwatch: ${code}: '${quote(message, scrub, 200)}'`,
      status: answer.status
    }
  }
  const said = parsedFault
    ? message === ''
      ? code
      : `${code}: ${message}`
    : xmlFault(answer.body)
  return providerHttpError(
    'cloudwatch',
    answer,
    target,
    said,
    scrub,
    'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN'
  )
}

/**
 * `Code: Message` of an AWS XML error (the query protocol's, which some
 * endpoints and proxies still answer with), else a short excerpt.
 */
function xmlFault(body: string): string | undefined {
  const tag = (name: string): string | undefined =>
    new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1]
  const code = tag('Code')
  const message = tag('Message')
  if (code !== undefined) {
    return message === undefined ? code : `${code}: ${message}`
  }
  return body.trim() === '' ? undefined : body
}
