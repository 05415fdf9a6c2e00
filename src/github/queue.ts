/**
 * GitHub reporters run behind a queue: the rollout hands them an event and
 * goes on at once, so a slow or rate-limited API never delays a gate, and
 * a rollback never waits on GitHub. Events keep their order; `flush` waits
 * for the queue to drain, bounded by a deadline.
 */
import type { Reporter, RolloutEvent } from '../rollout/events.js'
import { errorMessage } from '../kernel/errors.js'

export class QueuedReporter implements Reporter {
  private tail: Promise<void> = Promise.resolve()
  private pending = 0

  constructor(
    private readonly inner: Reporter,
    private readonly warn: (message: string) => void
  ) {}

  onEvent(event: RolloutEvent): void {
    this.pending += 1
    this.tail = this.tail
      .then(() => this.inner.onEvent(event))
      .catch((e: unknown) => {
        this.warn(
          `GitHub reporting failed on '${event.type}': ${errorMessage(e)}`
        )
      })
      .finally(() => {
        this.pending -= 1
      })
  }

  /** Waits until every queued event is handled, or `ms` has passed. */
  async flush(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    })
    const done = this.tail.then(() => true)
    const ok = await Promise.race([done, timeout])
    clearTimeout(timer)
    if (!ok) {
      this.warn(
        `GitHub reporting still had ${this.pending} update(s) queued after ${Math.round(ms / 1000)}s; giving up on them (the job summary has the report)`
      )
    }
    return ok
  }
}
