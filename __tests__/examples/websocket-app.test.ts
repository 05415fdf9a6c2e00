/**
 * examples/websocket-app.yml (Phase 2 staging deploy of a matches API) run
 * as written against loopback stand-ins: the API and its Socket.IO gateway
 * in one server, whose behaviour follows the version `deploy.sh` put in
 * place, `npm` as a program on PATH, Prometheus, and a git clone as the
 * workspace. A gateway that keeps pushing `match-update` after
 * `unsubscribe` ("confirm no further messages for that match") fails smoke
 * and is rolled back to the previous version; a branch behind main ("main
 * branch is green and up-to-date") is refused in preflight.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Server } from 'socket.io'
import { WebSocketServer, type WebSocket } from 'ws'
import { resolveProbe } from '../../src/probes/resolve.js'
import { runWebSocketProbe } from '../../src/probes/websocket.js'
import type { WsProbeSpec } from '../../src/probes/types.js'
import {
  junit,
  loadExample,
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

const EXAMPLE = 'websocket-app.yml'
const secrets = {
  DATABASE_URL: 'postgres://matches:pw@127.0.0.1:5432/matches',
  WEBSOCKET_URL: 'wss://staging.example.com',
  API_KEY: 'api-key-example',
  SMOKE_TOKEN: 'smoke-token-example'
}

let api: StandIn
let gateway: Server
/** The raw WebSocket variant of the gateway, for the `live` probe. */
let live: StandIn
let prometheus: PrometheusApi
/** The staging host's state: the deployed version, the migration level. */
let dir: string
/** The version whose gateway forgets to unsubscribe. */
let buggyVersion = ''

const files = {
  'scripts/snapshot-staging.sh': 'echo "snapshot of $1 taken"',
  'scripts/deploy.sh': 'echo "$1" > "$STAGING/version"',
  'backend/package.json': '{ "name": "matches-backend" }',
  'frontend/package.json': '{ "name": "matches-frontend" }'
}

/** `npm` for both packages: migrations, the e2e suite, the front end. */
const npm = `case "$(basename "$PWD") $*" in
  "backend run migrate:run") echo 2 > "$STAGING/migrations" ;;
  "backend run migrate:revert") echo 0 > "$STAGING/migrations" ;;
  "backend run test:e2e -- --ci --reporters=default --reporters=jest-junit")
    mkdir -p "$(dirname "$JEST_JUNIT_OUTPUT_FILE")"
    cat > "$JEST_JUNIT_OUTPUT_FILE" <<'XML'
${junit('e2e', 37)}XML
    ;;
  "frontend run build"|"frontend run test:smoke") echo "$2 ok" ;;
  *) echo "npm: unexpected '$*' in $PWD" >&2; exit 2 ;;
esac`

/**
 * A checkout of `feat/phase-2-staging-deploy`, branched from main, with
 * an `origin` (a bare repository); with `behind`, main moved on after the
 * branch was cut.
 */
function checkout(behind = false): string {
  const root = mkdtempSync(join(tmpdir(), 'dg-git-'))
  const origin = join(root, 'origin.git')
  const ws = join(root, 'ws')
  const git = (cwd: string, ...args: string[]): void =>
    void execFileSync(
      'git',
      ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args],
      { cwd, stdio: 'pipe' }
    )
  const commit = (message: string): void => {
    writeFileSync(join(ws, 'CHANGES'), `${message}\n`, { flag: 'a' })
    git(ws, 'add', 'CHANGES')
    git(ws, 'commit', '--quiet', '-m', message)
  }
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin)
  git(root, 'clone', '--quiet', origin, ws)
  git(ws, 'checkout', '--quiet', '-B', 'main')
  commit('phase 1')
  git(ws, 'push', '--quiet', 'origin', 'main')
  git(ws, 'checkout', '--quiet', '-b', 'feat/phase-2-staging-deploy')
  commit('phase 2')
  if (behind) {
    git(ws, 'checkout', '--quiet', 'main')
    commit('hotfix on main')
    git(ws, 'push', '--quiet', 'origin', 'main')
    git(ws, 'checkout', '--quiet', 'feat/phase-2-staging-deploy')
  }
  return ws
}

async function run(o: { behindMain?: boolean } = {}): Promise<ExampleRun> {
  dir = mkdtempSync(join(tmpdir(), 'dg-staging-'))
  return runExample({
    workspace: checkout(o.behindMain),
    example: EXAMPLE,
    overrides: {
      vars: {
        base: api.url,
        ws: live.url.replace('http:', 'ws:'),
        prometheus: prometheus.url
      },
      // Eleven looks of 15 s: 22 samples of the two HTTP probes, above
      // min-samples 20 (each look takes about 3 s: the gateway's silence).
      maxSoak: 150_000
    },
    files,
    programs: { npm },
    env: { ...secrets, STAGING: dir },
    version: 'v2.0.0',
    previousVersion: 'v1.9.0'
  })
}

beforeAll(async () => {
  const authorized = (h: string | undefined): boolean =>
    h === `Bearer ${secrets.SMOKE_TOKEN}`
  api = await startStandIn((req, res) => {
    if (req.url === '/health') return sendJson(res, 200, { status: 'ok' })
    if (req.url === '/api/matches/test-match') {
      return authorized(req.headers.authorization)
        ? sendJson(res, 200, { id: 'test-match', home: 2, away: 1 })
        : sendJson(res, 401, { error: 'unauthorized' })
    }
    sendJson(res, 404, { error: 'not found' })
  })
  gateway = new Server(api.server)
  gateway.use((socket, next) => {
    next(
      authorized(socket.handshake.headers.authorization)
        ? undefined
        : new Error('unauthorized')
    )
  })
  gateway.on('connection', (socket) => {
    const version = deployedVersion(join(dir, 'version'), 'v1.9.0')
    socket.on('subscribe', ({ matchId }: { matchId: string }) => {
      void socket.join(matchId)
      socket.emit('match-update', { matchId, home: 2, away: 1 })
      // Another match's updates never count against this one.
      socket.emit('match-update', { matchId: 'other-match', home: 0, away: 0 })
    })
    socket.on('unsubscribe', ({ matchId }: { matchId: string }) => {
      if (version === buggyVersion) {
        // The fault: the room is left, but a pending update still goes out.
        setTimeout(
          () => socket.emit('match-update', { matchId, home: 3, away: 1 }),
          800
        )
      }
      void socket.leave(matchId)
    })
  })
  live = await startStandIn((_req, res) => sendJson(res, 426, {}))
  const wss = new WebSocketServer({ noServer: true })
  live.server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/ws' || !authorized(req.headers.authorization)) {
      return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
    }
    wss.handleUpgrade(req, socket, head, (ws) => rawGateway(ws))
  })
  prometheus = await startPrometheusApi(
    byFragment([
      ['socket_io_connections_total', 3.5],
      ['status=~"401|403"', 0.05],
      ['ws_gateway_errors_total', 0],
      ['process_cpu_seconds_total', 0.22],
      ['process_resident_memory_bytes{job="matches-api"}) / 1048576', 310],
      ['process_resident_memory_bytes', 3.2e8]
    ])
  )
})

/** The flow of the `live` probe; the deployed version decides the fault. */
function rawGateway(ws: WebSocket): void {
  const version = deployedVersion(join(dir, 'version'), 'v1.9.0')
  const send = (m: unknown): void => ws.send(JSON.stringify(m))
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString('utf8')) as {
      action: string
      match: string
    }
    if (m.action === 'subscribe') {
      send({ type: 'match-update', match: m.match, score: '2-1' })
      send({ type: 'match-update', match: 'other-match', score: '0-0' })
    }
    if (m.action === 'unsubscribe' && version === buggyVersion) {
      setTimeout(() => send({ type: 'match-update', match: m.match }), 800)
    }
  })
}

afterAll(async () => {
  await gateway.close()
  await live.close()
  await api.close()
  await prometheus.close()
})

let healthy: Promise<ExampleRun> | undefined
/** One healthy run, shared by the tests that look at it. */
function healthyRun(): Promise<ExampleRun> {
  buggyVersion = ''
  healthy ??= run()
  return healthy
}

describe('examples/websocket-app.yml', () => {
  it('takes a healthy release through every gate before the soak, and the soak sees nothing wrong in Prometheus', async () => {
    const r = await healthyRun()
    expect(healthyOutcomes(r.report).slice(0, 5)).toEqual([
      'preflight passed',
      'migrate passed',
      'deploy passed',
      'health passed',
      'smoke passed'
    ])
    expect(r.calls).toEqual([
      'scripts/snapshot-staging.sh v1.9.0',
      'npm run migrate:run',
      'scripts/deploy.sh v2.0.0',
      'npm run test:e2e -- --ci --reporters=default --reporters=jest-junit',
      'npm run build',
      'npm run test:smoke',
      ...(r.report.result === 'passed'
        ? []
        : ['scripts/deploy.sh v1.9.0', 'npm run migrate:revert'])
    ])
    const soak = r.report.gates.find((g) => g.gate === 'soak')
    const levels = Object.fromEntries(
      (soak?.findings ?? []).map((f) => [f.name, f.level])
    )
    // (After an early fail the report leaves out metrics still short of
    // min-samples, such as the error rate.)
    expect(levels).toMatchObject({
      'socket-connects': 'ok',
      'auth-failures': 'ok',
      'gateway-errors': 'ok',
      cpu: 'ok',
      'memory-mib': 'ok',
      'memory-trend': 'ok'
    })
  }, 120_000)

  // Soak `p95` is the HTTP request latency of the HTTP probes only: the
  // Socket.IO flow `gateway`, with its `silence: 3s`, never mixes into it.
  it('passes a healthy release after the 30 minute soak', async () => {
    const r = await healthyRun()
    expect(verdict(r)).toMatch(/^passed: /)
    expect(healthyOutcomes(r.report).at(-1)).toBe('soak passed')
  }, 120_000)

  it('rolls back when the gateway still pushes match-update after unsubscribe', async () => {
    buggyVersion = 'v2.0.0'
    const r = await run()
    expect(verdict(r)).toMatch(/^rolled-back: /)
    expect(r.report.failedGate).toBe('smoke')
    expect(r.report.reason).toMatch(/gateway/)
    expect(r.report.reason).toMatch(/match-update/)
    expect(r.report.reason).toMatch(/\d(\.\d+)?m?s/)
    expect(r.calls.slice(-2)).toEqual([
      'scripts/deploy.sh v1.9.0',
      'npm run migrate:revert'
    ])
    expect(deployedVersion(join(dir, 'version'), '')).toBe('v1.9.0')
    expect(deployedVersion(join(dir, 'migrations'), '')).toBe('0')
    // verify: [health, match, gateway] passed against v1.9.0.
    expect(r.report.rollback).toMatchObject({ ok: true })
  }, 60_000)

  it('refuses in preflight a branch that main has moved past, changing nothing', async () => {
    buggyVersion = ''
    const r = await run({ behindMain: true })
    expect(verdict(r)).toMatch(/^failed: /)
    expect(r.report.failedGate).toBe('preflight')
    expect(r.report.reason).toMatch(/up-to-date-with-main/)
    expect(r.calls).toEqual([])
    expect(deployedVersion(join(dir, 'version'), '')).toBe('')
  }, 30_000)

  // `live` is in no gate: the example offers it in place of `gateway` for
  // a plain WebSocket server, so its flow is checked here on its own.
  it('has a raw WebSocket variant, live, that passes the same flow and catches the same fault', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dg-staging-'))
    const config = loadExample(EXAMPLE, {
      vars: { ws: live.url.replace('http:', 'ws:') }
    })
    const probe = (): Promise<{ ok: boolean; reason?: string }> => {
      const r = resolveProbe('live', config.probes.live, {
        values: { vars: config.vars, env: secrets, builtins: {} },
        readFile: () => ''
      })
      if (!r.ok) throw new Error(r.error)
      return runWebSocketProbe(r.spec as WsProbeSpec)
    }
    buggyVersion = 'v2.0.0'
    expect(await probe()).toMatchObject({ ok: true })
    writeFileSync(join(dir, 'version'), 'v2.0.0')
    const bad = await probe()
    expect(bad.ok).toBe(false)
    expect(bad.reason).toMatch(/silence/)
    expect(bad.reason).toMatch(/test-match/)
  }, 30_000)
})
