export const id = 109;
export const ids = [109];
export const modules = {

/***/ 8109:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Judge: () => (/* binding */ Judge)
});

// UNUSED EXPORTS: analysisJudge, soakJudge

// EXTERNAL MODULE: ./src/config/units.ts
var units = __webpack_require__(4529);
// EXTERNAL MODULE: ./src/probes/histogram.ts
var histogram = __webpack_require__(4837);
;// CONCATENATED MODULE: ./src/analysis/conditions.ts


/** How a metric's values are shown and what its operands mean. */
/** `a op b`; `==` is exact, as written in a config. */

/** The number an operand stands for: ms for durations, a ratio for `%`. */
function quantityValue(q) {
    if (q.kind === 'number')
        return q.value;
    if (q.kind === 'duration')
        return q.ms;
    return q.ratio;
}
/**
 * The value a compare condition draws its line at: the operand itself, or
 * `k x baseline`, or `baseline + d`. Undefined when the condition needs a
 * baseline and there is none, so a missing baseline is never read as 0.
 */
function thresholdOf(c, baseline) {
    const o = c.operand;
    if (o.kind === 'baseline-ratio') {
        return baseline === undefined ? undefined : o.factor * baseline;
    }
    if (o.kind === 'baseline-plus') {
        return baseline === undefined
            ? undefined
            : baseline + quantityValue(o.delta);
    }
    return quantityValue(o);
}
/**
 * Evaluates a condition: for `compare`, `value op threshold`; for growth,
 * `value` is the measured growth ratio per hour (see {@link growth}).
 * Undefined when a relative condition has no baseline value.
 */
function evaluate(c, value, baseline) {
    if (c.kind === 'growth') {
        return {
            breached: (0,units/* compareOp */.pN)(c.op, value, c.ratioPerHour),
            threshold: c.ratioPerHour
        };
    }
    const threshold = thresholdOf(c, baseline);
    if (threshold === undefined || Number.isNaN(value))
        return undefined;
    return { breached: (0,units/* compareOp */.pN)(c.op, value, threshold), threshold };
}
/** Median of a copy; NaN when empty. */
function median(values) {
    const n = values.length;
    if (n === 0)
        return NaN;
    const s = Float64Array.from(values).sort();
    const mid = n >> 1;
    return n % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
const HOUR_MS = 3_600_000;
/** Above this many readings, block medians keep Theil–Sen at ~125k pairs. */
const MAX_GROWTH_POINTS = 500;
/**
 * A trend that one spike or a few bad scrapes cannot fake: the Theil–Sen
 * slope (median of all pairwise slopes; robust to ~29% outliers), relative
 * to the fitted level at the start, so `growth > 5%/h` reads as "grows by
 * more than 5% of where it started, per hour". Undefined with fewer than 3
 * readings or no time span.
 */
function growth(times, values) {
    let t = Float64Array.from(times);
    let v = Float64Array.from(values);
    const n = Math.min(t.length, v.length);
    if (n < 3)
        return undefined;
    if (n > MAX_GROWTH_POINTS) {
        const blocks = blockMedians(t.subarray(0, n), v.subarray(0, n));
        t = blocks.t;
        v = blocks.v;
    }
    const m = Math.min(t.length, v.length);
    const slopes = new Float64Array((m * (m - 1)) / 2);
    let k = 0;
    for (let i = 0; i < m; i++) {
        for (let j = i + 1; j < m; j++) {
            const dt = t[j] - t[i];
            if (dt !== 0)
                slopes[k++] = (v[j] - v[i]) / dt;
        }
    }
    if (k === 0)
        return undefined;
    const slope = median(slopes.subarray(0, k));
    const residuals = new Float64Array(m);
    for (let i = 0; i < m; i++)
        residuals[i] = v[i] - slope * (t[i] - t[0]);
    let level = median(residuals);
    if (!(level > 0))
        level = Math.abs(median(v));
    const slopePerHour = slope * HOUR_MS;
    const ratioPerHour = level > 0
        ? slopePerHour / level
        : slopePerHour === 0
            ? 0
            : Math.sign(slopePerHour) * Infinity;
    return { ratioPerHour, slopePerHour, level, n };
}
function blockMedians(t, v) {
    const size = Math.ceil(t.length / MAX_GROWTH_POINTS);
    const count = Math.ceil(t.length / size);
    const bt = new Float64Array(count);
    const bv = new Float64Array(count);
    for (let b = 0; b < count; b++) {
        const from = b * size;
        const to = Math.min(t.length, from + size);
        bt[b] = median(t.subarray(from, to));
        bv[b] = median(v.subarray(from, to));
    }
    return { t: bt, v: bv };
}
/** Rates as in verdicts: `7.0%`, `0.52%`, `0.012%`. */
function formatRate(ratio) {
    if (!Number.isFinite(ratio))
        return String(ratio);
    const p = ratio * 100;
    if (p === 0)
        return '0.0%';
    const a = Math.abs(p);
    if (a >= 1)
        return `${p.toFixed(1)}%`;
    if (a >= 0.1)
        return `${p.toFixed(2)}%`;
    return `${Number(p.toPrecision(2))}%`;
}
/** Plain values with three significant digits: `0.612`, `72.5`, `1,204`. */
function formatNumber(v) {
    if (!Number.isFinite(v))
        return String(v);
    if (Math.abs(v) >= 1000)
        return (0,histogram/* formatCount */.B4)(v);
    return String(Number(v.toPrecision(3)));
}
function formatValue(v, kind) {
    if (kind === 'rate')
        return formatRate(v);
    if (kind === 'latency')
        return (0,histogram/* formatLatency */.YL)(v);
    return formatNumber(v);
}
/**
 * How a value is shown for a plain (external) metric: as a rate when the
 * condition compares with a percentage, as a latency against a duration.
 */
function kindForCondition(c) {
    if (c.kind === 'compare') {
        const o = c.operand;
        const q = o.kind === 'baseline-plus' ? o.delta : o;
        if (q.kind === 'percent')
            return 'rate';
        if (q.kind === 'duration')
            return 'latency';
    }
    return 'number';
}
/**
 * A growth ratio in the period the condition was written with: `8.3%/h`
 * for `growth > 5%/h`, `12.0%/d` for `growth > 10%/d`.
 */
function formatGrowth(ratioPerHour, c) {
    const unit = /\/\s*(\S+)$/.exec(c.text)?.[1] ?? 'h';
    const period = (0,units/* parseDuration */.E9)(/^[hmd]$/.test(unit) ? `1${unit}` : unit);
    const ms = period.ok && period.value > 0 ? period.value : HOUR_MS;
    return `${formatRate((ratioPerHour * ms) / HOUR_MS)}/${unit}`;
}
/** `n=1,204/1,198` (canary/baseline) or `n=100`. */
function formatN(n) {
    return n.baseline === undefined
        ? `n=${(0,histogram/* formatCount */.B4)(n.canary)}`
        : `n=${(0,histogram/* formatCount */.B4)(n.canary)}/${(0,histogram/* formatCount */.B4)(n.baseline)}`;
}
const NEGATED = {
    '<': '>=',
    '<=': '>',
    '>': '<=',
    '>=': '<',
    '==': '!='
};
/**
 * The condition as written when it holds, with the operator negated when it
 * does not: `> 2x baseline` / `<= 2x baseline`.
 */
function conditionText(c, breached) {
    if (breached)
        return c.text;
    if (c.kind === 'growth') {
        return c.text.replace(/^growth\s*(<=|>=|==|<|>)/, `growth ${NEGATED[c.op]}`);
    }
    const rest = c.text.slice(c.op.length).trim();
    return `${NEGATED[c.op]} ${rest}`;
}
/**
 * The one line every verdict is: value vs condition with n, e.g.
 * `p95 412ms > 2x baseline (180ms), n=1,204/1,198` or
 * `error-rate 7.0% > 5%, n=100`.
 */
function verdictLine(p) {
    const cond = conditionText(p.condition, p.breached);
    const base = p.baseline === undefined ? '' : ` (${p.baseline})`;
    if (p.condition.kind === 'growth') {
        const bare = cond.replace(/^growth\s*/, '');
        return `${p.metric} growth ${p.value} ${bare}, ${formatN(p.n)}`;
    }
    return `${p.metric} ${p.value} ${cond}${base}, ${formatN(p.n)}`;
}

// EXTERNAL MODULE: ./src/config/schema.ts
var schema = __webpack_require__(131);
;// CONCATENATED MODULE: ./src/analysis/measure.ts


/** What a built-in name computes; undefined for names of one's own. */
function builtinOf(name) {
    if (!(name in schema/* BUILTIN_METRICS */.Ie))
        return undefined;
    if (name === 'error-rate')
        return { type: 'rate', indicator: 'error' };
    if (name === 'success-rate')
        return { type: 'rate', indicator: 'success' };
    return { type: 'quantile', q: Number(name.slice(1)) / 100 };
}
/**
 * The metrics of an analysis or soak section: a built-in name without a
 * source is computed from probe samples, everything else is read.
 */
function measure_judgeMetrics(metrics) {
    return Object.entries(metrics ?? {}).map(([name, m]) => ({
        name,
        source: !m.prometheus && !m.http && builtinOf(name) ? 'probes' : 'external',
        warn: m.warn ?? [],
        fail: m.fail ?? []
    }));
}
const INITIAL_LOOK_CAPACITY = 256;
/**
 * One track's samples: totals for the bake and counters for the current
 * look. Transport failures (`error: true`: refused, reset, timeout) count
 * as errors but carry no latency, so a dead canary answering "connection
 * refused" in 0.3ms cannot look fast.
 */
class TrackStats {
    n = 0;
    bad = 0;
    /** Samples with a latency (not transport failures). */
    latN = 0;
    lookN = 0;
    lookBad = 0;
    lookLatN = 0;
    /** This look's latencies, in arrival order, when kept. */
    lookLat;
    histogram;
    keepLook;
    constructor(keepLookLatencies = false) {
        this.keepLook = keepLookLatencies;
        this.lookLat = new Float64Array(keepLookLatencies ? INITIAL_LOOK_CAPACITY : 0);
    }
    add(sample) {
        this.n++;
        this.lookN++;
        if (!sample.ok) {
            this.bad++;
            this.lookBad++;
        }
        if (sample.error === true)
            return;
        const ms = sample.timings.totalMs;
        if (!(ms >= 0))
            return;
        (this.histogram ??= new histogram/* LatencyHistogram */.t2()).record(ms);
        this.latN++;
        if (this.keepLook) {
            if (this.lookLatN === this.lookLat.length) {
                const grown = new Float64Array(this.lookLat.length * 2);
                grown.set(this.lookLat);
                this.lookLat = grown;
            }
            this.lookLat[this.lookLatN] = ms;
        }
        this.lookLatN++;
    }
    /** Starts a new look. */
    endLook() {
        this.lookN = 0;
        this.lookBad = 0;
        this.lookLatN = 0;
    }
    /** Forgets everything (fixed-interval windows). */
    reset() {
        this.n = 0;
        this.bad = 0;
        this.latN = 0;
        this.endLook();
        this.histogram?.reset();
    }
    /** Share of samples that are errors, or successes. */
    rate(indicator) {
        if (this.n === 0)
            return NaN;
        return indicator === 'error' ? this.bad / this.n : 1 - this.bad / this.n;
    }
    /** Latency in ms at quantile q (0.95 for p95); NaN without latencies. */
    quantile(q) {
        if (this.latN === 0 || !this.histogram)
            return NaN;
        return this.histogram.percentile(q * 100);
    }
    /** Count of samples behind a built-in metric. */
    count(b) {
        return b.type === 'rate' ? this.n : this.latN;
    }
    /** The built-in metric's value over all samples. */
    value(b) {
        return b.type === 'rate' ? this.rate(b.indicator) : this.quantile(b.q);
    }
    /** This look's value (a per-look rate, or a quantile of this look). */
    lookValue(b) {
        if (b.type === 'rate') {
            if (this.lookN === 0)
                return NaN;
            const r = this.lookBad / this.lookN;
            return b.indicator === 'error' ? r : 1 - r;
        }
        if (this.lookLatN === 0 || !this.keepLook)
            return NaN;
        const sorted = this.lookLat.slice(0, this.lookLatN).sort();
        const rank = Math.max(1, Math.ceil(b.q * sorted.length));
        return sorted[rank - 1];
    }
}

;// CONCATENATED MODULE: ./src/analysis/sequential.ts
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
const DEFAULT_GRID_SIZE = 32;
/** How far the grid reaches: to p0/50 below, or 1 - (1-p0)/50 above. */
const REACH = 50;
const BISECTIONS = 60;
// Module-level aliases: the per-look loops skip global lookups, which are
// slow in vm contexts such as Jest's.
const { exp, log } = Math;
function odds(p) {
    return p / (1 - p);
}
class MixtureTest {
    p0;
    side;
    alpha;
    /** ln(1/alpha): the mixture rejects H0 once its log reaches this. */
    logThreshold;
    degenerate;
    logR;
    logA;
    logB;
    logW;
    llr;
    trials = 0;
    hits = 0;
    crossed = false;
    constructor(p0, side, alpha, size = DEFAULT_GRID_SIZE) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new RangeError(`alpha must be in (0, 1), got '${alpha}'`);
        }
        if (!(p0 >= 0 && p0 <= 1)) {
            throw new RangeError(`p0 must be in [0, 1], got '${p0}'`);
        }
        if (!(Number.isInteger(size) && size >= 1)) {
            throw new RangeError(`grid size must be a positive integer, got '${size}'`);
        }
        this.p0 = p0;
        this.side = side;
        this.alpha = alpha;
        this.logThreshold = log(1 / alpha);
        this.degenerate =
            p0 <= 0
                ? side === 'above'
                    ? 'any-success'
                    : 'never'
                : p0 >= 1
                    ? side === 'below'
                        ? 'any-failure'
                        : 'never'
                    : 'none';
        this.logW = -log(size);
        this.logR = new Float64Array(size);
        this.logA = new Float64Array(size);
        this.logB = new Float64Array(size);
        this.llr = new Float64Array(size);
        if (this.degenerate !== 'none')
            return;
        const far = side === 'above' ? 1 - (1 - p0) / REACH : p0 / REACH;
        const logFar = log(odds(far) / odds(p0));
        for (let j = 0; j < size; j++) {
            const logR = (logFar * (j + 1)) / size;
            const logD = log(1 - p0 + exp(logR) * p0);
            this.logR[j] = logR;
            this.logA[j] = logR - logD;
            this.logB[j] = -logD;
        }
    }
    /** Trials seen so far. */
    get n() {
        return this.trials;
    }
    get successes() {
        return this.hits;
    }
    /** The alternatives p_j at the nominal p0 (for docs and tests). */
    alternatives() {
        const o = odds(this.p0);
        return Array.from(this.logR, (lr) => {
            const oj = o * exp(lr);
            return oj / (1 + oj);
        });
    }
    /** One observation: `true` is a success (an error, an exceedance...). */
    observe(x) {
        this.observeCounts(x ? 1 : 0, 1);
    }
    /**
     * A batch of `successes` in `trials`. With `p0` given, the batch is
     * tested against that null instead of the nominal one (same odds-ratio
     * alternatives); a batch whose null is 0 or 1 carries no information and
     * is skipped.
     */
    observeCounts(successes, trials, p0) {
        if (!(trials > 0))
            return;
        if (!(successes >= 0 && successes <= trials)) {
            throw new RangeError(`successes must be in [0, ${trials}], got '${successes}'`);
        }
        if (p0 !== undefined && p0 !== this.p0) {
            if (!(p0 > 0 && p0 < 1) || this.degenerate !== 'none')
                return;
            this.trials += trials;
            this.hits += successes;
            for (let j = 0; j < this.llr.length; j++) {
                const logD = log(1 - p0 + exp(this.logR[j]) * p0);
                this.llr[j] += successes * this.logR[j] - trials * logD;
            }
            return;
        }
        this.trials += trials;
        this.hits += successes;
        const failures = trials - successes;
        for (let j = 0; j < this.llr.length; j++) {
            this.llr[j] += successes * this.logA[j] + failures * this.logB[j];
        }
    }
    /** ln M: the log of the mixture martingale now. */
    logValue() {
        if (this.degenerate !== 'none')
            return this.degenerateLog(this.hits, this.trials);
        return logSumExp(this.llr, this.logW);
    }
    /**
     * ln M for `successes` in `trials` at the nominal p0, whatever has been
     * observed: what the test would say at those counts.
     */
    logValueAt(successes, trials) {
        if (this.degenerate !== 'none')
            return this.degenerateLog(successes, trials);
        let max = -Infinity;
        for (let j = 0; j < this.logA.length; j++) {
            const v = successes * this.logA[j] + (trials - successes) * this.logB[j];
            if (v > max)
                max = v;
        }
        let sum = 0;
        for (let j = 0; j < this.logA.length; j++) {
            const v = successes * this.logA[j] + (trials - successes) * this.logB[j];
            sum += exp(v - max);
        }
        return max + log(sum) + this.logW;
    }
    /**
     * True once H0 is rejected: evaluates the mixture now and latches, so a
     * crossing seen at any look stays a rejection (Ville covers the sup).
     */
    rejects() {
        if (!this.crossed && this.logValue() >= this.logThreshold) {
            this.crossed = true;
        }
        return this.crossed;
    }
    /** Whether a crossing has been seen at some earlier `rejects()` call. */
    get rejected() {
        return this.crossed;
    }
    /**
     * The smallest true rate on the test's side (the largest for `below`)
     * that n trials would have rejected at its expected count n*p: "how large
     * a breach could these samples have detected". Undefined when even the
     * most extreme rate would not have been detected at this n.
     */
    detectable(n) {
        if (!(n > 0))
            return undefined;
        const rejectsAt = (p) => this.logValueAt(n * p, n) >= this.logThreshold;
        if (this.side === 'above') {
            if (this.degenerate === 'never')
                return undefined;
            if (!rejectsAt(1))
                return undefined;
            let lo = this.p0;
            let hi = 1;
            for (let i = 0; i < BISECTIONS; i++) {
                const mid = (lo + hi) / 2;
                if (rejectsAt(mid))
                    hi = mid;
                else
                    lo = mid;
            }
            return hi;
        }
        if (this.degenerate === 'never')
            return undefined;
        if (!rejectsAt(0))
            return undefined;
        let lo = 0;
        let hi = this.p0;
        for (let i = 0; i < BISECTIONS; i++) {
            const mid = (lo + hi) / 2;
            if (rejectsAt(mid))
                lo = mid;
            else
                hi = mid;
        }
        return lo;
    }
    /**
     * The count at which n trials reject: the smallest count for `above`,
     * the largest for `below`; undefined when no count would. Quantile
     * confidence bounds are order statistics at these ranks.
     */
    boundary(n) {
        if (!(n >= 0) || !Number.isInteger(n))
            return undefined;
        const rejectsAt = (c) => this.logValueAt(c, n) >= this.logThreshold;
        if (this.side === 'above') {
            if (!rejectsAt(n))
                return undefined;
            let lo = -1;
            let hi = n;
            while (hi - lo > 1) {
                const mid = (lo + hi) >> 1;
                if (rejectsAt(mid))
                    hi = mid;
                else
                    lo = mid;
            }
            return hi;
        }
        if (!rejectsAt(0))
            return undefined;
        let lo = 0;
        let hi = n + 1;
        while (hi - lo > 1) {
            const mid = (lo + hi) >> 1;
            if (rejectsAt(mid))
                lo = mid;
            else
                hi = mid;
        }
        return lo;
    }
    /** Exact tests at p0 = 0 or 1: one contrary observation is proof. */
    degenerateLog(successes, trials) {
        if (this.degenerate === 'any-success' && successes > 0)
            return Infinity;
        if (this.degenerate === 'any-failure' && trials - successes > 0) {
            return Infinity;
        }
        return 0;
    }
}
function logSumExp(values, logWeight) {
    let max = -Infinity;
    for (let j = 0; j < values.length; j++)
        if (values[j] > max)
            max = values[j];
    if (max === -Infinity)
        return -Infinity;
    let sum = 0;
    for (let j = 0; j < values.length; j++)
        sum += exp(values[j] - max);
    return max + log(sum) + logWeight;
}
/**
 * A one-sided always-valid test of a Bernoulli rate against p0: `above`
 * rejects `p <= p0`, `below` rejects `p >= p0`, each with false-rejection
 * probability at most alpha over all looks (Ville's inequality).
 */
function mixtureTest(p0, side, alpha, size = DEFAULT_GRID_SIZE) {
    return new MixtureTest(p0, side, alpha, size);
}
/**
 * The smallest rate above p0 (largest below, for `below`) that n trials
 * would have detected at its expected count; undefined when none would.
 * Findings print it so a short bake that proves little is visible.
 */
function detectableRate(n, p0, side, alpha, size = DEFAULT_GRID_SIZE) {
    return new MixtureTest(p0, side, alpha, size).detectable(n);
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
function quantileRanks(n, q, alpha, size = DEFAULT_GRID_SIZE) {
    const up = new MixtureTest(q, 'above', alpha, size).boundary(n);
    const down = new MixtureTest(1 - q, 'above', alpha, size).boundary(n);
    return {
        upper: up === undefined ? undefined : up,
        lower: down === undefined ? undefined : n - down + 1
    };
}

;// CONCATENATED MODULE: ./src/analysis/judge.ts





const DEFAULTS = {
    confidence: 0.99,
    minSamples: 20,
    errorLimit: 4,
    breachLooks: 3,
    gridSize: 32
};
function sideOf(op) {
    if (op === '>' || op === '>=')
        return 'above';
    if (op === '<' || op === '<=')
        return 'below';
    return undefined;
}
const flip = (s) => (s === 'above' ? 'below' : 'above');
function methodOf(m, b, c) {
    if (c.kind === 'growth')
        return 'growth';
    if (m.source === 'external' || !b)
        return 'external';
    if (!sideOf(c.op))
        return 'final-only';
    const o = c.operand;
    if (b.type === 'rate') {
        if (o.kind === 'baseline-plus')
            return 'final-only';
        if (o.kind === 'baseline-ratio') {
            return b.indicator === 'error' ? 'rate-ratio' : 'final-only';
        }
        return 'rate';
    }
    if (o.kind === 'baseline-ratio' || o.kind === 'baseline-plus') {
        return 'quantile-paired';
    }
    return 'quantile';
}
/** The canary value a relative latency condition compares with: f(b). */
function relativeLine(c, b) {
    if (c.kind !== 'compare')
        return NaN;
    const o = c.operand;
    if (o.kind === 'baseline-ratio')
        return o.factor * b;
    if (o.kind === 'baseline-plus')
        return b + quantityValue(o.delta);
    return quantityValue(o);
}
class Judge {
    confidence;
    alpha;
    minSamples;
    decideEarly;
    errorLimit;
    onNoData;
    hasBaseline;
    breachLooks;
    gridSize;
    metrics;
    checks = [];
    canaryExceed = [];
    externals = new Map();
    tracks;
    builtinGrowth = [];
    pairedChecks = [];
    decision = 'continue';
    decidedAt = 0;
    decisionFindings = [];
    constructor(options) {
        this.confidence = options.confidence ?? DEFAULTS.confidence;
        if (!(this.confidence > 0 && this.confidence < 1)) {
            throw new RangeError(`confidence must be between 0% and 100%, got '${this.confidence}'`);
        }
        this.alpha = 1 - this.confidence;
        this.minSamples = options.minSamples ?? DEFAULTS.minSamples;
        this.decideEarly = options.decideEarly ?? false;
        this.errorLimit = options.errorLimit ?? DEFAULTS.errorLimit;
        this.onNoData = options.onNoData ?? 'fail';
        this.hasBaseline = options.hasBaseline ?? false;
        this.breachLooks = options.breachLooks ?? DEFAULTS.breachLooks;
        this.gridSize = options.gridSize ?? DEFAULTS.gridSize;
        this.metrics = Array.isArray(options.metrics)
            ? options.metrics
            : measure_judgeMetrics(options.metrics);
        for (const m of this.metrics) {
            const b = m.source === 'probes' ? builtinOf(m.name) : undefined;
            if (m.source === 'probes' && !b) {
                throw new RangeError(`'${m.name}' is not a built-in metric`);
            }
            for (const level of ['fail', 'warn']) {
                for (const c of m[level]) {
                    const relative = c.kind === 'compare' &&
                        (c.operand.kind === 'baseline-ratio' ||
                            c.operand.kind === 'baseline-plus');
                    if (relative && !this.hasBaseline) {
                        throw new RangeError(`${m.name}: '${c.text}' compares with the baseline, but there is no baseline track`);
                    }
                    this.checks.push({
                        metric: m,
                        builtin: b,
                        condition: c,
                        level,
                        method: methodOf(m, b, c),
                        kind: b
                            ? b.type === 'rate'
                                ? 'rate'
                                : 'latency'
                            : kindForCondition(c),
                        relative,
                        threshold: b?.type === 'quantile' && !relative ? relativeLine(c, NaN) : NaN,
                        lookExceed: 0,
                        seriesT: [],
                        seriesV: [],
                        breachRun: 0,
                        clearRun: 0
                    });
                }
            }
        }
        const tested = this.checks.filter((c) => c.level === 'fail' && this.hasTest(c.method));
        const share = tested.length > 0 ? this.alpha / tested.length : this.alpha;
        for (const c of tested)
            this.setUpTests(c, share);
        for (const c of this.checks) {
            if (c.method === 'quantile' && c.level === 'fail') {
                this.canaryExceed.push(c);
            }
            if (c.method === 'quantile-paired' && c.level === 'fail') {
                this.pairedChecks.push(c);
            }
            if (c.method === 'growth' && c.builtin)
                this.builtinGrowth.push(c);
        }
        const keepLook = this.pairedChecks.length > 0 ||
            this.builtinGrowth.some((c) => c.builtin?.type === 'quantile');
        this.tracks = {
            canary: new TrackStats(keepLook),
            baseline: this.hasBaseline ? new TrackStats(keepLook) : undefined
        };
        for (const m of this.metrics) {
            if (m.source !== 'external')
                continue;
            const checks = this.checks.filter((c) => c.metric === m);
            this.externals.set(m.name, {
                metric: m,
                checks,
                needsBaseline: checks.some((c) => c.relative),
                pending: {},
                canary: [],
                baseline: [],
                times: [],
                streak: { canary: 0, baseline: 0 },
                lastError: '',
                looks: 0,
                valueLooks: 0,
                noDataLooks: 0,
                errorLooks: 0,
                last: {}
            });
        }
    }
    /** Each condition's method and its share of alpha (Bonferroni). */
    plan() {
        return this.checks.map((c) => ({
            metric: c.metric.name,
            level: c.level,
            condition: c.condition.text,
            method: c.method,
            ...(c.alpha === undefined ? {} : { alpha: c.alpha })
        }));
    }
    /**
     * One probe sample of a track. Samples are grouped by look, not by time,
     * so `at` (when it was taken) is accepted for symmetry and not needed.
     */
    addSample(track, sample, _at) {
        const stats = this.trackStats(track);
        stats.add(sample);
        if (track !== 'canary' || sample.error === true)
            return;
        const ms = sample.timings.totalMs;
        for (const c of this.canaryExceed)
            if (ms > c.threshold)
                c.lookExceed++;
    }
    /** One reading of an external metric; the last one before a look counts. */
    addReading(metric, track, reading) {
        const ext = this.externals.get(metric);
        if (!ext)
            throw new RangeError(`'${metric}' is not a metric with a source`);
        if (track === 'baseline' && !this.hasBaseline) {
            throw new RangeError('there is no baseline track');
        }
        ext.pending[track] = reading;
    }
    /**
     * A look: feeds this interval's counts to the tests, then decides. Once a
     * look decided `fail` or `pass`, every later look returns the same.
     */
    look(at) {
        if (this.decision !== 'continue') {
            return { decision: this.decision, findings: this.decisionFindings };
        }
        this.feedTests();
        const externalFails = this.lookExternals();
        this.recordGrowth(at);
        this.tracks.canary.endLook();
        this.tracks.baseline?.endLook();
        for (const c of this.checks)
            c.lookExceed = 0;
        const fails = [...externalFails];
        for (const c of this.checks) {
            if (!c.failTest)
                continue;
            c.failTest.rejects();
            if (this.decideEarly)
                c.passTest?.rejects();
            if (!c.failTest.rejected)
                continue;
            const m = this.measure(c, false);
            if (m.status !== 'value' || !m.breached)
                continue;
            c.early = this.finding(c, m, true);
            fails.push(c.early);
        }
        if (fails.length > 0)
            return this.decide('fail', fails, at);
        if (this.decideEarly) {
            const passed = this.earlyPass();
            if (passed)
                return this.decide('pass', passed, at);
        }
        return { decision: 'continue', findings: [] };
    }
    /**
     * The verdict at the end of the bake: each condition against its
     * measured value, or the early decision if a look made one.
     */
    final(_at) {
        const findings = [];
        const inconclusive = new Set();
        let errored = false;
        for (const ext of this.externals.values()) {
            if (ext.failed)
                findings.push(ext.failed);
        }
        for (const c of this.checks) {
            if (c.early) {
                findings.push(c.early);
                continue;
            }
            const ext = this.externals.get(c.metric.name);
            if (ext?.failed)
                continue;
            const m = this.measure(c, true);
            if (m.status !== 'value') {
                inconclusive.add(c.metric.name);
                if (m.status === 'error')
                    errored = true;
            }
            findings.push(this.finding(c, m, false));
        }
        const early = this.decision === 'continue'
            ? undefined
            : { decision: this.decision, at: this.decidedAt };
        const result = (outcome, reason) => ({
            outcome,
            reason,
            findings,
            inconclusive: [...inconclusive],
            ...(early ? { early } : {})
        });
        const failing = findings.filter((f) => f.level === 'fail' || (f.level === 'error' && !inconclusive.has(f.name)));
        if (this.decision === 'fail' || failing.length > 0) {
            const first = this.decision === 'fail' ? this.decisionFindings : failing;
            const more = first.length > 1 ? ` (+${first.length - 1} more)` : '';
            return result('failed', `${first[0].reason}${more}`);
        }
        if (inconclusive.size > 0) {
            const f = findings.find((x) => x.level === 'no-data' || x.level === 'error');
            const why = f?.reason ?? `no data for ${[...inconclusive].join(', ')}`;
            if (errored && this.onNoData === 'pass') {
                return result('failed', `${why}; source errors are never a pass (on-no-data: pass)`);
            }
            const mapped = this.onNoData === 'fail'
                ? 'failed'
                : this.onNoData === 'hold'
                    ? 'held'
                    : undefined;
            if (mapped) {
                return result(mapped, `inconclusive: ${why} (on-no-data: ${this.onNoData})`);
            }
        }
        const warn = findings.find((f) => f.level === 'warn');
        if (warn)
            return result('warned', warn.reason);
        const total = this.nNow();
        const n = total.canary > 0 ? `, ${formatN(total)}` : '';
        if (inconclusive.size > 0) {
            return result('passed', `no data for ${[...inconclusive].join(', ')}; passed (on-no-data: pass)${n}`);
        }
        if (this.decision === 'pass') {
            return result('passed', `passed early: no fail condition holds (sure at ${(0,units/* formatPercent */.l9)(this.confidence)})${n}`);
        }
        if (findings.length === 1)
            return result('passed', findings[0].reason);
        return result('passed', `all ${findings.length} conditions held${n}`);
    }
    /** Current values per metric and track, for progress lines and the chart. */
    live() {
        const track = (t) => ({
            n: t.n,
            ...(t.n > 0 ? { errorRate: t.rate('error') } : {}),
            ...(t.latN > 0 ? { p95Ms: t.quantile(0.95) } : {})
        });
        const out = {
            canary: track(this.tracks.canary),
            ...(this.tracks.baseline
                ? { baseline: track(this.tracks.baseline) }
                : {}),
            metrics: {},
            values: {}
        };
        for (const m of this.metrics) {
            const b = m.source === 'probes' ? builtinOf(m.name) : undefined;
            const ext = this.externals.get(m.name);
            const value = (t) => {
                if (b) {
                    const stats = this.tracks[t];
                    if (!stats || stats.count(b) === 0)
                        return undefined;
                    return stats.value(b);
                }
                return ext?.last[t];
            };
            const kind = b
                ? b.type === 'rate'
                    ? 'rate'
                    : 'latency'
                : m.fail.length + m.warn.length > 0
                    ? kindForCondition(m.fail[0] ?? m.warn[0])
                    : 'number';
            const c = value('canary');
            const bl = this.hasBaseline ? value('baseline') : undefined;
            out.metrics[m.name] = {
                ...(c === undefined ? {} : { canary: c }),
                ...(bl === undefined ? {} : { baseline: bl })
            };
            const show = (v) => v === undefined ? 'n/a' : formatValue(v, kind);
            out.values[m.name] = this.hasBaseline
                ? `${show(c)} / ${show(bl)}`
                : show(c);
        }
        return out;
    }
    /** The progress-line values of {@link live}: `{ p95: '412ms / 180ms' }`. */
    liveText() {
        return this.live().values;
    }
    hasTest(method) {
        return (method === 'rate' ||
            method === 'rate-ratio' ||
            method === 'quantile' ||
            method === 'quantile-paired');
    }
    /**
     * The null rate of a condition's test and the side a breach lies on:
     * the threshold for rates, k/(1+k) for `k x baseline` on errors, 1 - q
     * for exceedances of a quantile's threshold, 1/2 for paired latencies.
     */
    nullOf(c) {
        if (c.condition.kind !== 'compare')
            return undefined;
        const side = sideOf(c.condition.op);
        if (!side)
            return undefined;
        const o = c.condition.operand;
        let p0 = NaN;
        if (c.method === 'rate') {
            if (o.kind !== 'baseline-ratio' && o.kind !== 'baseline-plus') {
                p0 = quantityValue(o);
            }
        }
        else if (c.method === 'rate-ratio') {
            if (o.kind === 'baseline-ratio')
                p0 = o.factor / (1 + o.factor);
        }
        else if (c.method === 'quantile' && c.builtin?.type === 'quantile') {
            p0 = 1 - c.builtin.q;
        }
        else if (c.method === 'quantile-paired') {
            p0 = 0.5;
        }
        if (Number.isNaN(p0))
            return undefined;
        return { p0: Math.min(1, Math.max(0, p0)), side };
    }
    setUpTests(c, alpha) {
        const h0 = this.nullOf(c);
        if (!h0)
            return;
        c.alpha = alpha;
        c.side = h0.side;
        c.failTest = new MixtureTest(h0.p0, h0.side, alpha, this.gridSize);
        if (this.decideEarly && c.method !== 'quantile-paired') {
            c.passTest = new MixtureTest(h0.p0, flip(h0.side), alpha, this.gridSize);
        }
    }
    trackStats(track) {
        const t = this.tracks[track];
        if (!t)
            throw new RangeError('there is no baseline track');
        return t;
    }
    /** Feeds this look's counts to every early test. */
    feedTests() {
        const can = this.tracks.canary;
        const base = this.tracks.baseline;
        for (const c of this.checks) {
            if (!c.failTest)
                continue;
            const tests = c.passTest ? [c.failTest, c.passTest] : [c.failTest];
            if (c.method === 'rate' && c.builtin?.type === 'rate') {
                const hits = c.builtin.indicator === 'error'
                    ? can.lookBad
                    : can.lookN - can.lookBad;
                for (const t of tests)
                    t.observeCounts(hits, can.lookN);
            }
            else if (c.method === 'rate-ratio' && base) {
                // Among this look's errors, the canary's share under H0 is at most
                // k·nc/(k·nc + nb): exact when error counts are Poisson.
                const k = c.failTest.p0 / (1 - c.failTest.p0);
                const nc = can.lookN;
                const nb = base.lookN;
                if (nc === 0 || nb === 0)
                    continue;
                const events = can.lookBad + base.lookBad;
                const p0 = (k * nc) / (k * nc + nb);
                for (const t of tests)
                    t.observeCounts(can.lookBad, events, p0);
            }
            else if (c.method === 'quantile') {
                for (const t of tests)
                    t.observeCounts(c.lookExceed, can.lookLatN);
            }
            else if (c.method === 'quantile-paired' && base) {
                const pairs = Math.min(can.lookLatN, base.lookLatN);
                let wins = 0;
                const cl = can.lookLat;
                const bl = base.lookLat;
                for (let i = 0; i < pairs; i++) {
                    if (cl[i] > relativeLine(c.condition, bl[i]))
                        wins++;
                }
                c.failTest.observeCounts(wins, pairs);
            }
        }
    }
    /** Readings since the last look: error streaks, breach runs, values. */
    lookExternals() {
        const fails = [];
        for (const ext of this.externals.values()) {
            const { pending } = ext;
            if (!pending.canary && !pending.baseline)
                continue;
            ext.pending = {};
            ext.looks++;
            const tracks = ext.needsBaseline
                ? ['canary', 'baseline']
                : ['canary'];
            let status = 'value';
            for (const t of tracks) {
                const r = pending[t];
                if (r?.kind === 'error') {
                    ext.streak[t]++;
                    ext.lastError = r.reason;
                    status = 'error';
                }
                else {
                    ext.streak[t] = 0;
                    if (r?.kind !== 'value' && status === 'value')
                        status = 'no-data';
                }
            }
            for (const t of ['canary', 'baseline']) {
                const r = pending[t];
                if (r?.kind === 'value')
                    ext.last[t] = r.value;
            }
            const streak = Math.max(ext.streak.canary, ext.streak.baseline);
            if (streak > this.errorLimit && !ext.failed) {
                ext.failed = {
                    name: ext.metric.name,
                    level: 'error',
                    reason: `${ext.metric.name}: source errored ${streak} times in a row (last: ${ext.lastError})`
                };
                fails.push(ext.failed);
            }
            if (status === 'error')
                ext.errorLooks++;
            else if (status === 'no-data')
                ext.noDataLooks++;
            if (status !== 'value')
                continue;
            const cv = pending.canary.value;
            const bv = ext.needsBaseline
                ? pending.baseline.value
                : undefined;
            ext.valueLooks++;
            ext.canary.push(cv);
            if (bv !== undefined)
                ext.baseline.push(bv);
            ext.times.push(pending.canary?.at ?? 0);
            for (const c of ext.checks) {
                if (c.method !== 'external')
                    continue;
                const ev = evaluate(c.condition, cv, bv);
                if (!ev)
                    continue;
                if (ev.breached) {
                    c.breachRun++;
                    c.clearRun = 0;
                }
                else {
                    c.clearRun++;
                    c.breachRun = 0;
                }
                if (c.level === 'fail' &&
                    c.breachRun >= this.breachLooks &&
                    !c.early &&
                    !ext.failed) {
                    const n = {
                        canary: ext.valueLooks,
                        ...(c.relative ? { baseline: ext.valueLooks } : {})
                    };
                    const line = verdictLine({
                        metric: c.metric.name,
                        value: formatValue(cv, c.kind),
                        condition: c.condition,
                        breached: true,
                        ...(bv === undefined ? {} : { baseline: formatValue(bv, c.kind) }),
                        n
                    });
                    c.early = {
                        name: c.metric.name,
                        level: 'fail',
                        value: formatValue(cv, c.kind),
                        ...(bv === undefined ? {} : { baseline: formatValue(bv, c.kind) }),
                        condition: c.condition.text,
                        n,
                        reason: `${line} (${c.breachRun} looks in a row)`
                    };
                    fails.push(c.early);
                }
            }
        }
        return fails;
    }
    /** One value per look for growth conditions on built-in metrics. */
    recordGrowth(at) {
        for (const c of this.builtinGrowth) {
            const v = this.tracks.canary.lookValue(c.builtin);
            if (Number.isNaN(v))
                continue;
            c.seriesT.push(at);
            c.seriesV.push(v);
        }
    }
    decide(decision, findings, at) {
        this.decision = decision;
        this.decidedAt = at;
        this.decisionFindings = findings;
        return { decision, findings };
    }
    /** Findings when every fail condition is surely not breached; else none. */
    earlyPass() {
        const fails = this.checks.filter((c) => c.level === 'fail');
        if (fails.length === 0)
            return undefined;
        const needed = [this.tracks.canary];
        if (this.tracks.baseline && fails.some((c) => c.relative)) {
            needed.push(this.tracks.baseline);
        }
        if (fails.some((c) => c.builtin) &&
            needed.some((t) => t.n < this.minSamples)) {
            return undefined;
        }
        // Cheap tests first; quantile bounds only when everything else is clear.
        const ordered = [
            ...fails.filter((c) => c.method !== 'quantile-paired'),
            ...fails.filter((c) => c.method === 'quantile-paired')
        ];
        const findings = [];
        for (const c of ordered) {
            const m = this.clear(c);
            if (!m)
                return undefined;
            findings.push(this.finding(c, m, true));
        }
        return findings;
    }
    /** The measurement, when c is surely not breached now; else undefined. */
    clear(c) {
        if (c.method === 'rate' ||
            c.method === 'rate-ratio' ||
            c.method === 'quantile') {
            if (!c.passTest?.rejected)
                return undefined;
            const m = this.measure(c, true);
            return m.status === 'value' && !m.breached ? m : undefined;
        }
        if (c.method === 'quantile-paired')
            return this.pairedClear(c);
        if (c.method === 'external') {
            const ext = this.externals.get(c.metric.name);
            if (c.clearRun < this.breachLooks || ext.failed)
                return undefined;
            if (ext.streak.canary > 0 || ext.streak.baseline > 0)
                return undefined;
            const m = this.measure(c, true);
            return m.status === 'value' && !m.breached ? m : undefined;
        }
        return undefined;
    }
    /**
     * Early pass for `pXX op f(baseline)`: always-valid order-statistic
     * bounds on both tracks' quantiles (alpha/2 each) show the canary's
     * quantile on the good side of f(baseline's quantile).
     */
    pairedClear(c) {
        const base = this.tracks.baseline;
        if (!base || c.builtin?.type !== 'quantile' || c.alpha === undefined) {
            return undefined;
        }
        if (c.condition.kind !== 'compare')
            return undefined;
        const m = this.measure(c, true);
        if (m.status !== 'value' || m.breached)
            return undefined;
        const can = this.tracks.canary;
        const q = c.builtin.q;
        const half = c.alpha / 2;
        const rc = quantileRanks(can.latN, q, half, this.gridSize);
        const rb = quantileRanks(base.latN, q, half, this.gridSize);
        const at = (t, rank) => rank === undefined ? NaN : t.quantile(rank / t.latN);
        // HDR reports a bucket's upper end: shave 0.1% off lower bounds.
        const op = c.condition.op;
        if (op === '>' || op === '>=') {
            const upperC = at(can, rc.upper);
            const lowerB = at(base, rb.lower) * 0.999;
            if (Number.isNaN(upperC) || Number.isNaN(lowerB))
                return undefined;
            return !(0,units/* compareOp */.pN)(op, upperC, relativeLine(c.condition, lowerB))
                ? m
                : undefined;
        }
        const lowerC = at(can, rc.lower) * 0.999;
        const upperB = at(base, rb.upper);
        if (Number.isNaN(lowerC) || Number.isNaN(upperB))
            return undefined;
        return !(0,units/* compareOp */.pN)(op, lowerC, relativeLine(c.condition, upperB))
            ? m
            : undefined;
    }
    nNow() {
        return {
            canary: this.tracks.canary.n,
            ...(this.tracks.baseline ? { baseline: this.tracks.baseline.n } : {})
        };
    }
    /**
     * The measured value of a condition's metric and whether it breaches.
     * `gated`: fewer than minSamples per needed track is no-data (final and
     * early pass); early fails only need a value, as their test decides.
     */
    measure(c, gated) {
        const name = c.metric.name;
        if (c.method === 'growth')
            return this.measureGrowth(c);
        const ext = this.externals.get(name);
        if (ext)
            return this.measureExternal(c, ext);
        const b = c.builtin;
        const can = this.tracks.canary;
        const base = c.relative ? this.tracks.baseline : undefined;
        const n = {
            canary: can.count(b),
            ...(base ? { baseline: base.count(b) } : {})
        };
        const need = gated ? this.minSamples : 1;
        for (const [t, stats] of [
            ['canary', can],
            ['baseline', base]
        ]) {
            if (!stats)
                continue;
            const count = stats.count(b);
            if (count >= need)
                continue;
            if (b.type === 'quantile' && stats.n >= need) {
                return {
                    status: 'error',
                    n,
                    reason: `${name}: only ${(0,histogram/* formatCount */.B4)(count)} of ${(0,histogram/* formatCount */.B4)(stats.n)} samples on ${t} got a response`
                };
            }
            return {
                status: 'no-data',
                n,
                reason: `${name}: ${(0,histogram/* formatCount */.B4)(stats.n)} samples on ${t}, fewer than min-samples ${this.minSamples}`
            };
        }
        const value = can.value(b);
        const baseline = base ? base.value(b) : undefined;
        const ev = evaluate(c.condition, value, baseline);
        if (!ev) {
            return { status: 'no-data', n, reason: `${name}: no value to compare` };
        }
        return {
            status: 'value',
            value,
            ...(baseline === undefined ? {} : { baseline }),
            breached: ev.breached,
            n
        };
    }
    measureExternal(c, ext) {
        const n = {
            canary: ext.valueLooks,
            ...(c.relative ? { baseline: ext.valueLooks } : {})
        };
        const missing = ext.looks - ext.valueLooks;
        if (ext.valueLooks === 0 || missing > ext.valueLooks) {
            const status = ext.errorLooks > ext.noDataLooks ? 'error' : 'no-data';
            const parts = [];
            if (ext.noDataLooks > 0)
                parts.push(`no-data ${ext.noDataLooks}`);
            if (ext.errorLooks > 0) {
                parts.push(`errors ${ext.errorLooks}, last: ${ext.lastError}`);
            }
            return {
                status,
                n,
                reason: ext.looks === 0
                    ? `${c.metric.name}: no readings`
                    : `${c.metric.name}: no value at ${missing} of ${ext.looks} looks (${parts.join(', ')})`
            };
        }
        const value = median(ext.canary);
        const baseline = c.relative ? median(ext.baseline) : undefined;
        const ev = evaluate(c.condition, value, baseline);
        if (!ev)
            return {
                status: 'no-data',
                n,
                reason: `${c.metric.name}: no value to compare`
            };
        return {
            status: 'value',
            value,
            ...(baseline === undefined ? {} : { baseline }),
            breached: ev.breached,
            n
        };
    }
    measureGrowth(c) {
        const ext = this.externals.get(c.metric.name);
        const t = ext ? ext.times : c.seriesT;
        const v = ext ? ext.canary : c.seriesV;
        const n = { canary: v.length };
        if (c.builtin && this.tracks.canary.count(c.builtin) < this.minSamples) {
            return {
                status: 'no-data',
                n,
                reason: `${c.metric.name}: ${(0,histogram/* formatCount */.B4)(this.tracks.canary.n)} samples, fewer than min-samples ${this.minSamples}`
            };
        }
        const g = growth(t, v);
        if (!g) {
            return {
                status: 'no-data',
                n,
                reason: `${c.metric.name}: ${v.length} readings, a trend needs at least 3 over time`
            };
        }
        const ev = evaluate(c.condition, g.ratioPerHour);
        return { status: 'value', value: g.ratioPerHour, breached: ev.breached, n };
    }
    /** A finding for one condition from its measurement. */
    finding(c, m, early) {
        const name = c.metric.name;
        const detectable = this.detectable(c, m.n);
        const extra = detectable ? { detectable } : {};
        if (m.status !== 'value') {
            return {
                name,
                level: m.status,
                condition: c.condition.text,
                n: m.n,
                reason: m.reason,
                ...extra
            };
        }
        const value = c.condition.kind === 'growth'
            ? formatGrowth(m.value, c.condition)
            : formatValue(m.value, c.kind);
        const baseline = m.baseline === undefined ? undefined : formatValue(m.baseline, c.kind);
        let reason = verdictLine({
            metric: name,
            value,
            condition: c.condition,
            breached: m.breached,
            ...(baseline === undefined ? {} : { baseline }),
            n: m.n
        });
        if (early && c.method === 'external') {
            reason += ` (${c.clearRun} looks in a row)`;
        }
        else if (early) {
            const ratio = c.condition.kind === 'compare' &&
                c.condition.operand.kind === 'baseline-ratio' &&
                m.baseline !== undefined &&
                m.baseline > 0
                ? `ratio ${formatRatio(m.value / m.baseline)}; `
                : '';
            reason += ` (${ratio}sure at ${(0,units/* formatPercent */.l9)(this.confidence)})`;
        }
        return {
            name,
            level: m.breached ? c.level : 'ok',
            value,
            ...(baseline === undefined ? {} : { baseline }),
            condition: c.condition.text,
            n: m.n,
            reason,
            ...extra
        };
    }
    /** "How large a breach these samples could have detected", in words. */
    detectable(c, n) {
        // Warn conditions have no early test; gauge them at the full alpha.
        const h0 = c.failTest ? undefined : this.nullOf(c);
        const test = c.failTest ??
            (h0 && c.method !== 'quantile-paired'
                ? new MixtureTest(h0.p0, h0.side, this.alpha, this.gridSize)
                : undefined);
        const side = c.side ?? h0?.side;
        if (!test || !side)
            return undefined;
        const name = c.metric.name;
        const none = (count) => `could not detect any breach at ${count}`;
        if (c.method === 'rate') {
            const p = test.detectable(n.canary);
            const at = `n=${(0,histogram/* formatCount */.B4)(n.canary)}`;
            if (p === undefined)
                return none(at);
            return `could detect ${name} ${side === 'above' ? '>=' : '<='} ${formatRate(p)} at ${at}`;
        }
        if (c.method === 'rate-ratio') {
            const can = this.tracks.canary;
            const base = this.tracks.baseline;
            if (!base)
                return undefined;
            const events = can.bad + base.bad;
            const at = `${(0,histogram/* formatCount */.B4)(events)} errors`;
            const theta = test.detectable(events);
            if (theta === undefined || theta >= 1 || can.n === 0) {
                return none(at);
            }
            const k = (theta / (1 - theta)) * (base.n / can.n);
            return `could detect ${name} ${side === 'above' ? '>=' : '<='} ${formatRatio(k)} baseline with ${at}`;
        }
        if (c.method === 'quantile' && c.builtin?.type === 'quantile') {
            const p = test.detectable(n.canary);
            const at = `n=${(0,histogram/* formatCount */.B4)(n.canary)}`;
            if (p === undefined)
                return none(at);
            const threshold = (0,histogram/* formatLatency */.YL)(c.threshold);
            if (side === 'above') {
                const level = Math.floor((1 - p) * 1000) / 10;
                return `could detect p${level} > ${threshold} at ${at}`;
            }
            return `could detect <= ${formatRate(p)} of samples above ${threshold} at ${at}`;
        }
        if (c.method === 'quantile-paired') {
            const pairs = test.n;
            const at = `n=${(0,histogram/* formatCount */.B4)(pairs)} pairs`;
            const p = test.detectable(pairs);
            if (p === undefined)
                return none(at);
            return `could detect canary ${c.condition.text} in ${side === 'above' ? '>=' : '<='} ${formatRate(p)} of pairs at ${at}`;
        }
        return undefined;
    }
}
function formatRatio(r) {
    if (!Number.isFinite(r))
        return `${r}x`;
    return `${Number(r.toPrecision(r >= 10 ? 3 : 2))}x`;
}
/** A judge for a canary bake from its `analysis` section. */
function analysisJudge(a) {
    return new Judge({
        metrics: judgeMetrics(a.metrics),
        confidence: a.confidence,
        minSamples: a['min-samples'],
        decideEarly: a['decide-early'],
        errorLimit: a['error-limit'],
        onNoData: a['on-no-data'],
        hasBaseline: a.tracks?.baseline !== undefined
    });
}
/** A judge for a soak: one track, no early pass, trends allowed. */
function soakJudge(s) {
    return new Judge({
        metrics: judgeMetrics(s.metrics),
        minSamples: s['min-samples'],
        errorLimit: s['error-limit'],
        onNoData: s['on-no-data'],
        hasBaseline: false
    });
}


/***/ }),

/***/ 4837:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B4: () => (/* binding */ formatCount),
/* harmony export */   YL: () => (/* binding */ formatLatency),
/* harmony export */   fB: () => (/* binding */ EMPTY_SUMMARY),
/* harmony export */   t2: () => (/* binding */ LatencyHistogram)
/* harmony export */ });
/* unused harmony export DEFAULT_HIGHEST_MS */
/* harmony import */ var hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2960);
/**
 * Latency histograms for load probes and analysis. Percentiles of a long
 * run, or of many tracks and workers, must come from one merged HDR
 * histogram: averaging per-window percentiles is wrong, and keeping every
 * sample makes memory grow with the run. An HDR histogram has a fixed size
 * (about 90 KB here) whatever the number of samples.
 */

/** Ten minutes: longer than any probe or request timeout we allow. */
const DEFAULT_HIGHEST_MS = 600_000;
const US_PER_MS = 1000;
/**
 * Latencies in microseconds with 3 significant digits (0.1% error), so
 * loopback sub-millisecond times and minute-long stalls share one scale.
 * Recording never allocates and never throws: out-of-range values clamp.
 */
class LatencyHistogram {
    highestMs;
    hdr;
    highestUs;
    constructor(options = {}) {
        this.highestMs = options.highestMs ?? DEFAULT_HIGHEST_MS;
        this.highestUs = Math.max(2, Math.round(this.highestMs * US_PER_MS));
        this.hdr = (0,hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__/* .build */ .jq)({
            bitBucketSize: 32,
            autoResize: false,
            lowestDiscernibleValue: 1,
            highestTrackableValue: this.highestUs,
            numberOfSignificantValueDigits: 3,
            useWebAssembly: false
        });
    }
    /**
     * Records a latency `count` times (default once); negative clamps to 0,
     * NaN is ignored.
     */
    record(ms, count = 1) {
        if (!(ms >= 0)) {
            if (Number.isNaN(ms))
                return;
            ms = 0;
        }
        const us = Math.round(ms * US_PER_MS);
        const value = us > this.highestUs ? this.highestUs : us;
        if (count === 1)
            this.hdr.recordValue(value);
        else if (count > 1)
            this.hdr.recordValueWithCount(value, count);
    }
    /** Latency in ms at percentile `q` (0-100, e.g. 99.9); 0 when empty. */
    percentile(q) {
        if (this.hdr.totalCount === 0)
            return 0;
        return this.hdr.getValueAtPercentile(q) / US_PER_MS;
    }
    get count() {
        return this.hdr.totalCount;
    }
    /**
     * Adds another histogram's samples to this one: the only correct way to
     * combine percentiles of workers, windows or tracks.
     */
    merge(other) {
        this.hdr.add(other.hdr);
        return this;
    }
    reset() {
        this.hdr.reset();
    }
    /** The percentiles reports and conditions read; all 0 when n is 0. */
    summary() {
        const n = this.hdr.totalCount;
        if (n === 0)
            return { n, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 };
        return {
            n,
            p50: this.percentile(50),
            p90: this.percentile(90),
            p95: this.percentile(95),
            p99: this.percentile(99),
            max: this.hdr.maxValue / US_PER_MS,
            mean: Math.round(this.hdr.mean) / US_PER_MS
        };
    }
    toJSON() {
        return this.summary();
    }
}
/**
 * Latencies as people read them in verdicts: `0.42ms`, `4.1ms`, `412ms`,
 * `1.41s`, `2m05s`. Loopback times would all be `0ms` with whole units.
 */
function formatLatency(ms) {
    if (!Number.isFinite(ms))
        return String(ms);
    if (ms < 1)
        return `${Number(ms.toFixed(2))}ms`;
    if (ms < 10)
        return `${Number(ms.toFixed(1))}ms`;
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    if (ms < 60_000)
        return `${Number((ms / 1000).toFixed(2))}s`;
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
/** Counts with thousands separators, as in `n=6,000`. */
function formatCount(n) {
    return Math.round(n).toLocaleString('en-US');
}
/** The summary of no samples at all (a run that never started). */
const EMPTY_SUMMARY = {
    n: 0,
    p50: 0,
    p90: 0,
    p95: 0,
    p99: 0,
    max: 0,
    mean: 0
};


/***/ })

};
