/**
 * Hooks (DESIGN.md §3, §4): at a gate's or a canary step's start and end,
 * each configured hook gets the moment as a JSON document, as the body of
 * a POST or in `DEPLOY_GATES_EVENT` for a command. A failing hook warns,
 * or with `on-failure: fail` fails the gate or step it was called for.
 */
import type { HookConfig, HookEvent } from '../config/hook-schema.js'
import type { GateName } from '../config/schema.js'
import type { Outcome } from '../kernel/verdict.js'
import { callHttp } from './call-out.js'
import type { GateContext } from './context.js'

/** A moment of the rollout that hooks are called at. */
export interface HookMoment {
  event: HookEvent
  gate: GateName
  /** The canary step, for step events. */
  step?: { index: number; weight: number }
  /** How the gate or step ended, for end events. */
  outcome?: Outcome | 'paused' | 'cancelled'
  reason?: string
}

/** Characters of a reason put in an event document. */
const REASON_CHARS = 2000

/**
 * The event document hooks receive; its shape is part of the contract
 * (README "Hooks"), so receivers can route on `event` and `gate`.
 */
export function hookDocument(
  ctx: GateContext,
  m: HookMoment
): Record<string, unknown> {
  const v = ctx.values
  return {
    event: m.event,
    service: v.service,
    environment: v.environment,
    version: v.version,
    ...(v.previousVersion !== undefined
      ? { previous_version: v.previousVersion }
      : {}),
    sha: v.sha,
    gate: m.gate,
    ...(m.step ? { step: m.step.index, weight: m.step.weight } : {}),
    ...(m.outcome !== undefined ? { outcome: m.outcome } : {}),
    ...(m.reason !== undefined
      ? { reason: ctx.redact(m.reason).slice(0, REASON_CHARS) }
      : {}),
    at: new Date(ctx.clock.now()).toISOString(),
    dry_run: ctx.dryRun
  }
}

/** `step-end of canary 50%`: where a hook was called, for reasons. */
export function momentLabel(m: HookMoment): string {
  const step = m.step ? ` ${m.step.weight}%` : ''
  return `${m.event} of ${m.gate}${step}`
}

function applies(h: HookConfig, m: HookMoment): boolean {
  return h.on.includes(m.event) && (h.gates?.includes(m.gate) ?? true)
}

/** Calls one hook; undefined when it succeeded, else why it failed. */
async function callHook(
  ctx: GateContext,
  name: string,
  h: HookConfig,
  m: HookMoment
): Promise<string | undefined> {
  const doc = JSON.stringify(hookDocument(ctx, m))
  if (h.http) {
    const r = await callHttp(ctx, h.http, {
      method: 'POST',
      body: doc,
      timeoutMs: h.timeout
    })
    if (!r.ok) return `POST ${r.shown} failed: ${r.reason}`
    const { status } = r.answer
    if (status >= 200 && status < 300) return undefined
    return `POST ${r.shown} answered ${status}`
  }
  // A dry run never gets here (fireHooks), so the command's own dry-run
  // skip never applies to a hook.
  const r = await ctx.command(m.gate, h.run ?? '', h.timeout, ctx.signal, {
    env: { DEPLOY_GATES_EVENT: doc, DEPLOY_GATES_HOOK: name }
  })
  return r.outcome === 'ok' ? undefined : `command ${r.reason}`
}

/**
 * Calls every hook that listens to this moment, in config order. Returns
 * the reason of the first failed hook whose `on-failure` is `fail` (the
 * caller fails the gate or step with it); other failures are warnings.
 * A dry run calls no hook: hooks act on the world.
 */
export async function fireHooks(
  ctx: GateContext,
  m: HookMoment
): Promise<string | undefined> {
  const hooks = Object.entries(ctx.config.hooks ?? {}).filter(([, h]) =>
    applies(h, m)
  )
  let failure: string | undefined
  for (const [name, h] of hooks) {
    if (ctx.signal.aborted) break
    const line = (text: string): void => {
      void ctx.emit({
        type: 'log',
        gate: m.gate,
        lines: [ctx.redact(text)],
        at: ctx.clock.now()
      })
    }
    if (ctx.dryRun) {
      line(`hook '${name}' at ${momentLabel(m)}: dry-run: not called`)
      continue
    }
    const why = await callHook(ctx, name, h, m)
    if (why === undefined) {
      line(`hook '${name}' at ${momentLabel(m)}: ok`)
      continue
    }
    const reason = ctx.redact(`hook '${name}' at ${momentLabel(m)}: ${why}`)
    if (h['on-failure'] === 'fail') {
      failure ??= reason
    } else {
      ctx.io.warn(`${reason} (on-failure: warn)`)
      line(`${reason} (on-failure: warn)`)
    }
  }
  return failure
}
