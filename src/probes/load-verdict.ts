/**
 * The load verdict: judges an HTTP or WebSocket load result against the
 * probe's `expect:` block, one finding per condition, each with its n.
 */
import { compareOp, type Condition, type Quantity } from '../config/units.js'
import type { LoadResult, LoadWsResult } from './load-types.js'
import { formatCount, formatLatency, formatPercent } from '../kernel/format.js'
import { EMPTY_SUMMARY, type HistogramSummary } from '../kernel/histogram.js'

/** What a load probe must achieve; keys as the config writes them. */
export interface LoadExpect {
  'connect-rate'?: Condition
  'success-rate'?: Condition
  'error-rate'?: Condition
  p50?: Condition
  p90?: Condition
  p95?: Condition
  p99?: Condition
  rps?: Condition
  /** Pushed-message latency of WebSocket load (LoadWsResult.push). */
  'push-p50'?: Condition
  'push-p90'?: Condition
  'push-p95'?: Condition
  'push-p99'?: Condition
}

export interface LoadFinding {
  metric: keyof LoadExpect
  ok: boolean
  /** The measured value in the condition's unit (ms, ratio, req/s). */
  value: number
  n: number
  /** One line: `p95 412ms, expected < 100ms (n=6,000)`. */
  reason: string
}

export interface LoadVerdict {
  ok: boolean
  findings: LoadFinding[]
  /** The failed findings' reasons joined, or a summary of what passed. */
  reason: string
}

/** What evaluateLoad needs of an HTTP or a WebSocket load result. */
export interface LoadMeasures {
  /** Attempts the rates are counted over (requests or connections). */
  attempts: number
  errors: number
  connectRate?: { connected: number; attempted: number }
  /** The histogram percentiles are read from, and what it measures. */
  latency: HistogramSummary
  latencyLabel?: string
  rps?: { value: number; n: number }
  /** Latency of the messages the server pushed (WebSocket load). */
  push?: HistogramSummary
}

const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const

/**
 * Judges a load run against its `expect:` block. Percentiles come from the
 * corrected histogram, so a stall during the run fails the gate even when
 * the requests that did get through were fast. Every reason carries the n
 * it rests on, so a verdict from 12 samples reads as weak as it is.
 */
export function evaluateLoad(
  measures: LoadMeasures | LoadResult | LoadWsResult,
  expect: LoadExpect
): LoadVerdict {
  const m = !('kind' in measures)
    ? measures
    : measures.kind === 'load-http'
      ? httpMeasures(measures)
      : wsMeasures(measures)
  const findings: LoadFinding[] = []
  const rate = (
    metric: keyof LoadExpect,
    c: Condition,
    good: number,
    n: number
  ): void => {
    const value = n > 0 ? good / n : 0
    findings.push(judge(metric, c, value, n, percentQuantity))
  }
  const e = expect
  if (e['error-rate']) rate('error-rate', e['error-rate'], m.errors, m.attempts)
  if (e['success-rate']) {
    rate('success-rate', e['success-rate'], m.attempts - m.errors, m.attempts)
  }
  if (e['connect-rate']) {
    if (m.connectRate === undefined) {
      findings.push(notApplicable('connect-rate', 'WebSocket load'))
    } else {
      const { connected, attempted } = m.connectRate
      rate('connect-rate', e['connect-rate'], connected, attempted)
    }
  }
  for (const p of PERCENTILES) {
    const c = e[p]
    if (c === undefined) continue
    const label = m.latencyLabel ? `${p} ${m.latencyLabel}` : p
    findings.push(
      judge(p, c, m.latency[p], m.latency.n, durationQuantity, label)
    )
  }
  for (const p of PERCENTILES) {
    const key = `push-${p}` as const
    const c = e[key]
    if (c === undefined) continue
    if (m.push === undefined) {
      findings.push(notApplicable(key, 'WebSocket load'))
    } else {
      findings.push(judge(key, c, m.push[p], m.push.n, durationQuantity))
    }
  }
  if (e.rps) {
    if (m.rps === undefined) findings.push(notApplicable('rps', 'HTTP load'))
    else findings.push(judge('rps', e.rps, m.rps.value, m.rps.n, rpsQuantity))
  }
  const failed = findings.filter((f) => !f.ok)
  const reason =
    findings.length === 0
      ? 'no expectations'
      : failed.length > 0
        ? failed.map((f) => f.reason).join('; ')
        : findings.map((f) => f.reason).join('; ')
  return { ok: failed.length === 0, findings, reason }
}

function httpMeasures(r: LoadResult): LoadMeasures {
  return {
    attempts: r.requests,
    errors: r.errors,
    latency: r.corrected,
    rps: { value: r.achievedRps, n: r.completed }
  }
}

/**
 * For WebSocket load, percentiles are of the message round trip when the
 * probe sends messages, else of the connect time; `push-pNN` are of the
 * messages the server pushed; rates count connections that failed to open
 * or dropped before the end.
 */
function wsMeasures(r: LoadWsResult): LoadMeasures {
  const rtt = r.messagesSent > 0
  return {
    attempts: r.connections,
    errors: r.failed + r.dropped,
    connectRate: { connected: r.connected, attempted: r.connections },
    latency: rtt ? r.rtt : r.connect,
    latencyLabel: rtt ? 'rtt' : 'connect',
    push: r.push ?? EMPTY_SUMMARY
  }
}

function notApplicable(metric: keyof LoadExpect, what: string): LoadFinding {
  return {
    metric,
    ok: false,
    value: 0,
    n: 0,
    reason: `${metric} applies to ${what} only`
  }
}

interface Unit {
  kind: Quantity['kind']
  of(q: Quantity): number | undefined
  show(v: number): string
}

const percentQuantity: Unit = {
  kind: 'percent',
  of: (q) => (q.kind === 'percent' ? q.ratio : undefined),
  show: (v) => formatPercent(v)
}
const durationQuantity: Unit = {
  kind: 'duration',
  of: (q) => (q.kind === 'duration' ? q.ms : undefined),
  show: (v) => formatLatency(v)
}
const rpsQuantity: Unit = {
  kind: 'number',
  of: (q) => (q.kind === 'number' ? q.value : undefined),
  show: (v) => `${Number(v.toFixed(1))}/s`
}

function judge(
  metric: keyof LoadExpect,
  c: Condition,
  value: number,
  n: number,
  unit: Unit,
  label: string = metric
): LoadFinding {
  const counted = `(n=${formatCount(n)})`
  const base = { metric, value, n }
  if (
    c.kind !== 'compare' ||
    c.operand.kind === 'baseline-ratio' ||
    c.operand.kind === 'baseline-plus'
  ) {
    return {
      ...base,
      ok: false,
      reason: `${label}: condition '${c.text}' needs a baseline or trend, which a load probe has not`
    }
  }
  const limit = unit.of(c.operand)
  if (limit === undefined) {
    return {
      ...base,
      ok: false,
      reason: `${label}: condition '${c.text}' is not a ${unit.kind}`
    }
  }
  if (n === 0) {
    return {
      ...base,
      ok: false,
      reason: `${label} has no samples, expected ${c.text} ${counted}`
    }
  }
  const ok = compareOp(c.op, value, limit)
  return {
    ...base,
    ok,
    reason: `${label} ${unit.show(value)}, expected ${c.text} ${counted}`
  }
}
