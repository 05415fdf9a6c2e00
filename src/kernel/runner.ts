/**
 * How busy the machine running the rollout was. A GitHub runner is a shared
 * 2-4 core machine that often builds and tests in the same job: when the
 * client itself stalls, a sample's latency or timeout says nothing about the
 * service, so such samples are set aside on both tracks alike and the
 * report says how busy the runner was, with numbers.
 */
import { formatCount, formatLatency } from './format.js'

/** How busy the runner was over a window (a bake, a probe run). */
export interface RunnerLoad {
  /** Event-loop delay of this process, 99th percentile, in ms. */
  lagP99Ms: number
  /** The longest event-loop delay seen, in ms. */
  lagMaxMs: number
  /** CPU this process used, in percent of one core. */
  cpuPercent: number
  /** The machine's 1-minute load average per core (1 = every core busy). */
  loadPerCore: number
}

/** An open measurement of the runner over a stretch of time. */
export interface RunnerWindow {
  /** The load since the window opened, while it stays open. */
  current(): RunnerLoad
  /** The load since the window opened; closes it. */
  close(): RunnerLoad
}

/** The process's own view of how much it could run; injected like a clock. */
export interface RunnerHealth {
  /**
   * The longest stall of this process (event loop or CPU starvation) that
   * overlapped `[from, to]`, in monotonic ms of the probe clock; 0 if none.
   */
  stallDuring(from: number, to: number): number
  /** Starts measuring lag and CPU for a bake or a probe run. */
  window(): RunnerWindow
}

/**
 * A sample taken while the client stalled at least this long is set aside:
 * a stall adds up to its length to a latency, and on a 20 ms service a
 * 25 ms stall already doubles the measured value.
 */
export const RUNNER_STALL_MS = 25

/**
 * Whether a sample says more about the runner than the service: its
 * measurement overlapped a stall of the client at least RUNNER_STALL_MS
 * long. Such a sample is left out of every built-in metric, on both tracks
 * alike.
 */
export function isSetAside(sample: { runnerStallMs?: number }): boolean {
  return (sample.runnerStallMs ?? 0) >= RUNNER_STALL_MS
}

const IDLE: RunnerLoad = {
  lagP99Ms: 0,
  lagMaxMs: 0,
  cpuPercent: 0,
  loadPerCore: 0
}

/** A runner that never stalls: for tests on an injected clock. */
export const idleRunner: RunnerHealth = {
  stallDuring: () => 0,
  window: () => ({
    current: () => IDLE,
    close: () => IDLE
  })
}

/** Samples set aside because the client stalled, out of all taken. */
export interface SetAside {
  setAside: number
  taken: number
}

/**
 * The line reports and progress show when the runner was busy:
 * `runner busy: event-loop lag p99 480ms; 37 of 400 samples set aside`.
 * Empty when nothing was set aside and the lag stayed under the stall limit.
 */
export function runnerBusyText(load: RunnerLoad, samples: SetAside): string {
  if (samples.setAside === 0 && load.lagP99Ms < RUNNER_STALL_MS) return ''
  const parts = [`event-loop lag p99 ${formatLatency(load.lagP99Ms)}`]
  if (samples.setAside > 0) {
    parts.push(
      `${formatCount(samples.setAside)} of ${formatCount(samples.taken)} samples set aside`
    )
  }
  return `runner busy: ${parts.join('; ')}`
}
