/**
 * The plan as markdown for the job summary and as text for terminals: the
 * timeline a reviewer reads before approving a rollout.
 */
import type { Config } from '../config/schema.js'
import { describeGate, type Plan, type PlanFreeze } from '../rollout/plan.js'
import { confirmLine, hookLine } from '../rollout/plan-hooks.js'

/** `freeze 'rule' (zone): next A to B, C to D` for one freeze rule. */
function freezeLine(f: PlanFreeze): string {
  const next = f.next.map((w) => `${w.from} to ${w.to}`).join(', ')
  return `freeze '${f.rule}' (${f.timezone})${next ? `: next ${next}` : ''}`
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/** Markdown timeline: one row per gate, canary steps listed in order. */
export function planMarkdown(config: Config, plan: Plan): string {
  const lines = [
    `### deploy-gates plan: ${escapeCell(plan.service)} → ${escapeCell(plan.environment)}`,
    '',
    '| # | gate | what it does |',
    '|---|------|--------------|'
  ]
  plan.gates.forEach((gate, i) => {
    lines.push(
      `| ${i + 1} | ${gate} | ${escapeCell(describeGate(config, gate))} |`
    )
  })
  if (plan.gates.length === 0)
    lines.push('| – | (none) | no gates configured |')
  if (plan.steps.length > 0) {
    lines.push('', '| step | weight | bake | approval |', '|---|---|---|---|')
    for (const s of plan.steps) {
      lines.push(
        `| ${s.index} | ${s.weight}% | ${s.bake ?? '–'} | ${s.approval ? 'required' : '–'} |`
      )
    }
  }
  lines.push(
    '',
    `Minimum duration: **${plan.minimum}** (bakes and soak).` +
      (plan.approvals.length
        ? ` Pauses for approval before ${plan.approvals.map((w) => `${w}%`).join(', ')}.`
        : '')
  )
  for (const f of plan.freeze ?? []) lines.push(`${escapeCell(freezeLine(f))}.`)
  for (const c of plan.confirm ?? [])
    lines.push(`${escapeCell(confirmLine(c))}.`)
  for (const h of plan.hooks ?? []) lines.push(`${escapeCell(hookLine(h))}.`)
  if (plan.rollback) {
    lines.push(
      `On failure: traffic back to ${plan.rollback.traffic}%` +
        (plan.rollback.commands ? ', rollback command' : '') +
        (plan.rollback.verify.length
          ? `, verify ${plan.rollback.verify.join(', ')}`
          : '') +
        '.'
    )
  } else {
    lines.push('On failure: no rollback section configured.')
  }
  return `${lines.join('\n')}\n`
}

/** Plain text timeline for the CLI. */
export function planText(config: Config, plan: Plan): string {
  const lines = [`plan for ${plan.service} → ${plan.environment}`]
  plan.gates.forEach((gate, i) => {
    lines.push(`  ${i + 1}. ${gate.padEnd(9)} ${describeGate(config, gate)}`)
  })
  if (plan.gates.length === 0) lines.push('  (no gates configured)')
  lines.push(`  minimum duration ${plan.minimum}`)
  for (const f of plan.freeze ?? []) lines.push(`  ${freezeLine(f)}`)
  for (const c of plan.confirm ?? []) lines.push(`  ${confirmLine(c)}`)
  for (const h of plan.hooks ?? []) lines.push(`  ${hookLine(h)}`)
  if (plan.approvals.length) {
    lines.push(
      `  approval before ${plan.approvals.map((w) => `${w}%`).join(', ')}`
    )
  }
  return `${lines.join('\n')}\n`
}
