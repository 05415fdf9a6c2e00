export const id = 657;
export const ids = [657,584];
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

/***/ 657:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  classify: () => (/* binding */ classify),
  computeMetrics: () => (/* binding */ computeMetrics),
  currentRollout: () => (/* binding */ currentRollout),
  deploymentMetrics: () => (/* binding */ deploymentMetrics),
  doraJson: () => (/* binding */ doraJson),
  doraMarkdown: () => (/* binding */ doraMarkdown),
  median: () => (/* binding */ median),
  metricsOf: () => (/* binding */ metricsOf),
  readHistory: () => (/* binding */ readHistory),
  withCurrent: () => (/* binding */ withCurrent)
});

// EXTERNAL MODULE: ./src/github/client.ts
var client = __webpack_require__(6584);
;// CONCATENATED MODULE: ./src/github/deployments.ts

const TOOL = 'deploy-gates';
/** The deployment status a rollout result ends with. */
function statusOf(result) {
    switch (result) {
        case 'promoted':
        case 'passed':
            return 'success';
        case 'paused':
            return 'in_progress';
        case 'rolled-back':
            return 'inactive';
        default:
            return 'failure';
    }
}
/**
 * `dg1 m1 r0 a1 d1 w25 running`: what changed, in a status description, so
 * a job on another runner (or a re-run) knows it. `a` (the migration is
 * applied) is optional when reading: statuses written before it lack it.
 */
function encodeChanges(s) {
    const b = (x) => (x ? '1' : '0');
    const c = s.changed;
    return `dg1 m${b(c.migrated)} r${b(c.migrationReversible)} a${b(c.migrationApplied)} d${b(c.deployed)} w${c.trafficWeight} ${s.phase}${s.result ? ` ${s.result}` : ''}`;
}
function decodeChanges(text) {
    const m = /^dg1 m([01]) r([01])(?: a([01]))? d([01]) w(\d{1,3}) (running|rolling-back|done)(?: (\S+))?/.exec(text ?? '');
    if (!m)
        return undefined;
    return {
        changed: {
            migrated: m[1] === '1',
            migrationReversible: m[2] === '1',
            migrationApplied: m[3] === '1',
            deployed: m[4] === '1',
            trafficWeight: Number(m[5])
        },
        phase: m[6],
        ...(m[7] ? { result: m[7] } : {})
    };
}
/**
 * The rollout's deployment: found (jobs of one rollout share it) or
 * created on first use, then given statuses.
 */
class Deployments {
    o;
    id;
    ensuring;
    lastDescription;
    absent = false;
    constructor(o) {
        this.o = o;
    }
    get repo() {
        return { owner: this.o.context.owner, repo: this.o.context.repo };
    }
    /**
     * This rollout's deployment: same commit, environment and version.
     * `ok: false` when the lookup failed: whether one exists is unknown. A
     * listing of the environment already read (newest first) saves the call.
     */
    async lookup(listed) {
        if (this.id !== undefined)
            return { ok: true, id: this.id };
        const data = listed ??
            (await this.o.guard.run('deployment', 'deployments: read', () => this.o.gh.rest.repos.listDeployments({
                ...this.repo,
                sha: this.o.context.sha,
                environment: this.o.environment,
                per_page: 10
            })))?.data;
        if (data === undefined)
            return { ok: false };
        const hit = data.find((d) => {
            const p = d.payload;
            return (d.sha === this.o.context.sha &&
                typeof p === 'object' &&
                p.tool === TOOL &&
                p.version === this.o.version);
        });
        this.id = hit?.id;
        return { ok: true, ...(hit ? { id: hit.id } : {}) };
    }
    /**
     * Finds this rollout's deployment in a listing of the environment (or by
     * asking), creating it when there is none, and says which it was. A
     * listing cut short (30 newest) may miss an old one: then it asks.
     */
    async begin(listed) {
        // The environment could not be read: neither can this lookup now, and
        // its retries would only delay the first gate. The first status tries
        // again, in the background.
        if (listed === undefined)
            return { created: false };
        const inList = listed.length < 30 ? await this.lookup(listed) : undefined;
        if (inList?.id !== undefined)
            return { id: inList.id, created: false };
        const found = inList ?? (await this.lookup());
        if (!found.ok || found.id !== undefined) {
            return {
                ...(found.id !== undefined ? { id: found.id } : {}),
                created: false
            };
        }
        // Just looked: none. The create need not look again.
        this.absent = true;
        const id = await this.ensure();
        return { ...(id !== undefined ? { id } : {}), created: id !== undefined };
    }
    /**
     * The deployment found or created so far, without asking GitHub: the
     * step's `deployment-id` output must not cost a request.
     */
    known() {
        return this.id;
    }
    /** This rollout's deployment, when it exists and the lookup worked. */
    async find() {
        return (await this.lookup()).id;
    }
    /**
     * Finds or creates the deployment. One at a time: statuses posted
     * together must not each create one. Never creates after a failed
     * lookup, which could duplicate the deployment an earlier attempt made;
     * the next status tries again.
     */
    ensure() {
        this.ensuring ??= this.findOrCreate().finally(() => {
            this.ensuring = undefined;
        });
        return this.ensuring;
    }
    async findOrCreate() {
        const found = this.absent
            ? { ok: true }
            : await this.lookup();
        this.absent = false;
        if (!found.ok || found.id !== undefined)
            return found.id;
        const payload = {
            tool: TOOL,
            service: this.o.service,
            version: this.o.version,
            ...(this.o.previousVersion
                ? { previousVersion: this.o.previousVersion }
                : {}),
            ...(this.o.configDigest ? { configDigest: this.o.configDigest } : {}),
            ...(this.o.context.runUrl ? { run: this.o.context.runUrl } : {})
        };
        const res = await this.o.guard.run('deployment', 'deployments: write', () => this.o.gh.rest.repos.createDeployment({
            ...this.repo,
            ref: this.o.context.sha,
            environment: this.o.environment,
            description: `${this.o.service} ${this.o.version}`.slice(0, 140),
            auto_merge: false,
            required_contexts: [],
            payload: payload,
            ...NO_RETRY
        }));
        const data = res?.data;
        this.id = typeof data?.id === 'number' ? data.id : undefined;
        return this.id;
    }
    /** Posts a status; skipped when it would repeat the last one. */
    async status(state, description) {
        const id = await this.ensure();
        if (id === undefined)
            return;
        const key = `${state}:${description}`;
        if (key === this.lastDescription)
            return;
        this.lastDescription = key;
        await this.o.guard.run('deployment', 'deployments: write', () => this.o.gh.rest.repos.createDeploymentStatus({
            ...this.repo,
            deployment_id: id,
            state,
            description: description.slice(0, 140),
            ...(this.o.context.runUrl ? { log_url: this.o.context.runUrl } : {}),
            ...(this.o.environmentUrl
                ? { environment_url: this.o.environmentUrl }
                : {}),
            auto_inactive: state === 'success'
        }));
    }
    /** The latest deploy-gates status description of this rollout. */
    async latestChanges() {
        const id = await this.find();
        if (id === undefined)
            return undefined;
        const res = await this.o.guard.run('deployment', 'deployments: read', () => this.o.gh.rest.repos.listDeploymentStatuses({
            ...this.repo,
            deployment_id: id,
            per_page: 20
        }));
        for (const s of res?.data ?? []) {
            const decoded = decodeChanges(s.description);
            if (decoded)
                return decoded;
        }
        return undefined;
    }
}
/** Reporter: the deployment ends with the rollout's verdict. */
class DeploymentsReporter {
    d;
    constructor(d) {
        this.d = d;
    }
    async onEvent(e) {
        // In-progress statuses come from DeploymentStateStore as things change.
        if (e.type === 'rollout-finished') {
            await this.d.status(statusOf(e.report.result), `${e.report.result}: ${e.report.reason}`);
        }
    }
}
/**
 * A state store that keeps the file store (fast, for the post step) and
 * mirrors what changed into deployment statuses, so later jobs of the same
 * rollout and the rollback job can read it. Writes only when the changes
 * or the phase differ from what was last mirrored.
 */
class DeploymentStateStore {
    file;
    d;
    base;
    mirrored;
    /** Mirroring runs in the background: saving never waits on GitHub. */
    chain = Promise.resolve();
    constructor(file, d, base) {
        this.file = file;
        this.d = d;
        this.base = base;
    }
    async load() {
        const local = await this.file.load();
        if (local)
            return local;
        const remote = await this.d.latestChanges();
        if (!remote)
            return undefined;
        return {
            ...this.base,
            ...remote,
            updatedAt: this.base.startedAt
        };
    }
    async save(state) {
        await this.file.save(state);
        const text = encodeChanges(state);
        if (text === this.mirrored)
            return;
        this.mirrored = text;
        const ended = state.phase === 'done';
        const status = ended && state.result
            ? statusOf(state.result)
            : 'in_progress';
        this.chain = this.chain
            .then(() => this.d.status(status, text))
            .catch(() => undefined);
    }
    /** Resolves once every mirrored status has been sent (or failed). */
    settled() {
        return this.chain;
    }
    async clear() {
        await this.file.clear();
    }
}
/**
 * The last version that reached `success` in the environment, skipping the
 * commit being rolled out: the default rollback target.
 */
async function previousSuccessfulVersion(gh, context, guard, environment, listed, statusesOf) {
    const list = listed
        ? await listed()
        : (await guard.run('deployment history', 'deployments: read', () => gh.rest.repos.listDeployments({
            owner: context.owner,
            repo: context.repo,
            environment,
            per_page: 30
        })))?.data;
    for (const d of list ?? []) {
        if (d.sha === context.sha)
            continue;
        const statuses = statusesOf
            ? await statusesOf(d.id)
            : (await guard.run('deployment history', 'deployments: read', () => gh.rest.repos.listDeploymentStatuses({
                owner: context.owner,
                repo: context.repo,
                deployment_id: d.id,
                per_page: 10
            })))?.data;
        if (statuses?.some((s) => s.state === 'success')) {
            const p = d.payload;
            return typeof p === 'object' && typeof p.version === 'string'
                ? p.version
                : d.sha.slice(0, 7);
        }
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/report/markdown.ts + 1 modules
var markdown = __webpack_require__(5900);
// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
;// CONCATENATED MODULE: ./src/github/dora.ts



const DAY_MS = 86_400_000;
const SURFACE = 'deployment metrics';
/**
 * Commit dates need `contents: read`, a scope Guard does not list yet;
 * the warning must name the permission that is really missing.
 */
const CONTENTS_READ = 'contents: read';
/**
 * What became of one deployment. `inactive` after a success only means a
 * newer deployment replaced it; `inactive` without a success is how
 * deploy-gates marks a rollback. A failure status of deploy-gates' own
 * `failed` result changed nothing, so it is not a failed change.
 */
function classify(h) {
    const statuses = [...h.statuses].sort((a, b) => a.at - b.at || a.id - b.id);
    let kind;
    let successAt;
    /** The failure since the last success. */
    let failedAt;
    /** The failure a success recovered from (a re-run that made it). */
    let recovered;
    for (const s of statuses) {
        if (s.state === 'success') {
            if (kind !== 'success') {
                successAt = s.at;
                recovered = failedAt;
                failedAt = undefined;
            }
            kind = 'success';
        }
        else if (s.state === 'failure' && refused(s.description)) {
            // Changed nothing: whatever the deployment was before, it still is.
            kind ??= 'not-deployed';
        }
        else if (s.state === 'failure' ||
            s.state === 'error' ||
            // Inactive without a success: rolled back. After one: replaced.
            (s.state === 'inactive' && kind !== 'success' && kind !== 'not-deployed')) {
            failedAt ??= s.at;
            kind = 'failure';
        }
    }
    if (kind === 'success' && successAt !== undefined) {
        return recovered !== undefined
            ? { kind, successAt, failedAt: recovered }
            : { kind, successAt };
    }
    if (kind === 'failure' && failedAt !== undefined)
        return { kind, failedAt };
    if (kind === 'not-deployed')
        return { kind };
    return { kind: 'unfinished' };
}
function refused(description) {
    if (!description)
        return false;
    if (/^failed:/.test(description))
        return true;
    const c = decodeChanges(description);
    return c?.result === 'failed' && !c.changed.deployed;
}
/** The middle value (mean of the two middle ones for an even count). */
function median(values) {
    if (values.length === 0)
        return undefined;
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
/**
 * The metrics from histories already read (pure). `authorDates` maps a
 * commit SHA to its author date, for the lead times that could be looked up.
 */
function computeMetrics(environment, histories, authorDates, now, days = 30, truncated = false) {
    const since = now - days * DAY_MS;
    const inWindow = histories.filter((h) => h.createdAt >= since && h.createdAt <= now);
    const outcomes = inWindow.map((h) => ({ h, o: classify(h) }));
    const successes = outcomes.filter((x) => x.o.kind === 'success');
    const failures = outcomes.filter((x) => x.o.kind === 'failure');
    const n = successes.length + failures.length;
    // Incidents: from the first failure to the next success of any deployment.
    const events = [];
    for (const { o } of outcomes) {
        if (o.kind === 'failure')
            events.push({ at: o.failedAt, ok: false });
        if (o.kind === 'success') {
            if (o.failedAt !== undefined)
                events.push({ at: o.failedAt, ok: false });
            events.push({ at: o.successAt, ok: true });
        }
    }
    events.sort((a, b) => a.at - b.at || Number(a.ok) - Number(b.ok));
    const restores = [];
    let open;
    for (const e of events) {
        if (!e.ok)
            open ??= e.at;
        else if (open !== undefined) {
            restores.push(e.at - open);
            open = undefined;
        }
    }
    const leads = [];
    for (const { h, o } of successes) {
        const authored = authorDates.get(h.sha);
        if (authored === undefined || o.kind !== 'success')
            continue;
        leads.push(Math.max(0, o.successAt - authored));
    }
    const out = {
        environment,
        days,
        deployments: inWindow.length,
        successful: successes.length,
        failed: failures.length,
        n,
        frequencyPerWeek: successes.length / (days / 7),
        restores: restores.length,
        leadTimes: leads.length,
        truncated
    };
    if (n > 0)
        out.changeFailureRate = failures.length / n;
    const ttr = median(restores);
    if (ttr !== undefined)
        out.medianTimeToRestoreMs = ttr;
    const lead = median(leads);
    if (lead !== undefined)
        out.medianLeadTimeMs = lead;
    return out;
}
function ms(iso) {
    if (!iso)
        return undefined;
    const t = Date.parse(iso);
    return Number.isNaN(t) ? undefined : t;
}
async function pool(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}
/** The finishing rollout as the metrics need it, from its report. */
function currentRollout(report, deploymentId) {
    return {
        ...(deploymentId !== undefined ? { deploymentId } : {}),
        sha: report.sha,
        startedAt: report.startedAt,
        endedAt: report.endedAt,
        result: report.result,
        reason: report.reason
    };
}
/** The page size GitHub allows at most. */
const PAGE = 100;
/**
 * Reads the environment's deployments of the window, newest first, page by
 * page (up to `maxDeployments`), each one's statuses, and the author dates
 * of the newest successful commits. Undefined when the history cannot be
 * read (Guard has warned); commit lookups that fail only leave lead time
 * out.
 */
async function readHistory(gh, context, guard, environment, now, opts = {}) {
    const days = opts.days ?? 30;
    const max = Math.max(1, opts.maxDeployments ?? PAGE);
    const repo = { owner: context.owner, repo: context.repo };
    const since = now - days * DAY_MS;
    let requests = 0;
    const recent = [];
    let truncated = false;
    for (let page = 1;; page++) {
        const perPage = Math.min(PAGE, max);
        requests++;
        const list = await guard.run(SURFACE, 'deployments: read', () => gh.rest.repos.listDeployments({
            ...repo,
            environment,
            per_page: perPage,
            page
        }));
        if (!list)
            return undefined;
        const inWindow = list.data.filter((d) => (ms(d.created_at) ?? 0) >= since);
        recent.push(...inWindow);
        // Newest first: a page that reaches past the window, or a short one,
        // is the last that matters.
        if (inWindow.length < list.data.length || list.data.length < perPage) {
            break;
        }
        if (recent.length >= max) {
            truncated = true;
            break;
        }
    }
    const read = recent.slice(0, max);
    truncated ||= recent.length > max;
    const histories = await pool(read, opts.concurrency ?? 4, async (d) => {
        requests++;
        const res = await guard.run(SURFACE, 'deployments: read', () => gh.rest.repos.listDeploymentStatuses({
            ...repo,
            deployment_id: d.id,
            per_page: 100
        }));
        const h = {
            id: d.id,
            sha: d.sha,
            createdAt: ms(d.created_at) ?? 0,
            statuses: (res?.data ?? []).map((s) => ({
                id: s.id,
                state: s.state,
                at: ms(s.created_at) ?? 0,
                ...(s.description ? { description: s.description } : {})
            }))
        };
        return h;
    });
    if (!guard.enabled(SURFACE))
        return undefined;
    // Lead time for the newest successful deployments, one lookup per commit.
    const newest = histories
        .map((h) => ({ h, o: classify(h) }))
        .filter((x) => x.o.kind === 'success')
        .sort((a, b) => b.h.createdAt - a.h.createdAt);
    const shas = [
        ...new Set([...(opts.leadTimeOf ?? []), ...newest.map((x) => x.h.sha)])
    ].slice(0, opts.maxCommitLookups ?? 20);
    const authorDates = new Map();
    for (const sha of shas) {
        requests++;
        const res = await guard.run(`${SURFACE} (lead time)`, CONTENTS_READ, () => gh.rest.git.getCommit({ ...repo, commit_sha: sha }));
        if (!res)
            break;
        const t = ms(res.data.author.date);
        if (t !== undefined)
            authorDates.set(sha, t);
    }
    return { histories, authorDates, truncated, requests };
}
/** Where a result leaves a deployment, as the status deploy-gates writes. */
function finalStatus(c) {
    switch (c.result) {
        case 'promoted':
        case 'passed':
            return { state: 'success' };
        case 'paused':
            return undefined;
        case 'rolled-back':
            return { state: 'inactive' };
        case 'failed':
            // Refused before anything changed: not a failed change.
            return { state: 'failure', description: `failed: ${c.reason}` };
        default:
            return { state: 'failure' };
    }
}
/**
 * The history with the finishing rollout's verdict in it: its final status
 * may not be written (or visible) yet when the report is made, and a
 * table that leaves out the rollout it sits under reads as wrong. Pure.
 */
function withCurrent(histories, current) {
    const status = finalStatus(current);
    const last = {
        // After every real status of the same instant.
        id: Number.MAX_SAFE_INTEGER,
        at: current.endedAt,
        ...(status ?? { state: 'in_progress' })
    };
    const own = current.deploymentId === undefined
        ? undefined
        : histories.find((h) => h.id === current.deploymentId);
    if (own) {
        return histories.map((h) => h === own && status ? { ...h, statuses: [...h.statuses, last] } : h);
    }
    return [
        ...histories,
        {
            id: current.deploymentId ?? Number.MAX_SAFE_INTEGER,
            sha: current.sha,
            createdAt: current.startedAt,
            statuses: status ? [last] : []
        }
    ];
}
/** The metrics of a history read before, with the finishing rollout. */
function metricsOf(environment, history, now, days = 30, current) {
    return computeMetrics(environment, current ? withCurrent(history.histories, current) : history.histories, history.authorDates, now, days, history.truncated);
}
/**
 * Reads the environment's deployments and computes the metrics, the
 * finishing rollout included when given. Undefined when the history
 * cannot be read (Guard has warned).
 */
async function deploymentMetrics(gh, context, guard, environment, now, opts = {}, current) {
    const history = await readHistory(gh, context, guard, environment, now, {
        ...opts,
        ...(current ? { leadTimeOf: [current.sha] } : {})
    });
    if (!history)
        return undefined;
    return metricsOf(environment, history, now, opts.days ?? 30, current);
}
/**
 * The metrics as stable JSON (the action's `dora` output, the CLI's
 * `--json`): every key always present, `null` when there is no value,
 * durations in seconds.
 */
function doraJson(m) {
    const seconds = (v) => v === undefined ? null : Math.round(v / 1000);
    return JSON.stringify({
        environment: m.environment,
        days: m.days,
        deployments: m.deployments,
        successful: m.successful,
        failed: m.failed,
        finished: m.n,
        deploymentFrequencyPerWeek: Number(m.frequencyPerWeek.toFixed(2)),
        changeFailureRate: m.changeFailureRate === undefined
            ? null
            : Number(m.changeFailureRate.toFixed(4)),
        medianTimeToRestoreSeconds: seconds(m.medianTimeToRestoreMs),
        restores: m.restores,
        medianLeadTimeSeconds: seconds(m.medianLeadTimeMs),
        leadTimes: m.leadTimes,
        truncated: m.truncated
    });
}
function percent(x) {
    const p = x * 100;
    return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}
function perWeek(x) {
    return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
/** The metrics as a small markdown table for the job summary or a comment. */
function doraMarkdown(m) {
    const plural = (k, one, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
    const rows = [
        `| ${(0,markdown/* escapeCell */.kq)(m.environment, 100)}, last ${m.days} days | value |`,
        '| --- | --- |',
        `| Deployment frequency | ${perWeek(m.frequencyPerWeek)} per week (${m.successful} successful of ${plural(m.deployments, 'deployment')}) |`,
        `| Change failure rate | ${m.changeFailureRate === undefined ? '–' : `${percent(m.changeFailureRate)} (${m.failed} of ${m.n} finished)`} |`,
        `| Time to restore (median) | ${m.medianTimeToRestoreMs === undefined ? '–' : `${(0,format/* formatDuration */.a3)(m.medianTimeToRestoreMs)} (${plural(m.restores, 'restore')})`} |`,
        `| Lead time for changes (median) | ${m.medianLeadTimeMs === undefined ? '–' : `${(0,format/* formatDuration */.a3)(m.medianLeadTimeMs)} (${plural(m.leadTimes, 'deployment')})`} |`
    ];
    if (m.truncated) {
        rows.push('', `Only the latest ${m.deployments} deployments were read; older ones in the window are not counted.`);
    }
    return `${rows.join('\n')}\n`;
}


/***/ }),

/***/ 5900:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  kq: () => (/* binding */ escapeCell),
  zf: () => (/* binding */ failedGateReport),
  mC: () => (/* binding */ findingLine),
  GS: () => (/* binding */ gateLabel),
  se: () => (/* binding */ keyFindings),
  Gc: () => (/* binding */ renderMarkdown),
  gj: () => (/* binding */ verdictParts)
});

// UNUSED EXPORTS: DEFAULT_MAX_CHARS, codeSpan, escapeText, fencedBlock, formatN, safeUrl, verdictLine

;// CONCATENATED MODULE: ./src/report/mermaid.ts
/** Points per line: more than this and Mermaid's lines turn to noise. */
const MAX_POINTS = 40;
/** Fixed colours, in the order the lines are drawn. */
const COLOURS = {
    canary: { hex: '#d62728', name: 'red' },
    baseline: { hex: '#1f77b4', name: 'blue' },
    threshold: { hex: '#7f7f7f', name: 'grey' }
};
const LABELS = {
    canary: 'canary',
    baseline: 'baseline',
    threshold: 'fail threshold'
};
function round(v, digits) {
    return Number(v.toFixed(digits));
}
/** 1, 2 or 5 times a power of ten, at or above `v`. */
function niceTop(v, minTop) {
    const target = Math.max(v, minTop);
    const pow = 10 ** Math.floor(Math.log10(target));
    for (const m of [1, 2, 5, 10])
        if (m * pow >= target)
            return round(m * pow, 6);
    return target;
}
/** A title Mermaid can parse: no double quotes or line breaks. */
function mermaid_text(s) {
    return s.replace(/["\r\n`]/g, "'").slice(0, 80);
}
/** The init directive that gives the lines their colours, in order. */
function init(lines) {
    const palette = lines.map((l) => COLOURS[l].hex).join(', ');
    return `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`;
}
/** "canary (red) vs baseline (blue), fail threshold (grey)". */
function legend(lines) {
    const named = (l) => `${LABELS[l]} (${COLOURS[l].name})`;
    const tracks = lines.filter((l) => l !== 'threshold').map(named);
    const head = tracks.join(' vs ');
    return lines.includes('threshold') ? `${head}, ${named('threshold')}` : head;
}
function block(title, xAxis, yAxis, drawn, minTop) {
    const all = drawn.lines.flatMap((l) => drawn.values[l]);
    const low = Math.min(0, ...all);
    const top = niceTop(Math.max(...all) * 1.1, minTop);
    return [
        '```mermaid',
        init(drawn.lines),
        'xychart-beta',
        `  title "${mermaid_text(title)}"`,
        `  ${xAxis}`,
        `  y-axis "${mermaid_text(yAxis)}" ${round(low, 6)} --> ${top}`,
        ...drawn.lines.map((l) => `  line [${drawn.values[l].join(', ')}]`),
        '```'
    ].join('\n');
}
/** Evenly spread indices of `n` items, the first and last always in. */
function pick(n, max = MAX_POINTS) {
    if (n <= max)
        return Array.from({ length: n }, (_, i) => i);
    return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}
const KIND_AXIS = {
    // Rates are ratios (0.07 = 7%), like every rate we parse.
    rate: { unit: '%', show: (v) => round(v * 100, 3), minTop: 1 },
    latency: { unit: 'ms', show: (v) => round(v, 1), minTop: 10 },
    number: { unit: '', show: (v) => round(v, 4), minTop: 1 }
};
function bakeName(g) {
    return g.step !== undefined ? `${g.gate} ${g.step}%` : g.gate;
}
function seconds(ms, inMinutes) {
    return inMinutes ? round(ms / 60_000, 1) : Math.round(ms / 1000);
}
function hasValue(values, i) {
    return values !== undefined && values[i] !== null && values[i] !== undefined;
}
/** One metric of one bake; '' when the canary never had a value. */
function metricChart(g, s, m) {
    const canaryLooks = m.canary.flatMap((v, i) => (v === null ? [] : [i]));
    if (canaryLooks.length === 0)
        return '';
    // Looks where the baseline had no value yet (or its samples were set
    // aside) are left out rather than dropping the baseline line: the
    // comparison is what a reviewer came for.
    const paired = canaryLooks.filter((i) => hasValue(m.baseline, i));
    const valid = paired.length > 0 ? paired : canaryLooks;
    const unpaired = canaryLooks.length - valid.length;
    const chosen = pick(valid.length).map((k) => valid[k]);
    const axis = KIND_AXIS[m.kind];
    const drawn = {
        lines: ['canary'],
        values: { canary: [], baseline: [], threshold: [] }
    };
    const left = [];
    const take = (line, values) => {
        if (!values)
            return;
        const got = chosen.map((i) => values[i]);
        if (got.every((v) => v === null))
            return;
        // A line with holes would have to invent values; leave it out.
        if (got.some((v) => v === null)) {
            left.push(`${LABELS[line]} not charted: no value at some looks`);
            return;
        }
        drawn.lines.push(line);
        drawn.values[line] = got.map(axis.show);
    };
    drawn.values.canary = chosen.map((i) => axis.show(m.canary[i]));
    take('baseline', m.baseline);
    take('threshold', m.threshold);
    const first = s.at[chosen[0]];
    const last = s.at[chosen[chosen.length - 1]];
    const inMinutes = last > 180_000;
    const from = seconds(first, inMinutes);
    const to = Math.max(seconds(last, inMinutes), from + 1);
    const unit = inMinutes ? 'min' : 's';
    const chart = block(`${m.name}, ${bakeName(g)}`, `x-axis "time into the bake (${unit})" ${from} --> ${to}`, `${m.name}${axis.unit ? ` (${axis.unit})` : ''}`, drawn, axis.minTop);
    const looks = chosen.length < valid.length
        ? `${chosen.length} of ${valid.length} looks`
        : `${valid.length} look${valid.length === 1 ? '' : 's'}`;
    const sofar = m.source === 'probes' ? 'over the bake so far' : 'as read at each look';
    if (unpaired > 0) {
        left.unshift(`${unpaired} look${unpaired === 1 ? '' : 's'} without a baseline value left out`);
    }
    const note = left.length > 0 ? `; ${left.join('; ')}` : '';
    return `${chart}\n\n_${legend(drawn.lines)}: ${m.name} ${sofar}, ${looks}${note}._`;
}
/** Every bake's charts, one per metric; '' when no bake kept its looks. */
function bakeCharts(gates) {
    const out = [];
    for (const g of gates) {
        if (!g.series)
            continue;
        for (const m of g.series.metrics) {
            const c = metricChart(g, g.series, m);
            if (c)
                out.push(c);
        }
    }
    return out.join('\n\n');
}
const STEP_CHARTS = [
    {
        series: 'errorRate',
        title: 'Error rate per step',
        axis: 'error rate (%)',
        show: (v) => round(v * 100, 3),
        minTop: 1
    },
    {
        series: 'p95Ms',
        title: 'p95 latency per step',
        axis: 'p95 (ms)',
        show: (v) => round(v, 1),
        minTop: 10
    }
];
function mermaid_valueOf(p, track, s) {
    const v = p[track][s];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}
function stepChart(points, spec) {
    // Steps without a canary value are left out: nothing was measured there.
    const steps = [];
    for (const p of points) {
        const c = mermaid_valueOf(p, 'canary', spec.series);
        if (c === undefined)
            continue;
        const b = mermaid_valueOf(p, 'baseline', spec.series);
        steps.push({
            weight: p.weight,
            canary: spec.show(c),
            ...(b !== undefined ? { baseline: spec.show(b) } : {})
        });
    }
    if (steps.length === 0)
        return '';
    const baseline = steps.flatMap((p) => p.baseline !== undefined ? [p.baseline] : []);
    // A line with holes would have to invent values; leave the baseline out.
    const complete = baseline.length === steps.length;
    const drawn = {
        lines: complete ? ['canary', 'baseline'] : ['canary'],
        values: {
            canary: steps.map((p) => p.canary),
            baseline: complete ? baseline : [],
            threshold: []
        }
    };
    const chart = block(`${spec.title}: ${legend(drawn.lines)}`, `x-axis "canary weight" [${steps.map((p) => `"${p.weight}%"`).join(', ')}]`, spec.axis, drawn, spec.minTop);
    if (complete || baseline.length === 0)
        return chart;
    const where = steps
        .filter((p) => p.baseline === undefined)
        .map((p) => `${p.weight}%`)
        .join(', ');
    return `${chart}\n\n_Baseline not charted: no value at ${where}._`;
}
/**
 * Two charts (error rate, p95) with one point per step, each left out when
 * the canary has no value for it; '' when there is nothing to draw.
 */
function canaryChart(points) {
    return STEP_CHARTS.map((spec) => stepChart(points, spec))
        .filter((c) => c !== '')
        .join('\n\n');
}
/**
 * The report's charts: each bake look by look when the looks were kept,
 * else one point per step.
 */
function reportCharts(r) {
    return bakeCharts(r.gates) || canaryChart(r.chart);
}

// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
;// CONCATENATED MODULE: ./src/report/markdown.ts


const DEFAULT_MAX_CHARS = 65_000;
/** Longest text kept in one table cell or summary. */
const CELL_CHARS = 300;
/** Longest one-line reason kept in a paragraph. */
const LINE_CHARS = 1000;
/** Key findings shown per gate in the gates table. */
const KEY_FINDINGS = 3;
/** Log lines kept per gate once tails have to shrink. */
const SHORT_TAIL = 30;
// ---------------------------------------------------------------------------
// Escaping
function clip(s, max) {
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
function oneLine(s) {
    return s.replace(/\r\n|\r|\n/g, ' ');
}
/**
 * Text in a paragraph: one line, no raw HTML (a stray `</details>` in a
 * reason must not close our sections), no @-mentions.
 */
function escapeText(s, max = LINE_CHARS) {
    return (clip(oneLine(s), max)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        // `@org/team` in a command's output must not notify a team.
        .replace(/(^|[^\w@])@(?=\w)/g, '$1@\u200b'));
}
/** Text in a table cell: escapeText plus escaped pipes, so a row stays a row. */
function escapeCell(s, max = CELL_CHARS) {
    return escapeText(s, max).replace(/\|/g, '\\|');
}
/**
 * An inline code span that survives any content: the fence is one backtick
 * longer than the longest run inside, padded when the text touches it.
 */
function codeSpan(s, max = CELL_CHARS) {
    const text = clip(oneLine(s), max);
    const runs = text.match(/`+/g) ?? [];
    const ticks = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
    const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
    return `${ticks}${pad}${text}${pad}${ticks}`;
}
/** A fenced block whose fence no line of the content can close. */
function fencedBlock(lines, lang = '') {
    const runs = lines.join('\n').match(/`{3,}/g) ?? [];
    const fence = '`'.repeat(Math.max(2, ...runs.map((r) => r.length)) + 1);
    return [`${fence}${lang}`, ...lines.map(oneLine), fence].join('\n');
}
// ---------------------------------------------------------------------------
// Wording shared with the console reporter
/** `canary 25%`, `deploy`. */
function gateLabel(gate, step) {
    return step === undefined ? gate : `${gate} ${step}%`;
}
const thousands = new Intl.NumberFormat('en-US');
/** `n=1,204/1,198` (canary/baseline) or `n=100`. */
function formatN(n) {
    const c = thousands.format(n.canary);
    return n.baseline === undefined
        ? `n=${c}`
        : `n=${c}/${thousands.format(n.baseline)}`;
}
const SEVERITY = {
    fail: 0,
    error: 1,
    'no-data': 2,
    warn: 3,
    ok: 4
};
/** A finding's one line, with its sample count when the reason lacks it. */
function findingLine(f) {
    if (f.n && !/\bn=/.test(f.reason))
        return `${f.reason}, ${formatN(f.n)}`;
    return f.reason;
}
/** The findings that explain a gate, worst first. */
function keyFindings(g, max = KEY_FINDINGS) {
    return [...g.findings]
        .sort((a, b) => SEVERITY[a.level] - SEVERITY[b.level])
        .slice(0, max);
}
/** The gate report a rollout's verdict points at. */
function failedGateReport(r) {
    if (r.failedGate === undefined)
        return undefined;
    const bad = ['failed', 'held', 'inconclusive'];
    const same = r.gates.filter((g) => g.gate === r.failedGate);
    return [...same].reverse().find((g) => bad.includes(g.outcome)) ?? same.at(-1);
}
/** `rolled-back at canary 25%: error-rate 7.0% > 5%, n=100` (unformatted). */
function verdictParts(r) {
    const g = failedGateReport(r);
    const where = r.failedGate === undefined ? '' : gateLabel(r.failedGate, g?.step);
    return { result: r.result, where, reason: r.reason };
}
function utcTime(ms) {
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? '?' : d.toISOString().slice(11, 19);
}
function utcStamp(ms) {
    const d = new Date(ms);
    return Number.isNaN(d.getTime())
        ? '?'
        : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
function took(from, to) {
    return (0,format/* formatDuration */.a3)(Math.max(0, to - from));
}
/** Timeline offsets to the second: `+0s`, `+42s`, `+6m47s`. */
function sinceStart(from, to) {
    const ms = Math.max(0, Math.round((to - from) / 1000) * 1000);
    return ms === 0 ? '0s' : (0,format/* formatDuration */.a3)(ms);
}
/** A URL safe inside markdown link syntax. */
function safeUrl(url) {
    return url.replace(/[\s()<>]/g, (c) => encodeURIComponent(c));
}
/** `**rolled-back** at canary 25%: reason`, the one-line verdict. */
function verdictLine(r) {
    const v = verdictParts(r);
    const where = v.where ? ` at ${escapeText(v.where, 100)}` : '';
    return `**${v.result}**${where}: ${escapeText(v.reason)}`;
}
function metaLine(r, opts) {
    const parts = [`version ${codeSpan(r.version)}`];
    if (r.previousVersion)
        parts.push(`previous ${codeSpan(r.previousVersion)}`);
    if (r.sha)
        parts.push(`commit ${codeSpan(r.sha.slice(0, 7))}`);
    parts.push(`started ${utcStamp(r.startedAt)}`);
    parts.push(`took ${took(r.startedAt, r.endedAt)}`);
    if (opts.runUrl)
        parts.push(`[workflow run](${safeUrl(opts.runUrl)})`);
    return parts.join(' · ');
}
function keyCell(g) {
    if (g.findings.length === 0)
        return escapeCell(g.reason);
    const shown = keyFindings(g);
    const more = g.findings.length - shown.length;
    const text = shown.map(findingLine).join('; ');
    return escapeCell(text, CELL_CHARS * 2) + (more > 0 ? `; +${more} more` : '');
}
function gatesTable(r) {
    const rows = [
        '| gate | step | outcome | duration | key findings |',
        '| --- | --- | --- | --- | --- |'
    ];
    for (const g of r.gates) {
        const outcome = g.outcome === 'failed' || g.outcome === 'held'
            ? `**${g.outcome}**`
            : g.outcome;
        rows.push(`| ${g.gate} | ${g.step === undefined ? '–' : `${g.step}%`} | ${outcome} | ${took(g.startedAt, g.endedAt)} | ${keyCell(g)} |`);
    }
    if (r.gates.length === 0)
        rows.push('| – | – | – | – | no gate ran |');
    return rows;
}
function tailFor(g, mode) {
    const tail = g.logTail ?? [];
    if (tail.length === 0 || mode === 'none')
        return [];
    if (mode === 'all')
        return tail;
    if (g.outcome === 'passed' || g.outcome === 'skipped')
        return [];
    return tail.slice(-SHORT_TAIL);
}
function details(g, level) {
    const tail = tailFor(g, level.tails);
    if (g.findings.length === 0 && tail.length === 0)
        return undefined;
    const out = [
        '<details>',
        `<summary>${escapeText(gateLabel(g.gate, g.step), 100)}: ${g.outcome}, ${escapeText(g.reason, CELL_CHARS)}</summary>`,
        ''
    ];
    // Measured findings in a table; checks that only have a reason as a list.
    const measured = g.findings.filter((f) => f.value !== undefined || f.condition !== undefined);
    const listed = g.findings.filter((f) => f.level !== 'ok' || !measured.includes(f));
    if (measured.length > 0) {
        out.push('| check | level | value | baseline | condition | n | detectable |', '| --- | --- | --- | --- | --- | --- | --- |');
        const dash = (s) => s === undefined || s === '' ? '–' : escapeCell(s, 100);
        for (const f of measured) {
            out.push(`| ${escapeCell(f.name, 100)} | ${f.level} | ${dash(f.value)} | ${dash(f.baseline)} | ${dash(f.condition)} | ${f.n ? formatN(f.n).slice(2) : '–'} | ${dash(f.detectable)} |`);
        }
        out.push('');
    }
    if (listed.length > 0) {
        for (const f of listed) {
            out.push(`- ${escapeText(f.name, 100)} (${f.level}): ${escapeText(findingLine(f))}`);
        }
        out.push('');
    }
    if (tail.length > 0) {
        const total = g.logTail?.length ?? 0;
        const shown = tail.length < total
            ? `last ${tail.length} of ${total} lines`
            : 'last lines';
        out.push(`Output (${shown}):`, '', fencedBlock(tail, 'text'), '');
    }
    out.push('</details>');
    return out.join('\n');
}
function rollbackLine(r) {
    const rb = r.rollback;
    if (!rb)
        return undefined;
    const tries = `${rb.attempts} attempt${rb.attempts === 1 ? '' : 's'}`;
    const to = rb.target ? ` to ${codeSpan(rb.target)}` : '';
    return rb.ok
        ? `Rolled back${to} after ${tries}: ${escapeText(rb.reason)}`
        : `Rollback${to} **failed** after ${tries}: ${escapeText(rb.reason)}`;
}
function timelineRows(r, keep) {
    const all = r.timeline;
    if (all.length === 0 || keep <= 0)
        return [];
    const row = (t) => `| ${utcTime(t.at)} | +${sinceStart(r.startedAt, t.at)} | ${escapeCell(t.text)} |`;
    const rows = ['| time (UTC) | since start | event |', '| --- | --- | --- |'];
    if (keep >= all.length)
        return [...rows, ...all.map(row)];
    const head = Math.min(3, Math.floor(keep / 2));
    const tail = keep - head;
    return [
        ...rows,
        ...all.slice(0, head).map(row),
        `| … | … | ${all.length - keep} entries left out |`,
        ...all.slice(all.length - tail).map(row)
    ];
}
// ---------------------------------------------------------------------------
// Assembly
/** Blocks are cut only between each other; each is one or more whole lines. */
function compose(r, opts, level, note) {
    const blocks = [];
    if (opts.marker)
        blocks.push(opts.marker);
    blocks.push(`### deploy-gates: ${escapeText(r.service, 100)} → ${escapeText(r.environment, 100)}`, '', verdictLine(r), '', metaLine(r, opts), '');
    if (note)
        blocks.push(note, '');
    blocks.push(...gatesTable(r), '');
    const chart = level.chart ? reportCharts(r) : '';
    if (chart)
        blocks.push('#### Charts', '', chart, '');
    if (level.details) {
        const sections = r.gates
            .map((g) => details(g, level))
            .filter((d) => d !== undefined);
        if (sections.length > 0) {
            blocks.push('#### Details', '');
            for (const d of sections)
                blocks.push(d, '');
        }
    }
    const rb = rollbackLine(r);
    if (rb)
        blocks.push('#### Rollback', '', rb, '');
    const timeline = timelineRows(r, level.timeline);
    if (timeline.length > 0)
        blocks.push('#### Timeline', '', ...timeline, '');
    return blocks;
}
/** The body as it will be returned: trailing blank blocks dropped, one final newline. */
function finish(blocks) {
    let end = blocks.length;
    while (end > 0 && blocks[end - 1] === '')
        end--;
    return `${blocks.slice(0, end).join('\n')}\n`;
}
function size(blocks) {
    return finish(blocks).length;
}
function shortenedNote(dropped, opts, max) {
    const where = opts.runUrl
        ? `see the [workflow run](${safeUrl(opts.runUrl)}) for everything`
        : 'the run log and the JSON report have everything';
    return `> **Shortened** to stay under ${thousands.format(max)} characters: left out ${dropped.join(', ')}; ${where}.`;
}
function droppedBy(r, level) {
    const out = [];
    const hasTail = r.gates.some((g) => (g.logTail ?? []).length > 0);
    if (level.tails === 'failing' && hasTail) {
        out.push('older log lines and the log tails of passing gates');
    }
    if (level.tails === 'none' && hasTail)
        out.push('log tails');
    if (!level.details)
        out.push('gate details');
    if (level.timeline < r.timeline.length) {
        out.push(`${r.timeline.length - Math.max(0, level.timeline)} timeline entries`);
    }
    if (!level.chart && reportCharts(r) !== '')
        out.push('the charts');
    return out;
}
/**
 * The report body. The verdict line comes first and always survives: when
 * space runs out, log tails go first (passing gates' before the failing
 * one's), then the per-gate details, then the middle of the timeline, then
 * the chart, and a note says what was left out.
 */
function renderMarkdown(report, opts = {}) {
    const max = opts.maxChars ?? DEFAULT_MAX_CHARS;
    const attempt = (level) => {
        const dropped = droppedBy(report, level);
        const note = dropped.length > 0 ? shortenedNote(dropped, opts, max) : undefined;
        return compose(report, opts, level, note);
    };
    const all = report.timeline.length;
    const stages = [
        { tails: 'all', details: true, timeline: all, chart: true },
        { tails: 'failing', details: true, timeline: all, chart: true },
        { tails: 'none', details: true, timeline: all, chart: true },
        { tails: 'none', details: false, timeline: all, chart: true }
    ];
    for (const level of stages) {
        const blocks = attempt(level);
        if (size(blocks) <= max)
            return finish(blocks);
    }
    // Keep as much of the timeline as fits: its first and last entries.
    const base = {
        tails: 'none',
        details: false,
        timeline: 0,
        chart: true
    };
    for (const chart of [true, false]) {
        const at = (keep) => attempt({ ...base, chart, timeline: keep });
        if (size(at(0)) <= max) {
            let lo = 0;
            let hi = all;
            while (lo < hi) {
                const mid = Math.ceil((lo + hi) / 2);
                if (size(at(mid)) <= max)
                    lo = mid;
                else
                    hi = mid - 1;
            }
            return finish(at(lo));
        }
    }
    // Pathologically small limit: whole blocks from the top, then the note.
    const last = { ...base, chart: false };
    const note = shortenedNote([...droppedBy(report, last), 'the rest of the report'], opts, max);
    const kept = [];
    for (const b of compose(report, opts, last, undefined)) {
        if (size([...kept, b, '', note]) > max)
            break;
        kept.push(b);
    }
    const out = finish([...kept, '', note]);
    return out.length <= max ? out : out.slice(0, max);
}


/***/ })

};
