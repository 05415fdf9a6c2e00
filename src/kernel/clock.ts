/**
 * Time is injected everywhere so that bakes of minutes run in milliseconds in
 * tests; the real clock is the only place that reads the system timers.
 */
export interface Clock {
  /** Wall-clock epoch milliseconds, for timestamps in reports. */
  now(): number
  /** Monotonic milliseconds, for every duration and latency we measure. */
  monotonic(): number
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** The process's own clock: `Date.now` for stamps, `performance.now` for time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error)
        return
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason as Error)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
}
