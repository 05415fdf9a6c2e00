/**
 * What a metric source reports for one look. The three kinds are kept apart
 * on purpose: a source that could not answer is an `error` (counted against
 * `error-limit`), an answer with nothing in it is `no-data` (follows
 * `on-no-data`), and only a real number is a `value`. Neither of the first
 * two may ever be turned into a zero, or a dead exporter would pass a gate.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from '../clock.js'

export type MetricReading =
  | { kind: 'value'; value: number; at: number }
  | { kind: 'no-data'; reason: string; at: number }
  | {
      kind: 'error'
      /** One line, already redacted. */
      reason: string
      /** HTTP status of the answer, when there was one. */
      status?: number
      /** From Retry-After on a 429 or 503: wait at least this long. */
      retryAfterMs?: number
      at: number
    }

export type ErrorReading = Extract<MetricReading, { kind: 'error' }>

/** A reading before it is stamped with the time it was taken. */
export type Unstamped<R = MetricReading> = R extends MetricReading
  ? Omit<R, 'at'>
  : never

/** A Prometheus instant query, already interpolated (`${track}` rendered). */
export interface PrometheusSourceSpec {
  /** Base URL of Prometheus (or a compatible API), e.g. `http://prom:9090`. */
  url: string
  query: string
  timeoutMs: number
  headers: Record<string, string>
}

/** A number read from a JSON document served over HTTP GET. */
export interface HttpJsonSourceSpec {
  url: string
  /** Dotted path with indexes: `data.values[0].value`. */
  path: string
  headers: Record<string, string>
  timeoutMs: number
}

/** The I/O a source uses; every field has a real default. */
export interface MetricSourceOptions {
  /** undici dispatcher (Agent, MockAgent); default: the global one. */
  dispatcher?: Dispatcher
  /** Stamps readings and times out requests. */
  clock?: Clock
  /** Masks secrets in every reason, after the source's own scrubbing. */
  redact?: (s: string) => string
  /** Aborting ends the request at once with an `error` reading. */
  signal?: AbortSignal
}
