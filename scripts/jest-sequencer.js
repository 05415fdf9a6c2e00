// Which suites jest starts first. With timings from an earlier run, jest
// starts the longest suites first; on a fresh clone it has none and falls
// back to file size, which starts the real-time rollout suites (small files
// over shared fixtures, a minute each, mostly waiting) last, so the run ends
// with one or two of them going on alone. Without timings, these start
// first. A suite missing from the list only loses its head start.
import Sequencer from '@jest/test-sequencer'

const LONG_FIRST = [
  '__tests__/action-github-outage.test.ts',
  '__tests__/action-github-jobs.test.ts',
  '__tests__/local-action.test.ts',
  '__tests__/examples/streaming-250-viewers.test.ts',
  '__tests__/action-github.test.ts',
  '__tests__/examples/websocket-app.test.ts',
  '__tests__/action-rerun.test.ts',
  '__tests__/action-outputs.test.ts',
  '__tests__/rollout/soak-watch.test.ts',
  '__tests__/probes/load.test.ts',
  '__tests__/probes/load-ws.test.ts',
  '__tests__/rollout/scenarios.test.ts',
  '__tests__/cli.test.ts',
  '__tests__/action-secret-forms.test.ts',
  '__tests__/rollout/hooks-confirm.test.ts'
]

const rank = (path) => {
  const i = LONG_FIRST.findIndex((p) => path.endsWith(p))
  return i === -1 ? LONG_FIRST.length : i
}

export default class LongFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests)
    if (sorted.some((t) => t.duration != null)) return sorted
    // Array.prototype.sort is stable: the rest keep jest's order.
    return [...sorted].sort((a, b) => rank(a.path) - rank(b.path))
  }
}
