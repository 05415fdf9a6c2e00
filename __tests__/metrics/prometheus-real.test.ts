/**
 * The Prometheus source against a real Prometheus (Debian package) scraping
 * a loopback exporter every second: the numbers asserted are the ones the
 * exporter serves, read back through PromQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { queryPrometheus } from '../../src/metrics/prometheus.js'
import { startExporter, type Exporter } from '../helpers/exporter.js'
import {
  findPrometheus,
  pidAlive,
  PROMETHEUS_MISSING,
  startPrometheus,
  waitForFirstScrape,
  type PrometheusServer
} from '../helpers/prometheus.js'
import type { MetricReading } from '../../src/kernel/reading.js'

const binary = findPrometheus()
const onCi = process.env.CI === 'true'

if (binary === undefined && onCi) {
  describe('Prometheus source against a real Prometheus', () => {
    it('needs the prometheus binary', () => {
      throw new Error(PROMETHEUS_MISSING)
    })
  })
} else if (binary === undefined) {
  console.warn(`skipping real-Prometheus tests: ${PROMETHEUS_MISSING}`)
  describe.skip('Prometheus source against a real Prometheus', () => {
    it('needs the prometheus binary', () => undefined)
  })
} else {
  realPrometheusTests(binary)
}

function realPrometheusTests(bin: string): void {
  describe('Prometheus source against a real Prometheus', () => {
    let exporter: Exporter
    let prom: PrometheusServer | undefined

    beforeAll(async () => {
      exporter = await startExporter()
      exporter.set('app_cpu_ratio', { track: 'canary' }, 0.42)
      exporter.set('app_cpu_ratio', { track: 'baseline' }, 0.17)
      // Every scrape adds requests in a fixed ratio per track, so rate()
      // over any window gives exactly 10% errors on canary and 1% on
      // baseline, whatever the timing.
      const bump = (track: string, ok: number, failed: number): void => {
        exporter.inc('http_requests_total', { track, code: '200' }, ok)
        exporter.inc('http_requests_total', { track, code: '500' }, failed)
      }
      bump('canary', 0, 0)
      bump('baseline', 0, 0)
      exporter.onScrape(() => {
        bump('canary', 90, 10)
        bump('baseline', 99, 1)
      })
      prom = await startPrometheus({ binary: bin, targets: [exporter.target] })
      await waitForFirstScrape(prom.url, 1, 15_000)
    }, 25_000)

    afterAll(async () => {
      if (prom) {
        const { pid } = prom
        await prom.stop()
        expect(pidAlive(pid)).toBe(false)
      }
      await exporter?.close()
    }, 10_000)

    const spec = (
      query: string,
      over: { url?: string; timeoutMs?: number } = {}
    ): Parameters<typeof queryPrometheus>[0] => ({
      url: over.url ?? prom!.url,
      query,
      timeoutMs: over.timeoutMs ?? 2000,
      headers: {}
    })

    /** Re-queries until `done`, for values that need more scrapes. */
    async function until(
      query: string,
      done: (r: MetricReading) => boolean,
      timeoutMs = 8000
    ): Promise<MetricReading> {
      const deadline = Date.now() + timeoutMs
      let reading = await queryPrometheus(spec(query))
      while (!done(reading) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        reading = await queryPrometheus(spec(query))
      }
      return reading
    }

    it('reads a gauge per track from a rendered ${track} query', async () => {
      const template = 'avg(app_cpu_ratio{track="${track}"})'
      const render = (track: string): string =>
        template.replace('${track}', track)
      const canary = await queryPrometheus(spec(render('canary')))
      const baseline = await queryPrometheus(spec(render('baseline')))
      expect(canary).toMatchObject({ kind: 'value', value: 0.42 })
      expect(baseline).toMatchObject({ kind: 'value', value: 0.17 })
    })

    it('takes a one-sample vector without aggregation, and a scalar', async () => {
      const vector = await queryPrometheus(
        spec('app_cpu_ratio{track="canary"}')
      )
      expect(vector).toMatchObject({ kind: 'value', value: 0.42 })
      const scalar = await queryPrometheus(
        spec('scalar(app_cpu_ratio{track="baseline"}) * 2')
      )
      expect(scalar).toMatchObject({ kind: 'value', value: 0.34 })
    })

    it('accepts a base URL with a trailing slash', async () => {
      const r = await queryPrometheus(
        spec('app_cpu_ratio{track="canary"}', { url: `${prom!.url}/` })
      )
      expect(r).toMatchObject({ kind: 'value', value: 0.42 })
    })

    it('computes an error rate from rate() of counters', async () => {
      const ratio = (track: string): string =>
        `sum(rate(http_requests_total{track="${track}",code=~"5.."}[10s]))` +
        ` / sum(rate(http_requests_total{track="${track}"}[10s]))`
      const canary = await until(ratio('canary'), (r) => r.kind === 'value')
      expect(canary.kind).toBe('value')
      if (canary.kind !== 'value') return
      expect(canary.value).toBeCloseTo(0.1, 9)
      const baseline = await queryPrometheus(spec(ratio('baseline')))
      expect(baseline.kind).toBe('value')
      if (baseline.kind !== 'value') return
      expect(baseline.value).toBeCloseTo(0.01, 9)
    })

    it('sees a new value after the next scrape', async () => {
      exporter.set('app_cpu_ratio', { track: 'canary' }, 0.55)
      try {
        const r = await until(
          'app_cpu_ratio{track="canary"}',
          (x) => x.kind === 'value' && x.value === 0.55
        )
        expect(r).toMatchObject({ kind: 'value', value: 0.55 })
      } finally {
        exporter.set('app_cpu_ratio', { track: 'canary' }, 0.42)
      }
    })

    it('is no-data, not zero, when no series matches', async () => {
      const r = await queryPrometheus(spec('app_cpu_ratio{track="nope"}'))
      expect(r).toMatchObject({ kind: 'no-data' })
      expect(r.kind === 'no-data' && r.reason).toBe(
        `no series match 'app_cpu_ratio{track="nope"}'`
      )
    })

    it('is no-data for NaN and Inf', async () => {
      const nan = await queryPrometheus(spec('0/0'))
      expect(nan).toMatchObject({ kind: 'no-data' })
      expect(nan.kind === 'no-data' && nan.reason).toMatch(/'NaN'/)
      const inf = await queryPrometheus(spec('1/0'))
      expect(inf).toMatchObject({ kind: 'no-data' })
      expect(inf.kind === 'no-data' && inf.reason).toMatch(/'\+Inf'/)
    })

    it('is an error naming the series count when the query is not aggregated', async () => {
      const r = await queryPrometheus(spec('app_cpu_ratio'))
      expect(r).toMatchObject({
        kind: 'error',
        status: 200,
        reason:
          "query returned 2 series differing in 'track'; aggregate it to one (sum(...), avg(...))"
      })
    })

    it("passes Prometheus' own error text for bad PromQL", async () => {
      const r = await queryPrometheus(spec('sum(rate(http_requests_total[1m])'))
      expect(r.kind).toBe('error')
      if (r.kind !== 'error') return
      expect(r.status).toBe(400)
      expect(r.reason).toMatch(
        /^Prometheus rejected the query \(bad_data\): .*parse error/
      )
      expect(r.reason).not.toContain('\n')
    })

    it('hints at the base URL when given the API URL', async () => {
      const r = await queryPrometheus(
        spec('up', { url: `${prom!.url}/api/v1/query` })
      )
      expect(r).toMatchObject({ kind: 'error', status: 404 })
      expect(r.kind === 'error' && r.reason).toMatch(/Prometheus base URL/)
    })

    it('is an error for a range vector', async () => {
      const r = await queryPrometheus(spec('app_cpu_ratio[1m]'))
      expect(r).toMatchObject({ kind: 'error' })
      expect(r.kind === 'error' && r.reason).toMatch(/range vector/)
    })
  })
}
