import { describe, expect, it } from '@jest/globals'
import {
  looksLikeTemplate,
  parseTemplate,
  render,
  renderDeep
} from '../../src/config/interpolate.js'
import { checkHeaderValue, checkUrl } from '../../src/config/urls.js'
import { suggest } from '../../src/config/suggest.js'

const values = {
  vars: {
    base: 'https://staging.example.com',
    auth: 'Bearer ${secrets.TOKEN}'
  },
  env: { TOKEN: 's3cr3t-t0ken', REGION: 'eu' },
  builtins: { version: 'v2', track: 'canary' }
}

describe('templates', () => {
  it('splits text and references', () => {
    const r = parseTemplate('${vars.base}/v/${version}?r=${env.REGION}')
    expect(r.ok && r.parts.map((p) => p.kind)).toEqual([
      'ref',
      'text',
      'builtin',
      'text',
      'ref'
    ])
  })

  it('keeps $${ as a literal ${', () => {
    expect(render('cost: $${price}', values)).toEqual({
      ok: true,
      value: 'cost: ${price}',
      secrets: []
    })
    expect(looksLikeTemplate('$${x}')).toBe(false)
  })

  it('renders vars, env, builtins and returns secrets to mask', () => {
    const r = render('${vars.base}/${version}', values)
    expect(r).toEqual({
      ok: true,
      value: 'https://staging.example.com/v2',
      secrets: []
    })
    const auth = render('${vars.auth}', values)
    expect(auth).toEqual({
      ok: true,
      value: 'Bearer s3cr3t-t0ken',
      secrets: ['s3cr3t-t0ken']
    })
  })

  it('names what is missing, never renders an empty value', () => {
    expect(render('${secrets.NOPE}', values)).toEqual({
      ok: false,
      error: "secret 'NOPE' is not set (referenced as '${secrets.NOPE}')"
    })
    expect(render('${weight}', values)).toEqual({
      ok: false,
      error: "'${weight}' has no value here"
    })
  })

  it.each([
    ['${var.x}', 'namespaces are vars, env, secrets, window and capture'],
    ['${nope}', "unknown reference '${nope}'"],
    ['${vars.}', "invalid name in reference '${vars.}'"],
    ['abc ${vars.x', "unclosed '${'"]
  ])('rejects %s', (t, message) => {
    const r = parseTemplate(t)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toContain(message)
  })

  it('renders every string of a JSON value', () => {
    expect(
      renderDeep({ a: ['${version}', 1], b: { c: '${track}' } }, values)
    ).toEqual({
      ok: true,
      value: { a: ['v2', 1], b: { c: 'canary' } },
      secrets: []
    })
  })
})

describe('static URL checks', () => {
  const vars = { base: 'https://staging.example.com' }
  it.each([
    ['${vars.base}/health', 'http'],
    ['https://${secrets.U}:${secrets.P}@example.com/x', 'http'],
    ['${env.BASE_URL}/health', 'http'],
    ['wss://example.com/ws?token=${secrets.T}', 'websocket'],
    ['https://example.com', 'socket.io'],
    ['http://127.0.0.1:9090', 'http'],
    ['http://[::1]:9090/x', 'http']
  ] as const)('accepts %s', (url, kind) => {
    expect(checkUrl(url, kind, vars)).toBeUndefined()
  })

  it.each([
    ['file:///etc/passwd', 'http', "scheme 'file:'"],
    ['javascript:alert(1)', 'http', "scheme 'javascript:'"],
    ['https://trusted@evil.example', 'http', "credentials before '@'"],
    ['https://user:pass@example.com', 'http', "credentials before '@'"],
    ['http://0x7f.1/', 'http', "host '0x7f.1'"],
    ['http://2130706433/', 'http', "host '2130706433'"],
    ['http://0177.0.0.1/', 'http', "host '0177.0.0.1'"],
    ['http://example.com:99999/', 'http', "port '99999'"],
    ['https://example.com/ws', 'websocket', "scheme 'https:'"],
    ['http://exa mple.com/', 'http', 'invalid URL']
  ] as const)('rejects %s', (url, kind, message) => {
    expect(checkUrl(url, kind, vars)).toContain(message)
  })

  it('rejects line breaks in header values, also through vars', () => {
    expect(checkHeaderValue('a\r\nb', {})).toContain('line break')
    expect(checkHeaderValue('${vars.x}', { x: 'a\nb' })).toContain('line break')
    expect(checkHeaderValue('Bearer ${secrets.T}', {})).toBeUndefined()
  })
})

describe('suggest', () => {
  it('finds close typos only', () => {
    expect(suggest('withn', ['within', 'probes'])).toBe('within')
    expect(suggest('bkae', ['bake', 'weight'])).toBe('bake')
    expect(suggest('colour', ['weight', 'bake'])).toBeUndefined()
  })
})

describe('metric conditions', () => {
  it('accepts a list of fail conditions and checks each one', async () => {
    const { parseConfig } = await import('../../src/config/load.js')
    const base = `version: 1
service: api
environment: staging
vars: { base: https://s.example.com, stable: https://b.example.com }
probes:
  health: { http: { url: '\${vars.base}/health' } }
gates:
  canary:
    traffic: { run: ./w.sh }
    steps: [{ weight: 10, bake: 1m }]
    analysis:
      probes: [health]
      tracks: { baseline: { base: 'https://b.example.com' } }
      metrics:
        p95: { warn: '> 200ms', fail: ['> 500ms', '> 2x baseline'] }
`
    const ok = parseConfig(base, 'c.yml')
    expect(ok.ok).toBe(true)
    const bad = parseConfig(base.replace("'> 2x baseline'", "'> 5%'"), 'c.yml')
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual([
      'gates.canary.analysis.metrics.p95.fail[1]'
    ])
  })
})
