/**
 * examples/migrations-freeze-windows.yml (CA Marketplace production
 * checklist) run as written against loopback stand-ins: a healthy release
 * waits for the release lead's go, is deployed and passes, announced on
 * the status page; a deploy inside a freeze, with the database CPU at 75 %
 * or with an open incident is refused in preflight, and a "no" stops it
 * before the backup; failing smoke tests roll back (image, then database
 * restore, then the old version verified).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  junit,
  healthyOutcomes,
  runExample,
  verdict,
  type ExampleRun
} from '../helpers/example-run.js'
import {
  byFragment,
  startPrometheusApi,
  type PrometheusApi
} from '../helpers/prometheus-api.js'
import {
  deployedVersion,
  sendJson,
  startStandIn,
  type StandIn
} from '../helpers/stand-ins.js'

const EXAMPLE = 'migrations-freeze-windows.yml'
const secrets = {
  DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/ca_marketplace',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-example',
  SMOKE_TOKEN: 'smoke-token-example',
  SLACK_WEBHOOK: 'https://hooks.slack.invalid/T000/B000',
  STATUSPAGE_TOKEN: 'statuspage-token-example',
  TRACKER_TOKEN: 'tracker-token-example'
}

let api: StandIn
let prometheus: PrometheusApi
let statusPage: StandIn
let tracker: StandIn
/** The release lead's answer once asked this often (null: not yet). */
let goAnswer = true
let trackerAsks = 0
/** The status page's deployment events, as `gate-start deploy`. */
let statusEvents: string[] = []
/** The database's CPU the preflight check reads (a ratio of its cores). */
let dbCpu = 0.41
/** The incident tool's open incidents, which the preflight script reads. */
let incidentsFile: string
/** Where `kubectl set image` writes the tag the stand-in then reports. */
let deployedFile: string

/** The programs the config calls; `smokeFailed` smoke tests fail. */
function programs(
  o: { smokeFailed?: number; migrateExit?: number } = {}
): Record<string, string> {
  return {
    kubectl: `case "$*" in
  *"set image"*) for a in "$@"; do case "$a" in backend=*) echo "\${a##*:}" > "$DEPLOYED";; esac; done ;;
esac`,
    aws: 'echo "2026-11-25 10:29:58  52428800 ca_marketplace-20261125.dump"',
    npx: `case "$*" in
  "prisma migrate deploy") echo "2 migrations applied"; exit ${o.migrateExit ?? 0} ;;
  "prisma migrate status") echo "Database schema is up to date!" ;;
  *) echo "unexpected npx $*" >&2; exit 2 ;;
esac`,
    npm: `out=""
for a in "$@"; do case "$a" in --outputFile=*) out="\${a#--outputFile=}";; esac; done
test "$1 $2" = "run test:smoke" && test -n "$out"
mkdir -p "$(dirname "$out")"
cat > "$out" <<'XML'
${junit('smoke', 12 - (o.smokeFailed ?? 0), o.smokeFailed ?? 0)}XML
test ${o.smokeFailed ?? 0} -eq 0`
  }
}

const files = {
  // "No ongoing incidents": the count the incident tool reports.
  'scripts/no-open-incidents.sh': `n=$(cat "$OPEN_INCIDENTS")
test "$n" -eq 0 || { echo "$n open incidents" >&2; exit 1; }`,
  'backend/scripts/backup-db.sh': 'echo "backup of $1 written"',
  'backend/scripts/restore-db.sh': 'echo "restored $1 from $2 $3"'
}

async function run(
  extra: Partial<Parameters<typeof runExample>[0]> = {}
): Promise<ExampleRun> {
  return runExample({
    example: EXAMPLE,
    overrides: {
      vars: {
        api: api.url,
        prometheus: prometheus.url,
        statuspage: statusPage.url,
        tracker: tracker.url
      },
      maxSoak: 15 * 60_000
    },
    files,
    programs: programs(),
    env: {
      ...secrets,
      DEPLOYED: deployedFile,
      OPEN_INCIDENTS: incidentsFile
    },
    version: '1.2.0',
    previousVersion: '1.1.5',
    ...extra
  })
}

beforeAll(async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dg-deployed-'))
  deployedFile = join(tmp, 'tag')
  incidentsFile = join(tmp, 'incidents')
  writeFileSync(incidentsFile, '0\n')
  // The release tracker: no answer for the first two asks, then the go.
  tracker = await startStandIn((req, res) => {
    if (req.headers.authorization !== `Bearer ${secrets.TRACKER_TOKEN}`) {
      return sendJson(res, 401, { error: 'unauthorized' })
    }
    if (req.method !== 'GET' || req.url !== '/api/releases/1.2.0/go') {
      return sendJson(res, 404, { error: 'no such release' })
    }
    trackerAsks += 1
    sendJson(res, 200, {
      release: '1.2.0',
      go: trackerAsks > 2 ? goAnswer : null
    })
  })
  // A status page API: the bearer token and the event JSON, checked.
  statusPage = await startStandIn((req, res, body) => {
    if (req.headers.authorization !== `Bearer ${secrets.STATUSPAGE_TOKEN}`) {
      return sendJson(res, 401, { error: 'unauthorized' })
    }
    if (
      req.method !== 'POST' ||
      req.url !== '/v1/deployments' ||
      !String(req.headers['content-type']).startsWith('application/json')
    ) {
      return sendJson(res, 400, { error: 'bad request' })
    }
    const e = JSON.parse(body) as Record<string, unknown>
    if (e.service !== 'ca-marketplace-backend' || e.version !== '1.2.0') {
      return sendJson(res, 422, { error: 'unknown release' })
    }
    statusEvents.push(`${String(e.event)} ${String(e.gate)}`)
    sendJson(res, 201, { ok: true })
  })
  api = await startStandIn((req, res) => {
    switch (req.url) {
      case '/monitoring/health':
        return sendJson(res, 200, { status: 'ok', timestamp: Date.now() })
      case '/monitoring/health/db':
      case '/monitoring/health/redis':
        return sendJson(res, 200, { status: 'ok' })
      case '/monitoring/version':
        return sendJson(res, 200, {
          version: deployedVersion(deployedFile, '1.1.5')
        })
      default:
        return sendJson(res, 404, { error: 'not found' })
    }
  })
  prometheus = await startPrometheusApi(
    byFragment([
      ['pg_cpu_seconds_total', () => dbCpu],
      ['pg_memory_used_ratio', 0.52],
      ['pg_storage_free_ratio', 0.46],
      ['redis_memory_used_bytes', 0.33],
      ['offset 1d', 1.1],
      ['status=~"5.."', 0.002],
      ['histogram_quantile(0.5,', 0.08],
      ['histogram_quantile(0.95,', 0.21],
      ['histogram_quantile(0.99,', 0.4],
      ['container_cpu_usage_seconds_total', 0.35],
      ['container_memory_working_set_bytes', 0.5],
      ['pg_stat_activity_count', 31]
    ])
  )
})

afterAll(async () => {
  await api.close()
  await statusPage.close()
  await tracker.close()
  await prometheus.close()
})

describe('examples/migrations-freeze-windows.yml', () => {
  it('passes a healthy release on a Wednesday morning: backup, migration, deploy, 2 h soak', async () => {
    statusEvents = []
    trackerAsks = 0
    const r = await run()
    expect(r.report.reason).not.toMatch(/fail/)
    expect(verdict(r)).toMatch(/^passed: /)
    expect(healthyOutcomes(r.report)).toEqual([
      'preflight passed',
      'migrate passed',
      'deploy passed',
      'health passed',
      'smoke passed',
      'soak passed'
    ])
    expect(r.calls).toEqual([
      'scripts/no-open-incidents.sh',
      'backend/scripts/backup-db.sh production',
      'aws s3 ls s3://ca-marketplace-production-backups/database/production/',
      'backend/scripts/restore-db.sh production latest --dry-run',
      'npx prisma migrate deploy',
      'npx prisma migrate status',
      'kubectl -n production set image deployment/ca-marketplace-backend backend=registry.example.com/ca-marketplace/backend:1.2.0',
      'kubectl -n production rollout status deployment/ca-marketplace-backend --timeout=10m',
      'npm run test:smoke -- --reporter=junit --outputFile=reports/smoke.xml'
    ])
    // Every query named this environment's namespace.
    expect(prometheus.queries.length).toBeGreaterThan(8 * 20)
    for (const q of prometheus.queries) expect(q).toMatch(/production/)
    // "Team assembled": asked until the third answer said go.
    expect(trackerAsks).toBe(3)
    // "Status page updated" at the deploy, "mark deployment complete".
    expect(statusEvents).toEqual([
      'gate-start deploy',
      'gate-end deploy',
      'gate-start soak',
      'gate-end soak'
    ])
  }, 60_000)

  it('refuses in preflight while the database CPU is at 75%, running nothing', async () => {
    dbCpu = 0.75
    try {
      const r = await run()
      expect(verdict(r)).toMatch(/^failed: /)
      expect(r.report.failedGate).toBe('preflight')
      expect(r.report.reason).toMatch(/db-cpu.*75(\.0)?%.*< 60%/)
      expect(r.calls).not.toContainEqual(
        expect.stringMatching(/backup|kubectl/)
      )
    } finally {
      dbCpu = 0.41
    }
  }, 30_000)

  it('stops before the backup when the release lead answers no', async () => {
    goAnswer = false
    trackerAsks = 0
    try {
      const r = await run()
      expect(verdict(r)).toMatch(/^failed: /)
      expect(r.report.failedGate).toBe('migrate')
      expect(r.report.reason).toMatch(/team-assembled/)
      expect(r.report.reason).toMatch(/"go":false/)
      expect(r.calls).toEqual(['scripts/no-open-incidents.sh'])
      expect(trackerAsks).toBe(3)
    } finally {
      goAnswer = true
    }
  }, 30_000)

  it('refuses in preflight while an incident is open, running nothing', async () => {
    writeFileSync(incidentsFile, '1\n')
    try {
      const r = await run()
      expect(r.report.failedGate).toBe('preflight')
      expect(r.report.reason).toMatch(/no-open-incidents/)
      expect(r.calls).toEqual(['scripts/no-open-incidents.sh'])
    } finally {
      writeFileSync(incidentsFile, '0\n')
    }
  }, 30_000)

  it('refuses in preflight a deploy during the marketing campaign freeze, running nothing', async () => {
    const r = await run({ epoch: Date.parse('2026-11-24T10:30:00Z') })
    expect(verdict(r)).toMatch(/^failed: /)
    expect(r.report.failedGate).toBe('preflight')
    expect(r.report.reason).toMatch(/2026-11-24T10:00/)
    expect(r.report.reason).toMatch(/freeze/)
    // Only the read-only preflight check ran: nothing changed.
    expect(r.calls).toEqual(['scripts/no-open-incidents.sh'])
  }, 30_000)

  it('refuses in preflight a deploy in the quarter-end freeze rule, running nothing', async () => {
    // Tuesday 30 March 2027, 11:00 UTC: inside the Tue-Thu window.
    const r = await run({ epoch: Date.parse('2027-03-30T11:00:00Z') })
    expect(r.report.failedGate).toBe('preflight')
    expect(r.report.reason).toBe(
      "inside freeze rule 'last 3 business days of quarter': 2027-03-29 00:00 to 2027-03-31 24:00 UTC (now 2027-03-30 11:00); nothing was changed"
    )
    expect(r.calls).toEqual(['scripts/no-open-incidents.sh'])
  }, 30_000)

  it('rolls back when 1 of 12 smoke tests fails: old image, database restore, old version verified', async () => {
    const r = await run({ programs: programs({ smokeFailed: 1 }) })
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('smoke')
    expect(r.report.reason).toMatch(/91\.7%/)
    expect(r.report.reason).toMatch(/100%/)
    expect(r.calls.slice(-3)).toEqual([
      'kubectl -n production set image deployment/ca-marketplace-backend backend=registry.example.com/ca-marketplace/backend:1.1.5',
      'kubectl -n production rollout status deployment/ca-marketplace-backend --timeout=10m',
      'backend/scripts/restore-db.sh production latest'
    ])
    expect(r.report.rollback).toMatchObject({ ok: true })
    expect(deployedVersion(deployedFile, '')).toBe('1.1.5')
  }, 60_000)

  // After a failed migration the rollback restores the database and runs
  // `verify` before it reports `rolled-back` ("ran and verified").
  it('rolls back a failed migration: restore from the backup, then the old version verified', async () => {
    const before = api.requests.length
    const r = await run({ programs: programs({ migrateExit: 1 }) })
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('migrate')
    expect(r.report.reason).toMatch(/exited with code 1/)
    expect(r.calls.at(-1)).toBe(
      'backend/scripts/restore-db.sh production latest'
    )
    expect(r.calls).not.toContainEqual(expect.stringMatching(/^kubectl/))
    // verify: [health, health-db, health-redis, previous-version]
    expect(api.requests.slice(before)).toEqual(
      expect.arrayContaining([
        'GET /monitoring/health',
        'GET /monitoring/health/db',
        'GET /monitoring/health/redis',
        'GET /monitoring/version'
      ])
    )
  }, 60_000)

  // The manual-rollback workflow ("Rollback to version: v1.1.5") passes no
  // `version`: the rollback still undoes the recorded rollout, database too.
  it('restores the database on a manual rollback to 1.1.5 without a version input', async () => {
    const first = await run()
    expect(first.report.result).toBe('passed')
    const r = await run({
      workspace: first.workspace,
      gate: 'rollback',
      version: 'main',
      previousVersion: '1.1.5'
    })
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(deployedVersion(deployedFile, '')).toBe('1.1.5')
    expect(r.calls.at(-1)).toBe(
      'backend/scripts/restore-db.sh production latest'
    )
  }, 60_000)
})
