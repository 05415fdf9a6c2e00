/**
 * Runs a load probe in a worker thread with a capped heap, so generating
 * load never runs on (and never delays) the main thread's event loop, where
 * the analysis samples that judge a canary are taken.
 */
import { getCACertificates } from 'node:tls'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { failedLoad } from './load-failed.js'
import type {
  LoadHttpSpec,
  LoadResult,
  LoadWorkerData,
  LoadWorkerReply,
  LoadWorkerStop,
  LoadWsResult,
  LoadWsSpec
} from './load-types.js'
import { errorMessage } from '../kernel/errors.js'
import { formatDuration } from '../kernel/format.js'

/**
 * Default heap cap of a load worker (V8 old generation, MB). The engine
 * keeps fixed-size histograms and no per-request state beyond what is on
 * the wire, so a run needs tens of MB; the cap stops a runaway run (huge
 * bodies, 100,000 sockets) before it takes the runner's memory.
 */
export const LOAD_WORKER_MEMORY_MB = 512

/**
 * The smallest heap cap allowed: with a cap of a few MB, V8 runs out of
 * memory while it sets up the worker's heap, and that kills the process.
 */
export const LOAD_WORKER_MIN_MEMORY_MB = 16

/** How long a stopped worker gets to close its sockets and report. */
export const LOAD_WORKER_STOP_GRACE_MS = 5_000

export interface LoadThreadOptions {
  /** Aborting stops the run; the result counts what was done by then. */
  signal?: AbortSignal
  /** Masks secrets in the reason (applied here: functions stay on this thread). */
  redact?: (s: string) => string
  /** Heap cap of the worker in MB; default LOAD_WORKER_MEMORY_MB, at least 16. */
  memoryMb?: number
  /** After an abort, how long before the worker is terminated; default 5 s. */
  stopGraceMs?: number
  /** The worker script; by default the one next to this module or bundle. */
  entry?: string
}

/**
 * Where the worker script is, from this module's own file: the bundle
 * layout first (dist/index.js and its chunks, dist/cli/index.js, both next
 * to dist/load-worker/), then the source layout (src/probes/).
 */
export function loadWorkerCandidates(moduleUrl = import.meta.url): string[] {
  const here = dirname(fileURLToPath(moduleUrl))
  return [
    join(here, 'load-worker', 'index.js'),
    join(here, '..', 'load-worker', 'index.js'),
    join(here, 'load-worker.ts')
  ]
}

/** The hooks that let Node run our .ts sources (`.js` imports to `.ts`). */
const TS_HOOKS = pathToFileURL(
  join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'scripts',
    'ts-hooks.mjs'
  )
).href

/**
 * Runs one load probe in a worker thread and returns its result, redacted.
 * Never throws: a worker that cannot start, runs out of memory or crashes
 * gives a failed result (`ok: false`) with a one-line reason, so a broken
 * load probe fails its gate instead of crashing the rollout.
 */
export function runLoadInWorker(
  spec: LoadHttpSpec,
  options?: LoadThreadOptions
): Promise<LoadResult>
export function runLoadInWorker(
  spec: LoadWsSpec,
  options?: LoadThreadOptions
): Promise<LoadWsResult>
export function runLoadInWorker(
  spec: LoadHttpSpec | LoadWsSpec,
  options?: LoadThreadOptions
): Promise<LoadResult | LoadWsResult>
export function runLoadInWorker(
  spec: LoadHttpSpec | LoadWsSpec,
  options: LoadThreadOptions = {}
): Promise<LoadResult | LoadWsResult> {
  const redact = options.redact ?? ((s: string): string => s)
  const memoryMb = options.memoryMb ?? LOAD_WORKER_MEMORY_MB
  const graceMs = options.stopGraceMs ?? LOAD_WORKER_STOP_GRACE_MS
  if (!(memoryMb >= LOAD_WORKER_MIN_MEMORY_MB)) {
    return Promise.resolve(
      failedLoad(
        spec,
        `invalid load worker heap limit '${memoryMb} MB' (must be at least ${LOAD_WORKER_MIN_MEMORY_MB} MB)`
      )
    )
  }
  const candidates =
    options.entry === undefined ? loadWorkerCandidates() : [options.entry]
  const entry = candidates.find((p) => existsSync(p))
  if (entry === undefined) {
    const looked = candidates.map((p) => `'${p}'`).join(', ')
    return Promise.resolve(
      failedLoad(spec, redact(`load worker not found (looked for ${looked})`))
    )
  }
  const data: LoadWorkerData = {
    spec,
    defaultCa: getCACertificates('default')
  }
  return new Promise((resolve) => {
    let worker: Worker
    try {
      worker = new Worker(entry, {
        workerData: data,
        execArgv: entry.endsWith('.ts') ? ['--import', TS_HOOKS] : [],
        resourceLimits: { maxOldGenerationSizeMb: memoryMb }
      })
    } catch (err) {
      resolve(
        failedLoad(
          spec,
          redact(`load worker could not start: ${firstLine(err)}`)
        )
      )
      return
    }
    const signal = options.signal
    let graceTimer: NodeJS.Timeout | undefined
    let settled = false
    // The worker is gone (terminated, or exited by itself) before the
    // promise resolves, so a caller never outlives its thread.
    const finish = (result: LoadResult | LoadWsResult): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', stop)
      clearTimeout(graceTimer)
      const done = (): void =>
        resolve({ ...result, reason: redact(result.reason) })
      worker.terminate().then(done, done)
    }
    const stop = (): void => {
      const message: LoadWorkerStop = { type: 'stop' }
      worker.postMessage(message)
      graceTimer = setTimeout(() => {
        finish(
          failedLoad(
            spec,
            `aborted: the load worker did not stop within ${formatDuration(graceMs)}, so it was terminated`
          )
        )
      }, graceMs)
    }
    worker.on('message', (m: LoadWorkerReply) => {
      if (m.type === 'result') finish({ ...m.result, threadId: m.threadId })
    })
    worker.on('error', (err: unknown) => {
      finish(failedLoad(spec, deathReason(err, memoryMb)))
    })
    worker.on('exit', (code: number) => {
      finish(
        failedLoad(
          spec,
          `load worker exited with code ${code} before its result`
        )
      )
    })
    if (signal?.aborted === true) stop()
    else signal?.addEventListener('abort', stop, { once: true })
  })
}

/** One line on why a worker died: out of memory, or its error. */
function deathReason(err: unknown, memoryMb: number): string {
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `load worker ran out of memory (heap limit ${memoryMb} MB)`
  }
  return `load worker failed: ${firstLine(err)}`
}

/** Errors from a worker are clones: read them by shape, not instanceof. */
function firstLine(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message
  const text = typeof message === 'string' ? message : errorMessage(err)
  return text.split('\n')[0].slice(0, 200)
}
