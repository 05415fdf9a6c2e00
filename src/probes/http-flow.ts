/**
 * Chained requests in one probe ("create a match, read it back, delete
 * it"): each step is sent with its own retries and expectations, values
 * are captured from its answer for the steps after it, and the first step
 * that fails ends the probe with a reason naming the step.
 */
import { exchange, type ExchangeOptions } from '../http/exchange.js'
import { RenderError } from '../http/resolve.js'
import { formatPath, parsePath, readPath } from '../kernel/jsonpath.js'
import { systemClock } from '../kernel/clock.js'
import type { HttpSample, Timings } from '../kernel/sample.js'
import type { KeptAnswer } from '../http/exchange.js'
import type { CaptureSpec, Captured, HttpFlowSpec } from './types.js'

export interface HttpFlowOptions extends ExchangeOptions {
  /**
   * Masks a value from now on, everywhere: a secret a step's templates read
   * or a capture marked secret, before any reason can hold it.
   */
  mask?: (secret: string) => void
}

/** Captured values longer than this are refused (a whole page is no id). */
export const MAX_CAPTURE_CHARS = 8192

/**
 * Runs the steps in order and returns one sample for the whole flow. Its
 * time is the sum of the steps; `requests` marks it as several requests so
 * that it never counts as one request's latency.
 */
export async function runHttpFlow(
  spec: HttpFlowSpec,
  opts: HttpFlowOptions = {}
): Promise<HttpSample> {
  const clock = opts.clock ?? systemClock
  const redact = opts.redact ?? ((s: string): string => s)
  const startedAt = clock.now()
  const captured: Captured = {}
  const timings: Timings = { totalMs: 0 }
  let attempts = 0
  let status: number | undefined
  const done = (
    ok: boolean,
    reason: string,
    extra: { error?: boolean; excerpt?: string } = {}
  ): HttpSample => ({
    probe: spec.name,
    kind: 'http',
    ok,
    reason: redact(reason),
    attempts,
    startedAt,
    timings: { totalMs: Math.round(timings.totalMs * 1000) / 1000 },
    requests: spec.steps.length,
    ...(status !== undefined ? { status } : {}),
    ...(extra.error ? { error: true } : {}),
    ...(extra.excerpt !== undefined ? { excerpt: redact(extra.excerpt) } : {})
  })
  for (const step of spec.steps) {
    let built: ReturnType<typeof step.build>
    try {
      built = step.build(captured)
    } catch (e) {
      if (e instanceof RenderError) {
        return done(false, `${step.label}: ${e.message}`, { error: true })
      }
      throw e
    }
    for (const s of built.secrets) opts.mask?.(s)
    const out = await exchange(built.spec, {
      ...opts,
      keepAnswer: step.captures.length > 0
    })
    attempts += out.attempts
    timings.totalMs += out.timings.totalMs
    if (out.status !== undefined) status = out.status
    if (!out.ok) {
      return done(false, `${step.label}: ${out.reason}`, {
        error: out.error,
        ...(out.excerpt !== undefined ? { excerpt: out.excerpt } : {})
      })
    }
    for (const c of step.captures) {
      const got = capture(c, out.answer)
      if (!got.ok) return done(false, `${step.label}: ${got.reason}`)
      if (c.secret) opts.mask?.(got.value)
      captured[c.name] = { value: got.value, secret: c.secret }
    }
  }
  const n = spec.steps.length
  return done(true, `ok (${n} step${n === 1 ? '' : 's'})`)
}

/** Reads one capture from an answer, or says why it is not there. */
export function capture(
  c: CaptureSpec,
  answer: KeptAnswer | undefined
): { ok: true; value: string } | { ok: false; reason: string } {
  const what = `capture '${c.name}'`
  if (c.from === 'header') {
    const v = answer?.headers[c.header]
    const value = Array.isArray(v) ? v[0] : v
    if (value === undefined || value === '') {
      return {
        ok: false,
        reason: `${what}: no header '${c.header}' in the answer`
      }
    }
    return sized(what, value)
  }
  const at = `'${c.path}'`
  let doc: unknown
  try {
    doc = JSON.parse(answer?.body ?? '')
  } catch {
    return { ok: false, reason: `${what} at ${at}: the body is not JSON` }
  }
  const path = parsePath(c.path)
  if (!path.ok) return { ok: false, reason: `${what}: ${path.error}` }
  const found = readPath(doc, path.value)
  if (!found.found) {
    return {
      ok: false,
      reason: `${what} at ${at}: not found (${found.reason})`
    }
  }
  const v = found.value
  if (v === null || v === '') {
    const held = v === null ? 'null' : 'an empty string'
    return {
      ok: false,
      reason: `${what} at ${at}: ${formatPath(path.value)} is ${held}`
    }
  }
  return sized(what, typeof v === 'string' ? v : JSON.stringify(v))
}

function sized(
  what: string,
  value: string
): { ok: true; value: string } | { ok: false; reason: string } {
  if (value.length > MAX_CAPTURE_CHARS) {
    return {
      ok: false,
      reason: `${what}: ${value.length} characters, over the ${MAX_CAPTURE_CHARS} a capture holds`
    }
  }
  return { ok: true, value }
}
