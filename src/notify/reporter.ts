/**
 * Notifications when a rollout ends badly: a Slack incoming webhook and a
 * generic JSON webhook. Webhook URLs and headers are templates rendered at
 * send time (`${secrets.SLACK_WEBHOOK}`), so a secret is read only when it
 * is needed and its value is masked in everything we send or print.
 *
 * A notification never changes a verdict and never throws: a missing
 * secret, a refused request or a dead endpoint is one warning. Sending goes
 * through the HTTP client with the same retry policy as probes: up to 3
 * attempts on connect errors, 5xx and 429 (honouring Retry-After, capped),
 * never on another 4xx, which will not improve on a second try.
 */
import type { Dispatcher } from 'undici'
import type { RenderValues } from '../config/interpolate.js'
import type { Config, HttpRequestConfig } from '../config/schema.js'
import { exchange } from '../http/exchange.js'
import { resolveHttpRequest } from '../http/resolve.js'
import type { HttpExchangeSpec } from '../http/types.js'
import { createRedactor } from '../redact/redactor.js'
import type {
  Reporter,
  RolloutEvent,
  RolloutReport,
  RolloutResult
} from '../rollout/events.js'
import { cleanDeep, slackMessage, webhookDocument } from './messages.js'
import {
  momentDocument,
  momentSlackMessage,
  type GateMoment
} from './step-messages.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { ConfigError, errorMessage } from '../kernel/errors.js'

export type NotifyConfig = NonNullable<Config['notify']>

/** Results that notify when the config does not say (matches the schema). */
export const DEFAULT_NOTIFY_ON: readonly RolloutResult[] = [
  'rolled-back',
  'held',
  'rollback-failed'
]

/** Attempts per notification: the first try and two retries. */
export const NOTIFY_ATTEMPTS = 3
const BACKOFF_MS = 1000
const MAX_BACKOFF_MS = 5000
const ATTEMPT_TIMEOUT_MS = 10_000
const CONNECT_TIMEOUT_MS = 5000
/** No new attempt starts after this long: a job should not hang on Slack. */
const DEFAULT_BUDGET_MS = 30_000

export interface NotifyDeps {
  /** Where `${secrets.X}` and `${env.X}` are read at send time. */
  env: Readonly<Record<string, string | undefined>>
  /** The run's redactor: masks every secret known so far. */
  redact: (text: string) => string
  /** Every failure, one line each; never thrown. */
  warn: (message: string) => void
  /** A sent notification, one line. */
  info?: (message: string) => void
  /** Secrets met while rendering URLs and headers (to mask in logs too). */
  addSecrets?: (secrets: string[]) => void
  dispatcher?: Dispatcher
  /** Backoff waits and the sending budget. */
  clock?: Clock
  random?: () => number
  /** The config's vars, for `${vars.X}` in URLs and headers. */
  vars?: Readonly<Record<string, string>>
  /** Link to the workflow run, put in every message. */
  runUrl?: string
  /** Time after which no new attempt starts, per target (default 30 s). */
  budgetMs?: number
}

interface Target {
  label: string
  request: HttpRequestConfig
  body: (report: RolloutReport) => unknown
  moment: (m: GateMoment) => unknown
}

/** What one notification is about: the verdict, or a gate or step moment. */
type Subject =
  | { kind: 'report'; report: RolloutReport }
  | { kind: 'moment'; moment: GateMoment; sha?: string }

function noFile(path: string): string {
  throw new ConfigError(`cannot read '${path}'`)
}

function request(
  url: string,
  headers?: Record<string, string>
): HttpRequestConfig {
  return {
    url,
    method: 'POST',
    follow: 0,
    ...(headers ? { headers } : {}),
    timeout: { total: ATTEMPT_TIMEOUT_MS, connect: CONNECT_TIMEOUT_MS },
    retries: {
      attempts: NOTIFY_ATTEMPTS,
      backoff: BACKOFF_MS,
      'max-backoff': MAX_BACKOFF_MS
    },
    expect: { status: ['2xx'] }
  }
}

function targets(config: NotifyConfig, runUrl?: string): Target[] {
  const opts = runUrl ? { runUrl } : {}
  const out: Target[] = []
  if (config.slack) {
    out.push({
      label: 'Slack',
      request: request(config.slack.webhook),
      body: (r) => slackMessage(r, opts),
      moment: (m) => momentSlackMessage(m, runUrl)
    })
  }
  if (config.webhook) {
    out.push({
      label: 'webhook',
      request: request(config.webhook.url, config.webhook.headers),
      body: (r) => webhookDocument(r, opts),
      moment: (m) => momentDocument(m, runUrl)
    })
  }
  return out
}

/** `host/path` without the query, where webhook tokens tend to live. */
function shownTarget(
  spec: HttpExchangeSpec,
  clean: (s: string) => string
): string {
  try {
    const u = new URL(spec.url)
    return clean(`${u.host}${u.pathname}`)
  } catch {
    return 'the webhook'
  }
}

function valuesFor(s: Subject, deps: NotifyDeps): RenderValues {
  const r =
    s.kind === 'report'
      ? s.report
      : { ...s.moment, sha: s.sha ?? '', previousVersion: undefined }
  return {
    vars: deps.vars ?? {},
    env: deps.env,
    builtins: {
      version: r.version,
      ...(r.previousVersion ? { previous_version: r.previousVersion } : {}),
      environment: r.environment,
      sha: r.sha,
      service: r.service
    }
  }
}

/**
 * Pieces of a secret URL that are secrets on their own: a Slack webhook's
 * token shows up in a log line without the rest of the URL. Only
 * token-like pieces count (8+ characters with a digit, or 20+), so path
 * words such as `services` stay readable.
 */
export function urlSecretParts(secret: string): string[] {
  let u: URL
  try {
    u = new URL(secret)
  } catch {
    return []
  }
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }
  const pieces = [
    decode(u.username),
    decode(u.password),
    ...u.pathname.split('/').map(decode),
    ...u.searchParams.values()
  ]
  const tokenLike = (p: string): boolean =>
    !/\s/.test(p) && (p.length >= 20 || (p.length >= 8 && /\d/.test(p)))
  return [...new Set(pieces.filter(tokenLike))]
}

type Prepared =
  | { ok: true; target: Target; spec: HttpExchangeSpec; secrets: string[] }
  | { ok: false; target: Target; error: string }

function prepare(target: Target, subject: Subject, deps: NotifyDeps): Prepared {
  const resolved = resolveHttpRequest(target.request, {
    values: valuesFor(subject, deps),
    readFile: noFile
  })
  if (!resolved.ok) return { ok: false, target, error: resolved.error }
  return {
    ok: true,
    target,
    spec: resolved.spec,
    secrets: resolved.secrets.flatMap((s) => [s, ...urlSecretParts(s)])
  }
}

async function deliver(
  p: Extract<Prepared, { ok: true }>,
  subject: Subject,
  clean: (s: string) => string,
  deps: NotifyDeps
): Promise<void> {
  const clock = deps.clock ?? systemClock
  const name = `notify ${p.target.label}`
  // The body is data, never a template: a reason that reads `${secrets.X}`
  // is sent as written (then redacted), not rendered. Its text is redacted
  // before the message clips it, and the message once more after.
  const body = JSON.stringify(
    cleanDeep(
      subject.kind === 'report'
        ? p.target.body(cleanDeep(subject.report, clean))
        : p.target.moment(cleanDeep(subject.moment, clean)),
      clean
    )
  )
  const headers = { ...p.spec.headers }
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json; charset=utf-8'
  }
  const spec: HttpExchangeSpec = { ...p.spec, headers, body }
  const shown = shownTarget(spec, clean)
  const t0 = clock.monotonic()
  const outcome = await exchange(spec, {
    clock,
    redact: clean,
    env: deps.env,
    deadline: t0 + (deps.budgetMs ?? DEFAULT_BUDGET_MS),
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
    ...(deps.random ? { random: deps.random } : {})
  })
  if (outcome.ok) {
    const tries =
      outcome.attempts > 1 ? `, after ${outcome.attempts} attempts` : ''
    deps.info?.(clean(`${name}: sent to ${shown} (${outcome.status}${tries})`))
    return
  }
  deps.warn(clean(`${name}: POST to ${shown} failed: ${outcome.reason}`))
}

function firstLine(e: unknown): string {
  return errorMessage(e).split('\n')[0]
}

/**
 * Renders every target first, so a secret of one target (the Slack URL)
 * is masked in the other's body too, then sends them all at once.
 */
async function notify(
  list: Target[],
  subject: Subject,
  deps: NotifyDeps
): Promise<void> {
  const prepared = list.map((t) => prepare(t, subject, deps))
  const secrets = prepared.flatMap((p) => (p.ok ? p.secrets : []))
  if (secrets.length > 0) deps.addSecrets?.(secrets)
  const local = createRedactor(secrets, { shapes: false })
  const clean = (s: string): string => local.redact(deps.redact(s))
  await Promise.all(
    prepared.map(async (p) => {
      if (!p.ok) {
        deps.warn(clean(`notify ${p.target.label}: ${p.error}; nothing sent`))
        return
      }
      try {
        await deliver(p, subject, clean, deps)
      } catch (e) {
        deps.warn(clean(`notify ${p.target.label}: ${firstLine(e)}`))
      }
    })
  )
}

/**
 * The gate or step moment an event stands for, when `notify.on` asks for
 * it. A canary's moments are its steps: it has no gate-wide start or end.
 */
function momentOf(
  event: RolloutEvent,
  started: Extract<RolloutEvent, { type: 'rollout-started' }> | undefined,
  on: ReadonlySet<string>
): GateMoment | undefined {
  if (!started) return undefined
  const base = {
    service: started.service,
    environment: started.environment,
    version: started.version
  }
  if (event.type === 'gate-started') {
    const kind = event.step === undefined ? 'gate-start' : 'step-start'
    if (!on.has(kind)) return undefined
    return {
      ...base,
      event: kind,
      gate: event.gate,
      ...(event.step !== undefined ? { step: event.step } : {}),
      at: event.at
    }
  }
  if (event.type === 'gate-finished' && event.report.gate !== 'rollback') {
    const r = event.report
    const kind = r.step === undefined ? 'gate-end' : 'step-end'
    if (!on.has(kind)) return undefined
    return {
      ...base,
      event: kind,
      gate: r.gate,
      ...(r.step !== undefined ? { step: r.step } : {}),
      outcome: r.outcome,
      reason: r.reason,
      at: event.at
    }
  }
  return undefined
}

/**
 * The notify reporter. It sends to every configured target at once on
 * `rollout-finished` with a result listed in `notify.on`, and at each gate
 * or step start or end that `notify.on` lists.
 */
export function notifyReporter(
  config: NotifyConfig | undefined,
  deps: NotifyDeps
): Reporter {
  const list = config ? targets(config, deps.runUrl) : []
  const on = new Set<string>(config?.on ?? DEFAULT_NOTIFY_ON)
  let started: Extract<RolloutEvent, { type: 'rollout-started' }> | undefined
  return {
    async onEvent(event: RolloutEvent): Promise<void> {
      if (event.type === 'rollout-started') started = event
      if (list.length === 0) return
      let subject: Subject | undefined
      if (event.type === 'rollout-finished') {
        if (on.has(event.report.result)) {
          subject = {
            kind: 'report',
            report: cleanDeep(event.report, deps.redact)
          }
        }
      } else {
        const moment = momentOf(event, started, on)
        if (moment) {
          subject = { kind: 'moment', moment: cleanDeep(moment, deps.redact) }
        }
      }
      if (!subject) return
      try {
        await notify(list, subject, deps)
      } catch (e) {
        deps.warn(deps.redact(`notify: ${firstLine(e)}`))
      }
    }
  }
}
