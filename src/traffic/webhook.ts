/**
 * Traffic shifting through an HTTP call to a load balancer or a deploy API.
 * The request is a template rendered at call time (`${weight}`, `${version}`,
 * `${secrets.X}`), sent by the HTTP client like HTTP probes (timeouts,
 * retries with backoff, capped body) and judged by the same expectations.
 *
 * A weight shift must be idempotent by contract: "set the canary to 25%",
 * never "add 15%". The request is retried when the answer is lost or is a
 * 5xx/429, so the endpoint may see it twice, and rollback repeats it.
 */
import type { RenderValues } from '../config/interpolate.js'
import type { CanaryConfig, HttpRequestConfig } from '../config/schema.js'
import { exchange, type ExchangeOptions } from '../http/exchange.js'
import { resolveHttpRequest } from '../http/resolve.js'
import type { HttpExchangeSpec } from '../http/types.js'
import { createRedactor } from '../redact/redactor.js'
import {
  invalidWeight,
  type ShiftContext,
  type ShiftResult,
  type TrafficShifter
} from './types.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import { ConfigError } from '../kernel/errors.js'

export type TrafficWebhookConfig = NonNullable<CanaryConfig['traffic']['http']>

/**
 * Attempts when the config says nothing: a lost answer must not fail a
 * rollout, and the call is idempotent by contract.
 */
export const WEBHOOK_DEFAULT_ATTEMPTS = 3

export interface WebhookShifterDeps {
  /** Reads files named by the request (none today; kept for parity). */
  readFile?: (path: string) => string
  /** Backoff waits and the shift's deadline. */
  clock?: Clock
  dispatcher?: ExchangeOptions['dispatcher']
  /** Where proxy settings are read (process.env by default). */
  env?: Record<string, string | undefined>
  random?: () => number
}

function noFile(path: string): string {
  throw new ConfigError(`cannot read '${path}'`)
}

/** The webhook as an HTTP request config, rendered like a probe's. */
function asRequest(
  hook: TrafficWebhookConfig,
  timeoutMs?: number
): HttpRequestConfig {
  const total =
    hook.timeout !== undefined && timeoutMs !== undefined
      ? Math.min(hook.timeout, timeoutMs)
      : (hook.timeout ?? timeoutMs)
  const http: HttpRequestConfig = {
    url: hook.url,
    method: hook.method,
    follow: 0,
    retries: hook.retries ?? { attempts: WEBHOOK_DEFAULT_ATTEMPTS },
    ...(hook.headers !== undefined ? { headers: hook.headers } : {}),
    ...(hook.body !== undefined ? { body: hook.body } : {}),
    ...(hook.json !== undefined ? { json: hook.json } : {}),
    ...(total !== undefined ? { timeout: { total } } : {}),
    ...(hook.expect !== undefined ? { expect: hook.expect } : {})
  }
  return http
}

function target(spec: HttpExchangeSpec, clean: (s: string) => string): string {
  try {
    const u = new URL(spec.url)
    // No query string: that is where tokens of webhook URLs tend to live.
    return clean(`${u.origin}${u.pathname}`).replace(/^https?:\/\//, '')
  } catch {
    return 'the traffic webhook'
  }
}

/**
 * A shifter that sends the configured request with the weight rendered into
 * it, and succeeds only when the answer meets `expect` (default: any 2xx).
 * `timeoutMs` (the traffic `timeout`) bounds the whole shift, retries
 * included; the webhook's own `timeout` bounds one request.
 */
export function webhookShifter(
  hook: TrafficWebhookConfig,
  deps: WebhookShifterDeps = {},
  timeoutMs?: number
): TrafficShifter {
  const clock = deps.clock ?? systemClock
  const request = asRequest(hook, timeoutMs)
  return {
    async shift(weight: number, ctx: ShiftContext): Promise<ShiftResult> {
      const bad = invalidWeight(weight)
      if (bad) return { ok: false, reason: bad, durationMs: 0 }
      const t0 = clock.monotonic()
      const values: RenderValues = {
        ...ctx.values,
        builtins: { ...ctx.values.builtins, weight: String(weight) }
      }
      const resolved = resolveHttpRequest(request, {
        values,
        readFile: deps.readFile ?? noFile
      })
      if (!resolved.ok) {
        return {
          ok: false,
          reason: ctx.redact(`traffic webhook ${resolved.error}`),
          durationMs: clock.monotonic() - t0
        }
      }
      if (resolved.secrets.length > 0) ctx.onSecrets?.(resolved.secrets)
      const local = createRedactor(resolved.secrets, { shapes: false })
      const clean = (s: string): string => local.redact(ctx.redact(s))
      const { spec } = resolved
      const where = `${spec.method} ${target(spec, (s) => clean(local.redactUrl(s)))}`
      const outcome = await exchange(spec, {
        clock,
        redact: clean,
        ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
        ...(deps.env ? { env: deps.env } : {}),
        ...(deps.random ? { random: deps.random } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(timeoutMs !== undefined ? { deadline: t0 + timeoutMs } : {})
      })
      const durationMs = clock.monotonic() - t0
      if (outcome.ok) {
        const tries =
          outcome.attempts > 1 ? `, ${outcome.attempts} attempts` : ''
        const took = formatDuration(outcome.timings.totalMs)
        return {
          ok: true,
          reason: clean(
            `traffic set to ${weight}% via ${where} (${outcome.status}, ${took}${tries})`
          ),
          durationMs
        }
      }
      return {
        ok: false,
        reason: clean(
          `traffic shift to ${weight}% via ${where} failed: ${outcome.reason}`
        ),
        durationMs
      }
    }
  }
}
