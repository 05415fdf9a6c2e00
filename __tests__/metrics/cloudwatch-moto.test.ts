/**
 * The CloudWatch source against moto in server mode with signature
 * checking on: metric data is put with a signed PutMetricData, then read
 * back through the source, so the value judged is the value put in; a
 * wrong secret key is refused by moto's own SigV4 check.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  CloudWatchClient,
  PutMetricDataCommand,
  type MetricDatum
} from '@aws-sdk/client-cloudwatch'
import { queryCloudWatch } from '../../src/metrics/cloudwatch.js'
import type { CloudWatchSourceSpec } from '../../src/metrics/types.js'
import {
  findMoto,
  MOTO_MISSING,
  startMoto,
  type MotoServer
} from '../helpers/moto.js'

const binary = findMoto()
const onCi = process.env.CI === 'true'

if (binary === undefined && onCi) {
  describe('CloudWatch source against moto_server', () => {
    it('needs moto_server', () => {
      throw new Error(MOTO_MISSING)
    })
  })
} else if (binary === undefined) {
  console.warn(`skipping moto tests: ${MOTO_MISSING}`)
  describe.skip('CloudWatch source against moto_server', () => {
    it('needs moto_server', () => undefined)
  })
} else {
  motoTests(binary)
}

function motoTests(bin: string): void {
  describe('CloudWatch source against moto_server', () => {
    let moto: MotoServer
    // Whole minutes, so each point falls in its own 60 s period.
    const minute = Math.floor(Date.now() / 60_000) * 60_000

    beforeAll(async () => {
      moto = await startMoto(bin)
      const client = new CloudWatchClient({
        region: 'eu-west-1',
        endpoint: moto.url,
        credentials: moto.credentials,
        maxAttempts: 1
      })
      const point = (
        track: string,
        value: number,
        at: number
      ): MetricDatum => ({
        MetricName: 'TargetResponseTime',
        Dimensions: [{ Name: 'TargetGroup', Value: `tg/matches-${track}` }],
        Value: value,
        Unit: 'Seconds',
        Timestamp: new Date(at)
      })
      await client.send(
        new PutMetricDataCommand({
          Namespace: 'App/ELB',
          MetricData: [
            point('canary', 0.31, minute - 180_000),
            point('canary', 0.42, minute - 60_000),
            point('baseline', 0.17, minute - 60_000)
          ]
        })
      )
      client.destroy()
    }, 60_000)

    afterAll(async () => {
      await moto?.stop()
    }, 15_000)

    const spec = (
      over: Partial<CloudWatchSourceSpec> = {}
    ): CloudWatchSourceSpec => ({
      region: 'eu-west-1',
      url: moto.url,
      namespace: 'App/ELB',
      metric: 'TargetResponseTime',
      dimensions: { TargetGroup: 'tg/matches-canary' },
      stat: 'Average',
      periodSeconds: 60,
      start: minute - 600_000,
      end: minute + 60_000,
      credentials: moto.credentials,
      timeoutMs: 10_000,
      ...over
    })

    it('reads back the newest value put in, with where it came from', async () => {
      const r = await queryCloudWatch(spec())
      expect(r).toMatchObject({ kind: 'value', value: 0.42 })
      const at = new Date(minute - 60_000).toISOString().slice(11, 19)
      expect(r.kind === 'value' && r.note).toBe(
        `cloudwatch: App/ELB TargetResponseTime Average (TargetGroup=tg/matches-canary), last point ${at}`
      )
      const baseline = await queryCloudWatch(
        spec({ dimensions: { TargetGroup: 'tg/matches-baseline' } })
      )
      expect(baseline).toMatchObject({ kind: 'value', value: 0.17 })
    }, 30_000)

    it('the window decides which points count', async () => {
      const r = await queryCloudWatch(
        spec({
          start: minute - 240_000,
          end: minute - 120_000,
          stat: 'Maximum'
        })
      )
      expect(r).toMatchObject({ kind: 'value', value: 0.31 })
    }, 30_000)

    it('no datapoints is no-data, never zero', async () => {
      const r = await queryCloudWatch(
        spec({ dimensions: { TargetGroup: 'tg/nothing-here' } })
      )
      expect(r.kind).toBe('no-data')
      expect(r.kind !== 'value' && r.reason).toMatch(
        /^cloudwatch: no datapoints for App\/ELB TargetResponseTime/
      )
    }, 30_000)

    it("a wrong secret key fails moto's signature check, and is not shown", async () => {
      const wrong = `${moto.credentials.secretAccessKey.slice(0, -4)}XXXX`
      const r = await queryCloudWatch(
        spec({
          credentials: { ...moto.credentials, secretAccessKey: wrong }
        })
      )
      expect(r.kind).toBe('error')
      const reason = r.kind === 'error' ? r.reason : ''
      expect(reason).toMatch(/^cloudwatch: HTTP 403 .*SignatureDoesNotMatch/)
      expect(reason).not.toContain(wrong)
      expect(reason).not.toContain(moto.credentials.accessKeyId)
    }, 30_000)
  })
}
