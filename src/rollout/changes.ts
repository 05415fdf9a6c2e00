/**
 * What a rollout has changed so far (migration, deploy, traffic), which is
 * exactly what a rollback undoes, a hold refuses to undo, and the saved
 * state carries to a later job, a re-run or the post step.
 */
import type { RolloutState } from './state.js'

/** What the rollout changed, so rollback undoes exactly that. */
export interface Changes {
  migrated: boolean
  migrationReversible: boolean
  /** The revert already ran as part of a failed migrate gate. */
  migrationReverted: boolean
  /**
   * The migration ran to the end and nothing has reverted it since: a
   * re-run of the same version must not run it again.
   */
  migrationApplied: boolean
  deployed: boolean
  trafficWeight: number
}

/**
 * The changes as the saved state keeps them: what a later job, a re-run or
 * the post step must know to carry on or undo.
 */
export function changedOf(c: Changes): RolloutState['changed'] {
  return {
    migrated: c.migrated,
    migrationReversible: c.migrationReversible,
    migrationApplied: c.migrationApplied,
    deployed: c.deployed,
    trafficWeight: c.trafficWeight
  }
}

/** Anything at all to undo: a failure before this changed nothing. */
export function anythingChanged(c: {
  migrated: boolean
  deployed: boolean
  trafficWeight: number
}): boolean {
  return c.migrated || c.deployed || c.trafficWeight > 0
}

/**
 * A migration that ran, has no revert and was not reverted: rolling the
 * code back under it could break the service, so the rollout holds.
 */
export function irreversible(c: Changes): boolean {
  return c.migrated && !c.migrationReversible && !c.migrationReverted
}
