/**
 * Seeded bake simulations for the judge's tests and benchmark: the same
 * sample streams go to several judges, so their verdicts compare like for
 * like. Deterministic (mulberry32), no clock; allocation-free per sample.
 */
import type { ProbeSample } from '../kernel/sample.js'
import type { Track } from '../kernel/verdict.js'
import type { Decision, LookResult } from './outcome.js'

// Module-level aliases: hot loops then skip global lookups, which are slow
// in vm contexts such as Jest's (about 20x on Math.* calls).
const { cos, exp, imul, log, PI, sin, sqrt } = Math

/** A small, fast, seedable PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = imul(t ^ (t >>> 15), t | 1)
    t ^= t + imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Standard normal draws (Box–Muller, both values used). */
export function normals(uniform: () => number): () => number {
  let spare = 0
  let hasSpare = false
  return () => {
    if (hasSpare) {
      hasSpare = false
      return spare
    }
    const u = 1 - uniform()
    const v = uniform()
    const r = sqrt(-2 * log(u))
    spare = r * sin(2 * PI * v)
    hasSpare = true
    return r * cos(2 * PI * v)
  }
}

/** A service as the probes see it: errors at a rate, lognormal latency. */
export interface TrackModel {
  errorRate: number
  medianMs: number
  /** Log-scale spread; p95 = median * exp(1.645 * sigma). */
  sigma: number
}

export interface BakeScenario {
  /** Samples per second on each track. */
  perSecond: number
  bakeMs: number
  lookMs: number
  canary: TrackModel
  baseline?: TrackModel
  startAt?: number
}

/** What the simulation drives: the real judge or a comparison judge. */
export interface SimJudge {
  addSample(track: Track, sample: ProbeSample, at: number): void
  look(at: number): LookResult
}

export interface SimOutcome {
  /** `continue` when the bake ran to its end without a decision. */
  decision: Decision
  /** Ms from the start of the bake to the deciding look (or the end). */
  afterMs: number
}

function blankSample(): ProbeSample {
  return {
    probe: 'sim',
    kind: 'http',
    ok: true,
    reason: 'ok',
    attempts: 1,
    startedAt: 0,
    timings: { totalMs: 0 }
  }
}

/**
 * Runs one bake: each look's samples (canary and baseline interleaved) go
 * to every judge still undecided, then each looks. The sample objects are
 * reused, so judges must not keep them.
 */
export function simulateBake(
  scenario: BakeScenario,
  seed: number,
  judges: SimJudge[]
): SimOutcome[] {
  const uniform = mulberry32(seed)
  const normal = normals(uniform)
  const start = scenario.startAt ?? 0
  const perLook = Math.round((scenario.perSecond * scenario.lookMs) / 1000)
  const looks = Math.floor(scenario.bakeMs / scenario.lookMs)
  const gap = scenario.lookMs / Math.max(1, perLook)
  const out: SimOutcome[] = judges.map(() => ({
    decision: 'continue',
    afterMs: scenario.bakeMs
  }))
  const active = judges.map(() => true)
  let remaining = judges.length
  const samples: { track: Track; model: TrackModel; s: ProbeSample }[] = [
    { track: 'canary', model: scenario.canary, s: blankSample() }
  ]
  if (scenario.baseline) {
    samples.push({
      track: 'baseline',
      model: scenario.baseline,
      s: blankSample()
    })
  }
  for (let look = 1; look <= looks && remaining > 0; look++) {
    const base = start + (look - 1) * scenario.lookMs
    for (let i = 0; i < perLook; i++) {
      const at = base + i * gap
      for (const { track, model, s } of samples) {
        const ok = uniform() >= model.errorRate
        s.ok = ok
        s.reason = ok ? 'ok' : 'status 500'
        s.startedAt = at
        s.timings.totalMs = model.medianMs * exp(model.sigma * normal())
        for (let j = 0; j < judges.length; j++) {
          if (active[j]) judges[j].addSample(track, s, at)
        }
      }
    }
    const at = start + look * scenario.lookMs
    for (let j = 0; j < judges.length; j++) {
      if (!active[j]) continue
      const r = judges[j].look(at)
      if (r.decision !== 'continue') {
        active[j] = false
        remaining--
        out[j] = { decision: r.decision, afterMs: at - start }
      }
    }
  }
  return out
}
