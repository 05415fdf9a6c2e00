/**
 * The whole config contract of DESIGN.md §3 as one zod schema. Parsing turns
 * unit strings into numbers and conditions, so the engine never re-parses;
 * cross-field rules that need the whole file live in rules.ts.
 */
import { z } from 'zod'
import {
  cloudWatchSource,
  datadogSource,
  newRelicSource
} from './source-schema.js'
import { burst, captures } from './http-flow-schema.js'
import {
  condition,
  duration,
  interval,
  intBetween,
  json,
  multiple,
  name,
  obj,
  oneOrMany,
  percent,
  percentCondition,
  show,
  size,
  text
} from './fields.js'
import { soakTests, watchGate } from './soak-watch-schema.js'
import { confirm, HOOK_EVENTS, hooks } from './hook-schema.js'

const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS'
] as const

const method = z
  .enum([...HTTP_METHODS, ...HTTP_METHODS.map((m) => m.toLowerCase())], {
    error: (iss) =>
      `must be one of ${HTTP_METHODS.join(', ')}, got ${show(iss.input)}`
  })
  .transform((s) => s.toUpperCase() as (typeof HTTP_METHODS)[number])

const headers = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
      error: (iss) => `invalid header name ${show(iss.input)}`
    }),
    z.union([z.string(), z.number()], {
      error: (iss) =>
        `expected a header value (a string), got ${show(iss.input)}`
    })
  )
  .transform((h) =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]))
  )

const tls = obj({
  ca: text('a path to a PEM file').optional(),
  insecure: z.boolean().default(false),
  'min-version': z
    .enum(['TLSv1.2', 'TLSv1.3'], {
      error: (iss) => `must be 'TLSv1.2' or 'TLSv1.3', got ${show(iss.input)}`
    })
    .optional(),
  'min-days-valid': intBetween(0, 3650).optional()
})

const statusCode = intBetween(100, 599)
const statusClass = z.string().regex(/^[1-5]xx$/, {
  error: (iss) => `expected a status class like '2xx', got ${show(iss.input)}`
})
const statusExpect = z
  .union(
    [statusCode, statusClass, z.array(z.union([statusCode, statusClass]))],
    {
      error: (iss) =>
        `expected a status code, a class like '2xx' or a list, got ${show(iss.input)}`
    }
  )
  .transform((v) => (Array.isArray(v) ? v : [v]))

const stringMatch = z.union([
  z.string(),
  obj({ regex: text('a regular expression') })
])

const pathAssertion = obj({
  equals: json().optional(),
  exists: z.boolean().optional(),
  regex: text('a regular expression').optional(),
  condition: condition().optional()
})

const bodyExpect = obj({
  contains: oneOrMany(text()).optional(),
  'not-contains': oneOrMany(text()).optional(),
  regex: oneOrMany(text('a regular expression')).optional()
})

const httpExpect = obj({
  status: statusExpect.optional(),
  headers: z.record(z.string(), stringMatch).optional(),
  json: json().optional(),
  paths: z.record(z.string(), pathAssertion).optional(),
  body: bodyExpect.optional(),
  latency: condition().optional()
})

const retries = z.union([
  intBetween(0, 20).transform((n) => ({ attempts: n + 1 })),
  obj({
    attempts: intBetween(1, 20),
    backoff: duration().optional(),
    'max-backoff': duration().optional()
  })
])

const timeouts = z.union([
  duration().transform((total) => ({ total })),
  obj({
    connect: duration().optional(),
    headers: duration().optional(),
    body: duration().optional(),
    total: duration().optional()
  })
])

export const httpRequest = obj({
  url: text('a URL'),
  method: method.default('GET'),
  headers: headers.optional(),
  body: z.string().optional(),
  json: json().optional(),
  timeout: timeouts.optional(),
  follow: intBetween(0, 10).default(0),
  'allow-hosts': z.array(text('a host name')).optional(),
  tls: tls.optional(),
  retries: retries.optional(),
  'max-body': size().optional(),
  expect: httpExpect.optional()
})

const wsMatch = {
  json: json().optional(),
  regex: text('a regular expression').optional(),
  event: text('an event name').optional(),
  data: json().optional()
}

const wsStep = obj({
  send: z
    .union([obj({ json: json() }), obj({ text: z.string() })], {
      error: () => "expected { json: ... } or { text: '...' }"
    })
    .optional(),
  emit: obj({
    event: text('an event name'),
    data: json().optional()
  }).optional(),
  receive: obj({ ...wsMatch, within: duration().optional() }).optional(),
  silence: z
    .union([
      duration().transform((ms) => ({ for: ms })),
      obj({ ...wsMatch, for: duration() })
    ])
    .optional(),
  ping: z.union([z.null(), obj({ within: duration().optional() })]).optional(),
  close: z
    .union([
      z.null(),
      z.literal(true),
      obj({
        code: intBetween(1000, 4999).optional(),
        reason: z.string().optional()
      })
    ])
    .optional()
})

/** Where the server stamps the time it pushed a message (ws-push.ts). */
const pushLatency = obj({
  timestamp: text('a JSON path like data.sentAt'),
  unit: z
    .enum(['ms', 's', 'us', 'iso'], {
      error: (iss) => `must be 'ms', 's', 'us' or 'iso', got ${show(iss.input)}`
    })
    .default('ms')
})

export const websocketProbe = obj({
  url: text('a URL'),
  protocol: z
    .enum(['ws', 'socket.io'], {
      error: (iss) => `must be 'ws' or 'socket.io', got ${show(iss.input)}`
    })
    .default('ws'),
  headers: headers.optional(),
  subprotocols: z.array(text('a subprotocol')).optional(),
  timeout: duration().optional(),
  'max-message': size().optional(),
  tls: tls.optional(),
  'push-latency': pushLatency.optional(),
  steps: z.array(wsStep).min(1, { error: 'must have at least one step' })
})

const loadExpect = obj({
  'connect-rate': percentCondition().optional(),
  'success-rate': percentCondition().optional(),
  'error-rate': percentCondition().optional(),
  p50: condition().optional(),
  p90: condition().optional(),
  p95: condition().optional(),
  p99: condition().optional(),
  rps: condition().optional(),
  'push-p50': condition().optional(),
  'push-p90': condition().optional(),
  'push-p95': condition().optional(),
  'push-p99': condition().optional()
})

const loadProbe = obj({
  http: obj({
    url: text('a URL'),
    method: method.default('GET'),
    headers: headers.optional(),
    body: z.string().optional(),
    rate: z
      .number()
      .positive({ error: 'must be above 0 (requests per second)' }),
    duration: duration(),
    'max-in-flight': intBetween(1, 100_000).optional(),
    timeout: duration().optional(),
    tls: tls.optional()
  }).optional(),
  websocket: obj({
    url: text('a URL'),
    headers: headers.optional(),
    connections: intBetween(1, 100_000),
    duration: duration(),
    ramp: duration().optional(),
    message: z.union([z.string(), obj({ json: json() })]).optional(),
    interval: duration(1).optional(),
    tls: tls.optional(),
    'push-latency': pushLatency.optional()
  }).optional(),
  expect: loadExpect.optional()
})

const commandProbe = obj({
  run: text('a command'),
  timeout: duration().optional(),
  'exit-code': intBetween(0, 255).default(0)
})

const httpProbe = obj({
  ...httpRequest.shape,
  url: text('a URL').optional(),
  steps: z
    .array(
      obj({
        ...httpRequest.shape,
        name: name('step').optional(),
        capture: captures.optional()
      })
    )
    .min(1, { error: 'must have at least one step' })
    .optional(),
  burst: burst.optional()
})

export const probe = obj({
  http: httpProbe.optional(),
  websocket: websocketProbe.optional(),
  load: loadProbe.optional(),
  command: commandProbe.optional()
})
const probeRefs = z.array(name('probe'))

const prometheusSource = obj({
  url: text('a URL'),
  query: text('a PromQL query'),
  timeout: duration().optional(),
  headers: headers.optional(),
  window: duration().optional()
})

const httpJsonSource = obj({
  url: text('a URL'),
  path: text('a JSON path like data.value'),
  method: method.default('GET'),
  headers: headers.optional(),
  /** A string is sent as text, anything else as JSON. */
  body: z.union([z.string(), json()]).optional(),
  timeout: duration().optional(),
  window: duration().optional()
})

export const metric = obj({
  prometheus: prometheusSource.optional(),
  http: httpJsonSource.optional(),
  datadog: datadogSource.optional(),
  newrelic: newRelicSource.optional(),
  cloudwatch: cloudWatchSource.optional(),
  /** Several conditions: the metric is bad when any of them is true. */
  warn: oneOrMany(condition()).optional(),
  fail: oneOrMany(condition()).optional()
})

const metrics = z.record(name('metric'), metric)

const onNoData = z.enum(['fail', 'pass', 'hold'], {
  error: (iss) => `must be 'fail', 'pass' or 'hold', got ${show(iss.input)}`
})

const trackVars = z.record(
  name('var'),
  z.union([z.string(), z.number(), z.boolean()]).transform(String)
)

const analysis = obj({
  interval: interval().default(5000),
  tracks: obj({
    canary: trackVars.optional(),
    baseline: trackVars.optional()
  }).optional(),
  probes: probeRefs.optional(),
  /** Load probes run during every bake, so quiet services give samples. */
  load: probeRefs.optional(),
  metrics: metrics.optional(),
  'on-no-data': onNoData.default('fail'),
  mode: z
    .enum(['enforce', 'dry-run', 'hold-on-fail'], {
      error: (iss) =>
        `must be 'enforce', 'dry-run' or 'hold-on-fail', got ${show(iss.input)}`
    })
    .default('enforce'),
  'min-samples': intBetween(1, 1_000_000).default(20),
  confidence: percent().default(0.99),
  'decide-early': z.boolean().default(false),
  'error-limit': intBetween(1, 1000).default(4),
  /** How long a bake may grow when the runner fell behind on samples. */
  'max-bake': multiple(1, 10).default(3)
})

const command = obj({
  run: text('a command'),
  timeout: duration().optional(),
  confirm: confirm.optional()
})

const windowSpec = obj({
  allow: oneOrMany(text('a window like Tue-Thu 10:00-14:00')).optional(),
  freeze: oneOrMany(
    text(
      'a period like 2026-12-20/2027-01-02, a date, or a rule like last 3 business days of month'
    )
  ).optional(),
  timezone: text('an IANA time zone').default('UTC')
})

/** A preflight check: a metric that must meet `expect`, or a command. */
const preflightCheck = obj({
  prometheus: prometheusSource.optional(),
  http: httpJsonSource.optional(),
  datadog: datadogSource.optional(),
  newrelic: newRelicSource.optional(),
  cloudwatch: cloudWatchSource.optional(),
  expect: condition().optional(),
  run: text('a command').optional(),
  timeout: duration().optional()
})

const preflight = obj({
  checks: z
    .enum(['green', 'ignore'], {
      error: (iss) => `must be 'green' or 'ignore', got ${show(iss.input)}`
    })
    .optional(),
  approvals: intBetween(0, 20).optional(),
  after: oneOrMany(text('an environment name')).optional(),
  secrets: oneOrMany(name('secret')).optional(),
  window: windowSpec.optional(),
  require: z.record(name('check'), preflightCheck).optional()
})

const migrate = obj({
  backup: text('a command').optional(),
  run: text('a command'),
  revert: text('a command').optional(),
  timeout: duration().default(15 * 60_000),
  confirm: confirm.optional()
})

const health = obj({
  probes: probeRefs.min(1, { error: 'must name at least one probe' }),
  within: duration().default(120_000),
  interval: interval().default(2000),
  confirm: confirm.optional()
})

const testRun = obj({
  run: text('a command'),
  junit: oneOrMany(text('a path to a JUnit XML file')).optional(),
  'pass-rate': percentCondition().optional(),
  timeout: duration().default(30 * 60_000)
})

const smoke = obj({
  probes: probeRefs.optional(),
  tests: oneOrMany(testRun).optional(),
  confirm: confirm.optional()
})

const canaryStep = obj({
  weight: intBetween(1, 100),
  bake: duration().optional(),
  approval: z.boolean().default(false),
  confirm: confirm.optional()
})

const webhook = obj({
  url: text('a URL'),
  method: method.default('POST'),
  headers: headers.optional(),
  body: z.string().optional(),
  json: json().optional(),
  timeout: duration().optional(),
  retries: retries.optional(),
  expect: httpExpect.optional()
})

const traffic = obj({
  run: text('a command').optional(),
  http: webhook.optional(),
  timeout: duration().optional()
})

const canary = obj({
  traffic,
  steps: z.array(canaryStep).min(1, { error: 'must have at least one step' }),
  analysis: analysis.optional()
})

const soak = obj({
  duration: duration(),
  interval: interval().default(30_000),
  probes: probeRefs.optional(),
  metrics: metrics.optional(),
  'on-no-data': onNoData.default('fail'),
  'min-samples': intBetween(1, 1_000_000).default(20),
  'error-limit': intBetween(1, 1000).default(4),
  'max-bake': multiple(1, 10).default(3),
  tests: soakTests.optional(),
  confirm: confirm.optional()
})

const gates = obj({
  preflight: preflight.optional(),
  migrate: migrate.optional(),
  deploy: command.optional(),
  health: health.optional(),
  smoke: smoke.optional(),
  canary: canary.optional(),
  soak: soak.optional(),
  promote: command.optional(),
  watch: watchGate.optional()
})

const rollback = obj({
  traffic: intBetween(0, 100).default(0),
  run: text('a command').optional(),
  verify: probeRefs.optional(),
  timeout: duration().default(15 * 60_000),
  attempts: intBetween(1, 10).default(3)
})

const notify = obj({
  slack: obj({ webhook: text('a URL') }).optional(),
  webhook: obj({ url: text('a URL'), headers: headers.optional() }).optional(),
  on: z
    .array(
      z.enum(
        [
          'rolled-back',
          'held',
          'rollback-failed',
          'failed',
          'promoted',
          'paused',
          'passed',
          ...HOOK_EVENTS
        ],
        {
          error: (iss) => `unknown result or event ${show(iss.input)}`
        }
      )
    )
    .default(['rolled-back', 'held', 'rollback-failed'])
})

const report = obj({
  comment: z.boolean().default(true),
  checks: z
    .enum(['overall', 'per-gate', 'off'], {
      error: (iss) =>
        `must be 'overall', 'per-gate' or 'off', got ${show(iss.input)}`
    })
    .default('overall'),
  'check-name': text().optional(),
  postmortem: z.boolean().default(false),
  summary: z.boolean().default(true)
})

const varValue = z
  .union([z.string(), z.number(), z.boolean()], {
    error: (iss) =>
      `expected a string, number or boolean, got ${show(iss.input)}`
  })
  .transform(String)

export const ConfigSchema = obj({
  $schema: z.string().optional(),
  version: z.literal(1, {
    error: (iss) =>
      iss.input === undefined
        ? 'is required (version: 1)'
        : `must be 1, got ${show(iss.input)}`
  }),
  service: name('service'),
  environment: text('an environment name'),
  vars: z.record(name('var'), varValue).default({}),
  probes: z.record(name('probe'), probe).default({}),
  gates: gates.default({}),
  rollback: rollback.optional(),
  hooks: hooks.optional(),
  notify: notify.optional(),
  report: report.default({
    comment: true,
    checks: 'overall',
    postmortem: false,
    summary: true
  })
})

export type Config = z.output<typeof ConfigSchema>
export type ProbeConfig = z.output<typeof probe>
export type MetricConfig = z.output<typeof metric>

/** The keys a metric names its source with, in the order docs list them. */
export const METRIC_SOURCES = [
  'prometheus',
  'http',
  'datadog',
  'newrelic',
  'cloudwatch'
] as const

/** The sources a metric config names (one, when the config is valid). */
export function sourcesOf(m: MetricConfig): (typeof METRIC_SOURCES)[number][] {
  return METRIC_SOURCES.filter((k) => m[k] !== undefined)
}
export type HttpRequestConfig = z.output<typeof httpRequest>
export type GatesConfig = Config['gates']
export type CanaryConfig = NonNullable<GatesConfig['canary']>
export type AnalysisConfig = NonNullable<CanaryConfig['analysis']>
export type SoakConfig = NonNullable<GatesConfig['soak']>
export type WatchConfig = NonNullable<GatesConfig['watch']>

/** The gates in the order they run (DESIGN.md §4). */
export const GATE_ORDER = [
  'preflight',
  'migrate',
  'deploy',
  'health',
  'smoke',
  'canary',
  'soak',
  'promote',
  'watch'
] as const
export type GateName = (typeof GATE_ORDER)[number]

export { BUILTIN_METRICS } from './builtin-metrics.js'
