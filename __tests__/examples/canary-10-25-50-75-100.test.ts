/**
 * examples/canary-10-25-50-75-100.yml (staging & canary rollout checklist)
 * run as written against loopback stand-ins: a canary and a stable
 * service, a load balancer API that takes the weights, the public host
 * over HTTPS with a private CA, and Prometheus. A healthy canary goes
 * 10 → 25 → 50 → 75 → 100 %, is promoted and watched; one answering 8 %
 * errors once it gets traffic ("Error rate exceeds 5%") is rolled back at
 * 10 %, and one whose database errors start after promotion ("Database
 * errors (critical)" while monitoring application performance) is rolled
 * back by the watch.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import {
  junit,
  healthyOutcomes,
  runExample,
  verdict,
  type ExampleRun
} from '../helpers/example-run.js'
import { hasOpenssl, makeSelfSignedCert } from '../helpers/http-certs.js'
import {
  byFragment,
  startPrometheusApi,
  type PrometheusApi
} from '../helpers/prometheus-api.js'
import {
  deployedVersion,
  sendJson,
  startStandIn,
  trustCa,
  type StandIn
} from '../helpers/stand-ins.js'

const EXAMPLE = 'canary-10-25-50-75-100.yml'
const secrets = {
  DATABASE_URL: 'postgres://web:pw@127.0.0.1:5432/web',
  REDIS_URL: 'redis://127.0.0.1:6379',
  STRIPE_SECRET_KEY: 'sk_test_example',
  SMOKE_TOKEN: 'smoke-token-example',
  LB_API_TOKEN: 'lb-token-example',
  SLACK_WEBHOOK: 'https://hooks.slack.invalid/T000/B000',
  ALERTS_TOKEN: 'alerts-token-example'
}

let canary: StandIn
let stable: StandIn
let publicHost: StandIn
let lb: StandIn
let prometheus: PrometheusApi
let untrust: () => void
/** The canary weights the load balancer was given, in order. */
let weights: number[] = []
/** The canary answers 500 to one request in this many once it has traffic. */
let errorEvery = 0
let requests = 0
let dir: string
/** Database query errors the canary has once it is promoted. */
let dbErrorsAfterPromote = 0

/** The web app of one version; `faulty` is the canary's fault switch. */
function app(version: string, faulty: boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const traffic = (weights.at(-1) ?? 0) > 0
    if (faulty && traffic && errorEvery > 0 && ++requests % errorEvery === 0) {
      return sendJson(res, 500, { error: 'internal error' })
    }
    const token = req.headers.authorization === `Bearer ${secrets.SMOKE_TOKEN}`
    switch (req.url) {
      case '/api/health':
        return sendJson(res, 200, { status: 'ok', version })
      case '/api/products?limit=1':
        return token
          ? sendJson(res, 200, { items: [{ id: 1, name: 'Mug' }] })
          : sendJson(res, 401, { error: 'unauthorized' })
      case '/api/account':
        return token
          ? sendJson(res, 200, { email: 'smoke@example.com' })
          : sendJson(res, 401, { error: 'unauthorized' })
      default:
        return sendJson(res, 404, { error: 'not found' })
    }
  }
}

/** Scripts the config runs; promote and rollback set the public version. */
const files = {
  'scripts/deploy-canary.sh': 'echo "canary pool now runs $1"',
  'scripts/flush-redis-cache.sh': 'echo flushed',
  'scripts/promote-canary.sh': 'echo "$1" > "$PUBLIC_VERSION"',
  'scripts/update-dns.sh': 'echo "dns updated"',
  'scripts/invalidate-cdn.sh': 'echo "cdn invalidated"',
  'scripts/rollback.sh': 'echo "$1" > "$PUBLIC_VERSION"'
}

const programs = {
  npm: `case "$*" in
  "run db:migrate"|"run db:rollback") echo "$2 done" ;;
  *) echo "npm: unexpected '$*'" >&2; exit 2 ;;
esac`,
  npx: `test "$*" = "playwright test --grep @critical --reporter=junit"
mkdir -p "$(dirname "$PLAYWRIGHT_JUNIT_OUTPUT_NAME")"
cat > "$PLAYWRIGHT_JUNIT_OUTPUT_NAME" <<'XML'
${junit('critical', 18)}XML`
}

async function run(): Promise<ExampleRun> {
  weights = []
  requests = 0
  dir = mkdtempSync(join(tmpdir(), 'dg-public-'))
  return runExample({
    example: EXAMPLE,
    overrides: {
      vars: {
        base: canary.url,
        public: publicHost.url,
        ws: canary.url.replace('http:', 'ws:'),
        prometheus: prometheus.url,
        lb: lb.url
      },
      tracks: {
        canary: { base: canary.url },
        baseline: { base: stable.url }
      },
      maxBake: 2 * 60_000,
      maxSoak: 5 * 60_000,
      maxWatch: 5 * 60_000
    },
    files,
    programs,
    env: { ...secrets, PUBLIC_VERSION: join(dir, 'version') },
    version: 'v2.0.0',
    previousVersion: 'v1.9.0'
  })
}

/** The public host speaks HTTPS with a certificate openssl makes. */
const suite = hasOpenssl() ? describe : describe.skip

suite('examples/canary-10-25-50-75-100.yml', () => {
  beforeAll(async () => {
    const cert = makeSelfSignedCert(90)
    untrust = trustCa(cert.cert)
    canary = await startStandIn(app('v2.0.0', true))
    stable = await startStandIn(app('v1.9.0', false))
    // "Real-time features verified": the socket opens and answers pings.
    const wss = new WebSocketServer({ noServer: true })
    canary.server.on('upgrade', (req, socket, head) => {
      const ok =
        req.url === '/ws' &&
        req.headers.authorization === `Bearer ${secrets.SMOKE_TOKEN}`
      if (!ok) return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws))
    })
    publicHost = await startStandIn((req, res) => {
      const version = deployedVersion(join(dir, 'version'), 'v1.9.0')
      if (req.url === '/api/health') return sendJson(res, 200, { status: 'ok' })
      if (req.url === '/api/version') return sendJson(res, 200, { version })
      sendJson(res, 404, { error: 'not found' })
    }, cert)
    lb = await startStandIn((req, res, body) => {
      const auth =
        req.headers.authorization === `Bearer ${secrets.LB_API_TOKEN}`
      if (
        req.method !== 'PUT' ||
        req.url !== '/v1/pools/web/weights' ||
        !auth
      ) {
        return sendJson(res, auth ? 404 : 401, { error: 'no' })
      }
      const w = (JSON.parse(body) as { canary: unknown }).canary
      if (typeof w !== 'number') return sendJson(res, 422, { error: 'number' })
      weights.push(w)
      sendJson(res, 200, { pool: 'web', canary: w, stable: 100 - w })
    })
    // Per track: 180 ms p95 on the canary, 150 ms on stable; nothing wrong.
    prometheus = await startPrometheusApi(
      byFragment([
        [
          'http_request_duration_seconds_bucket',
          (q) => (q.includes('track="canary"') ? 0.18 : 0.15)
        ],
        ['process_cpu_seconds_total', 0.31],
        [
          'db_query_errors_total',
          (q) =>
            q.includes('track="canary"') &&
            deployedVersion(join(dir, 'version'), '') === 'v2.0.0'
              ? dbErrorsAfterPromote
              : 0
        ],
        ['redis_client_connected', 1],
        ['process_resident_memory_bytes', 2.1e9]
      ])
    )
  })

  afterAll(async () => {
    untrust()
    for (const s of [canary, stable, publicHost, lb]) await s.close()
    await prometheus.close()
  })

  it('promotes a healthy canary through 10, 25, 50, 75 and 100%', async () => {
    errorEvery = 0
    const r = await run()
    expect(verdict(r)).toMatch(/^promoted: /)
    expect(healthyOutcomes(r.report)).toEqual([
      'preflight passed',
      'migrate passed',
      'deploy passed',
      'health passed',
      'smoke passed',
      'canary@10 passed',
      'canary@25 passed',
      'canary@50 passed',
      'canary@75 passed',
      'canary@100 passed',
      'soak passed',
      'promote passed',
      'watch passed'
    ])
    expect(weights).toEqual([10, 25, 50, 75, 100])
    expect(deployedVersion(join(dir, 'version'), '')).toBe('v2.0.0')
    expect(r.calls).toEqual([
      'npm run db:migrate',
      'scripts/deploy-canary.sh v2.0.0',
      'scripts/flush-redis-cache.sh',
      'npx playwright test --grep @critical --reporter=junit',
      'scripts/promote-canary.sh v2.0.0',
      'scripts/update-dns.sh',
      'scripts/invalidate-cdn.sh'
    ])
    // Both tracks were read from Prometheus by their own label.
    expect(prometheus.queries).toContainEqual(
      expect.stringContaining('track="baseline"')
    )
    expect(prometheus.queries).toContainEqual(
      expect.stringContaining('track="canary"')
    )
  }, 60_000)

  it('rolls back a canary with 8% errors at 10%: weight 0, previous version verified', async () => {
    errorEvery = 12
    const r = await run()
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('canary')
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.step).toBe(10)
    expect(failed?.reason).toMatch(/error-rate \d+(\.\d+)?% > 5%/)
    expect(weights).toEqual([10, 0])
    expect(r.calls.slice(-2)).toEqual([
      'scripts/rollback.sh v1.9.0',
      'npm run db:rollback'
    ])
    expect(r.report.rollback).toMatchObject({ ok: true })
    expect(publicHost.requests).toContain('GET /api/version')
  }, 60_000)

  it('rolls back after promotion when the watch sees database errors on the new version', async () => {
    errorEvery = 0
    dbErrorsAfterPromote = 3
    try {
      const r = await run()
      expect(verdict(r)).toMatch(/^rolled-back: /)
      expect(r.report.failedGate).toBe('watch')
      expect(r.report.reason).toMatch(/db-errors 3(\.0)? > 0/)
      expect(healthyOutcomes(r.report).slice(-3)).toEqual([
        'promote passed',
        'watch failed',
        'rollback passed'
      ])
      expect(r.calls.at(-2)).toBe('scripts/rollback.sh v1.9.0')
      expect(deployedVersion(join(dir, 'version'), '')).toBe('v1.9.0')
      expect(r.report.rollback).toMatchObject({ ok: true })
    } finally {
      dbErrorsAfterPromote = 0
    }
  }, 60_000)
})
