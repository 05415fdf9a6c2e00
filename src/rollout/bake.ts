/**
 * A bake: sample the tracks every `interval`, feed the judge, show progress,
 * and stop as soon as the judge is sure (or the time is up). Shared by the
 * canary steps and the soak, which differ only in what they watch.
 */
import { sourcesOf, type MetricConfig } from '../config/schema.js'
import type { GateContext } from './context.js'
import type { GateReport, StepPoint } from './events.js'
import { formatDuration } from '../kernel/format.js'
import { RUNNER_STALL_MS, runnerBusyText } from '../kernel/runner.js'
import type { Finding, Outcome, Track } from '../kernel/verdict.js'
import { LookSeries } from './look-series.js'

export interface BakeSpec {
  gate: 'canary' | 'soak' | 'watch'
  step?: number
  startedAt: number
  durationMs: number
  intervalMs: number
  probes: string[]
  metrics: Record<string, MetricConfig>
  /** The tracks sampled; `undefined` samples without a track (soak). */
  tracks: (Track | undefined)[]
  mode: 'enforce' | 'dry-run' | 'hold-on-fail'
  onNoData: 'fail' | 'pass' | 'hold'
  minSamples: number
  confidence: number
  decideEarly: boolean
  errorLimit: number
  /**
   * How long the bake may grow, as a multiple of its length, when the
   * runner was too busy to take `minSamples` (1 = never).
   */
  maxBake: number
  /** Load probes that run for the whole bake, generating traffic. */
  load?: string[]
  /** Put before the reason (e.g. what the traffic shift did). */
  prefix?: string
  /**
   * Called after each look with the time baked so far (the soak starts its
   * test runs from here); the bake stops when `until` is aborted.
   */
  onLook?: (elapsedMs: number) => void
  /** The track metric sources render `${track}` with when none is sampled. */
  metricTrack?: Track
  until?: AbortSignal
}

export interface BakeResult {
  report: GateReport
  point?: StepPoint
  /** Cut short by the run's cancellation: the report is no verdict. */
  cancelled: boolean
  /**
   * What the baseline track measured, per metric, when there was one: the
   * reference a watch after promotion compares with.
   */
  baseline?: Record<string, number>
}

/** Runs one bake to its verdict. */
export async function bake(
  ctx: GateContext,
  spec: BakeSpec
): Promise<BakeResult> {
  // The judge (and its histograms) load only when a bake runs.
  const { buildJudge } = await import('../analysis/judge.js')
  const judge = buildJudge({
    metrics: spec.metrics,
    confidence: spec.confidence,
    minSamples: spec.minSamples,
    decideEarly: spec.decideEarly,
    errorLimit: spec.errorLimit,
    onNoData: spec.onNoData,
    hasBaseline: spec.tracks.includes('baseline')
  })
  const start = ctx.clock.monotonic()
  const planned = Math.floor(spec.durationMs / spec.intervalMs) + 1
  const longest = start + spec.durationMs * Math.max(1, spec.maxBake)
  let end = start + spec.durationMs
  let extended = false
  const runner = ctx.runner.window()
  const loads = startLoads(ctx, spec.load ?? [])
  let decision: 'continue' | 'fail' | 'pass' = 'continue'
  let looks = 0
  const series = new LookSeries(spec.tracks.includes('baseline'))
  // The runner, not the service, fell behind: looks came late because
  // this process stalled, or samples were set aside for its stalls.
  const runnerFellBehind = (): boolean =>
    judge.setAside().setAside > 0 ||
    (looks < planned && runner.current().lagMaxMs >= RUNNER_STALL_MS)
  while (!ctx.signal.aborted) {
    const lookStart = ctx.clock.monotonic()
    await Promise.all(
      spec.tracks.map(async (track) => {
        const judged: Track = track ?? 'canary'
        const samples = await Promise.all(
          spec.probes.map((p) =>
            ctx.probe(p, {
              ...(track ? { track } : {}),
              deadline: lookStart + spec.intervalMs
            })
          )
        )
        for (const s of samples) judge.addSample(judged, s, ctx.clock.now())
        for (const [name, m] of Object.entries(spec.metrics)) {
          if (sourcesOf(m).length === 0) continue
          judge.addReading(
            name,
            judged,
            await ctx.metric(
              m,
              track ?? spec.metricTrack,
              ctx.signal,
              spec.intervalMs
            )
          )
        }
      })
    )
    looks += 1
    const look = judge.look(ctx.clock.now())
    decision = look.decision
    const now = ctx.clock.monotonic()
    // One read of the live values per look, for the progress line and the
    // chart alike.
    const seen = judge.live()
    series.add(lookStart - start, seen)
    const busy = runnerBusyText(runner.current(), judge.setAside())
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
    })
    spec.onLook?.(now - start)
    if (decision !== 'continue' || spec.until?.aborted) break
    if (extended && !judge.shortOfSamples()) break
    if (now >= end) {
      // Too few samples because the runner was busy is not missing data:
      // bake on, up to max-bake, on both tracks alike.
      if (
        !extended &&
        end < longest &&
        judge.shortOfSamples() &&
        runnerFellBehind()
      ) {
        extended = true
        end = longest
      } else break
    }
    const wait = Math.min(spec.intervalMs - (now - lookStart), end - now)
    try {
      const stop = spec.until
        ? AbortSignal.any([ctx.signal, spec.until])
        : ctx.signal
      await ctx.clock.sleep(Math.max(0, wait), stop)
    } catch {
      break
    }
  }
  const loadFindings = await loads.stop()
  const load = runner.close()
  const verdict = judge.final(ctx.clock.now())
  let outcome: Outcome = verdict.outcome
  let reason = verdict.reason
  const cancelled = ctx.signal.aborted && decision === 'continue'
  const busy = runnerBusyText(load, judge.setAside())
  const runnerShort =
    !cancelled && judge.shortOfSamples() && (extended || runnerFellBehind())
  if (cancelled) {
    // Cut short: what the judge saw so far is not a verdict.
    outcome = 'inconclusive'
    reason = ctx.cancelReason()
  } else {
    if (runnerShort) {
      // Still short: say that the runner, not the service, took too few.
      reason = `${reason}; the runner was too busy to take them${busy ? ` (${busy})` : ''}`
    }
    if (outcome === 'passed' && loadFindings.some((f) => f.level !== 'ok')) {
      outcome = 'warned'
    }
    if (outcome === 'failed' && spec.mode === 'dry-run') {
      outcome = 'warned'
      reason = `dry-run, would have failed: ${reason}`
    } else if (outcome === 'failed' && spec.mode === 'hold-on-fail') {
      outcome = 'held'
    }
  }
  const elapsed = ctx.clock.monotonic() - start
  const grew = extended
    ? `, extended from ${formatDuration(spec.durationMs)}: the runner was busy`
    : ''
  const timing =
    decision === 'continue'
      ? `after ${formatDuration(elapsed)} (${looks} looks${grew})`
      : `early, after ${formatDuration(elapsed)} of ${formatDuration(spec.durationMs)} (${looks} looks${grew})`
  const runnerFinding: Finding[] =
    busy && !runnerShort ? [{ name: 'runner', level: 'ok', reason: busy }] : []
  const live = judge.live()
  const looked = series.result()
  const baseline = Object.entries(live.metrics).flatMap(([name, m]) =>
    m.baseline === undefined ? [] : [[name, m.baseline] as const]
  )
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
  }
}

/**
 * Load probes that generate traffic for the whole bake (Flagger's load
 * tester, in the config): each runs in its own worker; stopping aborts the
 * ones still running and reports each as a finding.
 */
function startLoads(
  ctx: GateContext,
  names: string[]
): { stop(): Promise<Finding[]> } {
  const abort = new AbortController()
  const onCancel = (): void => abort.abort(ctx.signal.reason)
  ctx.signal.addEventListener('abort', onCancel, { once: true })
  const runs = names.map(async (name): Promise<Finding> => {
    const r = await ctx.load(name, abort.signal)
    return {
      name: `load ${name}`,
      level: r.ok || abort.signal.aborted ? 'ok' : 'warn',
      reason: `load ${name}: ${r.reason}`
    }
  })
  return {
    async stop(): Promise<Finding[]> {
      abort.abort(new Error('the bake ended'))
      ctx.signal.removeEventListener('abort', onCancel)
      return Promise.all(runs)
    }
  }
}
