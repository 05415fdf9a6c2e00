/**
 * The seam between the canary gate and whatever moves traffic: a user's
 * command or a webhook. A shifter sets an absolute weight and reports, in one
 * line, whether the load balancer took it; it never throws.
 */
import type { RenderValues } from '../config/interpolate.js'

export interface ShiftContext {
  /** The DEPLOY_GATES_* values commands see; the weight is added per shift. */
  env: Record<string, string>
  /** Values for webhook templates; `builtins.weight` is set to the weight. */
  values: RenderValues
  signal?: AbortSignal
  /** Masks known secrets in every reason and output line. */
  redact: (s: string) => string
  /** Live output of a traffic command, already redacted. */
  onLine?: (line: string) => void
  /**
   * Secrets met while rendering a webhook, so the caller can add them to
   * the run's redactor before anything else prints.
   */
  onSecrets?: (secrets: string[]) => void
}

export interface ShiftResult {
  ok: boolean
  /** One line: `traffic set to 25% (exit 0, 1.2s)`; never holds a secret. */
  reason: string
  durationMs: number
  /** Last output lines of a traffic command, already redacted. */
  logTail?: string[]
}

export interface TrafficShifter {
  /**
   * Sets the canary's share of traffic to `weight` percent (0-100). The call
   * must be idempotent: it may be retried, and rollback repeats it.
   */
  shift(weight: number, ctx: ShiftContext): Promise<ShiftResult>
}

/** Why a weight cannot be sent, or undefined when it is a whole 0-100. */
export function invalidWeight(weight: number): string | undefined {
  if (Number.isInteger(weight) && weight >= 0 && weight <= 100) return undefined
  return `invalid traffic weight '${String(weight)}' (expected a whole number 0-100)`
}
