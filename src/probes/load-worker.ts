/**
 * The load worker's entry: runs one load probe's engine on this thread's
 * own event loop and posts the result back, so generating load never delays
 * the main thread (the one that takes the analysis samples). Started by
 * load-thread.ts; built as its own bundle (dist/load-worker/index.js).
 */
import { setDefaultCACertificates } from 'node:tls'
import { parentPort, threadId, workerData } from 'node:worker_threads'
import { runHttpLoad } from './load.js'
import { runWsLoad } from './load-ws.js'
import type {
  LoadResult,
  LoadWorkerData,
  LoadWorkerReply,
  LoadWorkerStop,
  LoadWsResult
} from './load-types.js'

/**
 * Runs the spec the main thread handed over until it ends or a stop comes.
 * Why a stop message and not terminate(): a stopped run still closes its
 * sockets and counts what was due, so the result stays whole.
 */
async function main(): Promise<void> {
  const port = parentPort
  if (port === null) {
    throw new Error('load-worker.ts runs only as a worker thread')
  }
  const { spec, defaultCa } = workerData as LoadWorkerData
  setDefaultCACertificates(defaultCa)
  const controller = new AbortController()
  port.on('message', (m: LoadWorkerStop) => {
    if (m.type === 'stop') controller.abort()
  })
  const options = { signal: controller.signal }
  const result: LoadResult | LoadWsResult =
    spec.kind === 'load-http'
      ? await runHttpLoad(spec, options)
      : await runWsLoad(spec, options)
  const reply: LoadWorkerReply = { type: 'result', result, threadId }
  port.postMessage(reply)
}

main().catch((err: unknown) => {
  // Rethrown outside the promise: the main thread sees the worker's
  // 'error' event with this error and turns it into a failed result.
  setImmediate(() => {
    throw err
  })
})
