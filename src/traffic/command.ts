/**
 * Traffic shifting through the user's own command. The weight reaches the
 * command only as `$DEPLOY_GATES_WEIGHT`: the command text is run exactly as
 * written, so no value (weight, version, anything from an event) can become
 * shell code.
 */
import { runCommand } from '../exec/runner.js'
import type { RunResult } from '../exec/runner.js'
import {
  invalidWeight,
  type ShiftContext,
  type ShiftResult,
  type TrafficShifter
} from './types.js'
import { formatDuration } from '../kernel/format.js'

export interface CommandShifterDeps {
  run?: typeof runCommand
  /** Working directory of the command (the workspace). */
  cwd?: string
}

const LAST_LINE_CHARS = 200

function lastLine(tail: readonly string[]): string | undefined {
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i].trim()
    if (line !== '') {
      return line.length > LAST_LINE_CHARS
        ? `${line.slice(0, LAST_LINE_CHARS)}…`
        : line
    }
  }
  return undefined
}

function reasonFor(weight: number, r: RunResult): string {
  if (r.outcome === 'ok') {
    return `traffic set to ${weight}% (exit 0, ${formatDuration(r.durationMs)})`
  }
  const line = lastLine(r.tail)
  return `traffic command ${r.reason}${line ? `: ${line}` : ''}`
}

/**
 * A shifter that runs `run` in `bash -e -o pipefail` with the weight in the
 * environment, and trusts its exit code: the command is the only thing that
 * knows whether the load balancer accepted the weight, so it must exit
 * non-zero when it did not.
 */
export function commandShifter(
  run: string,
  timeoutMs: number,
  deps: CommandShifterDeps = {}
): TrafficShifter {
  const exec = deps.run ?? runCommand
  return {
    async shift(weight: number, ctx: ShiftContext): Promise<ShiftResult> {
      const bad = invalidWeight(weight)
      if (bad) return { ok: false, reason: bad, durationMs: 0 }
      const r = await exec({
        run,
        env: { ...ctx.env, DEPLOY_GATES_WEIGHT: String(weight) },
        ...(deps.cwd !== undefined ? { cwd: deps.cwd } : {}),
        timeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        redact: ctx.redact,
        onLine: (line) => ctx.onLine?.(line)
      })
      return {
        ok: r.outcome === 'ok',
        reason: ctx.redact(reasonFor(weight, r)),
        durationMs: r.durationMs,
        logTail: r.tail
      }
    }
  }
}
