export const id = 949;
export const ids = [949];
export const modules = {

/***/ 7949:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   queryCloudWatch: () => (/* binding */ queryCloudWatch)
/* harmony export */ });
/* unused harmony exports CLOUDWATCH_STATS, PERCENTILE_STAT, cloudWatchEndpoint, describeMetric */
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5616);
/* harmony import */ var _http_json_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4316);
/* harmony import */ var _provider_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9380);
/* harmony import */ var _kernel_clock_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4643);
/* harmony import */ var _kernel_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2386);
/**
 * The CloudWatch metric source: `GetMetricData` for one metric, signed
 * with SigV4 by the official AWS SDK (loaded only when a config reads
 * CloudWatch), sent through the project's own HTTP client so timeouts,
 * cancellation and size caps work as for every other source. The value is
 * the newest datapoint in the window; none is no-data.
 */





/** The statistics GetMetricData takes besides percentiles. */
const CLOUDWATCH_STATS = [
    'Average',
    'Sum',
    'Minimum',
    'Maximum',
    'SampleCount'
];
/** `p95`, `p99.9`: a percentile statistic. */
const PERCENTILE_STAT = /^p(\d{1,2}(\.\d{1,2})?|100)$/;
/** The regional endpoint, as the SDK would pick it. */
function cloudWatchEndpoint(region) {
    return `https://monitoring.${region}.amazonaws.com`;
}
/**
 * The SDK's HTTP handler, backed by `httpSend`: one attempt, the source's
 * timeout on the injected clock, the caller's abort signal. A transport
 * failure is kept as our own reading and surfaces as a thrown error the
 * source recognizes.
 */
class SourceHandler {
    exchange = {};
    timeoutMs;
    opts;
    constructor(timeoutMs, opts) {
        this.timeoutMs = timeoutMs;
        this.opts = opts;
    }
    async handle(request) {
        const port = request.port === undefined ? '' : `:${request.port}`;
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries(request.query ?? {})) {
            for (const one of Array.isArray(v) ? v : [v ?? ''])
                query.append(k, one);
        }
        const qs = query.toString();
        const url = `${request.protocol}//${request.hostname}${port}${request.path}${qs === '' ? '' : `?${qs}`}`;
        const headers = { ...request.headers };
        // undici sets Host from the URL; it is the same value the SDK signed.
        for (const k of Object.keys(headers)) {
            if (k.toLowerCase() === 'host')
                delete headers[k];
        }
        const body = bodyText(request.body);
        const fetched = await (0,_http_send_js__WEBPACK_IMPORTED_MODULE_0__/* .httpSend */ .v0)({
            url,
            method: request.method,
            headers,
            ...(body === undefined ? {} : { body })
        }, this.timeoutMs, this.opts);
        if (!fetched.ok) {
            this.exchange.failure = fetched.reading;
            throw new TransportFailed();
        }
        this.exchange.answer = fetched.answer;
        return {
            response: {
                statusCode: fetched.answer.status,
                headers: fetched.answer.headers ?? {},
                body: Buffer.from(fetched.answer.body, 'utf8')
            }
        };
    }
    updateHttpClientConfig() { }
    httpHandlerConfigs() {
        return {};
    }
}
class TransportFailed extends Error {
}
function bodyText(body) {
    if (body === undefined || body === null)
        return undefined;
    if (typeof body === 'string')
        return body;
    if (body instanceof Uint8Array) {
        // By its bytes: Buffer.from(view) would call the view's valueOf().
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    }
    // The JSON protocol only sends text; a stream would be a new protocol.
    throw new Error('unsupported request body (not text)');
}
/**
 * Reads one CloudWatch metric. The secret key never leaves the signer;
 * it, the session token and the access key id are masked in every reason
 * all the same.
 */
async function queryCloudWatch(spec, opts = {}) {
    const clock = opts.clock ?? _kernel_clock_js__WEBPACK_IMPORTED_MODULE_3__/* .systemClock */ .m;
    const endpoint = spec.url ?? cloudWatchEndpoint(spec.region);
    const { credentials } = spec;
    const secrets = {
        'x-aws-secret': credentials.secretAccessKey,
        'x-aws-key': credentials.accessKeyId,
        ...(credentials.sessionToken === undefined
            ? {}
            : { 'x-aws-session': credentials.sessionToken })
    };
    const scrub = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_0__/* .reasonScrubber */ .fF)(endpoint, secrets, opts);
    const reading = await read(spec, endpoint, opts, scrub);
    return (0,_http_json_js__WEBPACK_IMPORTED_MODULE_1__/* .stamp */ .iE)(reading, scrub, clock);
}
async function read(spec, endpoint, opts, scrub) {
    const bad = checkSpec(spec);
    if (bad !== undefined)
        return { kind: 'error', reason: `cloudwatch: ${bad}` };
    const sdk = await __webpack_require__.e(/* import() */ 85).then(__webpack_require__.t.bind(__webpack_require__, 4085, 19));
    const handler = new SourceHandler(spec.timeoutMs, opts);
    const client = new sdk.CloudWatchClient({
        region: spec.region,
        endpoint,
        credentials: spec.credentials,
        maxAttempts: 1,
        requestHandler: handler,
        useDualstackEndpoint: false,
        useFipsEndpoint: false,
        disableRequestCompression: true
    });
    const command = new sdk.GetMetricDataCommand({
        MetricDataQueries: [
            {
                Id: 'm0',
                MetricStat: {
                    Metric: {
                        Namespace: spec.namespace,
                        MetricName: spec.metric,
                        Dimensions: Object.entries(spec.dimensions).map(([Name, Value]) => ({
                            Name,
                            Value
                        }))
                    },
                    Period: spec.periodSeconds,
                    Stat: spec.stat
                },
                ReturnData: true
            }
        ],
        StartTime: new Date(spec.start),
        EndTime: new Date(spec.end),
        ScanBy: 'TimestampDescending'
    });
    const target = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_0__/* .hostPortOf */ .ZC)(endpoint);
    try {
        const out = await client.send(command, {
            ...(opts.signal ? { abortSignal: opts.signal } : {})
        });
        return newest(out.MetricDataResults, spec, target, handler.exchange, scrub);
    }
    catch (e) {
        return sdkError(e, handler.exchange, target, scrub);
    }
    finally {
        client.destroy();
    }
}
function checkSpec(spec) {
    const stats = CLOUDWATCH_STATS;
    if (!stats.includes(spec.stat) && !PERCENTILE_STAT.test(spec.stat)) {
        return `invalid stat '${spec.stat}' (use ${CLOUDWATCH_STATS.join(', ')} or pNN such as p95)`;
    }
    if (spec.region.trim() === '') {
        return "no region: set 'region' or AWS_REGION";
    }
    if (!(spec.end > spec.start))
        return 'empty window';
    return undefined;
}
function newest(results, spec, target, exchange, scrub) {
    const answer = exchange.answer ?? { status: 200, body: '' };
    const result = results?.find((r) => r.Id === 'm0');
    if (!result) {
        return (0,_provider_js__WEBPACK_IMPORTED_MODULE_2__/* .providerMalformed */ .jB)('cloudwatch', answer, target, 'no MetricDataResults');
    }
    if (result.StatusCode === 'InternalError' ||
        result.StatusCode === 'Forbidden') {
        const said = (result.Messages ?? [])
            .map((m) => `${m.Code ?? ''} ${m.Value ?? ''}`.trim())
            .join('; ');
        return {
            kind: 'error',
            reason: `cloudwatch: GetMetricData ${result.StatusCode}${said === '' ? '' : `: '${(0,_http_json_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(said, scrub, 200)}'`}`,
            status: answer.status
        };
    }
    const times = result.Timestamps ?? [];
    const values = result.Values ?? [];
    let best = -1;
    for (let i = 0; i < Math.min(times.length, values.length); i++) {
        const v = values[i];
        if (typeof v !== 'number' || !Number.isFinite(v))
            continue;
        if (best < 0 || times[i].getTime() > times[best].getTime())
            best = i;
    }
    const what = describeMetric(spec, scrub);
    if (best < 0) {
        return {
            kind: 'no-data',
            reason: `cloudwatch: no datapoints for ${what} in the window`
        };
    }
    return {
        kind: 'value',
        value: values[best],
        note: `cloudwatch: ${what}, last point ${(0,_provider_js__WEBPACK_IMPORTED_MODULE_2__/* .pointTime */ .Iz)(times[best].getTime())}`
    };
}
/** `AWS/ApplicationELB TargetResponseTime p95 (TargetGroup=…)` */
function describeMetric(spec, scrub = (s) => s) {
    const dims = Object.entries(spec.dimensions)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
    const text = `${spec.namespace} ${spec.metric} ${spec.stat}${dims === '' ? '' : ` (${dims})`}`;
    return (0,_http_json_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(text, scrub, 120);
}
/**
 * An SDK failure in one line. Our transport failure comes back as it
 * was; an HTTP error keeps its status, Retry-After and AWS's own code and
 * message; an answer the SDK could not parse is a malformed answer.
 */
function sdkError(e, exchange, target, scrub) {
    if (exchange.failure)
        return (0,_provider_js__WEBPACK_IMPORTED_MODULE_2__/* .tagged */ .VK)('cloudwatch', exchange.failure);
    const answer = exchange.answer;
    if (!answer) {
        return {
            kind: 'error',
            reason: `cloudwatch: ${(0,_http_json_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)((0,_kernel_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(e), scrub, 200)}`
        };
    }
    const ok = answer.status >= 200 && answer.status <= 299;
    const code = (0,_provider_js__WEBPACK_IMPORTED_MODULE_2__/* .isRecord */ .u4)(e) && typeof e.name === 'string' ? e.name : undefined;
    const message = (0,_provider_js__WEBPACK_IMPORTED_MODULE_2__/* .isRecord */ .u4)(e) && typeof e.message === 'string' ? e.message : '';
    const parsedFault = code !== undefined &&
        !/^(Error|TypeError|SyntaxError)$/.test(code) &&
        !/deserialization|unexpected token|not valid json/i.test(message);
    if (ok && !parsedFault) {
        return (0,_provider_js__WEBPACK_IMPORTED_MODULE_2__/* .providerMalformed */ .jB)('cloudwatch', answer, target, `not a GetMetricData answer ('${(0,_http_json_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(answer.body, scrub, 60)}')`);
    }
    if (ok) {
        return {
            kind: 'error',
            reason: `cloudwatch: ${code}: '${(0,_http_json_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(message, scrub, 200)}'`,
            status: answer.status
        };
    }
    const said = parsedFault
        ? message === ''
            ? code
            : `${code}: ${message}`
        : xmlFault(answer.body);
    return (0,_provider_js__WEBPACK_IMPORTED_MODULE_2__/* .providerHttpError */ .q9)('cloudwatch', answer, target, said, scrub, 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN');
}
/**
 * `Code: Message` of an AWS XML error (the query protocol's, which some
 * endpoints and proxies still answer with), else a short excerpt.
 */
function xmlFault(body) {
    const tag = (name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
    const code = tag('Code');
    const message = tag('Message');
    if (code !== undefined) {
        return message === undefined ? code : `${code}: ${message}`;
    }
    return body.trim() === '' ? undefined : body;
}


/***/ })

};
