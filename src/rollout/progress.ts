/**
 * The running rollout's record: its saved state, what it has changed, the
 * gate reports, the chart and the timeline. Every change is saved before
 * the rollout goes on, so a killed process can be finished by the post step.
 */
import type { GateName } from '../config/schema.js'
import { errorMessage } from '../kernel/errors.js'
import { changedOf, type Changes } from './changes.js'
import type { GateContext } from './context.js'
import type { GateReport, StepPoint, TimelineEntry } from './events.js'
import { stateIdentity, type RolloutState, type StateStore } from './state.js'

export class Progress {
  readonly gates: GateReport[] = []
  readonly chart: StepPoint[] = []
  readonly timeline: TimelineEntry[] = []
  private readonly state: RolloutState

  constructor(
    private readonly ctx: GateContext,
    private readonly store: StateStore,
    readonly changes: Changes,
    readonly startedAt: number
  ) {
    this.state = {
      ...stateIdentity(ctx.values),
      startedAt,
      updatedAt: startedAt,
      phase: 'running',
      changed: changedOf(changes),
      rollbackAttempts: 0
    }
  }

  /** A line of the timeline, redacted. */
  note(text: string): void {
    this.timeline.push({
      at: this.ctx.clock.now(),
      text: this.ctx.redact(text)
    })
  }

  /** Saves the state with the changes as they are now; never throws. */
  async save(patch: Partial<RolloutState> = {}): Promise<void> {
    Object.assign(this.state, patch, {
      updatedAt: this.ctx.clock.now(),
      changed: changedOf(this.changes)
    })
    try {
      await this.store.save(this.state)
    } catch (e) {
      this.ctx.io.warn(`could not save rollout state: ${errorMessage(e)}`)
    }
  }

  /** Keeps a change; the next save writes it. */
  change(patch: Partial<Changes>): void {
    Object.assign(this.changes, patch)
  }

  /** A gate, or a canary step, starts: saved, then announced. */
  async start(gate: GateName, step?: number): Promise<void> {
    await this.save({
      currentGate: gate,
      ...(step !== undefined ? { currentStep: step } : {})
    })
    await this.ctx.emit({
      type: 'gate-started',
      gate,
      ...(step !== undefined ? { step } : {}),
      at: this.ctx.clock.now()
    })
  }

  /** A gate's report: kept, noted in the timeline, announced. */
  async record(report: GateReport): Promise<void> {
    this.gates.push(report)
    this.note(
      `${report.gate}${report.step !== undefined ? ` ${report.step}%` : ''}: ${report.outcome}: ${report.reason}`
    )
    await this.ctx.emit({
      type: 'gate-finished',
      report,
      at: this.ctx.clock.now()
    })
  }
}
