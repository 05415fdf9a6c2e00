/**
 * GitHub Deployments: one deployment per rollout (environment, commit,
 * payload with the version), statuses as it progresses, and the history that
 * answers "what was the last good version?" for rollbacks. The deployment's
 * statuses also carry what the rollout changed, so each gate can run in its
 * own job and the rollback job knows what to undo (DESIGN.md §2, shape 2).
 */
import type { GitHub } from './client.js'
import { NO_RETRY } from './client.js'
import type { GitHubContext } from './context.js'
import type { Guard } from './guard.js'
import type { RolloutState, StateStore } from '../rollout/state.js'
import type {
  Reporter,
  RolloutEvent,
  RolloutResult
} from '../rollout/events.js'

const TOOL = 'deploy-gates'

/** One status of a deployment's statuses (newest first). */
export type ListedStatus = Awaited<
  ReturnType<GitHub['rest']['repos']['listDeploymentStatuses']>
>['data'][number]

/** One deployment of a listing, as Octokit types it. */
export type ListedDeployment = Awaited<
  ReturnType<GitHub['rest']['repos']['listDeployments']>
>['data'][number]

export interface DeploymentPayload {
  tool: typeof TOOL
  service: string
  version: string
  previousVersion?: string
  configDigest?: string
  /** The workflow run rolling it out: who holds the environment. */
  run?: string
}

type StatusState =
  'queued' | 'in_progress' | 'success' | 'failure' | 'inactive' | 'error'

/** The deployment status a rollout result ends with. */
export function statusOf(result: RolloutResult): StatusState {
  switch (result) {
    case 'promoted':
    case 'passed':
      return 'success'
    case 'paused':
      return 'in_progress'
    case 'rolled-back':
      return 'inactive'
    default:
      return 'failure'
  }
}

/**
 * `dg1 m1 r0 a1 d1 w25 running`: what changed, in a status description, so
 * a job on another runner (or a re-run) knows it. `a` (the migration is
 * applied) is optional when reading: statuses written before it lack it.
 */
export function encodeChanges(s: RolloutState): string {
  const b = (x: boolean | undefined): string => (x ? '1' : '0')
  const c = s.changed
  return `dg1 m${b(c.migrated)} r${b(c.migrationReversible)} a${b(c.migrationApplied)} d${b(c.deployed)} w${c.trafficWeight} ${s.phase}${s.result ? ` ${s.result}` : ''}`
}

export function decodeChanges(
  text: string | null | undefined
): Pick<RolloutState, 'changed' | 'phase' | 'result'> | undefined {
  const m =
    /^dg1 m([01]) r([01])(?: a([01]))? d([01]) w(\d{1,3}) (running|rolling-back|done)(?: (\S+))?/.exec(
      text ?? ''
    )
  if (!m) return undefined
  return {
    changed: {
      migrated: m[1] === '1',
      migrationReversible: m[2] === '1',
      migrationApplied: m[3] === '1',
      deployed: m[4] === '1',
      trafficWeight: Number(m[5])
    },
    phase: m[6] as RolloutState['phase'],
    ...(m[7] ? { result: m[7] } : {})
  }
}

export interface DeploymentsOptions {
  gh: GitHub
  context: GitHubContext
  guard: Guard
  service: string
  environment: string
  version: string
  previousVersion?: string
  configDigest?: string
  environmentUrl?: string
}

/**
 * The rollout's deployment: found (jobs of one rollout share it) or
 * created on first use, then given statuses.
 */
export class Deployments {
  private id: number | undefined
  private ensuring: Promise<number | undefined> | undefined
  private lastDescription: string | undefined
  private absent = false

  constructor(private readonly o: DeploymentsOptions) {}

  private get repo(): { owner: string; repo: string } {
    return { owner: this.o.context.owner, repo: this.o.context.repo }
  }

  /**
   * This rollout's deployment: same commit, environment and version.
   * `ok: false` when the lookup failed: whether one exists is unknown. A
   * listing of the environment already read (newest first) saves the call.
   */
  private async lookup(
    listed?: readonly ListedDeployment[]
  ): Promise<{ ok: boolean; id?: number }> {
    if (this.id !== undefined) return { ok: true, id: this.id }
    const data =
      listed ??
      (
        await this.o.guard.run('deployment', 'deployments: read', () =>
          this.o.gh.rest.repos.listDeployments({
            ...this.repo,
            sha: this.o.context.sha,
            environment: this.o.environment,
            per_page: 10
          })
        )
      )?.data
    if (data === undefined) return { ok: false }
    const hit = data.find((d) => {
      const p = d.payload as Partial<DeploymentPayload> | string
      return (
        d.sha === this.o.context.sha &&
        typeof p === 'object' &&
        p.tool === TOOL &&
        p.version === this.o.version
      )
    })
    this.id = hit?.id
    return { ok: true, ...(hit ? { id: hit.id } : {}) }
  }

  /**
   * Finds this rollout's deployment in a listing of the environment (or by
   * asking), creating it when there is none, and says which it was. A
   * listing cut short (30 newest) may miss an old one: then it asks.
   */
  async begin(
    listed: readonly ListedDeployment[] | undefined
  ): Promise<{ id?: number; created: boolean }> {
    // The environment could not be read: neither can this lookup now, and
    // its retries would only delay the first gate. The first status tries
    // again, in the background.
    if (listed === undefined) return { created: false }
    const inList = listed.length < 30 ? await this.lookup(listed) : undefined
    if (inList?.id !== undefined) return { id: inList.id, created: false }
    const found = inList ?? (await this.lookup())
    if (!found.ok || found.id !== undefined) {
      return {
        ...(found.id !== undefined ? { id: found.id } : {}),
        created: false
      }
    }
    // Just looked: none. The create need not look again.
    this.absent = true
    const id = await this.ensure()
    return { ...(id !== undefined ? { id } : {}), created: id !== undefined }
  }

  /**
   * The deployment found or created so far, without asking GitHub: the
   * step's `deployment-id` output must not cost a request.
   */
  known(): number | undefined {
    return this.id
  }

  /** This rollout's deployment, when it exists and the lookup worked. */
  async find(): Promise<number | undefined> {
    return (await this.lookup()).id
  }

  /**
   * Finds or creates the deployment. One at a time: statuses posted
   * together must not each create one. Never creates after a failed
   * lookup, which could duplicate the deployment an earlier attempt made;
   * the next status tries again.
   */
  ensure(): Promise<number | undefined> {
    this.ensuring ??= this.findOrCreate().finally(() => {
      this.ensuring = undefined
    })
    return this.ensuring
  }

  private async findOrCreate(): Promise<number | undefined> {
    const found: { ok: boolean; id?: number } = this.absent
      ? { ok: true }
      : await this.lookup()
    this.absent = false
    if (!found.ok || found.id !== undefined) return found.id
    const payload: DeploymentPayload = {
      tool: TOOL,
      service: this.o.service,
      version: this.o.version,
      ...(this.o.previousVersion
        ? { previousVersion: this.o.previousVersion }
        : {}),
      ...(this.o.configDigest ? { configDigest: this.o.configDigest } : {}),
      ...(this.o.context.runUrl ? { run: this.o.context.runUrl } : {})
    }
    const res = await this.o.guard.run('deployment', 'deployments: write', () =>
      this.o.gh.rest.repos.createDeployment({
        ...this.repo,
        ref: this.o.context.sha,
        environment: this.o.environment,
        description: `${this.o.service} ${this.o.version}`.slice(0, 140),
        auto_merge: false,
        required_contexts: [],
        payload: payload as unknown as Record<string, unknown>,
        ...NO_RETRY
      })
    )
    const data = res?.data as { id?: number } | undefined
    this.id = typeof data?.id === 'number' ? data.id : undefined
    return this.id
  }

  /** Posts a status; skipped when it would repeat the last one. */
  async status(state: StatusState, description: string): Promise<void> {
    const id = await this.ensure()
    if (id === undefined) return
    const key = `${state}:${description}`
    if (key === this.lastDescription) return
    this.lastDescription = key
    await this.o.guard.run('deployment', 'deployments: write', () =>
      this.o.gh.rest.repos.createDeploymentStatus({
        ...this.repo,
        deployment_id: id,
        state,
        description: description.slice(0, 140),
        ...(this.o.context.runUrl ? { log_url: this.o.context.runUrl } : {}),
        ...(this.o.environmentUrl
          ? { environment_url: this.o.environmentUrl }
          : {}),
        auto_inactive: state === 'success'
      })
    )
  }

  /** The latest deploy-gates status description of this rollout. */
  async latestChanges(): Promise<ReturnType<typeof decodeChanges>> {
    const id = await this.find()
    if (id === undefined) return undefined
    const res = await this.o.guard.run('deployment', 'deployments: read', () =>
      this.o.gh.rest.repos.listDeploymentStatuses({
        ...this.repo,
        deployment_id: id,
        per_page: 20
      })
    )
    for (const s of res?.data ?? []) {
      const decoded = decodeChanges(s.description)
      if (decoded) return decoded
    }
    return undefined
  }
}

/** Reporter: the deployment ends with the rollout's verdict. */
export class DeploymentsReporter implements Reporter {
  constructor(private readonly d: Deployments) {}

  async onEvent(e: RolloutEvent): Promise<void> {
    // In-progress statuses come from DeploymentStateStore as things change.
    if (e.type === 'rollout-finished') {
      await this.d.status(
        statusOf(e.report.result),
        `${e.report.result}: ${e.report.reason}`
      )
    }
  }
}

/**
 * A state store that keeps the file store (fast, for the post step) and
 * mirrors what changed into deployment statuses, so later jobs of the same
 * rollout and the rollback job can read it. Writes only when the changes
 * or the phase differ from what was last mirrored.
 */
export class DeploymentStateStore implements StateStore {
  private mirrored: string | undefined
  /** Mirroring runs in the background: saving never waits on GitHub. */
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly file: StateStore,
    private readonly d: Deployments,
    private readonly base: Omit<
      RolloutState,
      'changed' | 'phase' | 'result' | 'updatedAt'
    >
  ) {}

  async load(): Promise<RolloutState | undefined> {
    const local = await this.file.load()
    if (local) return local
    const remote = await this.d.latestChanges()
    if (!remote) return undefined
    return {
      ...this.base,
      ...remote,
      updatedAt: this.base.startedAt
    }
  }

  async save(state: RolloutState): Promise<void> {
    await this.file.save(state)
    const text = encodeChanges(state)
    if (text === this.mirrored) return
    this.mirrored = text
    const ended = state.phase === 'done'
    const status =
      ended && state.result
        ? statusOf(state.result as RolloutResult)
        : 'in_progress'
    this.chain = this.chain
      .then(() => this.d.status(status, text))
      .catch(() => undefined)
  }

  /** Resolves once every mirrored status has been sent (or failed). */
  settled(): Promise<void> {
    return this.chain
  }

  async clear(): Promise<void> {
    await this.file.clear()
  }
}

/**
 * The last version that reached `success` in the environment, skipping the
 * commit being rolled out: the default rollback target.
 */
export async function previousSuccessfulVersion(
  gh: GitHub,
  context: GitHubContext,
  guard: Guard,
  environment: string,
  listed?: () => Promise<readonly ListedDeployment[] | undefined>,
  statusesOf?: (id: number) => Promise<readonly ListedStatus[] | undefined>
): Promise<string | undefined> {
  const list = listed
    ? await listed()
    : (
        await guard.run('deployment history', 'deployments: read', () =>
          gh.rest.repos.listDeployments({
            owner: context.owner,
            repo: context.repo,
            environment,
            per_page: 30
          })
        )
      )?.data
  for (const d of list ?? []) {
    if (d.sha === context.sha) continue
    const statuses = statusesOf
      ? await statusesOf(d.id)
      : (
          await guard.run('deployment history', 'deployments: read', () =>
            gh.rest.repos.listDeploymentStatuses({
              owner: context.owner,
              repo: context.repo,
              deployment_id: d.id,
              per_page: 10
            })
          )
        )?.data
    if (statuses?.some((s) => s.state === 'success')) {
      const p = d.payload as Partial<DeploymentPayload> | string
      return typeof p === 'object' && typeof p.version === 'string'
        ? p.version
        : d.sha.slice(0, 7)
    }
  }
  return undefined
}
