/**
 * The check run `deploy-gates / <environment>` on the commit: in progress
 * while the rollout runs, then completed with the verdict, so branch
 * protection can require it. A re-run finds the same check run by its
 * external id and updates it instead of adding another.
 *
 * It is written on events a person wants to see (a gate or step starting,
 * a warning or failure appearing, a rollback starting, the verdict), plus a
 * sparse heartbeat with the current numbers during long bakes. So the
 * requests grow with the rollout's steps, not with its minutes: a
 * repository's token has about 1,000 requests an hour for every workflow.
 */
import type { GitHub } from './client.js'
import { NO_RETRY } from './client.js'
import type { GitHubContext } from './context.js'
import type { Guard } from './guard.js'
import type {
  GateReport,
  Reporter,
  RolloutEvent,
  RolloutResult
} from '../rollout/events.js'
import { renderMarkdown } from '../report/markdown.js'

export const CHECK_LIMIT = 65_535
/**
 * During a bake, the first update with the live numbers comes after this
 * long without one; each later one in the same gate waits twice as long
 * (3, 6, 12 minutes...), and a run sends at most MAX_HEARTBEATS: a long
 * rollout costs a few requests more than a short one, not six a minute.
 */
export const HEARTBEAT_MS = 180_000
export const MAX_HEARTBEATS = 3
/**
 * Gates that start within this long of the last write (deploy, then
 * health, then the first canary step, seconds apart) share one update:
 * the latest is written at the next event or look after the gap.
 */
export const MIN_GAP_MS = 10_000

type Conclusion = 'success' | 'failure' | 'neutral' | 'cancelled'

/** How each rollout result reads in the Checks UI and branch protection. */
export function conclusionOf(result: RolloutResult): Conclusion {
  switch (result) {
    case 'promoted':
    case 'passed':
      return 'success'
    case 'paused':
      return 'neutral'
    default:
      return 'failure'
  }
}

export interface ChecksOptions {
  gh: GitHub
  context: GitHubContext
  guard: Guard
  environment: string
  service: string
  /** `report.check-name`, default `deploy-gates / <environment>`. */
  name?: string
  /** `report.checks: per-gate` adds one check run per gate. */
  perGate: boolean
}

function stepName(g: { gate: string; step?: number }): string {
  return `${g.gate}${g.step !== undefined ? ` ${g.step}%` : ''}`
}

/** Gate outcomes that are news on their own, not only at the next gate. */
const NEWS = new Set(['warned', 'failed', 'inconclusive', 'held'])

/** Reporter that keeps the check run(s) in step with the rollout. */
export class ChecksReporter implements Reporter {
  private id: number | undefined
  /**
   * The version whose check run is still owed: the lookup or the create
   * failed, so the finish tries once more (lookup first, so a create that
   * went through after all is found, not duplicated).
   */
  private owed: string | undefined
  private lastUpdate = -Infinity
  /** A gate start not written yet: it came within MIN_GAP_MS of a write. */
  private startOwed = false
  /** Heartbeats sent in the running gate, and in the whole run. */
  private gateBeats = 0
  private beats = 0
  private pending: string | undefined
  /** The last gate that ended, shown next to the one running. */
  private lastEnded: string | undefined
  /** `gate: rollback` asked for this rollback: completing it is success. */
  private manual = false
  private readonly gateIds = new Map<string, number>()
  readonly name: string
  private readonly externalId: string

  constructor(private readonly o: ChecksOptions) {
    this.name = o.name ?? `deploy-gates / ${o.environment}`
    this.externalId = `deploy-gates:${o.service}:${o.environment}`
  }

  private get repo(): { owner: string; repo: string } {
    return { owner: this.o.context.owner, repo: this.o.context.repo }
  }

  async onEvent(e: RolloutEvent): Promise<void> {
    switch (e.type) {
      case 'rollout-started':
        this.manual = e.gates.length === 1 && e.gates[0] === 'rollback'
        this.lastUpdate = e.at
        await this.start(e.version)
        return
      case 'gate-started':
        this.gateBeats = 0
        this.pending = `${stepName(e)} running${this.lastEnded ? ` (${this.lastEnded})` : ''}`
        this.startOwed = e.at - this.lastUpdate < MIN_GAP_MS
        if (!this.startOwed) await this.update(e.at)
        if (this.o.perGate) await this.startGate(e)
        return
      case 'progress':
        if (this.startOwed) {
          // The gate's start, once the gap has passed.
          if (e.at - this.lastUpdate >= MIN_GAP_MS) await this.update(e.at)
          return
        }
        // The heartbeat: the live numbers, sparsely.
        this.pending = `${stepName(e)} · ${Object.entries(e.values)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · ')}`.slice(0, 200)
        if (
          this.beats < MAX_HEARTBEATS &&
          e.at - this.lastUpdate >= HEARTBEAT_MS * 2 ** this.gateBeats
        ) {
          this.gateBeats += 1
          this.beats += 1
          await this.update(e.at)
        }
        return
      case 'gate-finished':
        this.lastEnded = `${stepName(e.report)} ${e.report.outcome}`
        this.pending = this.lastEnded
        // A pass shows with the next gate's start (or the verdict); a
        // warning or failure is news now.
        if (NEWS.has(e.report.outcome)) await this.update(e.at)
        if (this.o.perGate) await this.finishGate(e.report)
        return
      case 'rollback-started':
        this.pending = `rolling back: ${e.reason}`.slice(0, 200)
        await this.update(e.at)
        return
      case 'rollout-finished':
        await this.finish(e.report)
        return
      default:
        return
    }
  }

  private async start(version: string): Promise<void> {
    const existing = await this.o.guard.run('check run', 'checks: write', () =>
      this.o.gh.rest.checks.listForRef({
        ...this.repo,
        ref: this.o.context.sha,
        check_name: this.name,
        filter: 'latest',
        per_page: 20
      })
    )
    if (existing === undefined) {
      // Unknown whether an earlier attempt left one: creating could
      // duplicate it.
      this.owed = version
      return
    }
    const found = existing.data.check_runs.find(
      (c) => c.external_id === this.externalId
    )
    const output = {
      title: `rolling out ${version}`,
      summary: `deploy-gates is rolling out ${version} to ${this.o.environment}.${this.o.context.runUrl ? ` [Follow the run](${this.o.context.runUrl}).` : ''}`
    }
    if (found) {
      this.id = found.id
      this.owed = undefined
      await this.o.guard.run('check run', 'checks: write', () =>
        this.o.gh.rest.checks.update({
          ...this.repo,
          check_run_id: found.id,
          status: 'in_progress',
          started_at: new Date().toISOString(),
          ...(this.o.context.runUrl
            ? { details_url: this.o.context.runUrl }
            : {}),
          output
        })
      )
      return
    }
    const created = await this.o.guard.run('check run', 'checks: write', () =>
      this.o.gh.rest.checks.create({
        ...this.repo,
        name: this.name,
        head_sha: this.o.context.sha,
        external_id: this.externalId,
        status: 'in_progress',
        started_at: new Date().toISOString(),
        ...(this.o.context.runUrl
          ? { details_url: this.o.context.runUrl }
          : {}),
        output,
        ...NO_RETRY
      })
    )
    this.id = created?.data.id
    this.owed = this.id === undefined ? version : undefined
  }

  /** Writes the pending title now (the callers decide when it is news). */
  private async update(at: number): Promise<void> {
    if (this.id === undefined || this.pending === undefined) return
    this.lastUpdate = at
    this.startOwed = false
    const title = this.pending
    this.pending = undefined
    const id = this.id
    await this.o.guard.run('check run', 'checks: write', () =>
      this.o.gh.rest.checks.update({
        ...this.repo,
        check_run_id: id,
        output: {
          title,
          summary: `deploy-gates is rolling out to ${this.o.environment}: ${title}.`
        }
      })
    )
  }

  private async finish(
    report: Parameters<typeof renderMarkdown>[0]
  ): Promise<void> {
    if (this.id === undefined && this.owed !== undefined) {
      await this.start(this.owed)
      // One more try only.
      this.owed = undefined
    }
    if (this.id === undefined) return
    const id = this.id
    const summary = renderMarkdown(report, {
      maxChars: CHECK_LIMIT - 1_000,
      ...(this.o.context.runUrl ? { runUrl: this.o.context.runUrl } : {})
    })
    await this.o.guard.run('check run', 'checks: write', () =>
      this.o.gh.rest.checks.update({
        ...this.repo,
        check_run_id: id,
        status: 'completed',
        conclusion:
          this.manual && report.result === 'rolled-back'
            ? 'success'
            : conclusionOf(report.result),
        completed_at: new Date().toISOString(),
        output: {
          title: `${report.result}: ${report.reason}`.slice(0, 250),
          summary
        }
      })
    )
  }

  private async startGate(g: { gate: string; step?: number }): Promise<void> {
    const name = `${this.name} / ${stepName(g)}`
    const created = await this.o.guard.run('check run', 'checks: write', () =>
      this.o.gh.rest.checks.create({
        ...this.repo,
        name,
        head_sha: this.o.context.sha,
        external_id: `${this.externalId}:${stepName(g)}`,
        status: 'in_progress',
        started_at: new Date().toISOString(),
        ...NO_RETRY
      })
    )
    if (created) this.gateIds.set(stepName(g), created.data.id)
  }

  private async finishGate(r: GateReport): Promise<void> {
    const id = this.gateIds.get(stepName(r))
    if (id === undefined) return
    const conclusion: Conclusion =
      r.outcome === 'passed' || r.outcome === 'warned'
        ? 'success'
        : r.outcome === 'skipped'
          ? 'neutral'
          : 'failure'
    await this.o.guard.run('check run', 'checks: write', () =>
      this.o.gh.rest.checks.update({
        ...this.repo,
        check_run_id: id,
        status: 'completed',
        conclusion,
        completed_at: new Date().toISOString(),
        output: {
          title: `${stepName(r)} ${r.outcome}`,
          summary: r.reason.slice(0, CHECK_LIMIT - 100)
        }
      })
    )
  }
}
