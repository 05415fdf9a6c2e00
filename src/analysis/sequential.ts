/**
 * Always-valid one-sided sequential tests for a Bernoulli stream: the math
 * core of early decisions. Looking at a fixed-n test after every batch
 * inflates false alarms (ten looks at 1% can fail a healthy canary ~5% of
 * the time); these tests may be looked at as often as one likes.
 *
 * The construction (a discrete-mixture likelihood-ratio martingale):
 *
 * - H0 for side `above` is `p <= p0` (for `below`, `p >= p0`). Take J
 *   alternatives p_1..p_J on that side of p0, each with weight 1/J.
 * - For one alternative the likelihood ratio after s successes in n trials
 *   is L_j = (p_j/p0)^s ((1-p_j)/(1-p0))^(n-s). Under any p <= p0 each
 *   factor has expectation p p_j/p0 + (1-p)(1-p_j)/(1-p0) <= 1 (it is
 *   linear in p and equals 1 at p = p0), so L_j is a nonnegative
 *   supermartingale starting at 1, and so is the mixture M = sum w_j L_j.
 * - Ville's inequality: P(M_n >= 1/alpha for SOME n) <= alpha. So
 *   "reject H0 once M >= 1/alpha" keeps the false-rejection rate at or
 *   below alpha at every look, however many looks and whenever they are.
 *
 * The alternatives are spaced geometrically in odds, from p0 to
 * 1 - (1-p0)/50 for `above` and from p0 to p0/50 for `below`, so the grid
 * is fine near p0 where small breaches live, on both sides of 1/2. Each
 * alternative is stored as its odds ratio r_j = odds(p_j)/odds(p0), which
 * also lets a batch be tested against its own null p0' (the relative-rate
 * test needs that): with D = 1 - p0' + r p0', a batch of s successes in n
 * trials multiplies L_j by r^s / D^n, whose expectation is again <= 1
 * under p <= p0'. The state is the J log-ratios, updated in log space:
 * O(grid), not O(n).
 */

export type Side = 'above' | 'below'

export const DEFAULT_GRID_SIZE = 32
/** How far the grid reaches: to p0/50 below, or 1 - (1-p0)/50 above. */
const REACH = 50
const BISECTIONS = 60

// Module-level aliases: the per-look loops skip global lookups, which are
// slow in vm contexts such as Jest's.
const { exp, log } = Math

type Degenerate = 'none' | 'any-success' | 'any-failure' | 'never'

function odds(p: number): number {
  return p / (1 - p)
}

export class MixtureTest {
  readonly p0: number
  readonly side: Side
  readonly alpha: number
  /** ln(1/alpha): the mixture rejects H0 once its log reaches this. */
  readonly logThreshold: number
  private readonly degenerate: Degenerate
  private readonly logR: Float64Array
  private readonly logA: Float64Array
  private readonly logB: Float64Array
  private readonly logW: number
  private readonly llr: Float64Array
  private trials = 0
  private hits = 0
  private crossed = false

  constructor(p0: number, side: Side, alpha: number, size = DEFAULT_GRID_SIZE) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new RangeError(`alpha must be in (0, 1), got '${alpha}'`)
    }
    if (!(p0 >= 0 && p0 <= 1)) {
      throw new RangeError(`p0 must be in [0, 1], got '${p0}'`)
    }
    if (!(Number.isInteger(size) && size >= 1)) {
      throw new RangeError(
        `grid size must be a positive integer, got '${size}'`
      )
    }
    this.p0 = p0
    this.side = side
    this.alpha = alpha
    this.logThreshold = log(1 / alpha)
    this.degenerate =
      p0 <= 0
        ? side === 'above'
          ? 'any-success'
          : 'never'
        : p0 >= 1
          ? side === 'below'
            ? 'any-failure'
            : 'never'
          : 'none'
    this.logW = -log(size)
    this.logR = new Float64Array(size)
    this.logA = new Float64Array(size)
    this.logB = new Float64Array(size)
    this.llr = new Float64Array(size)
    if (this.degenerate !== 'none') return
    const far = side === 'above' ? 1 - (1 - p0) / REACH : p0 / REACH
    const logFar = log(odds(far) / odds(p0))
    for (let j = 0; j < size; j++) {
      const logR = (logFar * (j + 1)) / size
      const logD = log(1 - p0 + exp(logR) * p0)
      this.logR[j] = logR
      this.logA[j] = logR - logD
      this.logB[j] = -logD
    }
  }

  /** Trials seen so far. */
  get n(): number {
    return this.trials
  }

  get successes(): number {
    return this.hits
  }

  /** The alternatives p_j at the nominal p0 (for docs and tests). */
  alternatives(): number[] {
    const o = odds(this.p0)
    return Array.from(this.logR, (lr) => {
      const oj = o * exp(lr)
      return oj / (1 + oj)
    })
  }

  /** One observation: `true` is a success (an error, an exceedance...). */
  observe(x: boolean): void {
    this.observeCounts(x ? 1 : 0, 1)
  }

  /**
   * A batch of `successes` in `trials`. With `p0` given, the batch is
   * tested against that null instead of the nominal one (same odds-ratio
   * alternatives); a batch whose null is 0 or 1 carries no information and
   * is skipped.
   */
  observeCounts(successes: number, trials: number, p0?: number): void {
    if (!(trials > 0)) return
    if (!(successes >= 0 && successes <= trials)) {
      throw new RangeError(
        `successes must be in [0, ${trials}], got '${successes}'`
      )
    }
    if (p0 !== undefined && p0 !== this.p0) {
      if (!(p0 > 0 && p0 < 1) || this.degenerate !== 'none') return
      this.trials += trials
      this.hits += successes
      for (let j = 0; j < this.llr.length; j++) {
        const logD = log(1 - p0 + exp(this.logR[j]) * p0)
        this.llr[j] += successes * this.logR[j] - trials * logD
      }
      return
    }
    this.trials += trials
    this.hits += successes
    const failures = trials - successes
    for (let j = 0; j < this.llr.length; j++) {
      this.llr[j] += successes * this.logA[j] + failures * this.logB[j]
    }
  }

  /** ln M: the log of the mixture martingale now. */
  logValue(): number {
    if (this.degenerate !== 'none')
      return this.degenerateLog(this.hits, this.trials)
    return logSumExp(this.llr, this.logW)
  }

  /**
   * ln M for `successes` in `trials` at the nominal p0, whatever has been
   * observed: what the test would say at those counts.
   */
  logValueAt(successes: number, trials: number): number {
    if (this.degenerate !== 'none') return this.degenerateLog(successes, trials)
    let max = -Infinity
    for (let j = 0; j < this.logA.length; j++) {
      const v = successes * this.logA[j] + (trials - successes) * this.logB[j]
      if (v > max) max = v
    }
    let sum = 0
    for (let j = 0; j < this.logA.length; j++) {
      const v = successes * this.logA[j] + (trials - successes) * this.logB[j]
      sum += exp(v - max)
    }
    return max + log(sum) + this.logW
  }

  /**
   * True once H0 is rejected: evaluates the mixture now and latches, so a
   * crossing seen at any look stays a rejection (Ville covers the sup).
   */
  rejects(): boolean {
    if (!this.crossed && this.logValue() >= this.logThreshold) {
      this.crossed = true
    }
    return this.crossed
  }

  /** Whether a crossing has been seen at some earlier `rejects()` call. */
  get rejected(): boolean {
    return this.crossed
  }

  /**
   * The smallest true rate on the test's side (the largest for `below`)
   * that n trials would have rejected at its expected count n*p: "how large
   * a breach could these samples have detected". Undefined when even the
   * most extreme rate would not have been detected at this n.
   */
  detectable(n: number): number | undefined {
    if (!(n > 0)) return undefined
    const rejectsAt = (p: number): boolean =>
      this.logValueAt(n * p, n) >= this.logThreshold
    if (this.side === 'above') {
      if (this.degenerate === 'never') return undefined
      if (!rejectsAt(1)) return undefined
      let lo = this.p0
      let hi = 1
      for (let i = 0; i < BISECTIONS; i++) {
        const mid = (lo + hi) / 2
        if (rejectsAt(mid)) hi = mid
        else lo = mid
      }
      return hi
    }
    if (this.degenerate === 'never') return undefined
    if (!rejectsAt(0)) return undefined
    let lo = 0
    let hi = this.p0
    for (let i = 0; i < BISECTIONS; i++) {
      const mid = (lo + hi) / 2
      if (rejectsAt(mid)) lo = mid
      else hi = mid
    }
    return lo
  }

  /**
   * The count at which n trials reject: the smallest count for `above`,
   * the largest for `below`; undefined when no count would. Quantile
   * confidence bounds are order statistics at these ranks.
   */
  boundary(n: number): number | undefined {
    if (!(n >= 0) || !Number.isInteger(n)) return undefined
    const rejectsAt = (c: number): boolean =>
      this.logValueAt(c, n) >= this.logThreshold
    if (this.side === 'above') {
      if (!rejectsAt(n)) return undefined
      let lo = -1
      let hi = n
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1
        if (rejectsAt(mid)) hi = mid
        else lo = mid
      }
      return hi
    }
    if (!rejectsAt(0)) return undefined
    let lo = 0
    let hi = n + 1
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (rejectsAt(mid)) lo = mid
      else hi = mid
    }
    return lo
  }

  /** Exact tests at p0 = 0 or 1: one contrary observation is proof. */
  private degenerateLog(successes: number, trials: number): number {
    if (this.degenerate === 'any-success' && successes > 0) return Infinity
    if (this.degenerate === 'any-failure' && trials - successes > 0) {
      return Infinity
    }
    return 0
  }
}

function logSumExp(values: Float64Array, logWeight: number): number {
  let max = -Infinity
  for (let j = 0; j < values.length; j++) if (values[j] > max) max = values[j]
  if (max === -Infinity) return -Infinity
  let sum = 0
  for (let j = 0; j < values.length; j++) sum += exp(values[j] - max)
  return max + log(sum) + logWeight
}

/**
 * A one-sided always-valid test of a Bernoulli rate against p0: `above`
 * rejects `p <= p0`, `below` rejects `p >= p0`, each with false-rejection
 * probability at most alpha over all looks (Ville's inequality).
 */
export function mixtureTest(
  p0: number,
  side: Side,
  alpha: number,
  size = DEFAULT_GRID_SIZE
): MixtureTest {
  return new MixtureTest(p0, side, alpha, size)
}

/**
 * The smallest rate above p0 (largest below, for `below`) that n trials
 * would have detected at its expected count; undefined when none would.
 * Findings print it so a short bake that proves little is visible.
 */
export function detectableRate(
  n: number,
  p0: number,
  side: Side,
  alpha: number,
  size = DEFAULT_GRID_SIZE
): number | undefined {
  return new MixtureTest(p0, side, alpha, size).detectable(n)
}

/**
 * 1-based ranks of order statistics that bound the q-quantile of n samples
 * at every n simultaneously (after Howard & Ramdas, "Sequential estimation
 * of quantiles"): with probability >= 1 - alpha the `upper`-th smallest
 * sample is >= the true quantile at every look; with probability
 * >= 1 - alpha the `lower`-th smallest is <= it.
 *
 * Why: let xi be the true quantile. The count of samples below xi is a
 * Bernoulli stream with rate <= q, so by the `above` test at p0 = q it
 * stays below the test's boundary at every n except with probability
 * alpha; while it does, fewer than `upper` samples lie below xi, so the
 * `upper`-th smallest is not below xi. The lower rank mirrors this with the
 * count above xi (rate <= 1 - q). Undefined when n is too small to bound.
 */
export function quantileRanks(
  n: number,
  q: number,
  alpha: number,
  size = DEFAULT_GRID_SIZE
): { upper?: number; lower?: number } {
  const up = new MixtureTest(q, 'above', alpha, size).boundary(n)
  const down = new MixtureTest(1 - q, 'above', alpha, size).boundary(n)
  return {
    upper: up === undefined ? undefined : up,
    lower: down === undefined ? undefined : n - down + 1
  }
}
