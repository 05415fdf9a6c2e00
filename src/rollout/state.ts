/**
 * What a rollout has changed so far, on disk, so that a step that did not
 * finish (cancelled, runner killed, OOM) can still be rolled back: the
 * action's `post` step reads it and finishes the rollback the main step
 * could not. Writes are atomic (temp file, fsync, rename), so a crash at any
 * moment leaves either the old state or the new one, never half of one.
 *
 * A corrupt file is moved aside and reported with a StateCorruptError rather
 * than read as "no rollout": `undefined` tells the post step there is nothing
 * to undo, and silently skipping a rollback that may be needed is the worst
 * outcome. The caller sees the error, can fail loudly and still choose a
 * blind rollback (every rollback step is idempotent); moving the file aside
 * keeps it for a postmortem and lets the next run start clean.
 */
import { randomBytes } from 'node:crypto'
import * as fsp from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { errorMessage } from '../kernel/errors.js'
import { StateError } from '../kernel/errors.js'

export const STATE_VERSION = 1

export interface RolloutState {
  version: 1
  service: string
  environment: string
  rolloutVersion: string
  previousVersion?: string
  sha: string
  /** Epoch milliseconds. */
  startedAt: number
  updatedAt: number
  phase: 'running' | 'rolling-back' | 'done'
  changed: {
    migrated: boolean
    migrationReversible: boolean
    /**
     * The migration ran to the end and has not been reverted: a re-run of
     * the same version skips it. Absent in states saved before it existed.
     */
    migrationApplied?: boolean
    deployed: boolean
    /** Canary weight last set, 0 when traffic was never shifted. */
    trafficWeight: number
  }
  currentGate?: string
  currentStep?: number
  result?: string
  rollbackAttempts: number
}

/** Which rollout a state belongs to, from the run's values. */
export function stateIdentity(v: {
  service: string
  environment: string
  version: string
  previousVersion?: string
  sha: string
}): Pick<
  RolloutState,
  | 'version'
  | 'service'
  | 'environment'
  | 'rolloutVersion'
  | 'previousVersion'
  | 'sha'
> {
  return {
    version: STATE_VERSION,
    service: v.service,
    environment: v.environment,
    rolloutVersion: v.version,
    ...(v.previousVersion !== undefined
      ? { previousVersion: v.previousVersion }
      : {}),
    sha: v.sha
  }
}

export interface StateStore {
  /** The saved state, or undefined when no rollout left one. */
  load(): Promise<RolloutState | undefined>
  save(state: RolloutState): Promise<void>
  clear(): Promise<void>
}

/** The state file existed but could not be read as a rollout state. */
export class StateCorruptError extends StateError {
  constructor(
    message: string,
    readonly path: string,
    /** Where the bad file was moved, when the move succeeded. */
    readonly movedTo?: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'StateCorruptError'
  }
}

const stamp = z.number().int().nonnegative()
const text = z.string().min(1)

const StateSchema = z.object({
  version: z.literal(STATE_VERSION),
  service: text,
  environment: text,
  rolloutVersion: text,
  previousVersion: text.optional(),
  sha: z.string(),
  startedAt: stamp,
  updatedAt: stamp,
  phase: z.enum(['running', 'rolling-back', 'done']),
  changed: z.object({
    migrated: z.boolean(),
    migrationReversible: z.boolean(),
    migrationApplied: z.boolean().optional(),
    deployed: z.boolean(),
    trafficWeight: z.number().int().min(0).max(100)
  }),
  currentGate: z.string().optional(),
  currentStep: z.number().int().nonnegative().optional(),
  result: z.string().optional(),
  rollbackAttempts: z.number().int().nonnegative()
})

export interface FileStateDeps {
  /** Injected so tests can simulate a crash between write and rename. */
  rename?: (from: string, to: string) => Promise<void>
  /** Epoch ms for the `.corrupt-<ts>` suffix. */
  now?: () => number
}

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? errorMessage(e)
}

/** The first schema problem as `path: message`. */
function firstIssue(err: z.ZodError): string {
  const i = err.issues[0]
  const where = i.path.length > 0 ? `${i.path.join('.')}: ` : ''
  return `${where}${i.message}`
}

/** Best effort: makes the rename itself durable on filesystems that need it. */
async function syncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined
  try {
    fh = await fsp.open(dir, 'r')
    await fh.sync()
  } catch {
    // Not supported everywhere (and not needed on every filesystem).
  } finally {
    await fh?.close().catch(() => undefined)
  }
}

/**
 * A state store in one JSON file. `load` tolerates a missing file, ignores
 * temp files a crashed save left behind, and throws StateCorruptError (after
 * moving the file aside) for one it cannot trust.
 */
export function fileStateStore(
  path: string,
  deps: FileStateDeps = {}
): StateStore {
  const rename = deps.rename ?? fsp.rename
  const now = deps.now ?? Date.now
  const dir = dirname(path)
  const tmpPrefix = `${basename(path)}.tmp-`

  const corrupt = async (why: string, cause?: unknown): Promise<never> => {
    const aside = `${path}.corrupt-${now()}`
    let movedTo: string | undefined
    try {
      await fsp.rename(path, aside)
      movedTo = aside
    } catch {
      // Still refuse it; the message says it was not moved.
    }
    throw new StateCorruptError(
      `rollout state '${path}' is corrupt (${why}); ` +
        (movedTo
          ? `moved to '${movedTo}'`
          : 'could not move it aside, remove it by hand'),
      path,
      movedTo,
      { cause }
    )
  }

  return {
    async load(): Promise<RolloutState | undefined> {
      let raw: string
      try {
        raw = await fsp.readFile(path, 'utf8')
      } catch (e) {
        if (code(e) === 'ENOENT') return undefined
        throw new StateError(
          `cannot read rollout state '${path}': ${code(e)}`,
          {
            cause: e
          }
        )
      }
      let data: unknown
      try {
        data = JSON.parse(raw)
      } catch (e) {
        return corrupt(raw.trim() === '' ? 'empty file' : 'not valid JSON', e)
      }
      const v = (data as { version?: unknown } | null)?.version
      if (typeof v === 'number' && v !== STATE_VERSION) {
        // Written by another version of the action: not ours to move.
        throw new StateError(
          `rollout state '${path}' has version '${v}'; this action reads version ${STATE_VERSION}`
        )
      }
      const parsed = StateSchema.safeParse(data)
      if (!parsed.success) return corrupt(firstIssue(parsed.error))
      return parsed.data
    },

    async save(state: RolloutState): Promise<void> {
      const parsed = StateSchema.safeParse(state)
      if (!parsed.success) {
        throw new StateError(
          `refusing to save an invalid rollout state (${firstIssue(parsed.error)})`
        )
      }
      await fsp.mkdir(dir, { recursive: true })
      const tmp = join(
        dir,
        `${tmpPrefix}${process.pid}-${randomBytes(4).toString('hex')}`
      )
      try {
        const fh = await fsp.open(tmp, 'wx', 0o600)
        try {
          await fh.writeFile(`${JSON.stringify(parsed.data, null, 2)}\n`)
          await fh.sync()
        } finally {
          await fh.close()
        }
        await rename(tmp, path)
      } catch (e) {
        await fsp.rm(tmp, { force: true }).catch(() => undefined)
        throw new StateError(
          `cannot save rollout state '${path}': ${code(e)}`,
          {
            cause: e
          }
        )
      }
      await syncDir(dir)
    },

    async clear(): Promise<void> {
      await fsp.rm(path, { force: true })
      // Temp files of saves that crashed before their rename.
      let names: string[]
      try {
        names = await fsp.readdir(dir)
      } catch {
        return
      }
      await Promise.all(
        names
          .filter((n) => n.startsWith(tmpPrefix))
          .map((n) =>
            fsp.rm(join(dir, n), { force: true }).catch(() => undefined)
          )
      )
    }
  }
}
