/**
 * Why a load run failed, in words: the result of a run that never ran (a
 * bad spec, a load worker that died), and the one-line cause of an error.
 */
import type {
  LoadHttpSpec,
  LoadResult,
  LoadWsResult,
  LoadWsSpec
} from './load-types.js'
import { EMPTY_SUMMARY } from '../kernel/histogram.js'
import { preview } from '../redact/preview.js'

/**
 * A failed HTTP or WebSocket load result. Why a result and not a throw: a
 * load probe that cannot run is a failed gate with a reason in the report,
 * never a crash of the rollout.
 */
export function failedLoad(spec: LoadHttpSpec, reason: string): LoadResult
export function failedLoad(spec: LoadWsSpec, reason: string): LoadWsResult
export function failedLoad(
  spec: LoadHttpSpec | LoadWsSpec,
  reason: string
): LoadResult | LoadWsResult
export function failedLoad(
  spec: LoadHttpSpec | LoadWsSpec,
  reason: string
): LoadResult | LoadWsResult {
  if (spec.kind === 'load-http') {
    return {
      probe: spec.name,
      kind: 'load-http',
      ok: false,
      requests: 0,
      sent: 0,
      completed: 0,
      errors: 0,
      timeouts: 0,
      queued: 0,
      statusCounts: {},
      errorCounts: {},
      achievedRps: 0,
      corrected: EMPTY_SUMMARY,
      service: EMPTY_SUMMARY,
      durationMs: 0,
      maxInFlightSeen: 0,
      reason
    }
  }
  return {
    probe: spec.name,
    kind: 'load-ws',
    ok: false,
    connections: 0,
    connected: 0,
    failed: 0,
    dropped: 0,
    connectRate: 0,
    statusCounts: {},
    errorCounts: {},
    maxOpen: 0,
    connect: EMPTY_SUMMARY,
    rtt: EMPTY_SUMMARY,
    messagesSent: 0,
    messagesAnswered: 0,
    durationMs: 0,
    reason
  }
}

/** Characters of an error's first line kept until the reason is written. */
const CAUSE_KEPT = 4096
/** Characters of it the reason shows, cut after redaction. */
const CAUSE_SHOWN = 120

/**
 * An error's message as one line for a reason. Node's advice to try
 * `--use-system-ca` is cut: the probe's `tls.ca` is the way here. Kept
 * long (bounded) so the reason can redact it whole before `causeShown`
 * shortens it.
 */
export function causeText(message: string): string {
  return message
    .split('\n')[0]
    .replace(/; if the root CA is installed locally.*$/, '')
    .slice(0, CAUSE_KEPT)
}

/** A kept cause as the reason shows it: redacted, then cut. */
export function causeShown(
  cause: string | undefined,
  redact: (s: string) => string
): string | undefined {
  return cause === undefined ? undefined : preview(cause, CAUSE_SHOWN, redact)
}
