/**
 * Which latency a quantile metric judges, and each track's histograms of
 * the WebSocket measures (DESIGN.md §5: latency means one thing): `pNN` is
 * the request latency of HTTP probes; `ws-connect-pNN`,
 * `ws-first-message-pNN` and `ws-push-pNN` are what WebSocket and
 * Socket.IO probes measure, never their whole flow's duration.
 */
import { LatencyHistogram } from '../kernel/histogram.js'
import type { ProbeSample } from '../kernel/sample.js'

/** The latency a quantile metric is read from. */
export type LatencyOf = 'http' | WsLatency
export type WsLatency = 'ws-connect' | 'ws-first-message' | 'ws-push'

const WS_LATENCIES: readonly WsLatency[] = [
  'ws-connect',
  'ws-first-message',
  'ws-push'
]

/** What quantile methods read of one latency on one track. */
export interface Latencies {
  /** Values in the histogram. */
  readonly latN: number
  /** Values this look. */
  readonly lookLatN: number
  /** This look's values in arrival order, when kept. */
  readonly lookLat: Float64Array
  /** The value in ms at quantile q; NaN without values. */
  quantile(q: number): number
}

const NONE: readonly number[] = []

/**
 * The values a sample gives a latency: its request time for an HTTP probe
 * that got a response, its measures for a WebSocket probe that connected,
 * else none.
 */
export function latenciesOf(
  sample: ProbeSample,
  of: LatencyOf
): readonly number[] {
  if (sample.error === true) return NONE
  if (of === 'http') {
    const ms = sample.timings.totalMs
    const one = sample.kind === 'http' && sample.requests === undefined
    return one && ms >= 0 ? [ms] : NONE
  }
  const ws = sample.kind === 'websocket' ? sample.ws : undefined
  if (!ws) return NONE
  if (of === 'ws-connect') return [ws.connectMs]
  if (of === 'ws-first-message') {
    return ws.firstMessageMs === undefined ? NONE : [ws.firstMessageMs]
  }
  return ws.pushLatenciesMs ?? NONE
}

const INITIAL_LOOK_CAPACITY = 64

/** One latency's histogram for the bake and values for the current look. */
export class LatencyStore implements Latencies {
  latN = 0
  lookLatN = 0
  lookLat: Float64Array
  private histogram: LatencyHistogram | undefined
  private readonly keepLook: boolean

  constructor(keepLook: boolean) {
    this.keepLook = keepLook
    this.lookLat = new Float64Array(keepLook ? INITIAL_LOOK_CAPACITY : 0)
  }

  record(ms: number): void {
    if (!(ms >= 0)) return
    ;(this.histogram ??= new LatencyHistogram()).record(ms)
    this.latN++
    if (this.keepLook) {
      if (this.lookLatN === this.lookLat.length) {
        const grown = new Float64Array(this.lookLat.length * 2)
        grown.set(this.lookLat)
        this.lookLat = grown
      }
      this.lookLat[this.lookLatN] = ms
    }
    this.lookLatN++
  }

  endLook(): void {
    this.lookLatN = 0
  }

  reset(): void {
    this.latN = 0
    this.lookLatN = 0
    this.histogram?.reset()
  }

  quantile(q: number): number {
    if (this.latN === 0 || !this.histogram) return NaN
    return this.histogram.percentile(q * 100)
  }
}

/**
 * What a track measured beyond HTTP latency: samples by probe kind (so a
 * `pNN` without HTTP samples can say why) and the WebSocket measures.
 */
export class WsTrack {
  /** Samples of HTTP probes, and of WebSocket probes, failures included. */
  httpSamples = 0
  wsSamples = 0
  readonly stores: Record<WsLatency, LatencyStore>

  constructor(keepLook: boolean) {
    this.stores = {
      'ws-connect': new LatencyStore(keepLook),
      'ws-first-message': new LatencyStore(keepLook),
      'ws-push': new LatencyStore(keepLook)
    }
  }

  /** Counts the sample's kind; records its measures only when `timed`. */
  add(sample: ProbeSample, timed = true): void {
    if (sample.kind === 'http') this.httpSamples++
    if (sample.kind !== 'websocket') return
    this.wsSamples++
    if (!timed) return
    for (const of of WS_LATENCIES) {
      for (const ms of latenciesOf(sample, of)) this.stores[of].record(ms)
    }
  }

  endLook(): void {
    for (const of of WS_LATENCIES) this.stores[of].endLook()
  }

  reset(): void {
    this.httpSamples = 0
    this.wsSamples = 0
    for (const of of WS_LATENCIES) this.stores[of].reset()
  }
}

/** The q quantile of a look's values (nearest rank); NaN without any. */
export function lookQuantile(l: Latencies, q: number): number {
  if (l.lookLatN === 0) return NaN
  const sorted = l.lookLat.slice(0, l.lookLatN).sort()
  const rank = Math.max(1, Math.ceil(q * sorted.length))
  return sorted[rank - 1]
}
