/**
 * examples/soak-go-no-go.yml (Sprint 7.4 staging plan on Docker Compose)
 * run as written against loopback stand-ins: `docker` is a small program
 * on PATH that plays the compose project, the manual QA sheet is a CSV
 * turned into JUnit by a real script, and the 24 h soak reads a Prometheus
 * stand-in, running the E2E suite every 2 h and the k6 baseline every 6 h
 * of it. A healthy release passes; memory growing 8 %/h during the soak
 * ("Memory growing > 5%/hour -> ALERT"), an E2E run failing during the
 * soak ("E2E tests failing") and a QA sheet at 90 % ("Manual QA < 90%" is
 * a no-go) are rolled back, the alembic revision restored.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
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
  type Answer,
  type PrometheusApi
} from '../helpers/prometheus-api.js'
import {
  deployedVersion,
  sendJson,
  startStandIn,
  type Handler,
  type StandIn
} from '../helpers/stand-ins.js'

const EXAMPLE = 'soak-go-no-go.yml'
const secrets = {
  DATABASE_URL: 'postgres://proofile:pw@127.0.0.1:5432/proofile_staging',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMOKE_PASSWORD: 'qa-smoke-password',
  SMOKE_SESSION: 'session-qa-smoke',
  SLACK_WEBHOOK: 'https://hooks.slack.invalid/T000/B000'
}

let api: StandIn
let web: StandIn
let prometheus: PrometheusApi
/** The staging host's state: the deployed tag, the alembic revision. */
let dir: string
/** Memory readings served so far (one per soak look). */
let memoryLooks = 0
/** Memory growth per hour the stand-in reports (0.08 = 8 %/h). */
let memoryGrowth = 0

/**
 * `docker compose` for one staging host: the services answer, `up -d`
 * "deploys" $TAG, alembic keeps its revision in a file.
 */
const docker = `state="$COMPOSE_STATE"
case "$*" in
  "compose exec -T db pg_isready -U proofile -d proofile_staging")
    echo "/var/run/postgresql:5432 - accepting connections" ;;
  "compose exec -T redis redis-cli ping") echo PONG ;;
  "compose exec -T backend alembic current")
    echo "$(cat "$state/alembic" 2>/dev/null || echo 3f2a1b9c7d10) (head)" ;;
  "compose run --rm backend alembic upgrade head")
    echo "upgrade to the head of $TAG"; echo 8c1d2e3f4a5b > "$state/alembic" ;;
  "compose run --rm backend alembic downgrade "*)
    echo "downgrade to $6"; echo "$6" > "$state/alembic" ;;
  "compose -f docker-compose.yml pull") echo "pulled $TAG" ;;
  "compose -f docker-compose.yml up -d --remove-orphans") echo "$TAG" > "$DEPLOYED" ;;
  "compose logs --no-color --since 2m backend") echo "INFO backend: GET /health 200" ;;
  "compose ps -q --status exited --status restarting") ;;
  *) echo "docker: unexpected '$*'" >&2; exit 2 ;;
esac`

/** The QA sheet exporter: CSV (id,point,severity,result) to JUnit. */
const qaSheetToJunit = `severity=""
if [ "$1" = --severity ]; then severity="$2"; shift 2; fi
awk -F, -v sev="$severity" '
  NR == 1 { next }
  sev != "" && $3 != sev { next }
  { n++; if ($4 != "pass") f++
    c = c sprintf("<testcase classname=\\"qa\\" name=\\"%s %s\\">%s</testcase>", $1, $2,
      $4 == "pass" ? "" : "<failure message=\\"" $4 "\\"/>") }
  END { printf "<testsuites><testsuite name=\\"manual-qa\\" tests=\\"%d\\" failures=\\"%d\\">%s</testsuite></testsuites>\\n", n, f, c }
' "$1"`

/** 40 checklist points, 8 of them critical; `failing` of the others fail. */
function qaSheet(failing: number): string {
  const rows = Array.from({ length: 40 }, (_, i) => {
    const critical = i < 8
    const result = !critical && i >= 40 - failing ? 'fail' : 'pass'
    return `QA-${i + 1},point ${i + 1},${critical ? 'critical' : 'major'},${result}`
  })
  return ['id,point,severity,result', ...rows, ''].join('\n')
}

/**
 * Playwright for the smoke and the soak runs: 84 tests; with `soakFails`
 * one of them fails in every soak run (smoke still passes).
 */
function npx(soakFails = false): string {
  return `test "$*" = "playwright test --reporter=junit"
mkdir -p "$(dirname "$PLAYWRIGHT_JUNIT_OUTPUT_NAME")"
if ${soakFails} && [[ "$PLAYWRIGHT_JUNIT_OUTPUT_NAME" == *soak-e2e.xml ]]; then
  cat > "$PLAYWRIGHT_JUNIT_OUTPUT_NAME" <<'XML'
${junit('e2e', 83, 1)}XML
  exit 1
fi
cat > "$PLAYWRIGHT_JUNIT_OUTPUT_NAME" <<'XML'
${junit('e2e', 84)}XML`
}

/** k6 with the baseline script; it exits 0 when its thresholds hold. */
const k6 = `test "$*" = "run --quiet perf/baseline.js"
test -f perf/baseline.js
echo "✓ http_req_duration p(95)<5000  ✓ http_req_failed rate<0.001"`

async function run(
  o: { qaFailing?: number; soakE2eFails?: boolean } = {}
): Promise<ExampleRun> {
  // A fresh staging host each time: no tag deployed, alembic at 3f2a1b9c7d10.
  dir = mkdtempSync(join(tmpdir(), 'dg-compose-'))
  return runExample({
    example: EXAMPLE,
    overrides: {
      vars: { api: api.url, web: web.url, prometheus: prometheus.url },
      maxSoak: 10 * 60_000
    },
    files: {
      'scripts/backup-db.sh': 'echo "backup of $1 written"',
      'scripts/qa-sheet-to-junit.sh': qaSheetToJunit,
      'qa/manual-qa-results.csv': qaSheet(o.qaFailing ?? 0),
      'frontend/package.json': '{ "name": "proofile-frontend" }',
      'perf/baseline.js': 'export default function () {}\n'
    },
    programs: { docker, npx: npx(o.soakE2eFails), k6 },
    env: {
      ...secrets,
      DEPLOYED: join(dir, 'tag'),
      COMPOSE_STATE: dir
    },
    version: 'v7.4.0',
    previousVersion: 'v7.3.2'
  })
}

const site: Handler = (req, res, body) => {
  const session = req.headers.cookie === `session=${secrets.SMOKE_SESSION}`
  switch (`${req.method} ${req.url}`) {
    case 'GET /health':
      return sendJson(res, 200, { status: 'healthy' })
    case 'GET /':
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end('<html><body><div id="__next"></div></body></html>')
    case 'POST /api/auth/login': {
      const creds = JSON.parse(body) as { email?: string; password?: string }
      return creds.password === secrets.SMOKE_PASSWORD
        ? sendJson(res, 200, { access_token: 'jwt', token_type: 'bearer' })
        : sendJson(res, 401, { detail: 'bad credentials' })
    }
    case 'POST /api/profile':
      // No CSRF token in the request: refused.
      return sendJson(res, 403, { detail: 'CSRF token missing' })
    case 'GET /dashboard':
    case 'GET /admin/performance':
      res.writeHead(session ? 200 : 302, { location: '/login' })
      return void res.end(session ? '<div id="__next">dashboard</div>' : '')
    default:
      return sendJson(res, 404, { detail: 'not found' })
  }
}

const memory = (): Answer => {
  memoryLooks += 1
  // One look a minute: the value grows by memoryGrowth per 60 looks.
  return 900e6 * (1 + (memoryGrowth * memoryLooks) / 60)
}

beforeAll(async () => {
  api = await startStandIn(site)
  web = await startStandIn(site)
  prometheus = await startPrometheusApi(
    byFragment([
      ['node_cpu_seconds_total', 41],
      ['container_memory_working_set_bytes', memory],
      ['pg_stat_activity_count', 9],
      ['node_filesystem_avail_bytes', 52],
      ['redis_keyspace_hits_total', 0.93]
    ])
  )
})

afterAll(async () => {
  await api.close()
  await web.close()
  await prometheus.close()
})

/** Calls other than the soak's probes (logs, ps) and the health checks. */
function changes(r: ExampleRun): string[] {
  return r.calls.filter(
    (c) =>
      !/compose (logs|ps|exec -T (db|redis))/.test(c) &&
      !c.startsWith('scripts/qa-sheet') &&
      !c.startsWith('k6 ')
  )
}

/** How often a call was made. */
function count(r: ExampleRun, call: string): number {
  return r.calls.filter((c) => c === call).length
}

describe('examples/soak-go-no-go.yml', () => {
  it('passes a healthy release after the soak: QA sheet, e2e, no growth', async () => {
    memoryGrowth = 0
    const r = await run()
    expect(verdict(r)).toMatch(/^passed: /)
    expect(healthyOutcomes(r.report)).toEqual([
      'preflight passed',
      'migrate passed',
      'deploy passed',
      'health passed',
      'smoke passed',
      'soak passed'
    ])
    expect([...new Set(changes(r))]).toEqual([
      'scripts/backup-db.sh staging',
      'docker compose exec -T backend alembic current',
      'docker compose run --rm backend alembic upgrade head',
      'docker compose -f docker-compose.yml pull',
      'docker compose -f docker-compose.yml up -d --remove-orphans',
      'npx playwright test --reporter=junit'
    ])
    // E2E in smoke, then every 2 h of the soak (at most its 12 slots; a run
    // still going when the next is due skips it), k6 every 6 h (at most 4).
    expect(count(r, 'npx playwright test --reporter=junit')).toBeGreaterThan(1)
    expect(count(r, 'npx playwright test --reporter=junit')).toBeLessThan(14)
    const k6 = count(r, 'k6 run --quiet perf/baseline.js')
    expect(k6).toBeGreaterThan(0)
    expect(k6).toBeLessThan(5)
    const soak = r.report.gates.find((g) => g.gate === 'soak')
    const tests = soak?.findings?.filter((f) => f.name.startsWith('soak tests'))
    expect(tests?.map((f) => f.level)).toEqual(['ok', 'ok'])
    expect(tests?.[0]?.reason).toMatch(/runs? passed/)
    expect(deployedVersion(join(dir, 'tag'), '')).toBe('v7.4.0')
    expect(soak?.findings?.find((f) => f.name === 'memory')?.level).toBe('ok')
  }, 60_000)

  it('rolls back when memory grows 8%/h during the soak, restoring the alembic revision', async () => {
    memoryGrowth = 0.08
    memoryLooks = 0
    const r = await run()
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('soak')
    expect(r.report.reason).toMatch(/memory/)
    expect(r.report.reason).toMatch(/8(\.\d)?%\/h/)
    expect(r.report.reason).toMatch(/5%\/h/)
    expect(changes(r).slice(-3)).toEqual([
      'docker compose -f docker-compose.yml pull',
      'docker compose -f docker-compose.yml up -d --remove-orphans',
      'docker compose run --rm backend alembic downgrade 3f2a1b9c7d10'
    ])
    expect(deployedVersion(join(dir, 'tag'), '')).toBe('v7.3.2')
    expect(r.report.rollback).toMatchObject({ ok: true })
  }, 60_000)

  it('rolls back when an E2E run during the soak has a failing test', async () => {
    memoryGrowth = 0
    const r = await run({ soakE2eFails: true })
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('soak')
    expect(r.report.reason).toMatch(/soak tests/)
    expect(r.report.reason).toMatch(/83 of 84 passed \(98\.8%\) < 100%/)
    // The soak stopped at its first run, after smoke's passing one.
    expect(count(r, 'npx playwright test --reporter=junit')).toBe(2)
    expect(changes(r).slice(-3)).toEqual([
      'docker compose -f docker-compose.yml pull',
      'docker compose -f docker-compose.yml up -d --remove-orphans',
      'docker compose run --rm backend alembic downgrade 3f2a1b9c7d10'
    ])
    expect(deployedVersion(join(dir, 'tag'), '')).toBe('v7.3.2')
  }, 60_000)

  it('rolls back before the soak when the manual QA sheet passes 90% (below 95%)', async () => {
    memoryGrowth = 0
    const r = await run({ qaFailing: 4 })
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('smoke')
    expect(r.report.reason).toMatch(/90(\.0)?%/)
    expect(r.report.reason).toMatch(/95%/)
    expect(r.report.gates.map((g) => g.gate)).not.toContain('soak')
    expect(deployedVersion(join(dir, 'tag'), '')).toBe('v7.3.2')
  }, 60_000)
})
