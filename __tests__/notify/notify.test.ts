/**
 * The notify reporter against a real HTTP server on 127.0.0.1: the Slack
 * and generic webhook bodies as sent, headers rendered from secrets, the
 * retry policy (5xx retried, 4xx not), redaction of planted secrets, the
 * `on` filter and a missing secret. Backoff waits run on a fake clock.
 */
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRedactor } from '../../src/redact/redactor.js'
import { closeHttpDispatchers } from '../../src/http/dispatcher.js'
import type {
  RolloutEvent,
  RolloutReport,
  RolloutResult
} from '../../src/rollout/events.js'
import {
  notifyReporter,
  urlSecretParts,
  type NotifyConfig,
  type NotifyDeps
} from '../../src/notify/reporter.js'
import { FakeClock } from '../helpers/fake-clock.js'

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0)
const SLACK_TOKEN = 'XoXwebhookTok3n9f8e7d6c5b4a'
const HOOK_TOKEN = 'hk_live_5d4c3b2a1f0e9d8c'
/** Known to the run's redactor from the start (e.g. a listed secret). */
const DB_PASSWORD = 'pg-Sup3rS3cret!pass'
const RUN_URL = 'https://github.com/acme/app/actions/runs/42/attempts/1'

interface Received {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

/** Answers each request with the next status of the script (then 200). */
class Hooks {
  received: Received[] = []
  script: number[] = []
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      this.received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      })
      const status = this.script.shift() ?? 200
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end(status === 200 ? 'ok' : 'no_service')
    })
  })

  origin = ''

  async start(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server.listen(0, '127.0.0.1', resolve)
    )
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  to(path: string): Received[] {
    return this.received.filter((r) => r.url.startsWith(path))
  }
}

function report(over: Partial<RolloutReport> = {}): RolloutReport {
  return {
    service: 'matches-api',
    environment: 'staging',
    version: 'v3.1.0',
    previousVersion: 'v3.0.9',
    sha: '0123456789abcdef0123456789abcdef01234567',
    result: 'rolled-back',
    failedGate: 'canary',
    reason: 'error-rate 7.0% > 5%, n=100/98',
    startedAt: T0,
    endedAt: T0 + 12 * 60_000,
    gates: [
      {
        gate: 'deploy',
        outcome: 'passed',
        reason: 'exit 0 in 41s',
        startedAt: T0,
        endedAt: T0 + 41_000,
        findings: []
      },
      {
        gate: 'canary',
        step: 25,
        outcome: 'failed',
        reason: 'error-rate 7.0% > 5%, n=100/98',
        startedAt: T0 + 60_000,
        endedAt: T0 + 11 * 60_000,
        findings: [
          {
            name: 'error-rate',
            level: 'fail',
            value: '7.0%',
            baseline: '0.4%',
            condition: '> 5%',
            n: { canary: 100, baseline: 98 },
            reason: 'error-rate 7.0% > 5%, n=100/98'
          },
          {
            name: 'p95',
            level: 'ok',
            value: '120ms',
            condition: '> 2x baseline',
            reason: 'p95 120ms within > 2x baseline (100ms)'
          }
        ]
      }
    ],
    chart: [],
    timeline: [
      { at: T0, text: 'rollout started' },
      { at: T0 + 11 * 60_000, text: 'canary 25% failed' }
    ],
    rollback: {
      attempts: 1,
      ok: true,
      target: 'v3.0.9',
      reason: 'verify probes passed'
    },
    ...over
  }
}

function finished(r: RolloutReport): RolloutEvent {
  return { type: 'rollout-finished', report: r, at: r.endedAt }
}

let hooks: Hooks
let warnings: string[]
let infos: string[]
let added: string[]

function deps(over: Partial<NotifyDeps> = {}): NotifyDeps {
  return {
    env: {
      SLACK_WEBHOOK: `${hooks.origin}/services/T000/B000/${SLACK_TOKEN}`,
      HOOK_TOKEN
    },
    redact: createRedactor([DB_PASSWORD]).redact,
    warn: (m) => warnings.push(m),
    info: (m) => infos.push(m),
    addSecrets: (s) => added.push(...s),
    clock: new FakeClock(),
    random: () => 0.5,
    runUrl: RUN_URL,
    vars: { team: 'payments' },
    ...over
  }
}

function config(over: Partial<NotifyConfig> = {}): NotifyConfig {
  return {
    slack: { webhook: '${secrets.SLACK_WEBHOOK}' },
    webhook: {
      url: `${hooks.origin}/hooks/deploys`,
      headers: {
        Authorization: 'Bearer ${secrets.HOOK_TOKEN}',
        'X-Team': '${vars.team}',
        'X-Environment': '${environment}'
      }
    },
    on: ['rolled-back', 'held', 'rollback-failed'],
    ...over
  }
}

beforeAll(async () => {
  hooks = new Hooks()
  await hooks.start()
})

afterAll(async () => {
  await hooks.close()
  await closeHttpDispatchers()
})

beforeEach(() => {
  hooks.received = []
  hooks.script = []
  warnings = []
  infos = []
  added = []
})

describe('Slack', () => {
  it('posts the verdict, failed gate, numbers, versions and run link', async () => {
    const r = notifyReporter({ ...config(), webhook: undefined }, deps())
    await r.onEvent(finished(report()))
    const [sent] = hooks.to('/services/')
    expect(hooks.received).toHaveLength(1)
    expect(sent.method).toBe('POST')
    expect(sent.url).toBe(`/services/T000/B000/${SLACK_TOKEN}`)
    expect(sent.headers['content-type']).toMatch(/^application\/json/)
    const body = JSON.parse(sent.body) as {
      text: string
      blocks: {
        type: string
        text?: { type: string; text: string }
        fields?: { text: string }[]
        elements?: { text: string }[]
      }[]
    }
    expect(body.text).toBe(
      `deploy-gates: matches-api v3.1.0 → staging: rolled-back at canary 25%: error-rate 7.0% &gt; 5%, n=100/98 <${RUN_URL}|run>`
    )
    expect(body.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'context'
    ])
    expect(body.blocks[0].text).toEqual({
      type: 'plain_text',
      text: 'matches-api v3.1.0 → staging: rolled-back'
    })
    expect(body.blocks[1].text?.text).toBe(
      ':rewind: *rolled-back* at canary 25%: error-rate 7.0% &gt; 5%, n=100/98'
    )
    const fields = body.blocks[2].fields?.map((f) => f.text)
    expect(fields).toEqual([
      '*Service*\nmatches-api',
      '*Environment*\nstaging',
      '*Version → previous*\n`v3.1.0` → `v3.0.9`',
      '*Failed gate*\ncanary 25%',
      '*Rollback*\nok after 1 attempt',
      '*Duration*\n12m'
    ])
    // Only the failing finding, with its numbers; the passing p95 is left out.
    expect(body.blocks[3].text?.text).toBe(
      '*Findings*\n• error-rate (fail): error-rate 7.0% &gt; 5%, n=100/98'
    )
    expect(body.blocks[4].elements?.[0].text).toBe(
      `<${RUN_URL}|Workflow run> · commit \`0123456\``
    )
    expect(warnings).toEqual([])
    // The rendered webhook URL is a secret, and so is its token on its own.
    expect(infos).toEqual([
      `notify Slack: sent to ${hooks.origin.slice(7)}/services/T000/B000/*** (200)`
    ])
    expect(added).toEqual([
      `${hooks.origin}/services/T000/B000/${SLACK_TOKEN}`,
      SLACK_TOKEN
    ])
  })

  it('escapes Slack control sequences from report text', async () => {
    const r = notifyReporter({ ...config(), webhook: undefined }, deps())
    await r.onEvent(
      finished(
        report({ reason: 'boom <!channel> <https://evil.test|click> & more' })
      )
    )
    const body = JSON.parse(hooks.received[0].body) as {
      blocks: { text?: { text: string } }[]
    }
    expect(body.blocks[1].text?.text).toContain(
      'boom &lt;!channel&gt; &lt;https://evil.test|click&gt; &amp; more'
    )
    expect(hooks.received[0].body).not.toContain('<!channel>')
  })
})

describe('generic webhook', () => {
  it('posts the rollout document with the configured headers rendered', async () => {
    const r = notifyReporter({ ...config(), slack: undefined }, deps())
    await r.onEvent(finished(report()))
    expect(hooks.received).toHaveLength(1)
    const [sent] = hooks.to('/hooks/deploys')
    expect(sent.headers.authorization).toBe(`Bearer ${HOOK_TOKEN}`)
    expect(sent.headers['x-team']).toBe('payments')
    expect(sent.headers['x-environment']).toBe('staging')
    expect(sent.headers['content-type']).toMatch(/^application\/json/)
    expect(JSON.parse(sent.body)).toEqual({
      event: 'deploy-gates.rollout',
      result: 'rolled-back',
      service: 'matches-api',
      environment: 'staging',
      version: 'v3.1.0',
      previousVersion: 'v3.0.9',
      sha: '0123456789abcdef0123456789abcdef01234567',
      failedGate: 'canary',
      failedStep: 25,
      reason: 'error-rate 7.0% > 5%, n=100/98',
      runUrl: RUN_URL,
      startedAt: '2026-11-24T10:00:00.000Z',
      endedAt: '2026-11-24T10:12:00.000Z',
      gates: [
        {
          gate: 'deploy',
          step: null,
          outcome: 'passed',
          reason: 'exit 0 in 41s'
        },
        {
          gate: 'canary',
          step: 25,
          outcome: 'failed',
          reason: 'error-rate 7.0% > 5%, n=100/98'
        }
      ],
      rollback: {
        ok: true,
        attempts: 1,
        target: 'v3.0.9',
        reason: 'verify probes passed'
      }
    })
    expect(added).toEqual([HOOK_TOKEN])
    expect(infos).toEqual([
      `notify webhook: sent to ${hooks.origin.replace('http://', '')}/hooks/deploys (200)`
    ])
  })

  it('keeps absent values as null', async () => {
    const r = notifyReporter(
      { ...config(), slack: undefined },
      deps({ runUrl: undefined })
    )
    await r.onEvent(
      finished(
        report({
          result: 'held',
          previousVersion: undefined,
          failedGate: undefined,
          rollback: undefined
        })
      )
    )
    const doc = JSON.parse(hooks.received[0].body) as Record<string, unknown>
    expect(doc).toMatchObject({
      result: 'held',
      previousVersion: null,
      failedGate: null,
      failedStep: null,
      runUrl: null,
      rollback: null
    })
  })

  it('sends to both targets on one event', async () => {
    const r = notifyReporter(config(), deps())
    await r.onEvent(finished(report()))
    expect(hooks.to('/services/')).toHaveLength(1)
    expect(hooks.to('/hooks/')).toHaveLength(1)
  })
})

describe('retries', () => {
  it('retries a 500 and succeeds on the next attempt', async () => {
    hooks.script = [500]
    const r = notifyReporter({ ...config(), slack: undefined }, deps())
    await r.onEvent(finished(report()))
    expect(hooks.received).toHaveLength(2)
    expect(hooks.received[1].body).toBe(hooks.received[0].body)
    expect(warnings).toEqual([])
    expect(infos[0]).toMatch(/\(200, after 2 attempts\)$/)
  })

  it('retries 429 and 503 but gives up after 3 attempts, with a warning', async () => {
    hooks.script = [503, 429, 500, 200]
    const r = notifyReporter({ ...config(), slack: undefined }, deps())
    await expect(r.onEvent(finished(report()))).resolves.toBeUndefined()
    expect(hooks.received).toHaveLength(3)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^notify webhook: POST to 127\.0\.0\.1:\d+\/hooks\/deploys failed: .*500.* after 3 attempts/
    )
  })

  it('does not retry a 404, and the warning does not show the URL token', async () => {
    hooks.script = [404]
    const r = notifyReporter({ ...config(), webhook: undefined }, deps())
    await r.onEvent(finished(report()))
    expect(hooks.received).toHaveLength(1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^notify Slack: POST to 127\.0\.0\.1:\d+\/services\/T000\/B000\/\*\*\* failed: .*404/
    )
    expect(warnings[0]).not.toContain(SLACK_TOKEN)
  })

  it('warns when the endpoint refuses connections, after 3 attempts', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const r = notifyReporter(
      { on: ['rolled-back'], webhook: { url: `http://127.0.0.1:${port}/x` } },
      deps()
    )
    await r.onEvent(finished(report()))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/refused.*after 3 attempts/)
  })
})

describe('redaction', () => {
  it('masks planted secrets in every body: known ones and the URL token', async () => {
    const planted = report({
      reason: `probe match: 401 with Authorization Bearer ${HOOK_TOKEN} at ${hooks.origin}/services/T000/B000/${SLACK_TOKEN}`,
      gates: [
        {
          gate: 'smoke',
          outcome: 'failed',
          reason: `connect to postgres://app:${DB_PASSWORD}@db/app refused; token ${SLACK_TOKEN}`,
          startedAt: T0,
          endedAt: T0 + 1000,
          findings: [
            {
              name: 'probe match',
              level: 'fail',
              reason: `got ${SLACK_TOKEN} and ${DB_PASSWORD} in the body`
            }
          ],
          logTail: [`echo ${HOOK_TOKEN}`]
        }
      ],
      failedGate: 'smoke',
      timeline: [{ at: T0, text: `leaked ${HOOK_TOKEN}` }]
    })
    const r = notifyReporter(config(), deps())
    await r.onEvent(finished(planted))
    expect(hooks.received).toHaveLength(2)
    for (const sent of hooks.received) {
      expect(sent.body).not.toContain(SLACK_TOKEN)
      expect(sent.body).not.toContain(HOOK_TOKEN)
      expect(sent.body).not.toContain(DB_PASSWORD)
      expect(sent.body).toContain('***')
    }
    // The verdict survives around the masks.
    const doc = JSON.parse(hooks.to('/hooks/')[0].body) as { reason: string }
    expect(doc.reason).toMatch(/^probe match: 401 with Authorization/)
    expect(warnings).toEqual([])
  })

  it('sends a template in report text as written, never rendered', async () => {
    const r = notifyReporter({ ...config(), slack: undefined }, deps())
    await r.onEvent(
      finished(
        report({ reason: 'curl said ${secrets.HOOK_TOKEN} ${env.HOME}' })
      )
    )
    const doc = JSON.parse(hooks.received[0].body) as { reason: string }
    expect(doc.reason).toBe('curl said ${secrets.HOOK_TOKEN} ${env.HOME}')
  })
})

describe('when to send', () => {
  const results: RolloutResult[] = [
    'promoted',
    'passed',
    'paused',
    'failed',
    'rolled-back',
    'held',
    'rollback-failed'
  ]

  it('sends by default on rolled-back, held and rollback-failed only', async () => {
    const { on: _on, ...rest } = config({ slack: undefined })
    const r = notifyReporter(rest as NotifyConfig, deps())
    for (const result of results) await r.onEvent(finished(report({ result })))
    const sent = hooks.received.map(
      (x) => (JSON.parse(x.body) as { result: string }).result
    )
    expect(sent).toEqual(['rolled-back', 'held', 'rollback-failed'])
  })

  it('follows notify.on', async () => {
    const r = notifyReporter(
      config({ slack: undefined, on: ['promoted', 'failed'] }),
      deps()
    )
    for (const result of results) await r.onEvent(finished(report({ result })))
    const sent = hooks.received.map(
      (x) => (JSON.parse(x.body) as { result: string }).result
    )
    expect(sent).toEqual(['promoted', 'failed'])
  })

  it('ignores every other event', async () => {
    const r = notifyReporter(config(), deps())
    await r.onEvent({ type: 'rollback-started', reason: 'x', at: T0 })
    await r.onEvent({
      type: 'rollback-finished',
      ok: false,
      attempts: 3,
      reason: 'x',
      at: T0
    })
    await r.onEvent({
      type: 'gate-finished',
      report: report().gates[1],
      at: T0
    })
    expect(hooks.received).toEqual([])
  })

  it('does nothing without a notify config', async () => {
    const r = notifyReporter(undefined, deps())
    await r.onEvent(finished(report()))
    expect(hooks.received).toEqual([])
    expect(warnings).toEqual([])
  })
})

describe('missing secrets', () => {
  it('warns and sends nothing to a target whose secret is not set', async () => {
    const r = notifyReporter(config(), deps({ env: { HOOK_TOKEN } }))
    await r.onEvent(finished(report()))
    expect(hooks.to('/services/')).toEqual([])
    expect(hooks.to('/hooks/')).toHaveLength(1)
    expect(warnings).toEqual([
      "notify Slack: url: secret 'SLACK_WEBHOOK' is not set (referenced as '${secrets.SLACK_WEBHOOK}'); nothing sent"
    ])
  })

  it('a missing header secret also stops that request', async () => {
    const r = notifyReporter(config({ slack: undefined }), deps({ env: {} }))
    await r.onEvent(finished(report()))
    expect(hooks.received).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^notify webhook: header 'Authorization': secret 'HOOK_TOKEN' is not set/
    )
  })
})

describe('urlSecretParts', () => {
  it('keeps token-like pieces of a secret URL, not path words', () => {
    expect(
      urlSecretParts(
        'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx?sig=9f8e7d6c5b'
      )
    ).toEqual([
      'T0123ABCD',
      'B0456EFGH',
      'abcdefghijklmnopqrstuvwx',
      '9f8e7d6c5b'
    ])
    expect(urlSecretParts('https://user:p4ssw0rd99@example.com/hooks')).toEqual(
      ['p4ssw0rd99']
    )
    expect(urlSecretParts('not a url')).toEqual([])
  })
})
