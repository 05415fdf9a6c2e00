export const id = 148;
export const ids = [148];
export const modules = {

/***/ 148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   judgeBurst: () => (/* binding */ judgeBurst),
/* harmony export */   runHttpBurst: () => (/* binding */ runHttpBurst)
/* harmony export */ });
/* harmony import */ var _http_exchange_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1823);
/* harmony import */ var _http_expect_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6383);
/* harmony import */ var _kernel_clock_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4643);
/**
 * A burst: one request sent many times at once (or at a rate), judged by how
 * many answers carry a status, e.g. that a rate limiter answers 429 to at
 * least one of 50. Each request is sent once; a refused connection counts
 * as no answer, never as the status.
 */



/** Every status is an answer: the burst judges statuses by counting them. */
const ANY_STATUS = ['1xx', '2xx', '3xx', '4xx', '5xx'];
/**
 * Sends the burst with at most `concurrency` requests in flight, starting
 * request i at i / rate seconds when a rate is set. No request starts after
 * the deadline or an abort; those not sent count against the burst.
 */
async function runHttpBurst(spec, opts = {}) {
    const clock = opts.clock ?? _kernel_clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m;
    const redact = opts.redact ?? ((s) => s);
    const startedAt = clock.now();
    const t0 = clock.monotonic();
    const request = {
        ...spec.request,
        retry: { ...spec.request.retry, attempts: 1 },
        expect: { ...spec.request.expect, status: ANY_STATUS }
    };
    const tally = {
        sent: 0,
        matched: 0,
        byStatus: new Map(),
        failed: 0
    };
    let next = 0;
    const stopped = () => opts.signal?.aborted === true ||
        (opts.deadline !== undefined && clock.monotonic() >= opts.deadline);
    const worker = async () => {
        for (;;) {
            const i = next++;
            if (i >= spec.requests || stopped())
                return;
            if (spec.rate !== undefined) {
                const wait = t0 + (i * 1000) / spec.rate - clock.monotonic();
                if (wait > 0) {
                    try {
                        await clock.sleep(wait, opts.signal);
                    }
                    catch {
                        return;
                    }
                }
                if (stopped())
                    return;
            }
            tally.sent++;
            const out = await (0,_http_exchange_js__WEBPACK_IMPORTED_MODULE_0__/* .exchange */ .c)(request, opts);
            if (out.ok) {
                tally.byStatus.set(out.status, (tally.byStatus.get(out.status) ?? 0) + 1);
                if ((0,_http_expect_js__WEBPACK_IMPORTED_MODULE_1__/* .statusMatches */ .W_)(spec.status, out.status))
                    tally.matched++;
            }
            else {
                tally.failed++;
                tally.firstFailure ??= out.reason;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.requests) }, worker));
    const verdict = judgeBurst(spec, tally);
    return {
        probe: spec.name,
        kind: 'http',
        ok: verdict.ok,
        reason: redact(verdict.reason),
        attempts: tally.sent,
        startedAt,
        timings: { totalMs: clock.monotonic() - t0 },
        requests: spec.requests,
        ...(tally.sent > 0 && tally.failed === tally.sent ? { error: true } : {})
    };
}
/**
 * The verdict on a tally, in one line that names the counts:
 * `burst: 0 of 50 answered 429, expected at least 1 (50 answered 200)`.
 */
function judgeBurst(spec, tally) {
    const n = spec.requests;
    const status = spec.status.join(' or ');
    const wrong = [];
    if (spec.atLeast) {
        const need = Math.ceil(needed(spec.atLeast, n) - 1e-9);
        if (tally.matched < need) {
            wrong.push(`at least ${shareText(spec.atLeast, need)}`);
        }
    }
    if (spec.atMost) {
        const limit = Math.floor(needed(spec.atMost, n) + 1e-9);
        if (tally.matched > limit) {
            wrong.push(`at most ${shareText(spec.atMost, limit)}`);
        }
    }
    const head = `burst: ${tally.matched} of ${n} answered ${status}`;
    const rest = details(spec, tally);
    if (wrong.length === 0)
        return { ok: true, reason: `${head}${rest}` };
    return {
        ok: false,
        reason: `${head}, expected ${wrong.join(' and ')}${rest}`
    };
}
function needed(share, n) {
    return 'count' in share ? share.count : share.ratio * n;
}
function shareText(share, n) {
    if ('count' in share)
        return String(share.count);
    const pct = Number((share.ratio * 100).toPrecision(6));
    return `${pct}% (${n})`;
}
/** The other answers, failures and unsent requests, in parentheses. */
function details(spec, tally) {
    const parts = [];
    const others = [...tally.byStatus]
        .filter(([s]) => !(0,_http_expect_js__WEBPACK_IMPORTED_MODULE_1__/* .statusMatches */ .W_)(spec.status, s))
        .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [s, count] of others)
        parts.push(`${count} answered ${s}`);
    if (tally.failed > 0) {
        parts.push(`${tally.failed} got no answer: ${tally.firstFailure ?? ''}`);
    }
    const unsent = spec.requests - tally.sent;
    if (unsent > 0)
        parts.push(`${unsent} not sent (deadline or abort)`);
    return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}


/***/ })

};
