/**
 * Everything a running rollout needs, behind one module that only the
 * composition root (src/app/root.ts) imports; the entries load the root
 * lazily, so `validate` and `plan` never pay for probes and analysis.
 */
export { closeHttpDispatchers } from './http/dispatcher.js'
export { recoverRollout, runRollout } from './rollout/run.js'
export { realIo } from './rollout/real-io.js'
export { fileStateStore } from './rollout/state.js'
export { consoleReporter } from './report/console.js'
export { renderMarkdown } from './report/markdown.js'
export { toJsonReport } from './report/json.js'
export { notifyReporter } from './notify/reporter.js'
export { createRedactor } from './redact/redactor.js'
export { currentRollout, doraJson, doraMarkdown } from './github/dora.js'
