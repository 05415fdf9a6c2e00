/**
 * The real I/O of a rollout: the system clock, bash, undici, ws and the
 * metric sources. Entries (action, CLI) build it; tests build their own.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { runCommand } from '../exec/runner.js'
import { httpSend } from '../http/send.js'
import { readMetricSource } from '../metrics/read.js'
import { runCommandProbe } from '../probes/command.js'
import { runHttpProbe } from '../probes/http.js'
import type { RolloutIo } from './context.js'
import type { Reporter } from './events.js'
import { systemClock } from '../kernel/clock.js'
import type { RunnerHealth } from '../kernel/runner.js'

/** Wires the production implementations behind the RolloutIo seam. */
export function realIo(opts: {
  workspace: string
  env: Record<string, string | undefined>
  reporters: Reporter[]
  warn: (message: string) => void
  /** The runner monitor the entry started (and closes). */
  runner?: RunnerHealth
  /** Back-pressure of the log that command output goes to. */
  logWritten?: () => Promise<void> | undefined
}): RolloutIo {
  return {
    ...(opts.runner ? { runner: opts.runner } : {}),
    ...(opts.logWritten ? { logWritten: opts.logWritten } : {}),
    clock: systemClock,
    probeClock: systemClock,
    env: opts.env,
    workspace: opts.workspace,
    readFile: (p) => readFileSync(path.resolve(opts.workspace, p), 'utf8'),
    runCommand,
    sendHttp: httpSend,
    runProbe: (spec, o) => {
      switch (spec.kind) {
        case 'http':
          return runHttpProbe(spec, {
            clock: o.clock,
            redact: o.redact,
            signal: o.signal,
            env: o.env,
            ...(o.deadline !== undefined ? { deadline: o.deadline } : {})
          })
        case 'http-flow':
          return import('../probes/http-flow.js').then((m) =>
            m.runHttpFlow(spec, {
              clock: o.clock,
              redact: o.redact,
              signal: o.signal,
              env: o.env,
              ...(o.mask ? { mask: o.mask } : {}),
              ...(o.deadline !== undefined ? { deadline: o.deadline } : {})
            })
          )
        case 'http-burst':
          return import('../probes/http-burst.js').then((m) =>
            m.runHttpBurst(spec, {
              clock: o.clock,
              redact: o.redact,
              signal: o.signal,
              env: o.env,
              ...(o.deadline !== undefined ? { deadline: o.deadline } : {})
            })
          )
        case 'websocket':
          // Loaded on first use: most rollouts start with HTTP probes.
          return import('../probes/websocket.js').then((m) =>
            m.runWebSocketProbe(spec, {
              clock: o.clock,
              redact: o.redact,
              signal: o.signal
            })
          )
        case 'command':
          return runCommandProbe(spec, {
            env: o.env,
            redact: o.redact,
            clock: o.clock,
            signal: o.signal,
            cwd: opts.workspace
          })
      }
    },
    readMetric: (spec, o) => readMetricSource(spec, o),
    runLoad: async (spec, expect, o) => {
      // Loaded on first use; the engine itself loads only in the worker.
      const [{ runLoadInWorker }, { evaluateLoad }] = await Promise.all([
        import('../probes/load-thread.js'),
        import('../probes/load-verdict.js')
      ])
      const result = await runLoadInWorker(spec, {
        redact: o.redact,
        signal: o.signal
      })
      const verdict = evaluateLoad(result, expect)
      return {
        // A run that never ran (bad spec, dead worker) fails even when the
        // probe expects nothing.
        ok: verdict.ok && result.ok !== false,
        reason: `${verdict.reason} (${result.reason})`
      }
    },
    reporters: opts.reporters,
    warn: opts.warn
  }
}
