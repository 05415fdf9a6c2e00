export const id = 377;
export const ids = [377];
export const modules = {

/***/ 3377:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CONCURRENT_TIMEOUT_MS: () => (/* binding */ CONCURRENT_TIMEOUT_MS),
  githubSurfaces: () => (/* binding */ githubSurfaces)
});

// EXTERNAL MODULE: ./src/github/client.ts
var client = __webpack_require__(6584);
// EXTERNAL MODULE: ./src/report/markdown.ts + 1 modules
var markdown = __webpack_require__(5900);
;// CONCATENATED MODULE: ./src/github/checks.ts


const CHECK_LIMIT = 65_535;
/**
 * During a bake, the first update with the live numbers comes after this
 * long without one; each later one in the same gate waits twice as long
 * (3, 6, 12 minutes...), and a run sends at most MAX_HEARTBEATS: a long
 * rollout costs a few requests more than a short one, not six a minute.
 */
const HEARTBEAT_MS = 180_000;
const MAX_HEARTBEATS = 3;
/**
 * Gates that start within this long of the last write (deploy, then
 * health, then the first canary step, seconds apart) share one update:
 * the latest is written at the next event or look after the gap.
 */
const MIN_GAP_MS = 10_000;
/** How each rollout result reads in the Checks UI and branch protection. */
function conclusionOf(result) {
    switch (result) {
        case 'promoted':
        case 'passed':
            return 'success';
        case 'paused':
            return 'neutral';
        default:
            return 'failure';
    }
}
function stepName(g) {
    return `${g.gate}${g.step !== undefined ? ` ${g.step}%` : ''}`;
}
/** Gate outcomes that are news on their own, not only at the next gate. */
const NEWS = new Set(['warned', 'failed', 'inconclusive', 'held']);
/** Reporter that keeps the check run(s) in step with the rollout. */
class ChecksReporter {
    o;
    id;
    /**
     * The version whose check run is still owed: the lookup or the create
     * failed, so the finish tries once more (lookup first, so a create that
     * went through after all is found, not duplicated).
     */
    owed;
    lastUpdate = -Infinity;
    /** A gate start not written yet: it came within MIN_GAP_MS of a write. */
    startOwed = false;
    /** Heartbeats sent in the running gate, and in the whole run. */
    gateBeats = 0;
    beats = 0;
    pending;
    /** The last gate that ended, shown next to the one running. */
    lastEnded;
    /** `gate: rollback` asked for this rollback: completing it is success. */
    manual = false;
    gateIds = new Map();
    name;
    externalId;
    constructor(o) {
        this.o = o;
        this.name = o.name ?? `deploy-gates / ${o.environment}`;
        this.externalId = `deploy-gates:${o.service}:${o.environment}`;
    }
    get repo() {
        return { owner: this.o.context.owner, repo: this.o.context.repo };
    }
    async onEvent(e) {
        switch (e.type) {
            case 'rollout-started':
                this.manual = e.gates.length === 1 && e.gates[0] === 'rollback';
                this.lastUpdate = e.at;
                await this.start(e.version);
                return;
            case 'gate-started':
                this.gateBeats = 0;
                this.pending = `${stepName(e)} running${this.lastEnded ? ` (${this.lastEnded})` : ''}`;
                this.startOwed = e.at - this.lastUpdate < MIN_GAP_MS;
                if (!this.startOwed)
                    await this.update(e.at);
                if (this.o.perGate)
                    await this.startGate(e);
                return;
            case 'progress':
                if (this.startOwed) {
                    // The gate's start, once the gap has passed.
                    if (e.at - this.lastUpdate >= MIN_GAP_MS)
                        await this.update(e.at);
                    return;
                }
                // The heartbeat: the live numbers, sparsely.
                this.pending = `${stepName(e)} · ${Object.entries(e.values)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(' · ')}`.slice(0, 200);
                if (this.beats < MAX_HEARTBEATS &&
                    e.at - this.lastUpdate >= HEARTBEAT_MS * 2 ** this.gateBeats) {
                    this.gateBeats += 1;
                    this.beats += 1;
                    await this.update(e.at);
                }
                return;
            case 'gate-finished':
                this.lastEnded = `${stepName(e.report)} ${e.report.outcome}`;
                this.pending = this.lastEnded;
                // A pass shows with the next gate's start (or the verdict); a
                // warning or failure is news now.
                if (NEWS.has(e.report.outcome))
                    await this.update(e.at);
                if (this.o.perGate)
                    await this.finishGate(e.report);
                return;
            case 'rollback-started':
                this.pending = `rolling back: ${e.reason}`.slice(0, 200);
                await this.update(e.at);
                return;
            case 'rollout-finished':
                await this.finish(e.report);
                return;
            default:
                return;
        }
    }
    async start(version) {
        const existing = await this.o.guard.run('check run', 'checks: write', () => this.o.gh.rest.checks.listForRef({
            ...this.repo,
            ref: this.o.context.sha,
            check_name: this.name,
            filter: 'latest',
            per_page: 20
        }));
        if (existing === undefined) {
            // Unknown whether an earlier attempt left one: creating could
            // duplicate it.
            this.owed = version;
            return;
        }
        const found = existing.data.check_runs.find((c) => c.external_id === this.externalId);
        const output = {
            title: `rolling out ${version}`,
            summary: `deploy-gates is rolling out ${version} to ${this.o.environment}.${this.o.context.runUrl ? ` [Follow the run](${this.o.context.runUrl}).` : ''}`
        };
        if (found) {
            this.id = found.id;
            this.owed = undefined;
            await this.o.guard.run('check run', 'checks: write', () => this.o.gh.rest.checks.update({
                ...this.repo,
                check_run_id: found.id,
                status: 'in_progress',
                started_at: new Date().toISOString(),
                ...(this.o.context.runUrl
                    ? { details_url: this.o.context.runUrl }
                    : {}),
                output
            }));
            return;
        }
        const created = await this.o.guard.run('check run', 'checks: write', () => this.o.gh.rest.checks.create({
            ...this.repo,
            name: this.name,
            head_sha: this.o.context.sha,
            external_id: this.externalId,
            status: 'in_progress',
            started_at: new Date().toISOString(),
            ...(this.o.context.runUrl
                ? { details_url: this.o.context.runUrl }
                : {}),
            output,
            ...client/* NO_RETRY */.PE
        }));
        this.id = created?.data.id;
        this.owed = this.id === undefined ? version : undefined;
    }
    /** Writes the pending title now (the callers decide when it is news). */
    async update(at) {
        if (this.id === undefined || this.pending === undefined)
            return;
        this.lastUpdate = at;
        this.startOwed = false;
        const title = this.pending;
        this.pending = undefined;
        const id = this.id;
        await this.o.guard.run('check run', 'checks: write', () => this.o.gh.rest.checks.update({
            ...this.repo,
            check_run_id: id,
            output: {
                title,
                summary: `deploy-gates is rolling out to ${this.o.environment}: ${title}.`
            }
        }));
    }
    async finish(report) {
        if (this.id === undefined && this.owed !== undefined) {
            await this.start(this.owed);
            // One more try only.
            this.owed = undefined;
        }
        if (this.id === undefined)
            return;
        const id = this.id;
        const summary = (0,markdown/* renderMarkdown */.Gc)(report, {
            maxChars: CHECK_LIMIT - 1_000,
            ...(this.o.context.runUrl ? { runUrl: this.o.context.runUrl } : {})
        });
        await this.o.guard.run('check run', 'checks: write', () => this.o.gh.rest.checks.update({
            ...this.repo,
            check_run_id: id,
            status: 'completed',
            conclusion: this.manual && report.result === 'rolled-back'
                ? 'success'
                : conclusionOf(report.result),
            completed_at: new Date().toISOString(),
            output: {
                title: `${report.result}: ${report.reason}`.slice(0, 250),
                summary
            }
        }));
    }
    async startGate(g) {
        const name = `${this.name} / ${stepName(g)}`;
        const created = await this.o.guard.run('check run', 'checks: write', () => this.o.gh.rest.checks.create({
            ...this.repo,
            name,
            head_sha: this.o.context.sha,
            external_id: `${this.externalId}:${stepName(g)}`,
            status: 'in_progress',
            started_at: new Date().toISOString(),
            ...client/* NO_RETRY */.PE
        }));
        if (created)
            this.gateIds.set(stepName(g), created.data.id);
    }
    async finishGate(r) {
        const id = this.gateIds.get(stepName(r));
        if (id === undefined)
            return;
        const conclusion = r.outcome === 'passed' || r.outcome === 'warned'
            ? 'success'
            : r.outcome === 'skipped'
                ? 'neutral'
                : 'failure';
        await this.o.guard.run('check run', 'checks: write', () => this.o.gh.rest.checks.update({
            ...this.repo,
            check_run_id: id,
            status: 'completed',
            conclusion,
            completed_at: new Date().toISOString(),
            output: {
                title: `${stepName(r)} ${r.outcome}`,
                summary: r.reason.slice(0, CHECK_LIMIT - 100)
            }
        }));
    }
}

;// CONCATENATED MODULE: ./src/github/comments.ts


/** GitHub's limit on a comment body. */
const COMMENT_LIMIT = 65_536;
/** The hidden marker that identifies this environment's comment. */
function commentMarker(service, environment) {
    return `<!-- deploy-gates:${service}:${environment} -->`;
}
/** Reporter that upserts the comment when the rollout ends. */
class CommentReporter {
    o;
    constructor(o) {
        this.o = o;
    }
    async onEvent(e) {
        if (e.type === 'rollout-finished')
            await this.upsert(e.report);
    }
    get repo() {
        return { owner: this.o.context.owner, repo: this.o.context.repo };
    }
    /** The PR to comment on: the event's, else the one that has the commit. */
    async pullNumber() {
        if (this.o.context.pullNumber !== undefined)
            return this.o.context.pullNumber;
        const pulls = await this.o.guard.run('PR comment', 'pull-requests: read', () => this.o.gh.rest.repos.listPullRequestsAssociatedWithCommit({
            ...this.repo,
            commit_sha: this.o.context.sha,
            per_page: 10
        }));
        const list = pulls?.data ?? [];
        return (list.find((p) => p.merged_at !== null) ?? list[0])?.number;
    }
    async upsert(report) {
        const number = await this.pullNumber();
        if (number === undefined)
            return;
        const marker = commentMarker(this.o.service, this.o.environment);
        const footer = (await this.o.footer?.(report).catch(() => undefined)) ?? '';
        const body = (0,markdown/* renderMarkdown */.Gc)(report, {
            maxChars: COMMENT_LIMIT - 500 - footer.length,
            marker,
            ...(this.o.context.runUrl ? { runUrl: this.o.context.runUrl } : {})
        });
        const text = footer ? `${body}\n${footer}` : body;
        const existing = await this.find(number, marker);
        if (existing === null)
            return;
        if (existing !== undefined) {
            await this.o.guard.run('PR comment', 'pull-requests: write', () => this.o.gh.rest.issues.updateComment({
                ...this.repo,
                comment_id: existing,
                body: text
            }));
            return;
        }
        await this.o.guard.run('PR comment', 'pull-requests: write', () => this.o.gh.rest.issues.createComment({
            ...this.repo,
            issue_number: number,
            body: text,
            ...client/* NO_RETRY */.PE
        }));
    }
    /**
     * The id of our comment, undefined when there is none, or null when the
     * comments could not be listed (then nothing is written, to avoid a
     * duplicate).
     */
    async find(number, marker) {
        for (let page = 1; page <= 10; page++) {
            const res = await this.o.guard.run('PR comment', 'pull-requests: write', () => this.o.gh.rest.issues.listComments({
                ...this.repo,
                issue_number: number,
                per_page: 100,
                page
            }));
            if (!res)
                return null;
            const hit = res.data.find((c) => c.body?.includes(marker));
            if (hit)
                return hit.id;
            if (res.data.length < 100)
                return undefined;
        }
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/github/deployments.ts
var github_deployments = __webpack_require__(6887);
// EXTERNAL MODULE: ./src/kernel/errors.ts
var errors = __webpack_require__(2386);
;// CONCATENATED MODULE: ./src/github/guard.ts
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
            const status = (0,client/* statusOf */.c2)(e);
            const message = (0,errors/* errorMessage */.gJ)(e).split('\n')[0];
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

// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
;// CONCATENATED MODULE: ./src/github/exclusive.ts


/**
 * A status older than this belongs to a run that cannot still be running
 * one job (GitHub-hosted jobs end after 6 hours): the deployment was left
 * in progress by a run that died, and blocks nobody.
 */
const STALE_MS = 6 * 60 * 60 * 1000;
/** Candidates looked at per check: the newest deploy-gates deployments. */
const CANDIDATES = 5;
/** `https://…/actions/runs/42/attempts/1` → `42`. */
function runIdOf(url) {
    return /\/actions\/runs\/(\d+)/.exec(url ?? '')?.[1];
}
/** `matches-api v1 (deployment 12, run <url>)`: who holds the environment. */
function describeHolder(h, now) {
    const ms = Math.max(0, Math.round((now - h.since) / 1000) * 1000);
    const age = ms === 0 ? '0s' : (0,format/* formatDuration */.a3)(ms);
    return `${h.version} (deployment ${h.id}, ${h.state} ${age} ago${h.runUrl ? `, run ${h.runUrl}` : ''})`;
}
class Exclusive {
    o;
    staleMs;
    warned = new Set();
    constructor(o) {
        this.o = o;
        this.staleMs = o.staleMs ?? STALE_MS;
    }
    async list(first) {
        if (first && this.o.firstList)
            return this.o.firstList();
        const res = await this.o.guard.run('deployment history', 'deployments: read', () => this.o.gh.rest.repos.listDeployments({
            owner: this.o.context.owner,
            repo: this.o.context.repo,
            environment: this.o.environment,
            per_page: 30
        }));
        return res?.data;
    }
    /**
     * The other run's rollout that holds the environment, if any: among the
     * newest deploy-gates deployments older than `before` (all when
     * undefined), not this run's, with a queued or in-progress latest status
     * that is not stale.
     */
    async holder(list, ownId, fresh) {
        const ownRun = runIdOf(this.o.context.runUrl);
        const candidates = (list ?? [])
            .filter((d) => {
            const p = d.payload;
            return typeof p === 'object' && p.tool === 'deploy-gates';
        })
            .filter((d) => d.id !== ownId && (ownId === undefined || d.id < ownId))
            .slice(0, CANDIDATES);
        for (const d of candidates) {
            const p = d.payload;
            if (ownRun !== undefined && runIdOf(p.run) === ownRun)
                continue;
            // This rollout's own deployment (same commit and version), left by an
            // earlier attempt or job, unless it names another run.
            if (d.sha === this.o.context.sha &&
                p.version === this.o.version &&
                (p.run === undefined || runIdOf(p.run) === ownRun)) {
                continue;
            }
            const h = await this.holds(d, fresh);
            if (h)
                return h;
        }
        return undefined;
    }
    /**
     * The deployment as a holder of the environment, when its latest status
     * says another run is rolling it out (and that status is not stale).
     */
    async holds(d, fresh) {
        const ownRun = runIdOf(this.o.context.runUrl);
        const p = d.payload;
        const statuses = !fresh && this.o.statusesOnce
            ? await this.o.statusesOnce(d.id)
            : (await this.o.guard.run('deployment history', 'deployments: read', () => this.o.gh.rest.repos.listDeploymentStatuses({
                owner: this.o.context.owner,
                repo: this.o.context.repo,
                deployment_id: d.id,
                per_page: 1
            })))?.data;
        if (statuses === undefined)
            return undefined;
        const latest = statuses[0];
        const runUrl = latest?.log_url || p.run || undefined;
        if (ownRun !== undefined && runIdOf(runUrl) === ownRun)
            return undefined;
        const state = latest?.state ?? 'created';
        if (!['queued', 'pending', 'in_progress', 'created'].includes(state)) {
            return undefined;
        }
        const decoded = (0,github_deployments/* decodeChanges */.sb)(latest?.description);
        // A paused rollout's run has ended; it waits for a person, not a run.
        if (decoded?.phase === 'done')
            return undefined;
        if (latest?.description?.startsWith('paused'))
            return undefined;
        const holder = {
            id: d.id,
            version: typeof p.version === 'string' ? p.version : d.sha.slice(0, 7),
            ...(runUrl ? { runUrl } : {}),
            state: state.replace('_', ' '),
            since: Date.parse(latest?.created_at ?? d.created_at),
            listed: d
        };
        const now = this.o.now();
        if (now - holder.since <= this.staleMs)
            return holder;
        if (!this.warned.has(d.id)) {
            this.warned.add(d.id);
            this.o.warn(`${this.o.environment}: deployment ${describeHolder(holder, now)} is still marked ${holder.state}, but nothing was written for over ${(0,format/* formatDuration */.a3)(this.staleMs)}: its run has ended without finishing it. Going on; mark it inactive to stop this warning.`);
        }
        return undefined;
    }
    /**
     * Makes sure no other run's rollout holds the environment before this
     * one changes anything. Resolves with the reason to refuse, or
     * undefined to go on.
     */
    async acquire(own, signal) {
        const env = this.o.environment;
        const first = await this.list(true);
        let holder = await this.holder(first, undefined, false);
        if (holder && this.o.mode === 'fail')
            return this.refusal(holder);
        const mine = await own.ensure(first);
        if (!holder && mine.created && mine.id !== undefined) {
            // A run that started at the same moment may have created its
            // deployment too: the older one goes first.
            // Statuses read a moment ago stand; only new deployments are read.
            holder = await this.holder(await this.list(false), mine.id, false);
        }
        if (!holder)
            return undefined;
        // The same commit and version rolled out by another run: one
        // deployment for both, so this run waits for it without a status.
        const shared = holder.id === mine.id;
        if (this.o.mode === 'ignore') {
            this.o.warn(`another rollout of ${env} is in progress: ${describeHolder(holder, this.o.now())}; going on anyway (on-concurrent: ignore)`);
            return undefined;
        }
        if (this.o.mode === 'fail') {
            const reason = this.refusal(holder);
            if (!shared)
                await own.status('error', reason);
            return reason;
        }
        return this.wait(holder, shared ? undefined : mine.id, own, signal);
    }
    refusal(h) {
        return `another rollout of ${this.o.environment} is in progress: ${describeHolder(h, this.o.now())}. Refusing to roll out on top of it (on-concurrent: fail); set on-concurrent: wait to queue behind it, or use a workflow concurrency group. If that run is gone, mark its deployment inactive.`;
    }
    async wait(first, ownId, own, signal) {
        const env = this.o.environment;
        const start = this.o.now();
        const limit = (0,format/* formatDuration */.a3)(this.o.timeoutMs);
        let holder = first;
        const mark = async (state, text) => {
            if (ownId !== undefined)
                await own.status(state, text);
        };
        await mark('queued', `waiting for ${holder.version} (deployment ${holder.id}) to finish`);
        while (holder) {
            const waited = this.o.now() - start;
            if (waited >= this.o.timeoutMs) {
                const reason = `gave up after ${limit} waiting for another rollout of ${env}: ${describeHolder(holder, this.o.now())} (concurrent-timeout: ${limit})`;
                await mark('error', reason);
                return reason;
            }
            this.o.info(`waiting for another rollout of ${env} to finish: ${describeHolder(holder, this.o.now())}; waited ${(0,format/* formatDuration */.a3)(waited)} of ${limit}`);
            // Look often at first, then less: a long wait stays cheap in requests.
            const pause = Math.min(120_000, Math.max(5_000, Math.round(waited / 2)), this.o.timeoutMs - waited);
            try {
                await this.o.sleep(pause, signal);
            }
            catch {
                const reason = `interrupted while waiting for another rollout of ${env}: ${describeHolder(holder, this.o.now())}`;
                await mark('error', reason);
                return reason;
            }
            // One request while the same rollout holds on; the whole list again
            // only once it ends (someone else may be queued ahead).
            holder =
                (await this.holds(holder.listed, true)) ??
                    (await this.holder(await this.list(false), ownId, true));
        }
        this.o.info(`the other rollout of ${env} has ended; starting after ${(0,format/* formatDuration */.a3)(this.o.now() - start)}`);
        await mark('in_progress', 'starting');
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/github/preflight.ts
const OK_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);
/** Builds the queries; `ownPrefix` excludes our own check runs. */
function preflightQueries(gh, context, ownPrefix = 'deploy-gates /') {
    const repo = { owner: context.owner, repo: context.repo };
    const pullNumber = async () => {
        if (context.pullNumber !== undefined)
            return context.pullNumber;
        const res = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
            ...repo,
            commit_sha: context.sha,
            per_page: 10
        });
        return res.data[0]?.number;
    };
    return {
        async checksGreen() {
            const runs = await gh.paginate(gh.rest.checks.listForRef, {
                ...repo,
                ref: context.sha,
                per_page: 100
            });
            const status = await gh.rest.repos.getCombinedStatusForRef({
                ...repo,
                ref: context.sha
            });
            const others = runs.filter((r) => !r.name.startsWith(ownPrefix));
            const bad = others
                .filter((r) => r.status !== 'completed' || !OK_CONCLUSIONS.has(r.conclusion ?? ''))
                .map((r) => `${r.name} (${r.status === 'completed' ? r.conclusion : r.status})`);
            const badStatuses = status.data.statuses
                .filter((s) => s.state !== 'success')
                .map((s) => `${s.context} (${s.state})`);
            const all = [...bad, ...badStatuses];
            return {
                name: 'checks: green',
                level: all.length ? 'fail' : 'ok',
                n: { canary: others.length + status.data.statuses.length },
                reason: all.length
                    ? `not green: ${all.slice(0, 5).join(', ')}${all.length > 5 ? ` and ${all.length - 5} more` : ''}`
                    : `${others.length + status.data.statuses.length} other checks green`
            };
        },
        async approvals(required) {
            const number = await pullNumber();
            if (number === undefined) {
                return {
                    name: `approvals: ${required}`,
                    level: 'fail',
                    reason: `no pull request found for ${context.sha.slice(0, 7)} to count approvals on`
                };
            }
            const reviews = await gh.paginate(gh.rest.pulls.listReviews, {
                ...repo,
                pull_number: number,
                per_page: 100
            });
            // A reviewer's latest decision counts; comments do not change it.
            const latest = new Map();
            for (const r of reviews) {
                const who = r.user?.login;
                if (!who || r.state === 'COMMENTED')
                    continue;
                latest.set(who, r.state);
            }
            const approved = [...latest.values()].filter((s) => s === 'APPROVED').length;
            return {
                name: `approvals: ${required}`,
                level: approved >= required ? 'ok' : 'fail',
                value: String(approved),
                reason: `${approved} approving review${approved === 1 ? '' : 's'} on #${number}, ${required} required`
            };
        },
        async passedIn(environment) {
            const deployments = await gh.rest.repos.listDeployments({
                ...repo,
                sha: context.sha,
                environment,
                per_page: 20
            });
            for (const d of deployments.data) {
                const statuses = await gh.rest.repos.listDeploymentStatuses({
                    ...repo,
                    deployment_id: d.id,
                    per_page: 20
                });
                if (statuses.data.some((s) => s.state === 'success')) {
                    return {
                        name: `after: ${environment}`,
                        level: 'ok',
                        reason: `${context.sha.slice(0, 7)} passed in ${environment}`
                    };
                }
            }
            return {
                name: `after: ${environment}`,
                level: 'fail',
                reason: `${context.sha.slice(0, 7)} has not passed in ${environment} yet`
            };
        }
    };
}

;// CONCATENATED MODULE: ./src/github/queue.ts

class QueuedReporter {
    inner;
    warn;
    tail = Promise.resolve();
    pending = 0;
    constructor(inner, warn) {
        this.inner = inner;
        this.warn = warn;
    }
    onEvent(event) {
        this.pending += 1;
        this.tail = this.tail
            .then(() => this.inner.onEvent(event))
            .catch((e) => {
            this.warn(`GitHub reporting failed on '${event.type}': ${(0,errors/* errorMessage */.gJ)(e)}`);
        })
            .finally(() => {
            this.pending -= 1;
        });
    }
    /** Waits until every queued event is handled, or `ms` has passed. */
    async flush(ms) {
        let timer;
        const timeout = new Promise((resolve) => {
            timer = setTimeout(() => resolve(false), ms);
        });
        const done = this.tail.then(() => true);
        const ok = await Promise.race([done, timeout]);
        clearTimeout(timer);
        if (!ok) {
            this.warn(`GitHub reporting still had ${this.pending} update(s) queued after ${Math.round(ms / 1000)}s; giving up on them (the job summary has the report)`);
        }
        return ok;
    }
}

;// CONCATENATED MODULE: ./src/github/postmortem.ts



/** Results that open a postmortem (DESIGN.md §6: notify/postmortem fire). */
const POSTMORTEM_RESULTS = [
    'rolled-back',
    'held',
    'rollback-failed'
];
const POSTMORTEM_LABELS = ['deploy-gates', 'postmortem'];
/** GitHub's limits on an issue's body and title. */
const BODY_LIMIT = 65_536;
const TITLE_CHARS = 256;
/** The full report is attached only when at least this much room is left. */
const MIN_REPORT_CHARS = 2000;
const LEVELS = [
    { gates: 10, findings: 20, head: 20, tail: 40 },
    { gates: 3, findings: 5, head: 5, tail: 15 },
    { gates: 1, findings: 3, head: 3, tail: 5 }
];
/** Pages of open issues (100 each) searched for the marker. */
const SEARCH_PAGES = 3;
const SURFACE = 'postmortem issue';
const BAD = ['failed', 'held', 'inconclusive'];
function part(s) {
    return encodeURIComponent(s);
}
/** The hidden marker that identifies the postmortem of one rollout. */
function postmortemMarker(sha, environment, version) {
    return `<!-- deploy-gates:postmortem sha=${part(sha)} environment=${part(environment)} version=${part(version)} -->`;
}
function runMarker(runUrl) {
    return `<!-- deploy-gates:postmortem-run ${part(runUrl)} -->`;
}
/** `Rollout of v3.1.0 to staging rolled-back`. */
function postmortemTitle(r) {
    const t = `Rollout of ${r.version} to ${r.environment} ${r.result}`.replace(/[\r\n]+/g, ' ');
    return t.length > TITLE_CHARS ? `${t.slice(0, TITLE_CHARS - 1)}…` : t;
}
function stamp(ms) {
    const d = new Date(ms);
    return Number.isNaN(d.getTime())
        ? '?'
        : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
function facts(r, o) {
    const rows = [
        '| | |',
        '| --- | --- |',
        `| service | ${(0,markdown/* escapeCell */.kq)(r.service)} |`,
        `| environment | ${(0,markdown/* escapeCell */.kq)(r.environment)} |`,
        `| version | ${(0,markdown/* codeSpan */.SS)(r.version)}${r.previousVersion ? ` (previous ${(0,markdown/* codeSpan */.SS)(r.previousVersion)})` : ''} |`
    ];
    if (r.sha) {
        const short = (0,markdown/* codeSpan */.SS)(r.sha.slice(0, 7));
        rows.push(`| commit | ${o.commitUrl ? `[${short}](${(0,markdown/* safeUrl */.Pl)(o.commitUrl)})` : short} |`);
    }
    if (o.runUrl)
        rows.push(`| run | [workflow run](${(0,markdown/* safeUrl */.Pl)(o.runUrl)}) |`);
    rows.push(`| started | ${stamp(r.startedAt)} |`, `| ended | ${stamp(r.endedAt)} (took ${(0,format/* formatDuration */.a3)(Math.max(0, r.endedAt - r.startedAt))}) |`);
    return rows;
}
function dash(s) {
    return s === undefined || s === '' ? '–' : (0,markdown/* escapeCell */.kq)(s, 100);
}
function failing(r) {
    return r.gates.filter((g) => BAD.includes(g.outcome));
}
function whatFailed(r, level) {
    const gates = failing(r);
    if (gates.length === 0)
        return [(0,markdown/* escapeText */.X1)(r.reason)];
    const out = [];
    // The gate the verdict points at first, then the others in order.
    const failed = gates.filter((g) => g.gate === r.failedGate).reverse();
    const ordered = [...failed, ...gates.filter((g) => !failed.includes(g))];
    for (const g of ordered.slice(0, level.gates)) {
        out.push(`**${(0,markdown/* escapeText */.X1)((0,markdown/* gateLabel */.GS)(g.gate, g.step), 100)}** ${g.outcome}: ${(0,markdown/* escapeText */.X1)(g.reason)}`, '');
        const bad = g.findings.filter((f) => f.level !== 'ok');
        if (bad.length === 0)
            continue;
        out.push('| check | level | value | baseline | condition | n | reason |', '| --- | --- | --- | --- | --- | --- | --- |');
        for (const f of bad.slice(0, level.findings)) {
            out.push(`| ${(0,markdown/* escapeCell */.kq)(f.name, 100)} | ${f.level} | ${dash(f.value)} | ${dash(f.baseline)} | ${dash(f.condition)} | ${f.n ? (0,markdown/* formatN */.M5)(f.n).slice(2) : '–'} | ${(0,markdown/* escapeCell */.kq)((0,markdown/* findingLine */.mC)(f))} |`);
        }
        if (bad.length > level.findings) {
            out.push(`| … | | | | | | ${bad.length - level.findings} more |`);
        }
        out.push('');
    }
    if (ordered.length > level.gates) {
        out.push(`${ordered.length - level.gates} more failing gate(s) in the full report.`, '');
    }
    while (out.at(-1) === '')
        out.pop();
    return out;
}
function rollbackSection(r) {
    const rb = r.rollback;
    if (!rb) {
        return r.result === 'held'
            ? `Held: nothing was reverted, and ${(0,markdown/* codeSpan */.SS)(r.version)} may still be live. Decide by hand whether to roll forward or back.`
            : 'No rollback ran.';
    }
    const tries = `${rb.attempts} attempt${rb.attempts === 1 ? '' : 's'}`;
    const to = rb.target ? ` to ${(0,markdown/* codeSpan */.SS)(rb.target)}` : '';
    return rb.ok
        ? `Rolled back${to} after ${tries}: ${(0,markdown/* escapeText */.X1)(rb.reason)}`
        : `Rollback${to} **failed** after ${tries}: ${(0,markdown/* escapeText */.X1)(rb.reason)}. The environment needs a person now.`;
}
function sinceStart(from, to) {
    const ms = Math.max(0, Math.round((to - from) / 1000) * 1000);
    return ms === 0 ? '0s' : (0,format/* formatDuration */.a3)(ms);
}
function timeline(r, level = LEVELS[0]) {
    if (r.timeline.length === 0)
        return ['No events were recorded.'];
    const row = (t) => `| ${stamp(t.at).slice(11, 16)} | +${sinceStart(r.startedAt, t.at)} | ${(0,markdown/* escapeCell */.kq)(t.text)} |`;
    const rows = ['| time (UTC) | since start | event |', '| --- | --- | --- |'];
    const all = r.timeline;
    if (all.length <= level.head + level.tail)
        return [...rows, ...all.map(row)];
    return [
        ...rows,
        ...all.slice(0, level.head).map(row),
        `| … | … | ${all.length - level.head - level.tail} entries left out (see the full report or the run) |`,
        ...all.slice(-level.tail).map(row)
    ];
}
function checklist(r) {
    const live = r.result === 'rolled-back' && r.rollback?.target
        ? (0,markdown/* codeSpan */.SS)(r.rollback.target)
        : r.result === 'rolled-back' && r.previousVersion
            ? (0,markdown/* codeSpan */.SS)(r.previousVersion)
            : 'the expected version';
    return [
        '### Root cause',
        '',
        '- [ ] What broke, and why (link the fix, the incident or the logs)',
        '- [ ] Why it was caught at this gate and not earlier',
        '',
        '### Actions',
        '',
        `- [ ] ${(0,markdown/* escapeText */.X1)(r.environment, 100)} verified to run ${live}`,
        '- [ ] Fix merged and rolled out again',
        '- [ ] Gates, thresholds or bake times adjusted if the failure was noise or came late',
        '- [ ] Follow-up issues linked, then this issue closed'
    ];
}
/**
 * The issue body. Pure, and under GitHub's limit: the full report goes in
 * a collapsed section only with the room that is left.
 */
function postmortemBody(r, o) {
    const max = Math.min(o.maxChars ?? BODY_LIMIT - 536, BODY_LIMIT - 536);
    const shell = '\n\n<details>\n<summary>Full report</summary>\n\n\n\n</details>\n';
    const compose = (level) => [
        o.marker,
        `## Rollout of ${(0,markdown/* codeSpan */.SS)(r.version)} to ${(0,markdown/* escapeText */.X1)(r.environment, 100)}: ${r.result}`,
        '',
        (0,markdown/* verdictLine */.MT)(r),
        '',
        ...facts(r, o),
        '',
        '### What failed',
        '',
        ...whatFailed(r, level),
        '',
        '### Rollback',
        '',
        rollbackSection(r),
        '',
        '### Timeline',
        '',
        ...timeline(r, level),
        '',
        ...checklist(r)
    ].join('\n');
    let head = compose(LEVELS[0]);
    for (const level of LEVELS.slice(1)) {
        if (head.length + shell.length + MIN_REPORT_CHARS <= max)
            break;
        head = compose(level);
    }
    const room = max - head.length - shell.length;
    if (room < MIN_REPORT_CHARS) {
        return head.length < max ? `${head}\n` : `${head.slice(0, max - 1)}\n`;
    }
    const full = (0,markdown/* renderMarkdown */.Gc)(r, {
        maxChars: room,
        ...(o.runUrl ? { runUrl: o.runUrl } : {})
    }).trimEnd();
    return `${head}\n\n<details>\n<summary>Full report</summary>\n\n${full}\n\n</details>\n`;
}
/** Reporter that opens (or finds) the postmortem issue when a rollout ends badly. */
class PostmortemReporter {
    o;
    constructor(o) {
        this.o = o;
    }
    async onEvent(e) {
        if (e.type !== 'rollout-finished' || !this.o.enabled)
            return;
        if (!POSTMORTEM_RESULTS.includes(e.report.result))
            return;
        await this.open(e.report);
    }
    get repo() {
        return { owner: this.o.context.owner, repo: this.o.context.repo };
    }
    clean(s) {
        return this.o.redact ? this.o.redact(s) : s;
    }
    /**
     * Opens the issue, or comments on the one an earlier attempt opened.
     * Returns the issue number, or undefined when GitHub could not be used.
     */
    async open(report) {
        const marker = postmortemMarker(report.sha, report.environment, report.version);
        const runUrl = this.o.context.runUrl;
        const existing = await this.find(marker);
        // Unknown (the list failed): writing could duplicate, so write nothing.
        if (existing === null)
            return undefined;
        if (existing !== undefined) {
            if (runUrl)
                await this.commentOnce(existing, report, runUrl);
            return existing.number;
        }
        const { serverUrl, owner, repo } = this.o.context;
        const body = postmortemBody(report, {
            marker,
            ...(runUrl ? { runUrl } : {}),
            ...(report.sha
                ? { commitUrl: `${serverUrl}/${owner}/${repo}/commit/${report.sha}` }
                : {})
        });
        const res = await this.o.guard.run(SURFACE, 'issues: write', () => this.o.gh.rest.issues.create({
            ...this.repo,
            title: this.clean(postmortemTitle(report)),
            body: this.clean(body),
            labels: [...POSTMORTEM_LABELS],
            ...client/* NO_RETRY */.PE
        }));
        return res?.data.number;
    }
    /**
     * The open issue with our marker, undefined when there is none, or null
     * when the issues could not be listed.
     */
    async find(marker) {
        for (let page = 1; page <= SEARCH_PAGES; page++) {
            const res = await this.o.guard.run(SURFACE, 'issues: write', () => this.o.gh.rest.issues.listForRepo({
                ...this.repo,
                state: 'open',
                labels: POSTMORTEM_LABELS[0],
                sort: 'created',
                direction: 'desc',
                per_page: 100,
                page
            }));
            if (!res)
                return null;
            const hit = res.data.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
            if (hit)
                return { number: hit.number, body: hit.body ?? '' };
            if (res.data.length < 100)
                return undefined;
        }
        return undefined;
    }
    /** One comment per workflow run attempt that ends badly again. */
    async commentOnce(issue, report, runUrl) {
        const mark = runMarker(runUrl);
        if (issue.body.includes(`(${(0,markdown/* safeUrl */.Pl)(runUrl)})`) ||
            issue.body.includes(mark)) {
            return;
        }
        for (let page = 1; page <= SEARCH_PAGES; page++) {
            const res = await this.o.guard.run(SURFACE, 'issues: write', () => this.o.gh.rest.issues.listComments({
                ...this.repo,
                issue_number: issue.number,
                per_page: 100,
                page
            }));
            if (!res)
                return;
            if (res.data.some((c) => (c.body ?? '').includes(mark)))
                return;
            if (res.data.length < 100)
                break;
        }
        const body = [
            mark,
            `Again in [this run](${(0,markdown/* safeUrl */.Pl)(runUrl)}): ${(0,markdown/* verdictLine */.MT)(report)}`,
            '',
            ...timeline(report)
        ].join('\n');
        await this.o.guard.run(SURFACE, 'issues: write', () => this.o.gh.rest.issues.createComment({
            ...this.repo,
            issue_number: issue.number,
            body: this.clean(body).slice(0, BODY_LIMIT - 536),
            ...client/* NO_RETRY */.PE
        }));
    }
}

// EXTERNAL MODULE: ./src/github/dora.ts
var github_dora = __webpack_require__(4211);
;// CONCATENATED MODULE: ./src/github/surfaces.ts










/** `concurrent-timeout`'s default: a long canary's worth of bakes. */
const CONCURRENT_TIMEOUT_MS = 60 * 60 * 1000;
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(new Error('aborted'));
            return;
        }
        const t = setTimeout(() => {
            signal.removeEventListener('abort', stop);
            resolve();
        }, ms);
        const stop = () => {
            clearTimeout(t);
            reject(new Error('aborted'));
        };
        signal.addEventListener('abort', stop, { once: true });
    });
}
/** Builds the GitHub surfaces the config asks for. */
function githubSurfaces(o) {
    let requests = 0;
    const gh = (0,client/* createGitHubClient */.LX)({
        token: o.token,
        baseUrl: o.context.apiUrl,
        log: o.warn,
        onRequest: () => {
            requests += 1;
        },
        ...(o.retryAfterBaseValue !== undefined
            ? { retryAfterBaseValue: o.retryAfterBaseValue }
            : {})
    });
    const guard = new Guard(o.warn);
    const { config, context } = o;
    const deployments = new github_deployments/* Deployments */.DS({
        gh,
        context,
        guard,
        service: config.service,
        environment: config.environment,
        version: o.version,
        ...(o.previousVersion ? { previousVersion: o.previousVersion } : {}),
        ...(o.configDigest ? { configDigest: o.configDigest } : {})
    });
    // The environment's newest deployments, read once for both the rollback
    // target and the concurrency check.
    let listing;
    const firstList = () => (listing ??= guard
        .run('deployment history', 'deployments: read', () => gh.rest.repos.listDeployments({
        owner: context.owner,
        repo: context.repo,
        environment: config.environment,
        per_page: 30
    }))
        .then((r) => r?.data));
    // Each older deployment's statuses, read once before the rollout starts.
    const statusMemo = new Map();
    const statusesOnce = (id) => {
        let p = statusMemo.get(id);
        if (!p) {
            p = guard
                .run('deployment history', 'deployments: read', () => gh.rest.repos.listDeploymentStatuses({
                owner: context.owner,
                repo: context.repo,
                deployment_id: id,
                per_page: 10
            }))
                .then((r) => r?.data);
            statusMemo.set(id, p);
        }
        return p;
    };
    let history;
    const dora = async (current) => {
        history ??= (0,github_dora/* readHistory */.Lu)(gh, context, guard, config.environment, Date.now(), {
            // Bounded so a run stays within its GitHub request budget.
            maxDeployments: 100,
            maxCommitLookups: 3,
            ...(current ? { leadTimeOf: [current.sha] } : {})
        });
        const h = await history;
        return h && (0,github_dora/* metricsOf */.Ps)(config.environment, h, Date.now(), 30, current);
    };
    const reporters = [];
    if (config.report.checks !== 'off') {
        reporters.push(new ChecksReporter({
            gh,
            context,
            guard,
            environment: config.environment,
            service: config.service,
            ...(config.report['check-name']
                ? { name: config.report['check-name'] }
                : {}),
            perGate: config.report.checks === 'per-gate'
        }));
    }
    if (config.report.comment) {
        reporters.push(new CommentReporter({
            gh,
            context,
            guard,
            service: config.service,
            environment: config.environment,
            footer: async (report) => {
                const m = await dora((0,github_dora/* currentRollout */.tN)(report, deployments.known()));
                return m ? (0,github_dora/* doraMarkdown */.CI)(m) : undefined;
            }
        }));
    }
    const stores = [];
    const deploymentsReporter = new github_deployments/* DeploymentsReporter */.GH(deployments);
    reporters.push({
        onEvent: async (e) => {
            // The verdict status goes after the statuses the state store has
            // already queued, so it stays the latest.
            if (e.type === 'rollout-finished') {
                await Promise.all(stores.map((st) => st.settled()));
            }
            await deploymentsReporter.onEvent(e);
        }
    });
    if (config.report.postmortem) {
        reporters.push(new PostmortemReporter({ gh, context, guard, enabled: true }));
    }
    const queue = new QueuedReporter({
        onEvent: async (e) => {
            for (const r of reporters)
                await r.onEvent(e);
        }
    }, o.warn);
    return {
        gh,
        reporters: [queue],
        flush: async (ms) => {
            await Promise.race([
                Promise.all(stores.map((st) => st.settled())),
                new Promise((resolve) => setTimeout(resolve, ms).unref())
            ]);
            return queue.flush(ms);
        },
        preflight: preflightQueries(gh, context),
        stateStore: (file, base) => {
            const store = new github_deployments/* DeploymentStateStore */._i(file, deployments, base);
            stores.push(store);
            return store;
        },
        deploymentId: () => deployments.known(),
        metrics: dora,
        previousVersion: () => (0,github_deployments/* previousSuccessfulVersion */.eJ)(gh, context, guard, config.environment, firstList, statusesOnce),
        acquire: (signal, info) => new Exclusive({
            gh,
            context,
            guard,
            environment: config.environment,
            version: o.version,
            mode: o.onConcurrent ?? 'fail',
            timeoutMs: o.concurrentTimeoutMs ?? CONCURRENT_TIMEOUT_MS,
            now: () => Date.now(),
            sleep,
            info,
            warn: o.warn,
            firstList,
            statusesOnce
        }).acquire({
            ensure: (list) => deployments.begin(list),
            status: (state, text) => deployments.status(state, text)
        }, signal),
        requests: () => requests
    };
}


/***/ })

};
