/**
 * What metric sources read: the resolved specs of each source and the I/O a
 * source is given. The reading itself lives in the kernel.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from '../kernel/clock.js'

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
