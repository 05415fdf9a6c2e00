/**
 * Canary rollouts whose analysis reads one metric from each of Datadog,
 * New Relic and CloudWatch (stand-ins that check every request), on the
 * real engine with a fake clock: healthy values promote; a canary value
 * over 2x the baseline rolls back naming the source and the value; a
 * provider that refuses, throttles, breaks or has nothing gives one clear
 * finding and never promotes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  ddSeries,
  startCloudWatch,
  startDatadog,
  startNewRelic,
  type Fault
} from '../helpers/metric-providers.js'
import { baseYaml, scenario, type ScenarioRun } from '../helpers/scenario.js'

const KEYS = {
  DD_API_KEY: 'dd-api-0f1e2d3c4b5a69788796a5b4',
  DD_APP_KEY: 'dd-app-a1b2c3d4e5f60718293a4b5c6d7e',
  NR_API_KEY: 'NRAK-Z9Y8X7W6V5U4T3S2R1Q0P9O8N7',
  AWS_ACCESS_KEY_ID: 'AKIAQ3SCENARIOKEY001',
  AWS_SECRET_ACCESS_KEY: 'sCeNaRiO/SeCrEt+KeY/0123456789abcdefABCD',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjScenarioSessionToken9876543210',
  AWS_REGION: 'eu-west-1'
}

type Provider = 'datadog' | 'newrelic' | 'cloudwatch'
/** What each provider answers per track; a fault replaces the answer. */
const values: Record<Provider, { canary: number; baseline: number }> = {
  datadog: { canary: 40, baseline: 38 },
  newrelic: { canary: 1.1, baseline: 1 },
  cloudwatch: { canary: 0.21, baseline: 0.2 }
}
const faults: Partial<Record<Provider, Fault | 'empty'>> = {}

let dd: Awaited<ReturnType<typeof startDatadog>>
let nr: Awaited<ReturnType<typeof startNewRelic>>
let cw: Awaited<ReturnType<typeof startCloudWatch>>

const trackOf = (text: string): 'canary' | 'baseline' =>
  text.includes('canary') ? 'canary' : 'baseline'

beforeAll(async () => {
  dd = await startDatadog({
    apiKey: KEYS.DD_API_KEY,
    appKey: KEYS.DD_APP_KEY,
    answer: (q) => {
      const f = faults.datadog
      if (f === 'empty') return []
      if (f) return f
      const v = values.datadog[trackOf(q.query)]
      return [
        ddSeries(`track:${trackOf(q.query)}`, [
          [q.to * 1000 - 60_000, v],
          [q.to * 1000, null]
        ])
      ]
    }
  })
  nr = await startNewRelic({
    apiKey: KEYS.NR_API_KEY,
    account: 1234567,
    answer: (nrql) => {
      const f = faults.newrelic
      if (f === 'empty') return []
      if (f) return f
      return [{ percentage: values.newrelic[trackOf(nrql)] }]
    }
  })
  cw = await startCloudWatch({
    credentials: {
      accessKeyId: KEYS.AWS_ACCESS_KEY_ID,
      secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY,
      sessionToken: KEYS.AWS_SESSION_TOKEN
    },
    region: KEYS.AWS_REGION,
    answer: (q) => {
      const f = faults.cloudwatch
      if (f === 'empty') return { timestamps: [], values: [] }
      if (f) return f
      const v = values.cloudwatch[trackOf(q.dimensions.TargetGroup ?? '')]
      return { timestamps: [q.end - 60_000], values: [v] }
    }
  })
})

afterAll(async () => {
  expect([...dd.rejected, ...nr.rejected, ...cw.rejected]).toEqual([])
  await Promise.all([dd.close(), nr.close(), cw.close()])
})

function run(): Promise<ScenarioRun> {
  return scenario({
    canary: { errorRate: 0, latencyMs: 2 },
    stable: { errorRate: 0, latencyMs: 2 },
    env: KEYS,
    yaml: (u) =>
      baseYaml(u, {
        bake: '20s',
        metrics: `        cpu:
          datadog:
            query: 'avg:system.cpu.user{service:matches-api,track:\${track}}'
            url: '${dd.url}'
            api-key: '\${secrets.DD_API_KEY}'
            app-key: '\${secrets.DD_APP_KEY}'
            window: 5m
          fail: '> 2x baseline'
        errors:
          newrelic:
            account: 1234567
            nrql: "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = 'matches-\${track}' SINCE 5 minutes ago"
            api-key: '\${secrets.NR_API_KEY}'
            url: '${nr.url}'
          fail: '> 2x baseline'
        latency:
          cloudwatch:
            namespace: AWS/ApplicationELB
            metric: TargetResponseTime
            dimensions: { TargetGroup: 'targetgroup/matches-\${track}/6d0ecf831eec9f09' }
            stat: p95
            url: '${cw.url}'
          fail: '> 2x baseline'
`
      })
  })
}

/** Every text a rollout shows: the report and the events. */
function surfaces(r: ScenarioRun): string {
  return JSON.stringify([r.report, r.events, r.warnings])
}

function expectNoKeys(r: ScenarioRun): void {
  const text = surfaces(r)
  const shown = Object.entries(KEYS)
    .filter(([k]) => k !== 'AWS_REGION')
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k)
  expect(shown).toEqual([])
}

function reset(): void {
  values.datadog = { canary: 40, baseline: 38 }
  values.newrelic = { canary: 1.1, baseline: 1 }
  values.cloudwatch = { canary: 0.21, baseline: 0.2 }
  for (const k of Object.keys(faults)) delete faults[k as Provider]
}

describe('canary analysis on Datadog, New Relic and CloudWatch', () => {
  it('promotes when the canary matches the baseline', async () => {
    reset()
    const r = await run()
    expect(r.report.result).toBe('promoted')
    expect(r.weight).toBe('100')
    const step = r.report.gates.find(
      (g) => g.gate === 'canary' && g.step === 10
    )
    const reasons = (step?.findings ?? []).map((f) => f.reason).join('\n')
    expect(reasons).toContain(
      '(datadog: avg:system.cpu.user{service:matches-api,track:canary}, last point'
    )
    expect(reasons).toContain('(newrelic: SELECT percentage')
    expect(reasons).toContain(
      '(cloudwatch: AWS/ApplicationELB TargetResponseTime p95 (TargetGroup=targetgroup/matches-canary/6d0ecf831eec9f09), last point'
    )
    // Each look asked each provider once per track.
    expect(dd.queries.some((q) => q.query.includes('track:baseline'))).toBe(
      true
    )
    expect(cw.queries.every((q) => q.stat === 'p95' && q.period === 60)).toBe(
      true
    )
    expectNoKeys(r)
  }, 120_000)

  const breaches: [Provider, string, number, RegExp][] = [
    [
      'datadog',
      'cpu',
      90,
      /^cpu 90 > 2x baseline \(38\).*\(datadog: avg:system\.cpu\.user\{service:matches-api,track:canary\}, last point \d\d:\d\d:\d\d\)$/
    ],
    [
      'newrelic',
      'errors',
      2.5,
      /^errors 2\.5 > 2x baseline \(1\).*\(newrelic: SELECT percentage.*, field 'percentage' of the first row\)$/
    ],
    [
      'cloudwatch',
      'latency',
      0.55,
      /^latency 0\.55 > 2x baseline \(0\.2\).*\(cloudwatch: AWS\/ApplicationELB TargetResponseTime p95 \(TargetGroup=targetgroup\/matches-canary\/6d0ecf831eec9f09\), last point \d\d:\d\d:\d\d\)$/
    ]
  ]
  for (const [provider, metric, bad, finding] of breaches) {
    it(`rolls back naming ${provider} and the value when the canary is over 2x baseline`, async () => {
      reset()
      values[provider].canary = bad
      const r = await run()
      expect(r.report.result).toBe('rolled-back')
      const failed = r.report.gates.find((g) => g.outcome === 'failed')
      expect(failed?.step).toBe(10)
      const fails = (failed?.findings ?? []).filter((f) => f.level === 'fail')
      expect(fails.map((f) => f.name)).toEqual([metric])
      expect(fails[0].reason).toMatch(finding)
      expect(r.weight).toBe('0')
      expectNoKeys(r)
    }, 120_000)
  }

  const broken: [string, Provider, Fault | 'empty', RegExp][] = [
    [
      '401',
      'newrelic',
      {
        kind: 'status',
        status: 401,
        body: '{"errors":[{"message":"Invalid API key"}]}'
      },
      /^errors: source errored 5 times in a row \(last: newrelic: HTTP 401 from 127\.0\.0\.1:\d+ \(check api-key \(a User key\)\): 'Invalid API key'\)$/
    ],
    [
      '429 with Retry-After',
      'datadog',
      {
        kind: 'status',
        status: 429,
        retryAfter: '3',
        body: '{"errors":["Rate limit of 300 requests in 3600 seconds reached"]}'
      },
      /^cpu: source errored 5 times in a row \(last: datadog: rate limited: HTTP 429 from 127\.0\.0\.1:\d+; retry after 3s: 'Rate limit of 300 requests in 3600 seconds reached' \(not asked again for 2s\)\)$/
    ],
    [
      '500',
      'cloudwatch',
      {
        kind: 'status',
        status: 500,
        body: '{"__type":"InternalServiceFault","message":"Internal failure"}'
      },
      /^latency: source errored 5 times in a row \(last: cloudwatch: HTTP 500 from 127\.0\.0\.1:\d+: 'InternalServiceFault: Internal failure'\)$/
    ],
    [
      'malformed JSON',
      'datadog',
      {
        kind: 'raw',
        status: 200,
        contentType: 'application/json',
        body: '{"series": ['
      },
      /^cpu: source errored 5 times in a row \(last: datadog: malformed answer from 127\.0\.0\.1:\d+: not JSON/
    ],
    [
      'an empty series',
      'datadog',
      'empty',
      /^cpu: no value at (\d+) of \1 looks \(no-data \1, last: datadog: no series for 'avg:system\.cpu\.user\{service:matches-api,track:(canary|baseline)\}'\)$/
    ]
  ]
  for (const [what, provider, fault, finding] of broken) {
    it(`${provider} answering ${what}: one clear finding, never promoted`, async () => {
      reset()
      faults[provider] = fault
      const asked = dd.queries.length
      const r = await run()
      if (what.startsWith('429')) {
        // 5 looks per track, but Retry-After: 3s (3 looks) is honoured:
        // asked at the 1st and 4th look only.
        expect(dd.queries.length - asked).toBe(4)
      }
      expect(r.report.result).not.toBe('promoted')
      expect(r.weight).not.toBe('100')
      const failed = r.report.gates.find(
        (g) => g.outcome === 'failed' || g.outcome === 'held'
      )
      const mine = (failed?.findings ?? []).filter(
        (f) => f.level !== 'ok' && f.level !== 'warn'
      )
      expect(mine.length).toBe(1)
      expect(mine[0].reason).toMatch(finding)
      expectNoKeys(r)
    }, 120_000)
  }
})
