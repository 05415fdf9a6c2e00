/**
 * The hosted metric sources of DESIGN.md §3 (Datadog, New Relic,
 * CloudWatch): what each takes, with the defaults the readers rely on.
 */
import { z } from 'zod'
import { duration, intBetween, obj, show, text } from './fields.js'

export const datadogSource = obj({
  query: text('a Datadog metrics query'),
  'api-key': text('an API key, e.g. ${secrets.DD_API_KEY}'),
  'app-key': text('an application key, e.g. ${secrets.DD_APP_KEY}'),
  site: text('a Datadog site such as datadoghq.eu').optional(),
  url: text('a URL').optional(),
  window: duration().optional(),
  timeout: duration().optional()
})

export const newRelicSource = obj({
  account: intBetween(1, Number.MAX_SAFE_INTEGER),
  nrql: text('an NRQL query'),
  'api-key': text('a User key, e.g. ${secrets.NR_API_KEY}'),
  region: z
    .enum(['us', 'eu'], {
      error: (iss) => `must be 'us' or 'eu', got ${show(iss.input)}`
    })
    .default('us'),
  url: text('a URL').optional(),
  field: text('a field of the first result row').optional(),
  window: duration().optional(),
  timeout: duration().optional()
})

const cloudWatchStat = z
  .string()
  .regex(
    /^(Average|Sum|Minimum|Maximum|SampleCount|p(\d{1,2}(\.\d{1,2})?|100))$/,
    {
      error: (iss) =>
        `must be Average, Sum, Minimum, Maximum, SampleCount or pNN (e.g. p95), got ${show(iss.input)}`
    }
  )

export const cloudWatchSource = obj({
  region: text('an AWS region such as eu-west-1').optional(),
  namespace: text('a namespace such as AWS/ApplicationELB'),
  metric: text('a metric name'),
  dimensions: z
    .record(text('a dimension name'), text('a dimension value'))
    .optional(),
  stat: cloudWatchStat.default('Average'),
  period: duration().default(60_000),
  window: duration().optional(),
  url: text('a URL').optional(),
  timeout: duration().optional()
})
