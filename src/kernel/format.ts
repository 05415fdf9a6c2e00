/**
 * How numbers read in verdicts, progress lines and reports: one wording for
 * durations, latencies, counts and percentages wherever they are shown.
 */

/** Formats milliseconds the way users write them, for plans and verdicts. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) {
    const s = ms / 1000
    return `${Number.isInteger(s) ? s : s.toFixed(1)}s`
  }
  const parts: string[] = []
  let rest = Math.round(ms / 1000)
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1]
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
  }
  return parts.join('')
}

/**
 * Latencies as people read them in verdicts: `0.42ms`, `4.1ms`, `412ms`,
 * `1.41s`, `2m05s`. Loopback times would all be `0ms` with whole units.
 */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms)
  if (ms < 1) return `${Number(ms.toFixed(2))}ms`
  if (ms < 10) return `${Number(ms.toFixed(1))}ms`
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))}s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}

/** Counts with thousands separators, as in `n=6,000`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/** Ratios as percentages with the digits that matter: `0.42%`, `4.2%`, `42%`. */
export function formatPercent(ratio: number): string {
  const p = ratio * 100
  if (p === 0) return '0%'
  const digits = p >= 10 ? 1 : p >= 1 ? 2 : 3
  return `${Number(p.toFixed(digits))}%`
}
