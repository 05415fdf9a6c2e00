/**
 * The metric source keys of the config (Datadog, New Relic, CloudWatch,
 * HTTP JSON with method and body) and `${window.*}`: what parses, what is
 * refused with a clear error, and what a rendered spec sends, checked at a
 * loopback server.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { IncomingMessage } from 'node:http'
import { formatConfigError, parseConfig } from '../../src/config/load.js'
import { render, renderDeep } from '../../src/config/interpolate.js'
import type { MetricConfig } from '../../src/config/schema.js'
import { readHttpJson } from '../../src/metrics/http-json.js'
import {
  metricSpec,
  metricWindow,
  windowValues,
  type MetricWindow
} from '../../src/rollout/metric-spec.js'
import { startStubServer, type StubServer } from '../helpers/exporter.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

function config(metrics: string): string {
  return `version: 1
service: api
environment: staging
vars:
  t: x
probes:
  health:
    http: { url: 'http://127.0.0.1:1/health' }
gates:
  canary:
    traffic: { run: 'true' }
    steps: [{ weight: 10, bake: 1m }, { weight: 100 }]
    analysis:
      tracks: { canary: { t: c }, baseline: { t: b } }
      probes: [health]
      metrics:
${metrics}`
}

function errors(metrics: string): string[] {
  const r = parseConfig(config(metrics), 'x.yml')
  return r.ok ? [] : r.errors.map(formatConfigError)
}

function metricOf(metrics: string, name: string): MetricConfig {
  const r = parseConfig(config(metrics), 'x.yml')
  if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'))
  return r.config.gates.canary!.analysis!.metrics![name]
}

const NOW = Date.UTC(2026, 11, 4, 12, 5, 0)
const env = {
  DD_API_KEY: 'dd-api-key-000000000001',
  DD_APP_KEY: 'dd-app-key-000000000002',
  NR_API_KEY: 'NRAK-000000000000000003',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE000000004',
  AWS_SECRET_ACCESS_KEY: 'secret/000000000000000000000000000005',
  AWS_REGION: 'eu-central-1',
  ADMIN_TOKEN: 'admin-token-000000006'
}

function build(
  m: MetricConfig,
  window: MetricWindow,
  track = 'canary'
): ReturnType<typeof metricSpec> {
  const values = {
    vars: { admin: 'http://127.0.0.1:9' },
    env,
    builtins: { track },
    window: windowValues(window)
  }
  return metricSpec(m, {
    str: (t) => {
      const r = render(t, values)
      if (!r.ok) throw new Error(r.error)
      return r.value
    },
    deep: (v) => {
      const r = renderDeep(v, values)
      if (!r.ok) throw new Error(r.error)
      return r.value
    },
    env,
    window
  })
}

describe('metric source config', () => {
  it('parses the DESIGN examples of each source with their defaults', () => {
    const text = `        cpu:
          datadog:
            query: 'avg:system.cpu.user{service:matches-api,track:\${track}}'
            site: datadoghq.eu
            api-key: "\${secrets.DD_API_KEY}"
            app-key: "\${secrets.DD_APP_KEY}"
            window: 5m
          fail: "> 70"
        errors:
          newrelic:
            account: 1234567
            nrql: "SELECT count(*) FROM Transaction WHERE appName = 'matches-\${track}'"
            api-key: "\${secrets.NR_API_KEY}"
            region: eu
          fail: "> 2x baseline"
        latency:
          cloudwatch:
            namespace: AWS/ApplicationELB
            metric: TargetResponseTime
            dimensions: { TargetGroup: "targetgroup/matches-\${track}/6d0e" }
            stat: p95
          fail: "> 0.5"
`
    const window = metricWindow(metricOf(text, 'cpu'), 5000, NOW)
    expect(window).toEqual({ startMs: NOW - 300_000, endMs: NOW })
    const dd = build(metricOf(text, 'cpu'), window)
    expect(dd?.spec).toEqual({
      kind: 'datadog',
      url: 'https://api.datadoghq.eu',
      query: 'avg:system.cpu.user{service:matches-api,track:canary}',
      apiKey: env.DD_API_KEY,
      appKey: env.DD_APP_KEY,
      from: (NOW - 300_000) / 1000,
      to: NOW / 1000,
      timeoutMs: 10_000
    })
    expect(dd?.secrets).toEqual([env.DD_API_KEY, env.DD_APP_KEY])
    // The default window is the look interval, at least a minute.
    const nrMetric = metricOf(text, 'errors')
    const w = metricWindow(nrMetric, 5000, NOW)
    expect(w.startMs).toBe(NOW - 60_000)
    expect(build(nrMetric, w, 'baseline')?.spec).toMatchObject({
      kind: 'newrelic',
      url: 'https://api.eu.newrelic.com',
      account: 1234567,
      nrql: "SELECT count(*) FROM Transaction WHERE appName = 'matches-baseline'"
    })
    const cw = build(metricOf(text, 'latency'), w)
    expect(cw?.spec).toMatchObject({
      kind: 'cloudwatch',
      region: 'eu-central-1',
      stat: 'p95',
      periodSeconds: 60,
      dimensions: { TargetGroup: 'targetgroup/matches-canary/6d0e' },
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY
      }
    })
    expect(cw?.secrets).toEqual([
      env.AWS_ACCESS_KEY_ID,
      env.AWS_SECRET_ACCESS_KEY
    ])
  })

  it('refuses two sources, a bad stat, a bad region and unknown keys', () => {
    expect(
      errors(`        x:
          datadog: { query: q, api-key: a, app-key: b }
          newrelic: { account: 1, nrql: n, api-key: k }
          fail: '> 1'
`)
    ).toEqual([
      expect.stringContaining(
        "x: a metric has one source, not 'datadog' and 'newrelic'"
      )
    ])
    expect(
      errors(`        x:
          cloudwatch: { namespace: n, metric: m, stat: Median }
          fail: '> 1'
`)[0]
    ).toContain(
      "stat: must be Average, Sum, Minimum, Maximum, SampleCount or pNN (e.g. p95), got 'Median'"
    )
    expect(
      errors(`        x:
          newrelic: { account: 1, nrql: n, api-key: k, region: ap }
          fail: '> 1'
`)[0]
    ).toContain("region: must be 'us' or 'eu', got 'ap'")
    expect(
      errors(`        x:
          datadog: { query: q, api-key: a, app-key: b, sight: datadoghq.eu }
          fail: '> 1'
`)[0]
    ).toContain("datadog.sight: unknown key 'sight'")
  })

  it('${window.*} works in metric sources only', () => {
    expect(
      errors(`        x:
          http: { url: 'http://127.0.0.1:9/q?from=\${window.start_epoch}', path: v }
          fail: '> 1'
`)
    ).toEqual([])
    const text = config(`        x:
          http: { url: 'http://127.0.0.1:9/q', path: v }
          fail: '> 1'
`).replace(
      "http: { url: 'http://127.0.0.1:1/health' }",
      "http: { url: 'http://127.0.0.1:1/health?since=${window.start}' }"
    )
    const r = parseConfig(text, 'x.yml')
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([
      "'${window.start}' only has a value in a metric source (prometheus, http, datadog, newrelic, cloudwatch)"
    ])
    expect(
      errors(`        x:
          http: { url: 'http://127.0.0.1:9/q?x=\${window.middle}', path: v }
          fail: '> 1'
`)[0]
    ).toContain(
      "unknown reference '${window.middle}' (use ${window.start}, ${window.end}, ${window.start_epoch}, ${window.end_epoch})"
    )
  })

  it('CloudWatch without credentials or region is a clear error', () => {
    const m = metricOf(
      `        x:
          cloudwatch: { namespace: n, metric: m }
          fail: '> 1'
`,
      'x'
    )
    const w = metricWindow(m, 1000, NOW)
    const tools = {
      str: (s: string) => s,
      deep: (v: unknown) => v,
      window: w
    }
    expect(() => metricSpec(m, { ...tools, env: {} })).toThrow(
      'cloudwatch: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (aws-actions/configure-aws-credentials sets them)'
    )
    expect(() =>
      metricSpec(m, {
        ...tools,
        env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }
      })
    ).toThrow("cloudwatch: no region: set 'region' or AWS_REGION")
  })
})

describe('HTTP JSON with method and body', () => {
  async function recording(): Promise<{
    server: StubServer
    bodies: { req: IncomingMessage; body: string }[]
  }> {
    const bodies: { req: IncomingMessage; body: string }[] = []
    const server = await startStubServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => (body += c))
      req.on('end', () => {
        bodies.push({ req, body })
        const ok =
          req.method === 'POST' &&
          req.headers.authorization === `Bearer ${env.ADMIN_TOKEN}`
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ data: { queue_depth: ok ? 42 : null } }))
      })
    })
    cleanups.push(() => server.close())
    return { server, bodies }
  }

  it('POSTs a JSON body rendered with the track and the window', async () => {
    const { server, bodies } = await recording()
    const m = metricOf(
      `        queue:
          http:
            url: "${server.url}/stats/query"
            method: POST
            headers: { Authorization: "Bearer \${secrets.ADMIN_TOKEN}" }
            body: { track: "\${track}", from: "\${window.start}", to: "\${window.end}", since: "\${window.start_epoch}", n: 3 }
            path: data.queue_depth
            window: 10m
          fail: "> 100"
`,
      'queue'
    )
    const w = metricWindow(m, 1000, NOW)
    const built = build(m, w)
    if (built?.spec.kind !== 'http-json') throw new Error('not http-json')
    const r = await readHttpJson(built.spec)
    expect(r).toMatchObject({ kind: 'value', value: 42 })
    expect(bodies[0].req.headers['content-type']).toBe('application/json')
    expect(JSON.parse(bodies[0].body)).toEqual({
      track: 'canary',
      from: '2026-12-04T11:55:00.000Z',
      to: '2026-12-04T12:05:00.000Z',
      since: String((NOW - 600_000) / 1000),
      n: 3
    })
  })

  it('sends a text body as written, with its own content type', async () => {
    const { server, bodies } = await recording()
    const m = metricOf(
      `        queue:
          http:
            url: "${server.url}/q"
            method: post
            headers: { Authorization: "Bearer \${secrets.ADMIN_TOKEN}", Content-Type: text/plain }
            body: "depth track=\${track} end=\${window.end_epoch}"
            path: data.queue_depth
          fail: "> 100"
`,
      'queue'
    )
    const built = build(m, metricWindow(m, 1000, NOW), 'baseline')
    if (built?.spec.kind !== 'http-json') throw new Error('not http-json')
    expect(await readHttpJson(built.spec)).toMatchObject({ value: 42 })
    expect(bodies[0].req.headers['content-type']).toBe('text/plain')
    expect(bodies[0].body).toBe(`depth track=baseline end=${NOW / 1000}`)
  })
})
