/**
 * Watches this process's own ability to run: a short ticker records every
 * stall of the event loop (a blocked loop or a process the kernel did not
 * schedule, as on a loaded 2-core runner) with when it happened, so a probe
 * sample can be asked whether its measurement overlapped one; Node's
 * event-loop delay histogram and the process's CPU time give each bake the
 * numbers its report shows.
 */
import { availableParallelism, loadavg } from 'node:os'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import type {
  RunnerHealth,
  RunnerLoad,
  RunnerWindow
} from '../kernel/runner.js'

/** How often the ticker looks; a stall is a tick that came this much late. */
const TICK_MS = 10
/** Stalls shorter than this are scheduling noise and not kept. */
const KEEP_STALL_MS = 5
/** Stalls kept for lookups; a probe asks right after its sample ends. */
const MAX_STALLS = 4096

interface Stall {
  from: number
  to: number
}

export interface RunnerMonitor extends RunnerHealth {
  /** Stops the ticker; the process can then exit. */
  close(): void
}

/**
 * Starts watching. The ticker is unref'd and costs one timer every 10 ms;
 * `now` must be the probe clock's monotonic time (performance.now).
 */
export function startRunnerMonitor(
  now: () => number = () => performance.now()
): RunnerMonitor {
  const stalls: Stall[] = []
  let last = now()
  const timer = setInterval(() => {
    const t = now()
    if (t - last - TICK_MS >= KEEP_STALL_MS) {
      stalls.push({ from: last + TICK_MS, to: t })
      if (stalls.length > MAX_STALLS)
        stalls.splice(0, stalls.length - MAX_STALLS)
    }
    last = t
  }, TICK_MS)
  timer.unref()

  const longestStallSince = (from: number): number => {
    let longest = 0
    for (let i = stalls.length - 1; i >= 0; i--) {
      const s = stalls[i]
      if (s.to < from) break
      longest = Math.max(longest, s.to - Math.max(s.from, from))
    }
    return longest
  }

  return {
    stallDuring(from, to) {
      // A stall still going on shows only when the ticker comes back, and
      // the sample's callback ran after it: count the time since the last
      // tick as a possible stall too.
      let longest = Math.max(
        0,
        Math.min(now(), to) - Math.max(last, from) - TICK_MS
      )
      for (let i = stalls.length - 1; i >= 0; i--) {
        const s = stalls[i]
        if (s.to < from) break
        if (s.from <= to) longest = Math.max(longest, s.to - s.from)
      }
      return longest
    },
    window(): RunnerWindow {
      const lag = monitorEventLoopDelay({ resolution: TICK_MS })
      lag.enable()
      const cpu = process.cpuUsage()
      const started = now()
      const read = (): RunnerLoad => {
        const used = process.cpuUsage(cpu)
        const wall = Math.max(1, now() - started)
        const ms = (ns: number): number => (Number.isFinite(ns) ? ns / 1e6 : 0)
        // The histogram counts its own resolution as delay; take it off.
        const over = (ns: number): number =>
          lag.count > 0 ? Math.max(0, ms(ns) - TICK_MS) : 0
        // The histogram's own timer can miss a stall on a starved process
        // (it fires once when the loop comes back and may record little),
        // so the ticker's stalls in this window bound the maximum too.
        return {
          lagP99Ms: over(lag.percentile(99)),
          lagMaxMs: Math.max(over(lag.max), longestStallSince(started)),
          cpuPercent: ((used.user + used.system) / 1000 / wall) * 100,
          loadPerCore: loadavg()[0] / availableParallelism()
        }
      }
      return {
        current: read,
        close(): RunnerLoad {
          const load = read()
          lag.disable()
          return load
        }
      }
    },
    close() {
      clearInterval(timer)
    }
  }
}
