/**
 * Chooses the reader of a metric spec. CloudWatch's reader, and the AWS
 * SDK behind it, load only when a config reads CloudWatch.
 */
import { queryDatadog } from './datadog.js'
import { readHttpJson } from './http-json.js'
import { queryNewRelic } from './newrelic.js'
import { queryPrometheus } from './prometheus.js'
import type { MetricSourceOptions, MetricSpec } from './types.js'
import type { MetricReading } from '../kernel/reading.js'

/** One reading from whichever source the spec names. */
export async function readMetricSource(
  spec: MetricSpec,
  opts: MetricSourceOptions = {}
): Promise<MetricReading> {
  switch (spec.kind) {
    case 'prometheus':
      return queryPrometheus(spec, opts)
    case 'http-json':
      return readHttpJson(spec, opts)
    case 'datadog':
      return queryDatadog(spec, opts)
    case 'newrelic':
      return queryNewRelic(spec, opts)
    case 'cloudwatch': {
      const { queryCloudWatch } = await import('./cloudwatch.js')
      return queryCloudWatch(spec, opts)
    }
  }
}
