/**
 * The words every verdict is made of: which track was measured, what a gate
 * concluded, and each finding behind it with its numbers.
 */

/** One gate's verdict (DESIGN.md §4). */
export type Outcome =
  'passed' | 'warned' | 'failed' | 'inconclusive' | 'skipped' | 'held'

/** The two deployments a canary compares. */
export type Track = 'canary' | 'baseline'

/** What was measured, against what, on how many samples, and why it matters. */
export interface Finding {
  /** Metric or check name: `error-rate`, `p95`, `cpu`, `probe health`, ... */
  name: string
  level: 'ok' | 'warn' | 'fail' | 'no-data' | 'error'
  /** Measured value as shown to users: `4.2%`, `412ms`, `0.61`. */
  value?: string
  /** Baseline value for relative conditions. */
  baseline?: string
  /** The condition as written: `> 2x baseline`. */
  condition?: string
  /** Samples behind the value, per track where there are tracks. */
  n?: { canary: number; baseline?: number }
  /** One line: `p95 412ms > 2x baseline (180ms), n=1,204/1,198`. */
  reason: string
  /** How large a breach these samples could have detected. */
  detectable?: string
}
