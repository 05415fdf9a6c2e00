/**
 * A probe that is a shell command: its exit code is the verdict. Used for
 * checks no HTTP or WebSocket probe can express (a CLI smoke test, a query
 * against the database, `kubectl rollout status`).
 */
import { runCommand } from '../exec/runner.js'
import type { RunResult } from '../exec/runner.js'
import type { CommandProbeSpec } from './types.js'
import { systemClock } from '../kernel/clock.js'
import type { Clock } from '../kernel/clock.js'
import type { CommandSample } from '../kernel/sample.js'
import { preview } from '../redact/preview.js'

export interface CommandProbeOptions {
  /** Extra environment (`DEPLOY_GATES_*`) on top of the process's own. */
  env: Record<string, string | undefined>
  redact: (s: string) => string
  clock?: Clock
  run?: typeof runCommand
  signal?: AbortSignal
  cwd?: string
}

/** Lines of output kept in the sample's excerpt. */
const EXCERPT_LINES = 20
const EXCERPT_CHARS = 4000
/** Characters of the last output line appended to a failure reason. */
const REASON_DETAIL = 200

function lastLine(
  tail: readonly string[],
  redact: (s: string) => string
): string | undefined {
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i].trim()
    if (line !== '') return preview(line, REASON_DETAIL + 1, redact)
  }
  return undefined
}

/** The last lines, redacted together (a secret may span lines), then cut. */
function excerptOf(
  tail: readonly string[],
  redact: (s: string) => string
): string | undefined {
  if (tail.length === 0) return undefined
  const text = tail.slice(-EXCERPT_LINES).join('\n')
  return preview(text, EXCERPT_CHARS + 1, redact, { tail: true })
}

function verdict(
  spec: CommandProbeSpec,
  r: RunResult
): { ok: boolean; reason: string; error: boolean } {
  const name = `command '${spec.name}'`
  const exited = r.outcome === 'ok' || r.outcome === 'failed'
  if (exited && r.exitCode === spec.exitCode) {
    return { ok: true, reason: `${name} ${r.reason}`, error: false }
  }
  if (exited && r.exitCode !== null) {
    return {
      ok: false,
      reason: `${name} exited with code ${r.exitCode} (expected ${spec.exitCode})`,
      error: false
    }
  }
  if (exited) {
    return {
      ok: false,
      reason: `${name} ${r.reason} (expected exit code ${spec.exitCode})`,
      error: false
    }
  }
  if (r.outcome === 'spawn-error') {
    return {
      ok: false,
      reason: `${name} could not start: ${r.reason}`,
      error: true
    }
  }
  return { ok: false, reason: `${name} ${r.reason}`, error: true }
}

/**
 * Runs the probe once through the shared runner, so it gets the same
 * environment, timeout, process-group kill and redaction as every `run:`;
 * a failure reason ends with the last line of output, which is usually
 * the test runner's own summary.
 */
export async function runCommandProbe(
  spec: CommandProbeSpec,
  opts: CommandProbeOptions
): Promise<CommandSample> {
  const clock = opts.clock ?? systemClock
  const run = opts.run ?? runCommand
  const startedAt = clock.now()
  const result = await run({
    run: spec.run,
    env: opts.env,
    cwd: opts.cwd,
    timeoutMs: spec.timeoutMs,
    signal: opts.signal,
    redact: opts.redact,
    clock
  })
  const v = verdict(spec, result)
  const detail = v.ok ? undefined : lastLine(result.tail, opts.redact)
  const reason = detail === undefined ? v.reason : `${v.reason}: ${detail}`
  const sample: CommandSample = {
    probe: spec.name,
    kind: 'command',
    ok: v.ok,
    reason: opts.redact(reason),
    attempts: 1,
    startedAt,
    timings: { totalMs: result.durationMs }
  }
  if (v.error) sample.error = true
  const excerpt = excerptOf(result.tail, opts.redact)
  if (excerpt !== undefined) sample.excerpt = excerpt
  return sample
}
