/**
 * Confirm (DESIGN.md §4): before a gate runs or a canary step shifts
 * traffic, ask a URL or a command every `interval` until it says yes or
 * no, or `timeout` runs out. No fails the gate (and a rollout that changed
 * something rolls back); a timeout fails it too unless `on-timeout` says
 * `continue`. Anything else (an error, another answer) keeps waiting: an
 * approval service that is down is not a no.
 */
import { isDeepStrictEqual } from 'node:util'
import type { ConfirmConfig } from '../config/hook-schema.js'
import type { GateName } from '../config/schema.js'
import { formatDuration } from '../kernel/format.js'
import { parsePath, readPath } from '../kernel/jsonpath.js'
import { callHttp } from './call-out.js'
import type { GateContext } from './context.js'

/** One request of a confirm never takes longer than this. */
const ASK_TIMEOUT_MS = 10_000
/** Characters of an answer quoted in a reason. */
const ANSWER_CHARS = 200

type Answer = { kind: 'yes' | 'no' | 'other'; text: string }

export type ConfirmOutcome =
  | { kind: 'yes' | 'continued'; reason: string }
  | { kind: 'no' | 'timeout' | 'cancelled'; reason: string }

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim()
  return one.length > ANSWER_CHARS ? `${one.slice(0, ANSWER_CHARS)}…` : one
}

async function askHttp(
  ctx: GateContext,
  c: ConfirmConfig,
  http: NonNullable<ConfirmConfig['http']>
): Promise<Answer> {
  const r = await callHttp(ctx, http, {
    method: 'GET',
    timeoutMs: Math.min(ASK_TIMEOUT_MS, c.timeout)
  })
  if (!r.ok) return { kind: 'other', text: `${r.shown} failed: ${r.reason}` }
  const { status, body } = r.answer
  if (c.path === undefined) {
    const text = `${r.shown} returned ${status}`
    const yes =
      c.yes === undefined ? status >= 200 && status < 300 : status === c.yes
    if (yes) return { kind: 'yes', text }
    return { kind: c.no === status ? 'no' : 'other', text }
  }
  const text = `${r.shown} returned ${status === 200 ? '' : `${status} `}${clip(body)}`
  if (status < 200 || status >= 300) return { kind: 'other', text }
  let doc: unknown
  try {
    doc = JSON.parse(body)
  } catch {
    return { kind: 'other', text: `${text} (not JSON)` }
  }
  const path = parsePath(c.path)
  if (!path.ok) return { kind: 'other', text: path.error }
  const found = readPath(doc, path.value)
  if (!found.found) return { kind: 'other', text: `${text} (${found.reason})` }
  if (isDeepStrictEqual(found.value, c.yes ?? true)) {
    return { kind: 'yes', text }
  }
  if (isDeepStrictEqual(found.value, c.no ?? false)) return { kind: 'no', text }
  return { kind: 'other', text }
}

async function askCommand(
  ctx: GateContext,
  c: ConfirmConfig,
  gate: GateName,
  run: string
): Promise<Answer> {
  const timeoutMs = Math.min(c.interval, c.timeout)
  // Asking changes nothing, so a dry run asks too and waits for the answer.
  const r = await ctx.command(gate, run, timeoutMs, ctx.signal, {
    env: { DEPLOY_GATES_CONFIRM: c.name },
    inDryRun: true
  })
  const last = r.tail.at(-1)
  const text = `${run.length > 60 ? 'the command' : `'${run}'`} ${r.reason}${last ? `: ${clip(last)}` : ''}`
  if (r.exitCode === null) return { kind: 'other', text }
  if (r.exitCode === ((c.yes as number | undefined) ?? 0)) {
    return { kind: 'yes', text }
  }
  if (r.exitCode === ((c.no as number | undefined) ?? 1)) {
    return { kind: 'no', text }
  }
  return { kind: 'other', text }
}

/**
 * Waits for the confirm of a gate or a step. Progress events show the wait
 * like a bake's (elapsed, remaining, the last answer); the outcome's reason
 * names the confirm and the answer it decided on.
 */
export async function awaitConfirm(
  ctx: GateContext,
  c: ConfirmConfig,
  where: { gate: GateName; step?: number }
): Promise<ConfirmOutcome> {
  const t0 = ctx.clock.monotonic()
  const deadline = t0 + c.timeout
  const label = `confirm: ${c.name}`
  for (;;) {
    if (ctx.signal.aborted) {
      return { kind: 'cancelled', reason: `${label}: ${ctx.cancelReason()}` }
    }
    const a = c.http
      ? await askHttp(ctx, c, c.http)
      : await askCommand(ctx, c, where.gate, c.run ?? '')
    const took = formatDuration(ctx.clock.monotonic() - t0)
    if (a.kind === 'yes') {
      return {
        kind: 'yes',
        reason: ctx.redact(`${label} said yes after ${took} (${a.text})`)
      }
    }
    if (a.kind === 'no') {
      return {
        kind: 'no',
        reason: ctx.redact(`${label} said no (${a.text})`)
      }
    }
    const last = a.text
    const left = deadline - ctx.clock.monotonic()
    if (left <= 0) {
      const why = `${label} gave no answer within ${formatDuration(c.timeout)} (last: ${last})`
      return c['on-timeout'] === 'continue'
        ? {
            kind: 'continued',
            reason: ctx.redact(`${why}; on-timeout: continue`)
          }
        : { kind: 'timeout', reason: ctx.redact(why) }
    }
    await ctx.emit({
      type: 'progress',
      gate: where.gate,
      ...(where.step !== undefined ? { step: where.step } : {}),
      elapsedMs: ctx.clock.monotonic() - t0,
      remainingMs: left,
      values: { [c.name]: ctx.redact(`waiting (${clip(last)})`) },
      at: ctx.clock.now()
    })
    await ctx.clock
      .sleep(Math.min(c.interval, left), ctx.signal)
      .catch(() => undefined)
  }
}
