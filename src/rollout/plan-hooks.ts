/**
 * The plan's view of hooks and confirm: which calls a rollout makes at
 * which moments, and where it waits for an external yes, so a reviewer
 * sees them before approving.
 */
import type { ConfirmConfig, HookEvent } from '../config/hook-schema.js'
import { GATE_ORDER, type Config, type GateName } from '../config/schema.js'
import { displayUrl } from '../http/scrub.js'
import { formatDuration } from '../kernel/format.js'

export interface PlanHook {
  name: string
  on: HookEvent[]
  /** The gates it is called for; absent: every gate. */
  gates?: GateName[]
  /** `command` or the URL it posts to (no query, no userinfo). */
  call: string
  onFailure: 'warn' | 'fail'
}

export interface PlanConfirm {
  gate: GateName
  /** The canary step's weight, for a step's confirm. */
  step?: number
  name: string
  /** `command` or the URL it asks (no query, no userinfo). */
  asks: string
  interval: string
  timeout: string
  onTimeout: 'fail' | 'continue'
}

function target(x: { run?: string; http?: { url: string } }): string {
  return x.http ? displayUrl(x.http.url) : 'command'
}

/** The configured hooks, in config order. */
export function planHooks(config: Config): PlanHook[] {
  return Object.entries(config.hooks ?? {}).map(([name, h]) => ({
    name,
    on: h.on,
    ...(h.gates ? { gates: h.gates } : {}),
    call: target(h),
    onFailure: h['on-failure']
  }))
}

function planConfirm(
  c: ConfirmConfig,
  gate: GateName,
  step?: number
): PlanConfirm {
  return {
    gate,
    ...(step !== undefined ? { step } : {}),
    name: c.name,
    asks: target(c),
    interval: formatDuration(c.interval),
    timeout: formatDuration(c.timeout),
    onTimeout: c['on-timeout']
  }
}

/** Every confirm the rollout waits for, in the order they come. */
export function planConfirms(config: Config): PlanConfirm[] {
  const g = config.gates
  return GATE_ORDER.flatMap((gate): PlanConfirm[] => {
    if (gate === 'preflight') return []
    if (gate === 'canary') {
      return (g.canary?.steps ?? []).flatMap((s) =>
        s.confirm ? [planConfirm(s.confirm, gate, s.weight)] : []
      )
    }
    const c = g[gate]?.confirm
    return c ? [planConfirm(c, gate)] : []
  })
}

/** `confirm 'on-call' before promote (https://…, every 30s, up to 1h)`. */
export function confirmLine(c: PlanConfirm): string {
  const where = c.step !== undefined ? `${c.gate} ${c.step}%` : c.gate
  return `confirm '${c.name}' before ${where} (${c.asks}, every ${c.interval}, up to ${c.timeout}, then ${c.onTimeout === 'fail' ? 'fail' : 'go on'})`
}

/** `hook 'announce' at step-start, step-end of canary: POST https://…`. */
export function hookLine(h: PlanHook): string {
  const gates = h.gates ? ` of ${h.gates.join(', ')}` : ''
  const call = h.call === 'command' ? 'command' : `POST ${h.call}`
  return `hook '${h.name}' at ${h.on.join(', ')}${gates}: ${call} (on-failure: ${h.onFailure})`
}
