export const id = 102;
export const ids = [102];
export const modules = {

/***/ 9102:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildJudge: () => (/* binding */ buildJudge)
});

// EXTERNAL MODULE: ./src/kernel/runner.ts
var runner = __webpack_require__(6095);
// EXTERNAL MODULE: ./src/config/schema.ts + 5 modules
var schema = __webpack_require__(4720);
// EXTERNAL MODULE: ./src/kernel/histogram.ts
var histogram = __webpack_require__(8047);
;// CONCATENATED MODULE: ./src/analysis/latencies.ts
/**
 * Which latency a quantile metric judges, and each track's histograms of
 * the WebSocket measures (DESIGN.md §5: latency means one thing): `pNN` is
 * the request latency of HTTP probes; `ws-connect-pNN`,
 * `ws-first-message-pNN` and `ws-push-pNN` are what WebSocket and
 * Socket.IO probes measure, never their whole flow's duration.
 */

const WS_LATENCIES = [
    'ws-connect',
    'ws-first-message',
    'ws-push'
];
const NONE = [];
/**
 * The values a sample gives a latency: its request time for an HTTP probe
 * that got a response, its measures for a WebSocket probe that connected,
 * else none.
 */
function latenciesOf(sample, of) {
    if (sample.error === true)
        return NONE;
    if (of === 'http') {
        const ms = sample.timings.totalMs;
        const one = sample.kind === 'http' && sample.requests === undefined;
        return one && ms >= 0 ? [ms] : NONE;
    }
    const ws = sample.kind === 'websocket' ? sample.ws : undefined;
    if (!ws)
        return NONE;
    if (of === 'ws-connect')
        return [ws.connectMs];
    if (of === 'ws-first-message') {
        return ws.firstMessageMs === undefined ? NONE : [ws.firstMessageMs];
    }
    return ws.pushLatenciesMs ?? NONE;
}
const INITIAL_LOOK_CAPACITY = 64;
/** One latency's histogram for the bake and values for the current look. */
class LatencyStore {
    latN = 0;
    lookLatN = 0;
    lookLat;
    histogram;
    keepLook;
    constructor(keepLook) {
        this.keepLook = keepLook;
        this.lookLat = new Float64Array(keepLook ? INITIAL_LOOK_CAPACITY : 0);
    }
    record(ms) {
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
    endLook() {
        this.lookLatN = 0;
    }
    reset() {
        this.latN = 0;
        this.lookLatN = 0;
        this.histogram?.reset();
    }
    quantile(q) {
        if (this.latN === 0 || !this.histogram)
            return NaN;
        return this.histogram.percentile(q * 100);
    }
}
/**
 * What a track measured beyond HTTP latency: samples by probe kind (so a
 * `pNN` without HTTP samples can say why) and the WebSocket measures.
 */
class WsTrack {
    /** Samples of HTTP probes, and of WebSocket probes, failures included. */
    httpSamples = 0;
    wsSamples = 0;
    stores;
    constructor(keepLook) {
        this.stores = {
            'ws-connect': new LatencyStore(keepLook),
            'ws-first-message': new LatencyStore(keepLook),
            'ws-push': new LatencyStore(keepLook)
        };
    }
    /** Counts the sample's kind; records its measures only when `timed`. */
    add(sample, timed = true) {
        if (sample.kind === 'http')
            this.httpSamples++;
        if (sample.kind !== 'websocket')
            return;
        this.wsSamples++;
        if (!timed)
            return;
        for (const of of WS_LATENCIES) {
            for (const ms of latenciesOf(sample, of))
                this.stores[of].record(ms);
        }
    }
    endLook() {
        for (const of of WS_LATENCIES)
            this.stores[of].endLook();
    }
    reset() {
        this.httpSamples = 0;
        this.wsSamples = 0;
        for (const of of WS_LATENCIES)
            this.stores[of].reset();
    }
}
/** The q quantile of a look's values (nearest rank); NaN without any. */
function lookQuantile(l, q) {
    if (l.lookLatN === 0)
        return NaN;
    const sorted = l.lookLat.slice(0, l.lookLatN).sort();
    const rank = Math.max(1, Math.ceil(q * sorted.length));
    return sorted[rank - 1];
}

;// CONCATENATED MODULE: ./src/analysis/measure.ts


const QUANTILE_NAME = /^(?:(ws-connect|ws-first-message|ws-push)-)?p(\d+)$/;
/** What a built-in name computes; undefined for names of one's own. */
function builtinOf(name) {
    if (!(name in schema/* BUILTIN_METRICS */.Ie))
        return undefined;
    if (name === 'error-rate')
        return { type: 'rate', indicator: 'error' };
    if (name === 'success-rate')
        return { type: 'rate', indicator: 'success' };
    const m = QUANTILE_NAME.exec(name);
    if (!m)
        return undefined;
    const of = (m[1] ?? 'http');
    return { type: 'quantile', q: Number(m[2]) / 100, of };
}
/**
 * The metrics of an analysis or soak section: a built-in name without a
 * source is computed from probe samples, everything else is read.
 */
function judgeMetrics(metrics) {
    return Object.entries(metrics ?? {}).map(([name, m]) => ({
        name,
        source: (0,schema/* sourcesOf */.u0)(m).length === 0 && builtinOf(name) ? 'probes' : 'external',
        warn: m.warn ?? [],
        fail: m.fail ?? []
    }));
}
/**
 * One track's samples: totals for the bake and counters for the current
 * look. Transport failures (`error: true`: refused, reset, timeout) count
 * as errors but carry no latency, so a dead canary answering "connection
 * refused" in 0.3ms cannot look fast. Latency here is HTTP request latency
 * of HTTP probes; WebSocket measures are kept in `ws`.
 */
class TrackStats {
    n = 0;
    /**
     * Samples measured while the runner stalled: their timings are left out
     * (an answer still counts for rates, a transport failure not at all).
     */
    setAside = 0;
    /** Of those, answers counted for rates only (in `n`, no latency). */
    untimed = 0;
    bad = 0;
    lookN = 0;
    lookBad = 0;
    /** HTTP request latency of HTTP samples (not transport failures). */
    http;
    /** Samples by probe kind and the WebSocket measures. */
    ws;
    keepLook;
    constructor(keepLookLatencies = false) {
        this.keepLook = keepLookLatencies;
        this.http = new LatencyStore(keepLookLatencies);
        this.ws = new WsTrack(keepLookLatencies);
    }
    /** HTTP samples with a latency. */
    get latN() {
        return this.http.latN;
    }
    get lookLatN() {
        return this.http.lookLatN;
    }
    get lookLat() {
        return this.http.lookLat;
    }
    /**
     * One sample; `timed: false` counts it for rates only (the runner stalled
     * while it was measured, so its timings are the runner's).
     */
    add(sample, timed = true) {
        this.n++;
        this.lookN++;
        this.ws.add(sample, timed);
        if (!sample.ok) {
            this.bad++;
            this.lookBad++;
        }
        if (!timed) {
            this.untimed++;
            return;
        }
        if (sample.error === true || sample.kind !== 'http')
            return;
        this.http.record(sample.timings.totalMs);
    }
    /** Starts a new look. */
    endLook() {
        this.lookN = 0;
        this.lookBad = 0;
        this.http.endLook();
        this.ws.endLook();
    }
    /** Forgets everything (fixed-interval windows). */
    reset() {
        this.n = 0;
        this.untimed = 0;
        this.bad = 0;
        this.endLook();
        this.http.reset();
        this.ws.reset();
    }
    /** Share of samples that are errors, or successes. */
    rate(indicator) {
        if (this.n === 0)
            return NaN;
        return indicator === 'error' ? this.bad / this.n : 1 - this.bad / this.n;
    }
    /** HTTP latency in ms at quantile q (0.95 for p95); NaN without any. */
    quantile(q) {
        return this.http.quantile(q);
    }
    /** The values of one latency: HTTP here, WebSocket measures in `ws`. */
    latencies(of) {
        return of === 'http' ? this.http : this.ws.stores[of];
    }
    /** Count of samples (or latencies) behind a built-in metric. */
    count(b) {
        return b.type === 'rate' ? this.n : this.latencies(b.of).latN;
    }
    /** The built-in metric's value over all samples. */
    value(b) {
        return b.type === 'rate'
            ? this.rate(b.indicator)
            : this.latencies(b.of).quantile(b.q);
    }
    /** This look's value (a per-look rate, or a quantile of this look). */
    lookValue(b) {
        if (b.type === 'rate') {
            if (this.lookN === 0)
                return NaN;
            const r = this.lookBad / this.lookN;
            return b.indicator === 'error' ? r : 1 - r;
        }
        if (!this.keepLook)
            return NaN;
        return lookQuantile(this.latencies(b.of), b.q);
    }
}

// EXTERNAL MODULE: ./src/analysis/conditions.ts
var conditions = __webpack_require__(9334);
// EXTERNAL MODULE: ./src/analysis/wording.ts
var wording = __webpack_require__(1074);
;// CONCATENATED MODULE: ./src/analysis/methods/external.ts


class ExternalMethod {
    name = 'external';
    check;
    costlyClear = false;
    series;
    settings;
    /** Looks with a value, breaching / clear, in a row. */
    breachRun = 0;
    clearRun = 0;
    early;
    constructor(check, series, settings) {
        this.check = check;
        this.series = series;
        this.settings = settings;
    }
    look() {
        const now = this.series.current;
        if (!now)
            return undefined;
        const { check } = this;
        const ev = (0,conditions/* evaluate */._3)(check.condition, now.canary, now.baseline);
        if (!ev)
            return undefined;
        if (ev.breached) {
            this.breachRun++;
            this.clearRun = 0;
        }
        else {
            this.clearRun++;
            this.breachRun = 0;
        }
        if (check.level !== 'fail' ||
            this.breachRun < this.settings.breachLooks ||
            this.early ||
            this.series.failed) {
            return undefined;
        }
        const n = this.n();
        const value = (0,wording/* formatValue */.Fl)(now.canary, check.kind);
        const baseline = now.baseline === undefined
            ? undefined
            : (0,wording/* formatValue */.Fl)(now.baseline, check.kind);
        const line = (0,wording/* verdictLine */.MT)({
            metric: check.metric.name,
            value,
            condition: check.condition,
            breached: true,
            ...(baseline === undefined ? {} : { baseline }),
            n
        });
        this.early = {
            name: check.metric.name,
            level: 'fail',
            value,
            ...(baseline === undefined ? {} : { baseline }),
            condition: check.condition.text,
            n,
            reason: `${line}${(0,wording/* inARow */.F$)(this.breachRun)}${this.source()}`
        };
        return this.early;
    }
    clear() {
        const { series } = this;
        if (this.clearRun < this.settings.breachLooks || series.failed) {
            return undefined;
        }
        if (series.streak.canary > 0 || series.streak.baseline > 0) {
            return undefined;
        }
        const m = this.measure();
        return m.status === 'value' && !m.breached
            ? (0,wording/* findingOf */.hD)(this.check, m, `${(0,wording/* inARow */.F$)(this.clearRun)}${this.source()}`)
            : undefined;
    }
    final() {
        if (this.early)
            return this.early;
        if (this.series.failed)
            return undefined;
        const m = this.measure();
        return (0,wording/* findingOf */.hD)(this.check, m, m.status === 'value' ? this.source() : '');
    }
    /** ` (datadog: query, last point 12:04:05)` when the source said where. */
    source() {
        const { note } = this.series;
        return note === undefined ? '' : ` (${note})`;
    }
    n() {
        const looks = this.series.valueLooks;
        return {
            canary: looks,
            ...(this.check.relative ? { baseline: looks } : {})
        };
    }
    /** The median of the bake's readings against the condition. */
    measure() {
        const { series, check } = this;
        const name = check.metric.name;
        const n = this.n();
        const missing = series.looks - series.valueLooks;
        if (series.valueLooks === 0 || missing > series.valueLooks) {
            return {
                status: series.errorLooks > series.noDataLooks ? 'error' : 'no-data',
                n,
                reason: (0,wording/* missingReadings */.K3)(name, series.looks, series.valueLooks, series.noDataLooks, series.errorLooks, series.lastError, series.lastNoData)
            };
        }
        const value = (0,conditions/* median */.JZ)(series.canary);
        const baseline = check.relative ? (0,conditions/* median */.JZ)(series.baseline) : undefined;
        const ev = (0,conditions/* evaluate */._3)(check.condition, value, baseline);
        if (!ev)
            return { status: 'no-data', n, reason: (0,wording/* noValueToCompare */.Pb)(name) };
        return {
            status: 'value',
            value,
            ...(baseline === undefined ? {} : { baseline }),
            breached: ev.breached,
            n
        };
    }
}

;// CONCATENATED MODULE: ./src/analysis/methods/builtin.ts
/**
 * What a condition on a built-in metric measures at a given moment: the
 * value over all probe samples of the tracks it needs, or why there is
 * none yet.
 */


/**
 * `gated`: fewer than `minSamples` per needed track is no-data (final and
 * early pass); early fails only need a value, as their test decides.
 */
function measureBuiltin(check, b, tracks, minSamples, gated) {
    const name = check.metric.name;
    const can = tracks.canary;
    const base = check.relative ? tracks.baseline : undefined;
    const n = {
        canary: can.count(b),
        ...(base ? { baseline: base.count(b) } : {})
    };
    const need = gated ? minSamples : 1;
    for (const [t, stats] of [
        ['canary', can],
        ['baseline', base]
    ]) {
        if (!stats)
            continue;
        const count = stats.count(b);
        if (count >= need)
            continue;
        if (b.type === 'quantile' && stats.untimed > 0 && stats.n >= need) {
            // Answers came, but the runner stalled while timing too many of
            // them: missing latencies, which a longer bake can make up.
            return {
                status: 'no-data',
                n,
                reason: (0,wording/* tooFewSamples */.Kq)(name, count, t, minSamples)
            };
        }
        const none = b.type === 'quantile' && stats.n > 0
            ? (0,wording/* noLatencies */.gf)(name, b.of, {
                http: stats.ws.httpSamples,
                ws: stats.ws.wsSamples,
                values: count
            }, t)
            : undefined;
        if (none)
            return { status: 'error', n, reason: none };
        if (b.type === 'quantile' && stats.n >= need) {
            return {
                status: 'error',
                n,
                reason: (0,wording/* tooFewResponses */.FP)(name, count, stats.n, t)
            };
        }
        return {
            status: 'no-data',
            n,
            reason: (0,wording/* tooFewSamples */.Kq)(name, stats.n, t, minSamples)
        };
    }
    const value = can.value(b);
    const baseline = base ? base.value(b) : undefined;
    const ev = (0,conditions/* evaluate */._3)(check.condition, value, baseline);
    if (!ev)
        return { status: 'no-data', n, reason: (0,wording/* noValueToCompare */.Pb)(name) };
    return {
        status: 'value',
        value,
        ...(baseline === undefined ? {} : { baseline }),
        breached: ev.breached,
        n
    };
}

;// CONCATENATED MODULE: ./src/analysis/methods/final-only.ts


class FinalOnlyMethod {
    name = 'final-only';
    check;
    costlyClear = false;
    builtin;
    tracks;
    settings;
    constructor(check, builtin, tracks, settings) {
        this.check = check;
        this.builtin = builtin;
        this.tracks = tracks;
        this.settings = settings;
    }
    look() {
        return undefined;
    }
    clear() {
        return undefined;
    }
    final() {
        const { check, builtin, tracks, settings } = this;
        return (0,wording/* findingOf */.hD)(check, measureBuiltin(check, builtin, tracks, settings.minSamples, true));
    }
}

;// CONCATENATED MODULE: ./src/analysis/methods/growth.ts


class GrowthMethod {
    name = 'growth';
    check;
    costlyClear = false;
    /** Where the values come from: a source's readings, or the probes. */
    from;
    settings;
    constructor(check, from, settings) {
        this.check = check;
        this.from = 'series' in from ? from : { ...from, times: [], values: [] };
        this.settings = settings;
    }
    look(at) {
        const { from } = this;
        if ('series' in from)
            return undefined;
        const v = from.tracks.canary.lookValue(from.builtin);
        if (Number.isNaN(v))
            return undefined;
        from.times.push(at);
        from.values.push(v);
        return undefined;
    }
    clear() {
        return undefined;
    }
    final() {
        if ('series' in this.from && this.from.series.failed)
            return undefined;
        return (0,wording/* findingOf */.hD)(this.check, this.measure());
    }
    measure() {
        const { from, check } = this;
        const name = check.metric.name;
        const t = 'series' in from ? from.series.times : from.times;
        const v = 'series' in from ? from.series.canary : from.values;
        const n = { canary: v.length };
        if ('builtin' in from) {
            const canary = from.tracks.canary;
            if (canary.count(from.builtin) < this.settings.minSamples) {
                return {
                    status: 'no-data',
                    n,
                    reason: (0,wording/* trendTooFewSamples */.N9)(name, canary.n, this.settings.minSamples)
                };
            }
        }
        const g = (0,conditions/* growth */.Am)(t, v);
        if (!g) {
            return { status: 'no-data', n, reason: (0,wording/* trendTooShort */.UL)(name, v.length) };
        }
        const ev = (0,conditions/* evaluate */._3)(check.condition, g.ratioPerHour);
        return {
            status: 'value',
            value: g.ratioPerHour,
            breached: ev.breached,
            n
        };
    }
}

;// CONCATENATED MODULE: ./src/analysis/methods/method.ts
/** Which way a breach goes: `above` for `>` and `>=`. */
function sideOf(op) {
    if (op === '>' || op === '>=')
        return 'above';
    if (op === '<' || op === '<=')
        return 'below';
    return undefined;
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

;// CONCATENATED MODULE: ./src/analysis/methods/tested.ts




const flip = (s) => (s === 'above' ? 'below' : 'above');
class TestedMethod {
    check;
    alpha;
    costlyClear = false;
    builtin;
    tracks;
    settings;
    h0;
    failTest;
    passTest;
    early;
    /**
     * `p0`: the null rate (NaN when the condition has none); `alpha`: this
     * condition's share, for fail conditions (warn conditions get no test).
     */
    constructor(check, builtin, tracks, settings, p0, alpha, passes = true) {
        this.check = check;
        this.builtin = builtin;
        this.tracks = tracks;
        this.settings = settings;
        this.h0 = nullRate(check.condition, p0);
        if (!this.h0 || alpha === undefined)
            return;
        const { side } = this.h0;
        const grid = settings.gridSize;
        this.alpha = alpha;
        this.failTest = new MixtureTest(this.h0.p0, side, alpha, grid);
        if (settings.decideEarly && passes) {
            this.passTest = new MixtureTest(this.h0.p0, flip(side), alpha, grid);
        }
    }
    look() {
        if (!this.failTest)
            return undefined;
        this.feed(this.passTest ? [this.failTest, this.passTest] : [this.failTest]);
        this.failTest.rejects();
        if (this.settings.decideEarly)
            this.passTest?.rejects();
        if (!this.failTest.rejected)
            return undefined;
        const m = this.measure(false);
        if (m.status !== 'value' || !m.breached)
            return undefined;
        this.early = this.sure(m);
        return this.early;
    }
    clear() {
        if (!this.passTest?.rejected)
            return undefined;
        const m = this.measure(true);
        return m.status === 'value' && !m.breached ? this.sure(m) : undefined;
    }
    final() {
        if (this.early)
            return this.early;
        const m = this.measure(true);
        return (0,wording/* findingOf */.hD)(this.check, m, '', this.detectable(m.n));
    }
    measure(gated) {
        const { tracks, settings } = this;
        return measureBuiltin(this.check, this.builtin, tracks, settings.minSamples, gated);
    }
    /** The finding of an early decision. */
    sure(m) {
        const suffix = (0,wording/* sureAt */.vN)(this.check.condition, m, this.settings.confidence);
        return (0,wording/* findingOf */.hD)(this.check, m, suffix, this.detectable(m.n));
    }
    /**
     * The test that gauges what the samples could detect: the fail test, or
     * for a warn condition one at the full alpha.
     */
    gauge() {
        if (this.failTest || !this.h0)
            return this.failTest;
        const { p0, side } = this.h0;
        return new MixtureTest(p0, side, this.settings.alpha, this.settings.gridSize);
    }
}
function nullRate(c, p0) {
    if (c.kind !== 'compare')
        return undefined;
    const side = sideOf(c.op);
    if (!side || Number.isNaN(p0))
        return undefined;
    return { p0: Math.min(1, Math.max(0, p0)), side };
}

;// CONCATENATED MODULE: ./src/analysis/methods/quantile-paired.ts




class PairedQuantileMethod extends TestedMethod {
    name = 'quantile-paired';
    costlyClear = true;
    q;
    of;
    constructor(check, builtin, tracks, settings, alpha) {
        // Under H0 a canary latency beats f(baseline) at most half the time.
        super(check, builtin, tracks, settings, 0.5, alpha, false);
        this.q = builtin.q;
        this.of = builtin.of;
    }
    /** The canary value the condition compares with: f(baseline). */
    line(baseline) {
        const c = this.check.condition;
        if (c.kind !== 'compare')
            return NaN;
        return (0,conditions/* thresholdOf */.pI)(c, baseline) ?? NaN;
    }
    feed(tests) {
        const can = this.tracks.canary.latencies(this.of);
        const base = this.tracks.baseline?.latencies(this.of);
        if (!base)
            return;
        const pairs = Math.min(can.lookLatN, base.lookLatN);
        let wins = 0;
        const cl = can.lookLat;
        const bl = base.lookLat;
        for (let i = 0; i < pairs; i++)
            if (cl[i] > this.line(bl[i]))
                wins++;
        tests[0].observeCounts(wins, pairs);
    }
    /**
     * Clear when always-valid order-statistic bounds on both tracks'
     * quantiles (alpha/2 each) put the canary's quantile on the good side
     * of f(baseline's quantile).
     */
    clear() {
        const base = this.tracks.baseline?.latencies(this.of);
        const c = this.check.condition;
        if (!base || this.alpha === undefined || c.kind !== 'compare') {
            return undefined;
        }
        const m = this.measure(true);
        if (m.status !== 'value' || m.breached)
            return undefined;
        const can = this.tracks.canary.latencies(this.of);
        const { gridSize } = this.settings;
        const half = this.alpha / 2;
        const rc = quantileRanks(can.latN, this.q, half, gridSize);
        const rb = quantileRanks(base.latN, this.q, half, gridSize);
        const at = (t, rank) => rank === undefined ? NaN : t.quantile(rank / t.latN);
        // HDR reports a bucket's upper end: shave 0.1% off lower bounds.
        const op = c.op;
        if (op === '>' || op === '>=') {
            const upperC = at(can, rc.upper);
            const lowerB = at(base, rb.lower) * 0.999;
            if (Number.isNaN(upperC) || Number.isNaN(lowerB))
                return undefined;
            return (0,conditions/* compare */.UD)(op, upperC, this.line(lowerB)) ? undefined : this.sure(m);
        }
        const lowerC = at(can, rc.lower) * 0.999;
        const upperB = at(base, rb.upper);
        if (Number.isNaN(lowerC) || Number.isNaN(upperB))
            return undefined;
        return (0,conditions/* compare */.UD)(op, lowerC, this.line(upperB)) ? undefined : this.sure(m);
    }
    detectable() {
        const test = this.failTest;
        if (!test || !this.h0)
            return undefined;
        const pairs = test.n;
        const p = test.detectable(pairs);
        return (0,wording/* detectablePairs */.v0)(this.check.condition, this.h0.side, p, pairs);
    }
}

;// CONCATENATED MODULE: ./src/analysis/methods/quantile.ts




class QuantileMethod extends TestedMethod {
    name = 'quantile';
    /** The threshold in ms. */
    threshold;
    /** This look's canary latencies above the threshold. */
    exceed = 0;
    of;
    constructor(check, builtin, tracks, settings, alpha) {
        super(check, builtin, tracks, settings, 1 - builtin.q, alpha);
        this.of = builtin.of;
        const c = check.condition;
        this.threshold =
            c.kind === 'compare' &&
                c.operand.kind !== 'baseline-ratio' &&
                c.operand.kind !== 'baseline-plus'
                ? (0,conditions/* quantityValue */.$5)(c.operand)
                : NaN;
    }
    observe(sample) {
        if (!this.failTest)
            return;
        for (const ms of latenciesOf(sample, this.of)) {
            if (ms > this.threshold)
                this.exceed++;
        }
    }
    feed(tests) {
        const exceed = this.exceed;
        this.exceed = 0;
        const n = this.tracks.canary.latencies(this.of).lookLatN;
        for (const t of tests)
            t.observeCounts(exceed, n);
    }
    detectable(n) {
        const test = this.gauge();
        if (!test || !this.h0)
            return undefined;
        const p = test.detectable(n.canary);
        return (0,wording/* detectableQuantile */.TI)(this.h0.side, p, this.threshold, n.canary);
    }
}

;// CONCATENATED MODULE: ./src/analysis/methods/rate-ratio.ts


class RateRatioMethod extends TestedMethod {
    name = 'rate-ratio';
    constructor(check, builtin, tracks, settings, alpha) {
        super(check, builtin, tracks, settings, nullOf(check.condition), alpha);
    }
    feed(tests) {
        const can = this.tracks.canary;
        const base = this.tracks.baseline;
        if (!base)
            return;
        const k = tests[0].p0 / (1 - tests[0].p0);
        const nc = can.lookN;
        const nb = base.lookN;
        if (nc === 0 || nb === 0)
            return;
        const events = can.lookBad + base.lookBad;
        const p0 = (k * nc) / (k * nc + nb);
        for (const t of tests)
            t.observeCounts(can.lookBad, events, p0);
    }
    detectable() {
        const test = this.gauge();
        const can = this.tracks.canary;
        const base = this.tracks.baseline;
        if (!test || !this.h0 || !base)
            return undefined;
        const events = can.bad + base.bad;
        const theta = test.detectable(events);
        const k = theta === undefined || theta >= 1 || can.n === 0
            ? undefined
            : (theta / (1 - theta)) * (base.n / can.n);
        return (0,wording/* detectableRatio */.jf)(this.check.metric.name, this.h0.side, k, events);
    }
}
/** k/(1+k): the canary's share of errors when its rate is k x baseline. */
function nullOf(c) {
    if (c.kind !== 'compare' || c.operand.kind !== 'baseline-ratio')
        return NaN;
    return c.operand.factor / (1 + c.operand.factor);
}

;// CONCATENATED MODULE: ./src/analysis/methods/rate.ts



class RateMethod extends TestedMethod {
    name = 'rate';
    indicator;
    constructor(check, builtin, tracks, settings, alpha) {
        super(check, builtin, tracks, settings, rate_nullOf(check.condition), alpha);
        this.indicator = builtin.indicator;
    }
    feed(tests) {
        const can = this.tracks.canary;
        const hits = this.indicator === 'error' ? can.lookBad : can.lookN - can.lookBad;
        for (const t of tests)
            t.observeCounts(hits, can.lookN);
    }
    detectable(n) {
        const test = this.gauge();
        if (!test || !this.h0)
            return undefined;
        const p = test.detectable(n.canary);
        return (0,wording/* detectableRate */.Mb)(this.check.metric.name, this.h0.side, p, n.canary);
    }
}
/** The threshold itself. */
function rate_nullOf(c) {
    if (c.kind !== 'compare')
        return NaN;
    const o = c.operand;
    if (o.kind === 'baseline-ratio' || o.kind === 'baseline-plus')
        return NaN;
    return (0,conditions/* quantityValue */.$5)(o);
}

;// CONCATENATED MODULE: ./src/analysis/methods/choose.ts










/** Methods with an always-valid early test: they share alpha. */
const TESTED = new Set([
    'rate',
    'rate-ratio',
    'quantile',
    'quantile-paired'
]);
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
/**
 * Every condition of every metric (fail before warn) with its method.
 * Throws on a built-in name that is not one, and on a condition on the
 * baseline without a baseline track.
 */
function planChecks(metrics, hasBaseline) {
    const planned = [];
    for (const metric of metrics) {
        const builtin = metric.source === 'probes' ? builtinOf(metric.name) : undefined;
        if (metric.source === 'probes' && !builtin) {
            throw new RangeError(`'${metric.name}' is not a built-in metric`);
        }
        for (const level of ['fail', 'warn']) {
            for (const condition of metric[level]) {
                const relative = condition.kind === 'compare' &&
                    (condition.operand.kind === 'baseline-ratio' ||
                        condition.operand.kind === 'baseline-plus');
                if (relative && !hasBaseline) {
                    throw new RangeError(`${metric.name}: '${condition.text}' compares with the baseline, but there is no baseline track`);
                }
                const kind = builtin
                    ? builtin.type === 'rate'
                        ? 'rate'
                        : 'latency'
                    : (0,conditions/* kindForCondition */.T6)(condition);
                planned.push({
                    check: { metric, builtin, condition, level, kind, relative },
                    method: methodOf(metric, builtin, condition)
                });
            }
        }
    }
    return planned;
}
/**
 * Whether the tracks must keep each look's latencies: for paired tests
 * and for trends of a latency quantile.
 */
function keepsLookLatencies(planned) {
    return planned.some((p) => (p.method === 'quantile-paired' && p.check.level === 'fail') ||
        (p.method === 'growth' && p.check.builtin?.type === 'quantile'));
}
/**
 * The methods of the planned checks, in order. Alpha is split equally
 * over the fail conditions with an early test (Bonferroni), so the early
 * false-fail rate of the whole bake stays at or below alpha.
 */
function createMethods(planned, tracks, sources, settings) {
    const tested = planned.filter((p) => p.check.level === 'fail' && TESTED.has(p.method)).length;
    const share = tested > 0 ? settings.alpha / tested : settings.alpha;
    return planned.map(({ check, method }) => {
        const alpha = check.level === 'fail' ? share : undefined;
        const series = sources.get(check.metric.name);
        if (series) {
            return method === 'growth'
                ? new GrowthMethod(check, { series }, settings)
                : new ExternalMethod(check, series, settings);
        }
        const b = check.builtin;
        if (!b) {
            throw new RangeError(`'${check.metric.name}' has neither a source nor a value of its own`);
        }
        if (method === 'growth') {
            return new GrowthMethod(check, { builtin: b, tracks }, settings);
        }
        if (method === 'final-only') {
            return new FinalOnlyMethod(check, b, tracks, settings);
        }
        if (method === 'rate-ratio') {
            return new RateRatioMethod(check, b, tracks, settings, alpha);
        }
        if (b.type === 'rate') {
            return new RateMethod(check, b, tracks, settings, alpha);
        }
        return method === 'quantile-paired'
            ? new PairedQuantileMethod(check, b, tracks, settings, alpha)
            : new QuantileMethod(check, b, tracks, settings, alpha);
    });
}

;// CONCATENATED MODULE: ./src/analysis/outcome.ts

/**
 * The verdict: an early decision or any failing finding fails; missing data
 * follows `on-no-data` (but a source error is never a pass); then warnings;
 * then a pass.
 */
function outcomeOf(t) {
    const { findings, inconclusive, early } = t;
    const result = (outcome, reason) => ({
        outcome,
        reason,
        findings,
        inconclusive,
        ...(early ? { early: { decision: early.decision, at: early.at } } : {})
    });
    const failing = findings.filter((f) => f.level === 'fail' ||
        (f.level === 'error' && !inconclusive.includes(f.name)));
    if (early?.decision === 'fail' || failing.length > 0) {
        const first = early?.decision === 'fail' ? early.findings : failing;
        return result('failed', (0,wording/* failedReason */.Kw)(first));
    }
    if (inconclusive.length > 0) {
        const f = findings.find((x) => x.level === 'no-data' || x.level === 'error');
        const why = f?.reason ?? (0,wording/* noDataFor */.xE)(inconclusive);
        if (t.errored && t.onNoData === 'pass') {
            return result('failed', (0,wording/* neverPassOnErrors */.aJ)(why));
        }
        const mapped = t.onNoData === 'fail'
            ? 'failed'
            : t.onNoData === 'hold'
                ? 'held'
                : undefined;
        if (mapped)
            return result(mapped, (0,wording/* inconclusiveReason */.f1)(why, t.onNoData));
    }
    const warn = findings.find((f) => f.level === 'warn');
    if (warn)
        return result('warned', warn.reason);
    if (inconclusive.length > 0) {
        return result('passed', (0,wording/* passedWithoutData */.lZ)(inconclusive, t.samples));
    }
    if (early?.decision === 'pass') {
        return result('passed', (0,wording/* passedEarly */.OO)(t.confidence, t.samples));
    }
    if (findings.length === 1)
        return result('passed', findings[0].reason);
    return result('passed', (0,wording/* allHeld */.hh)(findings.length, t.samples));
}

;// CONCATENATED MODULE: ./src/analysis/live.ts



/**
 * The line the fail conditions draw now: the tightest of them when they all
 * point one way (`> 500ms` and `> 2x baseline` fail at the lower one), else
 * the first one's.
 */
function failLine(m, baseline) {
    const lines = [];
    for (const c of m.fail) {
        if (c.kind !== 'compare')
            continue;
        const at = (0,conditions/* thresholdOf */.pI)(c, baseline);
        if (at !== undefined && Number.isFinite(at))
            lines.push({ op: c.op, at });
    }
    if (lines.length === 0)
        return undefined;
    const at = lines.map((l) => l.at);
    if (lines.every((l) => l.op.startsWith('>')))
        return Math.min(...at);
    if (lines.every((l) => l.op.startsWith('<')))
        return Math.max(...at);
    return at[0];
}
/** Current values: what the tracks measured and the sources last read. */
function liveValues(metrics, tracks, sources, hasBaseline) {
    const track = (t) => ({
        n: t.n,
        ...(t.n > 0 ? { errorRate: t.rate('error') } : {}),
        ...(t.latN > 0 ? { p95Ms: t.quantile(0.95) } : {})
    });
    const out = {
        canary: track(tracks.canary),
        ...(tracks.baseline ? { baseline: track(tracks.baseline) } : {}),
        metrics: {},
        values: {}
    };
    for (const m of metrics) {
        const b = m.source === 'probes' ? builtinOf(m.name) : undefined;
        const series = sources.get(m.name);
        const value = (t) => {
            if (b) {
                const stats = tracks[t];
                if (!stats || stats.count(b) === 0)
                    return undefined;
                return stats.value(b);
            }
            return series?.last[t];
        };
        const kind = b
            ? b.type === 'rate'
                ? 'rate'
                : 'latency'
            : m.fail.length + m.warn.length > 0
                ? (0,conditions/* kindForCondition */.T6)(m.fail[0] ?? m.warn[0])
                : 'number';
        const c = value('canary');
        const bl = hasBaseline ? value('baseline') : undefined;
        const line = failLine(m, bl);
        out.metrics[m.name] = {
            ...(c === undefined ? {} : { canary: c }),
            ...(bl === undefined ? {} : { baseline: bl }),
            ...(line === undefined ? {} : { threshold: line }),
            kind,
            source: m.source
        };
        const show = (v) => v === undefined ? 'n/a' : (0,wording/* formatValue */.Fl)(v, kind);
        out.values[m.name] = hasBaseline ? `${show(c)} / ${show(bl)}` : show(c);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/analysis/series.ts

class ReadingSeries {
    name;
    /** Whether a condition compares with the baseline's readings. */
    needsBaseline;
    /** Values of the looks that had one, per track, and their times. */
    canary = [];
    baseline = [];
    times = [];
    /** Errors in a row per track. */
    streak = { canary: 0, baseline: 0 };
    lastError = '';
    /** Why the latest look without data had none, as the source said. */
    lastNoData = '';
    /** Looks with any reading, with a value, without data, with an error. */
    looks = 0;
    valueLooks = 0;
    noDataLooks = 0;
    errorLooks = 0;
    /** Where the canary's latest value came from, for findings. */
    note;
    /** The latest value of each track, for progress lines. */
    last = {};
    /** Set once the source errored more than `error-limit` times in a row. */
    failed;
    /** This look's values, when it had them. */
    current;
    pending = {};
    constructor(name, needsBaseline) {
        this.name = name;
        this.needsBaseline = needsBaseline;
    }
    /** One reading; the last one before a look counts. */
    add(track, reading) {
        this.pending[track] = reading;
    }
    /**
     * Takes this look's readings. Returns the source's failure when this look
     * made it one error more than `errorLimit` in a row.
     */
    look(errorLimit) {
        this.current = undefined;
        const { pending } = this;
        if (!pending.canary && !pending.baseline)
            return undefined;
        this.pending = {};
        this.looks++;
        const tracks = this.needsBaseline
            ? ['canary', 'baseline']
            : ['canary'];
        let status = 'value';
        for (const t of tracks) {
            const r = pending[t];
            if (r?.kind === 'error') {
                this.streak[t]++;
                this.lastError = r.reason;
                status = 'error';
            }
            else {
                this.streak[t] = 0;
                if (r?.kind === 'no-data')
                    this.lastNoData = r.reason;
                if (r?.kind !== 'value' && status === 'value')
                    status = 'no-data';
            }
        }
        for (const t of ['canary', 'baseline']) {
            const r = pending[t];
            if (r?.kind === 'value')
                this.last[t] = r.value;
        }
        let broke;
        const streak = Math.max(this.streak.canary, this.streak.baseline);
        if (streak > errorLimit && !this.failed) {
            this.failed = {
                name: this.name,
                level: 'error',
                reason: (0,wording/* sourceErrored */.zg)(this.name, streak, this.lastError)
            };
            broke = this.failed;
        }
        if (status === 'error')
            this.errorLooks++;
        else if (status === 'no-data')
            this.noDataLooks++;
        if (status !== 'value')
            return broke;
        const cr = pending.canary;
        const cv = cr.value;
        this.note = cr.note;
        const bv = this.needsBaseline
            ? pending.baseline.value
            : undefined;
        this.valueLooks++;
        this.canary.push(cv);
        if (bv !== undefined)
            this.baseline.push(bv);
        this.times.push(pending.canary?.at ?? 0);
        this.current = { canary: cv, ...(bv === undefined ? {} : { baseline: bv }) };
        return broke;
    }
}

;// CONCATENATED MODULE: ./src/analysis/judge.ts






const DEFAULTS = {
    confidence: 0.99,
    minSamples: 20,
    errorLimit: 4,
    breachLooks: 3,
    gridSize: 32
};
/**
 * The one way to build a judge, for bakes, soaks, benchmarks and tests
 * alike, so what is tested is what runs. Throws on a confidence outside
 * (0, 1), an unknown built-in metric, or a condition on the baseline
 * without a baseline track.
 */
function buildJudge(options) {
    const confidence = options.confidence ?? DEFAULTS.confidence;
    if (!(confidence > 0 && confidence < 1)) {
        throw new RangeError(`confidence must be between 0% and 100%, got '${confidence}'`);
    }
    const settings = {
        alpha: 1 - confidence,
        confidence,
        minSamples: options.minSamples ?? DEFAULTS.minSamples,
        decideEarly: options.decideEarly ?? false,
        breachLooks: options.breachLooks ?? DEFAULTS.breachLooks,
        gridSize: options.gridSize ?? DEFAULTS.gridSize
    };
    const hasBaseline = options.hasBaseline ?? false;
    const metrics = Array.isArray(options.metrics)
        ? options.metrics
        : judgeMetrics(options.metrics);
    const planned = planChecks(metrics, hasBaseline);
    const keepLook = keepsLookLatencies(planned);
    const tracks = {
        canary: new TrackStats(keepLook),
        baseline: hasBaseline ? new TrackStats(keepLook) : undefined
    };
    const sources = new Map();
    for (const m of metrics) {
        if (m.source !== 'external')
            continue;
        const relative = planned.some((p) => p.check.metric === m && p.check.relative);
        sources.set(m.name, new ReadingSeries(m.name, relative));
    }
    return new Judge({
        settings,
        errorLimit: options.errorLimit ?? DEFAULTS.errorLimit,
        onNoData: options.onNoData ?? 'fail',
        hasBaseline,
        metrics,
        tracks,
        sources,
        methods: createMethods(planned, tracks, sources, settings)
    });
}
/** The coordinator: samples and readings in, methods at each look, verdict. */
class Judge {
    minSamples;
    decideEarly;
    hasBaseline;
    confidence;
    errorLimit;
    onNoData;
    metrics;
    tracks;
    sources;
    methods;
    latencyWatchers;
    decision = 'continue';
    decidedAt = 0;
    decisionFindings = [];
    constructor(parts) {
        const { settings } = parts;
        this.minSamples = settings.minSamples;
        this.decideEarly = settings.decideEarly;
        this.hasBaseline = parts.hasBaseline;
        this.confidence = settings.confidence;
        this.errorLimit = parts.errorLimit;
        this.onNoData = parts.onNoData;
        this.metrics = parts.metrics;
        this.tracks = parts.tracks;
        this.sources = parts.sources;
        this.methods = parts.methods;
        this.latencyWatchers = this.methods.filter((m) => 'observe' in m);
    }
    /** Each condition's method and its share of alpha (Bonferroni). */
    plan() {
        return this.methods.map((m) => ({
            metric: m.check.metric.name,
            level: m.check.level,
            condition: m.check.condition.text,
            method: m.name,
            ...(m.alpha === undefined ? {} : { alpha: m.alpha })
        }));
    }
    /**
     * One probe sample of a track. Samples are grouped by look, not by time,
     * so `at` (when it was taken) is accepted for symmetry and not needed.
     */
    addSample(track, sample, _at) {
        const stats = this.tracks[track];
        if (!stats)
            throw new RangeError('there is no baseline track');
        if ((0,runner/* isSetAside */.JA)(sample)) {
            // The client stalled while measuring: its timings, and a timeout or
            // reset, say nothing about the service. An answer (200 or 500) still
            // says what the service answered, so it counts for rates.
            stats.setAside++;
            if (sample.error !== true)
                stats.add(sample, false);
            return;
        }
        stats.add(sample);
        if (track !== 'canary' || sample.error === true)
            return;
        for (const m of this.latencyWatchers)
            m.observe?.(sample);
    }
    /** One reading of an external metric; the last one before a look counts. */
    addReading(metric, track, reading) {
        const series = this.sources.get(metric);
        if (!series) {
            throw new RangeError(`'${metric}' is not a metric with a source`);
        }
        if (track === 'baseline' && !this.hasBaseline) {
            throw new RangeError('there is no baseline track');
        }
        series.add(track, reading);
    }
    /**
     * A look: each source takes its readings and each method this look's
     * data, then the judge decides. Once a look decided `fail` or `pass`,
     * every later look returns the same.
     */
    look(at) {
        if (this.decision !== 'continue') {
            return { decision: this.decision, findings: this.decisionFindings };
        }
        const fails = [];
        const add = (f) => {
            if (f)
                fails.push(f);
        };
        // Findings in a fixed order: each source (its failure, then its
        // conditions), then the conditions on probe metrics.
        for (const series of this.sources.values()) {
            add(series.look(this.errorLimit));
            for (const m of this.methods) {
                if (m.check.metric.name === series.name)
                    add(m.look(at));
            }
        }
        for (const m of this.methods) {
            if (m.check.metric.source === 'probes')
                add(m.look(at));
        }
        this.tracks.canary.endLook();
        this.tracks.baseline?.endLook();
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
        const inconclusive = [];
        let errored = false;
        for (const series of this.sources.values()) {
            if (series.failed)
                findings.push(series.failed);
        }
        for (const m of this.methods) {
            const f = m.final();
            if (!f)
                continue;
            if (f.level === 'no-data' || f.level === 'error') {
                if (!inconclusive.includes(f.name))
                    inconclusive.push(f.name);
                if (f.level === 'error')
                    errored = true;
            }
            findings.push(f);
        }
        return outcomeOf({
            findings,
            inconclusive,
            errored,
            ...(this.decision === 'continue'
                ? {}
                : {
                    early: {
                        decision: this.decision,
                        at: this.decidedAt,
                        findings: this.decisionFindings
                    }
                }),
            onNoData: this.onNoData,
            confidence: this.confidence,
            samples: {
                canary: this.tracks.canary.n,
                ...(this.tracks.baseline ? { baseline: this.tracks.baseline.n } : {})
            }
        });
    }
    /** Samples set aside for runner stalls, out of all fed, both tracks. */
    setAside() {
        const all = [this.tracks.canary, this.tracks.baseline];
        let setAside = 0;
        let taken = 0;
        for (const t of all) {
            if (!t)
                continue;
            setAside += t.setAside;
            taken += t.n + t.setAside - t.untimed;
        }
        return { setAside, taken };
    }
    /**
     * Whether a probe metric still lacks `minSamples` on a track it needs:
     * what a longer bake can cure when the runner, not the service, fell
     * behind.
     */
    shortOfSamples() {
        const tracks = [this.tracks.canary, this.tracks.baseline];
        for (const m of this.metrics) {
            const b = m.source === 'probes' ? builtinOf(m.name) : undefined;
            if (!b)
                continue;
            for (const t of tracks) {
                if (t && t.count(b) < this.minSamples)
                    return true;
            }
        }
        return false;
    }
    /** Current values per metric and track, for progress lines and the chart. */
    live() {
        return liveValues(this.metrics, this.tracks, this.sources, this.hasBaseline);
    }
    /** The progress-line values of {@link live}: `{ p95: '412ms / 180ms' }`. */
    liveText() {
        return this.live().values;
    }
    decide(decision, findings, at) {
        this.decision = decision;
        this.decidedAt = at;
        this.decisionFindings = findings;
        return { decision, findings };
    }
    /** Findings when every fail condition is surely not breached; else none. */
    earlyPass() {
        const fails = this.methods.filter((m) => m.check.level === 'fail');
        if (fails.length === 0)
            return undefined;
        const needed = [this.tracks.canary];
        if (this.tracks.baseline && fails.some((m) => m.check.relative)) {
            needed.push(this.tracks.baseline);
        }
        if (fails.some((m) => m.check.metric.source === 'probes') &&
            needed.some((t) => t.n < this.minSamples)) {
            return undefined;
        }
        // Cheap tests first; costly ones only when everything else is clear.
        const ordered = [
            ...fails.filter((m) => !m.costlyClear),
            ...fails.filter((m) => m.costlyClear)
        ];
        const findings = [];
        for (const m of ordered) {
            const f = m.clear();
            if (!f)
                return undefined;
            findings.push(f);
        }
        return findings;
    }
}


/***/ }),

/***/ 8047:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
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
