/**
 * Preflight changes nothing: it checks that the rollout may start. Local
 * checks (secrets present, every `${secrets.X}` and `${env.X}` the run will
 * render, deploy window, freeze) run everywhere; checks that need the GitHub
 * API come through `queries` when a token is available.
 */
import {
  checkWindow,
  parseAllowWindow,
  parseFreeze
} from '../../config/window.js'
import { GATE_ORDER, type Config, type GateName } from '../../config/schema.js'
import { oneReportGate, type Gate, type PreflightQueries } from '../gate.js'
import { missingReason, missingReferences } from './preflight-refs.js'
import type { Finding } from '../../kernel/verdict.js'
import { errorMessage } from '../../kernel/errors.js'
import { freezeRuleFindings, requireFindings } from '../preflight-checks.js'

// The GitHub adapter implements the queries; they are part of the contract.
export type { PreflightQueries }

type PreflightGate = Gate<NonNullable<Config['gates']['preflight']>>

/**
 * The preflight gate, checking the references of `scope`: by default every
 * configured gate when the whole rollout runs in this job, and only what
 * every job renders (notifications) when preflight is a job of its own, as
 * each later job maps its own secrets and is checked before it starts.
 */
export function preflightFor(scope?: readonly GateName[]): PreflightGate {
  return oneReportGate({
    name: 'preflight',
    section: (config) => config.gates.preflight,
    run: async ({ ctx, section: p, preflight: queries, oneJob }) => {
      const startedAt = ctx.clock.now()
      const findings: Finding[] = []
      const gates =
        scope ??
        (oneJob
          ? GATE_ORDER.filter((g) => ctx.config.gates[g] !== undefined)
          : [])
      const missing = missingReferences(ctx.config, ctx.io.env, gates)
      const named = new Set(missing.map((m) => m.ref.replace(/^\w+\./, '')))
      if (missing.length > 0) {
        findings.push({
          name: 'references',
          level: 'fail',
          reason: missingReason(missing)
        })
      }
      for (const name of p.secrets ?? []) {
        const present = (ctx.io.env[name] ?? '') !== ''
        // Named once, with where it is used, by the finding above.
        if (!present && named.has(name)) continue
        findings.push({
          name: `secret ${name}`,
          level: present ? 'ok' : 'fail',
          reason: present
            ? `secret '${name}' is set`
            : `secret '${name}' is not set or empty (map it in the step's env:)`
        })
      }
      if (p.window) {
        const allow = (p.window.allow ?? []).flatMap((t) => {
          const r = parseAllowWindow(t)
          return r.ok ? [r.value] : []
        })
        const freeze = (p.window.freeze ?? []).flatMap((t) => {
          const r = parseFreeze(t)
          return r.ok ? [r.value] : []
        })
        const v = checkWindow(new Date(ctx.clock.now()), {
          allow,
          freeze,
          timezone: p.window.timezone
        })
        findings.push({
          name: 'deploy window',
          level: v.open ? 'ok' : 'fail',
          reason: v.open ? 'inside the deploy window' : v.reason
        })
      }
      findings.push(...freezeRuleFindings(ctx.clock.now(), p))
      findings.push(...(await requireFindings(ctx, p)))
      type Query = (q: PreflightQueries) => Promise<Finding>
      const api: Array<[boolean, Query, string]> = [
        [p.checks === 'green', (q) => q.checksGreen(), 'checks: green'],
        [
          (p.approvals ?? 0) > 0,
          (q) => q.approvals(p.approvals ?? 0),
          `approvals: ${p.approvals}`
        ],
        ...(p.after ?? []).map((env): [boolean, Query, string] => [
          true,
          (q) => q.passedIn(env),
          `after: ${env}`
        ])
      ]
      for (const [wanted, query, label] of api) {
        if (!wanted) continue
        if (!queries) {
          findings.push({
            name: label,
            level: 'warn',
            reason: `'${label}' not checked: it needs the GitHub API (a token in GitHub Actions)`
          })
          continue
        }
        try {
          findings.push(await query(queries))
        } catch (e) {
          findings.push({
            name: label,
            level: 'error',
            reason: `'${label}' could not be checked: ${ctx.redact(errorMessage(e))}`
          })
        }
      }
      const bad = findings.filter(
        (f) => f.level === 'fail' || f.level === 'error'
      )
      const warned = findings.some((f) => f.level === 'warn')
      return {
        report: {
          gate: 'preflight',
          outcome: bad.length ? 'failed' : warned ? 'warned' : 'passed',
          reason: bad.length
            ? bad.map((f) => f.reason).join('; ')
            : `${findings.length} check${findings.length === 1 ? '' : 's'} passed`,
          startedAt,
          endedAt: ctx.clock.now(),
          findings
        }
      }
    }
  })
}

/** Runs the configured preflight checks; failed when any check fails. */
export const preflightGate = preflightFor()
