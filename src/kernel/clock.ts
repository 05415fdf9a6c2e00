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

/**
 * The longest delay a Node timer holds; a longer one fires at once. Waits
 * derived from config durations (a bake stretched by `max-bake`) can pass
 * it, so longer sleeps are taken in pieces.
 */
const MAX_TIMER_MS = 2 ** 31 - 1

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
      let left = ms
      let timer: ReturnType<typeof setTimeout> | undefined
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason as Error)
      }
      const wait = (): void => {
        const piece = Math.min(left, MAX_TIMER_MS)
        left -= piece
        timer = setTimeout(() => {
          if (left > 0) return wait()
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }, piece)
      }
      wait()
      signal?.addEventListener('abort', onAbort, { once: true })
    })
}
