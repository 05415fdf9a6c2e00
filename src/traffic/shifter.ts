/**
 * Picks the traffic shifter a canary config asks for: its `run` command or
 * its `http` webhook (the config rules guarantee exactly one).
 */
import type { CanaryConfig } from '../config/schema.js'
import { commandShifter, type CommandShifterDeps } from './command.js'
import type { TrafficShifter } from './types.js'
import { webhookShifter, type WebhookShifterDeps } from './webhook.js'
import { ConfigError } from '../kernel/errors.js'

export type { ShiftContext, ShiftResult, TrafficShifter } from './types.js'
export { commandShifter } from './command.js'
export { webhookShifter, WEBHOOK_DEFAULT_ATTEMPTS } from './webhook.js'
export type { TrafficWebhookConfig } from './webhook.js'

/** Time limit of a traffic command when `traffic.timeout` is not given. */
export const TRAFFIC_COMMAND_TIMEOUT_MS = 5 * 60_000

export type ShifterDeps = CommandShifterDeps & WebhookShifterDeps

/**
 * One place decides how traffic moves, so the canary gate and rollback
 * shift it the same way. Throws only on a config the schema rules reject.
 */
export function shifterFor(
  canary: Pick<CanaryConfig, 'traffic'>,
  deps: ShifterDeps = {}
): TrafficShifter {
  const t = canary.traffic
  if (t.run !== undefined) {
    return commandShifter(t.run, t.timeout ?? TRAFFIC_COMMAND_TIMEOUT_MS, deps)
  }
  if (t.http !== undefined) return webhookShifter(t.http, deps, t.timeout)
  throw new ConfigError(
    "traffic needs exactly one of 'run' (a command) or 'http' (a webhook)"
  )
}
