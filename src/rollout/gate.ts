/**
 * The contract every gate implements (DESIGN.md §4): its name, how it reads
 * its own section of the config, and a run that ends in a typed result. The
 * pipeline knows gates only through this.
 */
import type { Config, GateName } from '../config/schema.js'
import type { TrafficShifter } from '../traffic/types.js'
import type { Finding } from '../kernel/verdict.js'
import type { Changes } from './changes.js'
import type { GateContext } from './context.js'
import type { GateReport, StepPoint } from './events.js'

/** Which gates a run takes: all, or one (the one-job-per-gate shape). */
export type GateSelection = 'all' | GateName

/** Checks that need the GitHub API (commit checks, reviews, environments). */
export interface PreflightQueries {
  checksGreen(): Promise<Finding>
  approvals(required: number): Promise<Finding>
  passedIn(environment: string): Promise<Finding>
}

/**
 * What a gate is given to run: the rollout's context, its own config
 * section, and the pipeline's record, which saves and announces what the
 * gate reports so that no gate deals with state or reporters itself.
 */
export interface GateRun<C> {
  readonly ctx: GateContext
  readonly section: C
  /** What the rollout has changed so far, earlier jobs included. */
  readonly changes: Readonly<Changes>
  readonly shifter: TrafficShifter | undefined
  /** Undefined without a GitHub token: API checks are then only warned. */
  readonly preflight: PreflightQueries | undefined
  /** The weight of the one canary step to run (one-job-per-gate shape). */
  readonly onlyStep: number | undefined
  /** The whole rollout runs in this job: an approval step pauses it. */
  readonly oneJob: boolean
  /**
   * The gate, or one of its steps, starts: saved, announced, then its
   * start hooks and its confirm. A report when the gate or step must not
   * go on (a hook failed, the confirm said no): the gate records it and
   * stops.
   */
  start: (step?: number) => Promise<GateReport | undefined>
  /**
   * A report of the gate, or of one of its steps: kept and announced, and
   * returned as kept (a step's end hook may have failed it).
   */
  record: (report: GateReport) => Promise<GateReport>
  /**
   * Something is about to change, or just did: saved before the gate goes
   * on, so that a process killed now still knows what to undo.
   */
  changing: (patch: Partial<Changes>) => Promise<void>
  /** A point of the canary chart. */
  plot: (point: StepPoint) => void
}

/**
 * How a gate ended. The report says why (reason, findings); `changed` is
 * what the gate changed that the pipeline has not saved yet. `cancelled`
 * is a gate cut short by the run's cancellation, `paused` one that waits
 * for an approval; neither is a verdict on the release.
 */
export type GateResult = (
  | { kind: 'passed' | 'warned' | 'skipped'; report: GateReport }
  | { kind: 'failed' | 'inconclusive' | 'held'; report: GateReport }
  | { kind: 'paused'; report: GateReport }
  | { kind: 'cancelled'; report?: GateReport }
) & { changed?: Partial<Changes> }

/** One gate of the rollout. `C` is its section of the config. */
export interface Gate<C> {
  readonly name: GateName
  /** The gate's own section; undefined when the rollout has no such gate. */
  section(config: Config): C | undefined
  run(run: GateRun<C>): Promise<GateResult>
}

/** Every gate, by name, each with the type of its own section. */
export type Gates = {
  [N in GateName]: Gate<NonNullable<Config['gates'][N]>>
}

/** The run goes on to the next gate after this result. */
export function goesOn(result: GateResult): boolean {
  return (
    result.kind === 'passed' ||
    result.kind === 'warned' ||
    result.kind === 'skipped'
  )
}

/**
 * The result a report stands for. A report of a gate cut short by the
 * cancellation is `cancelled` whatever its outcome says, so nobody has to
 * recognise a cancellation by its wording.
 */
export function resultOf(
  report: GateReport,
  opts: { cancelled?: boolean; changed?: Partial<Changes> } = {}
): GateResult {
  const changed = opts.changed ? { changed: opts.changed } : {}
  if (opts.cancelled) return { kind: 'cancelled', report, ...changed }
  return { kind: report.outcome, report, ...changed }
}

/** How a gate of one report ends. */
export interface Ending {
  report: GateReport
  /** What changed that the pipeline keeps (saved with the next change). */
  changed?: Partial<Changes>
  /** Cut short by the run's cancellation. */
  cancelled?: boolean
}

/**
 * Most gates run once and end with one report: this starts the gate, runs
 * its body and records the report, so the body says only what it checks.
 */
export function oneReportGate<C>(gate: {
  name: GateName
  section: (config: Config) => C | undefined
  run: (run: GateRun<C>) => Promise<Ending>
}): Gate<C> {
  return {
    name: gate.name,
    section: gate.section,
    async run(run) {
      const refused = await run.start()
      if (refused) {
        const kept = await run.record(refused)
        return resultOf(kept, { cancelled: run.ctx.signal.aborted })
      }
      const end = await gate.run(run)
      await run.record(end.report)
      return resultOf(end.report, end)
    }
  }
}
