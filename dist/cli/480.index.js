export const id = 480;
export const ids = [480];
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

/***/ 6480:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  LOAD_WORKER_MEMORY_MB: () => (/* binding */ LOAD_WORKER_MEMORY_MB),
  LOAD_WORKER_MIN_MEMORY_MB: () => (/* binding */ LOAD_WORKER_MIN_MEMORY_MB),
  LOAD_WORKER_STOP_GRACE_MS: () => (/* binding */ LOAD_WORKER_STOP_GRACE_MS),
  loadWorkerCandidates: () => (/* binding */ loadWorkerCandidates),
  runLoadInWorker: () => (/* binding */ runLoadInWorker)
});

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
// EXTERNAL MODULE: ./src/kernel/histogram.ts
var histogram = __webpack_require__(8047);
// EXTERNAL MODULE: ./src/redact/preview.ts
var redact_preview = __webpack_require__(2365);
;// CONCATENATED MODULE: ./src/probes/load-failed.ts


function failedLoad(spec, reason) {
    if (spec.kind === 'load-http') {
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
/** Characters of an error's first line kept until the reason is written. */
const CAUSE_KEPT = 4096;
/** Characters of it the reason shows, cut after redaction. */
const CAUSE_SHOWN = 120;
/**
 * An error's message as one line for a reason. Node's advice to try
 * `--use-system-ca` is cut: the probe's `tls.ca` is the way here. Kept
 * long (bounded) so the reason can redact it whole before `causeShown`
 * shortens it.
 */
function causeText(message) {
    return message
        .split('\n')[0]
        .replace(/; if the root CA is installed locally.*$/, '')
        .slice(0, CAUSE_KEPT);
}
/** A kept cause as the reason shows it: redacted, then cut. */
function causeShown(cause, redact) {
    return cause === undefined ? undefined : preview(cause, CAUSE_SHOWN, redact);
}

// EXTERNAL MODULE: ./src/kernel/errors.ts
var errors = __webpack_require__(2386);
// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
;// CONCATENATED MODULE: ./src/probes/load-thread.ts
/**
 * Runs a load probe in a worker thread with a capped heap, so generating
 * load never runs on (and never delays) the main thread's event loop, where
 * the analysis samples that judge a canary are taken.
 */








/**
 * Default heap cap of a load worker (V8 old generation, MB). The engine
 * keeps fixed-size histograms and no per-request state beyond what is on
 * the wire, so a run needs tens of MB; the cap stops a runaway run (huge
 * bodies, 100,000 sockets) before it takes the runner's memory.
 */
const LOAD_WORKER_MEMORY_MB = 512;
/**
 * The smallest heap cap allowed: with a cap of a few MB, V8 runs out of
 * memory while it sets up the worker's heap, and that kills the process.
 */
const LOAD_WORKER_MIN_MEMORY_MB = 16;
/** How long a stopped worker gets to close its sockets and report. */
const LOAD_WORKER_STOP_GRACE_MS = 5_000;
/**
 * Where the worker script is, from this module's own file: the bundle
 * layout first (dist/index.js and its chunks, dist/cli/index.js, both next
 * to dist/load-worker/), then the source layout (src/probes/).
 */
function loadWorkerCandidates(moduleUrl = import.meta.url) {
    const here = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(moduleUrl));
    return [
        (0,external_node_path_.join)(here, 'load-worker', 'index.js'),
        (0,external_node_path_.join)(here, '..', 'load-worker', 'index.js'),
        (0,external_node_path_.join)(here, 'load-worker.ts')
    ];
}
/** The hooks that let Node run our .ts sources (`.js` imports to `.ts`). */
const TS_HOOKS = (0,external_node_url_.pathToFileURL)((0,external_node_path_.join)((0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url)), '..', '..', 'scripts', 'ts-hooks.mjs')).href;
function runLoadInWorker(spec, options = {}) {
    const redact = options.redact ?? ((s) => s);
    const memoryMb = options.memoryMb ?? LOAD_WORKER_MEMORY_MB;
    const graceMs = options.stopGraceMs ?? LOAD_WORKER_STOP_GRACE_MS;
    if (!(memoryMb >= LOAD_WORKER_MIN_MEMORY_MB)) {
        return Promise.resolve(failedLoad(spec, `invalid load worker heap limit '${memoryMb} MB' (must be at least ${LOAD_WORKER_MIN_MEMORY_MB} MB)`));
    }
    const candidates = options.entry === undefined ? loadWorkerCandidates() : [options.entry];
    const entry = candidates.find((p) => (0,external_node_fs_.existsSync)(p));
    if (entry === undefined) {
        const looked = candidates.map((p) => `'${p}'`).join(', ');
        return Promise.resolve(failedLoad(spec, redact(`load worker not found (looked for ${looked})`)));
    }
    const data = {
        spec,
        defaultCa: (0,external_node_tls_.getCACertificates)('default')
    };
    return new Promise((resolve) => {
        let worker;
        try {
            worker = new external_node_worker_threads_.Worker(entry, {
                workerData: data,
                execArgv: entry.endsWith('.ts') ? ['--import', TS_HOOKS] : [],
                resourceLimits: { maxOldGenerationSizeMb: memoryMb }
            });
        }
        catch (err) {
            resolve(failedLoad(spec, redact(`load worker could not start: ${firstLine(err)}`)));
            return;
        }
        const signal = options.signal;
        let graceTimer;
        let settled = false;
        // The worker is gone (terminated, or exited by itself) before the
        // promise resolves, so a caller never outlives its thread.
        const finish = (result) => {
            if (settled)
                return;
            settled = true;
            signal?.removeEventListener('abort', stop);
            clearTimeout(graceTimer);
            const done = () => resolve({ ...result, reason: redact(result.reason) });
            worker.terminate().then(done, done);
        };
        const stop = () => {
            const message = { type: 'stop' };
            worker.postMessage(message);
            graceTimer = setTimeout(() => {
                finish(failedLoad(spec, `aborted: the load worker did not stop within ${(0,format/* formatDuration */.a3)(graceMs)}, so it was terminated`));
            }, graceMs);
        };
        worker.on('message', (m) => {
            if (m.type === 'result')
                finish({ ...m.result, threadId: m.threadId });
        });
        worker.on('error', (err) => {
            finish(failedLoad(spec, deathReason(err, memoryMb)));
        });
        worker.on('exit', (code) => {
            finish(failedLoad(spec, `load worker exited with code ${code} before its result`));
        });
        if (signal?.aborted === true)
            stop();
        else
            signal?.addEventListener('abort', stop, { once: true });
    });
}
/** One line on why a worker died: out of memory, or its error. */
function deathReason(err, memoryMb) {
    const code = err?.code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return `load worker ran out of memory (heap limit ${memoryMb} MB)`;
    }
    return `load worker failed: ${firstLine(err)}`;
}
/** Errors from a worker are clones: read them by shape, not instanceof. */
function firstLine(err) {
    const message = err?.message;
    const text = typeof message === 'string' ? message : (0,errors/* errorMessage */.gJ)(err);
    return text.split('\n')[0].slice(0, 200);
}


/***/ })

};
