/**
 * Real servers from Debian packages for the end-to-end tests: nginx,
 * Prometheus and a throw-away PostgreSQL cluster, each in its own temporary
 * directory on free loopback ports. Every binary is spawned directly (never
 * through a shell or a daemonising wrapper such as `pg_ctl start`), so the
 * pid we signal is the server itself, and a crashed test worker kills them
 * all on exit: no orphans, no system services.
 */
import {
  execFile,
  spawn,
  type ChildProcess,
  type SpawnOptions
} from 'node:child_process'
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { request, Agent } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** The line .ci/run uses; printed when a server is missing. */
export const APT_INSTALL =
  'apt-get install -y --no-install-recommends nginx prometheus postgresql curl'

export interface Binaries {
  nginx?: string
  prometheus?: string
  /** Directory with initdb, postgres and psql of one PostgreSQL version. */
  pgBin?: string
  curl?: string
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** `which`, without a shell; sbin is searched because nginx lives there. */
function which(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  return [...dirs, '/usr/sbin', '/usr/bin', '/usr/local/bin']
    .map((d) => join(d, name))
    .find(executable)
}

/**
 * The newest PostgreSQL server binaries: PG_BIN_DIR when set, else Debian's
 * /usr/lib/postgresql/<major>/bin (initdb and postgres are not on PATH
 * there), else a directory on PATH holding all three.
 */
function findPgBin(): string | undefined {
  const complete = (dir: string): boolean =>
    ['initdb', 'postgres', 'psql'].every((b) => executable(join(dir, b)))
  if (process.env.PG_BIN_DIR !== undefined) {
    return complete(process.env.PG_BIN_DIR) ? process.env.PG_BIN_DIR : undefined
  }
  let majors: string[] = []
  try {
    majors = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
  } catch {
    // not Debian's layout
  }
  const debian = majors
    .map((v) => join('/usr/lib/postgresql', v, 'bin'))
    .find(complete)
  if (debian) return debian
  const initdb = which('initdb')
  return initdb && complete(join(initdb, '..')) ? join(initdb, '..') : undefined
}

/** Finds the servers; `missing` names what to install. */
export function findBinaries(): { bins: Binaries; missing: string[] } {
  const bins: Binaries = {
    nginx: which('nginx'),
    prometheus: which('prometheus'),
    pgBin: findPgBin(),
    curl: which('curl')
  }
  const missing = [
    bins.nginx ? '' : 'nginx',
    bins.prometheus ? '' : 'prometheus',
    bins.pgBin ? '' : 'postgresql (initdb, postgres, psql)',
    bins.curl ? '' : 'curl'
  ].filter(Boolean)
  return { bins, missing }
}

/** A free loopback port (closed again; the server binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * Retries `start` when the free port it picked was taken before the server
 * bound it (another process won the race): up to three attempts.
 */
async function onFreshPort<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start()
    } catch (err) {
      const clash = /address already in use/i.test((err as Error).message)
      if (!clash || attempt >= 3) throw err
    }
  }
}

/** A temporary directory others (nginx workers, postgres) can enter. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o755)
  return dir
}

export interface Proc {
  pid: number
  /** The last output lines, for failure messages. */
  logTail(): string
  running(): boolean
  /** `signal`, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const LOG_TAIL = 4096

/** Spawns a server process directly and keeps the tail of its output. */
export function startProcess(
  binary: string,
  args: string[],
  opts: SpawnOptions = {}
): Proc {
  const child: ChildProcess = spawn(binary, args, {
    ...opts,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-LOG_TAIL)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const running = (): boolean =>
    child.exitCode === null && child.signalCode === null
  const exited = new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
  }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
    child.once('error', (err) => {
      keep(Buffer.from(`spawn ${binary}: ${err.message}\n`))
      resolve({ code: null, signal: null })
    })
  })
  // A crashed test worker must not leave servers running.
  const killOnExit = (): void => {
    if (running()) child.kill('SIGKILL')
  }
  process.once('exit', killOnExit)
  return {
    pid: child.pid ?? -1,
    logTail: () => log,
    running,
    exited,
    stop: async (signal = 'SIGTERM', graceMs = 5000) => {
      process.removeListener('exit', killOnExit)
      if (running()) {
        child.kill(signal)
        const timer = setTimeout(() => {
          if (running()) child.kill('SIGKILL')
        }, graceMs)
        await exited
        clearTimeout(timer)
      }
    }
  }
}

/** Runs a command to completion (no shell) and returns its stdout. */
export function run(
  binary: string,
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv
    uid?: number
    gid?: number
    cwd?: string
  } = {}
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { ...opts, timeout: 30_000, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              `${binary} ${args.join(' ')} failed: ${err.message}\n${stderr}`
            )
          )
        } else resolve(stdout)
      }
    )
  })
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One GET on a fresh connection, bounded by `timeoutMs`. */
export function get(
  url: string,
  opts: { agent?: Agent; timeoutMs?: number } = {}
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: opts.agent ?? false, timeout: opts.timeoutMs ?? 5000 },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
        )
        res.on('error', reject)
      }
    )
    req.on('timeout', () => req.destroy(new Error(`timeout on ${url}`)))
    req.on('error', reject)
    req.end()
  })
}

/** Polls `check` every 100 ms until it is true, or fails naming `what`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  logTail?: () => string
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    try {
      if (await check()) return
    } catch (err) {
      last = (err as Error).message
    }
    if (Date.now() > deadline) {
      const tail = logTail?.().trim()
      throw new Error(
        `no ${what} within ${timeoutMs}ms${last ? ` (last: ${last})` : ''}${tail ? `\n${tail}` : ''}`
      )
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

// ---------------------------------------------------------------- nginx

export interface Nginx {
  url: string
  port: number
  prefix: string
  /** Environment set-weight.sh reads. */
  env: Record<string, string>
  stop(): Promise<void>
}

export interface NginxOptions {
  binary: string
  recipeDir: string
  stable: string
  canary: string
}

/**
 * Starts nginx with the recipe's nginx.conf (its listen port changed to a
 * free one) in a fresh prefix; upstream.conf is written first by the
 * recipe's own set-weight.sh --init, at weight 0.
 */
export async function startNginx(opts: NginxOptions): Promise<Nginx> {
  return onFreshPort(() => startNginxOnce(opts))
}

async function startNginxOnce(opts: NginxOptions): Promise<Nginx> {
  const prefix = tempDir('dg-e2e-nginx-')
  const port = await freePort()
  const conf = readFileSync(join(opts.recipeDir, 'nginx.conf'), 'utf8')
  const listen = 'listen 127.0.0.1:8080;'
  if (!conf.includes(listen)) {
    throw new Error(`recipe nginx.conf has no '${listen}'`)
  }
  writeFileSync(
    join(prefix, 'nginx.conf'),
    conf.replace(listen, `listen 127.0.0.1:${port};`)
  )
  const url = `http://127.0.0.1:${port}`
  const env = {
    NGINX_PREFIX: prefix,
    NGINX_CONF: join(prefix, 'nginx.conf'),
    NGINX_BIN: opts.binary,
    STABLE_UPSTREAM: opts.stable,
    CANARY_UPSTREAM: opts.canary,
    NGINX_WEIGHT_URL: `${url}/-/canary-weight`
  }
  await run('bash', [join(opts.recipeDir, 'set-weight.sh'), '--init'], {
    env: { ...process.env, ...env, DEPLOY_GATES_WEIGHT: '0' }
  })
  const proc = startProcess(
    opts.binary,
    ['-p', prefix, '-c', env.NGINX_CONF, '-g', 'daemon off;'],
    { cwd: prefix }
  )
  const log = (): string => {
    let text = proc.logTail()
    try {
      text += readFileSync(join(prefix, 'error.log'), 'utf8').slice(-LOG_TAIL)
    } catch {
      // no log yet
    }
    return text
  }
  const stop = async (): Promise<void> => {
    // SIGQUIT is nginx's graceful shutdown; its workers exit with it.
    await proc.stop('SIGQUIT', 5000)
    rmSync(prefix, { recursive: true, force: true })
  }
  try {
    await waitFor(
      'nginx answer',
      async () => {
        if (!proc.running()) throw new Error('nginx exited')
        return (await get(`${url}/-/canary-weight`)).body.trim() === '0'
      },
      10_000,
      log
    )
  } catch (err) {
    await stop()
    throw err
  }
  return { url, port, prefix, env, stop }
}

// ----------------------------------------------------------- prometheus

export interface Prometheus {
  url: string
  /** The instant query's single value, or undefined for an empty vector. */
  query(q: string): Promise<number | undefined>
  stop(): Promise<void>
}

export interface PrometheusOptions {
  binary: string
  targets: { address: string; track: string }[]
}

/**
 * Starts Prometheus scraping each target's /metrics every second, with a
 * `track` label per target, and waits until every target is up.
 */
export async function startPrometheus(
  opts: PrometheusOptions
): Promise<Prometheus> {
  return onFreshPort(() => startPrometheusOnce(opts))
}

async function startPrometheusOnce(
  opts: PrometheusOptions
): Promise<Prometheus> {
  const dir = tempDir('dg-e2e-prometheus-')
  const port = await freePort()
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: app',
    '    static_configs:',
    ...opts.targets.flatMap((t) => [
      `      - targets: ['${t.address}']`,
      `        labels: { track: '${t.track}' }`
    ]),
    ''
  ].join('\n')
  writeFileSync(join(dir, 'prometheus.yml'), config)
  const proc = startProcess(
    opts.binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn'
    ],
    { cwd: dir }
  )
  const url = `http://127.0.0.1:${port}`
  const query = async (q: string): Promise<number | undefined> => {
    const res = await get(`${url}/api/v1/query?query=${encodeURIComponent(q)}`)
    const body = JSON.parse(res.body) as {
      data?: { result?: { value?: [number, string] }[] }
    }
    const v = body.data?.result?.[0]?.value?.[1]
    return v === undefined ? undefined : Number(v)
  }
  const stop = async (): Promise<void> => {
    await proc.stop('SIGTERM', 5000)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitFor(
      'first scrape of every target',
      async () => {
        if (!proc.running()) throw new Error('prometheus exited')
        return (await query('sum(up{job="app"})')) === opts.targets.length
      },
      20_000,
      proc.logTail
    )
  } catch (err) {
    await stop()
    throw err
  }
  return { url, query, stop }
}

// ----------------------------------------------------------- postgresql

export interface Postgres {
  port: number
  /** PGHOST, PGPORT, PGUSER for psql, and PATH with psql first. */
  env(database: string): Record<string, string>
  /** Runs SQL with psql, unaligned, tuples only; returns the rows. */
  psql(database: string, sql: string): Promise<string[]>
  /** Runs a file with psql in one transaction, stopping at the first error. */
  psqlFile(database: string, file: string): Promise<void>
  stop(): Promise<void>
}

/** uid and gid of a user, from /etc/passwd (no shell, no `id`). */
function userIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`))
    if (!line) return undefined
    const [, , uid, gid] = line.split(':')
    return { uid: Number(uid), gid: Number(gid) }
  } catch {
    return undefined
  }
}

export interface PostgresOptions {
  pgBin: string
}

/**
 * A throw-away cluster: initdb (trust auth) in a temp dir, then `postgres`
 * itself as our child on a free port, listening on 127.0.0.1 and a socket
 * in the temp dir. PostgreSQL refuses to run as root, so as root both run
 * as the `postgres` user the Debian package creates (spawn's uid/gid, no
 * su wrapper in between). Stopping sends SIGINT: the fast shutdown that
 * `pg_ctl stop -m fast` sends.
 */
export async function startPostgres(opts: PostgresOptions): Promise<Postgres> {
  return onFreshPort(() => startPostgresOnce(opts))
}

async function startPostgresOnce(opts: PostgresOptions): Promise<Postgres> {
  const dir = tempDir('dg-e2e-pg-')
  const data = join(dir, 'data')
  let ids: { uid: number; gid: number } | undefined
  if (process.getuid?.() === 0) {
    ids = userIds('postgres')
    if (!ids) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(
        "running as root needs the 'postgres' user (created by the postgresql package)"
      )
    }
    chownSync(dir, ids.uid, ids.gid)
  }
  const asUser = ids ? { uid: ids.uid, gid: ids.gid } : {}
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' }
  await run(
    join(opts.pgBin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync'
    ],
    { ...asUser, env, cwd: dir }
  )
  const port = await freePort()
  const proc = startProcess(
    join(opts.pgBin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off'
    ],
    { ...asUser, env, cwd: dir }
  )
  const psqlBin = join(opts.pgBin, 'psql')
  const connEnv = (database: string): Record<string, string> => ({
    PGHOST: '127.0.0.1',
    PGPORT: String(port),
    PGUSER: 'postgres',
    PGDATABASE: database,
    PGCONNECT_TIMEOUT: '5',
    PATH: `${opts.pgBin}${delimiter}${process.env.PATH ?? ''}`
  })
  const psql = async (database: string, sql: string): Promise<string[]> => {
    const out = await run(
      psqlBin,
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
      { env: { ...process.env, ...connEnv(database) } }
    )
    return out.split('\n').filter((l) => l !== '')
  }
  const stop = async (): Promise<void> => {
    await proc.stop('SIGINT', 10_000)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitFor(
      'postgres accepting connections',
      async () => {
        if (!proc.running()) throw new Error('postgres exited')
        return (await psql('postgres', 'SELECT 1'))[0] === '1'
      },
      20_000,
      proc.logTail
    )
  } catch (err) {
    await stop()
    throw err
  }
  return {
    port,
    env: connEnv,
    psql,
    psqlFile: async (database, file) => {
      await run(
        psqlBin,
        [
          '-X',
          '-q',
          '-v',
          'ON_ERROR_STOP=1',
          '--single-transaction',
          '-f',
          file
        ],
        { env: { ...process.env, ...connEnv(database) } }
      )
    },
    stop
  }
}
