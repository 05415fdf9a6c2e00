/**
 * A GitHub REST API stand-in on 127.0.0.1 (port 0) for every GitHub-facing
 * test: in-process with Octokit, or for a spawned `node dist/index.js` given
 * `GITHUB_API_URL`. Each request is matched to an operation of GitHub's
 * published OpenAPI description and its path, query and JSON body are
 * validated; anything GitHub would not accept is answered 404/422 AND kept
 * in `violations`, which a test asserts empty. Our own answers are validated
 * against the response schemas too (`standInErrors`), so the stand-in cannot
 * drift into shapes GitHub never sends.
 *
 * A spawned process must be started asynchronously (spawn/execFile, not
 * spawnSync): the stand-in answers from the test's own event loop.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { openApi } from './openapi.js'
import type { Operation } from './openapi.js'
import { ROUTES, errorBody, permissionFor } from './routes.js'
import type { RouteContext, RouteResult } from './routes.js'
import { GitHubState } from './state.js'
import type { GitHubStateOptions } from './state.js'

export interface StandInOptions extends GitHubStateOptions {
  /** Start with a fork PR's read-only token: every write answers 403. */
  readOnly?: boolean
  /** Accepted tokens; others get 401 "Bad credentials" (default: any). */
  tokens?: string[]
  /** Root for html_url links (default `https://github.com`). */
  webUrl?: string
  /** Path prefix, e.g. `/api/v3` to look like GitHub Enterprise Server. */
  pathPrefix?: string
  /** Validate our own JSON answers against the description (default true). */
  validateResponses?: boolean
}

export interface RecordedRequest {
  /** 1, 2, 3... in arrival order. */
  seq: number
  method: string
  /** Path without the prefix and query, still percent-encoded. */
  path: string
  query: Record<string, string>
  operationId: string | null
  /** e.g. `/repos/{owner}/{repo}/check-runs/{check_run_id}`. */
  template: string | null
  params: Record<string, string>
  /** Lower-case request headers, without authorization and cookie. */
  headers: Record<string, string>
  /** `token` or `bearer` plus a SHA-256 prefix of the token, never the token. */
  auth: { scheme: 'token' | 'bearer'; fingerprint: string } | null
  /** Parsed JSON body, or undefined without one. */
  body: unknown
  /** Filled in when the answer is sent (0 until then). */
  status: number
  response: unknown
  /** Answered by failNext() or read-only mode instead of the route. */
  injected: boolean
  /** Epoch ms (from the state's clock) when the request arrived. */
  at: number
}

export interface Violation {
  seq: number
  method: string
  path: string
  operationId: string | null
  message: string
}

export interface FailRule {
  /** Only this method (any case); default any. */
  method?: string
  /**
   * A string matches the raw path, the path template or the operationId
   * (e.g. 'checks/update'); a RegExp is tested against the raw path.
   */
  pathPattern?: string | RegExp
  status: number
  /** How many matching requests fail (default 1). */
  times?: number
  headers?: Record<string, string>
  /** JSON body, or a string sent as text/html (default GitHub's error body). */
  body?: unknown
  /** Wait before answering (a slow GitHub); reset() and close() drop it. */
  delayMs?: number
  /**
   * Let this many matching requests through before failing (default 0):
   * `after: 2` fails the third call, e.g. the last of three check-run updates.
   */
  after?: number
  /**
   * Only while this returns true for the arriving request (default always),
   * e.g. an outage limited to one phase of a rollout.
   */
  when?: (request: RecordedRequest) => boolean
}

export interface GitHubStandIn {
  /** API root to give Octokit (`baseUrl`) or a process (`GITHUB_API_URL`). */
  url: string
  state: GitHubState
  requests: RecordedRequest[]
  /** Requests GitHub would refuse: must stay empty in a passing test. */
  violations: Violation[]
  /** The stand-in's own bugs (invalid answers, unimplemented operations). */
  standInErrors: string[]
  /** Fork-PR mode: writes answer 403 "Resource not accessible by integration". */
  readOnly: boolean
  failNext(rule: FailRule): void
  /** Clears requests, problems, pending faults and state; keeps identities. */
  reset(): void
  close(): Promise<void>
  /** Recorded requests of one operation, e.g. calls('checks/update'). */
  calls(operationId: string): RecordedRequest[]
  /** POST/PATCH/PUT/DELETE requests, the ones GitHub budgets count. */
  writes(): RecordedRequest[]
  /** Violations and stand-in errors as lines; `expect(...).toEqual([])`. */
  problems(): string[]
  /** GITHUB_API_URL, GITHUB_SERVER_URL and GITHUB_REPOSITORY for a process. */
  env(): Record<string, string>
}

const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
const MAX_BODY_BYTES = 25 * 1024 * 1024

/** What a test can compare a recorded `auth.fingerprint` with. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12)
}

function defaultBody(status: number): unknown {
  return errorBody(status, http.STATUS_CODES[status] ?? 'Error')
}

/** Canned faults as GitHub really sends them. */
export const faults = {
  /** 500, GitHub having a bad moment. */
  serverError(rule: Partial<FailRule> = {}): FailRule {
    return { status: 500, body: { message: 'Server Error' }, ...rule }
  },
  /** 502 with an HTML page, as GitHub's edge answers when the API is down. */
  badGateway(rule: Partial<FailRule> = {}): FailRule {
    return {
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      ...rule
    }
  },
  /** Primary rate limit exhausted until `resetAt` (epoch seconds). */
  rateLimited(rule: Partial<FailRule> & { resetAt?: number } = {}): FailRule {
    const { resetAt, ...rest } = rule
    const reset = resetAt ?? Math.floor(Date.now() / 1000) + 60
    return {
      status: 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core'
      },
      body: errorBody(
        403,
        'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.'
      ),
      ...rest
    }
  },
  /** Secondary (abuse) rate limit with `retry-after` seconds. */
  secondaryRateLimit(
    rule: Partial<FailRule> & { retryAfter?: number } = {}
  ): FailRule {
    const { retryAfter, ...rest } = rule
    return {
      status: 403,
      headers: { 'retry-after': String(retryAfter ?? 1) },
      body: errorBody(
        403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.'
      ),
      ...rest
    }
  },
  /** The token lacks a permission (fork PR, missing `permissions:`). */
  notAccessible(
    rule: Partial<FailRule> & { permission?: string } = {}
  ): FailRule {
    const { permission, ...rest } = rule
    return {
      status: 403,
      headers: permission
        ? { 'x-accepted-github-permissions': permission }
        : {},
      body: errorBody(403, 'Resource not accessible by integration'),
      ...rest
    }
  },
  notFound(rule: Partial<FailRule> = {}): FailRule {
    return { status: 404, body: errorBody(404, 'Not Found'), ...rule }
  }
}

interface PendingRule extends FailRule {
  left: number
  /** Matching requests let through so far because of `after`. */
  passed: number
}

function ruleMatches(
  rule: PendingRule,
  method: string,
  path: string,
  op: Operation,
  rec: RecordedRequest
): boolean {
  if (rule.left <= 0) return false
  if (rule.method && rule.method.toUpperCase() !== method) return false
  const p = rule.pathPattern
  if (p !== undefined) {
    const hit =
      p instanceof RegExp
        ? p.test(path)
        : p === path || p === op.template || p === op.operationId
    if (!hit) return false
  }
  if (rule.when && !rule.when(rec)) return false
  if (rule.passed < (rule.after ?? 0)) {
    rule.passed += 1
    return false
  }
  return true
}

function flatQuery(q: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of q) out[k] = v
  return out
}

/** Starts the stand-in; the description is loaded before it listens. */
export async function startGitHubStandIn(
  opts: StandInOptions = {}
): Promise<GitHubStandIn> {
  const api = openApi()
  const state = new GitHubState(opts)
  const prefix = (opts.pathPrefix ?? '').replace(/\/$/, '')
  const webUrl = (opts.webUrl ?? 'https://github.com').replace(/\/$/, '')
  const validateResponses = opts.validateResponses ?? true
  const requests: RecordedRequest[] = []
  const violations: Violation[] = []
  const standInErrors: string[] = []
  const rules: PendingRule[] = []
  const timers = new Map<NodeJS.Timeout, http.ServerResponse>()
  let seq = 0
  let origin = ''

  const send = (
    res: http.ServerResponse,
    rec: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void => {
    rec.status = status
    rec.response = body
    const remaining = Math.max(0, state.rateLimit.limit - state.rateLimit.used)
    const base: Record<string, string> = {
      'x-github-request-id': `STANDIN:${rec.seq}`,
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': String(state.rateLimit.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(state.rateLimit.used),
      'x-ratelimit-reset': String(state.rateLimit.resetAt),
      'x-ratelimit-resource': 'core'
    }
    let text = ''
    if (status !== 204 && status !== 304 && body !== undefined) {
      if (typeof body === 'string') {
        base['content-type'] = 'text/html; charset=utf-8'
        text = body
      } else {
        base['content-type'] = 'application/json; charset=utf-8'
        text = JSON.stringify(body)
      }
    }
    base['content-length'] = String(Buffer.byteLength(text))
    res.writeHead(status, { ...base, ...headers })
    res.end(text)
  }

  const violate = (rec: RecordedRequest, message: string): void => {
    violations.push({
      seq: rec.seq,
      method: rec.method,
      path: rec.path,
      operationId: rec.operationId,
      message
    })
  }

  const handle = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bodyText: string
  ): void => {
    const method = (req.method ?? 'GET').toUpperCase()
    const parsed = new URL(req.url ?? '/', 'http://stand-in')
    let path = parsed.pathname
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) {
      if (k === 'authorization' || k === 'cookie' || v === undefined) continue
      headers[k] = Array.isArray(v) ? v.join(', ') : v
    }
    const rec: RecordedRequest = {
      seq: ++seq,
      method,
      path,
      query: flatQuery(parsed.searchParams),
      operationId: null,
      template: null,
      params: {},
      headers,
      auth: null,
      body: undefined,
      status: 0,
      response: undefined,
      injected: false,
      at: state.nowMs()
    }
    requests.push(rec)
    const authHeader = req.headers.authorization ?? ''
    const m = /^(token|bearer)\s+(\S+)\s*$/i.exec(authHeader)
    if (m) {
      rec.auth = {
        scheme: m[1].toLowerCase() as 'token' | 'bearer',
        fingerprint: tokenFingerprint(m[2])
      }
    }
    if (bodyText.trim() !== '') {
      try {
        rec.body = JSON.parse(bodyText) as unknown
      } catch {
        rec.body = bodyText
      }
    }
    if (prefix !== '') {
      if (!path.startsWith(`${prefix}/`)) {
        violate(rec, `path '${path}' is outside the API prefix '${prefix}'`)
        send(res, rec, 404, errorBody(404, 'Not Found'))
        return
      }
      path = path.slice(prefix.length)
      rec.path = path
    }
    if (!rec.auth) {
      violate(
        rec,
        authHeader === ''
          ? 'no authorization header (expected "token X" or "Bearer X")'
          : 'authorization header is not "token X" or "Bearer X"'
      )
      send(res, rec, 401, errorBody(401, 'Requires authentication'))
      return
    }
    if (
      opts.tokens &&
      !opts.tokens.some((t) => tokenFingerprint(t) === rec.auth?.fingerprint)
    ) {
      send(res, rec, 401, errorBody(401, 'Bad credentials'))
      return
    }
    const match = api.match(method, path)
    if (match.kind !== 'ok') {
      const message =
        match.kind === 'none'
          ? `no GitHub operation for ${method} ${path}`
          : match.kind === 'method'
            ? `${method} is not an operation of ${match.template} (GitHub has ${match.allowed.join(', ')})`
            : match.reason
      violate(rec, message)
      send(res, rec, 404, errorBody(404, 'Not Found'))
      return
    }
    const { op, params } = match
    rec.operationId = op.operationId
    rec.template = op.template
    rec.params = params
    const checked = api.validateRequest(
      op,
      params,
      parsed.searchParams,
      req.headers['content-type'],
      bodyText
    )
    if (checked.problems.length > 0) {
      for (const p of checked.problems) violate(rec, p.message)
      const first = checked.problems[0]
      const message =
        first.status === 404
          ? 'Not Found'
          : first.status === 400
            ? 'Problems parsing JSON'
            : first.status === 415
              ? "Unsupported 'Content-Type' header"
              : `Invalid request.\n\n${checked.problems.map((p) => p.message).join('\n')}`
      send(res, rec, first.status, errorBody(first.status, message))
      return
    }
    if (op.operationId !== 'rate-limit/get') {
      state.rateLimit.used += 1
      if (state.rateLimit.used > state.rateLimit.limit) {
        rec.injected = true
        const f = faults.rateLimited({ resetAt: state.rateLimit.resetAt })
        send(res, rec, f.status, f.body, f.headers)
        return
      }
    }
    const rule = rules.find((r) => ruleMatches(r, method, path, op, rec))
    if (rule) {
      rule.left -= 1
      rec.injected = true
      const answer = (): void => {
        send(
          res,
          rec,
          rule.status,
          rule.body ?? defaultBody(rule.status),
          rule.headers
        )
      }
      if (rule.delayMs && rule.delayMs > 0) {
        const t = setTimeout(() => {
          timers.delete(t)
          answer()
        }, rule.delayMs)
        timers.set(t, res)
      } else {
        answer()
      }
      return
    }
    if (standIn.readOnly && WRITE.has(method)) {
      rec.injected = true
      send(
        res,
        rec,
        403,
        errorBody(403, 'Resource not accessible by integration'),
        { 'x-accepted-github-permissions': permissionFor(op.operationId) }
      )
      return
    }
    const handler = ROUTES[op.operationId]
    if (!handler) {
      standInErrors.push(
        `stand-in does not implement ${op.operationId} (${method} ${op.template})`
      )
      send(
        res,
        rec,
        501,
        errorBody(501, `Not implemented by the stand-in: ${op.operationId}`)
      )
      return
    }
    const ctx: RouteContext = {
      operationId: op.operationId,
      params,
      query: parsed.searchParams,
      body:
        typeof checked.body === 'object' && checked.body !== null
          ? (checked.body as Record<string, unknown>)
          : {},
      state,
      urls: { api: `${origin}${prefix}`, web: webUrl },
      selfUrl: `${origin}${prefix}${path}`
    }
    let result: RouteResult
    try {
      result = handler(ctx)
    } catch (error) {
      standInErrors.push(
        `${op.operationId}: handler threw '${error instanceof Error ? error.message : String(error)}'`
      )
      send(res, rec, 500, errorBody(500, 'Server Error'))
      return
    }
    if (result.violation) violate(rec, result.violation)
    if (validateResponses && result.body !== undefined) {
      const err = api.validateResponse(op, result.status, result.body)
      if (err) standInErrors.push(err)
    }
    send(res, rec, result.status, result.body, result.headers)
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY_BYTES) chunks.push(c)
    })
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end()
        return
      }
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'))
      } catch (error) {
        standInErrors.push(
          `stand-in crashed on ${req.method} ${req.url}: '${error instanceof Error ? error.message : String(error)}'`
        )
        if (!res.headersSent) res.writeHead(500).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const dropDelayed = (): void => {
    for (const [t, res] of timers) {
      clearTimeout(t)
      res.destroy()
    }
    timers.clear()
  }

  const standIn: GitHubStandIn = {
    url: `${origin}${prefix}`,
    state,
    requests,
    violations,
    standInErrors,
    readOnly: opts.readOnly ?? false,
    failNext(rule) {
      rules.push({ ...rule, left: rule.times ?? 1, passed: 0 })
    },
    reset() {
      requests.length = 0
      violations.length = 0
      standInErrors.length = 0
      rules.length = 0
      dropDelayed()
      standIn.readOnly = opts.readOnly ?? false
      state.reset()
    },
    async close() {
      dropDelayed()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    calls(operationId) {
      return requests.filter((r) => r.operationId === operationId)
    },
    writes() {
      return requests.filter((r) => WRITE.has(r.method))
    },
    problems() {
      return [
        ...violations.map((v) => `${v.method} ${v.path}: ${v.message}`),
        ...standInErrors
      ]
    },
    env() {
      return {
        GITHUB_API_URL: standIn.url,
        GITHUB_SERVER_URL: webUrl,
        GITHUB_REPOSITORY: state.defaultRepo
      }
    }
  }
  return standIn
}
