export const id = 896;
export const ids = [896];
export const modules = {

/***/ 4896:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_CAPTURE_CHARS: () => (/* binding */ MAX_CAPTURE_CHARS),
/* harmony export */   capture: () => (/* binding */ capture),
/* harmony export */   runHttpFlow: () => (/* binding */ runHttpFlow)
/* harmony export */ });
/* harmony import */ var _http_exchange_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1823);
/* harmony import */ var _http_resolve_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5504);
/* harmony import */ var _kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5852);
/* harmony import */ var _kernel_clock_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4643);
/**
 * Chained requests in one probe ("create a match, read it back, delete
 * it"): each step is sent with its own retries and expectations, values
 * are captured from its answer for the steps after it, and the first step
 * that fails ends the probe with a reason naming the step.
 */




/** Captured values longer than this are refused (a whole page is no id). */
const MAX_CAPTURE_CHARS = 8192;
/**
 * Runs the steps in order and returns one sample for the whole flow. Its
 * time is the sum of the steps; `requests` marks it as several requests so
 * that it never counts as one request's latency.
 */
async function runHttpFlow(spec, opts = {}) {
    const clock = opts.clock ?? _kernel_clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m;
    const redact = opts.redact ?? ((s) => s);
    const startedAt = clock.now();
    const captured = {};
    const timings = { totalMs: 0 };
    let attempts = 0;
    let status;
    const done = (ok, reason, extra = {}) => ({
        probe: spec.name,
        kind: 'http',
        ok,
        reason: redact(reason),
        attempts,
        startedAt,
        timings: { totalMs: Math.round(timings.totalMs * 1000) / 1000 },
        requests: spec.steps.length,
        ...(status !== undefined ? { status } : {}),
        ...(extra.error ? { error: true } : {}),
        ...(extra.excerpt !== undefined ? { excerpt: redact(extra.excerpt) } : {})
    });
    for (const step of spec.steps) {
        let built;
        try {
            built = step.build(captured);
        }
        catch (e) {
            if (e instanceof _http_resolve_js__WEBPACK_IMPORTED_MODULE_1__/* .RenderError */ .vH) {
                return done(false, `${step.label}: ${e.message}`, { error: true });
            }
            throw e;
        }
        for (const s of built.secrets)
            opts.mask?.(s);
        const out = await (0,_http_exchange_js__WEBPACK_IMPORTED_MODULE_0__/* .exchange */ .c)(built.spec, {
            ...opts,
            keepAnswer: step.captures.length > 0
        });
        attempts += out.attempts;
        timings.totalMs += out.timings.totalMs;
        if (out.status !== undefined)
            status = out.status;
        if (!out.ok) {
            return done(false, `${step.label}: ${out.reason}`, {
                error: out.error,
                ...(out.excerpt !== undefined ? { excerpt: out.excerpt } : {})
            });
        }
        for (const c of step.captures) {
            const got = capture(c, out.answer);
            if (!got.ok)
                return done(false, `${step.label}: ${got.reason}`);
            if (c.secret)
                opts.mask?.(got.value);
            captured[c.name] = { value: got.value, secret: c.secret };
        }
    }
    const n = spec.steps.length;
    return done(true, `ok (${n} step${n === 1 ? '' : 's'})`);
}
/** Reads one capture from an answer, or says why it is not there. */
function capture(c, answer) {
    const what = `capture '${c.name}'`;
    if (c.from === 'header') {
        const v = answer?.headers[c.header];
        const value = Array.isArray(v) ? v[0] : v;
        if (value === undefined || value === '') {
            return {
                ok: false,
                reason: `${what}: no header '${c.header}' in the answer`
            };
        }
        return sized(what, value);
    }
    const at = `'${c.path}'`;
    let doc;
    try {
        doc = JSON.parse(answer?.body ?? '');
    }
    catch {
        return { ok: false, reason: `${what} at ${at}: the body is not JSON` };
    }
    const path = (0,_kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_3__/* .parsePath */ .Rr)(c.path);
    if (!path.ok)
        return { ok: false, reason: `${what}: ${path.error}` };
    const found = (0,_kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_3__/* .readPath */ .G7)(doc, path.value);
    if (!found.found) {
        return {
            ok: false,
            reason: `${what} at ${at}: not found (${found.reason})`
        };
    }
    const v = found.value;
    if (v === null || v === '') {
        const held = v === null ? 'null' : 'an empty string';
        return {
            ok: false,
            reason: `${what} at ${at}: ${(0,_kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_3__/* .formatPath */ .jV)(path.value)} is ${held}`
        };
    }
    return sized(what, typeof v === 'string' ? v : JSON.stringify(v));
}
function sized(what, value) {
    if (value.length > MAX_CAPTURE_CHARS) {
        return {
            ok: false,
            reason: `${what}: ${value.length} characters, over the ${MAX_CAPTURE_CHARS} a capture holds`
        };
    }
    return { ok: true, value };
}


/***/ })

};
