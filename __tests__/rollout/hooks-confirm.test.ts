/**
 * Hooks and confirm in whole rollouts on loopback, with the fake clock:
 * hooks reach a real HTTP server that checks every request, commands get
 * the event in DEPLOY_GATES_EVENT, and a confirm waits for its answer.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync, existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { baseYaml, scenario, type Urls } from '../helpers/scenario.js'
import { notifyReporter } from '../../src/notify/reporter.js'
import { parseConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'

const TOKEN = 'hk_live_5f2c9e1a7b3d4f60'

interface Received {
  path: string
  method: string
  headers: IncomingMessage['headers']
  body: string
}

/**
 * The receiving end of hooks, confirm and notifications. It checks each
 * hook request before answering: a POST of a JSON event document that
 * carries the configured bearer token. `answer` decides the reply.
 */
class Receiver {
  readonly received: Received[] = []
  readonly problems: string[] = []
  private server: Server | undefined
  origin = ''

  constructor(
    private readonly answer: (r: Received) => { status: number; body?: string }
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const r: Received = {
          path: req.url ?? '',
          method: req.method ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8')
        }
        this.received.push(r)
        if (r.path.startsWith('/hook')) this.check(r)
        const a = this.answer(r)
        res.writeHead(a.status, { 'content-type': 'application/json' })
        res.end(a.body ?? '{}')
      })
    })
    await new Promise<void>((resolve) =>
      this.server?.listen(0, '127.0.0.1', resolve)
    )
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  private check(r: Received): void {
    const bad = (what: string): void =>
      void this.problems.push(`${r.path}: ${what}`)
    if (r.method !== 'POST') bad(`method ${r.method}`)
    if (!/^application\/json/.test(r.headers['content-type'] ?? '')) {
      bad(`content-type ${r.headers['content-type']}`)
    }
    if (r.headers.authorization !== `Bearer ${TOKEN}`) bad('no bearer token')
    let doc: Record<string, unknown>
    try {
      doc = JSON.parse(r.body) as Record<string, unknown>
    } catch {
      bad('body is not JSON')
      return
    }
    for (const k of ['event', 'service', 'environment', 'version', 'gate']) {
      if (typeof doc[k] !== 'string') bad(`no ${k}`)
    }
    if (doc.service !== 'matches-api' || doc.version !== 'v2')
      bad('wrong rollout')
    if (
      String(doc.event).startsWith('step-') &&
      typeof doc.weight !== 'number'
    ) {
      bad('step event without weight')
    }
    if (String(doc.event).endsWith('-end') && typeof doc.outcome !== 'string') {
      bad('end event without outcome')
    }
  }

  /** The event documents posted to one path, in arrival order. */
  events(
    path: string
  ): { event: string; gate: string; weight?: number; outcome?: string }[] {
    return this.received
      .filter((r) => r.path === path)
      .map((r) => JSON.parse(r.body) as { event: string; gate: string })
  }

  close(): Promise<void> {
    return new Promise(
      (resolve) => this.server?.close(() => resolve()) ?? resolve()
    )
  }
}

let receiver: Receiver | undefined
afterEach(async () => {
  await receiver?.close()
  receiver = undefined
})

async function receiving(
  answer: (r: Received) => { status: number; body?: string }
): Promise<Receiver> {
  receiver = new Receiver(answer)
  await receiver.start()
  return receiver
}

/** The base rollout with a short bake and extra top-level sections. */
function yaml(
  u: Urls,
  extra: string,
  step50 = '{ weight: 50, bake: 30s }'
): string {
  return (
    baseYaml(u, { bake: '30s' }).replace('{ weight: 50, bake: 30s }', step50) +
    extra
  )
}

describe('hooks', () => {
  it('calls an HTTP and a command hook at every gate and step start and end', async () => {
    const hooks = await receiving((r) =>
      r.path === '/hook/flaky' ? { status: 503 } : { status: 204 }
    )
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      env: { HOOK_TOKEN: TOKEN },
      yaml: (u) =>
        yaml(
          u,
          `hooks:
  announce:
    http:
      url: ${hooks.origin}/hook/announce
      headers: { Authorization: 'Bearer \${secrets.HOOK_TOKEN}' }
  record:
    on: [step-end]
    run: printf '%s\\n' "$DEPLOY_GATES_EVENT" >> events.jsonl
  flaky:
    on: [gate-end]
    gates: [deploy]
    http:
      url: ${hooks.origin}/hook/flaky
      headers: { Authorization: 'Bearer \${secrets.HOOK_TOKEN}' }
`
        )
    })
    expect(r.report.result).toBe('promoted')
    expect(hooks.problems).toEqual([])
    const announced = hooks
      .events('/hook/announce')
      .map((e) => [e.event, e.gate, e.weight, e.outcome])
    expect(announced).toEqual([
      ['gate-start', 'deploy', undefined, undefined],
      ['gate-end', 'deploy', undefined, 'passed'],
      ['gate-start', 'health', undefined, undefined],
      ['gate-end', 'health', undefined, 'passed'],
      ['gate-start', 'canary', undefined, undefined],
      ['step-start', 'canary', 10, undefined],
      ['step-end', 'canary', 10, 'passed'],
      ['step-start', 'canary', 50, undefined],
      ['step-end', 'canary', 50, 'passed'],
      ['step-start', 'canary', 100, undefined],
      ['step-end', 'canary', 100, 'passed'],
      ['gate-end', 'canary', undefined, 'passed']
    ])
    // The command hook got each step's event as JSON, not as shell text.
    const file = join(r.workspace, 'events.jsonl')
    expect(existsSync(file)).toBe(true)
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(
      lines.map((l) => (JSON.parse(l) as { weight: number }).weight)
    ).toEqual([10, 50, 100])
    // A failing hook with the default on-failure warns and changes nothing.
    expect(r.warnings.join('\n')).toContain(
      `hook 'flaky' at gate-end of deploy: POST ${hooks.origin}/hook/flaky answered 503 (on-failure: warn)`
    )
    // The token went out in the header and nowhere else.
    expect(JSON.stringify(r.events)).not.toContain(TOKEN)
    expect(JSON.stringify(r.report)).not.toContain(TOKEN)
  }, 90_000)

  it('fails the step and rolls back when a hook with on-failure: fail fails', async () => {
    const hooks = await receiving((r) => {
      const doc = JSON.parse(r.body) as { weight?: number }
      return doc.weight === 50
        ? { status: 500, body: '{"error":"ledger closed"}' }
        : { status: 200 }
    })
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      env: { HOOK_TOKEN: TOKEN },
      yaml: (u) =>
        yaml(
          u,
          `hooks:
  ledger:
    on: [step-end]
    gates: [canary]
    on-failure: fail
    http:
      url: ${hooks.origin}/hook/ledger?token=\${secrets.HOOK_TOKEN}
      headers: { Authorization: 'Bearer \${secrets.HOOK_TOKEN}' }
`
        )
    })
    expect(hooks.problems).toEqual([])
    expect(r.report.result).toBe('rolled-back')
    expect(r.report.failedGate).toBe('canary')
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed?.step).toBe(50)
    expect(failed?.reason).toBe(
      `hook 'ledger' at step-end of canary 50%: POST ${hooks.origin}/hook/ledger answered 500`
    )
    expect(r.log).toEqual([
      'deploy v2',
      'weight 10',
      'weight 50',
      'weight 0',
      'rollback v1'
    ])
    expect(JSON.stringify(r.report)).not.toContain(TOKEN)
  }, 90_000)
})

describe('start and end hooks that must succeed', () => {
  it('fails deploy before it runs when its gate-start hook fails', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        yaml(
          u,
          `hooks:
  change-ticket:
    on: [gate-start]
    gates: [deploy]
    on-failure: fail
    run: echo "no open change ticket for $DEPLOY_GATES_VERSION"; exit 3
`
        )
    })
    expect(r.report.result).toBe('failed')
    expect(r.report.failedGate).toBe('deploy')
    expect(r.report.reason).toMatch(
      /^hook 'change-ticket' at gate-start of deploy: command exited with code 3 after /
    )
    // Nothing ran, so nothing was rolled back.
    expect(r.log).toEqual([])
    expect(r.report.rollback).toBeUndefined()
  }, 60_000)

  it('rolls back after promote when its gate-end hook fails', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        yaml(
          u,
          `hooks:
  release-notes:
    on: [gate-end]
    gates: [promote]
    on-failure: fail
    run: test "$(printf '%s' "$DEPLOY_GATES_EVENT" | grep -c '"outcome":"passed"')" = 0
`
        ).replace(
          'rollback:\n',
          '  promote:\n    run: echo promote >> log.txt\nrollback:\n'
        )
    })
    expect(r.report.result).toBe('rolled-back')
    expect(r.report.failedGate).toBe('promote')
    expect(r.report.gates.filter((g) => g.gate === 'promote')).toMatchObject([
      { outcome: 'passed' },
      {
        outcome: 'failed',
        reason: expect.stringMatching(
          /^hook 'release-notes' at gate-end of promote: command exited with code 1 /
        ) as unknown as string
      }
    ])
    expect(r.log.slice(-3)).toEqual(['promote', 'weight 0', 'rollback v1'])
  }, 60_000)
})

describe('hook and confirm secrets', () => {
  it('refuses to start when a hook or confirm reads a secret that is not set', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        yaml(
          u,
          `hooks:
  announce:
    http:
      url: http://127.0.0.1:9/hook
      headers: { Authorization: 'Bearer \${secrets.NOT_SET_HOOK}' }
`,
          "{ weight: 50, bake: 30s, confirm: { http: { url: 'http://127.0.0.1:9/ok?t=${secrets.NOT_SET_OK}' } } }"
        )
    })
    expect(r.report.result).toBe('failed')
    expect(r.report.failedGate).toBe('preflight')
    expect(r.report.reason).toContain(
      'secrets.NOT_SET_HOOK (hooks.announce.http.headers.Authorization)'
    )
    expect(r.report.reason).toContain(
      'secrets.NOT_SET_OK (gates.canary.steps[1].confirm.http.url)'
    )
    expect(r.log).toEqual([])
  }, 60_000)
})

describe('confirm', () => {
  it('waits for the on-call to say yes before shifting to 50%, showing progress', async () => {
    let asked = 0
    const approver = await receiving((r) => {
      if (r.path !== '/approve') return { status: 404 }
      asked++
      return {
        status: 200,
        body: JSON.stringify({ approved: asked >= 4 ? true : null })
      }
    })
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        yaml(
          u,
          '',
          `{ weight: 50, bake: 30s, confirm: { name: on-call, http: { url: '${approver.origin}/approve' }, path: approved, interval: 1m, timeout: 1h } }`
        )
    })
    expect(r.report.result).toBe('promoted')
    expect(asked).toBe(4)
    expect(approver.received.every((x) => x.method === 'GET')).toBe(true)
    const waiting = r.events.filter(
      (e) =>
        e.type === 'progress' && e.gate === 'canary' && 'on-call' in e.values
    )
    expect(waiting).toHaveLength(3)
    expect(waiting[0]).toMatchObject({
      step: 50,
      values: {
        'on-call': `waiting (${approver.origin}/approve returned {"approved":null})`
      }
    })
    expect(r.report.timeline.map((t) => t.text)).toContain(
      `confirm: on-call said yes after 3m (${approver.origin}/approve returned {"approved":true})`
    )
  }, 90_000)

  it('rolls back when the on-call says no, naming the check and the answer', async () => {
    const approver = await receiving(() => ({
      status: 200,
      body: '{"approved":false,"by":"sam"}'
    }))
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        yaml(
          u,
          '',
          `{ weight: 50, bake: 30s, confirm: { name: on-call, http: { url: '${approver.origin}/approve' }, path: approved } }`
        )
    })
    expect(r.report.result).toBe('rolled-back')
    const failed = r.report.gates.find((g) => g.outcome === 'failed')
    expect(failed).toMatchObject({ gate: 'canary', step: 50 })
    expect(failed?.reason).toBe(
      `confirm: on-call said no (${approver.origin}/approve returned {"approved":false,"by":"sam"})`
    )
    // Traffic never went to 50%.
    expect(r.log).toEqual(['deploy v2', 'weight 10', 'weight 0', 'rollback v1'])
  }, 90_000)

  it('asks a command before promote: other exit codes keep it waiting', async () => {
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) =>
        yaml(u, '').replace(
          'rollback:\n',
          `  promote:
    run: echo promote >> log.txt
    confirm:
      name: change-board
      run: n=$(cat asked 2>/dev/null || echo 0); echo $((n+1)) > asked; [ "$n" -ge 2 ] || { echo "pending ($n)"; exit 75; }
      interval: 5m
rollback:
`
        )
    })
    expect(r.report.result).toBe('promoted')
    expect(readFileSync(join(r.workspace, 'asked'), 'utf8').trim()).toBe('3')
    expect(r.log.at(-1)).toBe('promote')
    expect(r.report.timeline.map((t) => t.text).join('\n')).toMatch(
      /confirm: change-board said yes after 10m \(the command exited with code 0/
    )
  }, 90_000)

  it('fails on timeout with the last answer, or goes on with on-timeout: continue', async () => {
    const promote =
      (onTimeout: string): ((u: Urls) => string) =>
      (u) =>
        yaml(u, '').replace(
          'rollback:\n',
          `  promote:
    run: echo promote >> log.txt
    confirm:
      name: change-board
      run: echo "board has not met"; exit 75
      interval: 5m
      timeout: 20m
      on-timeout: ${onTimeout}
rollback:
`
        )
    const failed = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: promote('fail')
    })
    expect(failed.report.result).toBe('rolled-back')
    expect(failed.report.failedGate).toBe('promote')
    expect(failed.report.reason).toContain(
      `confirm: change-board gave no answer within 20m (last: 'echo "board has not met"; exit 75' exited with code 75`
    )
    expect(failed.report.reason).toContain('board has not met')
    expect(failed.log).not.toContain('promote')

    const went = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: promote('continue')
    })
    expect(went.report.result).toBe('promoted')
    expect(went.log.at(-1)).toBe('promote')
    expect(went.warnings.join('\n')).toContain(
      'confirm: change-board gave no answer within 20m'
    )
  }, 120_000)
})

describe('notifications at each step', () => {
  it('posts step-end documents to the webhook as the rollout goes', async () => {
    const sink = await receiving(() => ({ status: 200 }))
    let config: Config | undefined
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 5 },
      yaml: (u) => {
        const text = yaml(
          u,
          `notify:
  webhook: { url: '${sink.origin}/notify' }
  on: [step-end, promoted]
`
        )
        const parsed = parseConfig(text, 'x.yml')
        if (parsed.ok) config = parsed.config
        return text
      },
      io: (io) => ({
        ...io,
        reporters: [
          ...io.reporters,
          notifyReporter(config?.notify, {
            env: io.env,
            redact: (s) => s,
            warn: (m) => void io.warn(m)
          })
        ]
      })
    })
    expect(r.report.result).toBe('promoted')
    const docs = sink.received.map(
      (x) => JSON.parse(x.body) as { event: string; step?: number | null }
    )
    expect(docs.map((d) => [d.event, d.step ?? null])).toEqual([
      ['deploy-gates.step-end', 10],
      ['deploy-gates.step-end', 50],
      ['deploy-gates.step-end', 100],
      ['deploy-gates.rollout', null]
    ])
    expect(sink.received.every((x) => x.method === 'POST')).toBe(true)
  }, 90_000)
})
