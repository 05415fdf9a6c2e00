/**
 * What the pipeline does around every gate and canary step besides running
 * it: hooks at starts and ends, and the confirm a gate or step waits for
 * before it changes anything. Gates see none of it; they get a start that
 * may refuse and a record that may fail a step whose end hook failed.
 */
import type { ConfirmConfig } from '../config/hook-schema.js'
import type { Config, GateName } from '../config/schema.js'
import { awaitConfirm } from './confirm.js'
import type { GateContext } from './context.js'
import type { GateReport } from './events.js'
import { goesOn, type GateResult } from './gate.js'
import { fireHooks } from './hooks.js'
import type { Progress } from './progress.js'

/** The confirm a gate (no step) or a canary step (its weight) waits for. */
export function confirmOf(
  config: Config,
  gate: GateName,
  step?: number
): ConfirmConfig | undefined {
  const g = config.gates
  switch (gate) {
    case 'canary':
      return step === undefined
        ? undefined
        : g.canary?.steps.find((s) => s.weight === step)?.confirm
    case 'preflight':
      return undefined
    default:
      return step === undefined ? g[gate]?.confirm : undefined
  }
}

export class GateCalls {
  /** The canary step that started and has not ended yet. */
  private step: { index: number; weight: number } | undefined

  constructor(
    private readonly ctx: GateContext,
    private readonly progress: Progress,
    private readonly gate: GateName
  ) {}

  private failed(reason: string, step?: number): GateReport {
    const at = this.ctx.clock.now()
    return {
      gate: this.gate,
      ...(step !== undefined ? { step } : {}),
      outcome: 'failed',
      reason: this.ctx.redact(reason),
      startedAt: at,
      endedAt: at,
      findings: []
    }
  }

  /**
   * Before the gate runs: its gate-start hooks. A result when a hook with
   * `on-failure: fail` failed; the gate is then announced and failed.
   */
  async gateStart(): Promise<GateResult | undefined> {
    const why = await fireHooks(this.ctx, {
      event: 'gate-start',
      gate: this.gate
    })
    if (why === undefined) return undefined
    await this.progress.start(this.gate)
    const report = this.failed(why)
    await this.progress.record(report)
    return { kind: 'failed', report }
  }

  /** A gate or step starts: announced, then its hooks and its confirm. */
  async start(step?: number): Promise<GateReport | undefined> {
    await this.progress.start(this.gate, step)
    if (step !== undefined) {
      this.step = { index: this.ctx.step ?? 0, weight: step }
      const why = await fireHooks(this.ctx, {
        event: 'step-start',
        gate: this.gate,
        step: this.step
      })
      if (why !== undefined) return this.failed(why, step)
    }
    const confirm = confirmOf(this.ctx.config, this.gate, step)
    if (!confirm) return undefined
    const o = await awaitConfirm(this.ctx, confirm, {
      gate: this.gate,
      ...(step !== undefined ? { step } : {})
    })
    this.progress.note(o.reason)
    void this.ctx.emit({
      type: 'log',
      gate: this.gate,
      lines: [o.reason],
      at: this.ctx.clock.now()
    })
    if (o.kind === 'continued') this.ctx.io.warn(o.reason)
    if (o.kind === 'yes' || o.kind === 'continued') return undefined
    return this.failed(o.reason, step)
  }

  /** A report: a step's end hooks first (they may fail it), then kept. */
  async record(report: GateReport): Promise<GateReport> {
    let kept = report
    if (this.step && report.step === this.step.weight) {
      const why = await fireHooks(this.ctx, {
        event: 'step-end',
        gate: this.gate,
        step: this.step,
        outcome: report.outcome,
        reason: report.reason
      })
      this.step = undefined
      if (
        why !== undefined &&
        (report.outcome === 'passed' || report.outcome === 'warned')
      ) {
        kept = { ...report, outcome: 'failed', reason: this.ctx.redact(why) }
      }
    }
    await this.progress.record(kept)
    return kept
  }

  /**
   * After the gate: its gate-end hooks, told how it ended. A hook with
   * `on-failure: fail` that failed turns a gate that went on into a
   * failed one, with a report of its own.
   */
  async gateEnd(result: GateResult): Promise<GateResult> {
    const why = await fireHooks(this.ctx, {
      event: 'gate-end',
      gate: this.gate,
      outcome: result.kind,
      ...(result.report ? { reason: result.report.reason } : {})
    })
    if (why === undefined || !goesOn(result)) return result
    const report = this.failed(why)
    await this.progress.record(report)
    return {
      kind: 'failed',
      report,
      ...(result.changed ? { changed: result.changed } : {})
    }
  }
}
