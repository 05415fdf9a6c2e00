import { describe, it, expect } from '@jest/globals'
import {
  createRedactor,
  isSensitiveHeader,
  isSensitiveName,
  MASK
} from '../../src/redact/redactor.js'

const TOKEN = 'ghp_Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0L'
const PASSWORD = 'p@ss word/with+special&chars=1'

// A throwaway key body (random base64, not a real key).
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAvLq3m8Z2Hk5YbQ9xFv0Wc2rJtY7uN4pR1sDgKhLmOqPzXyTe',
  'bWfC6aVnUjS3dE8iG0oH5kQ2lM9rT4yW7xZ1vB6nC3mA8sD0fG5hJ2kL4pO7qR9t',
  'U1wE3yR5tY7uI9oP2aS4dF6gH8jK0lZ1xC3vB5nM7qW9eR2tY4uI6oP8aS0dF2g',
  'Hx4Jk=',
  '-----END RSA PRIVATE KEY-----'
].join('\n')
const PEM_BODY = PEM.split('\n').slice(1, -1)

function b64(s: string): string {
  return Buffer.from(s).toString('base64')
}
function b64url(s: string): string {
  return Buffer.from(s).toString('base64url')
}

/** Fragments of a secret long enough that seeing them would be a leak. */
function fragments(secret: string, size = 8): string[] {
  const out: string[] = []
  for (let i = 0; i + size <= secret.length; i += 2) {
    out.push(secret.slice(i, i + size))
  }
  return out
}

function expectNoneOf(text: string, needles: string[]): void {
  for (const n of needles) expect(text).not.toContain(n)
}

describe('known secrets', () => {
  const r = createRedactor([TOKEN, PASSWORD, PEM])

  it('masks a plain token and keeps ordinary text', () => {
    const out = r.redact(`deploying with ${TOKEN} to staging`)
    expect(out).toBe(`deploying with ${MASK} to staging`)
  })

  it('masks every occurrence, also glued to other text', () => {
    const out = r.redact(`a${TOKEN}b ${TOKEN}${TOKEN}`)
    expectNoneOf(out, fragments(TOKEN))
    expect(out.startsWith('a***b ')).toBe(true)
  })

  it('masks a multi-line PEM key whole and line by line', () => {
    const whole = r.redact(`key:\n${PEM}\ndone`)
    expectNoneOf(whole, PEM_BODY)
    expect(whole).toContain('done')

    const indented = PEM.split('\n')
      .map((l) => `    | ${l}`)
      .join('\n')
    const out = r.redact(indented)
    expectNoneOf(out, PEM_BODY)
    // The public boundary lines say what was hidden.
    expect(out).toContain('-----BEGIN RSA PRIVATE KEY-----')

    const escaped = r.redact(JSON.stringify({ note: PEM }))
    expectNoneOf(escaped, PEM_BODY)
    const crlf = r.redact(PEM.replace(/\n/g, '\r\n'))
    expectNoneOf(crlf, PEM_BODY)
  })

  it.each([
    ['standard base64', b64(TOKEN)],
    ['base64 without padding', b64(TOKEN).replace(/=+$/, '')],
    ['url-safe base64', b64url(PASSWORD)],
    ['url-safe base64 with padding', b64(PASSWORD).replace(/\+/g, '-')],
    ['standard base64 of a password', b64(PASSWORD)],
    ['url-encoded', encodeURIComponent(PASSWORD)],
    ['form-encoded', encodeURIComponent(PASSWORD).replace(/%20/g, '+')],
    ['base64 of the whole PEM', b64(PEM)]
  ])('masks the %s form', (_label, encoded) => {
    const out = r.redact(`value=[${encoded}] trailing words`)
    expect(out).not.toContain(encoded)
    expect(out).toContain('trailing words')
  })

  it('masks base64 of a secret embedded at any offset (user:token)', () => {
    for (const user of ['u', 'us', 'use', 'deploy-bot']) {
      const blob = b64(`${user}:${TOKEN}`)
      const out = r.redact(`{"auths":{"ghcr.io":{"blob":"${blob}"}}}`)
      expect(out).not.toContain(blob.slice(-12))
      expect(out).toContain('ghcr.io')
    }
  })

  it('masks overlapping secrets completely', () => {
    const o = createRedactor(['abcdefgh', 'efghijkl'])
    expect(o.redact('x abcdefghijkl y')).toBe('x *** y')
  })

  it('prefers the longest secret when one contains another', () => {
    const o = createRedactor(['secret', 'secret-extended-value'])
    expect(o.redact('v=secret-extended-value;')).toBe('v=***;')
  })

  it('ignores short secrets in free text but not in exact contexts', () => {
    const o = createRedactor(['abc', ''])
    expect(o.redact('abcdef and abc')).toBe('abcdef and abc')
    expect(o.redactHeaders({ 'X-Team': 'abc' })).toEqual({ 'X-Team': MASK })
    expect(o.redactUrl('https://h.example/hooks/abc/x?team=abc&q=abcd')).toBe(
      'https://h.example/hooks/***/x?team=***&q=abcd'
    )
  })

  it('learns secrets added later', () => {
    const o = createRedactor([])
    expect(o.redact('minted tok_123456')).toBe('minted tok_123456')
    o.add('tok_123456')
    expect(o.redact('minted tok_123456')).toBe('minted ***')
    expect(o.redact(b64('tok_123456'))).toBe(MASK)
  })

  it('masks a secret with surrounding whitespace by its trimmed value', () => {
    const o = createRedactor(['  padded-secret\n'])
    expect(o.redact('got padded-secret!')).toBe('got ***!')
  })
})

describe('secret shapes without known values', () => {
  const r = createRedactor([])

  it.each([
    [
      'https://deploy:hunter2token@git.example.com/org/repo.git',
      'https://***@git.example.com/org/repo.git',
      ['hunter2token', 'deploy:']
    ],
    [
      'postgres://app:p@ss@db.internal:5432/app?sslmode=require',
      'postgres://***@db.internal:5432/app?sslmode=require',
      ['p@ss', 'app:']
    ],
    [
      'https://x.example/cb?code=oauthcode123&state=abc',
      'https://x.example/cb?code=***&state=abc',
      ['oauthcode123']
    ],
    [
      'https://s3.example/o?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tt1',
      'https://s3.example/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***',
      ['AKIA', 'deadbeef', 'tt1']
    ],
    [
      'https://a.example/#access_token=implicit99&token_type=bearer',
      'https://a.example/#access_token=***&token_type=bearer',
      ['implicit99']
    ]
  ])('redactUrl(%s)', (url, expected, leaks) => {
    const out = r.redactUrl(url)
    expect(out).toBe(expected)
    expectNoneOf(out, leaks)
  })

  it.each([
    'token',
    'access_token',
    'id_token',
    'refresh_token',
    'api_key',
    'apikey',
    'key',
    'secret',
    'password',
    'passwd',
    'sig',
    'signature',
    'auth',
    'code',
    'client_secret',
    'X-Amz-Signature'
  ])('masks the %s query parameter in free text', (name) => {
    const out = r.redact(
      `GET https://api.example.com/v1/items?page=2&${name}=Sup3rS3cret! -> 200`
    )
    expect(out).toBe(
      `GET https://api.example.com/v1/items?page=2&${name}=*** -> 200`
    )
  })

  it('masks query tokens in relative URLs too', () => {
    expect(r.redact('callback /oauth/cb?code=abc123&state=s1')).toBe(
      'callback /oauth/cb?code=***&state=s1'
    )
  })

  it('keeps URLs without credentials intact', () => {
    const text =
      'see https://example.com/docs?page=2&sort=name#intro (port 8080)'
    expect(r.redact(text)).toBe(text)
  })

  it.each([
    ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer ***'],
    ['authorization: Basic dXNlcjpwYXNz', 'authorization: Basic ***'],
    [
      'Proxy-Authorization: Negotiate YIIabc',
      'Proxy-Authorization: Negotiate ***'
    ],
    ['Cookie: session=abc123; theme=dark', 'Cookie: ***'],
    ['Set-Cookie: sid=s3cr3t; Path=/; HttpOnly', 'Set-Cookie: ***'],
    ['X-Api-Key: k-123456', 'X-Api-Key: ***'],
    ['X-Auth-Token: t-123456', 'X-Auth-Token: ***'],
    [
      'curl -H "Authorization: Bearer tok123" https://h.example/x',
      'curl -H "Authorization: Bearer ***" https://h.example/x'
    ],
    [
      "curl -H 'X-Api-Key: k1' -H 'Accept: json'",
      "curl -H 'X-Api-Key: ***' -H 'Accept: json'"
    ],
    ['Error: Authorization: Bearer abc', 'Error: Authorization: Bearer ***'],
    [
      '{"authorization":"Bearer abc","user":"bob"}',
      '{"authorization":"Bearer ***","user":"bob"}'
    ],
    [
      "{'Cookie': 'a=b', 'Accept': 'text/html'}",
      "{'Cookie': '***', 'Accept': 'text/html'}"
    ],
    [
      '{"accessToken": "eyJhbGciOi", "clientSecret":"cs1", "name":"api"}',
      '{"accessToken": "***", "clientSecret":"***", "name":"api"}'
    ],
    [
      '{"body":"{\\"password\\":\\"pw1\\"}"}',
      '{"body":"{\\"password\\":\\"***\\"}"}'
    ],
    ['password: hunter2', 'password: ***'],
    [
      'export GITHUB_TOKEN=ghp_abc DB_PASSWORD="pw 1" REGION=eu',
      'export GITHUB_TOKEN=*** DB_PASSWORD="***" REGION=eu'
    ],
    ['deploy --token abc123 --env prod', 'deploy --token *** --env prod'],
    ['login --password=abc123 --user bob', 'login --password=*** --user bob']
  ])('masks %p', (text, expected) => {
    expect(r.redact(text)).toBe(expected)
  })

  it.each([
    'Primary key: id',
    'monkey: banana',
    'keyboard: qwerty',
    'status: 200 in 12ms',
    'retries=3 timeout=5s',
    'login --token-file /run/token --user bob',
    'if [ "$a" == "b" ]; then'
  ])('keeps ordinary text %p', (text) => {
    expect(r.redact(text)).toBe(text)
  })

  it('is idempotent', () => {
    const once = r.redact(
      'Authorization: Bearer x https://u:p@h.example/?token=t password=p'
    )
    expect(r.redact(once)).toBe(once)
  })
})

describe('redactHeaders', () => {
  it('masks sensitive headers by name and known secrets in the rest', () => {
    const r = createRedactor([TOKEN])
    const h = {
      Authorization: 'Bearer abc',
      'proxy-authorization': 'Basic xyz',
      Cookie: 'a=b',
      'Set-Cookie': 'c=d',
      'X-Api-Key': 'k',
      'X-Upstream-Token': 't',
      'X-Client-Secret': 's',
      'X-Db-Password': 'p',
      'Ocp-Apim-Subscription-Key': 'sk',
      'X-Trace': `id-${TOKEN}`,
      Location: 'https://u:pw@h.example/x?token=zz',
      Accept: 'application/json'
    }
    expect(r.redactHeaders(h)).toEqual({
      Authorization: 'Bearer ***',
      'proxy-authorization': 'Basic ***',
      Cookie: MASK,
      'Set-Cookie': MASK,
      'X-Api-Key': MASK,
      'X-Upstream-Token': MASK,
      'X-Client-Secret': MASK,
      'X-Db-Password': MASK,
      'Ocp-Apim-Subscription-Key': MASK,
      'X-Trace': 'id-***',
      Location: 'https://***@h.example/x?token=***',
      Accept: 'application/json'
    })
    // The input is not modified.
    expect(h.Authorization).toBe('Bearer abc')
  })
})

describe('name rules', () => {
  it.each([
    ['Authorization', true],
    ['x-api-key', true],
    ['GITHUB_TOKEN', true],
    ['clientSecret', true],
    ['dbpassword', true],
    ['private_key', true],
    ['apiKey', true],
    ['key', false],
    ['monkey', false],
    ['author', false]
  ])('isSensitiveName(%p) is %p', (name, expected) => {
    expect(isSensitiveName(name)).toBe(expected)
  })

  it.each([
    ['Sec-WebSocket-Key', true],
    ['X-Key', true],
    ['Accept', false]
  ])('isSensitiveHeader(%p) is %p', (name, expected) => {
    expect(isSensitiveHeader(name)).toBe(expected)
  })
})

describe('a planted log', () => {
  it('leaves no secret material and keeps the story', () => {
    const r = createRedactor([TOKEN, PEM, PASSWORD])
    const log = [
      'Step 1/3: pushing image',
      `docker login -u bot -p ${TOKEN} ghcr.io`,
      `auth blob ${b64(`bot:${TOKEN}`)}`,
      `token in url https://bot:${encodeURIComponent(PASSWORD)}@registry.example.com/v2/`,
      `query https://api.example.com/hook?access_token=${TOKEN}&id=7`,
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature',
      'Cookie: session=9f8e7d6c5b4a; csrftoken=abcdef123456',
      `key follows\n${PEM}`,
      `encoded ${encodeURIComponent(PASSWORD)} and ${b64url(PASSWORD)}`,
      'Step 3/3: done in 12s'
    ].join('\n')
    const out = r.redact(log)
    expectNoneOf(out, [
      ...fragments(TOKEN),
      ...PEM_BODY,
      PASSWORD,
      encodeURIComponent(PASSWORD),
      b64url(PASSWORD),
      'eyJhbGciOiJIUzI1NiJ9',
      '9f8e7d6c5b4a',
      'abcdef123456'
    ])
    expect(out).toContain('Step 1/3: pushing image')
    expect(out).toContain('Step 3/3: done in 12s')
    expect(out).toContain('registry.example.com/v2/')
    expect(out).toContain('&id=7')
  })
})
