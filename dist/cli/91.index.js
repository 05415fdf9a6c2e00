export const id = 91;
export const ids = [91];
export const modules = {

/***/ 7091:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   evaluateLoad: () => (/* binding */ evaluateLoad)
/* harmony export */ });
/* harmony import */ var _config_units_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4529);
/* harmony import */ var _kernel_format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8982);
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
 * probe sends messages, else of the connect time; rates count connections
 * that failed to open or dropped before the end.
 */
function wsMeasures(r) {
    const rtt = r.messagesSent > 0;
    return {
        attempts: r.connections,
        errors: r.failed + r.dropped,
        connectRate: { connected: r.connected, attempted: r.connections },
        latency: rtt ? r.rtt : r.connect,
        latencyLabel: rtt ? 'rtt' : 'connect'
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
    show: (v) => (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatPercent */ .l9)(v)
};
const durationQuantity = {
    kind: 'duration',
    of: (q) => (q.kind === 'duration' ? q.ms : undefined),
    show: (v) => (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatLatency */ .YL)(v)
};
const rpsQuantity = {
    kind: 'number',
    of: (q) => (q.kind === 'number' ? q.value : undefined),
    show: (v) => `${Number(v.toFixed(1))}/s`
};
function judge(metric, c, value, n, unit, label = metric) {
    const counted = `(n=${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatCount */ .B4)(n)})`;
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
