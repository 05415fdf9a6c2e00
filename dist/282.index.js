export const id = 282;
export const ids = [282];
export const modules = {

/***/ 9334:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $5: () => (/* binding */ quantityValue),
/* harmony export */   Am: () => (/* binding */ growth),
/* harmony export */   JZ: () => (/* binding */ median),
/* harmony export */   T6: () => (/* binding */ kindForCondition),
/* harmony export */   UD: () => (/* reexport safe */ _config_units_js__WEBPACK_IMPORTED_MODULE_0__.pN),
/* harmony export */   _3: () => (/* binding */ evaluate),
/* harmony export */   iQ: () => (/* binding */ HOUR_MS),
/* harmony export */   pI: () => (/* binding */ thresholdOf)
/* harmony export */ });
/* harmony import */ var _config_units_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4529);

/** `a op b`; `==` is exact, as written in a config. */

/** The number an operand stands for: ms for durations, a ratio for `%`. */
function quantityValue(q) {
    if (q.kind === 'number')
        return q.value;
    if (q.kind === 'duration')
        return q.ms;
    return q.ratio;
}
/**
 * The value a compare condition draws its line at: the operand itself, or
 * `k x baseline`, or `baseline + d`. Undefined when the condition needs a
 * baseline and there is none, so a missing baseline is never read as 0.
 */
function thresholdOf(c, baseline) {
    const o = c.operand;
    if (o.kind === 'baseline-ratio') {
        return baseline === undefined ? undefined : o.factor * baseline;
    }
    if (o.kind === 'baseline-plus') {
        return baseline === undefined
            ? undefined
            : baseline + quantityValue(o.delta);
    }
    return quantityValue(o);
}
/**
 * Evaluates a condition: for `compare`, `value op threshold`; for growth,
 * `value` is the measured growth ratio per hour (see {@link growth}).
 * Undefined when a relative condition has no baseline value.
 */
function evaluate(c, value, baseline) {
    if (c.kind === 'growth') {
        return {
            breached: (0,_config_units_js__WEBPACK_IMPORTED_MODULE_0__/* .compareOp */ .pN)(c.op, value, c.ratioPerHour),
            threshold: c.ratioPerHour
        };
    }
    const threshold = thresholdOf(c, baseline);
    if (threshold === undefined || Number.isNaN(value))
        return undefined;
    return { breached: (0,_config_units_js__WEBPACK_IMPORTED_MODULE_0__/* .compareOp */ .pN)(c.op, value, threshold), threshold };
}
/** Median of a copy; NaN when empty. */
function median(values) {
    const n = values.length;
    if (n === 0)
        return NaN;
    const s = Float64Array.from(values).sort();
    const mid = n >> 1;
    return n % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
const HOUR_MS = 3_600_000;
/** Above this many readings, block medians keep Theil–Sen at ~125k pairs. */
const MAX_GROWTH_POINTS = 500;
/**
 * A trend that one spike or a few bad scrapes cannot fake: the Theil–Sen
 * slope (median of all pairwise slopes; robust to ~29% outliers), relative
 * to the fitted level at the start, so `growth > 5%/h` reads as "grows by
 * more than 5% of where it started, per hour". Undefined with fewer than 3
 * readings or no time span.
 */
function growth(times, values) {
    let t = Float64Array.from(times);
    let v = Float64Array.from(values);
    const n = Math.min(t.length, v.length);
    if (n < 3)
        return undefined;
    if (n > MAX_GROWTH_POINTS) {
        const blocks = blockMedians(t.subarray(0, n), v.subarray(0, n));
        t = blocks.t;
        v = blocks.v;
    }
    const m = Math.min(t.length, v.length);
    const slopes = new Float64Array((m * (m - 1)) / 2);
    let k = 0;
    for (let i = 0; i < m; i++) {
        for (let j = i + 1; j < m; j++) {
            const dt = t[j] - t[i];
            if (dt !== 0)
                slopes[k++] = (v[j] - v[i]) / dt;
        }
    }
    if (k === 0)
        return undefined;
    const slope = median(slopes.subarray(0, k));
    const residuals = new Float64Array(m);
    for (let i = 0; i < m; i++)
        residuals[i] = v[i] - slope * (t[i] - t[0]);
    let level = median(residuals);
    if (!(level > 0))
        level = Math.abs(median(v));
    const slopePerHour = slope * HOUR_MS;
    const ratioPerHour = level > 0
        ? slopePerHour / level
        : slopePerHour === 0
            ? 0
            : Math.sign(slopePerHour) * Infinity;
    return { ratioPerHour, slopePerHour, level, n };
}
function blockMedians(t, v) {
    const size = Math.ceil(t.length / MAX_GROWTH_POINTS);
    const count = Math.ceil(t.length / size);
    const bt = new Float64Array(count);
    const bv = new Float64Array(count);
    for (let b = 0; b < count; b++) {
        const from = b * size;
        const to = Math.min(t.length, from + size);
        bt[b] = median(t.subarray(from, to));
        bv[b] = median(v.subarray(from, to));
    }
    return { t: bt, v: bv };
}
/**
 * How a value is shown for a plain (external) metric: as a rate when the
 * condition compares with a percentage, as a latency against a duration.
 */
function kindForCondition(c) {
    if (c.kind === 'compare') {
        const o = c.operand;
        const q = o.kind === 'baseline-plus' ? o.delta : o;
        if (q.kind === 'percent')
            return 'rate';
        if (q.kind === 'duration')
            return 'latency';
    }
    return 'number';
}


/***/ }),

/***/ 1074:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F$: () => (/* binding */ inARow),
/* harmony export */   FP: () => (/* binding */ tooFewResponses),
/* harmony export */   Fl: () => (/* binding */ formatValue),
/* harmony export */   K3: () => (/* binding */ missingReadings),
/* harmony export */   Kq: () => (/* binding */ tooFewSamples),
/* harmony export */   Kw: () => (/* binding */ failedReason),
/* harmony export */   MT: () => (/* binding */ verdictLine),
/* harmony export */   Mb: () => (/* binding */ detectableRate),
/* harmony export */   N9: () => (/* binding */ trendTooFewSamples),
/* harmony export */   OO: () => (/* binding */ passedEarly),
/* harmony export */   Pb: () => (/* binding */ noValueToCompare),
/* harmony export */   TI: () => (/* binding */ detectableQuantile),
/* harmony export */   UL: () => (/* binding */ trendTooShort),
/* harmony export */   aJ: () => (/* binding */ neverPassOnErrors),
/* harmony export */   f1: () => (/* binding */ inconclusiveReason),
/* harmony export */   gf: () => (/* binding */ noLatencies),
/* harmony export */   hD: () => (/* binding */ findingOf),
/* harmony export */   hh: () => (/* binding */ allHeld),
/* harmony export */   jf: () => (/* binding */ detectableRatio),
/* harmony export */   lZ: () => (/* binding */ passedWithoutData),
/* harmony export */   v0: () => (/* binding */ detectablePairs),
/* harmony export */   vN: () => (/* binding */ sureAt),
/* harmony export */   xE: () => (/* binding */ noDataFor),
/* harmony export */   zg: () => (/* binding */ sourceErrored)
/* harmony export */ });
/* unused harmony exports formatRate, formatNumber, formatGrowth, formatN, conditionText, formatRatio */
/* harmony import */ var _config_units_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4529);
/* harmony import */ var _kernel_format_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8982);
/* harmony import */ var _conditions_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9334);



/** Rates as in verdicts: `7.0%`, `0.52%`, `0.012%`. */
function formatRate(ratio) {
    if (!Number.isFinite(ratio))
        return String(ratio);
    const p = ratio * 100;
    if (p === 0)
        return '0.0%';
    const a = Math.abs(p);
    if (a >= 1)
        return `${p.toFixed(1)}%`;
    if (a >= 0.1)
        return `${p.toFixed(2)}%`;
    return `${Number(p.toPrecision(2))}%`;
}
/** Plain values with three significant digits: `0.612`, `72.5`, `1,204`. */
function formatNumber(v) {
    if (!Number.isFinite(v))
        return String(v);
    if (Math.abs(v) >= 1000)
        return (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(v);
    return String(Number(v.toPrecision(3)));
}
function formatValue(v, kind) {
    if (kind === 'rate')
        return formatRate(v);
    if (kind === 'latency')
        return (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatLatency */ .YL)(v);
    return formatNumber(v);
}
/**
 * A growth ratio in the period the condition was written with: `8.3%/h`
 * for `growth > 5%/h`, `12.0%/d` for `growth > 10%/d`.
 */
function formatGrowth(ratioPerHour, c) {
    const unit = /\/\s*(\S+)$/.exec(c.text)?.[1] ?? 'h';
    const period = (0,_config_units_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E9)(/^[hmd]$/.test(unit) ? `1${unit}` : unit);
    const ms = period.ok && period.value > 0 ? period.value : _conditions_js__WEBPACK_IMPORTED_MODULE_1__/* .HOUR_MS */ .iQ;
    return `${formatRate((ratioPerHour * ms) / _conditions_js__WEBPACK_IMPORTED_MODULE_1__/* .HOUR_MS */ .iQ)}/${unit}`;
}
/** `n=1,204/1,198` (canary/baseline) or `n=100`. */
function formatN(n) {
    return n.baseline === undefined
        ? `n=${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(n.canary)}`
        : `n=${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(n.canary)}/${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(n.baseline)}`;
}
const NEGATED = {
    '<': '>=',
    '<=': '>',
    '>': '<=',
    '>=': '<',
    '==': '!='
};
/**
 * The condition as written when it holds, with the operator negated when it
 * does not: `> 2x baseline` / `<= 2x baseline`.
 */
function conditionText(c, breached) {
    if (breached)
        return c.text;
    if (c.kind === 'growth') {
        return c.text.replace(/^growth\s*(<=|>=|==|<|>)/, `growth ${NEGATED[c.op]}`);
    }
    const rest = c.text.slice(c.op.length).trim();
    return `${NEGATED[c.op]} ${rest}`;
}
/**
 * The one line every verdict is: value vs condition with n, e.g.
 * `p95 412ms > 2x baseline (180ms), n=1,204/1,198` or
 * `error-rate 7.0% > 5%, n=100`.
 */
function verdictLine(p) {
    const cond = conditionText(p.condition, p.breached);
    const base = p.baseline === undefined ? '' : ` (${p.baseline})`;
    if (p.condition.kind === 'growth') {
        const bare = cond.replace(/^growth\s*/, '');
        return `${p.metric} growth ${p.value} ${bare}, ${formatN(p.n)}`;
    }
    return `${p.metric} ${p.value} ${cond}${base}, ${formatN(p.n)}`;
}
/** A ratio of rates or latencies: `2.3x`, `12.5x`. */
function formatRatio(r) {
    if (!Number.isFinite(r))
        return `${r}x`;
    return `${Number(r.toPrecision(r >= 10 ? 3 : 2))}x`;
}
/**
 * A condition's finding from its measurement; `suffix` says why an early
 * decision is sure, `detectable` what the samples could have caught.
 */
function findingOf(check, m, suffix = '', detectable) {
    const name = check.metric.name;
    const extra = detectable ? { detectable } : {};
    if (m.status !== 'value') {
        return {
            name,
            level: m.status,
            condition: check.condition.text,
            n: m.n,
            reason: m.reason,
            ...extra
        };
    }
    const value = check.condition.kind === 'growth'
        ? formatGrowth(m.value, check.condition)
        : formatValue(m.value, check.kind);
    const baseline = m.baseline === undefined ? undefined : formatValue(m.baseline, check.kind);
    const line = verdictLine({
        metric: name,
        value,
        condition: check.condition,
        breached: m.breached,
        ...(baseline === undefined ? {} : { baseline }),
        n: m.n
    });
    return {
        name,
        level: m.breached ? check.level : 'ok',
        value,
        ...(baseline === undefined ? {} : { baseline }),
        condition: check.condition.text,
        n: m.n,
        reason: `${line}${suffix}`,
        ...extra
    };
}
/** Why an early decision of a sequential test is sure: ` (sure at 99%)`. */
function sureAt(condition, m, confidence) {
    const ratio = condition.kind === 'compare' &&
        condition.operand.kind === 'baseline-ratio' &&
        m.status === 'value' &&
        m.baseline !== undefined &&
        m.baseline > 0
        ? `ratio ${formatRatio(m.value / m.baseline)}; `
        : '';
    return ` (${ratio}sure at ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPercent */ .l9)(confidence)})`;
}
/** Why a counting rule decided: ` (3 looks in a row)`. */
function inARow(looks) {
    return ` (${looks} looks in a row)`;
}
/** A track with fewer probe samples than a verdict needs. */
function tooFewSamples(metric, samples, track, minSamples) {
    return `${metric}: ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(samples)} samples on ${track}, fewer than min-samples ${minSamples}`;
}
/** Enough samples, but too few with a latency (transport failures). */
function tooFewResponses(metric, responses, samples, track) {
    return `${metric}: only ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(responses)} of ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(samples)} samples on ${track} got a response`;
}
/**
 * Samples on the track, but none of the kind that measures this latency:
 * a `p95` over WebSocket probes only, a `ws-push-p95` without pushes.
 * Undefined when samples of the right kind are there.
 */
function noLatencies(metric, of, counts, track) {
    const p = metric.slice(metric.lastIndexOf('p'));
    if (of === 'http') {
        if (counts.http > 0)
            return undefined;
        return `${metric}: no HTTP probe samples on ${track}; ${p} is HTTP request latency (WebSocket probes have ws-connect-${p}, ws-first-message-${p}, ws-push-${p})`;
    }
    if (counts.ws === 0) {
        return `${metric}: no WebSocket probe samples on ${track}`;
    }
    if (counts.values > 0 || of === 'ws-connect')
        return undefined;
    const what = of === 'ws-push'
        ? 'pushed-message latencies (a receive after a send or emit, or push-latency.timestamp, gives them)'
        : 'first messages (a receive step gives them)';
    return `${metric}: no ${what} in ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(counts.ws)} WebSocket probe samples on ${track}`;
}
/** A relative condition without a baseline value, or a value that is NaN. */
function noValueToCompare(metric) {
    return `${metric}: no value to compare`;
}
/** Why a metric with a source has no value: what its looks brought. */
function missingReadings(metric, looks, valueLooks, noDataLooks, errorLooks, lastError, lastNoData = '') {
    if (looks === 0)
        return `${metric}: no readings`;
    const parts = [];
    if (noDataLooks > 0) {
        parts.push(lastNoData === ''
            ? `no-data ${noDataLooks}`
            : `no-data ${noDataLooks}, last: ${lastNoData}`);
    }
    if (errorLooks > 0)
        parts.push(`errors ${errorLooks}, last: ${lastError}`);
    return `${metric}: no value at ${looks - valueLooks} of ${looks} looks (${parts.join(', ')})`;
}
/** A source that errored more than `error-limit` times in a row. */
function sourceErrored(metric, streak, lastError) {
    return `${metric}: source errored ${streak} times in a row (last: ${lastError})`;
}
/** A trend of a built-in metric before the canary has min-samples. */
function trendTooFewSamples(metric, samples, minSamples) {
    return `${metric}: ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(samples)} samples, fewer than min-samples ${minSamples}`;
}
/** A trend without enough readings over time. */
function trendTooShort(metric, readings) {
    return `${metric}: ${readings} readings, a trend needs at least 3 over time`;
}
const towards = (side) => (side === 'above' ? '>=' : '<=');
const undetectable = (at) => `could not detect any breach at ${at}`;
/** What a rate test could have detected at n samples (`p`: the rate). */
function detectableRate(metric, side, p, n) {
    const at = `n=${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(n)}`;
    if (p === undefined)
        return undetectable(at);
    return `could detect ${metric} ${towards(side)} ${formatRate(p)} at ${at}`;
}
/** What a ratio test could have detected with these errors (`k`: ratio). */
function detectableRatio(metric, side, k, errors) {
    const at = `${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(errors)} errors`;
    if (k === undefined)
        return undetectable(at);
    return `could detect ${metric} ${towards(side)} ${formatRatio(k)} baseline with ${at}`;
}
/**
 * What an exceedance test could have detected at n samples (`p`: the
 * share of samples above the threshold).
 */
function detectableQuantile(side, p, thresholdMs, n) {
    const at = `n=${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(n)}`;
    if (p === undefined)
        return undetectable(at);
    const threshold = (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatLatency */ .YL)(thresholdMs);
    if (side === 'above') {
        const level = Math.floor((1 - p) * 1000) / 10;
        return `could detect p${level} > ${threshold} at ${at}`;
    }
    return `could detect <= ${formatRate(p)} of samples above ${threshold} at ${at}`;
}
/** What a paired sign test could have detected (`p`: share of pairs). */
function detectablePairs(condition, side, p, pairs) {
    const at = `n=${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(pairs)} pairs`;
    if (p === undefined)
        return undetectable(at);
    return `could detect canary ${condition.text} in ${towards(side)} ${formatRate(p)} of pairs at ${at}`;
}
/** The first failing finding, and how many more there are. */
function failedReason(failing) {
    const more = failing.length > 1 ? ` (+${failing.length - 1} more)` : '';
    return `${failing[0].reason}${more}`;
}
/** Which metrics had no data, when no finding says why. */
function noDataFor(metrics) {
    return `no data for ${metrics.join(', ')}`;
}
/** Missing data because a source errored, under `on-no-data: pass`. */
function neverPassOnErrors(why) {
    return `${why}; source errors are never a pass (on-no-data: pass)`;
}
/** Missing data that `on-no-data` turned into a fail or a hold. */
function inconclusiveReason(why, onNoData) {
    return `inconclusive: ${why} (on-no-data: ${onNoData})`;
}
/** `, n=1,204/1,198` after a passing reason, when there were samples. */
function samplesOf(total) {
    return total.canary > 0 ? `, ${formatN(total)}` : '';
}
/** A pass with metrics that had no data (`on-no-data: pass`). */
function passedWithoutData(metrics, total) {
    return `${noDataFor(metrics)}; passed (on-no-data: pass)${samplesOf(total)}`;
}
/** A pass that a look decided before the end. */
function passedEarly(confidence, total) {
    return `passed early: no fail condition holds (sure at ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPercent */ .l9)(confidence)})${samplesOf(total)}`;
}
/** A pass at the end with more than one condition. */
function allHeld(conditions, total) {
    return `all ${conditions} conditions held${samplesOf(total)}`;
}


/***/ }),

/***/ 2282:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  exitCodeOf: () => (/* binding */ exitCodeOf),
  recoverGates: () => (/* binding */ recoverGates),
  runGates: () => (/* binding */ runGates)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/http/dispatcher.ts
var dispatcher = __webpack_require__(3839);
// EXTERNAL MODULE: ./src/redact/redactor.ts + 1 modules
var redact_redactor = __webpack_require__(6840);
;// CONCATENATED MODULE: ./src/redact/identifiers.ts
/** Probe and metric names and the service: what reasons are labelled with. */
function configIdentifiers(config) {
    const metrics = [
        ...Object.keys(config.gates.canary?.analysis?.metrics ?? {}),
        ...Object.keys(config.gates.soak?.metrics ?? {})
    ];
    return [
        ...new Set([config.service, ...Object.keys(config.probes), ...metrics])
    ];
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/kernel/clock.ts
var kernel_clock = __webpack_require__(4643);
// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
// EXTERNAL MODULE: ./src/redact/preview.ts
var preview = __webpack_require__(2365);
;// CONCATENATED MODULE: ./src/exec/runner.ts
/**
 * The shell runner every `run:` command goes through. Commands run in their
 * own process group so that a timeout or a cancelled rollout can stop the
 * whole tree (`sleep 100 &` included), and everything they print is redacted
 * before anyone, including a live progress callback, sees it. Output is
 * streamed, never collected: only a bounded tail is kept for reports, and
 * the command's pipes are paused while the log is behind, so a command that
 * prints gigabytes slows down instead of growing this process.
 */





const DEFAULT_GRACE_MS = 5000;
const DEFAULT_DRAIN_MS = 1000;
const DEFAULT_TAIL = 50;
const DEFAULT_LINE = 2000;
const POLL_MS = 50;
/**
 * Zombies still answer `kill(-pgid, 0)`, and on a runner whose PID 1 does not
 * reap orphans they stay forever; on Linux we therefore look for a member
 * that is really running before deciding the group needs SIGKILL.
 */
function linuxGroupHasLiveMember(pgid) {
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)('/proc');
    }
    catch {
        return true;
    }
    for (const entry of entries) {
        if (!/^\d+$/.test(entry))
            continue;
        let stat;
        try {
            stat = (0,external_node_fs_.readFileSync)(`/proc/${entry}/stat`, 'utf8');
        }
        catch {
            continue;
        }
        // pid (comm) state ppid pgrp ...; comm may contain spaces and parens.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') {
            return true;
        }
    }
    return false;
}
const systemProcessGroup = {
    signal: (pgid, signal) => {
        try {
            process.kill(-pgid, signal);
        }
        catch {
            // ESRCH: the group is already gone.
        }
    },
    alive: (pgid) => {
        try {
            process.kill(-pgid, 0);
        }
        catch (err) {
            return err.code === 'EPERM';
        }
        return process.platform === 'linux' ? linuxGroupHasLiveMember(pgid) : true;
    }
};
/** Keeps the last `size` lines in a ring, without growing with the output. */
class Tail {
    ring = [];
    next = 0;
    size;
    constructor(size) {
        this.size = Math.max(0, size);
    }
    push(line) {
        if (this.size === 0)
            return;
        if (this.ring.length < this.size)
            this.ring.push(line);
        else
            this.ring[this.next] = line;
        this.next = (this.next + 1) % this.size;
    }
    get() {
        if (this.ring.length < this.size)
            return [...this.ring];
        return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    }
}
const same = (s) => s;
class LineSplitter {
    pending = '';
    overflow = false;
    hardCap;
    emit;
    constructor(max, emit) {
        this.hardCap = Math.max(65_536, max * 4);
        this.emit = emit;
    }
    push(chunk) {
        const lines = [];
        let from = 0;
        for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
            const piece = chunk.slice(from, nl);
            from = nl + 1;
            if (this.overflow) {
                this.overflow = false;
                this.pending = '';
                continue;
            }
            lines.push({ raw: this.pending + piece, cut: false });
            this.pending = '';
        }
        if (!this.overflow) {
            this.pending += chunk.slice(from);
            if (this.pending.length > this.hardCap) {
                lines.push({ raw: this.pending.slice(0, this.hardCap), cut: true });
                this.pending = '';
                this.overflow = true;
            }
        }
        if (lines.length > 0)
            this.emit(lines);
    }
    flush() {
        if (this.pending !== '' && !this.overflow) {
            this.emit([{ raw: this.pending, cut: false }]);
        }
        this.pending = '';
        this.overflow = false;
    }
}
/** What a terminal would show for a line of `\r` progress updates. */
function visible(raw) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.includes('\r'))
        return line;
    const parts = line.split('\r').filter((p) => p !== '');
    return parts.length > 0 ? parts[parts.length - 1] : '';
}
function buildEnv(base, extra) {
    const env = { ...base };
    for (const [k, v] of Object.entries(extra ?? {})) {
        if (v === undefined)
            delete env[k];
        else
            env[k] = v;
    }
    return env;
}
function spawnReason(bash, err, cwd) {
    const code = err.code;
    if (code === 'ENOENT' && cwd !== undefined) {
        let cwdExists;
        try {
            cwdExists = (0,external_node_fs_.statSync)(cwd).isDirectory();
        }
        catch {
            cwdExists = false;
        }
        if (!cwdExists)
            return `working directory '${cwd}' not found: ${err.message}`;
    }
    if (code === 'ENOENT')
        return `${bash} not found: ${err.message}`;
    return `could not start ${bash}: ${err.message}`;
}
/**
 * Runs one `run:` command the way the contract promises: `bash -e -o
 * pipefail`, values only through the environment, a killed process group on
 * timeout or abort, and redacted output. It never rejects: every way a
 * command can end is an outcome with a one-line reason.
 */
async function runCommand(opts) {
    const clock = opts.clock ?? kernel_clock/* systemClock */.m;
    const redact = opts.redact ?? ((s) => s);
    const spawnFn = opts.spawn ?? external_node_child_process_.spawn;
    const group = opts.processGroup ?? systemProcessGroup;
    const bash = opts.bash ?? 'bash';
    const graceMs = opts.killGraceMs ?? DEFAULT_GRACE_MS;
    const drainMs = opts.drainMs ?? DEFAULT_DRAIN_MS;
    const maxLine = opts.maxLineLength ?? DEFAULT_LINE;
    const tail = new Tail(opts.tailLines ?? DEFAULT_TAIL);
    const started = clock.monotonic();
    const elapsed = () => clock.monotonic() - started;
    const result = (outcome, reason, exitCode = null, signal = null) => ({
        outcome,
        exitCode,
        signal,
        durationMs: Math.max(0, elapsed()),
        tail: tail.get(),
        reason: redact(reason)
    });
    if (opts.signal?.aborted)
        return result('aborted', 'aborted before start');
    let child;
    try {
        child = spawnFn(bash, ['-e', '-o', 'pipefail', '-c', opts.run], {
            cwd: opts.cwd,
            env: buildEnv(opts.baseEnv ?? process.env, opts.env),
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe']
        });
    }
    catch (err) {
        return result('spawn-error', spawnReason(bash, err, opts.cwd));
    }
    let block = [];
    const show = (line, stream) => {
        tail.push(line);
        if (opts.onLines)
            block.push(line);
        try {
            opts.onLine?.(line, stream);
        }
        catch {
            // A progress callback must not break the command.
        }
    };
    const showBlock = (stream) => {
        if (block.length === 0)
            return;
        const lines = block;
        block = [];
        try {
            opts.onLines?.(lines, stream);
        }
        catch {
            // A progress callback must not break the command.
        }
    };
    const emitLines = (lines, stream) => {
        const whole = [];
        const flushWhole = () => {
            if (whole.length === 0)
                return;
            // One redaction per block; masking never adds a line break, so the
            // block splits back into lines (fewer, if a mask spans one). The
            // ellipsis comes on top of `maxLine` characters of a line.
            const shown = redact(whole.join('\n')).split('\n');
            for (const line of shown)
                show((0,preview/* preview */.V)(line, maxLine + 1, same), stream);
            whole.length = 0;
        };
        for (const l of lines) {
            if (!l.cut) {
                whole.push(visible(l.raw));
                continue;
            }
            flushWhole();
            // Cut at the hard cap: a secret may straddle the end.
            show((0,preview/* preview */.V)(visible(l.raw), maxLine + 1, redact, { partial: true }), stream);
        }
        flushWhole();
        showBlock(stream);
    };
    const splitters = {
        stdout: new LineSplitter(maxLine, (l) => emitLines(l, 'stdout')),
        stderr: new LineSplitter(maxLine, (l) => emitLines(l, 'stderr'))
    };
    // Back-pressure: while the writer is behind, neither pipe is read, so the
    // command blocks on its own writes. Once bash has exited it is off: what
    // is left in the pipes is read at once, within the drain time.
    let pressure = opts.whenWritten !== undefined;
    let waiting = false;
    const pipes = [child.stdout, child.stderr];
    const resume = () => {
        waiting = false;
        for (const p of pipes)
            p?.resume();
    };
    const afterChunk = () => {
        if (!pressure || waiting)
            return;
        let wait;
        try {
            wait = opts.whenWritten?.();
        }
        catch {
            wait = undefined;
        }
        if (!wait)
            return;
        waiting = true;
        for (const p of pipes)
            p?.pause();
        wait.then(resume, resume);
    };
    for (const stream of ['stdout', 'stderr']) {
        const s = child[stream];
        s?.setEncoding('utf8');
        s?.on('data', (chunk) => {
            splitters[stream].push(chunk);
            afterChunk();
        });
        s?.on('error', () => undefined);
    }
    return new Promise((resolve) => {
        const timers = new AbortController();
        let exit;
        let outputDone = false;
        let killedFor;
        let escalated = false;
        let killing;
        let settled = false;
        const settle = (r) => {
            if (settled)
                return;
            settled = true;
            timers.abort();
            opts.signal?.removeEventListener('abort', onAbort);
            child.stdout?.destroy();
            child.stderr?.destroy();
            resolve(r);
        };
        const finish = () => {
            if (settled || !exit || !outputDone)
                return;
            if (killing) {
                void killing.then(finishNow);
                return;
            }
            finishNow();
        };
        const finishNow = () => {
            if (settled || !exit)
                return;
            splitters.stdout.flush();
            splitters.stderr.flush();
            const { code, signal } = exit;
            const took = (0,format/* formatDuration */.a3)(elapsed());
            if (killedFor === 'timeout') {
                const how = escalated
                    ? ` (SIGKILL after ${(0,format/* formatDuration */.a3)(graceMs)})`
                    : '';
                settle(result('timeout', `timed out after ${(0,format/* formatDuration */.a3)(opts.timeoutMs ?? 0)}; process group killed${how}`, code, signal));
            }
            else if (killedFor === 'aborted') {
                settle(result('aborted', `aborted after ${took}; process group killed`, code, signal));
            }
            else if (code === 0) {
                settle(result('ok', `exited with code 0 after ${took}`, 0, null));
            }
            else if (code !== null) {
                settle(result('failed', `exited with code ${code} after ${took}`, code));
            }
            else {
                settle(result('failed', `killed by ${signal ?? 'a signal'} after ${took}`, null, signal));
            }
        };
        /** SIGTERM the group, wait for it to go, SIGKILL what is left. */
        const terminate = (why) => {
            if (settled || killedFor || exit || child.pid === undefined)
                return;
            const pgid = child.pid;
            killedFor = why;
            group.signal(pgid, 'SIGTERM');
            killing = (async () => {
                // Bounded by count too, so a frozen test clock cannot spin forever.
                const deadline = clock.monotonic() + graceMs;
                for (let i = 0; i <= Math.ceil(graceMs / POLL_MS); i++) {
                    const left = deadline - clock.monotonic();
                    if (left <= 0 || !group.alive(pgid))
                        break;
                    await clock.sleep(Math.min(POLL_MS, left));
                }
                if (group.alive(pgid)) {
                    escalated = true;
                    group.signal(pgid, 'SIGKILL');
                }
            })().catch(() => undefined);
            void killing.then(finish);
        };
        const onAbort = () => terminate('aborted');
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        child.once('error', (err) => {
            if (child.pid === undefined) {
                settle(result('spawn-error', spawnReason(bash, err, opts.cwd)));
            }
        });
        child.once('exit', (code, signal) => {
            exit = { code, signal };
            pressure = false;
            if (waiting)
                resume();
            // A background child may keep the pipes open after bash is gone.
            clock.sleep(drainMs, timers.signal).then(() => {
                outputDone = true;
                finish();
            }, () => undefined);
            finish();
        });
        child.once('close', () => {
            outputDone = true;
            finish();
        });
        if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
            clock.sleep(opts.timeoutMs, timers.signal).then(() => terminate('timeout'), () => undefined);
        }
    });
}

;// CONCATENATED MODULE: ./src/traffic/types.ts
/** Why a weight cannot be sent, or undefined when it is a whole 0-100. */
function invalidWeight(weight) {
    if (Number.isInteger(weight) && weight >= 0 && weight <= 100)
        return undefined;
    return `invalid traffic weight '${String(weight)}' (expected a whole number 0-100)`;
}

;// CONCATENATED MODULE: ./src/traffic/command.ts
/**
 * Traffic shifting through the user's own command. The weight reaches the
 * command only as `$DEPLOY_GATES_WEIGHT`: the command text is run exactly as
 * written, so no value (weight, version, anything from an event) can become
 * shell code.
 */



const LAST_LINE_CHARS = 200;
function lastLine(tail) {
    for (let i = tail.length - 1; i >= 0; i--) {
        const line = tail[i].trim();
        if (line !== '') {
            return line.length > LAST_LINE_CHARS
                ? `${line.slice(0, LAST_LINE_CHARS)}…`
                : line;
        }
    }
    return undefined;
}
function reasonFor(weight, r) {
    if (r.outcome === 'ok') {
        return `traffic set to ${weight}% (exit 0, ${(0,format/* formatDuration */.a3)(r.durationMs)})`;
    }
    const line = lastLine(r.tail);
    return `traffic command ${r.reason}${line ? `: ${line}` : ''}`;
}
/**
 * A shifter that runs `run` in `bash -e -o pipefail` with the weight in the
 * environment, and trusts its exit code: the command is the only thing that
 * knows whether the load balancer accepted the weight, so it must exit
 * non-zero when it did not.
 */
function commandShifter(run, timeoutMs, deps = {}) {
    const exec = deps.run ?? runCommand;
    return {
        async shift(weight, ctx) {
            const bad = invalidWeight(weight);
            if (bad)
                return { ok: false, reason: bad, durationMs: 0 };
            const r = await exec({
                run,
                env: { ...ctx.env, DEPLOY_GATES_WEIGHT: String(weight) },
                ...(deps.cwd !== undefined ? { cwd: deps.cwd } : {}),
                timeoutMs,
                ...(ctx.signal ? { signal: ctx.signal } : {}),
                redact: ctx.redact,
                onLine: (line) => ctx.onLine?.(line)
            });
            return {
                ok: r.outcome === 'ok',
                reason: ctx.redact(reasonFor(weight, r)),
                durationMs: r.durationMs,
                logTail: r.tail
            };
        }
    };
}

// EXTERNAL MODULE: ./src/http/exchange.ts
var exchange = __webpack_require__(1823);
// EXTERNAL MODULE: ./src/http/resolve.ts
var resolve = __webpack_require__(5504);
// EXTERNAL MODULE: ./src/kernel/errors.ts
var errors = __webpack_require__(2386);
;// CONCATENATED MODULE: ./src/traffic/webhook.ts







/**
 * Attempts when the config says nothing: a lost answer must not fail a
 * rollout, and the call is idempotent by contract.
 */
const WEBHOOK_DEFAULT_ATTEMPTS = 3;
function noFile(path) {
    throw new errors/* ConfigError */.xL(`cannot read '${path}'`);
}
/** The webhook as an HTTP request config, rendered like a probe's. */
function asRequest(hook, timeoutMs) {
    const total = hook.timeout !== undefined && timeoutMs !== undefined
        ? Math.min(hook.timeout, timeoutMs)
        : (hook.timeout ?? timeoutMs);
    const http = {
        url: hook.url,
        method: hook.method,
        follow: 0,
        retries: hook.retries ?? { attempts: WEBHOOK_DEFAULT_ATTEMPTS },
        ...(hook.headers !== undefined ? { headers: hook.headers } : {}),
        ...(hook.body !== undefined ? { body: hook.body } : {}),
        ...(hook.json !== undefined ? { json: hook.json } : {}),
        ...(total !== undefined ? { timeout: { total } } : {}),
        ...(hook.expect !== undefined ? { expect: hook.expect } : {})
    };
    return http;
}
function target(spec, clean) {
    try {
        const u = new URL(spec.url);
        // No query string: that is where tokens of webhook URLs tend to live.
        return clean(`${u.origin}${u.pathname}`).replace(/^https?:\/\//, '');
    }
    catch {
        return 'the traffic webhook';
    }
}
/**
 * A shifter that sends the configured request with the weight rendered into
 * it, and succeeds only when the answer meets `expect` (default: any 2xx).
 * `timeoutMs` (the traffic `timeout`) bounds the whole shift, retries
 * included; the webhook's own `timeout` bounds one request.
 */
function webhookShifter(hook, deps = {}, timeoutMs) {
    const clock = deps.clock ?? kernel_clock/* systemClock */.m;
    const request = asRequest(hook, timeoutMs);
    return {
        async shift(weight, ctx) {
            const bad = invalidWeight(weight);
            if (bad)
                return { ok: false, reason: bad, durationMs: 0 };
            const t0 = clock.monotonic();
            const values = {
                ...ctx.values,
                builtins: { ...ctx.values.builtins, weight: String(weight) }
            };
            const resolved = (0,resolve/* resolveHttpRequest */.yA)(request, {
                values,
                readFile: deps.readFile ?? noFile
            });
            if (!resolved.ok) {
                return {
                    ok: false,
                    reason: ctx.redact(`traffic webhook ${resolved.error}`),
                    durationMs: clock.monotonic() - t0
                };
            }
            if (resolved.secrets.length > 0)
                ctx.onSecrets?.(resolved.secrets);
            const local = (0,redact_redactor/* createRedactor */.lY)(resolved.secrets, { shapes: false });
            const clean = (s) => local.redact(ctx.redact(s));
            const { spec } = resolved;
            const where = `${spec.method} ${target(spec, (s) => clean(local.redactUrl(s)))}`;
            const outcome = await (0,exchange/* exchange */.c)(spec, {
                clock,
                redact: clean,
                ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
                ...(deps.env ? { env: deps.env } : {}),
                ...(deps.random ? { random: deps.random } : {}),
                ...(ctx.signal ? { signal: ctx.signal } : {}),
                ...(timeoutMs !== undefined ? { deadline: t0 + timeoutMs } : {})
            });
            const durationMs = clock.monotonic() - t0;
            if (outcome.ok) {
                const tries = outcome.attempts > 1 ? `, ${outcome.attempts} attempts` : '';
                const took = (0,format/* formatDuration */.a3)(outcome.timings.totalMs);
                return {
                    ok: true,
                    reason: clean(`traffic set to ${weight}% via ${where} (${outcome.status}, ${took}${tries})`),
                    durationMs
                };
            }
            return {
                ok: false,
                reason: clean(`traffic shift to ${weight}% via ${where} failed: ${outcome.reason}`),
                durationMs
            };
        }
    };
}

;// CONCATENATED MODULE: ./src/traffic/shifter.ts





/** Time limit of a traffic command when `traffic.timeout` is not given. */
const TRAFFIC_COMMAND_TIMEOUT_MS = 5 * 60_000;
/**
 * One place decides how traffic moves, so the canary gate and rollback
 * shift it the same way. Throws only on a config the schema rules reject.
 */
function shifterFor(canary, deps = {}) {
    const t = canary.traffic;
    if (t.run !== undefined) {
        return commandShifter(t.run, t.timeout ?? TRAFFIC_COMMAND_TIMEOUT_MS, deps);
    }
    if (t.http !== undefined)
        return webhookShifter(t.http, deps, t.timeout);
    throw new errors/* ConfigError */.xL("traffic needs exactly one of 'run' (a command) or 'http' (a webhook)");
}

;// CONCATENATED MODULE: ./src/rollout/changes.ts
/**
 * The changes as the saved state keeps them: what a later job, a re-run or
 * the post step must know to carry on or undo.
 */
function changedOf(c) {
    return {
        migrated: c.migrated,
        migrationReversible: c.migrationReversible,
        migrationApplied: c.migrationApplied,
        deployed: c.deployed,
        trafficWeight: c.trafficWeight
    };
}
/** Anything at all to undo: a failure before this changed nothing. */
function anythingChanged(c) {
    return c.migrated || c.deployed || c.trafficWeight > 0;
}
/**
 * A migration that ran, has no revert and was not reverted: rolling the
 * code back under it could break the service, so the rollout holds.
 */
function irreversible(c) {
    return c.migrated && !c.migrationReversible && !c.migrationReverted;
}

// EXTERNAL MODULE: ./src/config/interpolate.ts
var interpolate = __webpack_require__(2757);
// EXTERNAL MODULE: ./src/http/scrub.ts
var http_scrub = __webpack_require__(7967);
// EXTERNAL MODULE: ./src/http/send.ts
var http_send = __webpack_require__(5616);
// EXTERNAL MODULE: ./src/metrics/http-json.ts
var http_json = __webpack_require__(4316);
// EXTERNAL MODULE: ./src/metrics/provider.ts
var provider = __webpack_require__(9380);
;// CONCATENATED MODULE: ./src/metrics/datadog.ts
/**
 * The Datadog metric source: one metrics query (`GET /api/v1/query`) over
 * the look's window, whose answer must be exactly one series. The value is
 * its last non-null point, the newest number Datadog has; no series is
 * no-data (the tags matched nothing yet), several are an error asking for
 * an aggregation, and Datadog's own error text is passed through.
 */





/** The API host of a Datadog site (`datadoghq.eu` → `https://api.datadoghq.eu`). */
function datadogBaseUrl(site) {
    return `https://api.${site.replace(/^api\./, '')}`;
}
/**
 * Reads one Datadog metric. The keys travel only in the `DD-API-KEY` and
 * `DD-APPLICATION-KEY` headers and are masked in every reason, as is
 * anything Datadog echoes back.
 */
async function queryDatadog(spec, opts = {}) {
    const clock = opts.clock ?? kernel_clock/* systemClock */.m;
    const headers = {
        'DD-API-KEY': spec.apiKey,
        'DD-APPLICATION-KEY': spec.appKey
    };
    const scrub = (0,http_send/* reasonScrubber */.fF)(spec.url, headers, opts);
    const reading = await read(spec, headers, opts, scrub);
    return (0,http_json/* stamp */.iE)(reading, scrub, clock);
}
/** `{url}/api/v1/query?from=&to=&query=`, keeping a proxy's path prefix. */
function datadogQueryUrl(spec) {
    const u = (0,http_send/* httpBaseUrl */.t8)(spec.url, '/api/v1/query');
    if (u === undefined)
        return undefined;
    u.searchParams.set('from', String(Math.floor(spec.from)));
    u.searchParams.set('to', String(Math.floor(spec.to)));
    u.searchParams.set('query', spec.query);
    return u.toString();
}
async function read(spec, headers, opts, scrub) {
    if (spec.query.trim() === '') {
        return { kind: 'error', reason: 'datadog: empty query' };
    }
    const url = datadogQueryUrl(spec);
    if (url === undefined) {
        return {
            kind: 'error',
            reason: `datadog: invalid url '${(0,http_scrub/* displayUrl */.Qy)(spec.url)}' (use e.g. https://api.datadoghq.com)`
        };
    }
    const fetched = await (0,http_send/* httpSend */.v0)({ url, method: 'GET', headers }, spec.timeoutMs, opts);
    if (!fetched.ok)
        return (0,provider/* tagged */.VK)('datadog', fetched.reading);
    return interpretDatadog(fetched.answer, (0,http_send/* hostPortOf */.ZC)(spec.url), spec.query, scrub);
}
/**
 * Reduces a `/api/v1/query` answer to a reading. Datadog reports a bad
 * query either as a 400 with `errors` or as a 200 with `status: error`;
 * both are errors with its text, never an empty series.
 */
function interpretDatadog(answer, target, query, scrub = (s) => s) {
    const success = answer.status >= 200 && answer.status <= 299;
    const doc = (0,http_json/* parseJson */.qF)(answer.body);
    if (!success) {
        const said = doc.ok && (0,provider/* isRecord */.u4)(doc.value) ? doc.value : {};
        const text = (0,provider/* errorText */.kc)(said.errors) ?? (0,provider/* errorText */.kc)(said.error);
        return (0,provider/* providerHttpError */.q9)('datadog', answer, target, text, scrub, 'api-key and app-key');
    }
    if (!doc.ok) {
        return (0,provider/* providerMalformed */.jB)('datadog', answer, target, `not JSON ('${(0,http_json/* quote */.hD)(answer.body, scrub, 60)}')`);
    }
    const body = doc.value;
    if (!(0,provider/* isRecord */.u4)(body)) {
        return (0,provider/* providerMalformed */.jB)('datadog', answer, target, 'not an object');
    }
    if (body.status === 'error' || body.errors !== undefined) {
        const text = (0,provider/* errorText */.kc)(body.error) ?? (0,provider/* errorText */.kc)(body.errors) ?? 'error';
        return {
            kind: 'error',
            reason: `datadog: query rejected: '${(0,http_json/* quote */.hD)(text, scrub, 200)}'`,
            status: answer.status
        };
    }
    const { series } = body;
    if (!Array.isArray(series)) {
        return (0,provider/* providerMalformed */.jB)('datadog', answer, target, "no 'series' list");
    }
    const q = (0,provider/* shortQuery */.nI)(query, scrub);
    if (series.length === 0) {
        return { kind: 'no-data', reason: `datadog: no series for '${q}'` };
    }
    if (series.length > 1) {
        const scopes = series
            .map((s) => ((0,provider/* isRecord */.u4)(s) && typeof s.scope === 'string' ? s.scope : ''))
            .filter((s) => s !== '')
            .slice(0, 3)
            .map((s) => `'${(0,http_json/* quote */.hD)(s, scrub, 40)}'`);
        const by = scopes.length === 0 ? '' : ` (${scopes.join(', ')}…)`;
        return {
            kind: 'error',
            reason: `datadog: query returned ${series.length} series${by}; aggregate it to one (avg:metric{tags} without 'by {…}')`,
            status: answer.status
        };
    }
    return lastPoint(series[0], answer, target, q);
}
function lastPoint(one, answer, target, q) {
    if (!(0,provider/* isRecord */.u4)(one) || !Array.isArray(one.pointlist)) {
        return (0,provider/* providerMalformed */.jB)('datadog', answer, target, "series has no 'pointlist'");
    }
    for (let i = one.pointlist.length - 1; i >= 0; i--) {
        const point = one.pointlist[i];
        if (!Array.isArray(point) || point.length < 2) {
            return (0,provider/* providerMalformed */.jB)('datadog', answer, target, 'point is not [time, value]');
        }
        const [time, value] = point;
        if (value === null)
            continue;
        if (typeof value !== 'number' || typeof time !== 'number') {
            return (0,provider/* providerMalformed */.jB)('datadog', answer, target, 'point is not [time, value]');
        }
        if (!Number.isFinite(value))
            continue;
        return {
            kind: 'value',
            value,
            note: `datadog: ${q}, last point ${(0,provider/* pointTime */.Iz)(time)}`
        };
    }
    return {
        kind: 'no-data',
        reason: `datadog: '${q}' has no non-null point in the window`
    };
}

;// CONCATENATED MODULE: ./src/metrics/newrelic.ts
/**
 * The New Relic metric source: one NRQL query through NerdGraph
 * (`POST /graphql`, `actor.account(id).nrql`). The value is the one
 * numeric field of the first result row, or the field `field` names;
 * no rows is no-data, GraphQL `errors` are errors with New Relic's text.
 */





/** NerdGraph of each region. */
const NEWRELIC_URLS = {
    us: 'https://api.newrelic.com',
    eu: 'https://api.eu.newrelic.com'
};
/**
 * The GraphQL document. The account and the NRQL travel as variables, so
 * a quote in a rendered `${track}` can never change the query's shape.
 */
const NERDGRAPH_QUERY = 'query($account: Int!, $nrql: Nrql!) { actor { account(id: $account) { nrql(query: $nrql) { results } } } }';
/** Row fields that say when, not how much. */
const TIME_FIELDS = new Set([
    'beginTimeSeconds',
    'endTimeSeconds',
    'timestamp',
    'facet'
]);
/**
 * Reads one New Relic metric. The user key travels only in the `API-Key`
 * header and is masked in every reason.
 */
async function queryNewRelic(spec, opts = {}) {
    const clock = opts.clock ?? kernel_clock/* systemClock */.m;
    const headers = {
        'API-Key': spec.apiKey,
        'content-type': 'application/json'
    };
    const scrub = (0,http_send/* reasonScrubber */.fF)(spec.url, headers, opts);
    const reading = await newrelic_read(spec, headers, opts, scrub);
    return (0,http_json/* stamp */.iE)(reading, scrub, clock);
}
/** `{url}/graphql`, keeping a proxy's path prefix. */
function nerdGraphUrl(base) {
    const u = (0,http_send/* httpBaseUrl */.t8)(base);
    const given = u?.pathname.endsWith('/graphql') === true;
    return (given ? u : (0,http_send/* httpBaseUrl */.t8)(base, '/graphql'))?.toString();
}
async function newrelic_read(spec, headers, opts, scrub) {
    if (spec.nrql.trim() === '') {
        return { kind: 'error', reason: 'newrelic: empty nrql' };
    }
    const url = nerdGraphUrl(spec.url);
    if (url === undefined) {
        return {
            kind: 'error',
            reason: `newrelic: invalid url '${(0,http_scrub/* displayUrl */.Qy)(spec.url)}' (use e.g. https://api.newrelic.com)`
        };
    }
    const body = JSON.stringify({
        query: NERDGRAPH_QUERY,
        variables: { account: spec.account, nrql: spec.nrql }
    });
    const fetched = await (0,http_send/* httpSend */.v0)({ url, method: 'POST', headers, body }, spec.timeoutMs, opts);
    if (!fetched.ok)
        return (0,provider/* tagged */.VK)('newrelic', fetched.reading);
    return interpretNerdGraph(fetched.answer, (0,http_send/* hostPortOf */.ZC)(spec.url), spec, scrub);
}
/** Reduces a NerdGraph answer to a reading. */
function interpretNerdGraph(answer, target, spec, scrub = (s) => s) {
    const success = answer.status >= 200 && answer.status <= 299;
    const doc = (0,http_json/* parseJson */.qF)(answer.body);
    const said = doc.ok && (0,provider/* isRecord */.u4)(doc.value) ? doc.value : undefined;
    if (!success) {
        return (0,provider/* providerHttpError */.q9)('newrelic', answer, target, (0,provider/* errorText */.kc)(said?.errors) ?? (0,provider/* errorText */.kc)(said?.message), scrub, 'api-key (a User key)');
    }
    if (!doc.ok) {
        return (0,provider/* providerMalformed */.jB)('newrelic', answer, target, `not JSON ('${(0,http_json/* quote */.hD)(answer.body, scrub, 60)}')`);
    }
    if (!said)
        return (0,provider/* providerMalformed */.jB)('newrelic', answer, target, 'not an object');
    const errors = (0,provider/* errorText */.kc)(said.errors);
    if (errors !== undefined) {
        return {
            kind: 'error',
            reason: `newrelic: NerdGraph error: '${(0,http_json/* quote */.hD)(errors, scrub, 200)}'`,
            status: answer.status
        };
    }
    const results = dig(said, ['data', 'actor', 'account', 'nrql', 'results']);
    if (!Array.isArray(results)) {
        return (0,provider/* providerMalformed */.jB)('newrelic', answer, target, "no 'data.actor.account.nrql.results' list");
    }
    const q = (0,provider/* shortQuery */.nI)(spec.nrql, scrub);
    if (results.length === 0) {
        return { kind: 'no-data', reason: `newrelic: no rows for '${q}'` };
    }
    const row = results[0];
    if (!(0,provider/* isRecord */.u4)(row)) {
        return (0,provider/* providerMalformed */.jB)('newrelic', answer, target, 'row is not an object');
    }
    return rowValue(row, spec.field, q, scrub, answer.status);
}
function rowValue(row, field, q, scrub, status) {
    const note = (name) => `newrelic: ${q}, field '${(0,http_json/* quote */.hD)(name, scrub, 40)}' of the first row`;
    if (field !== undefined) {
        if (!(field in row)) {
            const names = Object.keys(row).map((k) => `'${(0,http_json/* quote */.hD)(k, scrub, 40)}'`);
            return {
                kind: 'error',
                reason: `newrelic: the first row has no field '${(0,http_json/* quote */.hD)(field, scrub, 40)}' (it has ${names.join(', ') || 'none'})`,
                status
            };
        }
        const v = numeric(row[field]);
        if (v === null) {
            return {
                kind: 'no-data',
                reason: `newrelic: field '${(0,http_json/* quote */.hD)(field, scrub, 40)}' is null`
            };
        }
        if (v === undefined) {
            return {
                kind: 'error',
                reason: `newrelic: field '${(0,http_json/* quote */.hD)(field, scrub, 40)}' is not a number`,
                status
            };
        }
        return { kind: 'value', value: v, note: note(field) };
    }
    const fields = Object.keys(row).filter((k) => !TIME_FIELDS.has(k));
    const numbers = fields.filter((k) => typeof numeric(row[k]) === 'number');
    if (numbers.length === 1) {
        const name = numbers[0];
        return {
            kind: 'value',
            value: numeric(row[name]),
            note: note(name)
        };
    }
    if (numbers.length > 1) {
        return {
            kind: 'error',
            reason: `newrelic: the first row has ${numbers.length} numeric fields (${numbers.map((k) => `'${(0,http_json/* quote */.hD)(k, scrub, 40)}'`).join(', ')}); name one with 'field'`,
            status
        };
    }
    if (fields.some((k) => numeric(row[k]) === null)) {
        return { kind: 'no-data', reason: `newrelic: '${q}' returned null` };
    }
    return {
        kind: 'error',
        reason: `newrelic: the first row has no numeric field`,
        status
    };
}
/**
 * A number, `null` for no value, `undefined` for anything else. Functions
 * such as `percentile(duration, 95)` answer `{ "95": 0.12 }`: one number
 * inside an object counts as that number.
 */
function numeric(v) {
    if (v === null)
        return null;
    if (typeof v === 'number')
        return Number.isFinite(v) ? v : null;
    if ((0,provider/* isRecord */.u4)(v)) {
        const inner = Object.values(v);
        if (inner.length === 1) {
            const only = inner[0];
            if (only === null)
                return null;
            if (typeof only === 'number')
                return Number.isFinite(only) ? only : null;
        }
    }
    return undefined;
}
function dig(value, path) {
    let v = value;
    for (const k of path) {
        if (!(0,provider/* isRecord */.u4)(v))
            return undefined;
        v = v[k];
    }
    return v;
}

;// CONCATENATED MODULE: ./src/rollout/metric-spec.ts


const METRIC_TIMEOUT_MS = 10_000;
/** The shortest default window: most backends aggregate per minute. */
const MIN_DEFAULT_WINDOW_MS = 60_000;
/** `${window.*}` values: ISO 8601 and Unix seconds. */
function windowValues(w) {
    return {
        start: new Date(w.startMs).toISOString(),
        end: new Date(w.endMs).toISOString(),
        start_epoch: String(Math.floor(w.startMs / 1000)),
        end_epoch: String(Math.floor(w.endMs / 1000))
    };
}
/**
 * The window of a source: its own `window`, else the look interval, never
 * under a minute (a shorter range usually holds no point at all).
 */
function metricWindow(metric, lookMs, nowMs) {
    const own = metric.prometheus?.window ??
        metric.http?.window ??
        metric.datadog?.window ??
        metric.newrelic?.window ??
        metric.cloudwatch?.window;
    const ms = own ?? Math.max(lookMs, MIN_DEFAULT_WINDOW_MS);
    return { startMs: nowMs - ms, endMs: nowMs };
}
/**
 * The spec and the credentials in it (masked by the caller even when the
 * config wrote them out rather than as `${secrets.X}`). Throws with a
 * one-line reason when the source cannot be built.
 */
function metricSpec(metric, t) {
    const { str } = t;
    const headers = (h) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, str(v)]));
    if (metric.prometheus) {
        const p = metric.prometheus;
        return {
            spec: {
                kind: 'prometheus',
                url: str(p.url),
                query: str(p.query),
                headers: headers(p.headers),
                timeoutMs: p.timeout ?? METRIC_TIMEOUT_MS
            },
            secrets: []
        };
    }
    if (metric.http) {
        const h = metric.http;
        const hdrs = headers(h.headers);
        let body;
        if (typeof h.body === 'string')
            body = str(h.body);
        else if (h.body !== undefined) {
            body = JSON.stringify(t.deep(h.body));
            const typed = Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-type');
            if (!typed)
                hdrs['content-type'] = 'application/json';
        }
        return {
            spec: {
                kind: 'http-json',
                url: str(h.url),
                path: h.path,
                method: h.method,
                headers: hdrs,
                ...(body === undefined ? {} : { body }),
                timeoutMs: h.timeout ?? METRIC_TIMEOUT_MS
            },
            secrets: []
        };
    }
    if (metric.datadog)
        return datadog(metric.datadog, t);
    if (metric.newrelic)
        return newrelic(metric.newrelic, t);
    if (metric.cloudwatch)
        return cloudwatch(metric.cloudwatch, t);
    return undefined;
}
function datadog(d, { str, window }) {
    const apiKey = str(d['api-key']);
    const appKey = str(d['app-key']);
    return {
        spec: {
            kind: 'datadog',
            url: d.url !== undefined
                ? str(d.url)
                : datadogBaseUrl(str(d.site ?? 'datadoghq.com')),
            query: str(d.query),
            apiKey,
            appKey,
            from: Math.floor(window.startMs / 1000),
            to: Math.floor(window.endMs / 1000),
            timeoutMs: d.timeout ?? METRIC_TIMEOUT_MS
        },
        secrets: [apiKey, appKey]
    };
}
function newrelic(n, { str }) {
    const apiKey = str(n['api-key']);
    return {
        spec: {
            kind: 'newrelic',
            url: n.url !== undefined ? str(n.url) : NEWRELIC_URLS[n.region],
            account: n.account,
            nrql: str(n.nrql),
            apiKey,
            ...(n.field === undefined ? {} : { field: n.field }),
            timeoutMs: n.timeout ?? METRIC_TIMEOUT_MS
        },
        secrets: [apiKey]
    };
}
function cloudwatch(c, { str, env, window }) {
    const accessKeyId = env.AWS_ACCESS_KEY_ID ?? '';
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? '';
    const sessionToken = env.AWS_SESSION_TOKEN;
    if (accessKeyId === '' || secretAccessKey === '') {
        throw new Error('cloudwatch: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (aws-actions/configure-aws-credentials sets them)');
    }
    const region = c.region !== undefined
        ? str(c.region)
        : (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '');
    if (region === '') {
        throw new Error("cloudwatch: no region: set 'region' or AWS_REGION");
    }
    const dimensions = Object.fromEntries(Object.entries(c.dimensions ?? {}).map(([k, v]) => [k, str(v)]));
    const session = sessionToken !== undefined && sessionToken !== '';
    return {
        spec: {
            kind: 'cloudwatch',
            region,
            ...(c.url === undefined ? {} : { url: str(c.url) }),
            namespace: str(c.namespace),
            metric: str(c.metric),
            dimensions,
            stat: c.stat,
            periodSeconds: Math.max(1, Math.round(c.period / 1000)),
            start: window.startMs,
            end: window.endMs,
            credentials: {
                accessKeyId,
                secretAccessKey,
                ...(session ? { sessionToken } : {})
            },
            timeoutMs: c.timeout ?? METRIC_TIMEOUT_MS
        },
        secrets: [accessKeyId, secretAccessKey, ...(session ? [sessionToken] : [])]
    };
}

// EXTERNAL MODULE: ./src/config/urls.ts
var urls = __webpack_require__(2594);
;// CONCATENATED MODULE: ./src/probes/resolve-http.ts

/** Burst requests in flight at once when the config does not say. */
const BURST_CONCURRENCY = 100;
/** The request fields of a step, with the probe's shared settings under it. */
function stepRequest(probe, step) {
    const { name: _n, capture: _c, ...own } = step;
    return {
        ...own,
        headers: { ...probe.headers, ...own.headers },
        ...pick('timeout', probe, own),
        ...pick('tls', probe, own),
        ...pick('retries', probe, own),
        ...pick('max-body', probe, own),
        ...pick('allow-hosts', probe, own)
    };
}
function pick(key, probe, step) {
    const v = step[key] ?? probe[key];
    return v === undefined ? {} : { [key]: v };
}
/**
 * Chained requests. Each step renders with this moment's values plus the
 * captures so far; a missing capture cannot happen at run time, since the
 * config checks place every `${capture.X}` after the step that captures it.
 */
function resolveHttpFlow(name, probe, steps, opts) {
    const out = steps.map((step, i) => {
        const captures = Object.entries(step.capture ?? {}).map(([cname, c]) => c.from === 'json'
            ? { name: cname, from: 'json', path: c.path, secret: c.secret }
            : { name: cname, from: 'header', header: c.name, secret: c.secret });
        const n = steps.length;
        const label = step.name !== undefined
            ? `step '${step.name}' (${i + 1} of ${n})`
            : `step ${i + 1} of ${n} (${step.method})`;
        return {
            label,
            captures,
            build: (captured) => {
                const r = new resolve/* Renderer */.A4({
                    ...opts,
                    values: { ...opts.values, capture: captured }
                });
                const spec = (0,resolve/* renderHttpRequest */.u$)(stepRequest(probe, step), r);
                return { spec, secrets: r.secrets };
            }
        };
    });
    return { kind: 'http-flow', name, steps: out };
}
/** A burst: the probe's one request, rendered now, sent `requests` times. */
function resolveHttpBurst(name, probe, burst, r) {
    const request = (0,resolve/* renderHttpRequest */.u$)(probe, r);
    return {
        kind: 'http-burst',
        name,
        request: { ...request, retry: { ...request.retry, attempts: 1 } },
        requests: burst.requests,
        concurrency: Math.min(burst.requests, burst.concurrency ?? BURST_CONCURRENCY),
        ...(burst.rate !== undefined ? { rate: burst.rate } : {}),
        status: burst.expect.status,
        ...(burst.expect['at-least'] ? { atLeast: burst.expect['at-least'] } : {}),
        ...(burst.expect['at-most'] ? { atMost: burst.expect['at-most'] } : {})
    };
}

;// CONCATENATED MODULE: ./src/probes/resolve.ts





/** Defaults for what the config leaves out; documented in the README. */
const PROBE_DEFAULTS = {
    http: resolve/* HTTP_DEFAULTS */.uA,
    websocket: {
        connectTimeoutMs: 10_000,
        maxMessageBytes: 1024 * 1024,
        withinMs: 5_000
    },
    command: { timeoutMs: 5 * 60_000 }
};
class ResolveError extends errors/* ConfigError */.xL {
}
/**
 * Resolves one probe. Load probes are resolved by the load engine's own
 * mapping; this covers the probes that are sampled one request at a time.
 */
function resolveProbe(name, probe, opts) {
    const r = new resolve/* Renderer */.A4(opts);
    try {
        const http = probe.http;
        if (http?.steps) {
            const spec = resolveHttpFlow(name, http, http.steps, opts);
            return { ok: true, spec, secrets: checkFlow(spec) };
        }
        if (http?.url !== undefined) {
            const one = { ...http, url: http.url };
            const spec = http.burst
                ? resolveHttpBurst(name, one, http.burst, r)
                : { kind: 'http', name, ...(0,resolve/* renderHttpRequest */.u$)(one, r) };
            return { ok: true, spec, secrets: r.secrets };
        }
        if (probe.websocket) {
            const w = probe.websocket;
            const d = PROBE_DEFAULTS.websocket;
            const kind = w.protocol === 'socket.io' ? 'socket.io' : 'websocket';
            const steps = w.steps.map((s, i) => wsStep(s, i, (v, what) => r.deep(v, what), (t, what) => r.str(t, what), d.withinMs));
            const spec = {
                kind: 'websocket',
                name,
                url: r.url(w.url, kind),
                protocol: w.protocol,
                headers: r.headers(w.headers),
                subprotocols: w.subprotocols ?? [],
                connectTimeoutMs: w.timeout ?? d.connectTimeoutMs,
                maxMessageBytes: w['max-message'] ?? d.maxMessageBytes,
                tls: r.tls(w.tls),
                steps,
                ...(w['push-latency'] ? { pushLatency: w['push-latency'] } : {})
            };
            return { ok: true, spec, secrets: r.secrets };
        }
        if (probe.command) {
            const spec = {
                kind: 'command',
                name,
                run: probe.command.run,
                timeoutMs: probe.command.timeout ?? PROBE_DEFAULTS.command.timeoutMs,
                exitCode: probe.command['exit-code']
            };
            return { ok: true, spec, secrets: [] };
        }
        return {
            ok: false,
            error: `probe '${name}' is a load probe; it runs through the load engine`
        };
    }
    catch (e) {
        if (e instanceof resolve/* RenderError */.vH) {
            return { ok: false, error: `probe '${name}' ${e.message}` };
        }
        throw e;
    }
}
/**
 * Renders every step once with stand-ins for the captures, so that a secret
 * that is not set fails the probe before its first request changes anything,
 * and every secret a step reads is masked before the probe runs.
 */
function checkFlow(spec) {
    const stand = {};
    const secrets = [];
    for (const step of spec.steps) {
        try {
            secrets.push(...step.build(stand).secrets);
        }
        catch (e) {
            if (e instanceof resolve/* RenderError */.vH) {
                throw new resolve/* RenderError */.vH(`${step.label}: ${e.message}`);
            }
            throw e;
        }
        for (const c of step.captures)
            stand[c.name] = { value: 'x', secret: false };
    }
    return unique(secrets);
}
function wsStep(s, i, deep, str, withinMs) {
    const where = `steps[${i}]`;
    if (s.send) {
        return 'json' in s.send
            ? { kind: 'send', json: deep(s.send.json, `${where}.send`) }
            : { kind: 'send', text: str(s.send.text, `${where}.send`) };
    }
    if (s.emit) {
        return {
            kind: 'emit',
            event: str(s.emit.event, `${where}.emit.event`),
            ...(s.emit.data !== undefined
                ? { data: deep(s.emit.data, `${where}.emit`) }
                : {})
        };
    }
    if (s.receive) {
        const { within, json, data, regex, event } = s.receive;
        return {
            kind: 'receive',
            withinMs: within ?? withinMs,
            ...(json !== undefined ? { json: deep(json, `${where}.receive`) } : {}),
            ...(data !== undefined ? { data: deep(data, `${where}.receive`) } : {}),
            ...(regex !== undefined ? { regex } : {}),
            ...(event !== undefined
                ? { event: str(event, `${where}.receive.event`) }
                : {})
        };
    }
    if (s.silence) {
        const sil = s.silence;
        return {
            kind: 'silence',
            forMs: sil.for,
            ...(sil.json !== undefined
                ? { json: deep(sil.json, `${where}.silence`) }
                : {}),
            ...(sil.data !== undefined
                ? { data: deep(sil.data, `${where}.silence`) }
                : {}),
            ...(sil.regex !== undefined ? { regex: sil.regex } : {}),
            ...(sil.event !== undefined
                ? { event: str(sil.event, `${where}.silence.event`) }
                : {})
        };
    }
    if (s.ping !== undefined) {
        return { kind: 'ping', withinMs: s.ping?.within ?? withinMs };
    }
    const close = s.close;
    return close && typeof close === 'object'
        ? {
            kind: 'close',
            ...(close.code !== undefined ? { code: close.code } : {}),
            ...(close.reason !== undefined ? { reason: close.reason } : {})
        }
        : { kind: 'close' };
}
function unique(xs) {
    return [...new Set(xs)];
}
/** Defaults of load probes. */
const LOAD_DEFAULTS = {
    maxInFlight: 256,
    timeoutMs: 10_000,
    rampMs: 0
};
/** Resolves a load probe (HTTP at a fixed rate, or WebSocket connections). */
function resolveLoad(name, probe, opts) {
    const load = probe.load;
    if (!load)
        return { ok: false, error: `probe '${name}' is not a load probe` };
    const secrets = [];
    const str = (t, what) => {
        const r = (0,interpolate/* render */.XX)(t, opts.values);
        if (!r.ok)
            throw new ResolveError(`probe '${name}' ${what}: ${r.error}`);
        secrets.push(...r.secrets);
        return r.value;
    };
    const headers = (h) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, str(v, `header '${k}'`)]));
    const url = (t, kind) => {
        const v = str(t, 'url');
        const why = (0,urls/* checkUrl */.CU)(v, kind, {}, { allowUserinfo: true });
        if (why)
            throw new ResolveError(`probe '${name}' url: ${why}`);
        return v;
    };
    try {
        if (load.http) {
            const h = load.http;
            const spec = {
                kind: 'load-http',
                name,
                url: url(h.url, 'http'),
                method: h.method,
                headers: headers(h.headers),
                ...(h.body !== undefined ? { body: str(h.body, 'body') } : {}),
                rate: h.rate,
                durationMs: h.duration,
                maxInFlight: h['max-in-flight'] ?? LOAD_DEFAULTS.maxInFlight,
                timeoutMs: h.timeout ?? LOAD_DEFAULTS.timeoutMs,
                ...(h.tls !== undefined ? { tls: loadTls(name, h.tls, opts) } : {})
            };
            return { ok: true, spec, secrets: unique(secrets) };
        }
        if (load.websocket) {
            const w = load.websocket;
            const message = w.message === undefined
                ? undefined
                : typeof w.message === 'string'
                    ? str(w.message, 'message')
                    : JSON.stringify(w.message.json);
            const spec = {
                kind: 'load-ws',
                name,
                url: url(w.url, 'websocket'),
                headers: headers(w.headers),
                connections: w.connections,
                durationMs: w.duration,
                rampMs: w.ramp ?? LOAD_DEFAULTS.rampMs,
                ...(message !== undefined ? { message } : {}),
                ...(w.interval !== undefined ? { intervalMs: w.interval } : {}),
                ...(w.tls !== undefined ? { tls: loadTls(name, w.tls, opts) } : {}),
                ...(w['push-latency'] ? { pushLatency: w['push-latency'] } : {})
            };
            return { ok: true, spec, secrets: unique(secrets) };
        }
        return {
            ok: false,
            error: `probe '${name}' needs load.http or load.websocket`
        };
    }
    catch (e) {
        if (e instanceof ResolveError)
            return { ok: false, error: e.message };
        throw e;
    }
}
/**
 * A load probe's `tls:` as its connections use it, the CA file read now.
 * Why it matters: without it, load against a private CA connects 0 of N.
 * `min-days-valid` is an HTTP probe check and has no meaning under load.
 */
/** A load probe's TLS settings, read as the HTTP client reads a request's. */
function loadTls(name, t, opts) {
    try {
        return new resolve/* Renderer */.A4(opts).tls(t);
    }
    catch (e) {
        if (e instanceof resolve/* RenderError */.vH) {
            throw new ResolveError(`probe '${name}' ${e.message}`);
        }
        throw e;
    }
}

// EXTERNAL MODULE: ./src/kernel/runner.ts
var kernel_runner = __webpack_require__(6095);
;// CONCATENATED MODULE: ./src/rollout/context.ts





class GateContext {
    config;
    values;
    io;
    redactor;
    signal;
    dryRun;
    weight = 0;
    step;
    /** What the canary's baseline track measured last, for the watch. */
    baselineBeforePromotion;
    /**
     * Aborted by a second signal: the rollback then stops waiting (verify,
     * pauses between attempts) and says what it left undone.
     */
    hurry;
    constructor(config, values, io, redactor, signal, dryRun = false) {
        this.config = config;
        this.values = values;
        this.io = io;
        this.redactor = redactor;
        this.signal = signal;
        this.dryRun = dryRun;
    }
    get clock() {
        return this.io.clock;
    }
    redact = (s) => this.redactor.redact(s);
    /** Why the run was cancelled, in the words every report uses. */
    cancelReason() {
        return `cancelled (${String(this.signal.reason?.message ?? 'signal')})`;
    }
    builtins(extra = {}) {
        return {
            version: this.values.version,
            ...(this.values.previousVersion !== undefined
                ? { previous_version: this.values.previousVersion }
                : {}),
            environment: this.values.environment,
            sha: this.values.sha,
            service: this.values.service,
            weight: String(this.weight),
            ...(this.step !== undefined ? { step: String(this.step) } : {}),
            ...extra
        };
    }
    renderValues(track) {
        const overlay = track === undefined
            ? {}
            : (this.config.gates.canary?.analysis?.tracks?.[track] ?? {});
        return {
            vars: { ...this.config.vars, ...overlay },
            env: this.io.env,
            builtins: this.builtins(track ? { track } : {})
        };
    }
    /** The DEPLOY_GATES_* variables every command sees. */
    commandEnv(gate) {
        const b = this.builtins();
        const env = {
            DEPLOY_GATES_VERSION: this.values.version,
            DEPLOY_GATES_ENVIRONMENT: this.values.environment,
            DEPLOY_GATES_SHA: this.values.sha,
            DEPLOY_GATES_SERVICE: this.values.service,
            DEPLOY_GATES_WEIGHT: b.weight ?? '0',
            DEPLOY_GATES_GATE: gate
        };
        if (this.values.previousVersion !== undefined) {
            env.DEPLOY_GATES_PREVIOUS_VERSION = this.values.previousVersion;
        }
        if (this.step !== undefined)
            env.DEPLOY_GATES_STEP = String(this.step);
        return env;
    }
    /**
     * Runs a shell command of the config, with live lines to reporters.
     * Hooks and confirm add their own variables (the event document) with
     * `extra.env`; a confirm command only asks, so it runs in a dry run too.
     */
    async command(gate, run, timeoutMs, signal = this.signal, extra = {}) {
        const looks = gate === 'smoke' || gate === 'preflight' || extra.inDryRun;
        if (this.dryRun && looks !== true) {
            // Dry-run measures and reports; it never runs what changes things.
            // Smoke tests and preflight checks only look, so they run.
            return {
                outcome: 'ok',
                exitCode: 0,
                signal: null,
                durationMs: 0,
                tail: [],
                reason: 'dry-run: not run'
            };
        }
        return this.io.runCommand({
            run,
            env: { ...this.commandEnv(gate), ...extra.env },
            cwd: this.io.workspace,
            timeoutMs,
            signal,
            redact: this.redact,
            onLines: (lines) => {
                void this.emit({ type: 'log', gate, lines, at: this.clock.now() });
            },
            ...(this.io.logWritten ? { whenWritten: this.io.logWritten } : {})
        });
    }
    /** Resolves and runs one named probe, optionally against a track. */
    async probe(name, opts = {}) {
        const cfg = this.config.probes[name];
        const startedAt = this.clock.now();
        const fail = (reason) => ({
            probe: name,
            kind: 'http',
            ok: false,
            error: true,
            reason: this.redact(reason),
            attempts: 0,
            startedAt,
            timings: { totalMs: 0 }
        });
        if (!cfg)
            return fail(`probe '${name}' is not defined`);
        const resolved = resolveProbe(name, cfg, {
            values: this.renderValues(opts.track),
            readFile: (p) => this.io.readFile(p)
        });
        if (!resolved.ok)
            return fail(resolved.error);
        for (const s of resolved.secrets)
            this.redactor.add(s);
        const spec = resolved.spec;
        const from = this.io.probeClock.monotonic();
        const sample = await this.io.runProbe(spec, {
            clock: this.io.probeClock,
            redact: this.redact,
            mask: (s) => this.redactor.add(s),
            signal: opts.signal ?? this.signal,
            env: spec.kind === 'command'
                ? {
                    ...this.commandEnv('smoke'),
                    ...(opts.track ? { DEPLOY_GATES_TRACK: opts.track } : {})
                }
                : this.io.env,
            // Deadlines are kept in the pipeline's clock; probes measure with the
            // probe clock, so pass on the time that remains, not the instant.
            ...(opts.deadline !== undefined
                ? {
                    deadline: this.io.probeClock.monotonic() +
                        Math.max(0, opts.deadline - this.clock.monotonic())
                }
                : {})
        });
        const stall = this.runner.stallDuring(from, this.io.probeClock.monotonic());
        return stall > 0 ? { ...sample, runnerStallMs: Math.round(stall) } : sample;
    }
    /** The runner's health, or one that never stalls when none is watched. */
    get runner() {
        return this.io.runner ?? kernel_runner/* idleRunner */.jt;
    }
    /** Runs a named load probe once and judges it by its `expect`. */
    async load(name, signal = this.signal) {
        const cfg = this.config.probes[name];
        if (!cfg?.load)
            return { ok: false, reason: `probe '${name}' is not a load probe` };
        const resolved = resolveLoad(name, cfg, {
            values: this.renderValues(),
            readFile: (p) => this.io.readFile(p)
        });
        if (!resolved.ok)
            return { ok: false, reason: this.redact(resolved.error) };
        for (const s of resolved.secrets)
            this.redactor.add(s);
        const r = await this.io.runLoad(resolved.spec, cfg.load.expect ?? {}, {
            redact: this.redact,
            signal
        });
        return { ok: r.ok, reason: this.redact(r.reason) };
    }
    /**
     * Reads one external metric for a track over a window ending now (the
     * source's `window`, else `lookMs`, at least a minute); template errors
     * are errors.
     */
    async metric(metric, track, signal = this.signal, lookMs = 0) {
        const window = metricWindow(metric, lookMs, this.io.probeClock.now());
        const values = { ...this.renderValues(track), window: windowValues(window) };
        const at = this.clock.now();
        const secrets = [];
        const str = (t) => {
            const r = (0,interpolate/* render */.XX)(t, values);
            if (!r.ok)
                throw new errors/* ConfigError */.xL(r.error);
            secrets.push(...r.secrets);
            return r.value;
        };
        const deep = (v) => {
            const r = (0,interpolate/* renderDeep */.PQ)(v, values);
            if (!r.ok)
                throw new Error(r.error);
            secrets.push(...r.secrets);
            return r.value;
        };
        let spec;
        try {
            const built = metricSpec(metric, { str, deep, env: this.io.env, window });
            if (!built)
                return { kind: 'error', reason: 'metric has no source', at };
            spec = built.spec;
            secrets.push(...built.secrets);
        }
        catch (e) {
            for (const s of secrets)
                this.redactor.add(s);
            return { kind: 'error', reason: this.redact((0,errors/* errorMessage */.gJ)(e)), at };
        }
        for (const s of secrets)
            this.redactor.add(s);
        // A provider that asked us to wait (429/503 with Retry-After) is not
        // asked again before then: the look repeats its refusal, which still
        // counts against `error-limit`, and the provider is not hammered.
        const key = track ?? 'canary';
        const waiting = this.backoff.get(metric)?.get(key);
        if (waiting && at < waiting.until) {
            const left = Math.ceil((waiting.until - at) / 1000);
            return {
                ...waiting.reading,
                reason: `${waiting.reading.reason} (not asked again for ${left}s)`,
                at
            };
        }
        const reading = await this.io.readMetric(spec, {
            clock: this.io.probeClock,
            redact: this.redact,
            signal
        });
        if (reading.kind === 'error' && reading.retryAfterMs !== undefined) {
            const byTrack = this.backoff.get(metric) ?? new Map();
            byTrack.set(key, { until: at + reading.retryAfterMs, reading });
            this.backoff.set(metric, byTrack);
        }
        else {
            this.backoff.get(metric)?.delete(key);
        }
        // Stamped with the look's time on the rollout's clock, as probe samples
        // are: trends (`growth > 5%/h`) are per hour of the bake, on any clock.
        return { ...reading, at };
    }
    /** Per metric and track: when its source may be asked again. */
    backoff = new WeakMap();
    /** Sends an event to every reporter; a reporter failure is only a warning. */
    async emit(event) {
        for (const r of this.io.reporters) {
            try {
                await r.onEvent(event);
            }
            catch (e) {
                this.io.warn(`reporter failed on '${event.type}': ${this.redact((0,errors/* errorMessage */.gJ)(e))}`);
            }
        }
    }
}

// EXTERNAL MODULE: ./src/config/schema.ts + 5 modules
var schema = __webpack_require__(4720);
;// CONCATENATED MODULE: ./src/rollout/gate.ts
/** The run goes on to the next gate after this result. */
function goesOn(result) {
    return (result.kind === 'passed' ||
        result.kind === 'warned' ||
        result.kind === 'skipped');
}
/**
 * The result a report stands for. A report of a gate cut short by the
 * cancellation is `cancelled` whatever its outcome says, so nobody has to
 * recognise a cancellation by its wording.
 */
function resultOf(report, opts = {}) {
    const changed = opts.changed ? { changed: opts.changed } : {};
    if (opts.cancelled)
        return { kind: 'cancelled', report, ...changed };
    return { kind: report.outcome, report, ...changed };
}
/**
 * Most gates run once and end with one report: this starts the gate, runs
 * its body and records the report, so the body says only what it checks.
 */
function oneReportGate(gate) {
    return {
        name: gate.name,
        section: gate.section,
        async run(run) {
            const refused = await run.start();
            if (refused) {
                const kept = await run.record(refused);
                return resultOf(kept, { cancelled: run.ctx.signal.aborted });
            }
            const end = await gate.run(run);
            await run.record(end.report);
            return resultOf(end.report, end);
        }
    };
}

;// CONCATENATED MODULE: ./src/rollout/look-series.ts
/** Looks kept per bake before thinning; charts show far fewer. */
const MAX_LOOKS = 400;
class LookSeries {
    hasBaseline;
    at = [];
    metrics = new Map();
    constructor(hasBaseline) {
        this.hasBaseline = hasBaseline;
    }
    /** One look, `ms` after the bake started. */
    add(ms, live) {
        const index = this.at.length;
        this.at.push(ms);
        for (const [name, v] of Object.entries(live.metrics)) {
            let m = this.metrics.get(name);
            if (!m) {
                // A metric seen first at a later look had no value before it.
                const empty = () => new Array(index).fill(null);
                m = {
                    name,
                    kind: v.kind,
                    source: v.source,
                    canary: empty(),
                    ...(this.hasBaseline ? { baseline: empty() } : {}),
                    threshold: empty()
                };
                this.metrics.set(name, m);
            }
            m.canary.push(finite(v.canary));
            m.baseline?.push(finite(v.baseline));
            m.threshold?.push(finite(v.threshold));
        }
        for (const m of this.metrics.values()) {
            while (m.canary.length < this.at.length) {
                m.canary.push(null);
                m.baseline?.push(null);
                m.threshold?.push(null);
            }
        }
        if (this.at.length > MAX_LOOKS)
            this.thin();
    }
    /** The record, or undefined when no look had a value. */
    result() {
        const metrics = [...this.metrics.values()]
            .filter((m) => m.canary.some((v) => v !== null))
            .map((m) => {
            const out = {
                name: m.name,
                kind: m.kind,
                source: m.source,
                canary: [...m.canary]
            };
            if (m.baseline)
                out.baseline = [...m.baseline];
            if (m.threshold?.some((v) => v !== null)) {
                out.threshold = [...m.threshold];
            }
            return out;
        });
        if (metrics.length === 0)
            return undefined;
        return { at: [...this.at], metrics };
    }
    thin() {
        const last = this.at.length - 1;
        const keep = (_, i) => i % 2 === 0 || i === last;
        const at = this.at.filter(keep);
        this.at.splice(0, this.at.length, ...at);
        for (const m of this.metrics.values()) {
            m.canary = m.canary.filter(keep);
            if (m.baseline)
                m.baseline = m.baseline.filter(keep);
            if (m.threshold)
                m.threshold = m.threshold.filter(keep);
        }
    }
}
function finite(v) {
    return v !== undefined && Number.isFinite(v) ? v : null;
}

;// CONCATENATED MODULE: ./src/rollout/bake.ts
/**
 * A bake: sample the tracks every `interval`, feed the judge, show progress,
 * and stop as soon as the judge is sure (or the time is up). Shared by the
 * canary steps and the soak, which differ only in what they watch.
 */




/** Runs one bake to its verdict. */
async function bake(ctx, spec) {
    // The judge (and its histograms) load only when a bake runs.
    const { buildJudge } = await Promise.all(/* import() */[__webpack_require__.e(960), __webpack_require__.e(102)]).then(__webpack_require__.bind(__webpack_require__, 9102));
    const judge = buildJudge({
        metrics: spec.metrics,
        confidence: spec.confidence,
        minSamples: spec.minSamples,
        decideEarly: spec.decideEarly,
        errorLimit: spec.errorLimit,
        onNoData: spec.onNoData,
        hasBaseline: spec.tracks.includes('baseline')
    });
    const start = ctx.clock.monotonic();
    const planned = Math.floor(spec.durationMs / spec.intervalMs) + 1;
    const longest = start + spec.durationMs * Math.max(1, spec.maxBake);
    let end = start + spec.durationMs;
    let extended = false;
    const runner = ctx.runner.window();
    const loads = startLoads(ctx, spec.load ?? []);
    let decision = 'continue';
    let looks = 0;
    const series = new LookSeries(spec.tracks.includes('baseline'));
    // The runner, not the service, fell behind: looks came late because
    // this process stalled, or samples were set aside for its stalls.
    const runnerFellBehind = () => judge.setAside().setAside > 0 ||
        (looks < planned && runner.current().lagMaxMs >= kernel_runner/* RUNNER_STALL_MS */.D2);
    while (!ctx.signal.aborted) {
        const lookStart = ctx.clock.monotonic();
        await Promise.all(spec.tracks.map(async (track) => {
            const judged = track ?? 'canary';
            const samples = await Promise.all(spec.probes.map((p) => ctx.probe(p, {
                ...(track ? { track } : {}),
                deadline: lookStart + spec.intervalMs
            })));
            for (const s of samples)
                judge.addSample(judged, s, ctx.clock.now());
            for (const [name, m] of Object.entries(spec.metrics)) {
                if ((0,schema/* sourcesOf */.u0)(m).length === 0)
                    continue;
                judge.addReading(name, judged, await ctx.metric(m, track ?? spec.metricTrack, ctx.signal, spec.intervalMs));
            }
        }));
        looks += 1;
        const look = judge.look(ctx.clock.now());
        decision = look.decision;
        const now = ctx.clock.monotonic();
        // One read of the live values per look, for the progress line and the
        // chart alike.
        const seen = judge.live();
        series.add(lookStart - start, seen);
        const busy = (0,kernel_runner/* runnerBusyText */.Vi)(runner.current(), judge.setAside());
        await ctx.emit({
            type: 'progress',
            gate: spec.gate,
            ...(spec.step !== undefined ? { step: spec.step } : {}),
            elapsedMs: now - start,
            remainingMs: Math.max(0, end - now),
            values: busy
                ? { ...seen.values, runner: busy.replace(/^runner /, '') }
                : seen.values,
            at: ctx.clock.now()
        });
        spec.onLook?.(now - start);
        if (decision !== 'continue' || spec.until?.aborted)
            break;
        if (extended && !judge.shortOfSamples())
            break;
        if (now >= end) {
            // Too few samples because the runner was busy is not missing data:
            // bake on, up to max-bake, on both tracks alike.
            if (!extended &&
                end < longest &&
                judge.shortOfSamples() &&
                runnerFellBehind()) {
                extended = true;
                end = longest;
            }
            else
                break;
        }
        const wait = Math.min(spec.intervalMs - (now - lookStart), end - now);
        try {
            const stop = spec.until
                ? AbortSignal.any([ctx.signal, spec.until])
                : ctx.signal;
            await ctx.clock.sleep(Math.max(0, wait), stop);
        }
        catch {
            break;
        }
    }
    const loadFindings = await loads.stop();
    const load = runner.close();
    const verdict = judge.final(ctx.clock.now());
    let outcome = verdict.outcome;
    let reason = verdict.reason;
    const cancelled = ctx.signal.aborted && decision === 'continue';
    const busy = (0,kernel_runner/* runnerBusyText */.Vi)(load, judge.setAside());
    const runnerShort = !cancelled && judge.shortOfSamples() && (extended || runnerFellBehind());
    if (cancelled) {
        // Cut short: what the judge saw so far is not a verdict.
        outcome = 'inconclusive';
        reason = ctx.cancelReason();
    }
    else {
        if (runnerShort) {
            // Still short: say that the runner, not the service, took too few.
            reason = `${reason}; the runner was too busy to take them${busy ? ` (${busy})` : ''}`;
        }
        if (outcome === 'passed' && loadFindings.some((f) => f.level !== 'ok')) {
            outcome = 'warned';
        }
        if (outcome === 'failed' && spec.mode === 'dry-run') {
            outcome = 'warned';
            reason = `dry-run, would have failed: ${reason}`;
        }
        else if (outcome === 'failed' && spec.mode === 'hold-on-fail') {
            outcome = 'held';
        }
    }
    const elapsed = ctx.clock.monotonic() - start;
    const grew = extended
        ? `, extended from ${(0,format/* formatDuration */.a3)(spec.durationMs)}: the runner was busy`
        : '';
    const timing = decision === 'continue'
        ? `after ${(0,format/* formatDuration */.a3)(elapsed)} (${looks} looks${grew})`
        : `early, after ${(0,format/* formatDuration */.a3)(elapsed)} of ${(0,format/* formatDuration */.a3)(spec.durationMs)} (${looks} looks${grew})`;
    const runnerFinding = busy && !runnerShort ? [{ name: 'runner', level: 'ok', reason: busy }] : [];
    const live = judge.live();
    const looked = series.result();
    const baseline = Object.entries(live.metrics).flatMap(([name, m]) => m.baseline === undefined ? [] : [[name, m.baseline]]);
    return {
        report: {
            gate: spec.gate,
            ...(spec.step !== undefined ? { step: spec.step } : {}),
            outcome,
            reason: `${outcome} ${timing}: ${reason}`,
            startedAt: spec.startedAt,
            endedAt: ctx.clock.now(),
            // After an early fail, metrics that had no time to gather samples
            // are not news: leave their "too few samples" out of the report.
            findings: [
                ...(decision === 'fail'
                    ? verdict.findings.filter((f) => f.level !== 'no-data')
                    : verdict.findings),
                ...loadFindings,
                ...runnerFinding
            ],
            ...(looked ? { series: looked } : {})
        },
        cancelled,
        ...(baseline.length ? { baseline: Object.fromEntries(baseline) } : {}),
        ...(spec.step !== undefined
            ? {
                point: {
                    weight: spec.step,
                    canary: {
                        errorRate: live.canary.errorRate,
                        p95Ms: live.canary.p95Ms
                    },
                    baseline: {
                        errorRate: live.baseline?.errorRate,
                        p95Ms: live.baseline?.p95Ms
                    }
                }
            }
            : {})
    };
}
/**
 * Load probes that generate traffic for the whole bake (Flagger's load
 * tester, in the config): each runs in its own worker; stopping aborts the
 * ones still running and reports each as a finding.
 */
function startLoads(ctx, names) {
    const abort = new AbortController();
    const onCancel = () => abort.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    const runs = names.map(async (name) => {
        const r = await ctx.load(name, abort.signal);
        return {
            name: `load ${name}`,
            level: r.ok || abort.signal.aborted ? 'ok' : 'warn',
            reason: `load ${name}: ${r.reason}`
        };
    });
    return {
        async stop() {
            abort.abort(new Error('the bake ended'));
            ctx.signal.removeEventListener('abort', onCancel);
            return Promise.all(runs);
        }
    };
}

;// CONCATENATED MODULE: ./src/rollout/gates/canary.ts


/**
 * Runs the canary steps in order; stops at the first failure or pause, and
 * otherwise ends with the result of its last step.
 */
const canaryGate = {
    name: 'canary',
    section: (config) => config.gates.canary,
    async run(run) {
        const { ctx, section: canary } = run;
        const failed = async (report) => {
            await run.record(report);
            return { kind: 'failed', report };
        };
        const steps = canary.steps
            .map((s, i) => ({ ...s, index: i + 1 }))
            .filter((s) => run.onlyStep === undefined || s.weight === run.onlyStep);
        let last;
        for (const [n, s] of steps.entries()) {
            if (ctx.signal.aborted)
                return { kind: 'cancelled' };
            if (run.oneJob && s.approval && n > 0) {
                const report = {
                    gate: 'canary',
                    step: s.weight,
                    outcome: 'skipped',
                    reason: `paused before ${s.weight}%: step ${s.index} needs an approval (run gate canary with step ${s.weight} after approving)`,
                    startedAt: ctx.clock.now(),
                    endedAt: ctx.clock.now(),
                    findings: []
                };
                await run.record(report);
                return { kind: 'paused', report };
            }
            ctx.weight = s.weight;
            ctx.step = s.index;
            const refused = await run.start(s.weight);
            if (refused) {
                const kept = await run.record(refused);
                return resultOf(kept, { cancelled: ctx.signal.aborted });
            }
            const startedAt = ctx.clock.now();
            if (!run.shifter) {
                return failed({
                    gate: 'canary',
                    step: s.weight,
                    outcome: 'failed',
                    reason: 'no traffic shifter configured',
                    startedAt,
                    endedAt: ctx.clock.now(),
                    findings: []
                });
            }
            const shift = await run.shifter.shift(s.weight, {
                env: ctx.commandEnv('canary'),
                values: ctx.renderValues(),
                signal: ctx.signal,
                redact: ctx.redact,
                onSecrets: (secrets) => secrets.forEach((x) => ctx.redactor.add(x)),
                onLine: (line) => {
                    void ctx.emit({
                        type: 'log',
                        gate: 'canary',
                        lines: [line],
                        at: ctx.clock.now()
                    });
                }
            });
            // Even a failed shift may have applied the weight in part: rollback
            // shifts it back.
            await run.changing({ trafficWeight: s.weight });
            if (!shift.ok) {
                return failed({
                    gate: 'canary',
                    step: s.weight,
                    outcome: 'failed',
                    reason: shift.reason,
                    startedAt,
                    endedAt: ctx.clock.now(),
                    findings: [],
                    ...(shift.logTail ? { logTail: shift.logTail } : {})
                });
            }
            if (s.bake === undefined || !canary.analysis) {
                const report = {
                    gate: 'canary',
                    step: s.weight,
                    outcome: 'passed',
                    reason: `${shift.reason}${s.bake !== undefined ? '; no analysis configured' : ''}`,
                    startedAt,
                    endedAt: ctx.clock.now(),
                    findings: []
                };
                if (s.bake !== undefined)
                    await ctx.clock.sleep(s.bake, ctx.signal).catch(() => undefined);
                last = resultOf(await run.record(report));
                if (!goesOn(last))
                    return last;
                continue;
            }
            const a = canary.analysis;
            const tracks = a.tracks?.baseline
                ? ['canary', 'baseline']
                : ['canary'];
            const baked = await bake(ctx, {
                gate: 'canary',
                step: s.weight,
                startedAt,
                durationMs: s.bake,
                intervalMs: a.interval,
                probes: a.probes ?? [],
                metrics: a.metrics ?? {},
                tracks: [...tracks],
                mode: a.mode,
                onNoData: a['on-no-data'],
                minSamples: a['min-samples'],
                confidence: a.confidence,
                decideEarly: a['decide-early'],
                errorLimit: a['error-limit'],
                maxBake: a['max-bake'],
                load: a.load ?? [],
                prefix: shift.reason
            });
            if (baked.point)
                run.plot(baked.point);
            if (baked.baseline)
                ctx.baselineBeforePromotion = baked.baseline;
            const kept = await run.record(baked.report);
            last = resultOf(kept, { cancelled: baked.cancelled });
            if (!goesOn(last))
                return last;
        }
        if (last)
            return last;
        // No step ran: none has the weight this job was asked for.
        return failed({
            gate: 'canary',
            outcome: 'failed',
            reason: `no canary step has weight ${run.onlyStep} (steps: ${canary.steps.map((s) => s.weight).join(', ')})`,
            startedAt: ctx.clock.now(),
            endedAt: ctx.clock.now(),
            findings: []
        });
    }
};

;// CONCATENATED MODULE: ./src/rollout/gates/command.ts


const DEFAULT_TIMEOUT_MS = 30 * 60_000;
/**
 * A gate that runs its section's `run`, failed when it exits non-zero.
 * `changes` is what the command changes, counted (and saved) before it
 * starts: a command killed halfway may have changed it all the same.
 */
function commandGate(name, changes) {
    return oneReportGate({
        name,
        section: (config) => config.gates[name],
        run: async ({ ctx, section, changing }) => {
            if (changes)
                await changing(changes);
            const startedAt = ctx.clock.now();
            const r = await ctx.command(name, section.run, section.timeout ?? DEFAULT_TIMEOUT_MS);
            const ok = r.outcome === 'ok';
            return {
                report: {
                    gate: name,
                    outcome: ok ? 'passed' : 'failed',
                    reason: ok
                        ? `${name} command succeeded in ${(0,format/* formatDuration */.a3)(r.durationMs)}`
                        : `${name} command ${r.reason}`,
                    startedAt,
                    endedAt: ctx.clock.now(),
                    findings: [],
                    logTail: r.tail
                }
            };
        }
    });
}

;// CONCATENATED MODULE: ./src/rollout/gates/deploy.ts
/**
 * Deploy: the user's deploy command. The rollout counts as deployed before
 * the command starts, so a failure (or a killed run) rolls it back.
 */

/** Runs the deploy command; failed when it exits non-zero. */
const deployGate = commandGate('deploy', { deployed: true });

;// CONCATENATED MODULE: ./src/rollout/until-healthy.ts

/** Runs the probes until healthy or out of time; used by health and verify. */
async function untilHealthy(ctx, gate, spec, signal = ctx.signal) {
    const startedAt = ctx.clock.now();
    const start = ctx.clock.monotonic();
    const deadline = start + spec.withinMs;
    let attempt = 0;
    let last;
    for (;;) {
        attempt += 1;
        last = await Promise.all(spec.probes.map((p) => ctx.probe(p, { deadline, signal })));
        const failing = last.filter((s) => !s.ok);
        if (failing.length === 0) {
            return {
                gate,
                outcome: 'passed',
                reason: `${spec.probes.join(', ')} healthy after ${attempt} attempt${attempt === 1 ? '' : 's'} in ${(0,format/* formatDuration */.a3)(ctx.clock.monotonic() - start)}`,
                startedAt,
                endedAt: ctx.clock.now(),
                findings: probeFindings(last)
            };
        }
        const remaining = deadline - ctx.clock.monotonic();
        if (remaining <= 0 || signal.aborted) {
            return {
                gate,
                outcome: 'failed',
                reason: `not healthy within ${(0,format/* formatDuration */.a3)(spec.withinMs)} (${attempt} attempts): ${failing.map((s) => `${s.probe}: ${s.reason}`).join('; ')}`,
                startedAt,
                endedAt: ctx.clock.now(),
                findings: probeFindings(last)
            };
        }
        await ctx.emit({
            type: 'progress',
            gate,
            elapsedMs: ctx.clock.monotonic() - start,
            remainingMs: remaining,
            values: Object.fromEntries(last.map((s) => [s.probe, s.ok ? 'ok' : s.reason])),
            at: ctx.clock.now()
        });
        try {
            await ctx.clock.sleep(Math.min(spec.intervalMs, remaining), signal);
        }
        catch {
            // Aborted: the loop ends at the check above.
        }
    }
}
/** One finding per probe sample, for reports. */
function probeFindings(samples) {
    return samples.map((s) => ({
        name: `probe ${s.probe}`,
        level: s.ok ? 'ok' : 'fail',
        value: `${Math.round(s.timings.totalMs)}ms`,
        reason: s.ok
            ? `${s.probe} ok in ${Math.round(s.timings.totalMs)}ms${statusOf(s)}`
            : `${s.probe}: ${s.reason}`
    }));
}
/** ` (200)` after a passing HTTP or WebSocket probe; commands have none. */
function statusOf(s) {
    return s.kind !== 'command' && s.status ? ` (${s.status})` : '';
}

;// CONCATENATED MODULE: ./src/rollout/gates/health.ts
/**
 * Health: after the deploy, wait until the health probes pass, within the
 * configured time, so a service that is still starting gets its time.
 */


/** Probes until healthy; failed when `within` runs out first. */
const healthGate = oneReportGate({
    name: 'health',
    section: (config) => config.gates.health,
    run: async ({ ctx, section }) => ({
        report: await untilHealthy(ctx, 'health', {
            probes: section.probes,
            withinMs: section.within,
            intervalMs: section.interval
        })
    })
});

;// CONCATENATED MODULE: ./src/rollout/gates/migrate.ts


/** Runs backup → run (→ revert on failure). */
const migrateGate = oneReportGate({
    name: 'migrate',
    section: (config) => config.gates.migrate,
    run: async ({ ctx, section: m, changes, changing }) => {
        // Counted as changed before it runs: a migration that dies halfway
        // has changed the database all the same.
        await changing({ migrated: true });
        const startedAt = ctx.clock.now();
        const ended = (outcome, reason, logTail, changed) => ({
            report: {
                gate: 'migrate',
                outcome,
                reason,
                startedAt,
                endedAt: ctx.clock.now(),
                findings: [],
                logTail
            },
            changed: {
                migrated: changed.migrated,
                migrationReverted: changed.migrationReverted,
                // A dry run applies nothing a re-run could skip.
                migrationApplied: changed.applied && !ctx.dryRun
            }
        });
        if (changes.migrationApplied) {
            return ended('skipped', `an earlier run of ${ctx.values.version} applied the migration and nothing reverted it; not run again`, [], { migrated: true, migrationReverted: false, applied: true });
        }
        if (m.backup) {
            const b = await ctx.command('migrate', m.backup, m.timeout);
            if (b.outcome !== 'ok') {
                return ended('failed', `backup ${b.reason}; the migration did not run`, b.tail, { migrated: false, migrationReverted: false, applied: false });
            }
        }
        const r = await ctx.command('migrate', m.run, m.timeout);
        if (r.outcome === 'ok') {
            return ended('passed', `migration ran in ${(0,format/* formatDuration */.a3)(r.durationMs)}`, r.tail, { migrated: true, migrationReverted: false, applied: true });
        }
        if (!m.revert) {
            return ended('failed', `migration ${r.reason}; no revert is configured`, r.tail, { migrated: true, migrationReverted: false, applied: false });
        }
        const v = await ctx.command('migrate', m.revert, m.timeout, new AbortController().signal);
        return ended('failed', v.outcome === 'ok'
            ? `migration ${r.reason}; revert ran`
            : `migration ${r.reason}; revert ${v.reason}`, [...r.tail, ...v.tail], { migrated: true, migrationReverted: v.outcome === 'ok', applied: false });
    }
});

// EXTERNAL MODULE: ./src/config/window.ts
var config_window = __webpack_require__(4704);
;// CONCATENATED MODULE: ./src/rollout/gates/preflight-refs.ts
/**
 * Every `${secrets.X}` and `${env.X}` a run will render, found before any
 * gate changes anything: a secret that is not mapped would otherwise be met
 * only by the probe that uses it, after the deploy, and health would retry
 * the same error until `within` ran out.
 */

/** Places named per reference before the rest is counted. */
const PLACES_SHOWN = 3;
const CHANGING = new Set([
    'migrate',
    'deploy',
    'canary',
    'promote',
    // A failing watch rolls back: the rollback's verify probes run.
    'watch'
]);
/** The probes the selected gates (and a rollback after them) may run. */
function probesUsed(config, gates) {
    const g = config.gates;
    const names = [
        ...(gates.has('health') ? (g.health?.probes ?? []) : []),
        ...(gates.has('smoke') ? (g.smoke?.probes ?? []) : []),
        ...(gates.has('canary') ? (g.canary?.analysis?.probes ?? []) : []),
        ...(gates.has('canary') ? (g.canary?.analysis?.load ?? []) : []),
        ...(gates.has('soak') ? (g.soak?.probes ?? []) : []),
        ...(gates.has('watch')
            ? (g.watch?.probes ?? g.canary?.analysis?.probes ?? [])
            : []),
        ...([...gates].some((n) => CHANGING.has(n))
            ? (config.rollback?.verify ?? [])
            : [])
    ];
    return [...new Set(names)];
}
/** Template strings the selected gates render, with their config paths. */
function templatesUsed(config, gates) {
    const g = config.gates;
    const refs = [];
    for (const name of probesUsed(config, gates)) {
        const probe = config.probes[name];
        if (probe)
            refs.push(...(0,interpolate/* listReferences */.Xo)(probe, `probes.${name}`));
    }
    if (gates.has('canary')) {
        refs.push(...(0,interpolate/* listReferences */.Xo)(g.canary?.analysis?.metrics, 'gates.canary.analysis.metrics'), ...(0,interpolate/* listReferences */.Xo)(g.canary?.traffic.http, 'gates.canary.traffic.http'));
    }
    if (gates.has('soak')) {
        refs.push(...(0,interpolate/* listReferences */.Xo)(g.soak?.metrics, 'gates.soak.metrics'));
    }
    if (gates.has('watch') && !gates.has('canary')) {
        // The watch reads the canary analysis metrics it names.
        const all = g.canary?.analysis?.metrics ?? {};
        for (const name of g.watch?.metrics ?? Object.keys(all)) {
            refs.push(...(0,interpolate/* listReferences */.Xo)(all[name], `gates.canary.analysis.metrics.${name}`));
        }
    }
    // Hooks called for the selected gates, and the confirms they wait for.
    for (const [name, h] of Object.entries(config.hooks ?? {})) {
        if (h.gates === undefined || h.gates.some((x) => gates.has(x))) {
            refs.push(...(0,interpolate/* listReferences */.Xo)(h.http, `hooks.${name}.http`));
        }
    }
    for (const gate of gates) {
        if (gate === 'preflight')
            continue;
        if (gate === 'canary') {
            g.canary?.steps.forEach((s, i) => refs.push(...(0,interpolate/* listReferences */.Xo)(s.confirm?.http, `gates.canary.steps[${i}].confirm.http`)));
        }
        else {
            refs.push(...(0,interpolate/* listReferences */.Xo)(g[gate]?.confirm?.http, `gates.${gate}.confirm.http`));
        }
    }
    // Any run may end with a notification.
    refs.push(...(0,interpolate/* listReferences */.Xo)({ slack: config.notify?.slack, webhook: config.notify?.webhook }, 'notify'));
    return refs;
}
/** The values a `${vars.X}` may stand for: the var and each track's. */
function varValues(config, name) {
    const out = [];
    const v = config.vars[name];
    if (v !== undefined)
        out.push([`vars.${name}`, v]);
    const tracks = config.gates.canary?.analysis?.tracks ?? {};
    for (const [track, overlay] of Object.entries(tracks)) {
        const t = overlay?.[name];
        if (t !== undefined) {
            out.push([`gates.canary.analysis.tracks.${track}.${name}`, t]);
        }
    }
    return out;
}
/**
 * The references of `gates` (every configured gate for a whole rollout)
 * that the environment leaves unset or empty, in config order. A var that
 * holds a reference counts where the var is used.
 */
function missingReferences(config, env, gates) {
    const byRef = new Map();
    const note = (r, at) => {
        if (r.ns === 'vars')
            return;
        if ((env[r.name] ?? '') !== '')
            return;
        const key = `${r.ns}.${r.name}`;
        const places = byRef.get(key) ?? [];
        if (!places.includes(at))
            places.push(at);
        byRef.set(key, places);
    };
    for (const r of templatesUsed(config, new Set(gates))) {
        if (r.ns !== 'vars') {
            note(r, r.at);
            continue;
        }
        for (const [where, value] of varValues(config, r.name)) {
            for (const inner of (0,interpolate/* listReferences */.Xo)(value, where)) {
                note(inner, `${r.at} via ${where}`);
            }
        }
    }
    return [...byRef].map(([ref, at]) => ({ ref, at }));
}
/**
 * One line naming every missing reference and where it is used, e.g.
 * `secrets not set: secrets.API_TOKEN (probes.api.http.headers.Authorization)`.
 */
function missingReason(missing) {
    const secrets = missing.some((m) => m.ref.startsWith('secrets.'));
    const envs = missing.some((m) => m.ref.startsWith('env.'));
    const what = secrets && envs
        ? 'secrets and environment variables'
        : secrets
            ? 'secrets'
            : 'environment variables';
    const items = missing.map((m) => {
        const shown = m.at.slice(0, PLACES_SHOWN).join(', ');
        const more = m.at.length - PLACES_SHOWN;
        return `${m.ref} (${shown}${more > 0 ? ` and ${more} more` : ''})`;
    });
    // Not `missing secrets: ...`: a sensitive word before a colon reads as a
    // `name: value` line to the redactor, which would mask the whole list.
    return `${what} not set: ${items.join(', ')}; map them in the step's env: before the rollout starts`;
}

// EXTERNAL MODULE: ./src/config/freeze-rules.ts
var freeze_rules = __webpack_require__(6477);
// EXTERNAL MODULE: ./src/config/units.ts
var units = __webpack_require__(4529);
// EXTERNAL MODULE: ./src/analysis/conditions.ts
var conditions = __webpack_require__(9334);
// EXTERNAL MODULE: ./src/analysis/wording.ts
var wording = __webpack_require__(1074);
;// CONCATENATED MODULE: ./src/rollout/preflight-checks.ts
/**
 * Preflight's own checks beyond secrets and the API: recurring freeze rules
 * and the `require` checks (a metric that must meet a condition, or a
 * command that must exit 0). They read and run, never change, so a failure
 * here stops the rollout before migrate or deploy.
 */





/** Commands of `require` get this long unless they say otherwise. */
const CHECK_TIMEOUT_MS = 5 * 60_000;
/** The recurring rules among the `freeze` entries (dates stay in window.ts). */
function freezeRules(p) {
    return (p.window?.freeze ?? []).flatMap((t) => {
        const r = (0,freeze_rules/* parseFreezeEntry */.Zq)(t);
        return r.ok && r.value.kind === 'rule' ? [r.value.rule] : [];
    });
}
/** One finding for the freeze rules, none when there are none. */
function freezeRuleFindings(at, p) {
    const rules = freezeRules(p);
    if (!p.window || rules.length === 0)
        return [];
    const v = (0,freeze_rules/* checkFreezeRules */.rA)(at, rules, p.window.timezone);
    return [
        {
            name: 'freeze rules',
            level: v.open ? 'ok' : 'fail',
            reason: v.open
                ? `outside the freeze rules ${rules.map((r) => `'${r.text}'`).join(', ')}`
                : v.reason
        }
    ];
}
function source(c) {
    if (c.prometheus)
        return `prometheus: ${c.prometheus.query}`;
    if (c.http)
        return `http: ${c.http.url} ${c.http.path}`;
    if (c.datadog)
        return `datadog: ${c.datadog.query}`;
    if (c.newrelic)
        return `newrelic: ${c.newrelic.nrql}`;
    if (c.cloudwatch) {
        return `cloudwatch: ${c.cloudwatch.namespace} ${c.cloudwatch.metric}`;
    }
    // Reasons are one line: a script shows its first line.
    const lines = (c.run ?? '').split('\n').filter((l) => l.trim() !== '');
    return `command: ${(lines[0] ?? '').trim()}${lines.length > 1 ? ' …' : ''}`;
}
async function metricFinding(ctx, name, c) {
    const from = ctx.redact(source(c));
    const e = c.expect;
    const operand = e?.kind === 'compare' ? e.operand : undefined;
    if (!e ||
        !operand ||
        operand.kind === 'baseline-ratio' ||
        operand.kind === 'baseline-plus') {
        // The loader refuses these; a config built in code may still hold one.
        return {
            name,
            level: 'error',
            reason: `preflight check '${name}' has no absolute condition to meet`
        };
    }
    const kind = operand.kind === 'percent'
        ? 'rate'
        : operand.kind === 'duration'
            ? 'latency'
            : 'number';
    let reading;
    try {
        reading = await ctx.metric({
            prometheus: c.prometheus,
            http: c.http,
            datadog: c.datadog,
            newrelic: c.newrelic,
            cloudwatch: c.cloudwatch
        }, undefined);
    }
    catch (err) {
        reading = { kind: 'error', reason: ctx.redact((0,errors/* errorMessage */.gJ)(err)) };
    }
    if (reading.kind === 'error') {
        return {
            name,
            level: 'error',
            condition: e.text,
            reason: `preflight check '${name}' could not be read: ${reading.reason} (${from})`
        };
    }
    if (reading.kind === 'no-data') {
        return {
            name,
            level: 'fail',
            condition: e.text,
            reason: `preflight check '${name}': no data, expected ${e.text} (${from})`
        };
    }
    const value = (0,wording/* formatValue */.Fl)(reading.value, kind);
    const holds = (0,units/* compareOp */.pN)(e.op, reading.value, (0,conditions/* quantityValue */.$5)(operand));
    return {
        name,
        level: holds ? 'ok' : 'fail',
        value,
        condition: e.text,
        reason: `preflight check '${name}': ${value}, expected ${e.text} (${from})`
    };
}
async function commandFinding(ctx, name, c) {
    const r = await ctx.command('preflight', c.run ?? '', c.timeout ?? CHECK_TIMEOUT_MS);
    const from = ctx.redact(source(c));
    if (r.outcome === 'ok') {
        return {
            name,
            level: 'ok',
            value: 'exit 0',
            reason: `preflight check '${name}': exit code 0 (${from})`
        };
    }
    const last = r.tail.filter((l) => l.trim() !== '').at(-1);
    const got = r.outcome === 'failed' && r.exitCode !== null
        ? `exit code ${r.exitCode}`
        : r.reason;
    return {
        name,
        level: r.outcome === 'failed' ? 'fail' : 'error',
        value: got,
        reason: `preflight check '${name}': ${got}, expected exit code 0 (${from})${last ? `; last output: ${ctx.redact(last)}` : ''}`
    };
}
/**
 * Runs every `require` check in order of the config, each to a finding
 * that names the check, the value and what was expected.
 */
async function requireFindings(ctx, p) {
    const out = [];
    for (const [name, c] of Object.entries(p.require ?? {})) {
        if (ctx.signal.aborted)
            break;
        out.push(c.run !== undefined
            ? await commandFinding(ctx, name, c)
            : await metricFinding(ctx, name, c));
    }
    return out;
}

;// CONCATENATED MODULE: ./src/rollout/gates/preflight.ts
/**
 * Preflight changes nothing: it checks that the rollout may start. Local
 * checks (secrets present, every `${secrets.X}` and `${env.X}` the run will
 * render, deploy window, freeze) run everywhere; checks that need the GitHub
 * API come through `queries` when a token is available.
 */






/**
 * The preflight gate, checking the references of `scope`: by default every
 * configured gate when the whole rollout runs in this job, and only what
 * every job renders (notifications) when preflight is a job of its own, as
 * each later job maps its own secrets and is checked before it starts.
 */
function preflightFor(scope) {
    return oneReportGate({
        name: 'preflight',
        section: (config) => config.gates.preflight,
        run: async ({ ctx, section: p, preflight: queries, oneJob }) => {
            const startedAt = ctx.clock.now();
            const findings = [];
            const gates = scope ??
                (oneJob
                    ? schema/* GATE_ORDER */.x2.filter((g) => ctx.config.gates[g] !== undefined)
                    : []);
            const missing = missingReferences(ctx.config, ctx.io.env, gates);
            const named = new Set(missing.map((m) => m.ref.replace(/^\w+\./, '')));
            if (missing.length > 0) {
                findings.push({
                    name: 'references',
                    level: 'fail',
                    reason: missingReason(missing)
                });
            }
            for (const name of p.secrets ?? []) {
                const present = (ctx.io.env[name] ?? '') !== '';
                // Named once, with where it is used, by the finding above.
                if (!present && named.has(name))
                    continue;
                findings.push({
                    name: `secret ${name}`,
                    level: present ? 'ok' : 'fail',
                    reason: present
                        ? `secret '${name}' is set`
                        : `secret '${name}' is not set or empty (map it in the step's env:)`
                });
            }
            if (p.window) {
                const allow = (p.window.allow ?? []).flatMap((t) => {
                    const r = (0,config_window/* parseAllowWindow */.FW)(t);
                    return r.ok ? [r.value] : [];
                });
                const freeze = (p.window.freeze ?? []).flatMap((t) => {
                    const r = (0,config_window/* parseFreeze */.Rh)(t);
                    return r.ok ? [r.value] : [];
                });
                const v = (0,config_window/* checkWindow */.pr)(new Date(ctx.clock.now()), {
                    allow,
                    freeze,
                    timezone: p.window.timezone
                });
                findings.push({
                    name: 'deploy window',
                    level: v.open ? 'ok' : 'fail',
                    reason: v.open ? 'inside the deploy window' : v.reason
                });
            }
            findings.push(...freezeRuleFindings(ctx.clock.now(), p));
            findings.push(...(await requireFindings(ctx, p)));
            const api = [
                [p.checks === 'green', (q) => q.checksGreen(), 'checks: green'],
                [
                    (p.approvals ?? 0) > 0,
                    (q) => q.approvals(p.approvals ?? 0),
                    `approvals: ${p.approvals}`
                ],
                ...(p.after ?? []).map((env) => [
                    true,
                    (q) => q.passedIn(env),
                    `after: ${env}`
                ])
            ];
            for (const [wanted, query, label] of api) {
                if (!wanted)
                    continue;
                if (!queries) {
                    findings.push({
                        name: label,
                        level: 'warn',
                        reason: `'${label}' not checked: it needs the GitHub API (a token in GitHub Actions)`
                    });
                    continue;
                }
                try {
                    findings.push(await query(queries));
                }
                catch (e) {
                    findings.push({
                        name: label,
                        level: 'error',
                        reason: `'${label}' could not be checked: ${ctx.redact((0,errors/* errorMessage */.gJ)(e))}`
                    });
                }
            }
            const bad = findings.filter((f) => f.level === 'fail' || f.level === 'error');
            const warned = findings.some((f) => f.level === 'warn');
            return {
                report: {
                    gate: 'preflight',
                    outcome: bad.length ? 'failed' : warned ? 'warned' : 'passed',
                    reason: bad.length
                        ? bad.map((f) => f.reason).join('; ')
                        : `${findings.length} check${findings.length === 1 ? '' : 's'} passed`,
                    startedAt,
                    endedAt: ctx.clock.now(),
                    findings
                }
            };
        }
    });
}
/** Runs the configured preflight checks; failed when any check fails. */
const preflightGate = preflightFor();

;// CONCATENATED MODULE: ./src/rollout/gates/promote.ts
/**
 * Promote: the user's command that makes the new version the stable one,
 * after the canary and the soak have passed.
 */

/** Runs the promote command; failed when it exits non-zero. */
const promoteGate = commandGate('promote');

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./node_modules/fast-xml-parser/src/xmlparser/XMLParser.js + 26 modules
var XMLParser = __webpack_require__(9658);
// EXTERNAL MODULE: ./node_modules/fast-xml-parser/src/fxp.js
var fxp = __webpack_require__(5824);
;// CONCATENATED MODULE: ./src/probes/junit.ts
/**
 * Reads the JUnit XML that test runners write (jest-junit, pytest, Maven
 * Surefire, Gradle, go-junit-report, ...) into the counts the smoke gate's
 * `tests: { junit, pass-rate }` needs. Pure except `readJunitFiles`, whose
 * file reader is injected.
 */



const MAX_FAILED = 20;
const MAX_MESSAGE = 300;
const ARRAY_TAGS = new Set([
    'testsuites',
    'testsuite',
    'testcase',
    'failure',
    'error',
    'skipped'
]);
const parser = new XMLParser/* default */.A({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    // Decodes numeric references such as pytest's `&#10;` in messages.
    htmlEntities: true,
    isArray: (name) => ARRAY_TAGS.has(name)
});
function isNode(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Children with a tag; an empty element (`<skipped/>`) parses to ''. */
function children(node, tag) {
    const v = node[tag];
    if (v === undefined)
        return [];
    return Array.isArray(v) ? v : [v];
}
function nodes(node, tag) {
    return children(node, tag).map((c) => (isNode(c) ? c : {}));
}
function attr(node, name) {
    const v = node[`@_${name}`];
    return typeof v === 'string' ? v : undefined;
}
/** A count attribute, or undefined when missing or not a whole number. */
function count(node, name) {
    const raw = attr(node, name)?.trim();
    if (raw === undefined || raw === '')
        return undefined;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
}
function oneLine(text) {
    const line = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .find((l) => l !== '');
    const s = (line ?? '').replace(/\s+/g, ' ');
    return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}
function messageOf(problem) {
    if (typeof problem === 'string')
        return oneLine(problem);
    if (!isNode(problem))
        return '';
    const message = attr(problem, 'message');
    if (message !== undefined && message.trim() !== '')
        return oneLine(message);
    const text = problem['#text'];
    if (typeof text === 'string' && text.trim() !== '')
        return oneLine(text);
    return oneLine(attr(problem, 'type') ?? '');
}
const zero = () => ({ tests: 0, failures: 0, errors: 0, skipped: 0 });
function add(a, b) {
    return {
        tests: a.tests + b.tests,
        failures: a.failures + b.failures,
        errors: a.errors + b.errors,
        skipped: a.skipped + b.skipped
    };
}
/**
 * A suite's own attributes win when present (they are what the runner
 * reported); any count it leaves out comes from its `<testcase>` children
 * and nested suites.
 */
function countSuite(suite, failed) {
    const suiteName = attr(suite, 'name') ?? '';
    let fromChildren = zero();
    for (const tc of nodes(suite, 'testcase')) {
        const errors = children(tc, 'error');
        const failures = children(tc, 'failure');
        const problem = errors[0] ?? failures[0];
        fromChildren.tests++;
        if (errors.length > 0)
            fromChildren.errors++;
        else if (failures.length > 0)
            fromChildren.failures++;
        else if (children(tc, 'skipped').length > 0)
            fromChildren.skipped++;
        if (problem !== undefined && failed.length < MAX_FAILED) {
            failed.push({
                suite: suiteName || (attr(tc, 'classname') ?? ''),
                name: attr(tc, 'name') ?? '',
                message: messageOf(problem)
            });
        }
    }
    for (const nested of nodes(suite, 'testsuite')) {
        fromChildren = add(fromChildren, countSuite(nested, failed));
    }
    const tests = count(suite, 'tests');
    if (tests === undefined)
        return fromChildren;
    return {
        tests,
        failures: count(suite, 'failures') ?? fromChildren.failures,
        errors: count(suite, 'errors') ?? fromChildren.errors,
        skipped: count(suite, 'skipped') ??
            count(suite, 'disabled') ??
            fromChildren.skipped
    };
}
function summarize(c, failed) {
    const passed = Math.max(0, c.tests - c.failures - c.errors - c.skipped);
    const counted = c.tests - c.skipped;
    return {
        ...c,
        passed,
        passRate: counted > 0 ? passed / counted : undefined,
        failed
    };
}
/**
 * Turns one report into counts and the first failures, or a one-line error
 * the smoke gate can show as is; a report we cannot read must fail the gate
 * rather than count as zero tests.
 */
function parseJunit(xml) {
    if (xml.trim() === '')
        return { error: 'JUnit report is empty' };
    const valid = fxp/* XMLValidator */.iI.validate(xml);
    if (valid !== true) {
        const { line, col, msg } = valid.err;
        const at = typeof col === 'number' ? `${line}:${col}` : `${line}`;
        return { error: `invalid XML at line ${at}: ${oneLine(msg)}` };
    }
    let doc;
    try {
        doc = parser.parse(xml);
    }
    catch (err) {
        return { error: `invalid XML: ${(0,errors/* errorMessage */.gJ)(err)}` };
    }
    if (!isNode(doc))
        return { error: 'JUnit report has no root element' };
    const failed = [];
    let total = zero();
    if (doc.testsuites !== undefined) {
        for (const root of nodes(doc, 'testsuites')) {
            const suites = nodes(root, 'testsuite');
            if (suites.length === 0) {
                total = add(total, countSuite(root, failed));
                continue;
            }
            for (const suite of suites)
                total = add(total, countSuite(suite, failed));
        }
    }
    else if (doc.testsuite !== undefined) {
        for (const suite of nodes(doc, 'testsuite')) {
            total = add(total, countSuite(suite, failed));
        }
    }
    else {
        const root = Object.keys(doc).find((k) => !k.startsWith('?'));
        return {
            error: root === undefined
                ? 'JUnit report has no root element'
                : `no <testsuites> or <testsuite> element (root is '<${root}>')`
        };
    }
    return summarize(total, failed);
}
/**
 * Several runners (or shards) write several reports; the gate's pass rate
 * is over all of them, and one unreadable report fails the whole read.
 */
async function readJunitFiles(paths, readFile = (p) => (0,promises_.readFile)(p, 'utf8')) {
    if (paths.length === 0)
        return { error: 'no JUnit report paths given' };
    let total = zero();
    const failed = [];
    for (const path of paths) {
        let xml;
        try {
            xml = await readFile(path);
        }
        catch (err) {
            const code = err.code;
            return {
                error: code === 'ENOENT'
                    ? `JUnit report '${path}' not found`
                    : `could not read JUnit report '${path}': ${(0,errors/* errorMessage */.gJ)(err)}`
            };
        }
        const one = parseJunit(xml);
        if ('error' in one)
            return { error: `JUnit report '${path}': ${one.error}` };
        total = add(total, one);
        for (const f of one.failed)
            if (failed.length < MAX_FAILED)
                failed.push(f);
    }
    return summarize(total, failed);
}

;// CONCATENATED MODULE: ./src/rollout/gates/smoke.ts
/**
 * Smoke: every probe once (with its own retries), then the test commands,
 * whose JUnit reports give a pass rate when the config asks for one.
 */






/** Runs the smoke probes and tests; failed when any of them fails. */
const smokeGate = oneReportGate({
    name: 'smoke',
    section: (config) => config.gates.smoke,
    run: async ({ ctx, section: smoke }) => {
        const startedAt = ctx.clock.now();
        const findings = [];
        const logTail = [];
        for (const name of smoke.probes ?? []) {
            if (ctx.config.probes[name]?.load) {
                const r = await ctx.load(name);
                findings.push({
                    name: `load ${name}`,
                    level: r.ok ? 'ok' : 'fail',
                    reason: `${name}: ${r.reason}`
                });
                continue;
            }
            const sample = await ctx.probe(name);
            findings.push(...probeFindings([sample]));
        }
        for (const [i, t] of (smoke.tests ?? []).entries()) {
            const label = `tests${(smoke.tests?.length ?? 0) > 1 ? ` #${i + 1}` : ''}`;
            const r = await ctx.command('smoke', t.run, t.timeout);
            logTail.push(...r.tail);
            const passRate = t['pass-rate'];
            if (!t.junit || !passRate) {
                findings.push({
                    name: label,
                    level: r.outcome === 'ok' ? 'ok' : 'fail',
                    reason: r.outcome === 'ok' ? `${label} passed` : `${label} ${r.reason}`
                });
                continue;
            }
            const report = await readJunitFiles(t.junit.map((p) => external_node_path_.resolve(ctx.io.workspace, p)));
            if ('error' in report) {
                findings.push({
                    name: label,
                    level: 'error',
                    reason: `${label}: ${ctx.redact(report.error)} (command ${r.reason})`
                });
                continue;
            }
            const counted = report.tests - report.skipped;
            const rate = report.passRate;
            const threshold = passRate.kind === 'compare' && passRate.operand.kind === 'percent'
                ? passRate.operand.ratio
                : 1;
            const op = passRate.kind === 'compare' ? passRate.op : '>=';
            const ok = rate !== undefined && (0,units/* compareOp */.pN)(op, rate, threshold);
            const failedNames = report.failed
                .slice(0, 5)
                .map((f) => ctx.redact(`${f.suite} › ${f.name}`));
            findings.push({
                name: `${label} pass-rate`,
                level: ok ? 'ok' : 'fail',
                value: rate === undefined ? 'none' : (0,format/* formatPercent */.l9)(rate),
                condition: passRate.text,
                n: { canary: counted },
                reason: rate === undefined
                    ? `${label}: no test counted in ${t.junit.join(', ')}`
                    : `${label} pass-rate ${(0,format/* formatPercent */.l9)(rate)} ${ok ? 'meets' : 'fails'} '${passRate.text}', n=${counted} (${report.passed} passed, ${report.failures + report.errors} failed${failedNames.length ? `: ${failedNames.join('; ')}` : ''})`
            });
        }
        const bad = findings.filter((f) => f.level === 'fail' || f.level === 'error');
        return {
            report: {
                gate: 'smoke',
                outcome: bad.length === 0 ? 'passed' : 'failed',
                reason: bad.length === 0
                    ? `${findings.length} smoke check${findings.length === 1 ? '' : 's'} passed`
                    : bad.map((f) => f.reason).join('; '),
                startedAt,
                endedAt: ctx.clock.now(),
                findings,
                logTail
            }
        };
    }
});

;// CONCATENATED MODULE: ./src/rollout/soak-tests.ts
/**
 * Test commands during the soak (DESIGN.md §4): each runs every `every`
 * while the soak samples on, through the same runner as every command. A
 * failing run (its exit code, or a JUnit pass rate under the minimum) is a
 * soak finding like any other and ends the soak.
 */





/** The opposite of a condition's operator, for "94% < 100%". */
const NOT = {
    '<': '>=',
    '<=': '>',
    '>': '<=',
    '>=': '<',
    '==': '!='
};
/** Schedules the soak's test commands against the soak's own clock. */
function soakTestRuns(ctx, tests, durationMs) {
    const failed = new AbortController();
    // Ends the runs still going once the soak has its verdict without them.
    const stop = new AbortController();
    const signal = AbortSignal.any([ctx.signal, stop.signal]);
    let logTail = [];
    const lanes = tests.map((t, i) => ({
        t,
        label: `soak tests${tests.length > 1 ? ` #${i + 1}` : ''} '${ctx.redact(t.run)}'`,
        every: Math.max(1, t.every ?? durationMs),
        next: 1,
        runs: 0
    }));
    const start = (lane, atMs) => {
        lane.runs += 1;
        lane.running = runOnce(ctx, lane, atMs, signal)
            .then((r) => {
            // A run cut short says nothing about the release.
            if (signal.aborted)
                return;
            logTail = r.tail;
            lane.last = r.finding;
            if (r.finding.level === 'fail' || r.finding.level === 'error') {
                lane.failure = r.finding;
                failed.abort(new Error(r.finding.reason));
            }
        })
            .finally(() => {
            lane.running = undefined;
        });
    };
    return {
        failed: failed.signal,
        onLook(elapsedMs) {
            if (failed.signal.aborted)
                return;
            for (const lane of lanes) {
                const due = lane.next * lane.every;
                if (lane.running || due > durationMs || elapsedMs < due)
                    continue;
                // A run that outlasted `every` skips the slots it covered.
                lane.next = Math.floor(elapsedMs / lane.every) + 1;
                start(lane, elapsedMs);
            }
        },
        async finish(complete) {
            if (!complete || failed.signal.aborted) {
                stop.abort(new Error('the soak has ended'));
            }
            await inFlight(lanes);
            if (complete && !failed.signal.aborted) {
                for (const lane of lanes) {
                    if (lane.runs === 0)
                        start(lane, durationMs);
                }
                await inFlight(lanes);
            }
            const findings = lanes.flatMap((lane) => {
                if (lane.failure)
                    return [lane.failure];
                if (!lane.last)
                    return [];
                return [
                    {
                        ...lane.last,
                        reason: `${lane.label}: ${lane.runs} run${lane.runs === 1 ? '' : 's'} passed (last ${lane.last.reason.slice(lane.label.length + 1)})`
                    }
                ];
            });
            return { findings, logTail };
        }
    };
}
/** Waits for the runs still going. */
async function inFlight(lanes) {
    await Promise.all(lanes.flatMap((l) => (l.running ? [l.running] : [])));
}
/** Last-modified times of the reports, to tell a fresh one from a stale one. */
async function mtimes(files) {
    return Promise.all(files.map((f) => (0,promises_.stat)(f).then((s) => s.mtimeMs, () => undefined)));
}
/** Runs one test command and judges it, named by its label and time. */
async function runOnce(ctx, lane, atMs, signal) {
    const { t } = lane;
    const label = `${lane.label} at ${(0,format/* formatDuration */.a3)(atMs)}`;
    const files = (t.junit ?? []).map((p) => external_node_path_.resolve(ctx.io.workspace, p));
    const before = await mtimes(files);
    const r = await ctx.command('soak', t.run, t.timeout, signal);
    const passRate = t['pass-rate'];
    const base = { name: lane.label, value: '', reason: '' };
    if (!passRate || files.length === 0) {
        const ok = r.outcome === 'ok';
        return {
            tail: r.tail,
            finding: {
                ...base,
                level: ok ? 'ok' : 'fail',
                value: ok ? 'passed' : 'failed',
                reason: `${label}: ${ok ? 'passed' : r.reason}`
            }
        };
    }
    const after = await mtimes(files);
    const at = after.findIndex((m, i) => m !== undefined && m === before[i]);
    const stale = at >= 0 ? files[at] : undefined;
    const report = stale
        ? { error: `JUnit report '${stale}' was not written by this run` }
        : await readJunitFiles(files);
    if ('error' in report) {
        return {
            tail: r.tail,
            finding: {
                ...base,
                level: 'error',
                value: 'none',
                reason: `${label}: ${ctx.redact(report.error)} (command ${r.reason})`
            }
        };
    }
    const counted = report.tests - report.skipped;
    const rate = report.passRate;
    const need = passRate.kind === 'compare' && passRate.operand.kind === 'percent'
        ? passRate.operand.ratio
        : 1;
    const op = passRate.kind === 'compare' ? passRate.op : '>=';
    const ok = rate !== undefined && (0,units/* compareOp */.pN)(op, rate, need);
    const failedNames = report.failed
        .slice(0, 5)
        .map((f) => ctx.redact(`${f.suite} › ${f.name}`));
    const measured = rate === undefined
        ? `no test counted in ${t.junit?.join(', ')}`
        : `${report.passed} of ${counted} passed (${(0,format/* formatPercent */.l9)(rate)}) ${ok ? op : NOT[op]} ${(0,format/* formatPercent */.l9)(need)}`;
    return {
        tail: r.tail,
        finding: {
            ...base,
            level: ok ? 'ok' : 'fail',
            value: rate === undefined ? 'none' : (0,format/* formatPercent */.l9)(rate),
            condition: passRate.text,
            n: { canary: counted },
            reason: `${label}: ${measured}${!ok && failedNames.length ? ` (failed: ${failedNames.join('; ')})` : ''}`
        }
    };
}

;// CONCATENATED MODULE: ./src/rollout/gates/soak.ts
/**
 * Soak: a long bake at full weight, watching the soak probes and metrics,
 * with trend conditions such as `growth > 5%/h` judged over the whole run,
 * and the soak's test commands run every interval alongside.
 */




/** Watches the service for the soak's duration. */
const soakGate = oneReportGate({
    name: 'soak',
    section: (config) => config.gates.soak,
    run: async ({ ctx, section: s }) => {
        const startedAt = ctx.clock.now();
        const start = ctx.clock.monotonic();
        const tests = s.tests ? soakTestRuns(ctx, s.tests, s.duration) : undefined;
        const result = await bake(ctx, {
            gate: 'soak',
            startedAt,
            durationMs: s.duration,
            intervalMs: s.interval,
            probes: s.probes ?? [],
            metrics: s.metrics ?? {},
            tracks: [undefined],
            mode: 'enforce',
            onNoData: s['on-no-data'],
            minSamples: s['min-samples'],
            confidence: 0.99,
            decideEarly: false,
            errorLimit: s['error-limit'],
            maxBake: s['max-bake'],
            ...(tests
                ? { onLook: (ms) => tests.onLook(ms), until: tests.failed }
                : {})
        });
        if (!tests)
            return { report: result.report, cancelled: result.cancelled };
        const stoppedByTests = tests.failed.aborted;
        const ran = await tests.finish(!result.cancelled && result.report.outcome !== 'failed');
        const report = {
            ...result.report,
            findings: [...ran.findings, ...result.report.findings],
            ...(ran.logTail.length ? { logTail: ran.logTail } : {})
        };
        const bad = ran.findings.filter((f) => f.level === 'fail' || f.level === 'error');
        if (result.cancelled || bad.length === 0) {
            return { report, cancelled: result.cancelled };
        }
        // A failing test run is the soak's verdict, whatever the samples said
        // so far; metrics that had no time to gather samples are not news.
        const elapsed = (0,format/* formatDuration */.a3)(ctx.clock.monotonic() - start);
        const early = stoppedByTests
            ? `early, after ${elapsed} of ${(0,format/* formatDuration */.a3)(s.duration)}`
            : `after ${elapsed}`;
        const others = result.report.outcome === 'failed' ? `; ${result.report.reason}` : '';
        return {
            report: {
                ...report,
                outcome: 'failed',
                reason: `failed ${early}: ${bad.map((f) => f.reason).join('; ')}${others}`,
                findings: report.findings.filter((f) => f.level !== 'no-data'),
                endedAt: ctx.clock.now()
            }
        };
    }
});

;// CONCATENATED MODULE: ./src/rollout/gates/watch.ts
/**
 * Watch after promotion: the canary analysis goes on for a while against
 * the promoted version. Conditions relative to the baseline compare with
 * what the baseline track measured before promotion (the old version is
 * gone from the baseline by now); a fail condition that holds fails the
 * gate, and the failure policy rolls back to the previous version.
 */





/** How a metric's values read: a rate, a latency or a plain number. */
function kindOf(name, m) {
    if ((0,schema/* sourcesOf */.u0)(m).length === 0) {
        const b = schema/* BUILTIN_METRICS */.Ie[name];
        return b === 'percent' ? 'rate' : b === 'duration' ? 'latency' : 'number';
    }
    const first = [...(m.fail ?? []), ...(m.warn ?? [])][0];
    return first ? (0,conditions/* kindForCondition */.T6)(first) : 'number';
}
function quantity(kind, v) {
    if (kind === 'rate')
        return { kind: 'percent', ratio: v };
    if (kind === 'latency')
        return { kind: 'duration', ms: v };
    return { kind: 'number', value: v };
}
/**
 * The metric with its baseline conditions drawn at the line the stored
 * baseline gives them (`> 2x baseline` with 180ms before promotion is
 * `> 360ms`); without a stored value they are left out, and said so.
 */
function againstStored(name, m, stored) {
    const kind = kindOf(name, m);
    const notes = [];
    const fix = (list) => {
        if (!list)
            return undefined;
        const out = list.flatMap((c) => {
            if (c.kind !== 'compare')
                return [c];
            if (c.operand.kind !== 'baseline-ratio' &&
                c.operand.kind !== 'baseline-plus')
                return [c];
            const line = (0,conditions/* thresholdOf */.pI)(c, stored);
            if (line === undefined) {
                notes.push({
                    name,
                    level: 'warn',
                    condition: c.text,
                    reason: `${name} '${c.text}' not judged: no baseline was measured before promotion in this run`
                });
                return [];
            }
            const rest = c.text.slice(c.op.length).trim();
            return [
                {
                    kind: 'compare',
                    op: c.op,
                    operand: quantity(kind, line),
                    text: `${c.op} ${(0,wording/* formatValue */.Fl)(line, kind)} (${rest} before promotion, ${(0,wording/* formatValue */.Fl)(stored ?? 0, kind)})`
                }
            ];
        });
        return out.length ? out : undefined;
    };
    const fail = fix(m.fail);
    const warn = fix(m.warn);
    const { fail: _f, warn: _w, ...rest } = m;
    return {
        metric: { ...rest, ...(fail ? { fail } : {}), ...(warn ? { warn } : {}) },
        notes
    };
}
/** Watches the promoted version for the watch's duration. */
const watchGate = oneReportGate({
    name: 'watch',
    section: (config) => config.gates.watch,
    run: async ({ ctx, section: w }) => {
        const a = ctx.config.gates.canary?.analysis;
        const all = a?.metrics ?? {};
        const metrics = {};
        const notes = [];
        for (const name of w.metrics ?? Object.keys(all)) {
            const m = all[name];
            if (!m)
                continue;
            const r = againstStored(name, m, ctx.baselineBeforePromotion?.[name]);
            notes.push(...r.notes);
            if (r.metric.fail || r.metric.warn)
                metrics[name] = r.metric;
        }
        const result = await bake(ctx, {
            gate: 'watch',
            startedAt: ctx.clock.now(),
            durationMs: w.duration,
            intervalMs: w.interval,
            probes: w.probes ?? a?.probes ?? [],
            metrics,
            // The promoted version answers where users reach it: probes use the
            // config's own vars, and metric sources read as the canary track.
            tracks: [undefined],
            metricTrack: 'canary',
            mode: 'enforce',
            onNoData: w['on-no-data'],
            minSamples: w['min-samples'],
            confidence: a?.confidence ?? 0.99,
            decideEarly: false,
            errorLimit: w['error-limit'],
            maxBake: a?.['max-bake'] ?? 3
        });
        const report = result.report;
        if (notes.length === 0)
            return { report, cancelled: result.cancelled };
        return {
            report: {
                ...report,
                outcome: report.outcome === 'passed' ? 'warned' : report.outcome,
                findings: [...report.findings, ...notes]
            },
            cancelled: result.cancelled
        };
    }
});

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/kernel/jsonpath.ts
var jsonpath = __webpack_require__(5852);
;// CONCATENATED MODULE: ./src/rollout/call-out.ts
/**
 * The HTTP calls a rollout makes to the outside for hooks and confirm: one
 * request rendered from the config (`${secrets.X}` in URL and headers,
 * masked from then on). Their commands run through `GateContext.command`,
 * with the event as JSON in the environment, never in the shell text.
 */



/**
 * Renders and sends one request; never throws. `shown` is the URL as
 * reasons may quote it (no userinfo, no query: tokens live there).
 */
async function callHttp(ctx, target, req) {
    const r = new resolve/* Renderer */.A4({
        values: ctx.renderValues(),
        readFile: (p) => ctx.io.readFile(p)
    });
    let url;
    let headers;
    try {
        url = r.url(target.url, 'http');
        headers = r.headers(target.headers);
    }
    catch (e) {
        for (const s of r.secrets)
            ctx.redactor.add(s);
        const why = e instanceof resolve/* RenderError */.vH ? e.message : String(e);
        return { ok: false, reason: ctx.redact(why), shown: 'the URL' };
    }
    for (const s of r.secrets)
        ctx.redactor.add(s);
    const scrub = (0,http_scrub/* credentialScrubber */.kL)(url, headers);
    const clean = (s) => ctx.redact(scrub(s));
    const shown = clean((0,http_scrub/* displayUrl */.Qy)(url));
    if (req.body !== undefined)
        headers['content-type'] = 'application/json';
    const send = ctx.io.sendHttp ?? http_send/* httpSend */.v0;
    // Latency-bound I/O runs on the probe clock: the rollout's clock may be
    // one that jumps (tests), and a timeout must not fire before the answer.
    const got = await send({
        url,
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {})
    }, req.timeoutMs, { clock: ctx.io.probeClock, redact: clean, signal: ctx.signal });
    if (!got.ok) {
        const reason = got.reading.kind === 'error' ? got.reading.reason : 'no answer';
        return { ok: false, reason: clean(reason), shown };
    }
    return {
        ok: true,
        answer: { ...got.answer, body: clean(got.answer.body) },
        shown
    };
}

;// CONCATENATED MODULE: ./src/rollout/confirm.ts
/**
 * Confirm (DESIGN.md §4): before a gate runs or a canary step shifts
 * traffic, ask a URL or a command every `interval` until it says yes or
 * no, or `timeout` runs out. No fails the gate (and a rollout that changed
 * something rolls back); a timeout fails it too unless `on-timeout` says
 * `continue`. Anything else (an error, another answer) keeps waiting: an
 * approval service that is down is not a no.
 */




/** One request of a confirm never takes longer than this. */
const ASK_TIMEOUT_MS = 10_000;
/** Characters of an answer quoted in a reason. */
const ANSWER_CHARS = 200;
function clip(s) {
    const one = s.replace(/\s+/g, ' ').trim();
    return one.length > ANSWER_CHARS ? `${one.slice(0, ANSWER_CHARS)}…` : one;
}
async function askHttp(ctx, c, http) {
    const r = await callHttp(ctx, http, {
        method: 'GET',
        timeoutMs: Math.min(ASK_TIMEOUT_MS, c.timeout)
    });
    if (!r.ok)
        return { kind: 'other', text: `${r.shown} failed: ${r.reason}` };
    const { status, body } = r.answer;
    if (c.path === undefined) {
        const text = `${r.shown} returned ${status}`;
        const yes = c.yes === undefined ? status >= 200 && status < 300 : status === c.yes;
        if (yes)
            return { kind: 'yes', text };
        return { kind: c.no === status ? 'no' : 'other', text };
    }
    const text = `${r.shown} returned ${status === 200 ? '' : `${status} `}${clip(body)}`;
    if (status < 200 || status >= 300)
        return { kind: 'other', text };
    let doc;
    try {
        doc = JSON.parse(body);
    }
    catch {
        return { kind: 'other', text: `${text} (not JSON)` };
    }
    const path = (0,jsonpath/* parsePath */.Rr)(c.path);
    if (!path.ok)
        return { kind: 'other', text: path.error };
    const found = (0,jsonpath/* readPath */.G7)(doc, path.value);
    if (!found.found)
        return { kind: 'other', text: `${text} (${found.reason})` };
    if ((0,external_node_util_.isDeepStrictEqual)(found.value, c.yes ?? true)) {
        return { kind: 'yes', text };
    }
    if ((0,external_node_util_.isDeepStrictEqual)(found.value, c.no ?? false))
        return { kind: 'no', text };
    return { kind: 'other', text };
}
async function askCommand(ctx, c, gate, run) {
    const timeoutMs = Math.min(c.interval, c.timeout);
    // Asking changes nothing, so a dry run asks too and waits for the answer.
    const r = await ctx.command(gate, run, timeoutMs, ctx.signal, {
        env: { DEPLOY_GATES_CONFIRM: c.name },
        inDryRun: true
    });
    const last = r.tail.at(-1);
    const text = `${run.length > 60 ? 'the command' : `'${run}'`} ${r.reason}${last ? `: ${clip(last)}` : ''}`;
    if (r.exitCode === null)
        return { kind: 'other', text };
    if (r.exitCode === (c.yes ?? 0)) {
        return { kind: 'yes', text };
    }
    if (r.exitCode === (c.no ?? 1)) {
        return { kind: 'no', text };
    }
    return { kind: 'other', text };
}
/**
 * Waits for the confirm of a gate or a step. Progress events show the wait
 * like a bake's (elapsed, remaining, the last answer); the outcome's reason
 * names the confirm and the answer it decided on.
 */
async function awaitConfirm(ctx, c, where) {
    const t0 = ctx.clock.monotonic();
    const deadline = t0 + c.timeout;
    const label = `confirm: ${c.name}`;
    for (;;) {
        if (ctx.signal.aborted) {
            return { kind: 'cancelled', reason: `${label}: ${ctx.cancelReason()}` };
        }
        const a = c.http
            ? await askHttp(ctx, c, c.http)
            : await askCommand(ctx, c, where.gate, c.run ?? '');
        const took = (0,format/* formatDuration */.a3)(ctx.clock.monotonic() - t0);
        if (a.kind === 'yes') {
            return {
                kind: 'yes',
                reason: ctx.redact(`${label} said yes after ${took} (${a.text})`)
            };
        }
        if (a.kind === 'no') {
            return {
                kind: 'no',
                reason: ctx.redact(`${label} said no (${a.text})`)
            };
        }
        const last = a.text;
        const left = deadline - ctx.clock.monotonic();
        if (left <= 0) {
            const why = `${label} gave no answer within ${(0,format/* formatDuration */.a3)(c.timeout)} (last: ${last})`;
            return c['on-timeout'] === 'continue'
                ? {
                    kind: 'continued',
                    reason: ctx.redact(`${why}; on-timeout: continue`)
                }
                : { kind: 'timeout', reason: ctx.redact(why) };
        }
        await ctx.emit({
            type: 'progress',
            gate: where.gate,
            ...(where.step !== undefined ? { step: where.step } : {}),
            elapsedMs: ctx.clock.monotonic() - t0,
            remainingMs: left,
            values: { [c.name]: ctx.redact(`waiting (${clip(last)})`) },
            at: ctx.clock.now()
        });
        await ctx.clock
            .sleep(Math.min(c.interval, left), ctx.signal)
            .catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/rollout/hooks.ts

/** Characters of a reason put in an event document. */
const REASON_CHARS = 2000;
/**
 * The event document hooks receive; its shape is part of the contract
 * (README "Hooks"), so receivers can route on `event` and `gate`.
 */
function hookDocument(ctx, m) {
    const v = ctx.values;
    return {
        event: m.event,
        service: v.service,
        environment: v.environment,
        version: v.version,
        ...(v.previousVersion !== undefined
            ? { previous_version: v.previousVersion }
            : {}),
        sha: v.sha,
        gate: m.gate,
        ...(m.step ? { step: m.step.index, weight: m.step.weight } : {}),
        ...(m.outcome !== undefined ? { outcome: m.outcome } : {}),
        ...(m.reason !== undefined
            ? { reason: ctx.redact(m.reason).slice(0, REASON_CHARS) }
            : {}),
        at: new Date(ctx.clock.now()).toISOString(),
        dry_run: ctx.dryRun
    };
}
/** `step-end of canary 50%`: where a hook was called, for reasons. */
function momentLabel(m) {
    const step = m.step ? ` ${m.step.weight}%` : '';
    return `${m.event} of ${m.gate}${step}`;
}
function applies(h, m) {
    return h.on.includes(m.event) && (h.gates?.includes(m.gate) ?? true);
}
/** Calls one hook; undefined when it succeeded, else why it failed. */
async function callHook(ctx, name, h, m) {
    const doc = JSON.stringify(hookDocument(ctx, m));
    if (h.http) {
        const r = await callHttp(ctx, h.http, {
            method: 'POST',
            body: doc,
            timeoutMs: h.timeout
        });
        if (!r.ok)
            return `POST ${r.shown} failed: ${r.reason}`;
        const { status } = r.answer;
        if (status >= 200 && status < 300)
            return undefined;
        return `POST ${r.shown} answered ${status}`;
    }
    // A dry run never gets here (fireHooks), so the command's own dry-run
    // skip never applies to a hook.
    const r = await ctx.command(m.gate, h.run ?? '', h.timeout, ctx.signal, {
        env: { DEPLOY_GATES_EVENT: doc, DEPLOY_GATES_HOOK: name }
    });
    return r.outcome === 'ok' ? undefined : `command ${r.reason}`;
}
/**
 * Calls every hook that listens to this moment, in config order. Returns
 * the reason of the first failed hook whose `on-failure` is `fail` (the
 * caller fails the gate or step with it); other failures are warnings.
 * A dry run calls no hook: hooks act on the world.
 */
async function fireHooks(ctx, m) {
    const hooks = Object.entries(ctx.config.hooks ?? {}).filter(([, h]) => applies(h, m));
    let failure;
    for (const [name, h] of hooks) {
        if (ctx.signal.aborted)
            break;
        const line = (text) => {
            void ctx.emit({
                type: 'log',
                gate: m.gate,
                lines: [ctx.redact(text)],
                at: ctx.clock.now()
            });
        };
        if (ctx.dryRun) {
            line(`hook '${name}' at ${momentLabel(m)}: dry-run: not called`);
            continue;
        }
        const why = await callHook(ctx, name, h, m);
        if (why === undefined) {
            line(`hook '${name}' at ${momentLabel(m)}: ok`);
            continue;
        }
        const reason = ctx.redact(`hook '${name}' at ${momentLabel(m)}: ${why}`);
        if (h['on-failure'] === 'fail') {
            failure ??= reason;
        }
        else {
            ctx.io.warn(`${reason} (on-failure: warn)`);
            line(`${reason} (on-failure: warn)`);
        }
    }
    return failure;
}

;// CONCATENATED MODULE: ./src/rollout/gate-calls.ts



/** The confirm a gate (no step) or a canary step (its weight) waits for. */
function confirmOf(config, gate, step) {
    const g = config.gates;
    switch (gate) {
        case 'canary':
            return step === undefined
                ? undefined
                : g.canary?.steps.find((s) => s.weight === step)?.confirm;
        case 'preflight':
            return undefined;
        default:
            return step === undefined ? g[gate]?.confirm : undefined;
    }
}
class GateCalls {
    ctx;
    progress;
    gate;
    /** The canary step that started and has not ended yet. */
    step;
    constructor(ctx, progress, gate) {
        this.ctx = ctx;
        this.progress = progress;
        this.gate = gate;
    }
    failed(reason, step) {
        const at = this.ctx.clock.now();
        return {
            gate: this.gate,
            ...(step !== undefined ? { step } : {}),
            outcome: 'failed',
            reason: this.ctx.redact(reason),
            startedAt: at,
            endedAt: at,
            findings: []
        };
    }
    /**
     * Before the gate runs: its gate-start hooks. A result when a hook with
     * `on-failure: fail` failed; the gate is then announced and failed.
     */
    async gateStart() {
        const why = await fireHooks(this.ctx, {
            event: 'gate-start',
            gate: this.gate
        });
        if (why === undefined)
            return undefined;
        await this.progress.start(this.gate);
        const report = this.failed(why);
        await this.progress.record(report);
        return { kind: 'failed', report };
    }
    /** A gate or step starts: announced, then its hooks and its confirm. */
    async start(step) {
        await this.progress.start(this.gate, step);
        if (step !== undefined) {
            this.step = { index: this.ctx.step ?? 0, weight: step };
            const why = await fireHooks(this.ctx, {
                event: 'step-start',
                gate: this.gate,
                step: this.step
            });
            if (why !== undefined)
                return this.failed(why, step);
        }
        const confirm = confirmOf(this.ctx.config, this.gate, step);
        if (!confirm)
            return undefined;
        const o = await awaitConfirm(this.ctx, confirm, {
            gate: this.gate,
            ...(step !== undefined ? { step } : {})
        });
        this.progress.note(o.reason);
        void this.ctx.emit({
            type: 'log',
            gate: this.gate,
            lines: [o.reason],
            at: this.ctx.clock.now()
        });
        if (o.kind === 'continued')
            this.ctx.io.warn(o.reason);
        if (o.kind === 'yes' || o.kind === 'continued')
            return undefined;
        return this.failed(o.reason, step);
    }
    /** A report: a step's end hooks first (they may fail it), then kept. */
    async record(report) {
        let kept = report;
        if (this.step && report.step === this.step.weight) {
            const why = await fireHooks(this.ctx, {
                event: 'step-end',
                gate: this.gate,
                step: this.step,
                outcome: report.outcome,
                reason: report.reason
            });
            this.step = undefined;
            if (why !== undefined &&
                (report.outcome === 'passed' || report.outcome === 'warned')) {
                kept = { ...report, outcome: 'failed', reason: this.ctx.redact(why) };
            }
        }
        await this.progress.record(kept);
        return kept;
    }
    /**
     * After the gate: its gate-end hooks, told how it ended. A hook with
     * `on-failure: fail` that failed turns a gate that went on into a
     * failed one, with a report of its own.
     */
    async gateEnd(result) {
        const why = await fireHooks(this.ctx, {
            event: 'gate-end',
            gate: this.gate,
            outcome: result.kind,
            ...(result.report ? { reason: result.report.reason } : {})
        });
        if (why === undefined || !goesOn(result))
            return result;
        const report = this.failed(why);
        await this.progress.record(report);
        return {
            kind: 'failed',
            report,
            ...(result.changed ? { changed: result.changed } : {})
        };
    }
}

;// CONCATENATED MODULE: ./src/rollout/policy.ts
/**
 * The failure policy (DESIGN.md §6) as one pure decision: once the gates
 * have stopped, roll back, hold or do nothing, and the rollout's result
 * with its reason.
 */

const STOPPED_BY_FAILURE = new Set([
    'failed',
    'inconclusive',
    'held',
    'cancelled'
]);
function decide(f) {
    const failed = f.stop && STOPPED_BY_FAILURE.has(f.stop.kind) ? f.stop.report : undefined;
    const failedGate = failed ? { failedGate: failed.gate } : {};
    // A gate cut short by the cancellation says so itself; any other gate
    // that failed after the cancellation failed because of it.
    const why = failed && (f.cancelled === undefined || f.stop?.kind === 'cancelled')
        ? failed.reason
        : f.cancelled;
    if (why !== undefined) {
        if (f.rollback) {
            return {
                kind: 'finish',
                result: f.rollback.kind,
                reason: `${why}; ${f.rollback.reason}`,
                ...failedGate
            };
        }
        const c = f.changes;
        if (!anythingChanged(c)) {
            return {
                kind: 'finish',
                result: 'failed',
                reason: `${why}; nothing was changed`,
                ...failedGate
            };
        }
        const holdOnFail = f.stop?.kind === 'held';
        if (holdOnFail || irreversible(c)) {
            return {
                kind: 'hold',
                result: 'held',
                reason: `${why}; HOLD: ${holdOnFail ? 'mode hold-on-fail' : 'the migration is irreversible'}, nothing was rolled back`,
                ...failedGate
            };
        }
        return { kind: 'roll-back', why };
    }
    if (f.stop?.kind === 'paused') {
        return { kind: 'finish', result: 'paused', reason: f.stop.report.reason };
    }
    if (f.selection !== 'all') {
        const last = f.reports[f.reports.length - 1];
        return {
            kind: 'finish',
            result: 'passed',
            reason: last ? last.reason : `gate '${f.selection}' is not configured`
        };
    }
    const result = f.promotes ? 'promoted' : 'passed';
    const warned = f.reports.filter((r) => r.outcome === 'warned').length;
    return {
        kind: 'finish',
        result,
        reason: `${f.version} ${result} to ${f.environment}${warned ? ` with ${warned} warning${warned === 1 ? '' : 's'}` : ''}`
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
;// CONCATENATED MODULE: ./src/rollout/state.ts
/**
 * What a rollout has changed so far, on disk, so that a step that did not
 * finish (cancelled, runner killed, OOM) can still be rolled back: the
 * action's `post` step reads it and finishes the rollback the main step
 * could not. Writes are atomic (temp file, fsync, rename), so a crash at any
 * moment leaves either the old state or the new one, never half of one.
 *
 * A corrupt file is moved aside and reported with a StateCorruptError rather
 * than read as "no rollout": `undefined` tells the post step there is nothing
 * to undo, and silently skipping a rollback that may be needed is the worst
 * outcome. The caller sees the error, can fail loudly and still choose a
 * blind rollback (every rollback step is idempotent); moving the file aside
 * keeps it for a postmortem and lets the next run start clean.
 */






const STATE_VERSION = 1;
/** Which rollout a state belongs to, from the run's values. */
function stateIdentity(v) {
    return {
        version: STATE_VERSION,
        service: v.service,
        environment: v.environment,
        rolloutVersion: v.version,
        ...(v.previousVersion !== undefined
            ? { previousVersion: v.previousVersion }
            : {}),
        sha: v.sha
    };
}
/** The state file existed but could not be read as a rollout state. */
class StateCorruptError extends errors/* StateError */.qq {
    path;
    movedTo;
    constructor(message, path, 
    /** Where the bad file was moved, when the move succeeded. */
    movedTo, options) {
        super(message, options);
        this.path = path;
        this.movedTo = movedTo;
        this.name = 'StateCorruptError';
    }
}
const stamp = schemas/* number */.aig().int().nonnegative();
const state_text = schemas/* string */.YjP().min(1);
const StateSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(STATE_VERSION),
    service: state_text,
    environment: state_text,
    rolloutVersion: state_text,
    previousVersion: state_text.optional(),
    sha: schemas/* string */.YjP(),
    startedAt: stamp,
    updatedAt: stamp,
    phase: schemas/* enum */.k5n(['running', 'rolling-back', 'done']),
    changed: schemas/* object */.Ikc({
        migrated: schemas/* boolean */.zMY(),
        migrationReversible: schemas/* boolean */.zMY(),
        migrationApplied: schemas/* boolean */.zMY().optional(),
        deployed: schemas/* boolean */.zMY(),
        trafficWeight: schemas/* number */.aig().int().min(0).max(100)
    }),
    currentGate: schemas/* string */.YjP().optional(),
    currentStep: schemas/* number */.aig().int().nonnegative().optional(),
    result: schemas/* string */.YjP().optional(),
    rollbackAttempts: schemas/* number */.aig().int().nonnegative()
});
function code(e) {
    return e.code ?? (0,errors/* errorMessage */.gJ)(e);
}
/** The first schema problem as `path: message`. */
function firstIssue(err) {
    const i = err.issues[0];
    const where = i.path.length > 0 ? `${i.path.join('.')}: ` : '';
    return `${where}${i.message}`;
}
/** Best effort: makes the rename itself durable on filesystems that need it. */
async function syncDir(dir) {
    let fh;
    try {
        fh = await promises_.open(dir, 'r');
        await fh.sync();
    }
    catch {
        // Not supported everywhere (and not needed on every filesystem).
    }
    finally {
        await fh?.close().catch(() => undefined);
    }
}
/**
 * A state store in one JSON file. `load` tolerates a missing file, ignores
 * temp files a crashed save left behind, and throws StateCorruptError (after
 * moving the file aside) for one it cannot trust.
 */
function fileStateStore(path, deps = {}) {
    const rename = deps.rename ?? promises_.rename;
    const now = deps.now ?? Date.now;
    const dir = (0,external_node_path_.dirname)(path);
    const tmpPrefix = `${(0,external_node_path_.basename)(path)}.tmp-`;
    const corrupt = async (why, cause) => {
        const aside = `${path}.corrupt-${now()}`;
        let movedTo;
        try {
            await promises_.rename(path, aside);
            movedTo = aside;
        }
        catch {
            // Still refuse it; the message says it was not moved.
        }
        throw new StateCorruptError(`rollout state '${path}' is corrupt (${why}); ` +
            (movedTo
                ? `moved to '${movedTo}'`
                : 'could not move it aside, remove it by hand'), path, movedTo, { cause });
    };
    return {
        async load() {
            let raw;
            try {
                raw = await promises_.readFile(path, 'utf8');
            }
            catch (e) {
                if (code(e) === 'ENOENT')
                    return undefined;
                throw new errors/* StateError */.qq(`cannot read rollout state '${path}': ${code(e)}`, {
                    cause: e
                });
            }
            let data;
            try {
                data = JSON.parse(raw);
            }
            catch (e) {
                return corrupt(raw.trim() === '' ? 'empty file' : 'not valid JSON', e);
            }
            const v = data?.version;
            if (typeof v === 'number' && v !== STATE_VERSION) {
                // Written by another version of the action: not ours to move.
                throw new errors/* StateError */.qq(`rollout state '${path}' has version '${v}'; this action reads version ${STATE_VERSION}`);
            }
            const parsed = StateSchema.safeParse(data);
            if (!parsed.success)
                return corrupt(firstIssue(parsed.error));
            return parsed.data;
        },
        async save(state) {
            const parsed = StateSchema.safeParse(state);
            if (!parsed.success) {
                throw new errors/* StateError */.qq(`refusing to save an invalid rollout state (${firstIssue(parsed.error)})`);
            }
            await promises_.mkdir(dir, { recursive: true });
            const tmp = (0,external_node_path_.join)(dir, `${tmpPrefix}${process.pid}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`);
            try {
                const fh = await promises_.open(tmp, 'wx', 0o600);
                try {
                    await fh.writeFile(`${JSON.stringify(parsed.data, null, 2)}\n`);
                    await fh.sync();
                }
                finally {
                    await fh.close();
                }
                await rename(tmp, path);
            }
            catch (e) {
                await promises_.rm(tmp, { force: true }).catch(() => undefined);
                throw new errors/* StateError */.qq(`cannot save rollout state '${path}': ${code(e)}`, {
                    cause: e
                });
            }
            await syncDir(dir);
        },
        async clear() {
            await promises_.rm(path, { force: true });
            // Temp files of saves that crashed before their rename.
            let names;
            try {
                names = await promises_.readdir(dir);
            }
            catch {
                return;
            }
            await Promise.all(names
                .filter((n) => n.startsWith(tmpPrefix))
                .map((n) => promises_.rm((0,external_node_path_.join)(dir, n), { force: true }).catch(() => undefined)));
        }
    };
}

;// CONCATENATED MODULE: ./src/rollout/progress.ts



class Progress {
    ctx;
    store;
    changes;
    startedAt;
    gates = [];
    chart = [];
    timeline = [];
    state;
    constructor(ctx, store, changes, startedAt) {
        this.ctx = ctx;
        this.store = store;
        this.changes = changes;
        this.startedAt = startedAt;
        this.state = {
            ...stateIdentity(ctx.values),
            startedAt,
            updatedAt: startedAt,
            phase: 'running',
            changed: changedOf(changes),
            rollbackAttempts: 0
        };
    }
    /** A line of the timeline, redacted. */
    note(text) {
        this.timeline.push({
            at: this.ctx.clock.now(),
            text: this.ctx.redact(text)
        });
    }
    /** Saves the state with the changes as they are now; never throws. */
    async save(patch = {}) {
        Object.assign(this.state, patch, {
            updatedAt: this.ctx.clock.now(),
            changed: changedOf(this.changes)
        });
        try {
            await this.store.save(this.state);
        }
        catch (e) {
            this.ctx.io.warn(`could not save rollout state: ${(0,errors/* errorMessage */.gJ)(e)}`);
        }
    }
    /** Keeps a change; the next save writes it. */
    change(patch) {
        Object.assign(this.changes, patch);
    }
    /** A gate, or a canary step, starts: saved, then announced. */
    async start(gate, step) {
        await this.save({
            currentGate: gate,
            ...(step !== undefined ? { currentStep: step } : {})
        });
        await this.ctx.emit({
            type: 'gate-started',
            gate,
            ...(step !== undefined ? { step } : {}),
            at: this.ctx.clock.now()
        });
    }
    /** A gate's report: kept, noted in the timeline, announced. */
    async record(report) {
        this.gates.push(report);
        this.note(`${report.gate}${report.step !== undefined ? ` ${report.step}%` : ''}: ${report.outcome}: ${report.reason}`);
        await this.ctx.emit({
            type: 'gate-finished',
            report,
            at: this.ctx.clock.now()
        });
    }
}

;// CONCATENATED MODULE: ./src/rollout/report-builder.ts
/** Assembles the report every renderer and reporter reads. */
function buildReport(p) {
    const v = p.values;
    const target = v.previousVersion !== undefined ? { target: v.previousVersion } : {};
    return {
        service: v.service,
        environment: v.environment,
        version: v.version,
        ...(v.previousVersion !== undefined
            ? { previousVersion: v.previousVersion }
            : {}),
        sha: v.sha,
        result: p.result,
        ...(p.failedGate !== undefined ? { failedGate: p.failedGate } : {}),
        reason: p.reason,
        startedAt: p.startedAt,
        endedAt: p.endedAt,
        gates: p.gates,
        chart: p.chart ?? [],
        timeline: p.timeline,
        ...(p.rollback
            ? {
                rollback: {
                    attempts: p.rollback.attempts,
                    ok: p.rollback.kind === 'rolled-back',
                    ...target,
                    reason: p.rollback.reason
                }
            }
            : {})
    };
}

;// CONCATENATED MODULE: ./src/rollout/rollback.ts

const VERIFY_WITHIN_MS = 2 * 60_000;
const VERIFY_INTERVAL_MS = 2_000;
/** Runs the rollback until it succeeds or runs out of attempts. */
async function rollback(ctx, changes, shifter, why) {
    const cfg = ctx.config.rollback;
    const attempts = cfg?.attempts ?? 3;
    const timeout = cfg?.timeout ?? 15 * 60_000;
    const target = cfg?.traffic ?? 0;
    const startedAt = ctx.clock.now();
    // A fresh signal: the run's own may be the cancellation we clean up after.
    const signal = new AbortController().signal;
    const hurry = ctx.hurry ?? signal;
    /** Set when a second signal left the verify undone. */
    let cutShort;
    await ctx.emit({ type: 'rollback-started', reason: why, at: startedAt });
    const logTail = [];
    let reason = '';
    let done = false;
    let attempt = 0;
    while (attempt < attempts) {
        attempt += 1;
        const problems = [];
        if (shifter && changes.trafficWeight !== target) {
            ctx.weight = target;
            const r = await shifter.shift(target, {
                env: ctx.commandEnv('rollback'),
                values: ctx.renderValues(),
                signal,
                redact: ctx.redact,
                onSecrets: (secrets) => secrets.forEach((x) => ctx.redactor.add(x))
            });
            if (r.ok)
                changes.trafficWeight = target;
            else
                problems.push(`traffic: ${r.reason}`);
            if (r.logTail)
                logTail.push(...r.logTail);
        }
        if (changes.deployed && cfg?.run) {
            const r = await ctx.command('rollback', cfg.run, timeout, signal);
            logTail.push(...r.tail);
            if (r.outcome !== 'ok')
                problems.push(`rollback command ${r.reason}`);
        }
        const revert = ctx.config.gates.migrate?.revert;
        if (problems.length === 0 &&
            changes.migrated &&
            !changes.migrationReverted &&
            revert) {
            const r = await ctx.command('rollback', revert, timeout, signal);
            logTail.push(...r.tail);
            if (r.outcome === 'ok') {
                changes.migrationReverted = true;
                changes.migrationApplied = false;
            }
            else
                problems.push(`migration revert ${r.reason}`);
        }
        if (problems.length === 0 && cfg?.verify?.length && hurry.aborted) {
            cutShort = verifyCut(hurry, cfg.verify, 'skipped');
            problems.push(cutShort);
        }
        else if (problems.length === 0 && cfg?.verify?.length) {
            const v = await untilHealthy(ctx, 'rollback', {
                probes: cfg.verify,
                withinMs: ctx.config.gates.health?.within ?? VERIFY_WITHIN_MS,
                intervalMs: ctx.config.gates.health?.interval ?? VERIFY_INTERVAL_MS
            }, hurry);
            if (v.outcome === 'passed') {
                // Healthy before the signal cut it short: verified after all.
            }
            else if (hurry.aborted) {
                cutShort = verifyCut(hurry, cfg.verify, 'cut short');
                problems.push(cutShort);
            }
            else
                problems.push(`verify: ${v.reason}`);
        }
        if (problems.length === 0) {
            done = true;
            reason = `rolled back${ctx.values.previousVersion ? ` to ${ctx.values.previousVersion}` : ''} in ${attempt} attempt${attempt === 1 ? '' : 's'}`;
            break;
        }
        reason = problems.join('; ');
        // After a second signal nothing more is waited for or retried.
        if (hurry.aborted)
            break;
        if (attempt < attempts) {
            await ctx.clock
                .sleep(Math.min(30_000, 5_000 * attempt), hurry)
                .catch(() => undefined);
            if (hurry.aborted)
                break;
        }
    }
    const left = attempts - attempt;
    const finalReason = done
        ? reason
        : cutShort !== undefined
            ? `${cutShort}${left > 0 ? ` (${left} more attempt${left === 1 ? '' : 's'} not made)` : ''}`
            : `rollback failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${reason}${hurry.aborted && left > 0 ? ` (stopped by ${signalName(hurry)}; ${left} more attempt${left === 1 ? '' : 's'} not made)` : ''}${ctx.values.previousVersion ? ` (last known good version: ${ctx.values.previousVersion})` : ''}`;
    await ctx.emit({
        type: 'rollback-finished',
        ok: done,
        attempts: attempt,
        reason: finalReason,
        at: ctx.clock.now()
    });
    return {
        kind: done ? 'rolled-back' : 'rollback-failed',
        attempts: attempt,
        reason: finalReason,
        report: {
            gate: 'rollback',
            outcome: done ? 'passed' : 'failed',
            reason: finalReason,
            startedAt,
            endedAt: ctx.clock.now(),
            findings: [],
            logTail
        }
    };
}
/** `a second SIGTERM`, from the reason the root aborted `hurry` with. */
function signalName(hurry) {
    const why = hurry.reason;
    return why instanceof Error ? why.message : 'a second signal';
}
/** What a second signal left undone of the verify, in one line. */
function verifyCut(hurry, probes, how) {
    return `rollback verify ${how} by ${signalName(hurry)}: ${probes.join(', ')} not verified`;
}

;// CONCATENATED MODULE: ./src/rollout/pipeline.ts
/**
 * The pipeline (DESIGN.md §4, §6): the configured gates in order, then the
 * failure policy's decision (roll back, hold, or nothing) and the report.
 * It knows gates only through their contract.
 */

















const GATES = {
    preflight: preflightGate,
    migrate: migrateGate,
    deploy: deployGate,
    health: healthGate,
    smoke: smokeGate,
    canary: canaryGate,
    soak: soakGate,
    promote: promoteGate,
    watch: watchGate
};
/** A gate bound to its own section, or undefined when not configured. */
function configured(name, config) {
    const gate = GATES[name];
    const section = gate.section(config);
    if (section === undefined)
        return undefined;
    return { name, run: (given) => gate.run({ ...given, section }) };
}
/** Runs the selected gates and returns the report with the result. */
async function runPipeline(ctx, opts) {
    const startedAt = ctx.clock.now();
    const progress = new Progress(ctx, opts.state, {
        migrated: false,
        migrationReversible: ctx.config.gates.migrate?.revert !== undefined,
        migrationReverted: false,
        migrationApplied: false,
        deployed: false,
        trafficWeight: 0,
        ...opts.changes
    }, startedAt);
    const selected = schema/* GATE_ORDER */.x2.filter((name) => opts.gate === 'all' || opts.gate === name)
        .map((name) => configured(name, ctx.config))
        .filter((g) => g !== undefined);
    // A reference the run cannot render stops it before anything changes,
    // with or without a preflight section, in every job shape.
    const scope = selected.map((g) => g.name);
    if (!scope.includes('preflight') &&
        missingReferences(ctx.config, ctx.io.env, scope).length > 0) {
        const gate = preflightFor(scope);
        selected.unshift({
            name: 'preflight',
            run: (given) => gate.run({ ...given, section: {} })
        });
    }
    await ctx.emit({
        type: 'rollout-started',
        service: ctx.values.service,
        environment: ctx.values.environment,
        version: ctx.values.version,
        ...(ctx.values.previousVersion !== undefined
            ? { previousVersion: ctx.values.previousVersion }
            : {}),
        gates: selected.map((g) => g.name),
        at: startedAt
    });
    progress.note(`rollout of ${ctx.values.version} to ${ctx.values.environment} started`);
    await progress.save();
    let stop;
    for (const gate of selected) {
        if (ctx.signal.aborted)
            break;
        const calls = new GateCalls(ctx, progress, gate.name);
        const refused = await calls.gateStart();
        const ran = refused ??
            (await gate.run({
                ctx,
                changes: progress.changes,
                shifter: opts.shifter,
                preflight: opts.preflight,
                onlyStep: opts.gate === 'all' ? undefined : opts.step,
                oneJob: opts.gate === 'all',
                start: (step) => calls.start(step),
                record: (report) => calls.record(report),
                changing: async (patch) => {
                    progress.change(patch);
                    await progress.save();
                },
                plot: (point) => void progress.chart.push(point)
            }));
        const result = refused ? ran : await calls.gateEnd(ran);
        if (result.changed)
            progress.change(result.changed);
        if (!goesOn(result)) {
            stop = result;
            break;
        }
    }
    const facts = {
        stop,
        cancelled: ctx.signal.aborted ? ctx.cancelReason() : undefined,
        changes: progress.changes,
        selection: opts.gate,
        promotes: ctx.config.gates.canary !== undefined,
        version: ctx.values.version,
        environment: ctx.values.environment,
        reports: progress.gates
    };
    const decided = decide(facts);
    let decision;
    let rolledBack;
    if (decided.kind === 'roll-back') {
        await progress.save({ phase: 'rolling-back' });
        rolledBack = await rollback(ctx, progress.changes, opts.shifter, decided.why);
        progress.gates.push(rolledBack.report);
        progress.note(rolledBack.reason);
        decision = decide({ ...facts, rollback: rolledBack });
    }
    else
        decision = decided;
    if (decision.kind === 'hold')
        progress.note('hold: nothing was rolled back');
    const { result } = decision;
    progress.note(`result: ${result}`);
    await progress.save({
        phase: result === 'paused' ? 'running' : 'done',
        result,
        ...(rolledBack ? { rollbackAttempts: rolledBack.attempts } : {})
    });
    const report = buildReport({
        values: ctx.values,
        result,
        ...(decision.failedGate !== undefined
            ? { failedGate: decision.failedGate }
            : {}),
        reason: ctx.redact(decision.reason),
        startedAt,
        endedAt: ctx.clock.now(),
        gates: progress.gates,
        chart: progress.chart,
        timeline: progress.timeline,
        ...(rolledBack ? { rollback: rolledBack } : {})
    });
    await ctx.emit({ type: 'rollout-finished', report, at: ctx.clock.now() });
    return report;
}

;// CONCATENATED MODULE: ./src/rollout/run.ts










function dryRunShifter() {
    return {
        shift: (weight) => Promise.resolve({
            ok: true,
            reason: `dry-run: traffic not shifted (would set ${weight}%)`,
            durationMs: 0
        })
    };
}
function context(opts, io) {
    const listed = opts.config.gates.preflight?.secrets ?? [];
    const secrets = [
        ...(opts.secrets ?? []),
        ...listed.map((n) => io.env[n]).filter((v) => !!v)
    ];
    const redactor = opts.redactor ??
        (0,redact_redactor/* createRedactor */.lY)(secrets, { identifiers: configIdentifiers(opts.config) });
    if (opts.redactor)
        for (const s of secrets)
            redactor.add(s);
    const ctx = new GateContext(opts.config, opts.values, io, redactor, opts.signal, opts.dryRun);
    if (opts.hurry)
        ctx.hurry = opts.hurry;
    return ctx;
}
function shifter(opts, io) {
    const canary = opts.config.gates.canary;
    if (!canary)
        return undefined;
    if (opts.dryRun)
        return dryRunShifter();
    return shifterFor(canary, {
        run: io.runCommand,
        cwd: io.workspace,
        readFile: io.readFile
    });
}
/** Runs a rollout (all gates or one) and returns its report. */
async function runRollout(opts, io) {
    const recorded = await readState(opts.state, io);
    if (opts.gate === 'rollback')
        opts = rollingBack(opts, recorded);
    const ctx = context(opts, io);
    const previous = previousOf(recorded, opts.values);
    if (opts.gate === 'rollback') {
        return manualRollback(ctx, opts, io, previous);
    }
    // In the one-job-per-gate shape, earlier jobs' changes carry over; any
    // run of a version whose migration is in place does not run it again.
    const changes = opts.gate !== 'all' && previous.changes
        ? previous.changes
        : previous.migrationApplied
            ? { migrationApplied: true }
            : undefined;
    return runPipeline(ctx, {
        gate: opts.gate,
        ...(opts.step !== undefined ? { step: opts.step } : {}),
        shifter: shifter(opts, io),
        state: opts.state,
        ...(opts.preflight ? { preflight: opts.preflight } : {}),
        ...(changes ? { changes } : {})
    });
}
async function readState(state, io) {
    try {
        return await state.load();
    }
    catch (e) {
        io.warn(`could not read rollout state: ${(0,errors/* errorMessage */.gJ)(e)}`);
        return undefined;
    }
}
/**
 * A manual rollback undoes the environment's last recorded rollout, not
 * the version the dispatch happens to be run for (a workflow_dispatch on
 * main has no tag, so its default version is a short SHA): it takes that
 * rollout's version, so its migration is reverted and commands see it.
 */
function rollingBack(opts, s) {
    if (!s ||
        s.service !== opts.values.service ||
        s.environment !== opts.values.environment ||
        s.rolloutVersion === opts.values.version) {
        return opts;
    }
    return { ...opts, values: { ...opts.values, version: s.rolloutVersion } };
}
function previousOf(s, values) {
    if (!s)
        return { migrationApplied: false, migrationReversible: false };
    const same = s.service === values.service &&
        s.environment === values.environment &&
        s.rolloutVersion === values.version;
    const migrationApplied = same && s.changed.migrationApplied === true;
    const migrationReversible = s.changed.migrationReversible === true;
    // A job that passed ends its state `done`; the next job of the same
    // rollout still has to know what it changed.
    const inForce = s.phase !== 'done' || (same && s.result === 'passed');
    if (!inForce)
        return { migrationApplied, migrationReversible };
    return {
        changes: {
            migrated: s.changed.migrated,
            migrationReversible: s.changed.migrationReversible,
            migrationApplied,
            deployed: s.changed.deployed,
            trafficWeight: s.changed.trafficWeight
        },
        migrationApplied,
        migrationReversible
    };
}
/**
 * `gate: rollback`: the fast track. No analysis, no bakes: traffic back,
 * the rollback command to the target version, then verify.
 */
async function manualRollback(ctx, opts, io, { changes: previous, migrationApplied, migrationReversible }) {
    const startedAt = io.clock.now();
    // A rollback job of the same rollout knows what changed (the deployment's
    // state); a manual one does not, so it undoes deploy and traffic.
    const changes = previous
        ? {
            migrated: previous.migrated ?? false,
            migrationReversible: previous.migrationReversible ?? false,
            migrationReverted: false,
            migrationApplied,
            deployed: previous.deployed ?? false,
            trafficWeight: previous.trafficWeight ?? 0
        }
        : {
            // The finished rollout's migration, if it is still in force: a
            // reversible one is reverted, an irreversible one holds.
            migrated: migrationApplied,
            migrationReversible: migrationApplied && migrationReversible,
            migrationReverted: false,
            migrationApplied,
            deployed: true,
            // Unknown: shift back whatever the weight is now.
            trafficWeight: 100
        };
    if (irreversible(changes)) {
        return holdReport(ctx, opts, io, startedAt);
    }
    await ctx.emit({
        type: 'rollout-started',
        service: opts.values.service,
        environment: opts.values.environment,
        version: opts.values.version,
        ...(opts.values.previousVersion !== undefined
            ? { previousVersion: opts.values.previousVersion }
            : {}),
        gates: ['rollback'],
        at: startedAt
    });
    const rb = await rollback(ctx, changes, shifter(opts, io), 'manual rollback');
    const report = buildReport({
        values: opts.values,
        result: rb.kind,
        ...(rb.kind === 'rollback-failed' ? { failedGate: 'rollback' } : {}),
        reason: rb.reason,
        startedAt,
        endedAt: io.clock.now(),
        gates: [rb.report],
        timeline: [{ at: startedAt, text: `manual rollback: ${rb.reason}` }],
        rollback: rb
    });
    await opts.state
        .save({
        ...stateIdentity(opts.values),
        startedAt,
        updatedAt: io.clock.now(),
        phase: 'done',
        changed: {
            migrated: false,
            migrationReversible: false,
            // A revert it ran is recorded; a migration it did not know of stays.
            migrationApplied: changes.migrationApplied,
            deployed: false,
            trafficWeight: changes.trafficWeight
        },
        result: report.result,
        rollbackAttempts: rb.attempts
    })
        .catch((e) => io.warn(`could not save rollout state: ${(0,errors/* errorMessage */.gJ)(e)}`));
    await ctx.emit({ type: 'rollout-finished', report, at: io.clock.now() });
    return report;
}
/** A rollback asked for after an irreversible migration: hold instead. */
async function holdReport(ctx, opts, io, startedAt) {
    const reason = 'HOLD: this rollout ran an irreversible migration (no revert); nothing was rolled back';
    const report = buildReport({
        values: opts.values,
        result: 'held',
        failedGate: 'rollback',
        reason,
        startedAt,
        endedAt: io.clock.now(),
        gates: [],
        timeline: [{ at: startedAt, text: reason }]
    });
    await ctx.emit({ type: 'rollout-finished', report, at: io.clock.now() });
    return report;
}
/**
 * The post step's safety net: when the main step died while a rollout was
 * running or rolling back, finish the rollback from the saved state.
 */
async function recoverRollout(opts, io) {
    const s = await opts.state.load();
    if (!s || s.phase === 'done')
        return undefined;
    if (!anythingChanged(s.changed))
        return undefined;
    const values = {
        version: s.rolloutVersion,
        ...(s.previousVersion !== undefined
            ? { previousVersion: s.previousVersion }
            : {}),
        sha: s.sha,
        environment: s.environment,
        service: s.service
    };
    const ctx = context({ ...opts, gate: 'all', values }, io);
    const startedAt = io.clock.now();
    const changes = {
        ...s.changed,
        migrationReverted: false,
        migrationApplied: s.changed.migrationApplied ?? false
    };
    const rb = irreversible(changes)
        ? undefined
        : await rollback(ctx, changes, shifter({ ...opts, gate: 'all', values }, io), 'the main step ended before the rollout finished');
    const result = rb ? rb.kind : 'held';
    const reason = rb
        ? rb.reason
        : 'the main step ended mid-rollout after an irreversible migration; HOLD: nothing was rolled back';
    await opts.state.save({
        ...s,
        changed: changedOf(changes),
        phase: 'done',
        result,
        updatedAt: io.clock.now(),
        rollbackAttempts: s.rollbackAttempts + (rb?.attempts ?? 0)
    });
    const report = buildReport({
        values,
        result,
        reason,
        startedAt,
        endedAt: io.clock.now(),
        gates: rb ? [rb.report] : [],
        timeline: [{ at: startedAt, text: `post step: ${reason}` }],
        ...(rb ? { rollback: rb } : {})
    });
    await ctx.emit({ type: 'rollout-finished', report, at: io.clock.now() });
    return report;
}

;// CONCATENATED MODULE: ./src/metrics/prometheus.ts
/**
 * The Prometheus metric source: one instant query per track and look, whose
 * answer must reduce to exactly one number. Anything else is said plainly:
 * an empty vector is no-data (the series does not exist yet, or the
 * `${track}` label matched nothing), several series are an error asking for
 * an aggregation, and Prometheus' own error text is passed through.
 */





/**
 * Runs an instant query (`GET {url}/api/v1/query`) and reduces it to one
 * reading. A wrong answer must never look like a good number, so every
 * shape other than a scalar or a one-sample vector is an error or no-data,
 * with a reason that tells the user how to fix the query.
 */
async function queryPrometheus(spec, opts = {}) {
    const clock = opts.clock ?? kernel_clock/* systemClock */.m;
    const scrub = (0,http_send/* reasonScrubber */.fF)(spec.url, spec.headers, opts);
    const reading = await query(spec, opts, scrub);
    return (0,http_json/* stamp */.iE)(reading, scrub, clock);
}
/**
 * `url` is the Prometheus base URL, possibly behind a path prefix
 * (`https://host/prometheus`) and with query parameters a proxy needs;
 * both are kept, and the API path and the query are added to them.
 */
function instantQueryUrl(base, query, timeoutMs) {
    const u = (0,http_send/* httpBaseUrl */.t8)(base, '/api/v1/query');
    if (u === undefined)
        return undefined;
    u.searchParams.append('query', query);
    // Prometheus stops evaluating when we stop waiting, instead of later.
    u.searchParams.append('timeout', `${Math.max(1, Math.round(timeoutMs))}ms`);
    return u.toString();
}
async function query(spec, opts, scrub) {
    if (spec.query.trim() === '') {
        return { kind: 'error', reason: 'empty PromQL query' };
    }
    const url = instantQueryUrl(spec.url, spec.query, spec.timeoutMs);
    if (url === undefined) {
        return {
            kind: 'error',
            reason: `invalid Prometheus url '${(0,http_scrub/* displayUrl */.Qy)(spec.url)}' (use e.g. http://prometheus:9090)`
        };
    }
    const fetched = await (0,http_json/* httpGet */.lx)(url, spec.headers, spec.timeoutMs, opts);
    if (!fetched.ok)
        return fetched.reading;
    return interpretAnswer(fetched.answer, (0,http_send/* hostPortOf */.ZC)(spec.url), spec.query, scrub);
}
/**
 * Reduces a Prometheus HTTP API answer to a reading. Exported for the
 * Prometheus-compatible backends (Thanos, Mimir, VictoriaMetrics) whose
 * quirks are easier to test on canned bodies than on live servers.
 */
function interpretAnswer(answer, target, promql, scrub = (s) => s) {
    const success = answer.status >= 200 && answer.status <= 299;
    const doc = (0,http_json/* parseJson */.qF)(answer.body);
    if (!doc.ok) {
        if (!success)
            return httpError(answer, target);
        return malformed(answer, target, `not JSON ('${(0,http_json/* quote */.hD)(answer.body, scrub, 60)}')`);
    }
    const body = doc.value;
    if (isRecord(body) && body.status === 'error') {
        return prometheusError(body, answer, target, scrub);
    }
    if (!success)
        return httpError(answer, target);
    if (!isRecord(body) || body.status !== 'success' || !isRecord(body.data)) {
        return malformed(answer, target, "no 'status: success' with 'data'");
    }
    const { resultType, result } = body.data;
    switch (resultType) {
        case 'scalar':
            return sampleReading(result, answer, target, scrub);
        case 'vector':
            return vectorReading(result, answer, target, promql, scrub);
        case 'matrix':
            return {
                kind: 'error',
                reason: 'query returned a range vector; make it an instant one (e.g. rate(x[1m]) instead of x[1m])',
                status: answer.status
            };
        case 'string':
            return {
                kind: 'error',
                reason: 'query returned a string, not a number',
                status: answer.status
            };
        default:
            return malformed(answer, target, `unknown resultType '${(0,http_json/* quote */.hD)(String(resultType), scrub, 40)}'`);
    }
}
/** A 404 almost always means the URL already had the API path in it. */
function httpError(answer, target) {
    const reading = (0,http_json/* statusError */.$C)(answer, target);
    if (answer.status !== 404)
        return reading;
    return {
        ...reading,
        reason: `${reading.reason} (url must be the Prometheus base URL, without /api/v1/query)`
    };
}
function prometheusError(body, answer, target, scrub) {
    const type = typeof body.errorType === 'string' ? body.errorType : 'error';
    const text = typeof body.error === 'string' && body.error.trim() !== ''
        ? (0,http_json/* quote */.hD)(body.error, scrub, 200)
        : `HTTP ${answer.status} from ${target}`;
    const what = type === 'bad_data' ? 'Prometheus rejected the query' : 'Prometheus error';
    const wait = answer.retryAfterMs === undefined
        ? ''
        : `; retry after ${(0,format/* formatDuration */.a3)(answer.retryAfterMs)}`;
    const reading = {
        kind: 'error',
        reason: `${what} (${(0,http_json/* quote */.hD)(type, scrub, 40)}): ${text}${wait}`,
        status: answer.status
    };
    if (answer.retryAfterMs !== undefined) {
        reading.retryAfterMs = answer.retryAfterMs;
    }
    return reading;
}
function vectorReading(result, answer, target, promql, scrub) {
    if (!Array.isArray(result)) {
        return malformed(answer, target, 'vector result is not a list');
    }
    if (result.length === 0) {
        return {
            kind: 'no-data',
            reason: `no series match '${(0,http_json/* quote */.hD)(promql, scrub, 120)}'`
        };
    }
    if (result.length > 1) {
        const differ = differingLabels(result);
        const by = differ.length === 0
            ? ''
            : ` differing in ${differ.map((l) => `'${l}'`).join(', ')}`;
        return {
            kind: 'error',
            reason: `query returned ${result.length} series${by}; aggregate it to one (sum(...), avg(...))`,
            status: answer.status
        };
    }
    const sample = result[0];
    if (!isRecord(sample)) {
        return malformed(answer, target, 'vector sample is not an object');
    }
    if (sample.value === undefined && sample.histogram !== undefined) {
        return {
            kind: 'error',
            reason: 'query returned a native histogram; reduce it to a number (histogram_quantile, histogram_count)',
            status: answer.status
        };
    }
    return sampleReading(sample.value, answer, target, scrub);
}
/** `[<unix seconds>, "<value>"]`, the pair scalars and samples come in. */
function sampleReading(pair, answer, target, scrub) {
    if (!Array.isArray(pair) ||
        pair.length !== 2 ||
        typeof pair[1] !== 'string') {
        return malformed(answer, target, 'sample is not [time, "value"]');
    }
    const n = (0,http_json/* parseNumberText */.ke)(pair[1]);
    if (n.kind === 'number')
        return { kind: 'value', value: n.value };
    if (n.kind === 'not-finite') {
        const why = /nan/i.test(n.text)
            ? ' (e.g. 0/0: no traffic in the window)'
            : ' (division by zero?)';
        return { kind: 'no-data', reason: `query returned '${n.text}'${why}` };
    }
    return malformed(answer, target, `sample value '${(0,http_json/* quote */.hD)(pair[1], scrub, 40)}' is not a number`);
}
/** Labels whose values are not the same in every series, for the hint. */
function differingLabels(series) {
    const labelSets = series.map((s) => isRecord(s) && isRecord(s.metric) ? s.metric : {});
    const names = new Set(labelSets.flatMap((m) => Object.keys(m)));
    const differ = [...names].filter((name) => {
        const values = new Set(labelSets.map((m) => JSON.stringify(m[name])));
        return values.size > 1;
    });
    return differ.sort().slice(0, 5);
}
function malformed(answer, target, what) {
    return {
        kind: 'error',
        reason: `malformed answer from ${target}: ${what}`,
        status: answer.status
    };
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ./src/metrics/read.ts
/**
 * Chooses the reader of a metric spec. CloudWatch's reader, and the AWS
 * SDK behind it, load only when a config reads CloudWatch.
 */




/** One reading from whichever source the spec names. */
async function readMetricSource(spec, opts = {}) {
    switch (spec.kind) {
        case 'prometheus':
            return queryPrometheus(spec, opts);
        case 'http-json':
            return (0,http_json/* readHttpJson */.ZH)(spec, opts);
        case 'datadog':
            return queryDatadog(spec, opts);
        case 'newrelic':
            return queryNewRelic(spec, opts);
        case 'cloudwatch': {
            const { queryCloudWatch } = await __webpack_require__.e(/* import() */ 949).then(__webpack_require__.bind(__webpack_require__, 7949));
            return queryCloudWatch(spec, opts);
        }
    }
}

;// CONCATENATED MODULE: ./src/probes/command.ts
/**
 * A probe that is a shell command: its exit code is the verdict. Used for
 * checks no HTTP or WebSocket probe can express (a CLI smoke test, a query
 * against the database, `kubectl rollout status`).
 */



/** Lines of output kept in the sample's excerpt. */
const EXCERPT_LINES = 20;
const EXCERPT_CHARS = 4000;
/** Characters of the last output line appended to a failure reason. */
const REASON_DETAIL = 200;
function command_lastLine(tail, redact) {
    for (let i = tail.length - 1; i >= 0; i--) {
        const line = tail[i].trim();
        if (line !== '')
            return (0,preview/* preview */.V)(line, REASON_DETAIL + 1, redact);
    }
    return undefined;
}
/** The last lines, redacted together (a secret may span lines), then cut. */
function excerptOf(tail, redact) {
    if (tail.length === 0)
        return undefined;
    const text = tail.slice(-EXCERPT_LINES).join('\n');
    return (0,preview/* preview */.V)(text, EXCERPT_CHARS + 1, redact, { tail: true });
}
function verdict(spec, r) {
    const name = `command '${spec.name}'`;
    const exited = r.outcome === 'ok' || r.outcome === 'failed';
    if (exited && r.exitCode === spec.exitCode) {
        return { ok: true, reason: `${name} ${r.reason}`, error: false };
    }
    if (exited && r.exitCode !== null) {
        return {
            ok: false,
            reason: `${name} exited with code ${r.exitCode} (expected ${spec.exitCode})`,
            error: false
        };
    }
    if (exited) {
        return {
            ok: false,
            reason: `${name} ${r.reason} (expected exit code ${spec.exitCode})`,
            error: false
        };
    }
    if (r.outcome === 'spawn-error') {
        return {
            ok: false,
            reason: `${name} could not start: ${r.reason}`,
            error: true
        };
    }
    return { ok: false, reason: `${name} ${r.reason}`, error: true };
}
/**
 * Runs the probe once through the shared runner, so it gets the same
 * environment, timeout, process-group kill and redaction as every `run:`;
 * a failure reason ends with the last line of output, which is usually
 * the test runner's own summary.
 */
async function runCommandProbe(spec, opts) {
    const clock = opts.clock ?? kernel_clock/* systemClock */.m;
    const run = opts.run ?? runCommand;
    const startedAt = clock.now();
    const result = await run({
        run: spec.run,
        env: opts.env,
        cwd: opts.cwd,
        timeoutMs: spec.timeoutMs,
        signal: opts.signal,
        redact: opts.redact,
        clock
    });
    const v = verdict(spec, result);
    const detail = v.ok ? undefined : command_lastLine(result.tail, opts.redact);
    const reason = detail === undefined ? v.reason : `${v.reason}: ${detail}`;
    const sample = {
        probe: spec.name,
        kind: 'command',
        ok: v.ok,
        reason: opts.redact(reason),
        attempts: 1,
        startedAt,
        timings: { totalMs: result.durationMs }
    };
    if (v.error)
        sample.error = true;
    const excerpt = excerptOf(result.tail, opts.redact);
    if (excerpt !== undefined)
        sample.excerpt = excerpt;
    return sample;
}

;// CONCATENATED MODULE: ./src/probes/http.ts
/**
 * The HTTP probe: one resolved spec in, one sample out. The request, its
 * timeouts, redirects, TLS checks, retries and expectations are the HTTP
 * client's (src/http); the probe names the result and shapes it as the
 * sample every gate reads.
 */


/**
 * Runs an HTTP probe with its retries and returns one sample. Only transport
 * errors, 5xx and 429 are retried: a wrong answer from a healthy server will
 * be just as wrong a second later.
 */
async function runHttpProbe(spec, opts = {}) {
    const startedAt = (opts.clock ?? kernel_clock/* systemClock */.m).now();
    const out = await (0,exchange/* exchange */.c)(spec, opts);
    const sample = {
        probe: spec.name,
        kind: 'http',
        ok: out.ok,
        reason: out.ok ? 'ok' : out.reason,
        attempts: out.attempts,
        startedAt,
        timings: out.timings
    };
    if (!out.ok && out.error)
        sample.error = true;
    if (out.status !== undefined)
        sample.status = out.status;
    if (out.excerpt !== undefined)
        sample.excerpt = out.excerpt;
    return sample;
}

;// CONCATENATED MODULE: ./src/rollout/real-io.ts
/**
 * The real I/O of a rollout: the system clock, bash, undici, ws and the
 * metric sources. Entries (action, CLI) build it; tests build their own.
 */








/** Wires the production implementations behind the RolloutIo seam. */
function realIo(opts) {
    return {
        ...(opts.runner ? { runner: opts.runner } : {}),
        ...(opts.logWritten ? { logWritten: opts.logWritten } : {}),
        clock: kernel_clock/* systemClock */.m,
        probeClock: kernel_clock/* systemClock */.m,
        env: opts.env,
        workspace: opts.workspace,
        readFile: (p) => (0,external_node_fs_.readFileSync)(external_node_path_.resolve(opts.workspace, p), 'utf8'),
        runCommand: runCommand,
        sendHttp: http_send/* httpSend */.v0,
        runProbe: (spec, o) => {
            switch (spec.kind) {
                case 'http':
                    return runHttpProbe(spec, {
                        clock: o.clock,
                        redact: o.redact,
                        signal: o.signal,
                        env: o.env,
                        ...(o.deadline !== undefined ? { deadline: o.deadline } : {})
                    });
                case 'http-flow':
                    return __webpack_require__.e(/* import() */ 896).then(__webpack_require__.bind(__webpack_require__, 4896)).then((m) => m.runHttpFlow(spec, {
                        clock: o.clock,
                        redact: o.redact,
                        signal: o.signal,
                        env: o.env,
                        ...(o.mask ? { mask: o.mask } : {}),
                        ...(o.deadline !== undefined ? { deadline: o.deadline } : {})
                    }));
                case 'http-burst':
                    return __webpack_require__.e(/* import() */ 148).then(__webpack_require__.bind(__webpack_require__, 148)).then((m) => m.runHttpBurst(spec, {
                        clock: o.clock,
                        redact: o.redact,
                        signal: o.signal,
                        env: o.env,
                        ...(o.deadline !== undefined ? { deadline: o.deadline } : {})
                    }));
                case 'websocket':
                    // Loaded on first use: most rollouts start with HTTP probes.
                    return Promise.all(/* import() */[__webpack_require__.e(94), __webpack_require__.e(658)]).then(__webpack_require__.bind(__webpack_require__, 5658)).then((m) => m.runWebSocketProbe(spec, {
                        clock: o.clock,
                        redact: o.redact,
                        signal: o.signal
                    }));
                case 'command':
                    return runCommandProbe(spec, {
                        env: o.env,
                        redact: o.redact,
                        clock: o.clock,
                        signal: o.signal,
                        cwd: opts.workspace
                    });
            }
        },
        readMetric: (spec, o) => readMetricSource(spec, o),
        runLoad: async (spec, expect, o) => {
            // Loaded on first use; the engine itself loads only in the worker.
            const [{ runLoadInWorker }, { evaluateLoad }] = await Promise.all([
                Promise.all(/* import() */[__webpack_require__.e(960), __webpack_require__.e(480)]).then(__webpack_require__.bind(__webpack_require__, 6480)),
                Promise.all(/* import() */[__webpack_require__.e(960), __webpack_require__.e(91)]).then(__webpack_require__.bind(__webpack_require__, 7091))
            ]);
            const result = await runLoadInWorker(spec, {
                redact: o.redact,
                signal: o.signal
            });
            const verdict = evaluateLoad(result, expect);
            return {
                // A run that never ran (bad spec, dead worker) fails even when the
                // probe expects nothing.
                ok: verdict.ok && result.ok !== false,
                reason: `${verdict.reason} (${result.reason})`
            };
        },
        reporters: opts.reporters,
        warn: opts.warn
    };
}

// EXTERNAL MODULE: ./src/report/markdown.ts + 1 modules
var report_markdown = __webpack_require__(5900);
;// CONCATENATED MODULE: ./src/report/console.ts


const PROGRESS_EVERY_MS = 10_000;
const COLORS = {
    green: '\u001b[32m',
    yellow: '\u001b[33m',
    red: '\u001b[31m',
    gray: '\u001b[90m',
    bold: '\u001b[1m',
    reset: '\u001b[0m'
};
const OUTCOME_COLOR = {
    passed: 'green',
    warned: 'yellow',
    failed: 'red',
    inconclusive: 'yellow',
    skipped: 'gray',
    held: 'red'
};
const RESULT_COLOR = {
    promoted: 'green',
    passed: 'green',
    paused: 'yellow',
    failed: 'red',
    'rolled-back': 'red',
    held: 'red',
    'rollback-failed': 'red'
};
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_ALL = /[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/g;
/**
 * One physical line: line breaks become spaces and control characters go,
 * except tab and ESC (colour codes are harmless in GitHub's log).
 */
function flat(s) {
    // A command's output passes here line by line, so the common case (a
    // printable line) returns the string itself and allocates nothing.
    if (!UNPRINTABLE.test(s))
        return s;
    return s.replace(/\r\n|\r|\n/g, ' ').replace(UNPRINTABLE_ALL, '');
}
/** `1m / 15m` → `1m/15m`, `0.4% / 0.3%` → `0.4%/0.3%`. */
function compact(value) {
    return value.replace(/\s*\/\s*/g, '/');
}
/** Bake clocks to the second: `0s`, `2m10s`. */
function seconds(ms) {
    const rounded = Math.max(0, Math.round(ms / 1000) * 1000);
    return rounded === 0 ? '0s' : (0,format/* formatDuration */.a3)(rounded);
}
/**
 * A Reporter that writes through `write(line)`. Progress lines of a bake are
 * throttled to one per `progressEveryMs` of event time (the events' `at`, so
 * a fake clock in tests and a real one in CI behave alike): the first is
 * shown at once, and the last is shown before the gate's verdict even when
 * it fell inside the quiet period.
 */
function consoleReporter(write, opts = {}) {
    const every = opts.progressEveryMs ?? PROGRESS_EVERY_MS;
    const paint = (text, color) => opts.color ? `${COLORS[color]}${text}${COLORS.reset}` : text;
    const out = (line) => write(flat(line));
    const label = (gate, step) => opts.color ? paint((0,report_markdown/* gateLabel */.GS)(gate, step), 'bold') : (0,report_markdown/* gateLabel */.GS)(gate, step);
    let lastShownAt;
    let pending;
    const resetProgress = () => {
        lastShownAt = undefined;
        pending = undefined;
    };
    const flushProgress = () => {
        if (pending)
            out(pending.line);
        pending = undefined;
    };
    const onEvent = (e) => {
        switch (e.type) {
            case 'rollout-started': {
                const prev = e.previousVersion ? ` (from ${e.previousVersion})` : '';
                const gates = e.gates.length > 0 ? e.gates.join(', ') : 'none';
                out(`deploy-gates: ${e.service} ${e.version}${prev} → ${e.environment} · gates: ${gates}`);
                return;
            }
            case 'gate-started':
                flushProgress();
                resetProgress();
                out(`${label(e.gate, e.step)} · started`);
                return;
            case 'progress': {
                const total = seconds(e.elapsedMs + Math.max(0, e.remainingMs));
                const values = Object.entries(e.values).map(([name, v]) => `${name} ${compact(v)}`);
                const line = [
                    label(e.gate, e.step),
                    `${seconds(e.elapsedMs)}/${total}`,
                    ...values
                ].join(' · ');
                const due = lastShownAt === undefined || e.at - lastShownAt >= every;
                if (due || e.remainingMs <= 0) {
                    pending = undefined;
                    lastShownAt = e.at;
                    out(line);
                }
                else {
                    pending = { line, at: e.at };
                }
                return;
            }
            case 'log':
                // One write for a block of command output, each line made flat.
                write(e.lines.map((l) => flat(`${e.gate} | ${l}`)).join('\n'));
                return;
            case 'gate-finished': {
                flushProgress();
                const r = e.report;
                const took = (0,format/* formatDuration */.a3)(Math.max(0, r.endedAt - r.startedAt));
                out(`${label(r.gate, r.step)} · ${paint(r.outcome, OUTCOME_COLOR[r.outcome])} in ${took}: ${r.reason}`);
                if (r.outcome !== 'passed' && r.outcome !== 'skipped') {
                    for (const f of (0,report_markdown/* keyFindings */.se)(r)) {
                        if (f.level !== 'ok')
                            out(`  ${f.level}: ${(0,report_markdown/* findingLine */.mC)(f)}`);
                    }
                }
                resetProgress();
                return;
            }
            case 'rollback-started':
                flushProgress();
                out(`rollback · ${paint('started', 'yellow')}: ${e.reason}`);
                return;
            case 'rollback-finished': {
                const tries = `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}`;
                const word = e.ok ? paint('done', 'green') : paint('FAILED', 'red');
                out(`rollback · ${word} after ${tries}: ${e.reason}`);
                return;
            }
            case 'rollout-finished': {
                flushProgress();
                const r = e.report;
                const v = (0,report_markdown/* verdictParts */.gj)(r);
                const where = v.where ? ` at ${v.where}` : '';
                const took = (0,format/* formatDuration */.a3)(Math.max(0, r.endedAt - r.startedAt));
                out(`result: ${paint(v.result, RESULT_COLOR[r.result])}${where}: ${v.reason} (${took})`);
                return;
            }
        }
    };
    return {
        onEvent(e) {
            try {
                onEvent(e);
            }
            catch {
                // A reporter must not throw; a broken write loses only this line.
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/report/json.ts
/** Bumped only when a field changes meaning or disappears. */
const JSON_REPORT_VERSION = 1;
/** ISO 8601 in UTC; an invalid stamp becomes the epoch rather than throwing. */
function iso(ms) {
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}
function num(v) {
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function finding(f) {
    return {
        name: f.name,
        level: f.level,
        value: f.value ?? null,
        baseline: f.baseline ?? null,
        condition: f.condition ?? null,
        n: f.n ? { canary: f.n.canary, baseline: f.n.baseline ?? null } : null,
        reason: f.reason,
        detectable: f.detectable ?? null
    };
}
function gate(g) {
    return {
        gate: g.gate,
        step: g.step ?? null,
        outcome: g.outcome,
        reason: g.reason,
        startedAt: iso(g.startedAt),
        endedAt: iso(g.endedAt),
        durationMs: Math.max(0, g.endedAt - g.startedAt),
        findings: g.findings.map(finding),
        logTail: [...(g.logTail ?? [])],
        series: g.series
            ? {
                at: [...g.series.at],
                metrics: g.series.metrics.map((m) => ({
                    name: m.name,
                    kind: m.kind,
                    source: m.source,
                    canary: [...m.canary],
                    baseline: m.baseline ? [...m.baseline] : null,
                    threshold: m.threshold ? [...m.threshold] : null
                }))
            }
            : null
    };
}
function point(p) {
    return {
        weight: p.weight,
        canary: { errorRate: num(p.canary.errorRate), p95Ms: num(p.canary.p95Ms) },
        baseline: {
            errorRate: num(p.baseline.errorRate),
            p95Ms: num(p.baseline.p95Ms)
        }
    };
}
/**
 * The report as plain JSON data. Pure: the caller writes it, so a reporting
 * failure stays the caller's to log and never touches the verdict.
 */
function toJsonReport(report) {
    return {
        schemaVersion: JSON_REPORT_VERSION,
        service: report.service,
        environment: report.environment,
        version: report.version,
        previousVersion: report.previousVersion ?? null,
        sha: report.sha,
        result: report.result,
        failedGate: report.failedGate ?? null,
        reason: report.reason,
        startedAt: iso(report.startedAt),
        endedAt: iso(report.endedAt),
        durationMs: Math.max(0, report.endedAt - report.startedAt),
        gates: report.gates.map(gate),
        chart: report.chart.map(point),
        timeline: report.timeline.map((t) => ({ at: iso(t.at), text: t.text })),
        rollback: report.rollback
            ? {
                attempts: report.rollback.attempts,
                ok: report.rollback.ok,
                target: report.rollback.target ?? null,
                reason: report.rollback.reason
            }
            : null
    };
}

;// CONCATENATED MODULE: ./src/notify/messages.ts
/**
 * What a notification says, as pure data: a Slack incoming-webhook message
 * and a generic webhook document, both built from the rollout report. The
 * person paged at night reads one line first, so the verdict with its
 * numbers leads, then the gate, the versions and the way to the run.
 */



/** Slack's limits: header text, a section's text, a field, a message. */
const HEADER_CHARS = 150;
const SECTION_CHARS = 3000;
const FIELD_CHARS = 2000;
const TEXT_CHARS = 3000;
/** Findings listed in the Slack message. */
const SLACK_FINDINGS = 5;
const EMOJI = {
    promoted: ':white_check_mark:',
    passed: ':white_check_mark:',
    paused: ':double_vertical_bar:',
    failed: ':x:',
    'rolled-back': ':rewind:',
    held: ':warning:',
    'rollback-failed': ':rotating_light:'
};
function messages_oneLine(s) {
    return s.replace(/\s*[\r\n]+\s*/g, ' ');
}
function messages_clip(s, max) {
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
/**
 * Slack's mrkdwn treats `<...>` as links and mentions (`<!channel>`), so
 * text from a report must not carry them.
 */
function slackEscape(s) {
    return messages_oneLine(s)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
}
function slackCode(s) {
    return `\`${slackEscape(s).replace(/`/g, "'")}\``;
}
/** `<url|label>`, with the characters that would end the link encoded. */
function slackLink(url, label) {
    const safe = url.replace(/[\s<>|]/g, (c) => encodeURIComponent(c));
    return `<${safe}|${slackEscape(label)}>`;
}
function messages_iso(ms) {
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
/** The findings that explain the verdict: the failing gate's bad ones. */
function failingFindings(r, max) {
    const g = (0,report_markdown/* failedGateReport */.zf)(r);
    if (!g)
        return [];
    return (0,report_markdown/* keyFindings */.se)(g, g.findings.length)
        .filter((f) => f.level !== 'ok')
        .slice(0, max);
}
function where(r) {
    return (0,report_markdown/* verdictParts */.gj)(r).where;
}
/** One line, plain text: `matches-api v3 → staging: rolled-back at ...`. */
function verdictText(r) {
    const at = where(r) ? ` at ${where(r)}` : '';
    return messages_oneLine(`deploy-gates: ${r.service} ${r.version} → ${r.environment}: ${r.result}${at}: ${r.reason}`);
}
/** The Slack message: verdict, versions, failing gate and findings, link. */
function slackMessage(r, opts = {}) {
    const at = where(r) ? ` at ${slackEscape(where(r))}` : '';
    const verdict = `${EMOJI[r.result]} *${r.result}*${at}: ${slackEscape(r.reason)}`;
    const versions = r.previousVersion
        ? `${slackCode(r.version)} → ${slackCode(r.previousVersion)}`
        : slackCode(r.version);
    const fields = [
        { type: 'mrkdwn', text: `*Service*\n${slackEscape(r.service)}` },
        { type: 'mrkdwn', text: `*Environment*\n${slackEscape(r.environment)}` },
        {
            type: 'mrkdwn',
            text: `*Version${r.previousVersion ? ' → previous' : ''}*\n${versions}`
        }
    ];
    if (r.failedGate !== undefined) {
        fields.push({
            type: 'mrkdwn',
            text: `*Failed gate*\n${slackEscape(where(r) || r.failedGate)}`
        });
    }
    if (r.rollback) {
        const tries = `${r.rollback.attempts} attempt${r.rollback.attempts === 1 ? '' : 's'}`;
        fields.push({
            type: 'mrkdwn',
            text: `*Rollback*\n${r.rollback.ok ? 'ok' : '*failed*'} after ${tries}`
        });
    }
    fields.push({
        type: 'mrkdwn',
        text: `*Duration*\n${(0,format/* formatDuration */.a3)(Math.max(0, r.endedAt - r.startedAt))}`
    });
    const blocks = [
        {
            type: 'header',
            text: {
                type: 'plain_text',
                text: messages_clip(messages_oneLine(`${r.service} ${r.version} → ${r.environment}: ${r.result}`), HEADER_CHARS)
            }
        },
        {
            type: 'section',
            text: { type: 'mrkdwn', text: messages_clip(verdict, SECTION_CHARS) }
        },
        {
            type: 'section',
            fields: fields.map((f) => ({ ...f, text: messages_clip(f.text, FIELD_CHARS) }))
        }
    ];
    const findings = failingFindings(r, SLACK_FINDINGS);
    if (findings.length > 0) {
        const lines = findings.map((f) => `• ${slackEscape(f.name)} (${f.level}): ${slackEscape((0,report_markdown/* findingLine */.mC)(f))}`);
        blocks.push({
            type: 'section',
            text: {
                type: 'mrkdwn',
                text: messages_clip(`*Findings*\n${lines.join('\n')}`, SECTION_CHARS)
            }
        });
    }
    if (r.rollback && !r.rollback.ok) {
        blocks.push({
            type: 'section',
            text: {
                type: 'mrkdwn',
                text: messages_clip(`*Rollback failed:* ${slackEscape(r.rollback.reason)}`, SECTION_CHARS)
            }
        });
    }
    const context = [];
    if (opts.runUrl)
        context.push(slackLink(opts.runUrl, 'Workflow run'));
    if (r.sha)
        context.push(`commit ${slackCode(r.sha.slice(0, 7))}`);
    if (context.length > 0) {
        blocks.push({
            type: 'context',
            elements: [{ type: 'mrkdwn', text: context.join(' · ') }]
        });
    }
    // The fallback text is mrkdwn too: escaped like the blocks.
    const link = opts.runUrl ? ` ${slackLink(opts.runUrl, 'run')}` : '';
    return {
        text: `${messages_clip(slackEscape(verdictText(r)), TEXT_CHARS)}${link}`,
        blocks
    };
}
/** The generic webhook's document: the verdict and every gate, as data. */
function webhookDocument(r, opts = {}) {
    const failed = (0,report_markdown/* failedGateReport */.zf)(r);
    return {
        event: 'deploy-gates.rollout',
        result: r.result,
        service: r.service,
        environment: r.environment,
        version: r.version,
        previousVersion: r.previousVersion ?? null,
        sha: r.sha,
        failedGate: r.failedGate ?? null,
        failedStep: failed?.step ?? null,
        reason: r.reason,
        runUrl: opts.runUrl ?? null,
        startedAt: messages_iso(r.startedAt),
        endedAt: messages_iso(r.endedAt),
        gates: r.gates.map((g) => ({
            gate: g.gate,
            step: g.step ?? null,
            outcome: g.outcome,
            reason: g.reason
        })),
        rollback: r.rollback
            ? {
                ok: r.rollback.ok,
                attempts: r.rollback.attempts,
                target: r.rollback.target ?? null,
                reason: r.rollback.reason
            }
            : null
    };
}
/** Every string of a JSON-like value passed through `clean`. */
function cleanDeep(value, clean) {
    return (0,interpolate/* mapStrings */.to)(value, clean);
}

;// CONCATENATED MODULE: ./src/notify/step-messages.ts

const step_messages_REASON_CHARS = 1000;
function step_messages_clip(s) {
    const one = s.replace(/\s+/g, ' ').trim();
    return one.length > step_messages_REASON_CHARS ? `${one.slice(0, step_messages_REASON_CHARS)}…` : one;
}
function label(m) {
    return `${m.gate}${m.step !== undefined ? ` ${m.step}%` : ''}`;
}
/** One line: `matches-api v2 → staging: canary 25% passed: <reason>`. */
function momentText(m) {
    const what = m.outcome !== undefined ? `${label(m)} ${m.outcome}` : `${label(m)} started`;
    const why = m.reason ? `: ${step_messages_clip(m.reason)}` : '';
    return `deploy-gates: ${m.service} ${m.version} → ${m.environment}: ${what}${why}`;
}
/** The Slack message of a moment: one section, mrkdwn escaped. */
function momentSlackMessage(m, runUrl) {
    const text = slackEscape(momentText(m));
    const link = runUrl ? ` ${slackLink(runUrl, 'run')}` : '';
    return {
        text: `${text}${link}`,
        blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: `${text}${link}` } }
        ]
    };
}
/** The webhook document of a moment; `event` says which moment it is. */
function momentDocument(m, runUrl) {
    return {
        event: `deploy-gates.${m.event}`,
        service: m.service,
        environment: m.environment,
        version: m.version,
        gate: m.gate,
        step: m.step ?? null,
        outcome: m.outcome ?? null,
        reason: m.reason !== undefined ? step_messages_clip(m.reason) : null,
        at: new Date(m.at).toISOString(),
        runUrl: runUrl ?? null
    };
}

;// CONCATENATED MODULE: ./src/notify/reporter.ts







/** Results that notify when the config does not say (matches the schema). */
const DEFAULT_NOTIFY_ON = [
    'rolled-back',
    'held',
    'rollback-failed'
];
/** Attempts per notification: the first try and two retries. */
const NOTIFY_ATTEMPTS = 3;
const BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const ATTEMPT_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5000;
/** No new attempt starts after this long: a job should not hang on Slack. */
const DEFAULT_BUDGET_MS = 30_000;
function reporter_noFile(path) {
    throw new errors/* ConfigError */.xL(`cannot read '${path}'`);
}
function request(url, headers) {
    return {
        url,
        method: 'POST',
        follow: 0,
        ...(headers ? { headers } : {}),
        timeout: { total: ATTEMPT_TIMEOUT_MS, connect: CONNECT_TIMEOUT_MS },
        retries: {
            attempts: NOTIFY_ATTEMPTS,
            backoff: BACKOFF_MS,
            'max-backoff': MAX_BACKOFF_MS
        },
        expect: { status: ['2xx'] }
    };
}
function targets(config, runUrl) {
    const opts = runUrl ? { runUrl } : {};
    const out = [];
    if (config.slack) {
        out.push({
            label: 'Slack',
            request: request(config.slack.webhook),
            body: (r) => slackMessage(r, opts),
            moment: (m) => momentSlackMessage(m, runUrl)
        });
    }
    if (config.webhook) {
        out.push({
            label: 'webhook',
            request: request(config.webhook.url, config.webhook.headers),
            body: (r) => webhookDocument(r, opts),
            moment: (m) => momentDocument(m, runUrl)
        });
    }
    return out;
}
/** `host/path` without the query, where webhook tokens tend to live. */
function shownTarget(spec, clean) {
    try {
        const u = new URL(spec.url);
        return clean(`${u.host}${u.pathname}`);
    }
    catch {
        return 'the webhook';
    }
}
function valuesFor(s, deps) {
    const r = s.kind === 'report'
        ? s.report
        : { ...s.moment, sha: s.sha ?? '', previousVersion: undefined };
    return {
        vars: deps.vars ?? {},
        env: deps.env,
        builtins: {
            version: r.version,
            ...(r.previousVersion ? { previous_version: r.previousVersion } : {}),
            environment: r.environment,
            sha: r.sha,
            service: r.service
        }
    };
}
/**
 * Pieces of a secret URL that are secrets on their own: a Slack webhook's
 * token shows up in a log line without the rest of the URL. Only
 * token-like pieces count (8+ characters with a digit, or 20+), so path
 * words such as `services` stay readable.
 */
function urlSecretParts(secret) {
    let u;
    try {
        u = new URL(secret);
    }
    catch {
        return [];
    }
    const decode = (s) => {
        try {
            return decodeURIComponent(s);
        }
        catch {
            return s;
        }
    };
    const pieces = [
        decode(u.username),
        decode(u.password),
        ...u.pathname.split('/').map(decode),
        ...u.searchParams.values()
    ];
    const tokenLike = (p) => !/\s/.test(p) && (p.length >= 20 || (p.length >= 8 && /\d/.test(p)));
    return [...new Set(pieces.filter(tokenLike))];
}
function prepare(target, subject, deps) {
    const resolved = (0,resolve/* resolveHttpRequest */.yA)(target.request, {
        values: valuesFor(subject, deps),
        readFile: reporter_noFile
    });
    if (!resolved.ok)
        return { ok: false, target, error: resolved.error };
    return {
        ok: true,
        target,
        spec: resolved.spec,
        secrets: resolved.secrets.flatMap((s) => [s, ...urlSecretParts(s)])
    };
}
async function deliver(p, subject, clean, deps) {
    const clock = deps.clock ?? kernel_clock/* systemClock */.m;
    const name = `notify ${p.target.label}`;
    // The body is data, never a template: a reason that reads `${secrets.X}`
    // is sent as written (then redacted), not rendered. Its text is redacted
    // before the message clips it, and the message once more after.
    const body = JSON.stringify(cleanDeep(subject.kind === 'report'
        ? p.target.body(cleanDeep(subject.report, clean))
        : p.target.moment(cleanDeep(subject.moment, clean)), clean));
    const headers = { ...p.spec.headers };
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json; charset=utf-8';
    }
    const spec = { ...p.spec, headers, body };
    const shown = shownTarget(spec, clean);
    const t0 = clock.monotonic();
    const outcome = await (0,exchange/* exchange */.c)(spec, {
        clock,
        redact: clean,
        env: deps.env,
        deadline: t0 + (deps.budgetMs ?? DEFAULT_BUDGET_MS),
        ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
        ...(deps.random ? { random: deps.random } : {})
    });
    if (outcome.ok) {
        const tries = outcome.attempts > 1 ? `, after ${outcome.attempts} attempts` : '';
        deps.info?.(clean(`${name}: sent to ${shown} (${outcome.status}${tries})`));
        return;
    }
    deps.warn(clean(`${name}: POST to ${shown} failed: ${outcome.reason}`));
}
function firstLine(e) {
    return (0,errors/* errorMessage */.gJ)(e).split('\n')[0];
}
/**
 * Renders every target first, so a secret of one target (the Slack URL)
 * is masked in the other's body too, then sends them all at once.
 */
async function notify(list, subject, deps) {
    const prepared = list.map((t) => prepare(t, subject, deps));
    const secrets = prepared.flatMap((p) => (p.ok ? p.secrets : []));
    if (secrets.length > 0)
        deps.addSecrets?.(secrets);
    const local = (0,redact_redactor/* createRedactor */.lY)(secrets, { shapes: false });
    const clean = (s) => local.redact(deps.redact(s));
    await Promise.all(prepared.map(async (p) => {
        if (!p.ok) {
            deps.warn(clean(`notify ${p.target.label}: ${p.error}; nothing sent`));
            return;
        }
        try {
            await deliver(p, subject, clean, deps);
        }
        catch (e) {
            deps.warn(clean(`notify ${p.target.label}: ${firstLine(e)}`));
        }
    }));
}
/**
 * The gate or step moment an event stands for, when `notify.on` asks for
 * it. A canary's moments are its steps: it has no gate-wide start or end.
 */
function momentOf(event, started, on) {
    if (!started)
        return undefined;
    const base = {
        service: started.service,
        environment: started.environment,
        version: started.version
    };
    if (event.type === 'gate-started') {
        const kind = event.step === undefined ? 'gate-start' : 'step-start';
        if (!on.has(kind))
            return undefined;
        return {
            ...base,
            event: kind,
            gate: event.gate,
            ...(event.step !== undefined ? { step: event.step } : {}),
            at: event.at
        };
    }
    if (event.type === 'gate-finished' && event.report.gate !== 'rollback') {
        const r = event.report;
        const kind = r.step === undefined ? 'gate-end' : 'step-end';
        if (!on.has(kind))
            return undefined;
        return {
            ...base,
            event: kind,
            gate: r.gate,
            ...(r.step !== undefined ? { step: r.step } : {}),
            outcome: r.outcome,
            reason: r.reason,
            at: event.at
        };
    }
    return undefined;
}
/**
 * The notify reporter. It sends to every configured target at once on
 * `rollout-finished` with a result listed in `notify.on`, and at each gate
 * or step start or end that `notify.on` lists.
 */
function notifyReporter(config, deps) {
    const list = config ? targets(config, deps.runUrl) : [];
    const on = new Set(config?.on ?? DEFAULT_NOTIFY_ON);
    let started;
    return {
        async onEvent(event) {
            if (event.type === 'rollout-started')
                started = event;
            if (list.length === 0)
                return;
            let subject;
            if (event.type === 'rollout-finished') {
                if (on.has(event.report.result)) {
                    subject = {
                        kind: 'report',
                        report: cleanDeep(event.report, deps.redact)
                    };
                }
            }
            else {
                const moment = momentOf(event, started, on);
                if (moment) {
                    subject = { kind: 'moment', moment: cleanDeep(moment, deps.redact) };
                }
            }
            if (!subject)
                return;
            try {
                await notify(list, subject, deps);
            }
            catch (e) {
                deps.warn(deps.redact(`notify: ${firstLine(e)}`));
            }
        }
    };
}

// EXTERNAL MODULE: ./src/github/dora.ts
var dora = __webpack_require__(4211);
;// CONCATENATED MODULE: ./src/engine.ts
/**
 * Everything a running rollout needs, behind one module that only the
 * composition root (src/app/root.ts) imports; the entries load the root
 * lazily, so `validate` and `plan` never pay for probes and analysis.
 */











// EXTERNAL MODULE: ./src/app/secrets.ts
var secrets = __webpack_require__(3234);
;// CONCATENATED MODULE: ./src/app/groups.ts

/** Wraps `inner` (the console reporter) without changing its lines. */
function groupedReporter(host, inner) {
    let open = false;
    const close = () => {
        if (open)
            host.endGroup();
        open = false;
    };
    const start = (title) => {
        // Sections do not nest: a new one ends the one before.
        close();
        host.startGroup(title);
        open = true;
    };
    return {
        async onEvent(e) {
            switch (e.type) {
                case 'gate-started':
                    start((0,report_markdown/* gateLabel */.GS)(e.gate, e.step));
                    break;
                case 'rollback-started':
                    start('rollback');
                    break;
                case 'gate-finished':
                case 'rollback-finished':
                case 'rollout-finished':
                    close();
                    break;
                default:
                    break;
            }
            await inner.onEvent(e);
        },
        close
    };
}

;// CONCATENATED MODULE: ./src/app/outputs.ts
/** Every output action.yml declares. */
const OUTPUT_NAMES = (/* unused pure expression or super */ null && ([
    'result',
    'failed-gate',
    'reason',
    'version',
    'previous-version',
    'deployment-id',
    'report',
    'plan',
    'dora'
]));
/** What a finished (or recovered) rollout tells the next steps. */
function reportOutputs(report, where) {
    return {
        result: report.result,
        reason: report.reason,
        version: report.version,
        ...(report.previousVersion
            ? { 'previous-version': report.previousVersion }
            : {}),
        ...(report.failedGate ? { 'failed-gate': report.failedGate } : {}),
        ...(where.reportFile ? { report: where.reportFile } : {}),
        ...(where.deploymentId !== undefined
            ? { 'deployment-id': String(where.deploymentId) }
            : {})
    };
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
;// CONCATENATED MODULE: ./src/runner/monitor.ts
/**
 * Watches this process's own ability to run: a short ticker records every
 * stall of the event loop (a blocked loop or a process the kernel did not
 * schedule, as on a loaded 2-core runner) with when it happened, so a probe
 * sample can be asked whether its measurement overlapped one; Node's
 * event-loop delay histogram and the process's CPU time give each bake the
 * numbers its report shows.
 */


/** How often the ticker looks; a stall is a tick that came this much late. */
const TICK_MS = 10;
/** Stalls shorter than this are scheduling noise and not kept. */
const KEEP_STALL_MS = 5;
/** Stalls kept for lookups; a probe asks right after its sample ends. */
const MAX_STALLS = 4096;
/**
 * Starts watching. The ticker is unref'd and costs one timer every 10 ms;
 * `now` must be the probe clock's monotonic time (performance.now).
 */
function startRunnerMonitor(now = () => external_node_perf_hooks_.performance.now()) {
    const stalls = [];
    let last = now();
    const timer = setInterval(() => {
        const t = now();
        if (t - last - TICK_MS >= KEEP_STALL_MS) {
            stalls.push({ from: last + TICK_MS, to: t });
            if (stalls.length > MAX_STALLS)
                stalls.splice(0, stalls.length - MAX_STALLS);
        }
        last = t;
    }, TICK_MS);
    timer.unref();
    const longestStallSince = (from) => {
        let longest = 0;
        for (let i = stalls.length - 1; i >= 0; i--) {
            const s = stalls[i];
            if (s.to < from)
                break;
            longest = Math.max(longest, s.to - Math.max(s.from, from));
        }
        return longest;
    };
    return {
        stallDuring(from, to) {
            // A stall still going on shows only when the ticker comes back, and
            // the sample's callback ran after it: count the time since the last
            // tick as a possible stall too.
            let longest = Math.max(0, Math.min(now(), to) - Math.max(last, from) - TICK_MS);
            for (let i = stalls.length - 1; i >= 0; i--) {
                const s = stalls[i];
                if (s.to < from)
                    break;
                if (s.from <= to)
                    longest = Math.max(longest, s.to - s.from);
            }
            return longest;
        },
        window() {
            const lag = (0,external_node_perf_hooks_.monitorEventLoopDelay)({ resolution: TICK_MS });
            lag.enable();
            const cpu = process.cpuUsage();
            const started = now();
            const read = () => {
                const used = process.cpuUsage(cpu);
                const wall = Math.max(1, now() - started);
                const ms = (ns) => (Number.isFinite(ns) ? ns / 1e6 : 0);
                // The histogram counts its own resolution as delay; take it off.
                const over = (ns) => lag.count > 0 ? Math.max(0, ms(ns) - TICK_MS) : 0;
                // The histogram's own timer can miss a stall on a starved process
                // (it fires once when the loop comes back and may record little),
                // so the ticker's stalls in this window bound the maximum too.
                return {
                    lagP99Ms: over(lag.percentile(99)),
                    lagMaxMs: Math.max(over(lag.max), longestStallSince(started)),
                    cpuPercent: ((used.user + used.system) / 1000 / wall) * 100,
                    loadPerCore: (0,external_node_os_.loadavg)()[0] / (0,external_node_os_.availableParallelism)()
                };
            };
            return {
                current: read,
                close() {
                    const load = read();
                    lag.disable();
                    return load;
                }
            };
        },
        close() {
            clearInterval(timer);
        }
    };
}

;// CONCATENATED MODULE: ./src/app/root.ts
/**
 * The one composition root of a rollout, shared by the action and the CLI:
 * it wires the redactor, signals to an abort, the reporters, the state
 * store and the report files, maps the verdict to outputs and an exit code,
 * and closes what the run opened.
 */









/** How long the end of a run waits for queued GitHub updates. */
const FLUSH_MS = 60_000;
const FAILED = new Set([
    'failed',
    'rolled-back',
    'held',
    'rollback-failed'
]);
/**
 * promoted, passed and paused succeed; every other verdict fails the run,
 * except a rollback that was asked for (`gate: rollback`) and completed:
 * that run did what it was asked, so it is green. Only a rollback that
 * failed (or held) fails it.
 */
function exitCodeOf(result, gate) {
    if (gate === 'rollback' && result === 'rolled-back')
        return 0;
    return FAILED.has(result) ? 1 : 0;
}
/** A report that cannot be written is a warning; it never changes a verdict. */
function write(host, file, text, what) {
    try {
        (0,external_node_fs_.mkdirSync)(external_node_path_.dirname(file), { recursive: true });
        (0,external_node_fs_.writeFileSync)(file, text);
        return true;
    }
    catch (e) {
        host.warn(`could not write the ${what}: ${(0,errors/* errorMessage */.gJ)(e)}`);
        return false;
    }
}
/** Keeps the reports, then turns the verdict into outputs and an exit code. */
async function conclude(host, report, o) {
    const json = external_node_path_.join(o.dir, 'report.json');
    const files = {};
    if (write(host, json, `${JSON.stringify(toJsonReport(report), null, 2)}\n`, 'JSON report')) {
        files.json = json;
    }
    const markdown = (0,report_markdown/* renderMarkdown */.Gc)(report, { maxChars: 1_000_000 });
    if (o.markdownFile) {
        const md = external_node_path_.join(o.dir, 'report.md');
        if (write(host, md, markdown, 'markdown report'))
            files.markdown = md;
    }
    // What this run cost of the token's hourly GitHub budget.
    const requests = o.surfaces?.requests();
    const footer = requests !== undefined
        ? `\n<sub>GitHub API: ${requests} request${requests === 1 ? '' : 's'}</sub>\n`
        : '';
    await host.summary?.(`${markdown}${o.extra ? `\n${o.extra}` : ''}${footer}`);
    const deploymentId = o.surfaces?.deploymentId();
    const exitCode = exitCodeOf(report.result, o.gate);
    return {
        report,
        outputs: {
            ...reportOutputs(report, {
                ...(files.json ? { reportFile: files.json } : {}),
                ...(deploymentId !== undefined ? { deploymentId } : {})
            }),
            ...(o.dora ? { dora: o.dora } : {})
        },
        exitCode,
        ...(exitCode !== 0
            ? { failure: `${report.result}: ${report.reason}` }
            : {}),
        files
    };
}
/**
 * Runs gates (all, one, or a rollback). SIGINT and SIGTERM abort the run,
 * which then rolls back: the only process signal handlers of deploy-gates.
 */
async function runGates(host, req) {
    const { config, surfaces } = req;
    for (const w of (0,secrets/* shortSecretWarnings */.qq)(config))
        host.warn(w);
    const controller = new AbortController();
    // A second signal (GitHub sends SIGTERM 7.5 s after SIGINT) stops every
    // wait of the rollback, which then says what it left undone.
    const hurry = new AbortController();
    const onSignal = (signal) => {
        if (controller.signal.aborted) {
            host.interrupted(`second ${signal} received: the rollback stops waiting (verify cut short)`);
            hurry.abort(new Error(`a second ${signal}`));
            return;
        }
        host.interrupted(`${signal} received: stopping the rollout and rolling back`);
        controller.abort(new Error(`${signal} received`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const grouped = groupedReporter(host, consoleReporter((line) => host.info(line)));
    // How busy this runner is: samples it stalled on are set aside.
    const runner = startRunnerMonitor();
    try {
        // The version a rollback returns to: the caller's, else the last good
        // deployment of the environment (never waiting on it to roll back).
        const previousVersion = req.previousVersion ?? (await surfaces?.previousVersion());
        const values = {
            version: req.version,
            ...(previousVersion ? { previousVersion } : {}),
            sha: req.sha,
            environment: config.environment,
            service: config.service
        };
        // One rollout per environment: before anything changes.
        const refused = await surfaces?.acquire(controller.signal, (line) => host.info(line));
        if (refused !== undefined) {
            const now = Date.now();
            await surfaces?.flush(FLUSH_MS);
            return await conclude(host, {
                service: values.service,
                environment: values.environment,
                version: values.version,
                ...(previousVersion ? { previousVersion } : {}),
                sha: values.sha,
                result: 'failed',
                reason: refused,
                startedAt: now,
                endedAt: now,
                gates: [],
                chart: [],
                timeline: [{ at: now, text: refused }]
            }, { dir: req.dir, ...(surfaces ? { surfaces } : {}), gate: req.gate });
        }
        const file = fileStateStore(external_node_path_.join(req.dir, 'state.json'));
        const state = surfaces
            ? surfaces.stateStore(file, {
                version: 1,
                service: values.service,
                environment: values.environment,
                rolloutVersion: values.version,
                ...(previousVersion ? { previousVersion } : {}),
                sha: values.sha,
                startedAt: Date.now(),
                rollbackAttempts: 0
            })
            : file;
        const redactor = (0,redact_redactor/* createRedactor */.lY)(req.secrets, {
            identifiers: configIdentifiers(config)
        });
        const warn = (m) => host.warn(m);
        const io = realIo({
            workspace: req.workspace,
            env: process.env,
            reporters: [
                grouped,
                ...(surfaces?.reporters ?? []),
                notifyReporter(config.notify, {
                    env: process.env,
                    redact: (t) => redactor.redact(t),
                    addSecrets: (list) => {
                        for (const x of list) {
                            host.mask(x);
                            redactor.add(x);
                        }
                    },
                    warn,
                    info: (m) => host.info(m),
                    vars: config.vars,
                    ...(req.runUrl ? { runUrl: req.runUrl } : {})
                })
            ],
            warn,
            runner,
            ...(host.written ? { logWritten: () => host.written?.() } : {})
        });
        const report = await runRollout({
            config,
            gate: req.gate,
            ...(req.step !== undefined ? { step: req.step } : {}),
            values,
            dryRun: req.dryRun,
            state,
            signal: controller.signal,
            hurry: hurry.signal,
            ...(surfaces ? { preflight: surfaces.preflight } : {}),
            secrets: req.secrets,
            redactor
        }, io);
        await surfaces?.flush(FLUSH_MS);
        // The metrics count this rollout too, whatever GitHub shows of it yet.
        const metrics = await surfaces
            ?.metrics((0,dora/* currentRollout */.tN)(report, surfaces.deploymentId()))
            .catch(() => undefined);
        return await conclude(host, report, {
            dir: req.dir,
            ...(req.markdownFile ? { markdownFile: true } : {}),
            ...(metrics
                ? { extra: (0,dora/* doraMarkdown */.CI)(metrics), dora: (0,dora/* doraJson */.Tu)(metrics) }
                : {}),
            ...(surfaces ? { surfaces } : {}),
            gate: req.gate
        });
    }
    finally {
        runner.close();
        grouped.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await (0,dispatcher/* closeHttpDispatchers */.RT)();
    }
}
/**
 * The post step's safety net: finishes the rollback of a run that was
 * killed mid-rollout. Undefined when nothing is pending.
 */
async function recoverGates(host, req) {
    const grouped = groupedReporter(host, consoleReporter((line) => host.info(line)));
    try {
        const report = await recoverRollout({
            config: req.config,
            dryRun: req.dryRun,
            state: fileStateStore(external_node_path_.join(req.dir, 'state.json')),
            signal: new AbortController().signal,
            secrets: req.secrets
        }, realIo({
            workspace: req.workspace,
            env: process.env,
            reporters: [grouped],
            warn: (m) => host.warn(m),
            ...(host.written ? { logWritten: () => host.written?.() } : {})
        }));
        return report ? await conclude(host, report, { dir: req.dir }) : undefined;
    }
    finally {
        grouped.close();
        await (0,dispatcher/* closeHttpDispatchers */.RT)();
    }
}


/***/ }),

/***/ 9662:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D4: () => (/* binding */ decode),
/* harmony export */   EF: () => (/* binding */ readCapped),
/* harmony export */   vf: () => (/* binding */ discard)
/* harmony export */ });
/**
 * Reads a body to its end but keeps only the first `maxBytes`: the rest is
 * counted and dropped, so a 10 MiB answer costs a 64 KiB buffer while the
 * total time still covers the whole download. With `stopAtCap` the reading
 * ends at the first byte over the cap instead (`total` is then cap + 1 or
 * more), for callers that refuse an oversized answer outright.
 */
async function readCapped(body, maxBytes, onChunk, stopAtCap = false) {
    const parts = [];
    let kept = 0;
    let total = 0;
    for await (const chunk of body) {
        onChunk?.();
        total += chunk.length;
        if (kept < maxBytes) {
            const take = Math.min(chunk.length, maxBytes - kept);
            parts.push(Buffer.from(chunk.subarray(0, take)));
            kept += take;
        }
        if (stopAtCap && total > maxBytes)
            break;
    }
    return { kept: Buffer.concat(parts, kept), total };
}
/** Drains a body we do not read, so its connection can be reused. */
async function discard(body) {
    try {
        await body.dump({ limit: 64 * 1024 });
    }
    catch {
        // The connection is dropped instead; nothing to report.
    }
}
/** Body bytes as text; invalid UTF-8 becomes replacement characters. */
function decode(buf) {
    return new TextDecoder('utf-8', { fatal: false }).decode(buf);
}


/***/ }),

/***/ 7368:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kb: () => (/* binding */ excerpt),
/* harmony export */   ZZ: () => (/* binding */ field),
/* harmony export */   qO: () => (/* binding */ transportFailure)
/* harmony export */ });
/* harmony import */ var _redact_preview_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2365);
/**
 * Connection failures worded for a `host:port` target, for clients whose
 * errors arrive bare or wrapped (ws, Socket.IO, the metric sources' GET),
 * plus the one-line excerpt such reasons quote text with.
 */

/**
 * A message cut to one short line for a reason or a report. It takes the
 * redactor because a secret must be masked before the cut: half a secret
 * no longer matches its mask.
 */
function excerpt(text, max, redact) {
    return (0,_redact_preview_js__WEBPACK_IMPORTED_MODULE_0__/* .preview */ .V)(text, max, redact, { oneLine: true });
}
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/;
/**
 * Connection errors arrive bare (`ws`) or wrapped two levels deep
 * (Socket.IO's TransportError around a `ws` ErrorEvent around the Node
 * error); this finds the cause and words it for `target` (host:port).
 */
function transportFailure(err, target, redact) {
    const chain = [];
    const visit = (e, depth) => {
        if (e === null || typeof e !== 'object' || depth > 4)
            return;
        if (chain.includes(e))
            return;
        chain.push(e);
        for (const key of ['description', 'error', 'cause', 'context']) {
            visit(field(e, key), depth + 1);
        }
    };
    visit(err, 0);
    const messages = chain
        .map((e) => field(e, 'message'))
        .filter((m) => typeof m === 'string' && m !== '');
    for (const m of messages) {
        const status = /Unexpected server response: (\d{3})/.exec(m);
        if (status) {
            const code = Number(status[1]);
            return {
                reason: `upgrade refused: HTTP ${code}`,
                error: false,
                status: code
            };
        }
    }
    const coded = chain.find((e) => typeof field(e, 'code') === 'string');
    const code = coded === undefined ? undefined : String(field(coded, 'code'));
    const own = field(coded, 'message');
    const detail = typeof own === 'string' ? own : (messages.at(-1) ?? '');
    switch (code) {
        case 'ECONNREFUSED':
            return { reason: `connection refused to ${target}`, error: true };
        case 'ECONNRESET':
            return { reason: `connection reset by ${target}`, error: true };
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return { reason: `cannot resolve host of ${target}`, error: true };
        case 'ETIMEDOUT':
            return { reason: `connect timeout to ${target}`, error: true };
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return { reason: `host unreachable: ${target}`, error: true };
    }
    if (code !== undefined && TLS_CODE.test(code)) {
        return {
            reason: `TLS error with ${target}: ${excerpt(detail, 100, redact)}`,
            error: true
        };
    }
    const text = detail || 'unknown error';
    return {
        reason: `connection to ${target} failed: ${excerpt(text, 100, redact)}`,
        error: true
    };
}
/** Reads a property of an error of unknown shape without ever throwing. */
function field(obj, key) {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
        return undefined;
    }
    try {
        return obj[key];
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 3839:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RT: () => (/* binding */ closeHttpDispatchers),
/* harmony export */   e1: () => (/* binding */ sharedDispatchers)
/* harmony export */ });
/* unused harmony exports dispatcherFromEnv, DispatcherCache */
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6752);
/* harmony import */ var _sockets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3174);
/**
 * Where requests are sent from: undici dispatchers built from TLS options,
 * a connect timeout and the proxy settings of an environment, pooled per
 * combination in one cache that a process closes when it is done.
 */



function tlsOptions(spec) {
    const out = { rejectUnauthorized: !spec.insecure };
    if (spec.minVersion)
        out.minVersion = spec.minVersion;
    // Extra CAs add to the trusted set rather than replace it, so a private CA
    // for staging does not break a public one behind the same probe config.
    if (spec.ca)
        out.ca = [...node_tls__WEBPACK_IMPORTED_MODULE_0__.getCACertificates('default'), spec.ca];
    return out;
}
function proxyEnv(env) {
    return {
        http: env.http_proxy ?? env.HTTP_PROXY ?? '',
        https: env.https_proxy ?? env.HTTPS_PROXY ?? '',
        no: env.no_proxy ?? env.NO_PROXY ?? ''
    };
}
/**
 * Builds a dispatcher from an explicit environment rather than process.env,
 * so a proxy can be configured (and tested) per call. HTTP/1.1 only: a probe
 * should measure the same protocol every time.
 */
function dispatcherFromEnv(env, options = {}) {
    const t = tlsOptions(options.tls ?? { insecure: false });
    const connectMs = options.connectMs ?? 10_000;
    // No TLS session resumption: a resumed session carries no peer
    // certificate to check, and a full handshake is what tlsMs should measure.
    const endpointTls = { ...t, maxCachedSessions: 0 };
    const connect = (0,_sockets_js__WEBPACK_IMPORTED_MODULE_2__/* .timedConnector */ .jK)((0,undici__WEBPACK_IMPORTED_MODULE_1__/* .buildConnector */ .gU)({ ...endpointTls, timeout: connectMs, allowH2: false }));
    const proxy = proxyEnv(env);
    if (proxy.http || proxy.https) {
        return new undici__WEBPACK_IMPORTED_MODULE_1__/* .EnvHttpProxyAgent */ .J2({
            connect,
            allowH2: false,
            connectTimeout: connectMs,
            requestTls: endpointTls,
            httpProxy: proxy.http,
            httpsProxy: proxy.https,
            noProxy: proxy.no
        });
    }
    return new undici__WEBPACK_IMPORTED_MODULE_1__/* .Agent */ .g6({ connect, allowH2: false });
}
/**
 * Dispatchers shared by every request with the same TLS options, connect
 * timeout and proxy settings, so connections are reused across attempts
 * and probes. Whoever ends the process closes it.
 */
class DispatcherCache {
    pool = new Map();
    get(key) {
        const id = JSON.stringify([
            key.tls.ca ?? '',
            key.tls.insecure,
            key.tls.minVersion ?? '',
            key.connectMs,
            proxyEnv(key.env)
        ]);
        let d = this.pool.get(id);
        if (!d) {
            d = dispatcherFromEnv(key.env, { tls: key.tls, connectMs: key.connectMs });
            this.pool.set(id, d);
        }
        return d;
    }
    async close() {
        const all = [...this.pool.values()];
        this.pool.clear();
        await Promise.all(all.map((d) => d.close()));
    }
}
/** The process's dispatchers, used when a caller brings none. */
const sharedDispatchers = new DispatcherCache();
/** Closes the shared dispatchers, so a process or test can exit. */
async function closeHttpDispatchers() {
    await sharedDispatchers.close();
}


/***/ }),

/***/ 8549:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   QL: () => (/* binding */ hostPort),
/* harmony export */   Uc: () => (/* binding */ describeError)
/* harmony export */ });
/* unused harmony export oneLine */
/* harmony import */ var _kernel_format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8982);
/* harmony import */ var _redact_preview_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2365);


/** Certificate verification failures, in our words (Node adds hints). */
const TLS_VERIFY = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
    UNABLE_TO_GET_ISSUER_CERT: 'unknown certificate issuer',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown certificate issuer',
    CERT_HAS_EXPIRED: 'certificate has expired',
    CERT_NOT_YET_VALID: 'certificate is not yet valid',
    CERT_REVOKED: 'certificate revoked',
    CERT_UNTRUSTED: 'certificate not trusted',
    CERT_REJECTED: 'certificate rejected',
    CERT_SIGNATURE_FAILURE: 'certificate signature failure',
    INVALID_CA: 'invalid CA certificate',
    HOSTNAME_MISMATCH: 'certificate hostname mismatch'
};
/** The most specific error code in an error, its cause or its aggregate. */
function codeOf(err) {
    let cur = err;
    for (let depth = 0; depth < 4 && cur; depth++) {
        const e = cur;
        if (e.code && e.code !== 'UND_ERR_ABORTED') {
            return { code: e.code, message: e.message ?? '' };
        }
        cur = e.cause ?? e.errors?.[0];
    }
    const e = err;
    return { code: e?.code ?? '', message: e?.message ?? String(err) };
}
/** `host:port` of a URL, with the scheme's default port spelled out. */
function hostPort(url) {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return `${url.hostname}:${port}`;
}
/**
 * Error text flattened to one line of at most 160 characters, masked by
 * `redact` before the cut so a secret across it is masked whole.
 */
function oneLine(s, redact) {
    return (0,_redact_preview_js__WEBPACK_IMPORTED_MODULE_0__/* .preview */ .V)(s, 161, redact, { oneLine: true });
}
/** Maps a transport failure to one precise line and whether to retry it. */
function describeError(err, trip, ctx) {
    const t = ctx.timeouts;
    const where = hostPort(ctx.url);
    if (trip === 'total') {
        return {
            reason: `total timeout ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(t.totalMs)} exceeded`,
            retry: true
        };
    }
    if (trip === 'headers') {
        return {
            reason: `no response headers within ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(t.headersMs)}`,
            retry: true
        };
    }
    if (trip === 'body') {
        return {
            reason: `body stalled: no data for ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(t.bodyMs)}`,
            retry: true
        };
    }
    if (trip === 'signal')
        return { reason: 'aborted', retry: false };
    const { code, message } = codeOf(err);
    const during = ctx.phase === 'body' ? 'while reading body' : 'before response headers';
    switch (code) {
        case 'ECONNREFUSED':
            return { reason: `connection refused to ${where}`, retry: true };
        case 'UND_ERR_CONNECT_TIMEOUT':
        case 'ETIMEDOUT':
            return {
                reason: `no connection to ${where} within ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(t.connectMs)}`,
                retry: true
            };
        case 'UND_ERR_HEADERS_TIMEOUT':
            return {
                reason: `no response headers within ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(t.headersMs)}`,
                retry: true
            };
        case 'UND_ERR_BODY_TIMEOUT':
            return {
                reason: `body stalled: no data for ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(t.bodyMs)}`,
                retry: true
            };
        case 'ECONNRESET':
        case 'EPIPE':
            return { reason: `connection reset ${during}`, retry: true };
        case 'UND_ERR_SOCKET':
        case 'UND_ERR_CLOSED':
            return { reason: `connection closed by server ${during}`, retry: true };
        case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
            return {
                reason: 'connection closed before the body reached its content-length',
                retry: true
            };
        case 'ENOTFOUND':
            return {
                reason: `DNS: host '${ctx.url.hostname}' not found`,
                retry: true
            };
        case 'EAI_AGAIN':
            return {
                reason: `DNS: lookup of '${ctx.url.hostname}' failed temporarily`,
                retry: true
            };
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return { reason: `host unreachable: ${where}`, retry: true };
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
        case 'UND_ERR_PRX_TLS':
            return {
                reason: `TLS: certificate is not valid for '${ctx.url.hostname}'`,
                retry: false
            };
        case 'UND_ERR_PRX_CONN':
            return { reason: 'proxy closed the tunnel connection', retry: true };
        case 'UND_ERR_INVALID_ARG':
            return {
                reason: `invalid request: ${oneLine(message, ctx.redact)}`,
                retry: false
            };
    }
    if (Object.hasOwn(TLS_VERIFY, code)) {
        return { reason: `TLS: ${TLS_VERIFY[code]}`, retry: false };
    }
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
        return { reason: `TLS handshake failed (${code})`, retry: false };
    }
    const proxy = /Proxy response \((\d+)\)/.exec(message);
    if (proxy) {
        return { reason: `proxy refused the tunnel with ${proxy[1]}`, retry: true };
    }
    if (/Proxy Authentication Required/.test(message)) {
        return { reason: 'proxy requires authentication (407)', retry: false };
    }
    const tag = code ? ` (${code})` : '';
    return {
        reason: `request failed: ${oneLine(message, ctx.redact)}${tag}`,
        retry: true
    };
}


/***/ }),

/***/ 1823:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ exchange)
/* harmony export */ });
/* unused harmony export EXCERPT_CHARS */
/* harmony import */ var _body_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9662);
/* harmony import */ var _dispatcher_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3839);
/* harmony import */ var _expect_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6383);
/* harmony import */ var _redirects_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(549);
/* harmony import */ var _request_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1922);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8902);
/* harmony import */ var _scrub_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(7967);
/* harmony import */ var _redact_preview_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2365);
/* harmony import */ var _kernel_clock_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4643);
/* harmony import */ var _kernel_format_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8982);










/** Characters of body kept in an outcome for reports. */
const EXCERPT_CHARS = 500;
/** Judges a complete answer against the expectations. */
function judge(spec, res, clock, clean) {
    const { status, timings } = res;
    const text = (0,_body_js__WEBPACK_IMPORTED_MODULE_6__/* .decode */ .D4)(res.body);
    // Cleaned before it is cut, so a secret across the cut is still masked.
    const excerpt = text === ''
        ? undefined
        : (0,_redact_preview_js__WEBPACK_IMPORTED_MODULE_4__/* .preview */ .V)(text, EXCERPT_CHARS, clean, { ellipsis: '' });
    const mismatches = (0,_expect_js__WEBPACK_IMPORTED_MODULE_1__/* .checkHttpExpect */ .Sj)(spec.expect, {
        status,
        headers: res.headers,
        body: text,
        keptBytes: res.body.length,
        truncated: res.totalBytes > res.body.length,
        latencyMs: timings.totalMs
    }, clean);
    const base = { status, timings, excerpt };
    if (mismatches.length === 0) {
        return {
            outcome: 'passed',
            ...base,
            answer: { headers: res.headers, body: text }
        };
    }
    let reason = mismatches[0];
    if (mismatches.length > 1)
        reason += ` (+${mismatches.length - 1} more)`;
    const location = res.headers.location;
    const loc = Array.isArray(location) ? location[0] : location;
    if (_redirects_js__WEBPACK_IMPORTED_MODULE_2__/* .REDIRECTS */ .eT.has(status) &&
        loc &&
        !(0,_expect_js__WEBPACK_IMPORTED_MODULE_1__/* .statusMatches */ .W_)(spec.expect.status ?? _expect_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_STATUS */ .BE, status)) {
        try {
            reason += ` (redirect to '${new URL(loc, res.url).host}' not followed)`;
        }
        catch {
            // An unparsable Location adds nothing useful to the reason.
        }
    }
    const retryAfterMs = status === 429 || status === 503
        ? (0,_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .parseRetryAfter */ .m)(res.headers['retry-after'], clock.now())
        : undefined;
    return {
        outcome: 'rejected',
        reason,
        retry: status >= 500 || status === 429,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...base
    };
}
async function attempt(spec, dispatcher, clock, clean, signal) {
    const headers = {};
    for (const [k, v] of Object.entries(spec.headers)) {
        headers[k.toLowerCase()] = v;
    }
    headers['user-agent'] ??= 'deploy-gates-probe';
    const r = await (0,_request_js__WEBPACK_IMPORTED_MODULE_3__/* .request */ .E)({ ...spec, headers }, { dispatcher, clock, ...(signal ? { signal } : {}) });
    if (r.kind === 'response')
        return judge(spec, r, clock, clean);
    if (r.kind === 'failed') {
        return {
            outcome: 'transport',
            reason: r.reason,
            retry: r.retry,
            timings: r.timings,
            ...(r.status !== undefined ? { status: r.status } : {})
        };
    }
    // One of our rules (a redirect, a certificate) refused it: as wrong on
    // the next try, so never retried.
    return {
        outcome: 'rejected',
        reason: r.reason,
        retry: false,
        timings: r.timings,
        ...(r.status !== undefined ? { status: r.status } : {})
    };
}
/**
 * Sends a request with its retries and returns one outcome. Waits between
 * attempts use the injected clock (so tests skip them) and stop at the
 * deadline; per-attempt timeouts use real timers because they bound real
 * I/O. Only transport errors, 5xx and 429 are retried: a wrong answer from
 * a healthy server will be just as wrong a second later.
 */
async function exchange(spec, opts = {}) {
    const clock = opts.clock ?? _kernel_clock_js__WEBPACK_IMPORTED_MODULE_5__/* .systemClock */ .m;
    const random = opts.random ?? Math.random;
    const clean = (0,_scrub_js__WEBPACK_IMPORTED_MODULE_8__/* .requestCleaner */ .ig)(spec, opts.redact ?? ((s) => s));
    const t0 = clock.monotonic();
    const url = URL.canParse(spec.url) ? new URL(spec.url) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
        return {
            ok: false,
            reason: clean('invalid URL (use http:// or https://)'),
            error: true,
            attempts: 0,
            timings: { totalMs: 0 }
        };
    }
    const dispatcher = opts.dispatcher ??
        _dispatcher_js__WEBPACK_IMPORTED_MODULE_0__/* .sharedDispatchers */ .e1.get({
            tls: spec.tls,
            connectMs: spec.timeouts.connectMs,
            env: opts.env ?? process.env
        });
    const maxAttempts = Math.max(1, Math.floor(spec.retry.attempts));
    let attempts = 0;
    let last;
    let stoppedBy = '';
    for (;;) {
        attempts++;
        last = await attempt(spec, dispatcher, clock, clean, opts.signal);
        if (last.outcome === 'passed' || !last.retry)
            break;
        if (attempts >= maxAttempts || opts.signal?.aborted)
            break;
        const retryAfterMs = last.outcome === 'rejected' ? last.retryAfterMs : undefined;
        const wait = (0,_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .retryWait */ .y)(spec, attempts, retryAfterMs, random);
        if (opts.deadline !== undefined &&
            clock.monotonic() + wait >= opts.deadline) {
            stoppedBy = 'deadline reached';
            break;
        }
        try {
            await clock.sleep(wait, opts.signal);
        }
        catch {
            stoppedBy = 'aborted';
            break;
        }
    }
    const excerpt = last.outcome === 'transport' ? undefined : last.excerpt;
    const shown = excerpt === undefined ? {} : { excerpt };
    if (last.outcome === 'passed') {
        return {
            ok: true,
            attempts,
            status: last.status,
            timings: last.timings,
            ...shown,
            ...(opts.keepAnswer ? { answer: last.answer } : {})
        };
    }
    let suffix = '';
    if (attempts > 1 || stoppedBy) {
        const plural = attempts === 1 ? '' : 's';
        const took = (0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_9__/* .formatDuration */ .a3)(clock.monotonic() - t0);
        suffix = ` after ${attempts} attempt${plural} in ${took}`;
        if (stoppedBy)
            suffix += ` (${stoppedBy})`;
    }
    return {
        ok: false,
        reason: clean(last.reason + suffix),
        error: last.outcome === 'transport',
        attempts,
        ...(last.status !== undefined ? { status: last.status } : {}),
        timings: last.timings,
        ...shown
    };
}


/***/ }),

/***/ 6383:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BE: () => (/* binding */ DEFAULT_STATUS),
  Sj: () => (/* binding */ checkHttpExpect),
  W_: () => (/* binding */ statusMatches)
});

// UNUSED EXPORTS: checkLatency

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/config/units.ts
var units = __webpack_require__(4529);
// EXTERNAL MODULE: ./src/kernel/format.ts
var format = __webpack_require__(8982);
// EXTERNAL MODULE: ./src/kernel/jsonpath.ts
var jsonpath = __webpack_require__(5852);
// EXTERNAL MODULE: ./src/kernel/result.ts
var result = __webpack_require__(3020);
// EXTERNAL MODULE: ./src/redact/preview.ts
var preview = __webpack_require__(2365);
;// CONCATENATED MODULE: ./src/http/json-expect.ts
/**
 * Expectations on a JSON value: the subset match, path assertions and value
 * conditions of an HTTP answer's body, each mismatch one short line with
 * values shown masked and cut.
 */






const MAX_SHOWN = 60;
const identity = (s) => s;
/** A pattern of the config as a RegExp, or the reason it is not one. */
function compile(pattern) {
    try {
        return (0,result.ok)(new RegExp(pattern));
    }
    catch {
        return (0,result/* fail */.f)(`invalid regex '${pattern}'`);
    }
}
/** A short, quoted rendering of any JSON value for a one-line reason. */
function formatValue(v, redact = identity) {
    if (v === undefined)
        return 'nothing';
    if (v === null)
        return 'null';
    if (typeof v === 'string')
        return quote(v, redact);
    if (typeof v === 'object') {
        // Small structures read best as JSON; large ones only by their shape.
        const json = redact(JSON.stringify(v));
        if (json.length <= MAX_SHOWN)
            return json;
        if (Array.isArray(v))
            return `an array of ${v.length}`;
    }
    if (typeof v === 'number' || typeof v === 'boolean')
        return String(v);
    return kindOf(v);
}
/** A string in quotes, masked and cut to one short line. */
function quote(s, redact) {
    return `'${(0,preview/* preview */.V)(s, MAX_SHOWN + 1, redact, { oneLine: true })}'`;
}
function kindOf(v) {
    if (v === null)
        return 'null';
    if (Array.isArray(v))
        return 'an array';
    if (typeof v === 'object')
        return 'an object';
    return `a ${typeof v}`;
}
function childPath(path, key) {
    return /^[A-Za-z_$][\w$-]*$/.test(key)
        ? `${path}.${key}`
        : `${path}[${JSON.stringify(key)}]`;
}
/**
 * Subset match, the way users write expectations: every key given must be
 * there and match recursively, arrays match element by element at the same
 * index, and primitives are strictly equal (`'1'` is not `1`), so a version
 * check cannot pass on a coincidence of types. Returns the first mismatch.
 */
function jsonSubsetMismatch(expected, actual, path = 'json', redact = identity) {
    const show = (v) => formatValue(v, redact);
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual)) {
            return `${path}: expected an array, got ${show(actual)}`;
        }
        for (let i = 0; i < expected.length; i++) {
            if (i >= actual.length) {
                return `${path}[${i}]: missing (array has ${actual.length} elements)`;
            }
            const r = jsonSubsetMismatch(expected[i], actual[i], `${path}[${i}]`, redact);
            if (r)
                return r;
        }
        return undefined;
    }
    if (expected !== null && typeof expected === 'object') {
        if (actual === null ||
            typeof actual !== 'object' ||
            Array.isArray(actual)) {
            return `${path}: expected an object, got ${show(actual)}`;
        }
        const obj = actual;
        for (const [key, want] of Object.entries(expected)) {
            const p = childPath(path, key);
            if (!Object.hasOwn(obj, key))
                return `${p}: missing`;
            const r = jsonSubsetMismatch(want, obj[key], p, redact);
            if (r)
                return r;
        }
        return undefined;
    }
    if (expected === actual)
        return undefined;
    const types = actual !== null && typeof actual === typeof expected
        ? ''
        : ` (${kindOf(actual)})`;
    return `${path}: expected ${show(expected)}, got ${show(actual)}${types}`;
}
function renderPath(segments) {
    let p = 'json';
    for (const s of segments) {
        p = typeof s === 'number' ? `${p}[${s}]` : childPath(p, s);
    }
    return p;
}
/**
 * One path assertion. With only a path given it asserts presence, since a
 * path alone in a config reads as "this must be there".
 */
function checkPath(a, value, redact = identity) {
    const show = (v) => formatValue(v, redact);
    const parsed = (0,jsonpath/* parsePath */.Rr)(a.path);
    if (!parsed.ok)
        return parsed.error;
    const segments = parsed.value;
    const where = renderPath(segments);
    const hit = (0,jsonpath/* readPath */.G7)(value, segments);
    const onlyPresence = a.equals === undefined && a.regex === undefined && !a.condition;
    const mustExist = a.exists ?? true;
    if (!hit.found) {
        return mustExist || !onlyPresence ? `${where}: missing` : undefined;
    }
    if (a.exists === false) {
        return `${where}: expected absent, got ${show(hit.value)}`;
    }
    const v = hit.value;
    if (a.equals !== undefined && !(0,external_node_util_.isDeepStrictEqual)(a.equals, v)) {
        return `${where}: expected ${show(a.equals)}, got ${show(v)}`;
    }
    if (a.regex !== undefined) {
        const compiled = compile(a.regex);
        if (!compiled.ok)
            return compiled.error;
        const re = compiled.value;
        if (typeof v !== 'string' &&
            typeof v !== 'number' &&
            typeof v !== 'boolean') {
            return `${where}: expected a string matching /${a.regex}/, got ${show(v)}`;
        }
        if (!re.test(String(v))) {
            return `${where}: ${show(v)} does not match /${a.regex}/`;
        }
    }
    if (a.condition) {
        const r = checkValueCondition(a.condition, v, redact);
        if (r)
            return `${where}: ${r}`;
    }
    return undefined;
}
/** The fixed operand of a condition, or why a probe cannot use it. */
function fixedOperand(c) {
    if (c.kind === 'growth' ||
        c.operand.kind === 'baseline-ratio' ||
        c.operand.kind === 'baseline-plus') {
        return (0,result/* fail */.f)(`condition '${c.text}' needs a baseline, not usable in a probe`);
    }
    return (0,result.ok)(c.operand);
}
/**
 * A JSON value against a condition, in the condition's own unit: numbers for
 * plain values, milliseconds for durations (a number, or a string like
 * `150ms`), a ratio for percentages (a number like 0.05, or `5%`).
 */
function checkValueCondition(c, v, redact = identity) {
    const show = (x) => formatValue(x, redact);
    const fixed = fixedOperand(c);
    if (!fixed.ok)
        return fixed.error;
    const operand = fixed.value;
    const op = c.kind === 'compare' ? c.op : '==';
    switch (operand.kind) {
        case 'number': {
            if (typeof v !== 'number') {
                return `expected a number, got ${show(v)}`;
            }
            return (0,units/* compareOp */.pN)(op, v, operand.value)
                ? undefined
                : `${v}, expected ${c.text}`;
        }
        case 'duration': {
            const ms = asQuantity(v, units/* parseDuration */.E9);
            if (ms === undefined) {
                return `expected a duration, got ${show(v)}`;
            }
            return (0,units/* compareOp */.pN)(op, ms, operand.ms)
                ? undefined
                : `${(0,format/* formatDuration */.a3)(ms)}, expected ${c.text}`;
        }
        case 'percent': {
            const ratio = asQuantity(v, units/* parsePercent */.lo);
            if (ratio === undefined) {
                return `expected a percentage, got ${show(v)}`;
            }
            return (0,units/* compareOp */.pN)(op, ratio, operand.ratio)
                ? undefined
                : `${(0,format/* formatPercent */.l9)(ratio)}, expected ${c.text}`;
        }
    }
}
function asQuantity(v, parse) {
    if (typeof v === 'number')
        return v;
    if (typeof v !== 'string')
        return undefined;
    const p = parse(v);
    return p.ok ? p.value : undefined;
}

;// CONCATENATED MODULE: ./src/http/expect.ts
/**
 * Expectations on an HTTP answer: pure functions from the answer to a list of
 * one-line mismatch reasons. Kept apart from the transport so that every rule
 * (status classes, headers, body, JSON, latency) is tested without sockets.
 */



/** Used when a spec says nothing about status: a probe wants a success. */
const DEFAULT_STATUS = ['2xx'];
const expect_identity = (s) => s;
/**
 * Checks every expectation and returns the mismatches, first the most basic
 * one. A wrong status stops there: judging the JSON of an error page only adds
 * noise to the one line a user reads.
 */
function checkHttpExpect(expect, answer, redact = expect_identity) {
    const out = [];
    const status = checkStatus(expect.status ?? DEFAULT_STATUS, answer.status);
    if (status)
        return [status];
    for (const [name, match] of Object.entries(expect.headers ?? {})) {
        const r = checkHeader(name, match, answer.headers, redact);
        if (r)
            out.push(r);
    }
    const checked = answer.truncated
        ? ` (first ${answer.keptBytes} bytes checked)`
        : '';
    for (const needle of expect.body?.contains ?? []) {
        if (!answer.body.includes(needle)) {
            out.push(`body does not contain ${quote(needle, redact)}${checked}`);
        }
    }
    for (const needle of expect.body?.notContains ?? []) {
        if (answer.body.includes(needle)) {
            out.push(`body contains ${quote(needle, redact)}`);
        }
    }
    for (const pattern of expect.body?.regex ?? []) {
        const re = compile(pattern);
        if (!re.ok)
            out.push(re.error);
        else if (!re.value.test(answer.body)) {
            out.push(`body does not match /${pattern}/${checked}`);
        }
    }
    const paths = expect.paths ?? [];
    if (expect.json !== undefined || paths.length > 0) {
        const parsed = parseJsonBody(answer);
        if (!parsed.ok)
            out.push(parsed.error);
        else {
            if (expect.json !== undefined) {
                const r = jsonSubsetMismatch(expect.json, parsed.value, 'json', redact);
                if (r)
                    out.push(r);
            }
            for (const p of paths) {
                const r = checkPath(p, parsed.value, redact);
                if (r)
                    out.push(r);
            }
        }
    }
    if (expect.latency) {
        const r = checkLatency(expect.latency, answer.latencyMs);
        if (r)
            out.push(r);
    }
    return out;
}
/** True when the status equals a listed code or falls in a class (`2xx`). */
function statusMatches(expected, status) {
    return expected.some((e) => {
        if (typeof e === 'number')
            return e === status;
        const s = e.trim().toLowerCase();
        const cls = /^([1-5])xx$/.exec(s);
        if (cls)
            return Math.floor(status / 100) === Number(cls[1]);
        return /^\d{3}$/.test(s) && Number(s) === status;
    });
}
function checkStatus(expected, status) {
    if (statusMatches(expected, status))
        return undefined;
    return `expected status ${expected.join(' or ')}, got ${status}`;
}
function headerValue(headers, name) {
    const v = headers[name.toLowerCase()];
    if (v === undefined)
        return undefined;
    return Array.isArray(v) ? v.join(', ') : v;
}
function checkHeader(name, match, headers, redact) {
    const actual = headerValue(headers, name);
    if (actual === undefined)
        return `header '${name}' missing`;
    if ('equals' in match) {
        if (actual.trim() === match.equals.trim())
            return undefined;
        return `header '${name}': expected ${quote(match.equals, redact)}, got ${quote(actual, redact)}`;
    }
    const re = compile(match.regex);
    if (!re.ok)
        return re.error;
    if (re.value.test(actual))
        return undefined;
    return `header '${name}': ${quote(actual, redact)} does not match /${match.regex}/`;
}
function parseJsonBody(answer) {
    if (answer.truncated) {
        return {
            ok: false,
            error: `body is larger than max-body-bytes (${answer.keptBytes}), JSON not checked`
        };
    }
    if (answer.body.trim() === '') {
        return { ok: false, error: 'body is empty, expected JSON' };
    }
    try {
        return { ok: true, value: JSON.parse(answer.body) };
    }
    catch (err) {
        // Engine messages quote the body itself; keep only the position.
        const pos = /position (\d+)/.exec(String(err));
        const at = pos ? ` (at position ${pos[1]})` : '';
        return { ok: false, error: `body is not valid JSON${at}` };
    }
}
/**
 * The total time of an attempt against a latency condition; a bare number
 * counts as milliseconds because that is the only unit latency has.
 */
function checkLatency(c, ms) {
    const fixed = fixedOperand(c);
    if (!fixed.ok)
        return fixed.error;
    const operand = fixed.value;
    if (operand.kind === 'percent' || c.kind !== 'compare') {
        return `latency condition '${c.text}' must compare a duration`;
    }
    const bound = operand.kind === 'number' ? operand.value : operand.ms;
    if ((0,units/* compareOp */.pN)(c.op, ms, bound))
        return undefined;
    return `latency ${(0,format/* formatDuration */.a3)(ms)}, expected ${c.text}`;
}


/***/ }),

/***/ 549:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I3: () => (/* binding */ redirectHop),
/* harmony export */   eT: () => (/* binding */ REDIRECTS)
/* harmony export */ });
/* unused harmony export sameOrigin */
/**
 * Redirects with origin rules: which statuses redirect, where a redirect
 * may go (the original host or an allowed one), and what of the request
 * travels with it: credentials only to the same origin (scheme, host and
 * port, as browsers and curl since CVE-2022-27776 compare), never to
 * another port of the same host nor down from https to http.
 */
/** Statuses that carry a Location to follow. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/**
 * Same origin means same scheme, host and port (the URL parser fills in
 * default ports, so `https://a` and `https://a:443` are one origin).
 */
function sameOrigin(a, b) {
    return a.origin === b.origin && a.origin !== 'null';
}
function sameHostOrAllowed(target, origin, allowHosts) {
    const host = target.hostname.toLowerCase();
    if (host === origin.hostname.toLowerCase())
        return true;
    return allowHosts.some((h) => {
        const a = h.trim().toLowerCase();
        return a === host || a === target.host.toLowerCase();
    });
}
/**
 * Decides where a redirect may go. Another host is refused unless allowed,
 * and credentials (plus headers that carry a secret) travel only to the
 * origin that received them: not to another port, host or scheme.
 */
function redirectHop(hop, status, location, origin, allowHosts) {
    let url;
    try {
        url = new URL(location, hop.url);
    }
    catch {
        return { refused: 'redirect to an invalid location' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { refused: `redirect to unsupported scheme '${url.protocol}'` };
    }
    if (!sameHostOrAllowed(url, origin, allowHosts)) {
        return {
            refused: `redirect to '${url.host}' refused: host not in allow-hosts`
        };
    }
    const headers = { ...hop.headers };
    // Compared with the hop that redirected: once credentials are dropped they
    // never come back, even on a later hop back to the first origin.
    if (!sameOrigin(url, hop.url)) {
        for (const h of CREDENTIAL_HEADERS)
            delete headers[h];
        for (const h of hop.secretHeaders ?? [])
            delete headers[h.toLowerCase()];
    }
    let { method, body } = hop;
    if ((status === 303 && method !== 'HEAD') ||
        ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
        delete headers['content-length'];
    }
    return {
        next: {
            url,
            method,
            headers,
            body,
            ...(hop.secretHeaders ? { secretHeaders: hop.secretHeaders } : {})
        }
    };
}


/***/ }),

/***/ 1922:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  E: () => (/* binding */ request)
});

// EXTERNAL MODULE: ./src/http/body.ts
var body = __webpack_require__(9662);
;// CONCATENATED MODULE: ./src/http/certificate.ts
const DAY_MS = 86_400_000;
/**
 * Expiry of the last full certificate seen per host, for dispatchers that
 * resume TLS sessions (ours do not): a resumed session shows no certificate.
 */
const certExpiry = new Map();
/** The reason a certificate fails `minDays`, or undefined when it passes. */
function checkCertificate(peer, url, minDays, now) {
    if (!peer?.tls) {
        return 'cannot check certificate expiry: the TLS connection is not observable';
    }
    const key = `${url.hostname}:${url.port}`;
    let validTo = peer.validTo;
    if (Number.isFinite(validTo))
        certExpiry.set(key, validTo);
    else if (peer.resumed)
        validTo = certExpiry.get(key) ?? NaN;
    if (!Number.isFinite(validTo)) {
        return 'cannot check certificate expiry: the server sent no certificate (resumed TLS session)';
    }
    const left = validTo - now;
    if (left >= minDays * DAY_MS)
        return undefined;
    const date = new Date(validTo).toISOString().slice(0, 10);
    const name = `certificate for '${url.hostname}'`;
    if (left <= 0)
        return `${name} expired on ${date}`;
    const days = Math.round(left / DAY_MS);
    const inText = left < DAY_MS
        ? `${Math.max(1, Math.round(left / 3_600_000))}h`
        : `${days} day${days === 1 ? '' : 's'}`;
    return `${name} expires in ${inText} (${date}), below min-days-valid ${minDays}`;
}

// EXTERNAL MODULE: ./src/http/errors.ts
var errors = __webpack_require__(8549);
// EXTERNAL MODULE: ./src/http/redirects.ts
var redirects = __webpack_require__(549);
// EXTERNAL MODULE: ./src/http/sockets.ts
var sockets = __webpack_require__(3174);
// EXTERNAL MODULE: ./src/http/scrub.ts
var scrub = __webpack_require__(7967);
;// CONCATENATED MODULE: ./src/http/request.ts






function firstHeader(v) {
    return Array.isArray(v) ? v[0] : v;
}
/**
 * Sends `req` and follows its redirects under one total timeout. Per-phase
 * timeouts use real timers on purpose: they guard real I/O, like undici's
 * own, and undici's fire up to a second late (its coarse timer wheel).
 */
async function request(req, opts) {
    const { clock } = opts;
    const t = req.timeouts;
    const start = clock.monotonic();
    const timings = { totalMs: 0 };
    let origin;
    try {
        origin = new URL(req.url);
    }
    catch (err) {
        return {
            kind: 'failed',
            reason: 'invalid URL (use http:// or https://)',
            retry: false,
            cause: err,
            timings
        };
    }
    const ac = new AbortController();
    const state = {
        phase: 'connect'
    };
    const fire = (why) => {
        if (state.trip)
            return;
        state.trip = why;
        ac.abort(new Error(why));
    };
    let headersTimer;
    let bodyTimer;
    const totalTimer = setTimeout(() => fire('total'), t.totalMs);
    const onAbort = () => fire('signal');
    if (opts.signal?.aborted)
        fire('signal');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) {
        headers[k.toLowerCase()] = v;
    }
    let hop = {
        url: origin,
        method: req.method.toUpperCase(),
        headers,
        body: req.body,
        ...(req.secretHeaders?.length
            ? { secretHeaders: req.secretHeaders.map((h) => h.toLowerCase()) }
            : {})
    };
    const elapsed = () => clock.monotonic() - start;
    const refuse = (reason) => {
        timings.totalMs = elapsed();
        const out = { kind: 'refused', reason, timings };
        if (state.status !== undefined)
            out.status = state.status;
        return out;
    };
    try {
        for (let hops = 0;; hops++) {
            state.phase = 'connect';
            const watch = {
                onSend: () => {
                    state.phase = 'headers';
                    clearTimeout(headersTimer);
                    headersTimer = setTimeout(() => fire('headers'), t.headersMs);
                }
            };
            const res = await (0,sockets/* watchedRequest */.iB)(opts.dispatcher, {
                origin: hop.url.origin,
                path: `${hop.url.pathname}${hop.url.search}`,
                method: hop.method,
                headers: hop.headers,
                body: hop.body ?? null,
                signal: ac.signal,
                // Backstops behind our own precise timers.
                headersTimeout: t.headersMs + 1000,
                bodyTimeout: t.bodyMs + 1000
            }, watch);
            clearTimeout(headersTimer);
            state.phase = 'body';
            state.status = res.statusCode;
            timings.firstByteMs = elapsed();
            (0,sockets/* addConnectTimes */.gZ)(timings, watch.socket);
            const minDays = req.tls.minDaysValid;
            if (hop.url.protocol === 'https:' && minDays !== undefined) {
                const bad = checkCertificate(watch.peer, hop.url, minDays, clock.now());
                if (bad) {
                    await (0,body/* discard */.vf)(res.body);
                    return refuse(bad);
                }
            }
            const loc = firstHeader(res.headers.location);
            if (redirects/* REDIRECTS */.eT.has(res.statusCode) && loc && req.follow > 0) {
                await (0,body/* discard */.vf)(res.body);
                if (hops >= req.follow)
                    return refuse(`more than ${req.follow} redirects`);
                const r = (0,redirects/* redirectHop */.I3)(hop, res.statusCode, loc, origin, req.allowHosts);
                if ('refused' in r)
                    return refuse(r.refused);
                hop = r.next;
                continue;
            }
            const declared = Number(res.headers['content-length']);
            let read;
            if (opts.stopAtCap && declared > req.maxBodyBytes) {
                res.body.destroy();
                read = { kept: Buffer.alloc(0), total: declared };
            }
            else {
                bodyTimer = setTimeout(() => fire('body'), t.bodyMs);
                read = await (0,body/* readCapped */.EF)(res.body, req.maxBodyBytes, () => bodyTimer?.refresh(), opts.stopAtCap);
                clearTimeout(bodyTimer);
            }
            timings.totalMs = elapsed();
            return {
                kind: 'response',
                status: res.statusCode,
                headers: res.headers,
                body: read.kept,
                totalBytes: read.total,
                url: hop.url,
                timings
            };
        }
    }
    catch (err) {
        const d = (0,errors/* describeError */.Uc)(err, state.trip, {
            timeouts: t,
            url: hop.url,
            phase: state.phase,
            redact: (0,scrub/* credentialScrubber */.kL)(req.url, req.headers)
        });
        timings.totalMs = elapsed();
        const out = {
            kind: 'failed',
            reason: d.reason,
            retry: d.retry,
            cause: err,
            timings
        };
        if (state.trip)
            out.trip = state.trip;
        if (state.status !== undefined)
            out.status = state.status;
        return out;
    }
    finally {
        clearTimeout(totalTimer);
        clearTimeout(headersTimer);
        clearTimeout(bodyTimer);
        opts.signal?.removeEventListener('abort', onAbort);
    }
}


/***/ }),

/***/ 5504:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A4: () => (/* binding */ Renderer),
/* harmony export */   u$: () => (/* binding */ renderHttpRequest),
/* harmony export */   uA: () => (/* binding */ HTTP_DEFAULTS),
/* harmony export */   vH: () => (/* binding */ RenderError),
/* harmony export */   yA: () => (/* binding */ resolveHttpRequest)
/* harmony export */ });
/* harmony import */ var _config_interpolate_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2757);
/* harmony import */ var _config_urls_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2594);
/* harmony import */ var _kernel_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2386);



/** Defaults for what a request leaves out; documented in the README. */
const HTTP_DEFAULTS = {
    connectMs: 5_000,
    headersMs: 10_000,
    bodyMs: 10_000,
    totalMs: 30_000,
    maxBodyBytes: 1024 * 1024,
    backoffMs: 500,
    maxBackoffMs: 10_000
};
/** A template that cannot be rendered; the message names the field. */
class RenderError extends _kernel_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL {
}
/**
 * Renders the fields of one request config, collecting every secret it
 * reads. Each method throws a RenderError whose message starts with the
 * field (`url: ...`, `header 'X': ...`), for the caller to prefix.
 */
class Renderer {
    opts;
    found = [];
    /** Headers whose value holds a secret, for redirects to drop. */
    secretHeaders = [];
    constructor(opts) {
        this.opts = opts;
    }
    /** The secrets read so far, each once. */
    get secrets() {
        return [...new Set(this.found)];
    }
    str(template, what) {
        const r = (0,_config_interpolate_js__WEBPACK_IMPORTED_MODULE_0__/* .render */ .XX)(template, this.opts.values);
        if (!r.ok)
            throw new RenderError(`${what}: ${r.error}`);
        this.found.push(...r.secrets);
        return r.value;
    }
    deep(value, what) {
        const r = (0,_config_interpolate_js__WEBPACK_IMPORTED_MODULE_0__/* .renderDeep */ .PQ)(value, this.opts.values);
        if (!r.ok)
            throw new RenderError(`${what}: ${r.error}`);
        this.found.push(...r.secrets);
        return r.value;
    }
    url(template, kind) {
        const value = this.str(template, 'url');
        const why = (0,_config_urls_js__WEBPACK_IMPORTED_MODULE_1__/* .checkUrl */ .CU)(value, kind, {}, { allowUserinfo: true });
        if (why)
            throw new RenderError(`url: ${why}`);
        return value;
    }
    headers(h) {
        const out = {};
        for (const [k, v] of Object.entries(h ?? {})) {
            const before = this.found.length;
            const value = this.str(v, `header '${k}'`);
            if (this.found.length > before)
                this.secretHeaders.push(k);
            if (/[\r\n\0]/.test(value)) {
                throw new RenderError(`header '${k}': value contains a line break`);
            }
            out[k] = value;
        }
        return out;
    }
    tls(t) {
        const spec = { insecure: t?.insecure ?? false };
        if (t?.ca) {
            try {
                spec.ca = this.opts.readFile(t.ca);
            }
            catch (e) {
                throw new RenderError(`tls.ca: cannot read '${t.ca}' (${e.code ?? 'error'})`);
            }
        }
        if (t?.['min-version'])
            spec.minVersion = t['min-version'];
        if (t?.['min-days-valid'] !== undefined)
            spec.minDaysValid = t['min-days-valid'];
        return spec;
    }
}
function renderExpect(e, r) {
    const expect = {};
    if (e?.status)
        expect.status = e.status;
    if (e?.headers) {
        expect.headers = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [
            k,
            typeof v === 'string' ? { equals: r.str(v, `expect.headers.${k}`) } : v
        ]));
    }
    if (e?.json !== undefined)
        expect.json = r.deep(e.json, 'expect.json');
    if (e?.paths) {
        expect.paths = Object.entries(e.paths).map(([path, a]) => ({
            path,
            ...a,
            ...(a.equals !== undefined
                ? { equals: r.deep(a.equals, `expect.paths.${path}`) }
                : {})
        }));
    }
    if (e?.body) {
        expect.body = {
            contains: e.body.contains?.map((s) => r.str(s, 'expect.body.contains')),
            notContains: e.body['not-contains']?.map((s) => r.str(s, 'expect.body.not-contains')),
            regex: e.body.regex
        };
    }
    if (e?.latency)
        expect.latency = e.latency;
    return expect;
}
/** Renders one request config; throws a RenderError naming the field. */
function renderHttpRequest(h, r) {
    const d = HTTP_DEFAULTS;
    const t = h.timeout ?? {};
    const total = t.total ?? d.totalMs;
    const headers = r.headers(h.headers);
    let body;
    if (h.json !== undefined) {
        body = JSON.stringify(r.deep(h.json, 'json'));
        if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
            headers['content-type'] = 'application/json';
        }
    }
    else if (h.body !== undefined) {
        body = r.str(h.body, 'body');
    }
    const retries = h.retries;
    const expect = renderExpect(h.expect, r);
    return {
        url: r.url(h.url, 'http'),
        method: h.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeouts: {
            connectMs: Math.min(t.connect ?? d.connectMs, total),
            headersMs: Math.min(t.headers ?? d.headersMs, total),
            bodyMs: Math.min(t.body ?? d.bodyMs, total),
            totalMs: total
        },
        follow: h.follow,
        allowHosts: h['allow-hosts'] ?? [],
        ...(r.secretHeaders.length ? { secretHeaders: [...r.secretHeaders] } : {}),
        tls: r.tls(h.tls),
        retry: {
            attempts: retries?.attempts ?? 1,
            backoffMs: (retries && 'backoff' in retries ? retries.backoff : undefined) ??
                d.backoffMs,
            maxBackoffMs: (retries && 'max-backoff' in retries
                ? retries['max-backoff']
                : undefined) ?? d.maxBackoffMs
        },
        expect,
        maxBodyBytes: h['max-body'] ?? d.maxBodyBytes
    };
}
/**
 * Renders a request config at send time, for callers that are not probes:
 * the error names the field (`header 'X': secret 'Y' is not set`), and the
 * caller says whose request it was.
 */
function resolveHttpRequest(h, opts) {
    const r = new Renderer(opts);
    try {
        const spec = renderHttpRequest(h, r);
        return { ok: true, spec, secrets: r.secrets };
    }
    catch (e) {
        if (e instanceof RenderError)
            return { ok: false, error: e.message };
        throw e;
    }
}


/***/ }),

/***/ 8902:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ parseRetryAfter),
/* harmony export */   y: () => (/* binding */ retryWait)
/* harmony export */ });
/**
 * Retry-After is delta-seconds or an HTTP date; a date is turned into a
 * wait from `now`. Anything unparsable is ignored rather than guessed.
 */
function parseRetryAfter(header, now) {
    const value = (Array.isArray(header) ? header[0] : header)?.trim();
    if (value === undefined || value === '')
        return undefined;
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    // HTTP dates start with the weekday; this keeps Date.parse from reading
    // '-1' or '2026' as a year.
    if (!/^[a-z]{3,9},? /i.test(value))
        return undefined;
    const date = Date.parse(value);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}
/**
 * Exponential backoff with full jitter (a random wait up to the doubled cap),
 * so many clients failing together do not retry in lockstep. A server's
 * `Retry-After` replaces it, still capped so one header cannot stall a gate.
 */
function retryWait(spec, failedAttempt, retryAfterMs, random) {
    const { backoffMs, maxBackoffMs } = spec.retry;
    if (retryAfterMs !== undefined)
        return Math.min(retryAfterMs, maxBackoffMs);
    const cap = Math.min(maxBackoffMs, backoffMs * 2 ** (failedAttempt - 1));
    return Math.round(random() * cap);
}


/***/ }),

/***/ 5616:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZC: () => (/* binding */ hostPortOf),
/* harmony export */   fF: () => (/* binding */ reasonScrubber),
/* harmony export */   t8: () => (/* binding */ httpBaseUrl),
/* harmony export */   v0: () => (/* binding */ httpSend)
/* harmony export */ });
/* unused harmony export MAX_ANSWER_BYTES */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);
/* harmony import */ var _connection_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7368);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8549);
/* harmony import */ var _request_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1922);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8902);
/* harmony import */ var _scrub_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7967);
/* harmony import */ var _kernel_clock_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4643);
/* harmony import */ var _kernel_format_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8982);
/**
 * The HTTP transport that metric sources, hooks and confirm share: one
 * request with a hard timeout and a size cap, turned into either an answer
 * to interpret or an error reading. Refused, reset and timed out are
 * errors with a reason naming `host:port`; statuses are the caller's.
 */








/** Answers beyond this are refused: a metric is one number, not a dump. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/**
 * Runs one request under a timeout that covers connect, headers and body,
 * with the injected clock so tests can drive it. Never throws: every
 * transport failure comes back as an error reading naming `host:port`.
 */
async function httpSend(req, timeoutMs, opts) {
    const { url, headers } = req;
    const clock = opts.clock ?? _kernel_clock_js__WEBPACK_IMPORTED_MODULE_4__/* .systemClock */ .m;
    const target = hostPortOf(url);
    const scheme = urlScheme(url);
    if (scheme !== 'http:' && scheme !== 'https:') {
        return failed(`invalid url '${(0,_scrub_js__WEBPACK_IMPORTED_MODULE_5__/* .displayUrl */ .Qy)(url)}' (use an http:// or https:// URL)`);
    }
    if (opts.signal?.aborted)
        return failed('aborted');
    const controller = new AbortController();
    const timer = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(new Error('aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    clock.sleep(timeoutMs, timer.signal).then(() => {
        timedOut = true;
        controller.abort(new Error('timeout'));
    }, () => undefined);
    // Our clock-driven timeout covers the whole request; the client's own
    // timers only back it up for a clock that never wakes.
    const backstop = timeoutMs + 1000;
    try {
        const r = await (0,_request_js__WEBPACK_IMPORTED_MODULE_3__/* .request */ .E)({
            url,
            method: req.method,
            headers: withAccept(headers),
            ...(req.body === undefined ? {} : { body: req.body }),
            timeouts: {
                connectMs: backstop,
                headersMs: backstop,
                bodyMs: backstop,
                totalMs: backstop
            },
            follow: 0,
            allowHosts: [],
            tls: { insecure: false },
            maxBodyBytes: MAX_ANSWER_BYTES
        }, {
            dispatcher: opts.dispatcher ?? (0,undici__WEBPACK_IMPORTED_MODULE_0__/* .getGlobalDispatcher */ .xo)(),
            clock,
            signal: controller.signal,
            stopAtCap: true
        });
        if (r.kind !== 'response') {
            const tripped = r.kind === 'failed' && r.trip !== undefined;
            if (timedOut || (tripped && r.trip !== 'signal')) {
                return failed(`timeout after ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_6__/* .formatDuration */ .a3)(timeoutMs)} (${target})`);
            }
            if (opts.signal?.aborted)
                return failed('aborted');
            return failed(r.kind === 'failed'
                ? (0,_connection_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .transportFailure */ .qO)(r.cause, target, reasonScrubber(url, headers, opts)).reason
                : r.reason);
        }
        if (r.totalBytes > MAX_ANSWER_BYTES)
            return tooLarge(r.status);
        const answer = {
            status: r.status,
            body: r.body.toString('utf8'),
            headers: flatHeaders(r.headers)
        };
        // Only a refusal to serve now (429, 5xx) asks us to wait.
        const retryAfterMs = r.status === 429 || r.status >= 500
            ? (0,_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .parseRetryAfter */ .m)(r.headers['retry-after'], clock.now())
            : undefined;
        if (retryAfterMs !== undefined)
            answer.retryAfterMs = retryAfterMs;
        return { ok: true, answer };
    }
    finally {
        timer.abort();
        opts.signal?.removeEventListener('abort', onAbort);
    }
}
/** `host:port` of a URL, the only part of it a reason may quote. */
function hostPortOf(url) {
    try {
        return (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .hostPort */ .QL)(new URL(url));
    }
    catch {
        return (0,_scrub_js__WEBPACK_IMPORTED_MODULE_5__/* .displayUrl */ .Qy)(url);
    }
}
/**
 * An API's URL from the base URL a user configured: `path` goes after the
 * path prefix a proxy puts the API behind (`https://host/prometheus`), and
 * query parameters the proxy needs stay. Undefined for anything but an
 * http(s) URL, so each source words the example its users need.
 */
function httpBaseUrl(base, path = '') {
    let u;
    try {
        u = new URL(base);
    }
    catch {
        return undefined;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
        return undefined;
    if (path !== '')
        u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
    return u;
}
/**
 * The URL/header credential scrubber followed by the caller's redactor, so
 * a token in a query string or an echoed Authorization header never
 * reaches a report. Text quoted from an answer goes through it before it
 * is shortened, since a cut secret no longer matches its mask.
 */
function reasonScrubber(url, headers, opts) {
    const scrub = (0,_scrub_js__WEBPACK_IMPORTED_MODULE_5__/* .credentialScrubber */ .kL)(url, headers);
    const redact = opts.redact ?? ((s) => s);
    return (text) => redact(scrub(text));
}
function urlScheme(url) {
    try {
        return new URL(url).protocol;
    }
    catch {
        return undefined;
    }
}
function failed(reason) {
    return { ok: false, reading: { kind: 'error', reason } };
}
function tooLarge(status) {
    return {
        ok: false,
        reading: {
            kind: 'error',
            reason: `answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`,
            status
        }
    };
}
function withAccept(headers) {
    const has = Object.keys(headers).some((k) => k.toLowerCase() === 'accept');
    return has ? headers : { ...headers, accept: 'application/json' };
}
function flatHeaders(headers) {
    const out = {};
    for (const [k, v] of Object.entries(headers)) {
        if (v !== undefined)
            out[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    return out;
}


/***/ }),

/***/ 3174:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gZ: () => (/* binding */ addConnectTimes),
/* harmony export */   iB: () => (/* binding */ watchedRequest),
/* harmony export */   jK: () => (/* binding */ timedConnector)
/* harmony export */ });
/* harmony import */ var node_diagnostics_channel__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3053);
/* harmony import */ var node_diagnostics_channel__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_diagnostics_channel__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_1__);
/**
 * Which socket served a request, and what it cost: the connect and TLS time
 * of each socket we open, and the peer certificate read while the socket is
 * still open, since a server that closes after answering leaves nothing to
 * read by the time the body is in.
 */


/** Filled by our connector: how long each new socket took to open. */
const socketTimes = new WeakMap();
/** Sockets already attributed to an attempt; a reused socket costs nothing. */
const seenSockets = new WeakSet();
let pendingWatch;
const watches = new WeakMap();
let channelsReady = false;
function peerOf(socket) {
    if (!(socket instanceof node_tls__WEBPACK_IMPORTED_MODULE_1__.TLSSocket)) {
        return { tls: false, validTo: NaN, resumed: false };
    }
    // A destroyed socket has no certificate left (getPeerCertificate is null).
    const cert = socket.getPeerCertificate();
    return {
        tls: true,
        validTo: cert ? Date.parse(cert.valid_to) : NaN,
        resumed: socket.isSessionReused()
    };
}
/**
 * undici does not tell a caller which socket served its request, and without
 * that we can neither attribute connect time nor read the peer certificate
 * behind a proxy. Its diagnostics channels do: a request is created
 * synchronously inside `dispatch`, and `sendHeaders` names its socket.
 */
function ensureChannels() {
    if (channelsReady)
        return;
    channelsReady = true;
    node_diagnostics_channel__WEBPACK_IMPORTED_MODULE_0___default().subscribe('undici:request:create', (msg) => {
        if (!pendingWatch)
            return;
        const { request } = msg;
        watches.set(request, pendingWatch);
        pendingWatch = undefined;
    });
    node_diagnostics_channel__WEBPACK_IMPORTED_MODULE_0___default().subscribe('undici:client:sendHeaders', (msg) => {
        const { request, socket } = msg;
        const w = watches.get(request);
        if (!w)
            return;
        w.socket = socket;
        w.peer = peerOf(socket);
        w.onSend(socket);
    });
}
/** Sends a request whose socket `watch` will learn about. */
function watchedRequest(dispatcher, options, watch) {
    ensureChannels();
    pendingWatch = watch;
    try {
        return dispatcher.request(options);
    }
    finally {
        pendingWatch = undefined;
    }
}
/** Wraps a connector to record TCP and TLS time for each socket it opens. */
function timedConnector(base) {
    return (options, callback) => {
        const start = performance.now();
        let tcpAt;
        const socket = base(options, (...args) => {
            const [err, sock] = args;
            if (!err && sock) {
                const end = performance.now();
                const tcp = tcpAt ?? end;
                socketTimes.set(sock, options.protocol === 'https:'
                    ? { connectMs: tcp - start, tlsMs: end - tcp }
                    : { connectMs: end - start });
            }
            callback(...args);
        });
        socket?.once('connect', () => {
            tcpAt = performance.now();
        });
    };
}
/** Adds the connect and TLS time of a socket the first time it serves us. */
function addConnectTimes(timings, sock) {
    if (!sock || seenSockets.has(sock))
        return;
    seenSockets.add(sock);
    const c = socketTimes.get(sock);
    if (!c)
        return;
    timings.connectMs = (timings.connectMs ?? 0) + c.connectMs;
    if (c.tlsMs !== undefined)
        timings.tlsMs = (timings.tlsMs ?? 0) + c.tlsMs;
}


/***/ }),

/***/ 4643:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/**
 * The longest delay a Node timer holds; a longer one fires at once. Waits
 * derived from config durations (a bake stretched by `max-bake`) can pass
 * it, so longer sleeps are taken in pieces.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The process's own clock: `Date.now` for stamps, `performance.now` for time. */
const systemClock = {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        let left = ms;
        let timer;
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        const wait = () => {
            const piece = Math.min(left, MAX_TIMER_MS);
            left -= piece;
            timer = setTimeout(() => {
                if (left > 0)
                    return wait();
                signal?.removeEventListener('abort', onAbort);
                resolve();
            }, piece);
        };
        wait();
        signal?.addEventListener('abort', onAbort, { once: true });
    })
};


/***/ }),

/***/ 6095:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D2: () => (/* binding */ RUNNER_STALL_MS),
/* harmony export */   JA: () => (/* binding */ isSetAside),
/* harmony export */   Vi: () => (/* binding */ runnerBusyText),
/* harmony export */   jt: () => (/* binding */ idleRunner)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8982);
/**
 * How busy the machine running the rollout was. A GitHub runner is a shared
 * 2-4 core machine that often builds and tests in the same job: when the
 * client itself stalls, a sample's latency or timeout says nothing about the
 * service, so such samples are set aside on both tracks alike and the
 * report says how busy the runner was, with numbers.
 */

/**
 * A sample taken while the client stalled at least this long is set aside:
 * a stall adds up to its length to a latency, and on a 20 ms service a
 * 25 ms stall already doubles the measured value.
 */
const RUNNER_STALL_MS = 25;
/**
 * Whether a sample says more about the runner than the service: its
 * measurement overlapped a stall of the client at least RUNNER_STALL_MS
 * long. Such a sample is left out of every built-in metric, on both tracks
 * alike.
 */
function isSetAside(sample) {
    return (sample.runnerStallMs ?? 0) >= RUNNER_STALL_MS;
}
const IDLE = {
    lagP99Ms: 0,
    lagMaxMs: 0,
    cpuPercent: 0,
    loadPerCore: 0
};
/** A runner that never stalls: for tests on an injected clock. */
const idleRunner = {
    stallDuring: () => 0,
    window: () => ({
        current: () => IDLE,
        close: () => IDLE
    })
};
/**
 * The line reports and progress show when the runner was busy:
 * `runner busy: event-loop lag p99 480ms; 37 of 400 samples set aside`.
 * Empty when nothing was set aside and the lag stayed under the stall limit.
 */
function runnerBusyText(load, samples) {
    if (samples.setAside === 0 && load.lagP99Ms < RUNNER_STALL_MS)
        return '';
    const parts = [`event-loop lag p99 ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .formatLatency */ .YL)(load.lagP99Ms)}`];
    if (samples.setAside > 0) {
        parts.push(`${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .formatCount */ .B4)(samples.setAside)} of ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .formatCount */ .B4)(samples.taken)} samples set aside`);
    }
    return `runner busy: ${parts.join('; ')}`;
}


/***/ }),

/***/ 4316:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $C: () => (/* binding */ statusError),
/* harmony export */   ZH: () => (/* binding */ readHttpJson),
/* harmony export */   hD: () => (/* binding */ quote),
/* harmony export */   iE: () => (/* binding */ stamp),
/* harmony export */   ke: () => (/* binding */ parseNumberText),
/* harmony export */   lx: () => (/* binding */ httpGet),
/* harmony export */   qF: () => (/* binding */ parseJson)
/* harmony export */ });
/* unused harmony export oneLine */
/* harmony import */ var _http_connection_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7368);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5616);
/* harmony import */ var _kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5852);
/* harmony import */ var _kernel_clock_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4643);
/* harmony import */ var _kernel_format_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8982);
/**
 * The HTTP JSON metric source, and what every metric source shares on top
 * of the transport (src/http/send.ts): status errors, number text, quoting.
 * Refused, reset, timed out, 5xx and 429 are errors with a reason, never
 * values.
 */





/** A GET: the Prometheus and HTTP JSON default. */
function httpGet(url, headers, timeoutMs, opts) {
    return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .httpSend */ .v0)({ url, method: 'GET', headers }, timeoutMs, opts);
}
/**
 * What a non-2xx status means when the body says nothing better. 429 and
 * 5xx keep their Retry-After so the caller can back off instead of
 * hammering a struggling metrics backend every interval.
 */
function statusError(answer, target) {
    const { status, retryAfterMs } = answer;
    const wait = retryAfterMs === undefined
        ? ''
        : `; retry after ${(0,_kernel_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(retryAfterMs)}`;
    let reason;
    if (status === 429)
        reason = `rate limited: HTTP 429 from ${target}${wait}`;
    else if (status >= 500)
        reason = `HTTP ${status} from ${target}${wait}`;
    else if (status === 401 || status === 403) {
        reason = `HTTP ${status} from ${target} (check the credentials in headers)`;
    }
    else if (status >= 300 && status < 400) {
        reason = `HTTP ${status} from ${target} (redirects are not followed; use the final URL)`;
    }
    else
        reason = `HTTP ${status} from ${target}`;
    return retryAfterMs === undefined
        ? { kind: 'error', reason, status }
        : { kind: 'error', reason, status, retryAfterMs };
}
/**
 * Backends print numbers as strings (Prometheus `"0.5"`, `"NaN"`, `"+Inf"`);
 * this accepts exactly the decimal forms and keeps NaN/Inf apart, since
 * they mean "no meaningful value" (0/0 with no traffic), not a number.
 */
function parseNumberText(text) {
    const s = text.trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
        const value = Number(s);
        if (Number.isFinite(value))
            return { kind: 'number', value };
        return { kind: 'not-finite', text: s };
    }
    if (/^[+-]?(inf|infinity|nan)$/i.test(s))
        return { kind: 'not-finite', text: s };
    return { kind: 'invalid' };
}
/** One line, capped, for reasons that quote an answer: scrubbed first. */
function oneLine(text, max, scrub) {
    return (0,_http_connection_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .excerpt */ .Kb)(text, max, scrub);
}
/**
 * Reads one number from a JSON endpoint (a Datadog, CloudWatch or in-house
 * metrics API). Missing data is `no-data`, a value that is not a number is
 * an `error` (the path or the endpoint is wrong), and HTTP failures follow
 * the shared rules, so this source can never invent a zero.
 */
async function readHttpJson(spec, opts = {}) {
    const clock = opts.clock ?? _kernel_clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m;
    const scrub = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .reasonScrubber */ .fF)(spec.url, spec.headers, opts);
    const reading = await readUnstamped(spec, opts, scrub);
    return stamp(reading, scrub, clock);
}
async function readUnstamped(spec, opts, scrub) {
    const path = (0,_kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_4__/* .parsePath */ .Rr)(spec.path);
    if (!path.ok)
        return { kind: 'error', reason: path.error };
    const fetched = await (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .httpSend */ .v0)({
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: spec.headers,
        ...(spec.body === undefined ? {} : { body: spec.body })
    }, spec.timeoutMs, opts);
    if (!fetched.ok)
        return fetched.reading;
    const { answer } = fetched;
    const target = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .hostPortOf */ .ZC)(spec.url);
    if (answer.status < 200 || answer.status > 299) {
        return statusError(answer, target);
    }
    if (answer.status === 204 || answer.body.trim() === '') {
        return { kind: 'no-data', reason: `empty answer (HTTP ${answer.status})` };
    }
    const doc = parseJson(answer.body);
    if (!doc.ok) {
        return {
            kind: 'error',
            reason: `malformed answer from ${target}: not JSON ('${quote(answer.body, scrub, 60)}')`,
            status: answer.status
        };
    }
    const found = (0,_kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_4__/* .readPath */ .G7)(doc.value, path.value);
    const where = (0,_kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_4__/* .formatPath */ .jV)(path.value);
    if (!found.found) {
        return { kind: 'no-data', reason: `${where} not found: ${found.reason}` };
    }
    return numberAt(found.value, where, answer.status, scrub);
}
function numberAt(value, where, status, scrub) {
    if (value === null)
        return { kind: 'no-data', reason: `${where} is null` };
    if (typeof value === 'number')
        return { kind: 'value', value };
    if (typeof value === 'string') {
        const n = parseNumberText(value);
        if (n.kind === 'number')
            return { kind: 'value', value: n.value };
        if (n.kind === 'not-finite') {
            return { kind: 'no-data', reason: `${where} is '${n.text}'` };
        }
        return {
            kind: 'error',
            reason: `${where} is not a number: '${quote(value, scrub, 40)}'`,
            status
        };
    }
    const hint = Array.isArray(value)
        ? ` (point the path at one element, e.g. ${where.slice(0, -1)}[${isPair(value) ? 1 : 0}]')`
        : '';
    return {
        kind: 'error',
        reason: `${where} is ${(0,_kernel_jsonpath_js__WEBPACK_IMPORTED_MODULE_4__/* .describe */ .q0)(value)}, not a number${hint}`,
        status
    };
}
/** Adds the timestamp and gives the reason a last scrub and length cap. */
function stamp(reading, scrub, clock) {
    const at = clock.now();
    if (reading.kind === 'value')
        return { ...reading, at };
    return { ...reading, reason: oneLine(reading.reason, 300, scrub), at };
}
/** Answer text quoted in a reason: scrubbed first, then one short line. */
function quote(text, scrub, max) {
    return oneLine(text, max, scrub);
}
/** `[timestamp, "value"]`, the shape Prometheus-style APIs print samples in. */
function isPair(value) {
    return value.length === 2 && typeof value[0] === 'number';
}
/** JSON.parse as a result, for answers that may be HTML error pages. */
function parseJson(text) {
    try {
        return { ok: true, value: JSON.parse(text) };
    }
    catch {
        return { ok: false };
    }
}


/***/ }),

/***/ 9380:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Iz: () => (/* binding */ pointTime),
/* harmony export */   VK: () => (/* binding */ tagged),
/* harmony export */   jB: () => (/* binding */ providerMalformed),
/* harmony export */   kc: () => (/* binding */ errorText),
/* harmony export */   nI: () => (/* binding */ shortQuery),
/* harmony export */   q9: () => (/* binding */ providerHttpError),
/* harmony export */   u4: () => (/* binding */ isRecord)
/* harmony export */ });
/* harmony import */ var _http_json_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4316);

/**
 * A non-2xx answer, worded by status (401/403 name the credentials, 429
 * and 5xx keep Retry-After), with the provider's own text when it gave
 * one: "Forbidden" or "Rate limit of 300 requests reached" is what the
 * user searches the provider's docs for.
 */
function providerHttpError(provider, answer, target, text, scrub, credentials) {
    const base = (0,_http_json_js__WEBPACK_IMPORTED_MODULE_0__/* .statusError */ .$C)(answer, target);
    const reason = base.reason.replace('(check the credentials in headers)', `(check ${credentials})`);
    const said = text === undefined || text.trim() === ''
        ? ''
        : `: '${(0,_http_json_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(text, scrub, 200)}'`;
    return { ...base, reason: `${provider}: ${reason}${said}` };
}
/** An answer that parsed but is not what the provider documents. */
function providerMalformed(provider, answer, target, what) {
    return {
        kind: 'error',
        reason: `${provider}: malformed answer from ${target}: ${what}`,
        status: answer.status
    };
}
/** `12:04:05` (UTC) of a point, the time a finding quotes. */
function pointTime(ms) {
    return new Date(ms).toISOString().slice(11, 19);
}
/** A query cut to fit a finding; the whole query is in the config. */
function shortQuery(query, scrub, max = 80) {
    return (0,_http_json_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(query, scrub, max);
}
/** Error texts as providers send them: a string, or a list of strings. */
function errorText(value) {
    if (typeof value === 'string')
        return value;
    if (Array.isArray(value)) {
        const texts = value.map((v) => typeof v === 'string'
            ? v
            : isRecord(v) && typeof v.message === 'string'
                ? v.message
                : '');
        const joined = texts.filter((t) => t !== '').join('; ');
        return joined === '' ? undefined : joined;
    }
    return undefined;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Transport failures say which source they belong to. */
function tagged(provider, reading) {
    return reading.kind === 'error'
        ? { ...reading, reason: `${provider}: ${reading.reason}` }
        : reading;
}


/***/ }),

/***/ 2365:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ preview)
/* harmony export */ });
/* unused harmony export PREVIEW_GUARD */
/* harmony import */ var _redactor_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6840);
/**
 * The one way a value is shortened for display. Redaction must see the
 * whole secret: cut first and the half of a secret left at the cut no
 * longer matches, so it survives on every surface. Here the text is
 * redacted, then cut, and the cut never splits a mask.
 */

/** Longest secret form a preview of a huge value is guaranteed to mask. */
const PREVIEW_GUARD = 16 * 1024;
/** How much of a huge value is redacted before cutting (beyond `max`). */
const WINDOW = 64 * 1024;
/**
 * Redacts `text`, then shortens it to at most `max` characters. A value
 * longer than the redaction window is first cut to the window and the
 * last `PREVIEW_GUARD` characters at that cut are dropped after redaction,
 * so a secret straddling the window's edge cannot leave a piece behind.
 */
function preview(text, max, redact, opts = {}) {
    const ellipsis = opts.ellipsis ?? '…';
    const window = Math.max(WINDOW, 2 * max + PREVIEW_GUARD);
    let cut = text.length > window || (opts.partial ?? false);
    let clean;
    if (!cut) {
        clean = redact(text);
    }
    else if (opts.tail) {
        clean = redact(text.slice(-window)).slice(PREVIEW_GUARD);
    }
    else {
        clean = redact(text.slice(0, window)).slice(0, -PREVIEW_GUARD);
    }
    if (opts.oneLine)
        clean = clean.replace(/\s+/g, ' ').trim();
    if (clean.length > max)
        cut = true;
    if (!cut)
        return clean;
    const room = Math.max(0, max - ellipsis.length);
    if (opts.tail) {
        let from = clean.length - room;
        from = maskEdge(clean, from, 'forward');
        return ellipsis + clean.slice(from);
    }
    const to = maskEdge(clean, Math.min(room, clean.length), 'back');
    return clean.slice(0, to) + ellipsis;
}
/**
 * Moves a cut that falls inside a `***` to the mask's edge, and one that
 * falls between the halves of a surrogate pair off the pair.
 */
function maskEdge(s, at, dir) {
    for (let k = 1; k < _redactor_js__WEBPACK_IMPORTED_MODULE_0__/* .MASK */ .v5.length; k++) {
        const start = at - k;
        if (start >= 0 && s.startsWith(_redactor_js__WEBPACK_IMPORTED_MODULE_0__/* .MASK */ .v5, start)) {
            return dir === 'back' ? start : start + _redactor_js__WEBPACK_IMPORTED_MODULE_0__/* .MASK */ .v5.length;
        }
    }
    const before = s.charCodeAt(at - 1);
    if (at > 0 && at < s.length && before >= 0xd800 && before <= 0xdbff) {
        return dir === 'back' ? at - 1 : at + 1;
    }
    return at;
}


/***/ }),

/***/ 6840:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  v5: () => (/* binding */ MASK),
  lY: () => (/* binding */ createRedactor)
});

// UNUSED EXPORTS: isSensitiveHeader, isSensitiveName

;// CONCATENATED MODULE: ./src/redact/decode.ts
/**
 * Escaped text decoded with a map back to the original positions, so a
 * secret written as `\u0026`, `&#x26;`, `%26` or `+` (or split by the line
 * breaks of wrapped base64) is found in its decoded form and masked where
 * it sits in the text as printed. Enumerating every escaped spelling of a
 * secret cannot work (an encoder may escape any character), decoding can.
 */
const JSON_SIMPLE = {
    '"': '"',
    '\\': '\\',
    '/': '/',
    "'": "'",
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t'
};
const HTML_NAMED = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    sol: '/',
    colon: ':',
    equals: '=',
    plus: '+',
    percnt: '%',
    num: '#',
    nbsp: '\u00a0'
};
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));/;
function fromCodePoint(cp) {
    if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff)
        return undefined;
    return String.fromCodePoint(cp);
}
function jsonUnit(text, i) {
    const next = text[i + 1];
    if (next === undefined)
        return undefined;
    if (next === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!HEX4.test(hex))
            return undefined;
        return { chars: String.fromCharCode(parseInt(hex, 16)), length: 6 };
    }
    const simple = JSON_SIMPLE[next];
    return simple === undefined ? undefined : { chars: simple, length: 2 };
}
function htmlUnit(text, i) {
    const m = ENTITY.exec(text.slice(i, i + 12));
    if (!m)
        return undefined;
    let chars;
    if (m[1] !== undefined)
        chars = fromCodePoint(parseInt(m[1], 10));
    else if (m[2] !== undefined)
        chars = fromCodePoint(parseInt(m[2], 16));
    else
        chars = HTML_NAMED[m[3].toLowerCase()];
    return chars === undefined ? undefined : { chars, length: m[0].length };
}
function percentByte(text, i) {
    if (text[i] !== '%')
        return undefined;
    const hex = text.slice(i + 1, i + 3);
    return /^[0-9a-fA-F]{2}$/.test(hex) ? parseInt(hex, 16) : undefined;
}
/** One `%XX` character, or the 2 to 4 `%XX` bytes of one UTF-8 character. */
function percentUnit(text, i) {
    const lead = percentByte(text, i);
    if (lead === undefined)
        return undefined;
    if (lead < 0x80)
        return { chars: String.fromCharCode(lead), length: 3 };
    const count = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (count === 0)
        return undefined;
    const bytes = [lead];
    for (let k = 1; k < count; k++) {
        const b = percentByte(text, i + 3 * k);
        if (b === undefined || (b & 0xc0) !== 0x80)
            return undefined;
        bytes.push(b);
    }
    const chars = Buffer.from(bytes).toString('utf8');
    if (chars.includes('\ufffd'))
        return undefined;
    return { chars, length: 3 * count };
}
function unitAt(text, i, kinds) {
    const c = text[i];
    if (c === '\\' && kinds.has('json'))
        return jsonUnit(text, i);
    if (c === '&' && kinds.has('html'))
        return htmlUnit(text, i);
    if (c === '%' && kinds.has('percent'))
        return percentUnit(text, i);
    if (c === '+' && kinds.has('plus'))
        return { chars: ' ', length: 1 };
    if ((c === '\n' || c === '\r') && kinds.has('wrap')) {
        return { chars: '', length: 1 };
    }
    return undefined;
}
/**
 * Decodes every escape of the given families in one left-to-right pass.
 * Undefined when the text holds none, so callers skip a pointless search.
 */
function decodeEscapes(text, kinds) {
    const out = [];
    const start = [];
    const end = [];
    let changed = false;
    let i = 0;
    while (i < text.length) {
        const unit = unitAt(text, i, kinds);
        if (unit) {
            changed = true;
            for (let k = 0; k < unit.chars.length; k++) {
                out.push(unit.chars[k]);
                start.push(i);
                end.push(i + unit.length);
            }
            i += unit.length;
        }
        else {
            out.push(text[i]);
            start.push(i);
            end.push(i + 1);
            i++;
        }
    }
    return changed ? { text: out.join(''), start, end } : undefined;
}
const TRIGGERS = {
    json: '\\\\',
    html: '&',
    percent: '%',
    plus: '\\+',
    wrap: '\\r\\n'
};
/** Finds the characters an escape of `kinds` can start with. */
function triggerOf(kinds) {
    return new RegExp(`[${[...kinds].map((k) => TRIGGERS[k]).join('')}]`, 'g');
}
/**
 * The decoded text alone, without the position map: the cheap test of
 * whether a secret is there at all. Plain runs are copied whole, so text
 * with few escapes costs little more than a search.
 */
function decodeText(text, kinds, trigger = triggerOf(kinds)) {
    trigger.lastIndex = 0;
    let out = '';
    let pos = 0;
    for (let m = trigger.exec(text); m; m = trigger.exec(text)) {
        const unit = unitAt(text, m.index, kinds);
        if (!unit)
            continue;
        out += text.slice(pos, m.index) + unit.chars;
        pos = m.index + unit.length;
        trigger.lastIndex = pos;
    }
    return pos === 0 && out === '' ? undefined : out + text.slice(pos);
}
function pass(kinds, needs) {
    const set = new Set(kinds);
    return { kinds: set, trigger: triggerOf(set), needs };
}
const PASSES = [
    pass(['json'], (t) => t.includes('\\')),
    pass(['html'], (t) => t.includes('&')),
    pass(['percent'], (t) => t.includes('%')),
    pass(['percent', 'plus'], (t) => t.includes('+')),
    // A secret escaped two ways at once (`\u0026` and `%2F` in one value).
    pass(['json', 'html', 'percent'], (t) => ['\\', '&', '%'].filter((c) => t.includes(c)).length > 1),
    pass(['wrap'], (t) => t.includes('\n') || t.includes('\r'))
];

;// CONCATENATED MODULE: ./src/redact/redactor.ts
/**
 * The one place secret material is removed from text we show: logs, reasons,
 * reports, PR comments. Two layers: known secret values (and the encodings
 * they are commonly printed in), and shapes that are secret whatever their
 * value (Authorization headers, URL userinfo, token query parameters).
 */

/** What every secret is replaced by. */
const MASK = '***';
/** Shorter secrets match too much ordinary text to be replaced everywhere. */
const MIN_SECRET_LENGTH = 4;
/** Header names whose values are credentials whatever they contain. */
const SENSITIVE_HEADERS = new Set([
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-api-key'
]);
/** Query parameter names that carry credentials or signatures. */
const SENSITIVE_PARAMS = new Set([
    'token',
    'access_token',
    'id_token',
    'refresh_token',
    'api_key',
    'apikey',
    'key',
    'secret',
    'password',
    'passwd',
    'sig',
    'signature',
    'x-amz-signature',
    'x-amz-credential',
    'x-amz-security-token',
    'auth',
    'code',
    'client_secret'
]);
/** Words that make a name sensitive in free text (`DB_PASSWORD=`, ...). */
const SENSITIVE_WORDS = new Set([
    'token',
    'secret',
    'password',
    'passwd',
    'pwd',
    'passphrase',
    'apikey',
    'credential',
    'credentials',
    'cookie',
    'authorization',
    'auth'
]);
/** Flag names like `--token-file` name a reference, not the secret itself. */
const REFERENCE_WORDS = new Set(['file', 'stdin', 'env', 'path', 'name', 'id']);
/** Authorization schemes kept visible so a report still says what was sent. */
const AUTH_SCHEME = /^(bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256|hmac|apikey)\s+/i;
const PEM_BOUNDARY = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;
/** Splits `X-Api-Key`, `client_secret`, `accessToken` into lowercase words. */
function words(name) {
    return name
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 0);
}
/**
 * Free-text names are judged by words, so `monkey: banana` stays readable
 * while `x-api-key`, `GITHUB_TOKEN`, `clientSecret` and `dbpassword` do not.
 */
function isSensitiveName(name) {
    const lower = name.toLowerCase();
    if (SENSITIVE_HEADERS.has(lower))
        return true;
    if (/token|secret|password|passwd/.test(lower))
        return true;
    const ws = words(name);
    if (ws.some((w) => SENSITIVE_WORDS.has(w)))
        return true;
    return ws.length > 1 && ws.includes('key');
}
/** Header names are structured, so any that contains a sensitive word counts. */
function isSensitiveHeader(name) {
    const lower = name.toLowerCase();
    return (SENSITIVE_HEADERS.has(lower) ||
        /token|secret|password|passwd|key/.test(lower));
}
function isSensitiveParam(name) {
    let decoded = name;
    try {
        decoded = decodeURIComponent(name);
    }
    catch {
        // keep the raw name
    }
    const lower = decoded.toLowerCase();
    if (lower === 'token_type')
        return false;
    if (SENSITIVE_PARAMS.has(lower))
        return true;
    if (isSensitiveName(decoded))
        return true;
    return words(decoded).some((w) => w === 'signature' || w === 'credential');
}
function b64(bytes) {
    return bytes.toString('base64');
}
function urlSafe(s) {
    return s.replace(/\+/g, '-').replace(/\//g, '_');
}
/**
 * Base64 of a secret embedded in a longer value (`user:token` in Basic
 * auth, docker `auths`) depends on its byte offset modulo 3; the characters
 * that encode only the secret's bits are the same for each offset.
 */
function base64Forms(secret) {
    const bytes = Buffer.from(secret, 'utf8');
    const out = [];
    const full = b64(bytes);
    out.push(full, full.replace(/=+$/, ''));
    for (let k = 0; k < 3; k++) {
        const shifted = b64(Buffer.concat([Buffer.alloc(k), bytes]));
        const from = Math.ceil((8 * k) / 6);
        const to = Math.floor((8 * (k + bytes.length)) / 6);
        const core = shifted.slice(from, to);
        if (core.length >= 6)
            out.push(core);
    }
    return out.flatMap((s) => [s, urlSafe(s)]);
}
/** Every string we search for when a secret is known. */
function variantsOf(secret) {
    const forms = new Map();
    const put = (text, b64 = false, plain = false) => {
        if (text.length < MIN_SECRET_LENGTH)
            return;
        const was = forms.get(text);
        forms.set(text, {
            text,
            b64: b64 || (was?.b64 ?? false),
            plain: plain || (was?.plain ?? false)
        });
    };
    const bases = new Set([secret, secret.trim()]);
    const lines = secret
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
    if (lines.length > 1) {
        bases.add(lines.join('\n'));
        bases.add(lines.join('\r\n'));
        bases.add(lines.join(''));
        bases.add(lines.join(' '));
        for (const line of lines) {
            if (!PEM_BOUNDARY.test(line))
                put(line, false, true);
        }
    }
    for (const base of bases) {
        if (base.length < MIN_SECRET_LENGTH)
            continue;
        put(base, false, true);
        put(JSON.stringify(base).slice(1, -1));
        const uri = encodeURIComponent(base);
        put(uri);
        put(uri.replace(/%20/g, '+'));
        put(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
        for (const f of base64Forms(base))
            put(f, true);
    }
    return [...forms.values()];
}
const BASE64_CHAR = /[A-Za-z0-9+/_-]/;
/** Where `v` occurs in `text`, as [start, end) pairs. */
function occurrences(text, v) {
    const found = [];
    if (v.length > text.length)
        return found;
    for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + 1)) {
        found.push([i, i + v.length]);
    }
    return found;
}
/** Widens a base64 match to the whole run it sits in (`user:token`). */
function widenBase64(text, [s, e]) {
    while (s > 0 && BASE64_CHAR.test(text[s - 1]))
        s--;
    while (e < text.length && BASE64_CHAR.test(text[e]))
        e++;
    while (e < text.length && text[e] === '=')
        e++;
    return [s, e];
}
/**
 * Spans of every known secret: as printed, then in each decoded view of the
 * text (JSON `\uXXXX`, HTML entities, percent and `+`, wrapped base64), the
 * view's matches mapped back to the characters that spell them.
 */
function secretSpans(text, variants) {
    const spans = [];
    for (const { text: v, b64 } of variants) {
        for (const span of occurrences(text, v)) {
            spans.push(b64 ? widenBase64(text, span) : span);
        }
    }
    const plain = variants.filter((v) => v.plain || v.b64);
    for (const pass of PASSES) {
        if (!pass.needs(text))
            continue;
        // The cheap decoding first; the position map only when a secret is in.
        const decoded = decodeText(text, pass.kinds, pass.trigger);
        if (decoded === undefined)
            continue;
        if (!plain.some((v) => decoded.includes(v.text)))
            continue;
        const view = decodeEscapes(text, pass.kinds);
        if (view === undefined)
            continue;
        for (const { text: v, b64 } of plain) {
            for (const [s, e] of occurrences(view.text, v)) {
                const span = [view.start[s], view.end[e - 1]];
                spans.push(b64 ? widenBase64(text, span) : span);
            }
        }
    }
    return spans;
}
/** Masks every occurrence, including overlapping ones of different secrets. */
function maskKnown(text, variants) {
    if (variants.length === 0 || text.length === 0)
        return text;
    const spans = secretSpans(text, variants);
    if (spans.length === 0)
        return text;
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = '';
    let pos = 0;
    let [start, end] = spans[0];
    for (const [s, e] of spans.slice(1)) {
        if (s <= end) {
            end = Math.max(end, e);
            continue;
        }
        out += text.slice(pos, start) + MASK;
        pos = end;
        [start, end] = [s, e];
    }
    return out + text.slice(pos, start) + MASK + text.slice(end);
}
// An absolute URL in free text; stops at whitespace, quotes and brackets.
const URL_IN_TEXT = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>`]+/g;
// Query or fragment parameters, also in relative URLs (`/cb?code=...`).
const PARAM_IN_TEXT = /([?&#])([A-Za-z0-9_.%-]+)=([^&#\s"'<>`]*)/g;
// "name": "value" and 'name': 'value' (JSON, Python reprs, JS objects).
const QUOTED_PAIR = /(["'])([A-Za-z0-9_.-]{1,100})\1(\s*[:=]\s*)(["'])((?:\\.|(?!\4)[^\\])*)\4/g;
// The same inside a JSON string that holds JSON: \"token\":\"value\".
const ESCAPED_PAIR = /(\\["'])([A-Za-z0-9_.-]{1,100})\1(\s*[:=]\s*)(\\["'])((?:(?!\4)[^\r\n])*)\4/g;
/*
 * The patterns below match only a name and its separator, and look ahead for
 * the value, so that a harmless name (`Error: ...`) does not swallow a
 * sensitive one later on the same line (`Error: Authorization: Bearer x`).
 */
// Header and YAML lines: `Authorization: Bearer xyz` up to the line end.
const HEADER_LINE = /(["']?)\b([A-Za-z][A-Za-z0-9_.-]*)([ \t]*:[ \t]*)(?=([^\r\n]+))/g;
// Assignments: `GITHUB_TOKEN=ghp_x`, `--password=x`, `password = "x"`.
const ASSIGNMENT = /(?<![A-Za-z0-9_.-])(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)([ \t]*=(?!=)[ \t]*)(?=("[^"\r\n]*"|'[^'\r\n]*'|[^\s"'&;,]+))/g;
// Long flags followed by a value: `--token abc`.
const FLAG_VALUE = /(?<=^|\s)(--[A-Za-z][A-Za-z0-9_-]*)([ \t]+)(?=([^\s-][^\s]*))/g;
/**
 * Runs `re` (global, with a zero-width look-ahead for the value) and lets
 * `fn` replace the name, separator and `consumed` characters of value.
 */
function replaceAhead(text, re, fn) {
    re.lastIndex = 0;
    let out = '';
    let pos = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
        const r = fn(m);
        if (r) {
            const end = m.index + m[0].length + r.consumed;
            out += text.slice(pos, m.index) + r.text;
            pos = end;
            re.lastIndex = end;
        }
        else if (m[0].length === 0) {
            re.lastIndex++;
        }
    }
    return out + text.slice(pos);
}
function maskUserinfo(url) {
    return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^\s/?#"'<>`]*)@/, (_m, scheme) => `${scheme}${MASK}@`);
}
function maskParams(text, exact) {
    return text.replace(PARAM_IN_TEXT, (m, sep, name, value) => {
        if (value === '' || value === MASK)
            return m;
        if (isSensitiveParam(name) || exact.has(safeDecode(value))) {
            return `${sep}${name}=${MASK}`;
        }
        return m;
    });
}
function safeDecode(s) {
    try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
    }
    catch {
        return s;
    }
}
/** Path segments equal to a known secret, even a short one (`/hooks/T0k`). */
function maskPathSegments(url, exact) {
    if (exact.size === 0)
        return url;
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(.*)$/s.exec(url);
    if (!m)
        return url;
    const path = m[2]
        .split('/')
        .map((seg) => (seg !== '' && exact.has(safeDecode(seg)) ? MASK : seg))
        .join('/');
    return m[1] + path + m[3];
}
function maskAuthValue(value) {
    const scheme = AUTH_SCHEME.exec(value);
    return scheme ? `${scheme[0]}${MASK}` : MASK;
}
function identifierTest(ids) {
    const set = new Set(ids.filter((id) => id !== ''));
    if (set.size === 0)
        return () => false;
    return (name) => {
        if (set.has(name))
            return true;
        // A qualified label: `smoke.auth-missing`, `canary/with-token`.
        const last = /[./›]([^./›]+)$/.exec(name);
        return last !== null && set.has(last[1]);
    };
}
function maskQuotedPairs(text, isId) {
    const mask = (m, q1, name, sep, q2, value) => {
        if (value === '' || !isSensitiveName(name) || isId(name))
            return m;
        return `${q1}${name}${q1}${sep}${q2}${maskAuthValue(value)}${q2}`;
    };
    return text.replace(QUOTED_PAIR, mask).replace(ESCAPED_PAIR, mask);
}
function maskHeaderLines(text, isId) {
    return replaceAhead(text, HEADER_LINE, (m) => {
        const [head, quote, name, , rest] = m;
        if (!isSensitiveName(name) || isId(name))
            return undefined;
        // Inside a quoted string the value ends at the closing quote.
        const end = quote ? rest.indexOf(quote) : -1;
        const value = end >= 0 ? rest.slice(0, end) : rest;
        if (value.trim() === '' || value.trim() === MASK)
            return undefined;
        return { text: `${head}${maskAuthValue(value)}`, consumed: value.length };
    });
}
function maskAssignments(text, isId) {
    const assigned = replaceAhead(text, ASSIGNMENT, (m) => {
        const [head, name, , value] = m;
        if (!isSensitiveName(name) || isId(name) || value === MASK)
            return undefined;
        const q = value[0] === '"' || value[0] === "'" ? value[0] : '';
        if (q && value.length <= 2)
            return undefined;
        return { text: `${head}${q}${MASK}${q}`, consumed: value.length };
    });
    return replaceAhead(assigned, FLAG_VALUE, (m) => {
        const [head, name, , value] = m;
        if (value === MASK || !isSensitiveName(name))
            return undefined;
        if (isId(name.replace(/^--/, '')))
            return undefined;
        if (words(name).some((w) => REFERENCE_WORDS.has(w)))
            return undefined;
        return { text: `${head}${MASK}`, consumed: value.length };
    });
}
/**
 * Built once per run from the secrets the config references, so every
 * surface that prints text shares the same list and the same rules.
 */
function createRedactor(secrets, options = {}) {
    const isId = identifierTest(options.identifiers ?? []);
    const shapes = options.shapes ?? true;
    const exact = new Set();
    const known = new Set();
    let variants;
    const list = () => {
        if (!variants) {
            const all = new Map();
            for (const s of known) {
                for (const v of variantsOf(s)) {
                    const was = all.get(v.text);
                    all.set(v.text, {
                        text: v.text,
                        b64: v.b64 || !!was?.b64,
                        plain: v.plain || !!was?.plain
                    });
                }
            }
            // Longest first, so a secret that contains another is masked whole.
            variants = [...all.values()].sort((a, b) => b.text.length - a.text.length);
        }
        return variants;
    };
    const add = (secret) => {
        if (typeof secret !== 'string' || secret === '')
            return;
        exact.add(secret);
        if (secret.trim() !== '')
            exact.add(secret.trim());
        if (secret.trim().length >= MIN_SECRET_LENGTH) {
            known.add(secret);
            variants = undefined;
        }
    };
    for (const s of secrets)
        add(s);
    const urlParts = (url) => maskParams(maskPathSegments(maskUserinfo(url), exact), exact);
    const redact = (text) => {
        if (typeof text !== 'string' || text === '')
            return text;
        let out = maskKnown(text, list());
        out = out.replace(URL_IN_TEXT, urlParts);
        out = maskParams(out, exact);
        if (!shapes)
            return out;
        out = maskQuotedPairs(out, isId);
        out = maskHeaderLines(out, isId);
        return maskAssignments(out, isId);
    };
    const redactUrl = (url) => {
        if (typeof url !== 'string' || url === '')
            return url;
        return urlParts(maskKnown(url, list()));
    };
    const redactHeaders = (h) => {
        const out = {};
        for (const [name, value] of Object.entries(h)) {
            const v = String(value);
            if (isSensitiveHeader(name)) {
                out[name] = v === '' ? v : maskAuthValue(v);
            }
            else if (exact.has(v) || exact.has(v.trim())) {
                out[name] = MASK;
            }
            else {
                out[name] = redact(v);
            }
        }
        return out;
    };
    return { redact, redactUrl, redactHeaders, add };
}


/***/ })

};
