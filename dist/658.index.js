export const id = 658;
export const ids = [658];
export const modules = {

/***/ 5658:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runWebSocketProbe: () => (/* binding */ runWebSocketProbe)
});

// EXTERNAL MODULE: ./src/http/connection-errors.ts
var connection_errors = __webpack_require__(7368);
// EXTERNAL MODULE: ./src/http/scrub.ts
var http_scrub = __webpack_require__(7967);
;// CONCATENATED MODULE: ./src/probes/match.ts



/**
 * A subset match, as users expect from `json: { type: x }`: every key given
 * must be present with a matching value; extra keys in the message are
 * fine. Arrays match element by element and must have the same length, so
 * `[1]` never silently matches `[1, 2]`.
 */
function matchesSubset(actual, expected) {
    if (expected === null || typeof expected !== 'object') {
        return Object.is(actual, expected);
    }
    if (Array.isArray(expected)) {
        return (Array.isArray(actual) &&
            actual.length === expected.length &&
            expected.every((e, i) => matchesSubset(actual[i], e)));
    }
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        return false;
    }
    const obj = actual;
    return Object.entries(expected).every(([k, v]) => Object.hasOwn(obj, k) && matchesSubset(obj[k], v));
}
/** Text frames are JSON when they parse; anything else is matched as text. */
function parseMessage(text) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
            return { text, value: JSON.parse(text), structured: true };
        }
        catch {
            // not JSON after all: matched by regex only
        }
    }
    return { text, structured: false };
}
/**
 * A Socket.IO event becomes one Incoming: `data` matches its first argument,
 * which is how servers send a payload (`emit('match-update', {...})`).
 */
function eventMessage(event, args) {
    const first = args[0];
    let text;
    if (typeof first === 'string' && args.length === 1)
        text = first;
    else
        text = safeStringify(args.length === 1 ? first : args);
    return { event, text, value: first, structured: args.length > 0 };
}
/**
 * Compiles the matcher of a receive or silence step once, so a bad regex is
 * one reason up front instead of an exception per message.
 */
function compileMatcher(match) {
    let re;
    if (match.regex !== undefined) {
        try {
            re = new RegExp(match.regex);
        }
        catch {
            return { ok: false, error: `invalid regex '${match.regex}'` };
        }
    }
    const subsets = [match.json, match.data].filter((v) => v !== undefined);
    const parts = subsets.map((s) => safeStringify(s));
    if (re)
        parts.push(String(re));
    const matcher = {
        event: match.event,
        description: parts.join(' and '),
        any: match.event === undefined && parts.length === 0,
        matches: (m) => (match.event === undefined || m.event === match.event) &&
            subsets.every((s) => m.structured && matchesSubset(m.value, s)) &&
            (re === undefined || re.test(m.text))
    };
    return { ok: true, value: matcher };
}
/**
 * What a step waited for, in words: `message matching {"type":"x"}`,
 * `'match-update' event matching {"matchId":"m"}`, or just `message`.
 */
function expectedPhrase(m, noun) {
    const payload = m.description ? ` matching ${m.description}` : '';
    if (m.event !== undefined)
        return `'${m.event}' event${payload}`;
    return `${noun}${payload}`;
}
/** Sizes the way the config writes them: `512 B`, `64 KiB`, `2 MiB`. */
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let value = bytes;
    let i = 0;
    while (value >= 1024 && i < units.length - 1) {
        value /= 1024;
        i++;
    }
    const shown = Number.isInteger(value) ? value : Number(value.toFixed(1));
    return `${shown} ${units[i]}`;
}
/** Plural nouns for counts in reasons: `1 other message`, `3 other events`. */
function plural(n, noun) {
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
function safeStringify(value) {
    try {
        return JSON.stringify(value) ?? String(value);
    }
    catch {
        return String(value);
    }
}
/**
 * `ws` stops reading at the frame header of an oversized message and says
 * only "Max payload size exceeded"; the declared length it has read is on
 * its receiver, which we read defensively so the reason can name the size.
 */
function oversizeReason(socket, max) {
    const receiver = (0,connection_errors/* field */.ZZ)(socket, '_receiver');
    const compressed = (0,connection_errors/* field */.ZZ)(receiver, '_compressed') === true;
    const total = (0,connection_errors/* field */.ZZ)(receiver, '_totalPayloadLength');
    const limit = formatBytes(max);
    if (!compressed && typeof total === 'number' && total > max) {
        const fragmented = Boolean((0,connection_errors/* field */.ZZ)(receiver, '_fragmented'));
        const size = `${fragmented ? 'at least ' : ''}${formatBytes(total)}`;
        return `message of ${size} exceeds max ${limit}`;
    }
    return `message exceeds max ${limit}`;
}

// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: ./node_modules/socket.io-client/build/esm-debug/index.js + 29 modules
var esm_debug = __webpack_require__(8210);
// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
;// CONCATENATED MODULE: ./src/probes/socketio.ts
/**
 * The Socket.IO side of WebSocket probes: a gateway such as NestJS speaks
 * events over its own framing, so `receive`/`silence` match an event name and
 * its payload and `emit` sends one. The steps themselves run in the shared
 * engine of websocket.ts; this file only adapts socket.io-client to it.
 */




/**
 * Connects one Socket.IO client the way a probe needs it: one attempt, no
 * reconnection (a reconnect would hide the failure we are looking for), a
 * fresh manager, and the WebSocket transport only, so a broken upgrade is
 * not masked by a fallback to long-polling.
 */
function openSocketIo(spec, sink, target, factory = (url, options) => (0,esm_debug.io)(url, options)) {
    const options = {
        transports: ['websocket'],
        reconnection: false,
        timeout: spec.connectTimeoutMs,
        forceNew: true,
        extraHeaders: spec.headers,
        rejectUnauthorized: !spec.tls.insecure,
        maxPayload: spec.maxMessageBytes
    };
    if (spec.subprotocols.length > 0)
        options.protocols = spec.subprotocols;
    if (spec.tls.ca !== undefined)
        options.ca = spec.tls.ca;
    if (spec.tls.minVersion !== undefined && target.secure) {
        // engine.io-client forwards only some TLS options to `ws`; an agent
        // carries the rest. Its type is narrowed for browsers, hence the cast.
        const agent = new external_node_https_.Agent({
            minVersion: spec.tls.minVersion,
            rejectUnauthorized: !spec.tls.insecure,
            ca: spec.tls.ca
        });
        options.agent = agent;
    }
    const socket = factory(spec.url, options);
    let closing = false;
    socket.on('connect', () => sink.open({}));
    socket.on('connect_error', (err) => {
        sink.end(connectErrorEnd(err, spec, target));
    });
    // `ws` is dropped by the time `disconnect` fires; the manager's `error`
    // comes first, while the frame header that was too large is still there.
    let oversize;
    socket.io.on('error', (err) => {
        if (!isOversize(err))
            return;
        const transport = socket.io.engine?.transport;
        const ws = transport?.ws;
        oversize = oversizeReason(ws, spec.maxMessageBytes);
    });
    socket.on('disconnect', (reason, details) => {
        sink.end(oversize !== undefined && reason === 'transport error'
            ? { reason: oversize, error: false }
            : disconnectEnd(reason, details, closing, spec, target));
    });
    socket.onAny((event, ...args) => {
        sink.message(eventMessage(event, args));
    });
    const emit = (event, args) => {
        if (!socket.connected)
            return Promise.resolve('not connected');
        socket.emit(event, ...args);
        return Promise.resolve(undefined);
    };
    return {
        send: (payload) => emit('message', [
            payload.json !== undefined ? payload.json : payload.text
        ]),
        emit: (event, data) => emit(event, data === undefined ? [] : [data]),
        close: () => {
            closing = true;
            socket.disconnect();
            return undefined;
        },
        terminate: () => {
            closing = true;
            socket.offAny();
            socket.disconnect();
            socket.io.engine?.close();
        }
    };
}
function connectErrorEnd(err, spec, target) {
    if (err.message === 'timeout') {
        return {
            reason: `connect timeout after ${(0,format/* formatDuration */.a3)(spec.connectTimeoutMs)} to ${target.hostPort}`,
            error: true
        };
    }
    // A middleware's `next(new Error(...))` is an answer from the server; a
    // transport error is the network or the upgrade.
    if (err.type !== 'TransportError') {
        return { reason: `connect error: '${err.message}'`, error: false };
    }
    return (0,connection_errors/* transportFailure */.qO)(err, target.hostPort, target.redact);
}
function disconnectEnd(reason, details, closing, spec, target) {
    if (closing || reason === 'io client disconnect') {
        return { reason: 'closed by client', error: false, byClient: true };
    }
    switch (reason) {
        case 'io server disconnect':
            return { reason: 'disconnected by server', error: false, normal: true };
        case 'ping timeout':
            return { reason: 'server stopped answering (ping timeout)', error: true };
        case 'parse error':
            return { reason: 'unparsable packet from server', error: false };
        case 'transport close':
            return closeDetails(details, target);
        case 'transport error':
            if (isOversize(details)) {
                const reason = oversizeReason(undefined, spec.maxMessageBytes);
                return { reason, error: false };
            }
            return (0,connection_errors/* transportFailure */.qO)(details, target.hostPort, target.redact);
        default:
            return { reason: `disconnected: '${String(reason)}'`, error: true };
    }
}
/** A `transport close` carries the WebSocket close event when there was one. */
function closeDetails(details, target) {
    const context = details?.context;
    const code = context?.code;
    const why = context?.reason;
    if (typeof code !== 'number' || code === 1006 || code === 1005) {
        return { reason: 'connection closed by server', error: true };
    }
    const quoted = typeof why === 'string' && why !== ''
        ? ` '${(0,connection_errors/* excerpt */.Kb)(why, 80, target.redact)}'`
        : '';
    return {
        reason: `closed by server: ${code}${quoted}`,
        error: false,
        normal: code === 1000 || code === 1001
    };
}
function isOversize(details) {
    const seen = new Set();
    let e = details;
    for (let i = 0; i < 4 && e !== null && typeof e === 'object'; i++) {
        if (seen.has(e))
            break;
        seen.add(e);
        const rec = e;
        if (rec.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
            return true;
        e = rec.error ?? rec.description;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/probes/ws-link.ts
/**
 * A thrown value as a one-line reason. Kept apart from the kernel's
 * errorMessage so the reasons read as they always have: anything that is
 * not an Error here (a string, an Error from another realm, which fails
 * `instanceof`) reads as `String(value)`, never as JSON.
 */
function thrownMessage(err) {
    return err instanceof Error ? err.message : String(err);
}

// EXTERNAL MODULE: ./src/kernel/jsonpath.ts
var jsonpath = __webpack_require__(5852);
;// CONCATENATED MODULE: ./src/probes/ws-push.ts
/**
 * Push latency from the server's own timestamp: reads the time a server
 * stamped on a message it pushed, so a probe or a viewer load can tell how
 * late the message arrived. Meaningful only when the server and the runner
 * share a clock (same host, or both synced by NTP to well under the
 * latencies judged).
 */

/** Pushed-message latencies kept per probe sample; later ones are dropped. */
const MAX_PUSH_LATENCIES = 1000;
/**
 * Compiles the stamp reader once. A stamp later than now (clocks a little
 * apart) counts as 0 ms: late pushes are what the measure is for.
 */
function pushStamp(spec) {
    const path = (0,jsonpath/* parsePath */.Rr)(spec.timestamp);
    if (!path.ok) {
        return { ok: false, error: `push-latency.timestamp: ${path.error}` };
    }
    const segments = path.value;
    const unit = spec.unit;
    return {
        ok: true,
        value: (payload, nowMs) => {
            const found = (0,jsonpath/* readPath */.G7)(payload, segments);
            if (!found.found)
                return undefined;
            const at = epochMs(found.value, unit);
            if (at === undefined)
                return undefined;
            return Math.max(0, nowMs - at);
        }
    };
}
function epochMs(value, unit) {
    if (unit === 'iso') {
        if (typeof value !== 'string')
            return undefined;
        const ms = Date.parse(value);
        return Number.isFinite(ms) ? ms : undefined;
    }
    const n = typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
    if (!Number.isFinite(n))
        return undefined;
    return unit === 's' ? n * 1000 : unit === 'us' ? n / 1000 : n;
}

// EXTERNAL MODULE: ./node_modules/ws/wrapper.mjs
var wrapper = __webpack_require__(2977);
;// CONCATENATED MODULE: ./src/probes/ws-raw.ts
/**
 * The raw WebSocket side of WebSocket probes: adapts the `ws` client to the
 * step engine of websocket.ts, turning its events and close codes into
 * one-line reasons.
 */




/**
 * Connects one `ws` client for a probe. Redirects are not followed: a probe
 * checks the endpoint it names, and a redirect is reported as a refused
 * upgrade rather than silently probing somewhere else.
 */
function openWs(spec, sink, target, factory = (url, protocols, options) => new wrapper/* default */.Ay(url, protocols, options)) {
    const options = {
        headers: spec.headers,
        maxPayload: spec.maxMessageBytes,
        handshakeTimeout: spec.connectTimeoutMs,
        followRedirects: false,
        rejectUnauthorized: !spec.tls.insecure
    };
    if (spec.tls.ca !== undefined)
        options.ca = spec.tls.ca;
    if (spec.tls.minVersion !== undefined) {
        options.minVersion = spec.tls.minVersion;
    }
    const ws = factory(spec.url, spec.subprotocols, options);
    let closing = false;
    ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        sink.end({
            reason: `upgrade refused: HTTP ${status}`,
            error: false,
            status
        });
        res.resume();
        ws.terminate();
    });
    ws.on('open', () => sink.open({ protocol: ws.protocol || undefined }));
    ws.on('message', (data) => sink.message(parseMessage(toText(data))));
    ws.on('pong', () => sink.pong());
    ws.on('error', (err) => {
        sink.end(wsErrorEnd(err, ws, spec, target));
    });
    ws.on('close', (code, reason) => {
        sink.end(closeEnd(code, reason.toString(), closing, target));
    });
    return {
        send: (payload) => new Promise((resolve) => {
            if (ws.readyState !== wrapper/* default */.Ay.OPEN) {
                resolve('connection is not open');
                return;
            }
            const text = payload.json !== undefined
                ? JSON.stringify(payload.json)
                : (payload.text ?? '');
            ws.send(text, (err) => {
                resolve(err ? `send failed: ${err.message}` : undefined);
            });
        }),
        ping: () => {
            try {
                ws.ping();
                return undefined;
            }
            catch (err) {
                return `ping failed: ${thrownMessage(err)}`;
            }
        },
        close: (code, reason) => {
            closing = true;
            try {
                ws.close(code, reason);
                return undefined;
            }
            catch (err) {
                closing = false;
                return `cannot close with code '${code}': ${thrownMessage(err)}`;
            }
        },
        terminate: () => {
            closing = true;
            if (ws.readyState !== wrapper/* default */.Ay.CLOSED)
                ws.terminate();
        }
    };
}
function wsErrorEnd(err, ws, spec, target) {
    const code = err.code;
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        return { reason: oversizeReason(ws, spec.maxMessageBytes), error: false };
    }
    if (err.message === 'Server sent no subprotocol') {
        const offered = spec.subprotocols.map((p) => `'${p}'`).join(', ');
        return {
            reason: `server accepted none of the subprotocols ${offered}`,
            error: false
        };
    }
    if (err.message === 'Server sent an invalid subprotocol') {
        return { reason: 'server chose a subprotocol not offered', error: false };
    }
    if (err.message === 'Opening handshake has timed out') {
        return {
            reason: `connect timeout after ${(0,format/* formatDuration */.a3)(spec.connectTimeoutMs)} to ${target.hostPort}`,
            error: true
        };
    }
    return { ...(0,connection_errors/* transportFailure */.qO)(err, target.hostPort, target.redact) };
}
/** Close codes read as users know them; 1006 means no close frame at all. */
function closeEnd(code, reason, byClient, target) {
    const quoted = reason ? ` '${(0,connection_errors/* excerpt */.Kb)(reason, 80, target.redact)}'` : '';
    if (byClient) {
        return {
            reason: `closed by client: ${code}${quoted}`,
            error: false,
            byClient
        };
    }
    if (code === 1006) {
        return {
            reason: 'connection lost without a close frame (1006)',
            error: true
        };
    }
    if (code === 1005) {
        return { reason: 'closed by server without a status code', error: false };
    }
    return {
        reason: `closed by server: ${code}${quoted}`,
        error: false,
        normal: code === 1000 || code === 1001
    };
}
function toText(data) {
    if (Array.isArray(data))
        return Buffer.concat(data).toString('utf8');
    if (data instanceof ArrayBuffer)
        return Buffer.from(data).toString('utf8');
    return data.toString('utf8');
}

// EXTERNAL MODULE: ./src/kernel/clock.ts
var kernel_clock = __webpack_require__(4643);
// EXTERNAL MODULE: ./src/kernel/result.ts
var result = __webpack_require__(3020);
// EXTERNAL MODULE: ./src/redact/preview.ts
var preview = __webpack_require__(2365);
;// CONCATENATED MODULE: ./src/probes/websocket.ts
/**
 * WebSocket probes: connect, then run a scripted conversation (send, receive,
 * silence, ping, close) and report the first step that went wrong in one
 * line. One step engine serves raw WebSocket (`ws`) and Socket.IO; each
 * protocol (ws-raw.ts, socketio.ts) only provides a Link (ws-link.ts) that
 * feeds an Inbox.
 */









/** Characters of the last message kept in a sample for reports. */
const EXCERPT_CHARS = 500;
/** Messages kept for later steps; the oldest go first beyond this. */
const MAX_BUFFERED = 1000;
/**
 * Runs one WebSocket or Socket.IO probe and always returns a sample: a
 * failure is a reason, never an exception, and the connection is closed
 * whatever happens, so a gate never leaks sockets into the next one.
 */
async function runWebSocketProbe(spec, opts = {}) {
    const clock = opts.clock ?? kernel_clock/* systemClock */.m;
    const scrub = (0,http_scrub/* credentialScrubber */.kL)(spec.url, spec.headers);
    const userRedact = opts.redact ?? ((s) => s);
    const redact = (s) => userRedact(scrub(s));
    const startedAt = clock.now();
    const t0 = clock.monotonic();
    let outcome;
    try {
        outcome = await execute(spec, opts, clock, redact);
    }
    catch (err) {
        outcome = {
            ok: false,
            reason: `internal error: ${thrownMessage(err)}`,
            error: true,
            steps: []
        };
    }
    const sample = {
        probe: spec.name,
        kind: 'websocket',
        ok: outcome.ok,
        reason: redact(outcome.reason),
        attempts: 1,
        startedAt,
        timings: { totalMs: clock.monotonic() - t0 },
        steps: outcome.steps
    };
    if (outcome.ws !== undefined) {
        sample.timings.connectMs = outcome.ws.connectMs;
        const { pushLatenciesMs, ...rest } = outcome.ws;
        sample.ws =
            pushLatenciesMs !== undefined && pushLatenciesMs.length > 0
                ? { ...rest, pushLatenciesMs }
                : rest;
    }
    if (!outcome.ok)
        sample.error = outcome.error ?? false;
    if (outcome.status !== undefined)
        sample.status = outcome.status;
    if (outcome.excerpt !== undefined) {
        sample.excerpt = (0,preview/* preview */.V)(outcome.excerpt, EXCERPT_CHARS, redact);
    }
    return sample;
}
/**
 * Buffers everything from the moment the connection opens, and times each
 * message as it arrives, so a message a later step matches keeps its true
 * arrival time.
 */
class Inbox {
    clock;
    stamp;
    messages = [];
    /** Push latencies measured so far (from stamps, or from sends). */
    pushed = [];
    pongs = 0;
    opened = false;
    /** When the connection opened (monotonic ms). */
    openedAt = 0;
    protocol;
    ended;
    waker;
    constructor(clock, stamp) {
        this.clock = clock;
        this.stamp = stamp;
    }
    open(info) {
        if (this.ended)
            return;
        this.opened = true;
        this.openedAt = this.clock.monotonic();
        this.protocol = info.protocol;
        this.wake();
    }
    message(message) {
        if (this.ended)
            return;
        if (this.messages.length >= MAX_BUFFERED)
            this.messages.shift();
        this.messages.push({ ...message, at: this.clock.monotonic() });
        if (this.stamp) {
            const ms = this.stamp(message.value, this.clock.now());
            if (ms !== undefined)
                this.push(ms);
        }
        this.wake();
    }
    push(ms) {
        if (this.pushed.length < MAX_PUSH_LATENCIES)
            this.pushed.push(ms);
    }
    pong() {
        this.pongs++;
        this.wake();
    }
    end(end) {
        this.ended ??= end;
        this.wake();
    }
    /** How the connection ended so far (a call, so TS does not narrow it). */
    current() {
        return this.ended;
    }
    /** Resolves on the next event, or at the deadline (monotonic ms). */
    async wait(clock, deadline) {
        const ms = deadline - clock.monotonic();
        if (ms <= 0)
            return;
        const timer = new AbortController();
        const woken = new Promise((resolve) => {
            this.waker = resolve;
        });
        try {
            await Promise.race([
                woken,
                clock.sleep(ms, timer.signal).catch((err) => {
                    // our own cancel after a wake-up is expected; anything else is not
                    if (!timer.signal.aborted)
                        throw err;
                })
            ]);
        }
        finally {
            this.waker = undefined;
            timer.abort();
        }
    }
    wake() {
        const waker = this.waker;
        this.waker = undefined;
        waker?.();
    }
}
async function execute(spec, opts, clock, redact) {
    const steps = [];
    // a raw WebSocket that opened answered 101, whatever happens after
    let upgraded;
    let measured;
    const fail = (f) => ({
        ok: false,
        error: false,
        ...f,
        status: f.status ?? upgraded,
        steps,
        ...(measured ? { ws: measured } : {})
    });
    const parsedTarget = parseTarget(spec, redact);
    if (!parsedTarget.ok)
        return fail({ reason: parsedTarget.error });
    const target = parsedTarget.value;
    const compiled = compileSteps(spec);
    if (!compiled.ok)
        return fail({ reason: compiled.error });
    const matchers = compiled.value;
    const stamp = spec.pushLatency ? pushStamp(spec.pushLatency) : undefined;
    if (stamp && !stamp.ok)
        return fail({ reason: stamp.error });
    if (opts.signal?.aborted) {
        return fail({ reason: 'aborted before connecting', error: true });
    }
    const inbox = new Inbox(clock, stamp?.value);
    let link;
    const onAbort = () => {
        inbox.end({ reason: 'aborted', error: true, byClient: true, aborted: true });
        link?.terminate();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
        const connectStart = clock.monotonic();
        try {
            link =
                spec.protocol === 'socket.io'
                    ? openSocketIo(spec, inbox, target, opts.createSocketIo)
                    : openWs(spec, inbox, target, opts.createSocket);
        }
        catch (err) {
            return fail({ reason: `cannot open connection: ${thrownMessage(err)}` });
        }
        // A leading `receive: { event: connect }` is the connect itself: its
        // window bounds the handshake and its latency is the connect time.
        const first = spec.steps[0];
        const leading = first?.kind === 'receive' && first.event === 'connect' ? first : undefined;
        const window = Math.min(spec.connectTimeoutMs, leading?.withinMs ?? Infinity);
        const deadline = connectStart + window;
        while (!inbox.opened && !inbox.ended && clock.monotonic() < deadline) {
            await inbox.wait(clock, deadline);
        }
        if (!inbox.opened) {
            const end = inbox.ended;
            if (end?.aborted) {
                return fail({ reason: 'aborted while connecting', error: true });
            }
            if (end)
                return fail(end);
            if (leading && leading.withinMs < spec.connectTimeoutMs) {
                return fail({
                    reason: `step 1 (receive): not connected within ${(0,format/* formatDuration */.a3)(leading.withinMs)}`,
                    error: true
                });
            }
            return fail({
                reason: `connect timeout after ${(0,format/* formatDuration */.a3)(spec.connectTimeoutMs)} to ${target.hostPort}`,
                error: true
            });
        }
        const openedAt = inbox.openedAt;
        const connectMs = openedAt - connectStart;
        measured = { connectMs, pushLatenciesMs: inbox.pushed };
        if (spec.protocol === 'ws')
            upgraded = 101;
        let index = 0;
        if (leading) {
            steps.push({ step: 1, kind: 'receive', ms: connectMs });
            index = 1;
        }
        const ctx = { spec, clock, inbox, link, redact };
        // The send or emit the next matched message answers, when no stamp.
        let triggeredAt;
        for (let i = index; i < spec.steps.length; i++) {
            const step = spec.steps[i];
            const start = clock.monotonic();
            ctx.matchedAt = undefined;
            const failure = await runStep(ctx, step, i + 1, matchers[i], start);
            if (failure)
                return fail(failure);
            steps.push({
                step: i + 1,
                kind: step.kind,
                ms: clock.monotonic() - start
            });
            if (step.kind === 'send' || step.kind === 'emit')
                triggeredAt = start;
            const at = ctx.matchedAt;
            if (at === undefined)
                continue;
            measured.firstMessageMs ??= at - openedAt;
            if (!stamp && triggeredAt !== undefined && at >= triggeredAt) {
                inbox.push(at - triggeredAt);
            }
            triggeredAt = undefined;
        }
        const via = inbox.protocol ? ` (subprotocol '${inbox.protocol}')` : '';
        return {
            ok: true,
            reason: `${plural(steps.length, 'step')} passed${via}`,
            status: upgraded,
            steps,
            ws: measured
        };
    }
    finally {
        opts.signal?.removeEventListener('abort', onAbort);
        link?.terminate();
    }
}
async function runStep(ctx, step, n, matcher, start) {
    const { clock, inbox, link, spec, redact } = ctx;
    const label = `step ${n} (${step.kind})`;
    const noun = spec.protocol === 'socket.io' ? 'event' : 'message';
    const ended = (where) => endFailure(inbox.ended, where);
    switch (step.kind) {
        case 'send':
        case 'emit': {
            if (inbox.ended)
                return ended(`before ${label}`);
            const err = step.kind === 'send'
                ? await link.send(step)
                : await link.emit?.(step.event, step.data);
            if (inbox.ended)
                return ended(`in ${label}`);
            return err ? { reason: `${label}: ${err}` } : undefined;
        }
        case 'receive': {
            const m = matcher;
            if (m.event === 'connect') {
                return inbox.ended ? ended(`in ${label}`) : undefined;
            }
            const deadline = start + step.withinMs;
            let others = 0;
            let last;
            for (;;) {
                const msg = inbox.messages.shift();
                if (msg) {
                    if (m.matches(msg)) {
                        ctx.matchedAt = msg.at;
                        return undefined;
                    }
                    others++;
                    last = describeMessage(msg);
                    continue;
                }
                if (inbox.ended) {
                    return { ...ended(`while waiting in ${label}`), excerpt: last };
                }
                if (clock.monotonic() >= deadline) {
                    const seen = others === 0
                        ? `no ${noun}s seen`
                        : `${plural(others, `other ${noun}`)} seen`;
                    return {
                        reason: `${label}: no ${expectedPhrase(m, noun)} within ${(0,format/* formatDuration */.a3)(step.withinMs)} (${seen})`,
                        excerpt: last
                    };
                }
                await inbox.wait(clock, deadline);
            }
        }
        case 'silence': {
            const m = matcher;
            // Messages buffered before the window opened arrived before it (for
            // example before the unsubscribe just sent): they are not violations.
            inbox.messages.length = 0;
            const deadline = start + step.forMs;
            for (;;) {
                const msg = inbox.messages.shift();
                if (msg) {
                    if (!m.matches(msg))
                        continue;
                    const text = describeMessage(msg);
                    return {
                        reason: `${label}: unexpected ${noun} during ${(0,format/* formatDuration */.a3)(step.forMs)} of silence: ${(0,connection_errors/* excerpt */.Kb)(text, 120, redact)}`,
                        excerpt: text
                    };
                }
                if (inbox.ended)
                    return ended(`while waiting in ${label}`);
                if (clock.monotonic() >= deadline)
                    return undefined;
                await inbox.wait(clock, deadline);
            }
        }
        case 'ping': {
            if (inbox.ended)
                return ended(`before ${label}`);
            const before = inbox.pongs;
            const err = link.ping?.();
            if (err)
                return { reason: `${label}: ${err}` };
            const deadline = start + step.withinMs;
            for (;;) {
                if (inbox.pongs > before)
                    return undefined;
                if (inbox.ended)
                    return ended(`while waiting in ${label}`);
                if (clock.monotonic() >= deadline) {
                    return {
                        reason: `${label}: no pong within ${(0,format/* formatDuration */.a3)(step.withinMs)}`
                    };
                }
                await inbox.wait(clock, deadline);
            }
        }
        case 'close': {
            if (inbox.ended) {
                return inbox.ended.normal ? undefined : ended(`before ${label}`);
            }
            const err = link.close(step.code, step.reason);
            if (err)
                return { reason: `${label}: ${err}` };
            const deadline = start + spec.connectTimeoutMs;
            for (;;) {
                const end = inbox.current();
                if (end)
                    return end.aborted ? ended(`in ${label}`) : undefined;
                if (clock.monotonic() >= deadline) {
                    return {
                        reason: `${label}: server did not complete the close within ${(0,format/* formatDuration */.a3)(spec.connectTimeoutMs)}`
                    };
                }
                await inbox.wait(clock, deadline);
            }
        }
    }
}
function endFailure(end, where) {
    if (!end)
        return { reason: `connection lost ${where}`, error: true };
    if (end.aborted)
        return { reason: `aborted ${where}`, error: true };
    return { reason: `${end.reason} ${where}`, error: end.error };
}
function describeMessage(msg) {
    return msg.event === undefined ? msg.text : `'${msg.event}' ${msg.text}`;
}
/**
 * Checks every step before connecting, so a probe that could never pass
 * (an `emit` on raw WebSocket, a bad regex) does not subscribe to anything
 * first. Returns the matchers by step index, or the reason.
 */
function compileSteps(spec) {
    const io = spec.protocol === 'socket.io';
    const out = [];
    for (const [i, step] of spec.steps.entries()) {
        const label = `step ${i + 1} (${step.kind})`;
        if (step.kind === 'emit' && !io) {
            return (0,result/* fail */.f)(`${label}: 'emit' needs protocol 'socket.io'`);
        }
        if (step.kind === 'ping' && io) {
            return (0,result/* fail */.f)(`${label}: 'ping' is not available with protocol 'socket.io'`);
        }
        if (step.kind !== 'receive' && step.kind !== 'silence') {
            out.push(undefined);
            continue;
        }
        if (!io && step.data !== undefined) {
            return (0,result/* fail */.f)(`${label}: 'data' needs protocol 'socket.io'`);
        }
        if (!io && step.event !== undefined && step.event !== 'connect') {
            return (0,result/* fail */.f)(`${label}: event '${step.event}' needs protocol 'socket.io'`);
        }
        if (step.kind === 'silence' && step.event === 'connect') {
            return (0,result/* fail */.f)(`${label}: event 'connect' cannot be a silence`);
        }
        const m = compileMatcher(step);
        if (!m.ok)
            return (0,result/* fail */.f)(`${label}: ${m.error}`);
        out.push(m.value);
    }
    return (0,result.ok)(out);
}
function parseTarget(spec, redact) {
    let url;
    try {
        url = new URL(spec.url);
    }
    catch {
        return (0,result/* fail */.f)(`invalid url '${(0,http_scrub/* displayUrl */.Qy)(spec.url)}'`);
    }
    const secure = url.protocol === 'wss:' || url.protocol === 'https:';
    if (!secure && url.protocol !== 'ws:' && url.protocol !== 'http:') {
        return (0,result/* fail */.f)(`unsupported url scheme '${url.protocol}' (use ws, wss, http or https)`);
    }
    const port = url.port || (secure ? '443' : '80');
    return (0,result.ok)({ hostPort: `${url.hostname}:${port}`, secure, redact });
}


/***/ })

};
