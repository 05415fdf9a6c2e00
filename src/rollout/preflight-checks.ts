/**
 * Preflight's own checks beyond secrets and the API: recurring freeze rules
 * and the `require` checks (a metric that must meet a condition, or a
 * command that must exit 0). They read and run, never change, so a failure
 * here stops the rollout before migrate or deploy.
 */
import {
  checkFreezeRules,
  parseFreezeEntry,
  type FreezeRule
} from '../config/freeze-rules.js'
import type { Config } from '../config/schema.js'
import { compareOp } from '../config/units.js'
import { quantityValue } from '../analysis/conditions.js'
import { formatValue } from '../analysis/wording.js'
import type { Finding } from '../kernel/verdict.js'
import { errorMessage } from '../kernel/errors.js'
import type { GateContext } from './context.js'

type Preflight = NonNullable<Config['gates']['preflight']>
type Check = NonNullable<Preflight['require']>[string]

/** Commands of `require` get this long unless they say otherwise. */
export const CHECK_TIMEOUT_MS = 5 * 60_000

/** The recurring rules among the `freeze` entries (dates stay in window.ts). */
export function freezeRules(p: Preflight): FreezeRule[] {
  return (p.window?.freeze ?? []).flatMap((t) => {
    const r = parseFreezeEntry(t)
    return r.ok && r.value.kind === 'rule' ? [r.value.rule] : []
  })
}

/** One finding for the freeze rules, none when there are none. */
export function freezeRuleFindings(at: number, p: Preflight): Finding[] {
  const rules = freezeRules(p)
  if (!p.window || rules.length === 0) return []
  const v = checkFreezeRules(at, rules, p.window.timezone)
  return [
    {
      name: 'freeze rules',
      level: v.open ? 'ok' : 'fail',
      reason: v.open
        ? `outside the freeze rules ${rules.map((r) => `'${r.text}'`).join(', ')}`
        : v.reason
    }
  ]
}

function source(c: Check): string {
  if (c.prometheus) return `prometheus: ${c.prometheus.query}`
  if (c.http) return `http: ${c.http.url} ${c.http.path}`
  if (c.datadog) return `datadog: ${c.datadog.query}`
  if (c.newrelic) return `newrelic: ${c.newrelic.nrql}`
  if (c.cloudwatch) {
    return `cloudwatch: ${c.cloudwatch.namespace} ${c.cloudwatch.metric}`
  }
  // Reasons are one line: a script shows its first line.
  const lines = (c.run ?? '').split('\n').filter((l) => l.trim() !== '')
  return `command: ${(lines[0] ?? '').trim()}${lines.length > 1 ? ' …' : ''}`
}

async function metricFinding(
  ctx: GateContext,
  name: string,
  c: Check
): Promise<Finding> {
  const from = ctx.redact(source(c))
  const e = c.expect
  const operand = e?.kind === 'compare' ? e.operand : undefined
  if (
    !e ||
    !operand ||
    operand.kind === 'baseline-ratio' ||
    operand.kind === 'baseline-plus'
  ) {
    // The loader refuses these; a config built in code may still hold one.
    return {
      name,
      level: 'error',
      reason: `preflight check '${name}' has no absolute condition to meet`
    }
  }
  const kind =
    operand.kind === 'percent'
      ? 'rate'
      : operand.kind === 'duration'
        ? 'latency'
        : 'number'
  let reading
  try {
    reading = await ctx.metric(
      {
        prometheus: c.prometheus,
        http: c.http,
        datadog: c.datadog,
        newrelic: c.newrelic,
        cloudwatch: c.cloudwatch
      },
      undefined
    )
  } catch (err) {
    reading = { kind: 'error' as const, reason: ctx.redact(errorMessage(err)) }
  }
  if (reading.kind === 'error') {
    return {
      name,
      level: 'error',
      condition: e.text,
      reason: `preflight check '${name}' could not be read: ${reading.reason} (${from})`
    }
  }
  if (reading.kind === 'no-data') {
    return {
      name,
      level: 'fail',
      condition: e.text,
      reason: `preflight check '${name}': no data, expected ${e.text} (${from})`
    }
  }
  const value = formatValue(reading.value, kind)
  const holds = compareOp(e.op, reading.value, quantityValue(operand))
  return {
    name,
    level: holds ? 'ok' : 'fail',
    value,
    condition: e.text,
    reason: `preflight check '${name}': ${value}, expected ${e.text} (${from})`
  }
}

async function commandFinding(
  ctx: GateContext,
  name: string,
  c: Check
): Promise<Finding> {
  const r = await ctx.command(
    'preflight',
    c.run ?? '',
    c.timeout ?? CHECK_TIMEOUT_MS
  )
  const from = ctx.redact(source(c))
  if (r.outcome === 'ok') {
    return {
      name,
      level: 'ok',
      value: 'exit 0',
      reason: `preflight check '${name}': exit code 0 (${from})`
    }
  }
  const last = r.tail.filter((l) => l.trim() !== '').at(-1)
  const got =
    r.outcome === 'failed' && r.exitCode !== null
      ? `exit code ${r.exitCode}`
      : r.reason
  return {
    name,
    level: r.outcome === 'failed' ? 'fail' : 'error',
    value: got,
    reason: `preflight check '${name}': ${got}, expected exit code 0 (${from})${last ? `; last output: ${ctx.redact(last)}` : ''}`
  }
}

/**
 * Runs every `require` check in order of the config, each to a finding
 * that names the check, the value and what was expected.
 */
export async function requireFindings(
  ctx: GateContext,
  p: Preflight
): Promise<Finding[]> {
  const out: Finding[] = []
  for (const [name, c] of Object.entries(p.require ?? {})) {
    if (ctx.signal.aborted) break
    out.push(
      c.run !== undefined
        ? await commandFinding(ctx, name, c)
        : await metricFinding(ctx, name, c)
    )
  }
  return out
}
