export const id = 925;
export const ids = [925];
export const modules = {

/***/ 7925:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runMetrics: () => (/* binding */ runMetrics)
/* harmony export */ });
/* unused harmony export METRICS_USAGE */
/* harmony import */ var _kernel_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2386);
/**
 * `deploy-gates metrics`: an environment's deployment metrics (DORA) from
 * its GitHub deployment history, on a terminal or for a script, with the
 * same reading and counting as the action's job summary.
 */

const METRICS_USAGE = `usage: deploy-gates metrics --env ENV [options]

Deployment frequency, change failure rate, time to restore and lead time of
an environment, from its GitHub deployment history.

options:
  --env ENV                 the environment (required)
  --repo OWNER/NAME         the repository (default: GITHUB_REPOSITORY)
  --token TOKEN             API token (default: GITHUB_TOKEN, then GH_TOKEN;
                            prefer the variable, a flag shows in ps)
  --days N                  the window in days (default 30, at most 365)
  --max-deployments N       deployments read, newest first (default 1000)
  --json                    print JSON (the action's 'dora' output)
  -h, --help                show this help

The API is GITHUB_API_URL (default https://api.github.com). The token needs
deployments: read, and contents: read for lead time.
`;
const VALUE_OPTIONS = new Set([
    '--env',
    '--repo',
    '--token',
    '--days',
    '--max-deployments'
]);
function count(name, raw, low, high) {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < low || n > high) {
        return `${name} expects a whole number ${low}-${high}, got '${raw}'`;
    }
    return n;
}
function parse(argv) {
    const args = {
        days: 30,
        maxDeployments: 1000,
        json: false,
        help: false
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const eq = a.indexOf('=');
        const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
        if (a === '-h' || a === '--help') {
            args.help = true;
            continue;
        }
        if (a === '--json') {
            args.json = true;
            continue;
        }
        if (!VALUE_OPTIONS.has(name)) {
            return a.startsWith('-')
                ? `unknown option '${a}'`
                : `unexpected argument '${a}'`;
        }
        let value;
        if (name !== a)
            value = a.slice(eq + 1);
        else {
            const next = argv[i + 1];
            if (next === undefined || next.startsWith('-')) {
                return `option '${a}' needs a value`;
            }
            value = next;
            i += 1;
        }
        if (name === '--env')
            args.env = value;
        else if (name === '--repo')
            args.repo = value;
        else if (name === '--token')
            args.token = value;
        else {
            const n = name === '--days'
                ? count('--days', value, 1, 365)
                : count('--max-deployments', value, 1, 10_000);
            if (typeof n === 'string')
                return n;
            if (name === '--days')
                args.days = n;
            else
                args.maxDeployments = n;
        }
    }
    return args;
}
/** Runs `deploy-gates metrics`; 0 ok, 1 history unreadable, 2 usage. */
async function runMetrics(argv, io, env = process.env) {
    const args = parse(argv);
    if (typeof args === 'string') {
        io.err(`deploy-gates metrics: ${args}\n\n${METRICS_USAGE}`);
        return 2;
    }
    if (args.help) {
        io.out(METRICS_USAGE);
        return 0;
    }
    const usage = (m) => {
        io.err(`deploy-gates metrics: ${m}\n`);
        return 2;
    };
    if (!args.env)
        return usage("missing '--env' (e.g. --env staging)");
    const repo = args.repo ?? env.GITHUB_REPOSITORY ?? '';
    const slug = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo);
    if (!slug) {
        return usage(repo
            ? `--repo expects OWNER/NAME, got '${repo}'`
            : "missing '--repo OWNER/NAME' (or GITHUB_REPOSITORY)");
    }
    const token = args.token || env.GITHUB_TOKEN || env.GH_TOKEN;
    if (!token) {
        return usage('needs a token: set GITHUB_TOKEN (or pass --token)');
    }
    const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    if (!/^https?:\/\//.test(apiUrl)) {
        return usage(`GITHUB_API_URL must be an http(s) URL, got '${apiUrl}'`);
    }
    // Octokit loads only for this command.
    const [{ createGitHubClient }, { Guard }, dora] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(167), __webpack_require__.e(584)]).then(__webpack_require__.bind(__webpack_require__, 6584)),
        Promise.all(/* import() */[__webpack_require__.e(167), __webpack_require__.e(690)]).then(__webpack_require__.bind(__webpack_require__, 6690)),
        Promise.all(/* import() */[__webpack_require__.e(167), __webpack_require__.e(657)]).then(__webpack_require__.bind(__webpack_require__, 657))
    ]);
    let warned = 0;
    const warn = (m) => {
        warned++;
        io.err(`warning: ${m.split(token).join('***')}\n`);
    };
    const gh = createGitHubClient({ token, baseUrl: apiUrl, log: warn });
    const guard = new Guard(warn);
    const [owner, name] = [slug[1], slug[2]];
    io.err(`reading the deployments of '${args.env}' in ${owner}/${name} (last ${args.days} days)…\n`);
    const now = Date.now();
    let history;
    try {
        history = await dora.readHistory(gh, {
            owner,
            repo: name,
            sha: '',
            ref: '',
            eventName: 'cli',
            fork: false,
            serverUrl: '',
            apiUrl
        }, guard, args.env, now, { days: args.days, maxDeployments: args.maxDeployments });
    }
    catch (e) {
        io.err(`deploy-gates metrics: ${(0,_kernel_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(e).split(token).join('***')}\n`);
        return 1;
    }
    if (!history) {
        io.err(`deploy-gates metrics: could not read the deployment history of '${args.env}'${warned > 0 ? ' (see the warning above)' : ''}\n`);
        return 1;
    }
    const m = dora.metricsOf(args.env, history, now, args.days);
    io.err(`${m.deployments} deployment${m.deployments === 1 ? '' : 's'} in ${history.requests} request${history.requests === 1 ? '' : 's'}\n`);
    io.out(args.json ? `${dora.doraJson(m)}\n` : dora.doraMarkdown(m));
    return 0;
}


/***/ })

};
