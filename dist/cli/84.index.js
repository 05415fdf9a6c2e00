export const id = 84;
export const ids = [84];
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

/***/ 6084:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runHttpLoad: () => (/* binding */ runHttpLoad)
});

// EXTERNAL MODULE: ./src/http/scrub.ts
var scrub = __webpack_require__(7967);
// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
// EXTERNAL MODULE: ./src/kernel/histogram.ts
var histogram = __webpack_require__(8047);
;// CONCATENATED MODULE: ./src/probes/load-engine.ts




/** Our own total timeout, told apart from undici's by identity. */
const TIMED_OUT = Object.assign(new Error('request timed out'), {
    code: 'UND_ERR_LOAD_TIMEOUT'
});
const TIMEOUT_CODES = new Set([
    'UND_ERR_LOAD_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CONNECT_TIMEOUT'
]);
/**
 * One request on the wire, and its undici handler: the response is counted
 * as it streams by, without a body stream, a promise or a closure per
 * request (the hot path at tens of thousands of requests per second).
 */
class Flight {
    engine;
    intended;
    sentAt;
    status = 0;
    controller = null;
    live = false;
    lane = null;
    prev = null;
    next = null;
    constructor(engine, intended, sentAt) {
        this.engine = engine;
        this.intended = intended;
        this.sentAt = sentAt;
    }
    onRequestStart(controller) {
        this.controller = controller;
    }
    /** Frees the connection of a request we no longer wait for. */
    abort() {
        const c = this.controller;
        this.controller = null;
        if (c !== null && !c.aborted)
            c.abort(TIMED_OUT);
    }
    onResponseStart(_controller, statusCode) {
        this.status = statusCode;
    }
    onResponseData() {
        // The body is read and dropped; only its end matters.
    }
    onResponseEnd() {
        this.engine.finish(this, null);
    }
    onResponseError(_controller, err) {
        this.engine.finish(this, err);
    }
}
/** The scheduler: one per run, all state in fields, no per-tick promises but the sleep. */
class Engine {
    corrected = new histogram/* LatencyHistogram */.t2();
    service = new histogram/* LatencyHistogram */.t2();
    statuses = new Map();
    failures = new Map();
    /** Requests on the wire, oldest first (an intrusive list: no allocation). */
    head = null;
    tail = null;
    interval;
    opts;
    total;
    t0 = 0;
    next = 0;
    inFlight = 0;
    maxSeen = 0;
    blockedUpTo = 0;
    queued = 0;
    completed = 0;
    errors = 0;
    timeouts = 0;
    endedAt = 0;
    pumping = false;
    pumpQueued = false;
    pumpLater = () => {
        this.pumpQueued = false;
        if (!this.closed)
            this.pump(this.clock.monotonic());
    };
    closed = false;
    spec;
    clock;
    dispatcher;
    lanes;
    constructor(spec, clock, url, dispatcher, lanes) {
        this.spec = spec;
        this.clock = clock;
        this.dispatcher = dispatcher;
        this.lanes = lanes;
        this.interval = 1000 / spec.rate;
        this.total = Math.max(1, Math.ceil((spec.rate * spec.durationMs) / 1000 - 1e-9));
        this.opts = {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: spec.method,
            headers: spec.headers,
            body: spec.body ?? null,
            // Our sweep enforces timeoutMs and aborts the request, which frees its
            // connection: undici's own per-request timers would only cost time.
            headersTimeout: 0,
            bodyTimeout: 0
        };
    }
    async run(signal) {
        const { clock } = this;
        this.t0 = clock.monotonic();
        const windowEnd = this.t0 + this.spec.durationMs;
        const onAbort = () => {
            // Arrivals after the abort are not scheduled at all.
            const due = Math.floor((clock.monotonic() - this.t0) / this.interval) + 1;
            this.total = Math.min(this.total, Math.max(this.next, due));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted)
            onAbort();
        try {
            // The window: send every arrival when it is due, as slots allow.
            for (;;) {
                const now = clock.monotonic();
                this.sweep(now);
                this.pump(now);
                if (this.next >= this.total || now >= windowEnd)
                    break;
                const dueIn = this.t0 + this.next * this.interval - now;
                // Slots full: completions pump; look again now and then regardless.
                const wait = this.inFlight >= this.spec.maxInFlight ? 10 : dueIn;
                await clock.sleep(Math.max(1, Math.min(wait, windowEnd - now, 50)));
            }
            // The drain: answers, and arrivals still waiting for a slot, get one
            // timeout past the window; whatever is left then counts as timed out.
            const deadline = Math.max(windowEnd, clock.monotonic()) + this.spec.timeoutMs;
            for (;;) {
                const now = clock.monotonic();
                this.sweep(now);
                this.pump(now);
                if ((this.inFlight === 0 && this.next >= this.total) ||
                    now >= deadline) {
                    break;
                }
                await clock.sleep(Math.max(1, Math.min(10, deadline - now)));
            }
        }
        finally {
            signal?.removeEventListener('abort', onAbort);
            this.close(clock.monotonic());
        }
    }
    /** Sends every due arrival a free slot allows. Reentrancy-safe. */
    pump(now) {
        if (this.pumping || this.closed)
            return;
        this.pumping = true;
        try {
            const due = Math.min(this.total, Math.floor((now - this.t0) / this.interval) + 1);
            const cap = this.spec.maxInFlight;
            while (this.next < due && this.inFlight < cap)
                this.send(this.next++);
            if (this.next < due && due > this.blockedUpTo)
                this.blockedUpTo = due;
        }
        finally {
            this.pumping = false;
        }
    }
    send(i) {
        if (i < this.blockedUpTo)
            this.queued++;
        const flight = new Flight(this, this.t0 + i * this.interval, this.clock.monotonic());
        this.inFlight++;
        if (this.inFlight > this.maxSeen)
            this.maxSeen = this.inFlight;
        this.link(flight);
        // One options object for every request: undici copies what it needs.
        if (this.lanes === undefined) {
            this.dispatcher?.dispatch(this.opts, flight);
        }
        else {
            const lane = this.lanes.take();
            flight.lane = lane;
            lane.client.dispatch(this.opts, flight);
        }
    }
    /**
     * Times out requests on the wire for `timeoutMs` since their send. The
     * list is in send order, so the scan stops at the first young one.
     */
    sweep(now) {
        const limit = this.spec.timeoutMs;
        let flight = this.head;
        while (flight !== null && now - flight.sentAt >= limit) {
            const next = flight.next;
            this.finish(flight, TIMED_OUT);
            flight.abort();
            flight = next;
        }
    }
    link(f) {
        f.live = true;
        f.prev = this.tail;
        if (this.tail === null)
            this.head = f;
        else
            this.tail.next = f;
        this.tail = f;
    }
    unlink(f) {
        f.live = false;
        if (f.prev === null)
            this.head = f.next;
        else
            f.prev.next = f.next;
        if (f.next === null)
            this.tail = f.prev;
        else
            f.next.prev = f.prev;
        f.prev = f.next = null;
    }
    /** Counts one request once, whichever of end, error or close comes first. */
    finish(flight, err) {
        if (this.closed || !flight.live)
            return;
        this.unlink(flight);
        if (flight.lane !== null)
            this.lanes?.release(flight.lane);
        this.inFlight--;
        const now = this.clock.monotonic();
        this.corrected.record(now - flight.intended);
        this.service.record(now - flight.sentAt);
        if (err === null) {
            this.completed++;
            const s = flight.status;
            this.statuses.set(s, (this.statuses.get(s) ?? 0) + 1);
            if (s >= 400 || s < 200)
                this.errors++;
        }
        else {
            const code = err.code;
            const timedOut = code !== undefined && TIMEOUT_CODES.has(code);
            this.fail(timedOut ? 'timeout' : (code ?? err.name));
            if (timedOut)
                this.timeouts++;
        }
        if (this.closed || this.next >= this.total)
            return;
        if (this.lanes !== undefined) {
            // Our own connection takes the next request now; it goes on the wire
            // as soon as this response is done, with no extra turn of the loop.
            this.pump(now);
        }
        else if (!this.pumpQueued) {
            // A pool would queue it: inside undici's callback this connection is
            // still busy. Once this turn's callbacks have run, connections are
            // free again and one pump sends a batch.
            this.pumpQueued = true;
            setImmediate(this.pumpLater);
        }
    }
    fail(code) {
        this.errors++;
        this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
    }
    /** The end: what is still on the wire or never sent times out now. */
    close(now) {
        this.closed = true;
        this.endedAt = now;
        for (let f = this.head; f !== null; f = f.next) {
            this.corrected.record(now - f.intended);
            this.service.record(now - f.sentAt);
            this.fail('timeout');
            this.timeouts++;
            this.inFlight--;
        }
        // Detach first: aborting may call back synchronously.
        let f = this.head;
        this.head = this.tail = null;
        while (f !== null) {
            const next = f.next;
            f.live = false;
            f.prev = f.next = null;
            f.abort();
            f = next;
        }
        // Arrivals never sent waited until now. Their latencies fall on a line,
        // so runs of them within 0.05% of each other (under the histogram's
        // resolution) are recorded at once: a saturated run may leave millions.
        const unsent = this.total - this.next;
        for (let i = this.next; i < this.total;) {
            const latency = now - (this.t0 + i * this.interval);
            const run = Math.max(1, Math.min(this.total - i, Math.floor((latency * 0.0005) / this.interval)));
            this.corrected.record(now - (this.t0 + (i + (run - 1) / 2) * this.interval), run);
            i += run;
        }
        if (unsent > 0) {
            this.errors += unsent;
            this.timeouts += unsent;
            this.failures.set('timeout', (this.failures.get('timeout') ?? 0) + unsent);
        }
    }
    result(redact) {
        const spec = this.spec;
        const durationMs = Math.max(0, this.endedAt - this.t0);
        const statusCounts = {};
        for (const [s, n] of [...this.statuses].sort((a, b) => a[0] - b[0])) {
            statusCounts[String(s)] = n;
        }
        const errorCounts = {};
        for (const [code, n] of this.failures)
            errorCounts[code] = n;
        const corrected = this.corrected.summary();
        const achievedRps = durationMs > 0 ? (this.completed * 1000) / durationMs : 0;
        const base = {
            probe: spec.name,
            kind: 'load-http',
            requests: this.total,
            sent: this.next,
            completed: this.completed,
            errors: this.errors,
            timeouts: this.timeouts,
            queued: this.queued,
            statusCounts,
            errorCounts,
            achievedRps: Math.round(achievedRps * 10) / 10,
            corrected,
            service: this.service.summary(),
            durationMs: Math.round(durationMs),
            maxInFlightSeen: this.maxSeen
        };
        return { ...base, reason: redact(describeRun(base, spec)) };
    }
}
function describeRun(r, spec) {
    const failed = r.errors === 0
        ? 'no errors'
        : `${(0,format/* formatCount */.B4)(r.errors)} failed (${(0,format/* formatPercent */.l9)(r.errors / r.requests)}${r.timeouts > 0 ? `, ${(0,format/* formatCount */.B4)(r.timeouts)} timed out` : ''})`;
    const waited = r.queued > 0 ? `, ${(0,format/* formatCount */.B4)(r.queued)} waited for a slot` : '';
    return (`${(0,format/* formatCount */.B4)(r.requests)} requests at ${spec.rate}/s over ${(0,format/* formatDuration */.a3)(spec.durationMs)} ` +
        `to ${(0,scrub/* displayUrl */.Qy)(spec.url)}: ${failed}${waited}, ` +
        `p95 ${(0,format/* formatLatency */.YL)(r.corrected.p95)} (n=${(0,format/* formatCount */.B4)(r.corrected.n)}), ` +
        `${r.achievedRps} req/s`);
}

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(4371);
;// CONCATENATED MODULE: ./src/probes/load-lanes.ts
/**
 * The connections an HTTP load run opens itself when no dispatcher is
 * injected: undici Clients handed out so a free one is found in O(1).
 */

/**
 * The connections of a run: one undici Client each, created as needed up
 * to `max`. An idle connection is found in O(1) (a Pool scans its clients
 * and queues per request, which costs about 10% of the throughput of a
 * saturated generator); with more requests in flight than connections,
 * the extra ones queue round-robin on busy connections.
 */
class Lanes {
    all = [];
    idle = [];
    origin;
    max;
    options;
    rr = 0;
    constructor(origin, max, options) {
        this.origin = origin;
        this.max = Math.max(1, max);
        this.options = options;
    }
    take() {
        let lane = this.idle.pop();
        if (lane === undefined) {
            if (this.all.length < this.max) {
                lane = { client: new undici/* Client */.Kj(this.origin, this.options), running: 0 };
                this.all.push(lane);
            }
            else {
                lane = this.all[this.rr++ % this.all.length];
            }
        }
        lane.running++;
        return lane;
    }
    release(lane) {
        if (--lane.running === 0)
            this.idle.push(lane);
    }
    async destroy() {
        await Promise.all(this.all.map((lane) => lane.client.destroy().catch(() => undefined)));
    }
}
/**
 * Our connections' TLS from the probe's spec; none keeps undici's defaults
 * (the system CAs, certificates verified).
 */
function connectOptions(tls) {
    if (tls === undefined)
        return undefined;
    return {
        ca: tls.ca,
        rejectUnauthorized: !tls.insecure,
        minVersion: tls.minVersion
    };
}

// EXTERNAL MODULE: ./src/kernel/clock.ts
var kernel_clock = __webpack_require__(4643);
;// CONCATENATED MODULE: ./src/probes/load.ts
/**
 * HTTP load at a fixed arrival rate (an open model). Request i is due at
 * t0 + i/rate whether or not earlier answers came back, and its latency is
 * measured from that intended time: a server that stalls for a second shows
 * a second of latency for every request that should have been sent during
 * the stall (no coordinated omission). Service time, from the actual send,
 * is kept alongside so the two can be told apart. Every request is counted:
 * errors and timeouts are recorded at their latency, never dropped.
 */





/**
 * Runs one fixed-rate load probe. Why an open model: a closed-loop
 * generator (N workers waiting for answers) sends less when the server is
 * slow and so under-reports exactly the stalls a rollout gate must catch.
 */
async function runHttpLoad(spec, options = {}) {
    const redact = options.redact ?? ((s) => s);
    const invalid = checkSpec(spec);
    if (invalid !== undefined)
        return failedStart(spec, redact(invalid));
    const clock = options.clock ?? kernel_clock/* systemClock */.m;
    const url = new URL(spec.url);
    const lanes = options.dispatcher === undefined
        ? new Lanes(url.origin, spec.connections ?? spec.maxInFlight, {
            pipelining: 1,
            connect: connectOptions(spec.tls)
        })
        : undefined;
    const engine = new Engine(spec, clock, url, options.dispatcher, lanes);
    try {
        await engine.run(options.signal);
    }
    finally {
        await lanes?.destroy();
    }
    return engine.result(redact);
}
function checkSpec(spec) {
    let url;
    try {
        url = new URL(spec.url);
    }
    catch {
        return `invalid URL '${(0,scrub/* displayUrl */.Qy)(spec.url)}'`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return `unsupported protocol '${url.protocol}' (use http: or https:)`;
    }
    if (!(spec.rate > 0) || !Number.isFinite(spec.rate)) {
        return `invalid rate '${spec.rate}' (must be above 0 per second)`;
    }
    if (!(spec.durationMs > 0)) {
        return `invalid duration '${spec.durationMs}ms' (must be above 0)`;
    }
    if (!Number.isInteger(spec.maxInFlight) || spec.maxInFlight < 1) {
        return `invalid max-in-flight '${spec.maxInFlight}' (must be at least 1)`;
    }
    if (!(spec.timeoutMs > 0)) {
        return `invalid timeout '${spec.timeoutMs}ms' (must be above 0)`;
    }
    return undefined;
}
function failedStart(spec, reason) {
    return {
        probe: spec.name,
        kind: 'load-http',
        ok: false,
        requests: 0,
        sent: 0,
        completed: 0,
        errors: 0,
        timeouts: 0,
        queued: 0,
        statusCounts: {},
        errorCounts: {},
        achievedRps: 0,
        corrected: histogram/* EMPTY_SUMMARY */.fB,
        service: histogram/* EMPTY_SUMMARY */.fB,
        durationMs: 0,
        maxInFlightSeen: 0,
        reason
    };
}


/***/ })

};
