/**
 * Chained HTTP probes and bursts from config to verdict, against real
 * loopback servers: a stateful API that checks every request of a
 * create / read / delete flow, and a rate limiter for bursts.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { parseConfig, formatConfigError } from '../../src/config/load.js'
import { closeHttpDispatchers } from '../../src/http/dispatcher.js'
import { runHttpFlow } from '../../src/probes/http-flow.js'
import { runHttpBurst } from '../../src/probes/http-burst.js'
import { resolveProbe } from '../../src/probes/resolve.js'
import { createRedactor } from '../../src/redact/redactor.js'
import { describeGate } from '../../src/rollout/plan.js'
import type { HttpSample } from '../../src/kernel/sample.js'
import {
  startMatchesApi,
  startRateLimited,
  type MatchesApi
} from '../helpers/matches-api.js'
import { fakeClock } from '../helpers/http-servers.js'

const TOKEN = 'smoke-t0ken-5d1e9a'
let closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.map((c) => c()))
  closers = []
})
afterAll(async () => {
  await closeHttpDispatchers()
})

async function api(faults = {}): Promise<MatchesApi> {
  const a = await startMatchesApi(TOKEN, faults)
  closers.push(a.close)
  return a
}

/** The create / read / delete / gone flow of the examples, on `origin`. */
function crudYaml(origin: string, capture = 'id: $.id'): string {
  return `version: 1
service: matches-api
environment: staging
vars: { base: "${origin}" }
probes:
  crud:
    http:
      headers: { Authorization: "Bearer \${secrets.SMOKE_TOKEN}" }
      timeout: 5s
      steps:
        - name: create
          method: POST
          url: \${vars.base}/api/matches
          json: { name: "smoke-\${version}" }
          expect: { status: 201, json: { name: "smoke-\${version}" } }
          capture:
            ${capture}
            owner: { header: X-Owner-Ref, secret: true }
        - name: read
          url: \${vars.base}/api/matches/\${capture.id}
          headers: { X-Owner-Ref: "\${capture.owner}" }
          expect: { status: 200, json: { id: "\${capture.id}" } }
        - name: delete
          method: DELETE
          url: \${vars.base}/api/matches/\${capture.id}
          headers: { X-Owner-Ref: "\${capture.owner}" }
          expect: { status: 204 }
        - name: gone
          url: \${vars.base}/api/matches/\${capture.id}
          headers: { X-Owner-Ref: "\${capture.owner}" }
          expect: { status: 404 }
`
}

function load(yaml: string): ReturnType<typeof parseConfig> {
  return parseConfig(yaml, 'flow.yml')
}

async function runProbe(
  yaml: string,
  name: string
): Promise<{ sample: HttpSample; printed: string }> {
  const r = load(yaml)
  if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'))
  const redactor = createRedactor([TOKEN])
  const resolved = resolveProbe(name, r.config.probes[name], {
    values: {
      vars: r.config.vars,
      env: { SMOKE_TOKEN: TOKEN },
      builtins: { version: 'v2' }
    },
    readFile: () => ''
  })
  if (!resolved.ok) throw new Error(resolved.error)
  const spec = resolved.spec
  const opts = {
    env: {},
    clock: fakeClock(),
    redact: (s: string) => redactor.redact(s),
    mask: (s: string) => redactor.add(s)
  }
  const sample =
    spec.kind === 'http-flow'
      ? await runHttpFlow(spec, opts)
      : spec.kind === 'http-burst'
        ? await runHttpBurst(spec, opts)
        : undefined
  if (!sample) throw new Error(`unexpected spec kind ${spec.kind}`)
  return { sample, printed: JSON.stringify(sample) }
}

describe('chained requests', () => {
  it('creates, reads back and deletes a match with captured values', async () => {
    const a = await api()
    const { sample } = await runProbe(crudYaml(a.origin), 'crud')
    expect(a.refused).toEqual([])
    expect(a.log).toEqual([
      'POST /api/matches',
      'GET /api/matches/m-1',
      'DELETE /api/matches/m-1',
      'GET /api/matches/m-1'
    ])
    expect(a.matches.size).toBe(0)
    expect(sample).toMatchObject({
      ok: true,
      reason: 'ok (4 steps)',
      requests: 4,
      status: 404,
      attempts: 4
    })
  })

  it('fails naming the step, the capture and the path when a capture is missing', async () => {
    const a = await api({ idMoved: true })
    const { sample } = await runProbe(crudYaml(a.origin), 'crud')
    expect(sample.ok).toBe(false)
    expect(sample.reason).toBe(
      "step 'create' (1 of 4): capture 'id' at '$.id': not found (the document has no key 'id')"
    )
    // Nothing after the failed capture was sent.
    expect(a.log).toEqual(['POST /api/matches'])
  })

  it('fails naming the step and the value when a later step is wrong', async () => {
    const a = await api({ deleteKeeps: true })
    const { sample, printed } = await runProbe(crudYaml(a.origin), 'crud')
    expect(a.refused).toEqual([])
    expect(sample.ok).toBe(false)
    expect(sample.reason).toBe(
      "step 'gone' (4 of 4): expected status 404, got 200"
    )
    // The read-back answer echoes the owner ref; it is a secret capture.
    expect(a.refs).toHaveLength(1)
    expect(printed).not.toContain(a.refs[0])
    expect(sample.excerpt).toContain('***')
  })

  it('masks a secret capture in the reason of a failing step', async () => {
    const a = await api()
    const yaml = crudYaml(a.origin).replace(
      'expect: { status: 200, json: { id: "${capture.id}" } }',
      'expect: { status: 200, paths: { handle: { equals: nope } } }'
    )
    const { sample, printed } = await runProbe(yaml, 'crud')
    expect(sample.ok).toBe(false)
    expect(sample.reason).toMatch(/^step 'read' \(2 of 4\): .*handle.*\*\*\*/)
    expect(printed).not.toContain(a.refs[0])
    expect(printed).not.toContain(TOKEN)
  })

  it('fails before the first request when a step reads a secret that is not set', async () => {
    const a = await api()
    const yaml = crudYaml(a.origin).replace(
      'expect: { status: 204 }',
      'expect: { status: 204 }\n          body: "${secrets.DELETE_REASON}"'
    )
    const r = load(yaml)
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'))
    const resolved = resolveProbe('crud', r.config.probes.crud, {
      values: {
        vars: r.config.vars,
        env: { SMOKE_TOKEN: TOKEN },
        builtins: { version: 'v2' }
      },
      readFile: () => ''
    })
    expect(resolved).toEqual({
      ok: false,
      error:
        "probe 'crud' step 'delete' (3 of 4): body: secret 'DELETE_REASON' is not set (referenced as '${secrets.DELETE_REASON}')"
    })
    expect(a.log).toEqual([])
  })

  it('refuses a capture used before any step captures it, at load time', () => {
    const yaml = crudYaml('http://127.0.0.1:9').replace(
      'url: ${vars.base}/api/matches\n',
      'url: ${vars.base}/api/matches?after=${capture.id}\n'
    )
    const r = load(yaml)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map(formatConfigError).join('\n')).toContain(
      "'${capture.id}': no earlier step captures anything"
    )
  })

  it('refuses a misspelt capture with a suggestion and a capture outside steps', () => {
    const yaml =
      crudYaml('http://127.0.0.1:9').replace(
        'headers: { X-Owner-Ref: "${capture.owner}" }\n          expect: { status: 204 }',
        'headers: { X-Owner-Ref: "${capture.ownr}" }\n          expect: { status: 204 }'
      ) +
      `  other:
    http: { url: "http://127.0.0.1:9/\${capture.id}" }
`
    const r = load(yaml)
    expect(r.ok).toBe(false)
    if (r.ok) return
    const text = r.errors.map(formatConfigError).join('\n')
    expect(text).toContain(
      "no earlier step captures 'ownr' (did you mean 'owner'?)"
    )
    expect(text).toContain(
      "'${capture.id}' only has a value in the steps of an http probe"
    )
  })
})

function burstYaml(origin: string, burst: string): string {
  return `version: 1
service: matches-api
environment: staging
probes:
  limited:
    http:
      url: ${origin}/api/search
      burst: ${burst}
`
}

describe('bursts', () => {
  it('passes when the rate limiter answers 429 to part of the burst', async () => {
    const s = await startRateLimited(10)
    closers.push(s.close)
    const { sample } = await runProbe(
      burstYaml(
        s.origin,
        '{ requests: 50, concurrency: 25, expect: { status: 429, at-least: 1 } }'
      ),
      'limited'
    )
    expect(s.counts).toEqual({ 200: 10, 429: 40 })
    expect(sample).toMatchObject({
      ok: true,
      reason: 'burst: 40 of 50 answered 429 (10 answered 200)',
      requests: 50,
      attempts: 50
    })
  })

  it('fails naming the counts when nothing is rate limited', async () => {
    const s = await startRateLimited(1000)
    closers.push(s.close)
    const { sample } = await runProbe(
      burstYaml(
        s.origin,
        '{ requests: 50, expect: { status: 429, at-least: 1 } }'
      ),
      'limited'
    )
    expect(s.counts).toEqual({ 200: 50 })
    expect(sample.ok).toBe(false)
    expect(sample.reason).toBe(
      'burst: 0 of 50 answered 429, expected at least 1 (50 answered 200)'
    )
  })

  it('takes a share and a rate', async () => {
    const s = await startRateLimited(10)
    closers.push(s.close)
    const { sample } = await runProbe(
      burstYaml(
        s.origin,
        '{ requests: 20, rate: 40, expect: { status: 429, at-least: 60% } }'
      ),
      'limited'
    )
    expect(sample.ok).toBe(false)
    expect(sample.reason).toBe(
      'burst: 10 of 20 answered 429, expected at least 60% (12) (10 answered 200)'
    )
  })

  it('counts requests that got no answer apart from any status', async () => {
    const s = await startRateLimited(0)
    await s.close()
    const { sample } = await runProbe(
      burstYaml(
        s.origin,
        '{ requests: 5, expect: { status: 429, at-least: 1 } }'
      ),
      'limited'
    )
    expect(sample.ok).toBe(false)
    expect(sample.error).toBe(true)
    expect(sample.reason).toMatch(
      /^burst: 0 of 5 answered 429, expected at least 1 \(5 got no answer: .*refused/
    )
  })

  it('refuses burst with steps, with expect, and a count above the requests', () => {
    const r = load(`version: 1
service: s
environment: e
probes:
  a:
    http:
      url: http://127.0.0.1:9/x
      expect: { status: 200 }
      burst: { requests: 5, expect: { status: 429, at-least: 6 } }
  b:
    http:
      burst: { requests: 5, expect: { status: 429 } }
      steps: [{ url: "http://127.0.0.1:9/x" }]
`)
    expect(r.ok).toBe(false)
    if (r.ok) return
    const text = r.errors.map(formatConfigError).join('\n')
    expect(text).toContain("with 'burst', 'expect' does not apply")
    expect(text).toContain('6 is more than the 5 requests of the burst')
    expect(text).toContain("'burst' sends one request many times")
    expect(text).toContain("needs 'at-least' or 'at-most'")
    const slow = load(
      burstYaml(
        'http://127.0.0.1:9',
        '{ requests: 1000, rate: 1, expect: { status: 429, at-least: 1 } }'
      )
    )
    expect(slow.ok).toBe(false)
    if (slow.ok) return
    expect(slow.errors.map(formatConfigError).join('\n')).toContain(
      '1000 requests at 1/s take 1000s; a burst lasts at most 600s'
    )
  })
})

describe('plan', () => {
  it('says what a chained probe and a burst send', () => {
    const r = load(
      crudYaml('http://127.0.0.1:9') +
        `  limited:
    http:
      url: http://127.0.0.1:9/api/search
      burst: { requests: 50, rate: 25, expect: { status: 429, at-least: 1 } }
gates:
  smoke:
    probes: [crud, limited]
`
    )
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'))
    expect(describeGate(r.config, 'smoke')).toBe(
      'probes crud (4 chained requests), limited (burst of 50 at 25/s, counting 429)'
    )
  })
})
