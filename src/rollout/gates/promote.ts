/**
 * Promote: the user's command that makes the new version the stable one,
 * after the canary and the soak have passed.
 */
import { commandGate } from './command.js'

/** Runs the promote command; failed when it exits non-zero. */
export const promoteGate = commandGate('promote')
