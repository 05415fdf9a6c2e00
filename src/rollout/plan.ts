/**
 * The plan: which gates run, in which order, and where a rollout splits into
 * jobs (approval steps). Later jobs of a gates-as-jobs workflow read it from
 * the `plan` output, so its JSON shape is part of the contract.
 */
import { GATE_ORDER, type Config, type GateName } from '../config/schema.js'
import { formatDuration } from '../kernel/format.js'
import { probeLabel } from '../config/http-flow-rules.js'
import {
  nextFreezeWindows,
  parseFreezeEntry,
  type FreezeWindow
} from '../config/freeze-rules.js'
import {
  planConfirms,
  planHooks,
  type PlanConfirm,
  type PlanHook
} from './plan-hooks.js'

/** How many coming windows of each freeze rule the plan lists. */
export const PLAN_FREEZE_WINDOWS = 3

export interface PlanFreeze {
  /** The rule as written in `gates.preflight.window.freeze`. */
  rule: string
  timezone: string
  /** The coming windows (the first may be the current one), oldest first. */
  next: FreezeWindow[]
}

export interface PlanStep {
  /** 1-based position among the canary steps. */
  index: number
  weight: number
  bake: string | null
  bakeMs: number
  /** A manual approval is required before this step starts. */
  approval: boolean
  /** The name of the confirm this step waits for before it shifts traffic. */
  confirm?: string
}

export interface PlanJob {
  gate: GateName
  /** For canary jobs: the weight of the step this job runs. */
  step?: number
  approval?: boolean
}

export interface Plan {
  service: string
  environment: string
  gates: GateName[]
  steps: PlanStep[]
  /** Weights of the steps that wait for an approval (the split points). */
  approvals: number[]
  /** One entry per job for the one-job-per-gate shape, in order. */
  jobs: PlanJob[]
  /** Sum of bakes, soak and watch: the least time a full rollout takes. */
  minimumMs: number
  minimum: string
  rollback: { traffic: number; commands: boolean; verify: string[] } | null
  /** Recurring freeze rules with their next windows; only when there are any. */
  freeze?: PlanFreeze[]
  /** Names of preflight's `require` checks; only when there are any. */
  require?: string[]
  /** The watch after promotion; only when there is one. */
  watch?: PlanWatch
  /** Hooks and where they are called; only when there are any. */
  hooks?: PlanHook[]
  /** Where the rollout waits for an external yes; only when it does. */
  confirm?: PlanConfirm[]
}

export interface PlanWatch {
  duration: string
  durationMs: number
  interval: string
  /** The canary analysis metrics it goes on judging. */
  metrics: string[]
  probes: string[]
}

function planWatch(config: Config): PlanWatch | undefined {
  const w = config.gates.watch
  if (!w) return undefined
  const a = config.gates.canary?.analysis
  return {
    duration: formatDuration(w.duration),
    durationMs: w.duration,
    interval: formatDuration(w.interval),
    metrics: w.metrics ?? Object.keys(a?.metrics ?? {}),
    probes: w.probes ?? a?.probes ?? []
  }
}

function planFreeze(config: Config, now: number | undefined): PlanFreeze[] {
  const w = config.gates.preflight?.window
  if (!w) return []
  return (w.freeze ?? []).flatMap((text) => {
    const r = parseFreezeEntry(text)
    if (!r.ok || r.value.kind !== 'rule') return []
    const rule = r.value.rule
    return [
      {
        rule: rule.text,
        timezone: w.timezone,
        next:
          now === undefined
            ? []
            : nextFreezeWindows(rule, now, w.timezone, PLAN_FREEZE_WINDOWS)
      }
    ]
  })
}

/**
 * Derives the plan from a validated config; pure and deterministic. `now`
 * (epoch ms) dates the next windows of freeze rules; without it they are
 * listed with no dates.
 */
export function buildPlan(config: Config, now?: number): Plan {
  const g = config.gates
  const gates = GATE_ORDER.filter((name) => g[name] !== undefined)
  const steps: PlanStep[] = (g.canary?.steps ?? []).map((s, i) => ({
    index: i + 1,
    weight: s.weight,
    bake: s.bake === undefined ? null : formatDuration(s.bake),
    bakeMs: s.bake ?? 0,
    approval: s.approval,
    ...(s.confirm ? { confirm: s.confirm.name } : {})
  }))
  const jobs: PlanJob[] = []
  for (const gate of gates) {
    if (gate === 'canary') {
      for (const s of steps) {
        jobs.push(
          s.approval
            ? { gate, step: s.weight, approval: true }
            : { gate, step: s.weight }
        )
      }
    } else {
      jobs.push({ gate })
    }
  }
  const minimumMs =
    steps.reduce((sum, s) => sum + s.bakeMs, 0) +
    (g.soak?.duration ?? 0) +
    (g.watch?.duration ?? 0)
  const rb = config.rollback
  const freeze = planFreeze(config, now)
  const require = Object.keys(g.preflight?.require ?? {})
  const watch = planWatch(config)
  const hooks = planHooks(config)
  const confirm = planConfirms(config)
  return {
    service: config.service,
    environment: config.environment,
    gates,
    steps,
    approvals: steps.filter((s) => s.approval).map((s) => s.weight),
    jobs,
    minimumMs,
    minimum: formatDuration(minimumMs),
    rollback: rb
      ? {
          traffic: rb.traffic,
          commands: rb.run !== undefined,
          verify: rb.verify ?? []
        }
      : null,
    ...(freeze.length ? { freeze } : {}),
    ...(require.length ? { require } : {}),
    ...(watch ? { watch } : {}),
    ...(hooks.length ? { hooks } : {}),
    ...(confirm.length ? { confirm } : {})
  }
}

/** One line per gate, for terminals and the job summary. */
export function describeGate(config: Config, gate: GateName): string {
  const g = config.gates
  switch (gate) {
    case 'preflight': {
      const p = g.preflight ?? {}
      const parts = [
        p.checks === 'green' ? 'checks green' : undefined,
        p.approvals ? `${p.approvals} approvals` : undefined,
        p.after?.length ? `passed in ${p.after.join(', ')}` : undefined,
        p.secrets?.length ? `${p.secrets.length} secrets present` : undefined,
        p.window ? 'deploy window' : undefined,
        p.require ? `require ${Object.keys(p.require).join(', ')}` : undefined
      ].filter((x): x is string => x !== undefined)
      return parts.length ? parts.join(', ') : 'no checks'
    }
    case 'migrate':
      return `${g.migrate?.backup ? 'backup, ' : ''}migrate${g.migrate?.revert ? ' (reversible)' : ' (irreversible: failures later HOLD)'}, timeout ${formatDuration(g.migrate?.timeout ?? 0)}`
    case 'deploy':
      return 'run the deploy command'
    case 'health':
      return `probes ${g.health?.probes.join(', ')} until healthy, within ${formatDuration(g.health?.within ?? 0)}`
    case 'smoke': {
      const probes = g.smoke?.probes?.length
        ? `probes ${g.smoke.probes.map((n) => probeLabel(n, config)).join(', ')}`
        : undefined
      const tests = g.smoke?.tests?.length
        ? `${g.smoke.tests.length} test command(s)`
        : undefined
      return [probes, tests].filter(Boolean).join(' + ')
    }
    case 'canary': {
      const steps = (g.canary?.steps ?? [])
        .map(
          (s) =>
            `${s.approval ? 'approval → ' : ''}${s.confirm ? `confirm '${s.confirm.name}' → ` : ''}${s.weight}%${s.bake ? ` (${formatDuration(s.bake)})` : ''}`
        )
        .join(' → ')
      return `traffic ${steps}`
    }
    case 'soak': {
      const tests = (g.soak?.tests ?? []).map(
        (t) =>
          `tests every ${formatDuration(t.every ?? g.soak?.duration ?? 0)}${t['pass-rate'] ? ` (pass-rate ${t['pass-rate'].text})` : ''}`
      )
      return [
        `watch for ${formatDuration(g.soak?.duration ?? 0)}`,
        ...tests
      ].join(' + ')
    }
    case 'promote':
      return 'run the promote command'
    case 'watch': {
      const w = planWatch(config)
      const what = [
        w?.metrics.length ? `metrics ${w.metrics.join(', ')}` : undefined,
        w?.probes.length ? `probes ${w.probes.join(', ')}` : undefined
      ].filter(Boolean)
      return `after promotion, watch ${what.join(' + ')} for ${w?.duration} every ${w?.interval}; roll back to the previous version on a fail condition`
    }
  }
}
