/**
 * Deploy: the user's deploy command. The rollout counts as deployed before
 * the command starts, so a failure (or a killed run) rolls it back.
 */
import { commandGate } from './command.js'

/** Runs the deploy command; failed when it exits non-zero. */
export const deployGate = commandGate('deploy', { deployed: true })
