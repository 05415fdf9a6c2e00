export const id = 584;
export const ids = [584];
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


/***/ })

};
