/**
 * The room every gate works in: the config, the values of this rollout
 * (version, weight, track), and the injected I/O. Gates ask it to run a
 * probe, read a metric or run a command; it renders templates, masks every
 * secret it meets, and adds the DEPLOY_GATES_* environment.
 */
import type { Builtin, RenderValues } from '../config/interpolate.js'
import { render, renderDeep } from '../config/interpolate.js'
import type { Config, GateName, MetricConfig } from '../config/schema.js'
import type { RunOptions, RunResult } from '../exec/runner.js'
import type { httpSend } from '../http/send.js'
import {
  metricSpec,
  metricWindow,
  windowValues,
  type MetricSpec
} from './metric-spec.js'
import { resolveLoad, resolveProbe } from '../probes/resolve.js'
import type { LoadHttpSpec } from '../probes/load.js'
import type { LoadExpect } from '../probes/load-verdict.js'
import type { LoadWsSpec } from '../probes/load-ws.js'
import type {
  CommandProbeSpec,
  HttpBurstSpec,
  HttpFlowSpec,
  HttpProbeSpec,
  WsProbeSpec
} from '../probes/types.js'
import type { Redactor } from '../redact/redactor.js'
import type { RolloutEvent, Reporter } from './events.js'
import type { Clock } from '../kernel/clock.js'
import type { MetricReading } from '../kernel/reading.js'
import type { ProbeSample } from '../kernel/sample.js'
import type { Track } from '../kernel/verdict.js'
import { ConfigError, errorMessage } from '../kernel/errors.js'
import { idleRunner, type RunnerHealth } from '../kernel/runner.js'

export type ProbeSpec =
  HttpProbeSpec | HttpFlowSpec | HttpBurstSpec | WsProbeSpec | CommandProbeSpec

export interface ProbeRunOptions {
  clock: Clock
  redact: (s: string) => string
  signal: AbortSignal
  env: Record<string, string | undefined>
  /** In the probe clock's monotonic time. */
  deadline?: number
  /** Masks a secret found while the probe runs (a capture marked secret). */
  mask?: (secret: string) => void
}

export type { MetricSpec } from './metric-spec.js'

/** The I/O a rollout uses, all injectable; main.ts and the CLI wire the real ones. */
export interface RolloutIo {
  /** Drives bakes, intervals and deadlines (a fake clock in tests). */
  clock: Clock
  /**
   * The runner's own stalls, on the probe clock: samples measured during
   * one are set aside. Absent: a runner that never stalls (unit tests).
   */
  runner?: RunnerHealth
  /** Measures latencies; always the real clock outside unit tests. */
  probeClock: Clock
  /** The process environment: `${env.X}`, `${secrets.X}`, secrets checks. */
  env: Record<string, string | undefined>
  /** Reads files named in the config (CA files), relative to the workspace. */
  readFile: (path: string) => string
  runCommand: (opts: RunOptions) => Promise<RunResult>
  runProbe: (spec: ProbeSpec, opts: ProbeRunOptions) => Promise<ProbeSample>
  readMetric: (
    spec: MetricSpec,
    opts: { clock: Clock; redact: (s: string) => string; signal: AbortSignal }
  ) => Promise<MetricReading>
  /** Runs a load probe to its verdict against the probe's `expect`. */
  runLoad: (
    spec: LoadHttpSpec | LoadWsSpec,
    expect: LoadExpect,
    opts: { redact: (s: string) => string; signal: AbortSignal }
  ) => Promise<{ ok: boolean; reason: string }>
  /**
   * Sends the requests of hooks and confirm (default: the HTTP client that
   * metric sources use).
   */
  sendHttp?: typeof httpSend
  reporters: Reporter[]
  /**
   * A promise while the log is behind (a command's output then waits),
   * undefined when it has caught up. Absent: never behind (tests).
   */
  logWritten?: () => Promise<void> | undefined
  /** Where reporter failures go (they never change a verdict). */
  warn: (message: string) => void
  workspace: string
}

export interface RolloutValues {
  version: string
  previousVersion?: string
  sha: string
  environment: string
  service: string
}

/** Until when a source that sent Retry-After is left alone, and why. */
interface Waiting {
  until: number
  reading: MetricReading & { kind: 'error' }
}
type Backoff = Map<Track, Waiting>

export class GateContext {
  weight = 0
  step: number | undefined
  /** What the canary's baseline track measured last, for the watch. */
  baselineBeforePromotion: Record<string, number> | undefined
  /**
   * Aborted by a second signal: the rollback then stops waiting (verify,
   * pauses between attempts) and says what it left undone.
   */
  hurry: AbortSignal | undefined

  constructor(
    readonly config: Config,
    readonly values: RolloutValues,
    readonly io: RolloutIo,
    readonly redactor: Redactor,
    readonly signal: AbortSignal,
    readonly dryRun = false
  ) {}

  get clock(): Clock {
    return this.io.clock
  }

  redact = (s: string): string => this.redactor.redact(s)

  /** Why the run was cancelled, in the words every report uses. */
  cancelReason(): string {
    return `cancelled (${String((this.signal.reason as Error | undefined)?.message ?? 'signal')})`
  }

  builtins(
    extra: Partial<Record<Builtin, string>> = {}
  ): Partial<Record<Builtin, string>> {
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
    }
  }

  renderValues(track?: Track): RenderValues {
    const overlay =
      track === undefined
        ? {}
        : (this.config.gates.canary?.analysis?.tracks?.[track] ?? {})
    return {
      vars: { ...this.config.vars, ...overlay },
      env: this.io.env,
      builtins: this.builtins(track ? { track } : {})
    }
  }

  /** The DEPLOY_GATES_* variables every command sees. */
  commandEnv(gate: GateName | 'rollback'): Record<string, string> {
    const b = this.builtins()
    const env: Record<string, string> = {
      DEPLOY_GATES_VERSION: this.values.version,
      DEPLOY_GATES_ENVIRONMENT: this.values.environment,
      DEPLOY_GATES_SHA: this.values.sha,
      DEPLOY_GATES_SERVICE: this.values.service,
      DEPLOY_GATES_WEIGHT: b.weight ?? '0',
      DEPLOY_GATES_GATE: gate
    }
    if (this.values.previousVersion !== undefined) {
      env.DEPLOY_GATES_PREVIOUS_VERSION = this.values.previousVersion
    }
    if (this.step !== undefined) env.DEPLOY_GATES_STEP = String(this.step)
    return env
  }

  /**
   * Runs a shell command of the config, with live lines to reporters.
   * Hooks and confirm add their own variables (the event document) with
   * `extra.env`; a confirm command only asks, so it runs in a dry run too.
   */
  async command(
    gate: GateName | 'rollback',
    run: string,
    timeoutMs: number,
    signal: AbortSignal = this.signal,
    extra: { env?: Record<string, string>; inDryRun?: boolean } = {}
  ): Promise<RunResult> {
    const looks = gate === 'smoke' || gate === 'preflight' || extra.inDryRun
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
      }
    }
    return this.io.runCommand({
      run,
      env: { ...this.commandEnv(gate), ...extra.env },
      cwd: this.io.workspace,
      timeoutMs,
      signal,
      redact: this.redact,
      onLines: (lines) => {
        void this.emit({ type: 'log', gate, lines, at: this.clock.now() })
      },
      ...(this.io.logWritten ? { whenWritten: this.io.logWritten } : {})
    })
  }

  /** Resolves and runs one named probe, optionally against a track. */
  async probe(
    name: string,
    opts: { track?: Track; deadline?: number; signal?: AbortSignal } = {}
  ): Promise<ProbeSample> {
    const cfg = this.config.probes[name]
    const startedAt = this.clock.now()
    const fail = (reason: string): ProbeSample => ({
      probe: name,
      kind: 'http',
      ok: false,
      error: true,
      reason: this.redact(reason),
      attempts: 0,
      startedAt,
      timings: { totalMs: 0 }
    })
    if (!cfg) return fail(`probe '${name}' is not defined`)
    const resolved = resolveProbe(name, cfg, {
      values: this.renderValues(opts.track),
      readFile: (p) => this.io.readFile(p)
    })
    if (!resolved.ok) return fail(resolved.error)
    for (const s of resolved.secrets) this.redactor.add(s)
    const spec = resolved.spec
    const from = this.io.probeClock.monotonic()
    const sample = await this.io.runProbe(spec, {
      clock: this.io.probeClock,
      redact: this.redact,
      mask: (s) => this.redactor.add(s),
      signal: opts.signal ?? this.signal,
      env:
        spec.kind === 'command'
          ? {
              ...this.commandEnv('smoke'),
              ...(opts.track ? { DEPLOY_GATES_TRACK: opts.track } : {})
            }
          : this.io.env,
      // Deadlines are kept in the pipeline's clock; probes measure with the
      // probe clock, so pass on the time that remains, not the instant.
      ...(opts.deadline !== undefined
        ? {
            deadline:
              this.io.probeClock.monotonic() +
              Math.max(0, opts.deadline - this.clock.monotonic())
          }
        : {})
    })
    const stall = this.runner.stallDuring(from, this.io.probeClock.monotonic())
    return stall > 0 ? { ...sample, runnerStallMs: Math.round(stall) } : sample
  }

  /** The runner's health, or one that never stalls when none is watched. */
  get runner(): RunnerHealth {
    return this.io.runner ?? idleRunner
  }

  /** Runs a named load probe once and judges it by its `expect`. */
  async load(
    name: string,
    signal: AbortSignal = this.signal
  ): Promise<{ ok: boolean; reason: string }> {
    const cfg = this.config.probes[name]
    if (!cfg?.load)
      return { ok: false, reason: `probe '${name}' is not a load probe` }
    const resolved = resolveLoad(name, cfg, {
      values: this.renderValues(),
      readFile: (p) => this.io.readFile(p)
    })
    if (!resolved.ok) return { ok: false, reason: this.redact(resolved.error) }
    for (const s of resolved.secrets) this.redactor.add(s)
    const r = await this.io.runLoad(resolved.spec, cfg.load.expect ?? {}, {
      redact: this.redact,
      signal
    })
    return { ok: r.ok, reason: this.redact(r.reason) }
  }

  /**
   * Reads one external metric for a track over a window ending now (the
   * source's `window`, else `lookMs`, at least a minute); template errors
   * are errors.
   */
  async metric(
    metric: MetricConfig,
    track: Track | undefined,
    signal: AbortSignal = this.signal,
    lookMs = 0
  ): Promise<MetricReading> {
    const window = metricWindow(metric, lookMs, this.io.probeClock.now())
    const values = { ...this.renderValues(track), window: windowValues(window) }
    const at = this.clock.now()
    const secrets: string[] = []
    const str = (t: string): string => {
      const r = render(t, values)
      if (!r.ok) throw new ConfigError(r.error)
      secrets.push(...r.secrets)
      return r.value
    }
    const deep = (v: unknown): unknown => {
      const r = renderDeep(v, values)
      if (!r.ok) throw new Error(r.error)
      secrets.push(...r.secrets)
      return r.value
    }
    let spec: MetricSpec
    try {
      const built = metricSpec(metric, { str, deep, env: this.io.env, window })
      if (!built) return { kind: 'error', reason: 'metric has no source', at }
      spec = built.spec
      secrets.push(...built.secrets)
    } catch (e) {
      for (const s of secrets) this.redactor.add(s)
      return { kind: 'error', reason: this.redact(errorMessage(e)), at }
    }
    for (const s of secrets) this.redactor.add(s)
    // A provider that asked us to wait (429/503 with Retry-After) is not
    // asked again before then: the look repeats its refusal, which still
    // counts against `error-limit`, and the provider is not hammered.
    const key = track ?? 'canary'
    const waiting = this.backoff.get(metric)?.get(key)
    if (waiting && at < waiting.until) {
      const left = Math.ceil((waiting.until - at) / 1000)
      return {
        ...waiting.reading,
        reason: `${waiting.reading.reason} (not asked again for ${left}s)`,
        at
      }
    }
    const reading = await this.io.readMetric(spec, {
      clock: this.io.probeClock,
      redact: this.redact,
      signal
    })
    if (reading.kind === 'error' && reading.retryAfterMs !== undefined) {
      const byTrack: Backoff =
        this.backoff.get(metric) ?? new Map<Track, Waiting>()
      byTrack.set(key, { until: at + reading.retryAfterMs, reading })
      this.backoff.set(metric, byTrack)
    } else {
      this.backoff.get(metric)?.delete(key)
    }
    // Stamped with the look's time on the rollout's clock, as probe samples
    // are: trends (`growth > 5%/h`) are per hour of the bake, on any clock.
    return { ...reading, at }
  }

  /** Per metric and track: when its source may be asked again. */
  private readonly backoff = new WeakMap<MetricConfig, Backoff>()

  /** Sends an event to every reporter; a reporter failure is only a warning. */
  async emit(event: RolloutEvent): Promise<void> {
    for (const r of this.io.reporters) {
      try {
        await r.onEvent(event)
      } catch (e) {
        this.io.warn(
          `reporter failed on '${event.type}': ${this.redact(errorMessage(e))}`
        )
      }
    }
  }
}
