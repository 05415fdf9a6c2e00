/**
 * What metric sources read: the resolved specs of each source and the I/O a
 * source is given. The reading itself lives in the kernel.
 */
import type { SendOptions } from '../http/send.js'

/** A Prometheus instant query, already interpolated (`${track}` rendered). */
export interface PrometheusSourceSpec {
  /** Base URL of Prometheus (or a compatible API), e.g. `http://prom:9090`. */
  url: string
  query: string
  timeoutMs: number
  headers: Record<string, string>
}

/** A number read from a JSON document served over HTTP (GET by default). */
export interface HttpJsonSourceSpec {
  url: string
  /** Dotted path with indexes: `data.values[0].value`. */
  path: string
  headers: Record<string, string>
  timeoutMs: number
  /** Default GET. */
  method?: string
  /** Request body as sent (JSON already serialized, or text). */
  body?: string
}

/** A Datadog metrics query (`GET /api/v1/query`) over one time range. */
export interface DatadogSourceSpec {
  /** API base: `https://api.<site>` or the `url` override. */
  url: string
  query: string
  apiKey: string
  appKey: string
  /** The range, in Unix seconds. */
  from: number
  to: number
  timeoutMs: number
}

/** An NRQL query through NerdGraph (`POST /graphql`). */
export interface NewRelicSourceSpec {
  /** NerdGraph base: `https://api.newrelic.com`, the EU one or `url`. */
  url: string
  account: number
  nrql: string
  apiKey: string
  /** Which numeric field of the first row; default: its only one. */
  field?: string
  timeoutMs: number
}

/** AWS credentials as the standard environment variables carry them. */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** One CloudWatch metric read with `GetMetricData`. */
export interface CloudWatchSourceSpec {
  region: string
  /** Endpoint override (proxies, tests); default the regional endpoint. */
  url?: string
  namespace: string
  metric: string
  dimensions: Record<string, string>
  /** `Average`, `Sum`, `Minimum`, `Maximum`, `SampleCount` or `pNN`. */
  stat: string
  periodSeconds: number
  /** The range, in epoch milliseconds. */
  start: number
  end: number
  credentials: AwsCredentials
  timeoutMs: number
}

/** Any source's spec, tagged with the source it is for. */
export type MetricSpec =
  | ({ kind: 'prometheus' } & PrometheusSourceSpec)
  | ({ kind: 'http-json' } & HttpJsonSourceSpec)
  | ({ kind: 'datadog' } & DatadogSourceSpec)
  | ({ kind: 'newrelic' } & NewRelicSourceSpec)
  | ({ kind: 'cloudwatch' } & CloudWatchSourceSpec)

/**
 * The I/O a source uses; every field has a real default. The clock also
 * stamps readings; the rest goes to the request as it is.
 */
export type MetricSourceOptions = SendOptions
