export const id = 91;
export const ids = [91];
export const modules = {

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


/***/ }),

/***/ 7091:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   evaluateLoad: () => (/* binding */ evaluateLoad)
/* harmony export */ });
/* harmony import */ var _config_units_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4529);
/* harmony import */ var _kernel_format_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8982);
/* harmony import */ var _kernel_histogram_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8047);
/**
 * The load verdict: judges an HTTP or WebSocket load result against the
 * probe's `expect:` block, one finding per condition, each with its n.
 */



const PERCENTILES = ['p50', 'p90', 'p95', 'p99'];
/**
 * Judges a load run against its `expect:` block. Percentiles come from the
 * corrected histogram, so a stall during the run fails the gate even when
 * the requests that did get through were fast. Every reason carries the n
 * it rests on, so a verdict from 12 samples reads as weak as it is.
 */
function evaluateLoad(measures, expect) {
    const m = !('kind' in measures)
        ? measures
        : measures.kind === 'load-http'
            ? httpMeasures(measures)
            : wsMeasures(measures);
    const findings = [];
    const rate = (metric, c, good, n) => {
        const value = n > 0 ? good / n : 0;
        findings.push(judge(metric, c, value, n, percentQuantity));
    };
    const e = expect;
    if (e['error-rate'])
        rate('error-rate', e['error-rate'], m.errors, m.attempts);
    if (e['success-rate']) {
        rate('success-rate', e['success-rate'], m.attempts - m.errors, m.attempts);
    }
    if (e['connect-rate']) {
        if (m.connectRate === undefined) {
            findings.push(notApplicable('connect-rate', 'WebSocket load'));
        }
        else {
            const { connected, attempted } = m.connectRate;
            rate('connect-rate', e['connect-rate'], connected, attempted);
        }
    }
    for (const p of PERCENTILES) {
        const c = e[p];
        if (c === undefined)
            continue;
        const label = m.latencyLabel ? `${p} ${m.latencyLabel}` : p;
        findings.push(judge(p, c, m.latency[p], m.latency.n, durationQuantity, label));
    }
    for (const p of PERCENTILES) {
        const key = `push-${p}`;
        const c = e[key];
        if (c === undefined)
            continue;
        if (m.push === undefined) {
            findings.push(notApplicable(key, 'WebSocket load'));
        }
        else {
            findings.push(judge(key, c, m.push[p], m.push.n, durationQuantity));
        }
    }
    if (e.rps) {
        if (m.rps === undefined)
            findings.push(notApplicable('rps', 'HTTP load'));
        else
            findings.push(judge('rps', e.rps, m.rps.value, m.rps.n, rpsQuantity));
    }
    const failed = findings.filter((f) => !f.ok);
    const reason = findings.length === 0
        ? 'no expectations'
        : failed.length > 0
            ? failed.map((f) => f.reason).join('; ')
            : findings.map((f) => f.reason).join('; ');
    return { ok: failed.length === 0, findings, reason };
}
function httpMeasures(r) {
    return {
        attempts: r.requests,
        errors: r.errors,
        latency: r.corrected,
        rps: { value: r.achievedRps, n: r.completed }
    };
}
/**
 * For WebSocket load, percentiles are of the message round trip when the
 * probe sends messages, else of the connect time; `push-pNN` are of the
 * messages the server pushed; rates count connections that failed to open
 * or dropped before the end.
 */
function wsMeasures(r) {
    const rtt = r.messagesSent > 0;
    return {
        attempts: r.connections,
        errors: r.failed + r.dropped,
        connectRate: { connected: r.connected, attempted: r.connections },
        latency: rtt ? r.rtt : r.connect,
        latencyLabel: rtt ? 'rtt' : 'connect',
        push: r.push ?? _kernel_histogram_js__WEBPACK_IMPORTED_MODULE_1__/* .EMPTY_SUMMARY */ .fB
    };
}
function notApplicable(metric, what) {
    return {
        metric,
        ok: false,
        value: 0,
        n: 0,
        reason: `${metric} applies to ${what} only`
    };
}
const percentQuantity = {
    kind: 'percent',
    of: (q) => (q.kind === 'percent' ? q.ratio : undefined),
    show: (v) => (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPercent */ .l9)(v)
};
const durationQuantity = {
    kind: 'duration',
    of: (q) => (q.kind === 'duration' ? q.ms : undefined),
    show: (v) => (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatLatency */ .YL)(v)
};
const rpsQuantity = {
    kind: 'number',
    of: (q) => (q.kind === 'number' ? q.value : undefined),
    show: (v) => `${Number(v.toFixed(1))}/s`
};
function judge(metric, c, value, n, unit, label = metric) {
    const counted = `(n=${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(n)})`;
    const base = { metric, value, n };
    if (c.kind !== 'compare' ||
        c.operand.kind === 'baseline-ratio' ||
        c.operand.kind === 'baseline-plus') {
        return {
            ...base,
            ok: false,
            reason: `${label}: condition '${c.text}' needs a baseline or trend, which a load probe has not`
        };
    }
    const limit = unit.of(c.operand);
    if (limit === undefined) {
        return {
            ...base,
            ok: false,
            reason: `${label}: condition '${c.text}' is not a ${unit.kind}`
        };
    }
    if (n === 0) {
        return {
            ...base,
            ok: false,
            reason: `${label} has no samples, expected ${c.text} ${counted}`
        };
    }
    const ok = (0,_config_units_js__WEBPACK_IMPORTED_MODULE_0__/* .compareOp */ .pN)(c.op, value, limit);
    return {
        ...base,
        ok,
        reason: `${label} ${unit.show(value)}, expected ${c.text} ${counted}`
    };
}


/***/ })

};
