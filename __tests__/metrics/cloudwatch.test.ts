/**
 * The CloudWatch source against a GetMetricData stand-in that speaks the
 * AWS JSON 1.0 protocol and recomputes the SigV4 signature of every
 * request from the secret key; percentiles (which moto lacks) are tested
 * here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { queryCloudWatch } from '../../src/metrics/cloudwatch.js'
import type { CloudWatchSourceSpec } from '../../src/metrics/types.js'
import {
  startCloudWatch,
  type CwData,
  type CwQuery,
  type Fault
} from '../helpers/metric-providers.js'

const CREDS = {
  accessKeyId: 'AKIAQ3EXAMPLE7TESTKEY',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789abcdef'
}
const REGION = 'eu-west-1'
const T = Date.UTC(2026, 11, 4, 12, 4, 0)

let next: (q: CwQuery) => CwData | Fault = () => ({
  timestamps: [],
  values: []
})
let cw: Awaited<ReturnType<typeof startCloudWatch>>

beforeAll(async () => {
  cw = await startCloudWatch({
    credentials: CREDS,
    region: REGION,
    answer: (q) => next(q)
  })
})
afterAll(async () => {
  expect(cw.rejected).toEqual([])
  await cw.close()
})

const spec = (
  over: Partial<CloudWatchSourceSpec> = {}
): CloudWatchSourceSpec => ({
  region: REGION,
  url: cw.url,
  namespace: 'AWS/ApplicationELB',
  metric: 'TargetResponseTime',
  dimensions: { TargetGroup: 'targetgroup/matches-canary/6d0ecf831eec9f09' },
  stat: 'p95',
  periodSeconds: 60,
  start: T - 300_000,
  end: T,
  credentials: CREDS,
  timeoutMs: 5000,
  ...over
})

const secretsOf = (r: unknown): string[] => {
  const text = JSON.stringify(r)
  return Object.values(CREDS).filter((s) => text.includes(s))
}

describe('CloudWatch source', () => {
  it('sends one signed p95 MetricStat and reads the newest point', async () => {
    next = () => ({
      timestamps: [T - 120_000, T - 60_000, T - 180_000],
      values: [0.31, 0.44, 0.29]
    })
    const r = await queryCloudWatch(spec())
    expect(r).toMatchObject({
      kind: 'value',
      value: 0.44,
      note: 'cloudwatch: AWS/ApplicationELB TargetResponseTime p95 (TargetGroup=targetgroup/matches-canary/6d0ecf831eec9f09), last point 12:03:00'
    })
    expect(cw.queries.at(-1)).toEqual({
      namespace: 'AWS/ApplicationELB',
      metric: 'TargetResponseTime',
      dimensions: {
        TargetGroup: 'targetgroup/matches-canary/6d0ecf831eec9f09'
      },
      stat: 'p95',
      period: 60,
      start: T - 300_000,
      end: T
    })
  })

  it('signs without a session token too', async () => {
    next = () => ({ timestamps: [T], values: [3] })
    const { sessionToken: _, ...longTerm } = CREDS
    const plain = await startCloudWatch({
      credentials: longTerm,
      region: REGION,
      answer: () => ({ timestamps: [T], values: [3] })
    })
    try {
      const r = await queryCloudWatch(
        spec({ url: plain.url, credentials: longTerm, stat: 'p99.9' })
      )
      expect(r).toMatchObject({ kind: 'value', value: 3 })
      expect(plain.rejected).toEqual([])
    } finally {
      await plain.close()
    }
  })

  it('a wrong secret fails the signature check, and no key is shown', async () => {
    const before = cw.rejected.length
    const r = await queryCloudWatch(
      spec({ credentials: { ...CREDS, secretAccessKey: 'x'.repeat(40) } })
    )
    expect(cw.rejected.splice(before)).toEqual(['signature does not match'])
    expect(r).toMatchObject({ kind: 'error', status: 403 })
    expect(r.kind === 'error' && r.reason).toMatch(
      /^cloudwatch: HTTP 403 from 127\.0\.0\.1:\d+ \(check AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY \/ AWS_SESSION_TOKEN\): 'SignatureDoesNotMatch: The request signature we calculated/
    )
    expect(secretsOf(r)).toEqual([])
    expect(JSON.stringify(r)).not.toContain('x'.repeat(40))
  })

  it('no datapoints is no-data', async () => {
    next = () => ({ timestamps: [], values: [] })
    const r = await queryCloudWatch(spec())
    expect(r.kind !== 'value' && r.reason).toBe(
      'cloudwatch: no datapoints for AWS/ApplicationELB TargetResponseTime p95 (TargetGroup=targetgroup/matches-canary/6d0ecf831eec9f09) in the window'
    )
  })

  it('429 keeps Retry-After; 500 and malformed answers are errors', async () => {
    next = () => ({
      kind: 'status',
      status: 429,
      retryAfter: '12',
      body: JSON.stringify({ __type: 'Throttling', message: 'Rate exceeded' })
    })
    const limited = await queryCloudWatch(spec())
    expect(limited).toMatchObject({
      kind: 'error',
      status: 429,
      retryAfterMs: 12_000
    })
    expect(limited.kind === 'error' && limited.reason).toMatch(
      /^cloudwatch: rate limited: HTTP 429 from 127\.0\.0\.1:\d+; retry after 12s: 'Throttling: Rate exceeded'$/
    )
    next = () => ({
      kind: 'status',
      status: 500,
      body: JSON.stringify({
        __type: 'InternalServiceFault',
        message: 'Internal failure'
      })
    })
    const broken = await queryCloudWatch(spec())
    expect(broken.kind === 'error' && broken.reason).toMatch(
      /^cloudwatch: HTTP 500 from 127\.0\.0\.1:\d+: 'InternalServiceFault: Internal failure'$/
    )
    next = () => ({
      kind: 'raw',
      status: 200,
      contentType: 'application/x-amz-json-1.0',
      body: '{"MetricDataResults": ['
    })
    const bad = await queryCloudWatch(spec())
    expect(bad.kind === 'error' && bad.reason).toMatch(
      /^cloudwatch: malformed answer from 127\.0\.0\.1:\d+: not a GetMetricData answer/
    )
    for (const r of [limited, broken, bad]) expect(secretsOf(r)).toEqual([])
  })

  it('a bad stat is refused before any request', async () => {
    const before = cw.queries.length
    const r = await queryCloudWatch(spec({ stat: 'Median' }))
    expect(r.kind === 'error' && r.reason).toMatch(
      /^cloudwatch: invalid stat 'Median' \(use Average, Sum, Minimum, Maximum, SampleCount or pNN/
    )
    expect(cw.queries.length).toBe(before)
  })
})
