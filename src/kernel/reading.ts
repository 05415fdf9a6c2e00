/**
 * What a metric source reports for one look. The three kinds are kept apart
 * on purpose: a source that could not answer is an `error` (counted against
 * `error-limit`), an answer with nothing in it is `no-data` (follows
 * `on-no-data`), and only a real number is a `value`. Neither of the first
 * two may ever be turned into a zero, or a dead exporter would pass a gate.
 */

export type MetricReading =
  | {
      kind: 'value'
      value: number
      at: number
      /**
       * Where the number came from (`datadog: avg:cpu{…}, last point
       * 12:04:05`), quoted in findings so a verdict can be checked.
       */
      note?: string
    }
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
