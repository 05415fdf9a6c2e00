/**
 * Folds a rollout's log into one section per gate and one for the rollback,
 * each verdict line just after its section, so a folded log still shows
 * every outcome and a failed gate's findings.
 */
import type { Reporter, RolloutEvent } from '../rollout/events.js'
import { gateLabel } from '../report/markdown.js'
import type { Host } from './host.js'

export interface GroupedReporter extends Reporter {
  /** Ends a section left open by a run that threw. */
  close(): void
}

/** Wraps `inner` (the console reporter) without changing its lines. */
export function groupedReporter(host: Host, inner: Reporter): GroupedReporter {
  let open = false
  const close = (): void => {
    if (open) host.endGroup()
    open = false
  }
  const start = (title: string): void => {
    // Sections do not nest: a new one ends the one before.
    close()
    host.startGroup(title)
    open = true
  }
  return {
    async onEvent(e: RolloutEvent): Promise<void> {
      switch (e.type) {
        case 'gate-started':
          start(gateLabel(e.gate, e.step))
          break
        case 'rollback-started':
          start('rollback')
          break
        case 'gate-finished':
        case 'rollback-finished':
        case 'rollout-finished':
          close()
          break
        default:
          break
      }
      await inner.onEvent(e)
    },
    close
  }
}
