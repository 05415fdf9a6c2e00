export const id = 923;
export const ids = [923];
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

/***/ 1923:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runWsLoad: () => (/* binding */ runWsLoad)
});

// EXTERNAL MODULE: ./node_modules/ws/wrapper.mjs
var wrapper = __webpack_require__(2977);
// EXTERNAL MODULE: ./src/http/scrub.ts
var scrub = __webpack_require__(7967);
// EXTERNAL MODULE: ./src/kernel/clock.ts
var clock = __webpack_require__(4643);
// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
// EXTERNAL MODULE: ./src/kernel/histogram.ts
var histogram = __webpack_require__(8047);
;// CONCATENATED MODULE: ./src/probes/load-ws-run.ts
/**
 * One WebSocket load run: opens the connections on the ramp, sends and
 * times tagged messages while holding them, counts failures and drops by
 * cause, and closes every socket at the end.
 */






const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Unanswered messages kept per connection; older ones count as lost. */
const MAX_PENDING = 256;
const TAG = /dg#(\d+)\.(\d+)/;
/**
 * Builds each message with an id the echo carries back: a field `_dg` in a
 * JSON object, else a ` dg#c.s` suffix on the text.
 */
function messageTemplate(message) {
    try {
        const value = JSON.parse(message);
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
            const text = JSON.stringify(value);
            const head = text.slice(0, -1);
            const sep = Object.keys(value).length > 0 ? ',' : '';
            return (tag) => `${head}${sep}"_dg":"${tag}"}`;
        }
    }
    catch {
        // not JSON: plain text
    }
    return (tag) => `${message} ${tag}`;
}
class WsRun {
    spec;
    clock;
    factory;
    socketOptions;
    build;
    conns = [];
    connectHist = new histogram/* LatencyHistogram */.t2();
    rttHist = new histogram/* LatencyHistogram */.t2();
    statuses = new Map();
    failures = new Map();
    t0 = 0;
    endedAt = 0;
    open = 0;
    maxOpen = 0;
    alive = 0;
    connected = 0;
    failed = 0;
    dropped = 0;
    sent = 0;
    answered = 0;
    ending = false;
    constructor(spec, options) {
        this.spec = spec;
        this.clock = options.clock ?? clock/* systemClock */.m;
        this.factory =
            options.createSocket ??
                ((url, protocols, opts) => new wrapper/* default */.Ay(url, protocols, opts));
        const tls = spec.tls;
        this.socketOptions = {
            headers: spec.headers,
            handshakeTimeout: spec.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
            followRedirects: false,
            perMessageDeflate: false,
            rejectUnauthorized: tls === undefined ? true : !tls.insecure
        };
        if (tls?.ca !== undefined)
            this.socketOptions.ca = tls.ca;
        if (tls?.minVersion !== undefined) {
            this.socketOptions.minVersion = tls.minVersion;
        }
        this.build =
            spec.message === undefined ? undefined : messageTemplate(spec.message);
    }
    /** Opens connections on the ramp, then holds them; abort ends either. */
    async rampAndHold(signal) {
        const { clock, spec } = this;
        this.t0 = clock.monotonic();
        const n = spec.connections;
        const step = spec.rampMs / n;
        let k = 0;
        try {
            while (k < n && signal?.aborted !== true) {
                const now = clock.monotonic();
                const due = step === 0 ? n : Math.min(n, Math.floor((now - this.t0) / step) + 1);
                while (k < due)
                    this.start(k++);
                if (k >= n)
                    break;
                await clock.sleep(Math.max(1, this.t0 + k * step - clock.monotonic()), signal);
            }
            const holdEnd = this.t0 + spec.rampMs + spec.durationMs;
            const rest = holdEnd - clock.monotonic();
            if (rest > 0 && signal?.aborted !== true)
                await clock.sleep(rest, signal);
        }
        catch (err) {
            if (signal?.aborted !== true)
                throw err;
        }
    }
    start(id) {
        const conn = {
            id,
            ws: undefined,
            startedAt: this.clock.monotonic(),
            state: 'connecting',
            byUs: false,
            timer: undefined,
            seq: 0,
            pending: new Map()
        };
        this.conns.push(conn);
        let ws;
        try {
            ws = this.factory(this.spec.url, [], this.socketOptions);
        }
        catch (err) {
            this.fail(conn, errorKey(err));
            return;
        }
        conn.ws = ws;
        this.alive++;
        ws.on('unexpected-response', (_req, res) => {
            const status = res.statusCode ?? 0;
            this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
            this.fail(conn, `HTTP ${status}`);
            res.resume();
            ws.terminate();
        });
        ws.on('open', () => this.opened(conn));
        ws.on('message', (data, isBinary) => {
            if (!isBinary)
                this.received(data);
        });
        ws.on('error', (err) => {
            if (conn.state === 'connecting')
                this.fail(conn, errorKey(err));
            else if (conn.state === 'open' && !this.ending) {
                this.drop(conn, errorKey(err));
            }
        });
        ws.on('close', (code) => {
            this.alive--;
            if (conn.state === 'connecting')
                this.fail(conn, `close ${code}`);
            else if (conn.state === 'open' && !conn.byUs) {
                this.drop(conn, `close ${code}`);
            }
            this.settle(conn);
        });
    }
    opened(conn) {
        if (conn.state !== 'connecting')
            return;
        conn.state = 'open';
        this.connected++;
        this.open++;
        if (this.open > this.maxOpen)
            this.maxOpen = this.open;
        this.connectHist.record(this.clock.monotonic() - conn.startedAt);
        if (this.build !== undefined && this.spec.intervalMs !== undefined) {
            conn.timer = setInterval(() => this.send(conn), this.spec.intervalMs);
        }
        if (this.ending)
            this.closeOne(conn);
    }
    send(conn) {
        const ws = conn.ws;
        if (conn.state !== 'open' || ws === undefined || this.build === undefined) {
            return;
        }
        const seq = conn.seq++;
        if (conn.pending.size >= MAX_PENDING) {
            // The oldest unanswered message is lost; it counts at its age when
            // the server echoes at all (else there is no round trip to measure).
            const [oldSeq, oldAt] = conn.pending.entries().next().value;
            conn.pending.delete(oldSeq);
            if (this.answered > 0)
                this.rttHist.record(this.clock.monotonic() - oldAt);
        }
        conn.pending.set(seq, this.clock.monotonic());
        this.sent++;
        ws.send(this.build(`dg#${conn.id}.${seq}`));
    }
    received(data) {
        const text = Buffer.isBuffer(data)
            ? data.toString()
            : Array.isArray(data)
                ? Buffer.concat(data).toString()
                : Buffer.from(data).toString();
        const m = TAG.exec(text);
        if (m === null)
            return;
        const conn = this.conns[Number(m[1])];
        const sentAt = conn?.pending.get(Number(m[2]));
        if (conn === undefined || sentAt === undefined)
            return;
        conn.pending.delete(Number(m[2]));
        this.answered++;
        this.rttHist.record(this.clock.monotonic() - sentAt);
    }
    fail(conn, key) {
        if (conn.state !== 'connecting')
            return;
        conn.state = 'closed';
        this.failed++;
        this.count(key);
    }
    drop(conn, key) {
        if (conn.state !== 'open')
            return;
        conn.state = 'closed';
        this.dropped++;
        this.open--;
        this.count(key);
        this.stopTimer(conn);
    }
    /** After a socket's close: nothing of it may run or count any more. */
    settle(conn) {
        if (conn.state === 'open' || conn.state === 'closing')
            this.open--;
        conn.state = 'closed';
        this.stopTimer(conn);
    }
    stopTimer(conn) {
        if (conn.timer !== undefined)
            clearInterval(conn.timer);
        conn.timer = undefined;
    }
    count(key) {
        this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    }
    closeOne(conn) {
        const ws = conn.ws;
        this.stopTimer(conn);
        if (ws === undefined || conn.state === 'closed')
            return;
        conn.byUs = true;
        if (conn.state === 'open') {
            conn.state = 'closing';
            try {
                ws.close(1000, 'load test done');
            }
            catch {
                ws.terminate();
            }
        }
        else {
            // Still connecting when the run ended: that attempt failed.
            this.fail(conn, 'not open by the end');
            ws.terminate();
        }
    }
    /**
     * Closes every socket: a normal close first, then terminate whatever has
     * not closed within the grace, so no socket outlives the probe.
     */
    async closeAll(graceMs) {
        this.ending = true;
        this.endedAt = this.clock.monotonic();
        // Unanswered messages count at their age, when the server echoes at all.
        if (this.answered > 0) {
            for (const conn of this.conns) {
                for (const at of conn.pending.values()) {
                    this.rttHist.record(this.endedAt - at);
                }
            }
        }
        for (const conn of this.conns) {
            conn.pending.clear();
            this.closeOne(conn);
        }
        const deadline = performance.now() + graceMs;
        while (this.alive > 0 && performance.now() < deadline) {
            await sleepReal(10);
        }
        if (this.alive === 0)
            return;
        for (const conn of this.conns) {
            if (conn.ws !== undefined && conn.ws.readyState !== wrapper/* default */.Ay.CLOSED) {
                conn.ws.terminate();
            }
        }
        const hard = performance.now() + 1000;
        while (this.alive > 0 && performance.now() < hard) {
            await sleepReal(10);
        }
    }
    result(redact) {
        const spec = this.spec;
        const statusCounts = {};
        for (const [s, n] of [...this.statuses].sort((a, b) => a[0] - b[0])) {
            statusCounts[String(s)] = n;
        }
        const errorCounts = {};
        for (const [k, n] of this.failures)
            errorCounts[k] = n;
        // Attempted, which is fewer than asked only when aborted mid-ramp.
        const n = this.conns.length;
        const base = {
            probe: spec.name,
            kind: 'load-ws',
            connections: n,
            connected: this.connected,
            failed: this.failed,
            dropped: this.dropped,
            connectRate: n > 0 ? this.connected / n : 0,
            statusCounts,
            errorCounts,
            maxOpen: this.maxOpen,
            connect: this.connectHist.summary(),
            rtt: this.rttHist.summary(),
            messagesSent: this.sent,
            messagesAnswered: this.answered,
            durationMs: Math.round(this.endedAt - this.t0)
        };
        return { ...base, reason: redact(describe(base, spec)) };
    }
}
/**
 * Real-time polling while sockets close: closing is I/O, so it waits (and
 * gives up) on real time even when the ramp runs on an injected clock.
 */
function sleepReal(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
/** Errors cross realms (jest, workers): read them by shape, not instanceof. */
function errorKey(err) {
    if (typeof err === 'object' && err !== null) {
        const { code, message } = err;
        if (typeof code === 'string')
            return code;
        if (typeof message === 'string') {
            if (/timed out/i.test(message))
                return 'timeout';
            return message.split('\n')[0].slice(0, 80);
        }
    }
    return String(err).slice(0, 80);
}
function describe(r, spec) {
    const parts = [
        `${(0,format/* formatCount */.B4)(r.connected)} of ${(0,format/* formatCount */.B4)(r.connections)} connected (${(0,format/* formatPercent */.l9)(r.connectRate)})`,
        `connect p95 ${(0,format/* formatLatency */.YL)(r.connect.p95)} (n=${(0,format/* formatCount */.B4)(r.connect.n)})`
    ];
    if (r.dropped > 0)
        parts.push(`${(0,format/* formatCount */.B4)(r.dropped)} dropped`);
    if (r.messagesSent > 0) {
        parts.push(r.rtt.n > 0
            ? `rtt p95 ${(0,format/* formatLatency */.YL)(r.rtt.p95)} (n=${(0,format/* formatCount */.B4)(r.rtt.n)})`
            : `no echo of ${(0,format/* formatCount */.B4)(r.messagesSent)} messages`);
    }
    const ramp = spec.rampMs > 0 ? ` after a ${(0,format/* formatDuration */.a3)(spec.rampMs)} ramp` : '';
    return `${(0,scrub/* displayUrl */.Qy)(spec.url)} held ${(0,format/* formatDuration */.a3)(spec.durationMs)}${ramp}: ${parts.join(', ')}`;
}

;// CONCATENATED MODULE: ./src/probes/load-ws.ts
/**
 * WebSocket load: open N connections spread over a ramp, hold them for a
 * duration, optionally send a message on each every interval and time the
 * echo, then close every socket, even when the run fails or is aborted.
 * What a rollout gate learns from it: can the new version take the
 * connections it will get (connect success rate, connect time) and does it
 * keep answering while holding them (message round trips, drops).
 */



/**
 * Runs one WebSocket load probe. Why a ramp: thousands of simultaneous
 * handshakes measure the listen backlog, not the service; a ramp shows how
 * the service takes the connections it will really get.
 */
async function runWsLoad(spec, options = {}) {
    const redact = options.redact ?? ((s) => s);
    const invalid = checkSpec(spec);
    if (invalid !== undefined)
        return failedStart(spec, redact(invalid));
    const run = new WsRun(spec, options);
    try {
        await run.rampAndHold(options.signal);
    }
    finally {
        await run.closeAll(options.closeGraceMs ?? 2000);
    }
    return run.result(redact);
}
function checkSpec(spec) {
    let url;
    try {
        url = new URL(spec.url);
    }
    catch {
        return `invalid URL '${(0,scrub/* displayUrl */.Qy)(spec.url)}'`;
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
        return `unsupported protocol '${url.protocol}' (use ws: or wss:)`;
    }
    if (!Number.isInteger(spec.connections) || spec.connections < 1) {
        return `invalid connections '${spec.connections}' (must be at least 1)`;
    }
    if (!(spec.durationMs >= 0)) {
        return `invalid duration '${spec.durationMs}ms' (must be 0 or more)`;
    }
    if (!(spec.rampMs >= 0)) {
        return `invalid ramp '${spec.rampMs}ms' (must be 0 or more)`;
    }
    if (spec.message !== undefined && !((spec.intervalMs ?? 0) > 0)) {
        return `invalid interval '${spec.intervalMs ?? 'none'}' (a message needs an interval above 0)`;
    }
    return undefined;
}
function failedStart(spec, reason) {
    return {
        probe: spec.name,
        kind: 'load-ws',
        ok: false,
        connections: 0,
        connected: 0,
        failed: 0,
        dropped: 0,
        connectRate: 0,
        statusCounts: {},
        errorCounts: {},
        maxOpen: 0,
        connect: histogram/* EMPTY_SUMMARY */.fB,
        rtt: histogram/* EMPTY_SUMMARY */.fB,
        messagesSent: 0,
        messagesAnswered: 0,
        durationMs: 0,
        reason
    };
}


/***/ })

};
