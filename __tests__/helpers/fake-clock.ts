/**
 * A clock for bakes of minutes that run in milliseconds: time moves only
 * when someone sleeps. Real I/O still happens; only waiting is skipped.
 */
import type { Clock } from '../../src/kernel/clock.js'

export class FakeClock implements Clock {
  private t = 0
  constructor(private readonly epoch = Date.parse('2026-11-24T10:30:00Z')) {}

  now(): number {
    return this.epoch + this.t
  }

  monotonic(): number {
    return this.t
  }

  /** Advances time by `ms` and yields to pending I/O once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error)
    this.t += Math.max(0, ms)
    return new Promise((resolve) => setImmediate(resolve))
  }

  advance(ms: number): void {
    this.t += ms
  }
}
