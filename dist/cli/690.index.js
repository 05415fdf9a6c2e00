export const id = 690;
export const ids = [690,584];
export const modules = {

/***/ 6584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NO_RETRY: () => (/* binding */ NO_RETRY),
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient),
/* harmony export */   statusOf: () => (/* binding */ statusOf)
/* harmony export */ });
/* harmony import */ var _octokit_rest__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9988);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6856);
/**
 * The one Octokit every GitHub surface uses: retries with backoff for
 * transient failures, GitHub's recommended throttling, waits capped by the
 * job's remaining budget, and no blind retry of writes that create things
 * (callers make those idempotent by looking up before creating).
 */



const Client = _octokit_rest__WEBPACK_IMPORTED_MODULE_0__/* .Octokit */ .E.plugin(_octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_2__/* .throttling */ .A);
/** Creates the client; rate-limit waits beyond `maxWaitSeconds` fail fast. */
function createGitHubClient(opts) {
    const maxWait = opts.maxWaitSeconds ?? 60;
    const log = opts.log ?? (() => undefined);
    const onRequest = opts.onRequest;
    return new Client({
        auth: opts.token,
        // Counted at the fetch, below retries and throttling: what GitHub
        // counts against the token's hourly budget.
        ...(onRequest
            ? {
                request: {
                    fetch: (input, init) => {
                        onRequest();
                        return fetch(input, init);
                    }
                }
            }
            : {}),
        baseUrl: opts.baseUrl ?? 'https://api.github.com',
        userAgent: 'deploy-gates',
        log: {
            debug: () => undefined,
            info: () => undefined,
            warn: (m) => log(m),
            // Only Octokit's request log writes here, one line per failed attempt
            // ('GET /x - 500 with id ...'): noise next to the Guard's one warning
            // per problem, which says what failed and what to do.
            error: () => undefined
        },
        retry: {
            retries: 2,
            // The plugin counts in milliseconds.
            retryAfterBaseValue: (opts.retryAfterBaseValue ?? 1) * 1000,
            // 4xx other than rate limits are answers, not transient failures.
            doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451]
        },
        throttle: {
            retryAfterBaseValue: (opts.retryAfterBaseValue ?? 1) * 1000,
            fallbackSecondaryRateRetryAfter: Math.min(60, maxWait),
            onRateLimit: (retryAfter, options, _octokit, retryCount) => {
                const wait = retryAfter <= maxWait && retryCount < 2;
                log(`GitHub rate limit on ${options.method} ${options.url}: ${wait ? `retrying in ${retryAfter}s` : 'giving up'}`);
                return wait;
            },
            onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
                const wait = retryAfter <= maxWait && retryCount < 2;
                log(`GitHub secondary rate limit on ${options.method} ${options.url}: ${wait ? `retrying in ${retryAfter}s` : 'giving up'}`);
                return wait;
            }
        }
    });
}
/** Per-request options for a POST that creates something: never retried. */
const NO_RETRY = { request: { retries: 0 } };
/** The HTTP status of an Octokit error, if it has one. */
function statusOf(e) {
    const s = e?.status;
    return typeof s === 'number' ? s : undefined;
}


/***/ }),

/***/ 6690:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Guard: () => (/* binding */ Guard),
/* harmony export */   endpointOf: () => (/* binding */ endpointOf)
/* harmony export */ });
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6584);
/* harmony import */ var _kernel_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2386);
/**
 * A GitHub surface that cannot be written (a fork's read-only token, a
 * missing `permissions:` entry, the API down) is switched off with one
 * warning, and the rollout goes on: reporting never changes a verdict.
 */


/** Server errors in a row after which the API counts as down. */
const DOWN_AFTER = 2;
/**
 * `METHOD /path` with ids and SHAs as `{id}`, so calls of one endpoint
 * compare equal; undefined when the error carries no request.
 */
function endpointOf(e) {
    const r = e
        ?.request;
    if (typeof r?.method !== 'string' || typeof r.url !== 'string') {
        return undefined;
    }
    let path = r.url.split('?')[0];
    try {
        path = new URL(r.url).pathname;
    }
    catch {
        // A relative URL: the split above is the path.
    }
    return `${r.method} ${path.replace(/\/(\d+|[0-9a-f]{40})(?=\/|$)/g, '/{id}')}`;
}
class Guard {
    warn;
    off = new Set();
    /** Problems already warned about: one line each per run. */
    warned = new Set();
    /** Server errors in a row, and the endpoints they came from. */
    serverErrors = 0;
    failing = new Set();
    /** Server errors in a row per surface. */
    surfaceErrors = new Map();
    down = false;
    constructor(warn) {
        this.warn = warn;
    }
    /** Whether the surface still works. */
    enabled(surface) {
        return !this.down && !this.off.has(surface);
    }
    once(key, message) {
        if (this.warned.has(key))
            return;
        this.warned.add(key);
        this.warn(message);
    }
    /**
     * Runs one API call of a surface. A permission error turns the surface
     * off with a warning naming the missing scope; other errors warn and
     * return undefined. Each problem is warned about once per run, however
     * many calls or surfaces hit it.
     */
    async run(surface, scope, call) {
        if (this.down || this.off.has(surface))
            return undefined;
        try {
            const result = await call();
            this.serverErrors = 0;
            this.failing.clear();
            this.surfaceErrors.delete(surface);
            return result;
        }
        catch (e) {
            const status = (0,_client_js__WEBPACK_IMPORTED_MODULE_0__.statusOf)(e);
            const message = (0,_kernel_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(e).split('\n')[0];
            const endpoint = endpointOf(e) ?? surface;
            if (status === undefined || status >= 500) {
                this.serverErrors += 1;
                this.failing.add(endpoint);
                const inSurface = (this.surfaceErrors.get(surface) ?? 0) + 1;
                this.surfaceErrors.set(surface, inSurface);
                // Retries already ran inside the client. Failures in a row across
                // endpoints mean GitHub is down: stop reporting there for this run
                // rather than slowing it down call after call. One endpoint that
                // keeps failing only turns off the surfaces that use it.
                if (this.serverErrors >= DOWN_AFTER && this.failing.size > 1) {
                    if (!this.down) {
                        this.down = true;
                        this.warn(`GitHub API unavailable (${status ?? 'no answer'}: ${message}); skipping further GitHub reporting for this run. The job summary has the full report.`);
                    }
                    return undefined;
                }
                if (inSurface >= DOWN_AFTER)
                    this.off.add(surface);
                this.once(`error ${endpoint} ${status ?? 'none'}`, `${surface}: GitHub API call failed${status ? ` (${status})` : ''}: ${message} (${endpoint})`);
                return undefined;
            }
            if (status === 403 && !/rate limit/i.test(message)) {
                if (this.off.has(surface))
                    return undefined;
                this.off.add(surface);
                const access = scope.endsWith(': read') ? 'read' : 'write';
                this.once(`scope ${scope}`, `${surface}: the token cannot ${access} here (${message}); add 'permissions: ${scope}' to the job (a pull request from a fork gets a read-only token). The job summary still has the full report.`);
                return undefined;
            }
            if (status === 404 || status === 401) {
                if (this.off.has(surface))
                    return undefined;
                this.off.add(surface);
                this.once(`${status} ${surface}`, `${surface}: GitHub answered ${status} (${message}); check 'permissions: ${scope}' and the token. Reporting there is off for this run.`);
                return undefined;
            }
            this.once(`error ${endpoint} ${status}`, `${surface}: GitHub API call failed (${status}): ${message} (${endpoint})`);
            return undefined;
        }
    }
}


/***/ })

};
