/**
 * Secret-leak suite, escaped forms and cut points: a secret holding every
 * character encoders escape (`& < > / +`, space, non-ASCII) is echoed back
 * by services and commands as JSON `\uXXXX` (Go's and every-character),
 * HTML entities, percent- and form-encoding, base64 alone and inside a
 * larger value at each byte alignment, and placed across the cut of every
 * preview (JSON value quotes, WebSocket messages and close reasons, command
 * output lines). Nothing that spells any piece of it may reach the log,
 * summary, outputs, report, check run, comment, deployment, notification
 * or postmortem. Probes named `with-token` and `auth-missing` keep their
 * names and reasons readable, and a too-short secret is named once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { runActionAsync } from './helpers/action.js'
import {
  startGitHubStandIn,
  type GitHubStandIn
} from './helpers/github/index.js'

const SECRET = 'Fm7&tok<9f8e>d6/c5+b4 é3'
const SHORT = 'q7'
const SHA = 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const PREVIOUS_SHA = 'a0b2c3d4e5f60718293a4b5c6d7e8f9012345678'

const b64 = (s: string): string => Buffer.from(s).toString('base64')
const b64url = (s: string): string =>
  Buffer.from(s).toString('base64url').replace(/=+$/, '')
const goJson = (s: string): string =>
  JSON.stringify(s)
    .slice(1, -1)
    .replace(/&/g, '\\u0026')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')

/** Every spelling of the secret a service or tool may echo, by name. */
const FORMS: Record<string, string> = {
  raw: SECRET,
  'json-go': goJson(SECRET),
  'json-every': [...SECRET]
    .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join(''),
  'html-named': SECRET.replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;'),
  'html-decimal': [...SECRET].map((c) => `&#${c.codePointAt(0)};`).join(''),
  'html-hex': [...SECRET]
    .map((c) => `&#x${c.codePointAt(0)?.toString(16)};`)
    .join(''),
  url: encodeURIComponent(SECRET),
  'url-form': encodeURIComponent(SECRET).replace(/%20/g, '+'),
  base64: b64(SECRET),
  'base64-url': b64url(SECRET),
  'basic-auth': b64(`deployer:${SECRET}`),
  'base64-in-1': b64(`a${SECRET}-x`),
  'base64-in-2': b64(`ab${SECRET}-x`),
  'base64-in-3': b64(`abc${SECRET}-x`)
}

/** Pieces of 6 characters of the secret: seeing one is a leak. */
const PIECES = Array.from({ length: SECRET.length - 5 }, (_, i) =>
  SECRET.slice(i, i + 6)
)

/** Decodes what a reader could: escapes, percent bytes, base64 runs. */
function readings(text: string): string[] {
  const unescaped = text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) =>
      String.fromCharCode(parseInt(h, 16))
    )
    .replace(/&#x([0-9a-fA-F]+);/g, (_m, h: string) =>
      String.fromCodePoint(parseInt(h, 16))
    )
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
  const unpercent = percentDecoded(unescaped)
  const runs = [...text.matchAll(/[A-Za-z0-9+/_-]{8,}/g)].flatMap((m) =>
    [0, 1, 2, 3].map((k) =>
      Buffer.from(m[0].slice(k), 'base64').toString('utf8')
    )
  )
  return [text, unescaped, unpercent, ...runs]
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) =>
      String.fromCharCode(parseInt(h, 16))
    )
  }
}

function leaksIn(text: string): string[] {
  const found = new Set<string>()
  for (const view of readings(text)) {
    for (const p of PIECES) if (view.includes(p)) found.add(p)
  }
  return [...found]
}

let gh: GitHubStandIn
let web: Server
let wss: WebSocketServer
let webPort: number
let wsPort: number
const notified: string[] = []

beforeAll(async () => {
  gh = await startGitHubStandIn({ repository: 'acme/app' })
  web = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (req.method === 'POST') {
      let body = ''
      req.on('data', (d: Buffer) => (body += d.toString()))
      req.on('end', () => {
        notified.push(body)
        res.writeHead(204).end()
      })
      return
    }
    const name = url.pathname.split('/').pop() ?? ''
    const form = FORMS[name] ?? ''
    // `cut` puts the secret across the 60-character quote of a JSON value.
    const value = url.pathname.startsWith('/cut/')
      ? `${'v'.repeat(50)}${form} tail`
      : `echo ${form} end`
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ v: value }))
  })
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r))
  webPort = (web.address() as AddressInfo).port
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  wss.on('connection', (ws, req) => {
    if (req.url === '/close') {
      // Across the 80-character quote of a close reason (123 bytes max).
      ws.close(4001, `${'c'.repeat(70)}${SECRET}`)
      return
    }
    // Across the 120-character quote of an unexpected message, sent until
    // the client leaves so one lands inside the silence window.
    const send = (): void =>
      ws.send(`${'m'.repeat(100)}${SECRET} ${FORMS['json-go']} tail`)
    const timer = setInterval(send, 200)
    ws.on('close', () => clearInterval(timer))
  })
  await new Promise<void>((r) => wss.once('listening', r))
  wsPort = (wss.address() as AddressInfo).port
})

afterAll(async () => {
  web.close()
  wss.close()
  await gh.close()
})

function config(): string {
  const http = Object.keys(FORMS)
    .flatMap((name) => [
      `  form-${name}:
    http:
      url: http://127.0.0.1:${webPort}/form/${name}
      expect: { status: 200, json: { v: fine } }`,
      `  cut-${name}:
    http:
      url: http://127.0.0.1:${webPort}/cut/${name}
      expect: { status: 200, json: { v: fine } }`
    ])
    .join('\n')
  const names = Object.keys(FORMS).flatMap((n) => [`form-${n}`, `cut-${n}`])
  return `version: 1
service: api
environment: staging
probes:
${http}
  with-token:
    websocket:
      url: ws://127.0.0.1:${wsPort}/message
      steps:
        - silence: { for: 3s }
  auth-missing:
    websocket:
      url: ws://127.0.0.1:${wsPort}/close
      steps:
        - receive: { json: { type: hello }, within: 5s }
  cmd-tail:
    command:
      run: |
        printf '%s\\n' "$(printf 'o%.0s' $(seq 1 190))$FORM_TOKEN end"
        exit 3
gates:
  preflight:
    secrets: [FORM_TOKEN, SHORT_PIN]
  deploy:
    run: |
      printf 'go %s\\n' '${FORMS['json-go']}'
      printf 'html %s\\n' '${FORMS['html-named']}'
      printf 'url %s\\n' '${FORMS.url}'
      printf 'b64 %s\\n' "$(printf %s "$FORM_TOKEN" | base64)"
      printf 'basic %s\\n' "$(printf %s "deployer:$FORM_TOKEN" | base64)"
      printf 'long %s%s\\n' "$(printf 'L%.0s' $(seq 1 1990))" "$FORM_TOKEN"
  smoke:
    probes: [${[...names, 'with-token', 'auth-missing', 'cmd-tail'].join(', ')}]
rollback:
  run: echo "rolled back"
notify:
  webhook: { url: 'http://127.0.0.1:${webPort}/hook' }
  on: [rolled-back]
report:
  comment: true
  checks: per-gate
  postmortem: true
`
}

describe('secrets never leak in escaped forms or at a cut', () => {
  it('masks every form on every surface, and keeps probe names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-forms-'))
    writeFileSync(join(dir, 'deploy-gates.yml'), config())
    writeFileSync(
      join(dir, 'event.json'),
      JSON.stringify({
        pull_request: { number: 7, head: { sha: SHA }, base: {} }
      })
    )
    gh.state.seedPullRequest({ number: 7, head_sha: SHA })
    gh.state.addCommit(PREVIOUS_SHA, Date.now() - 86_400_000)
    gh.state.addCommit(SHA, Date.now() - 3_600_000)
    const r = await runActionAsync(
      {
        gate: 'all',
        config: 'deploy-gates.yml',
        version: 'v2',
        'previous-version': 'v1',
        'github-token': 'ghs_stand_in_token_value'
      },
      {
        cwd: dir,
        env: {
          ...gh.env(),
          FORM_TOKEN: SECRET,
          SHORT_PIN: SHORT,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: join(dir, 'event.json'),
          GITHUB_RUN_ID: '9'
        }
      }
    )
    const log = (r.stdout + r.stderr)
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
    expect(r.outputs.result).toBe('rolled-back')
    const report = readFileSync(r.outputs.report, 'utf8')
    const surfaces: Record<string, string> = {
      log,
      summary: r.summary,
      outputs: JSON.stringify(r.outputs),
      report,
      checkRuns: JSON.stringify(gh.state.checkRuns),
      comments: JSON.stringify(gh.state.comments),
      deployments: JSON.stringify([
        gh.state.deployments,
        gh.state.deploymentStatuses
      ]),
      notifications: notified.join('\n'),
      postmortem: JSON.stringify(gh.state.issues)
    }
    const leaks: string[] = []
    for (const [where, text] of Object.entries(surfaces)) {
      for (const p of leaksIn(text)) leaks.push(`${where}: ${p}`)
    }
    expect(leaks).toEqual([])

    // Every surface was reached: the evidence is there, masked.
    expect(notified.length).toBe(1)
    expect(gh.state.issues.length).toBe(1)
    expect(gh.state.comments.length).toBe(1)
    expect(log).toContain('go ***')
    expect(log).toContain('basic ***')
    expect(report).toContain("'echo *** end'")
    // Probe names with `token` and `auth` in them stay as written, and so
    // does what follows them.
    for (const where of ['log', 'summary', 'report', 'checkRuns']) {
      expect(surfaces[where]).toContain('with-token')
      expect(surfaces[where]).toContain('auth-missing')
    }
    expect(log).toMatch(/with-token: step 1 \(silence\): unexpected message/)
    expect(report).toMatch(/auth-missing: [^*]*closed by server: 4001/)
    // The short secret is named once, its value never quoted with it.
    const warned = log
      .split('\n')
      .filter((l) => l.includes("secret 'SHORT_PIN'"))
    expect(warned).toHaveLength(1)
    expect(warned[0]).toContain('cannot be masked safely')
    expect(warned[0]).not.toContain(SHORT)
  }, 90_000)
})
