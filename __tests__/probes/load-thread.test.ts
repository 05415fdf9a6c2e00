/**
 * Load probes in a worker thread: the load runs on another thread, the
 * main loop keeps ticking meanwhile, an abort stops the worker, and a
 * worker that dies or cannot start gives a failed result with its reason.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import {
  loadWorkerCandidates,
  runLoadInWorker
} from '../../src/probes/load-thread.js'
import { parseCondition } from '../../src/config/units.js'
import type { LoadHttpSpec } from '../../src/probes/load-types.js'
import { evaluateLoad } from '../../src/probes/load-verdict.js'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

interface Target {
  url: string
  received: number
}

/** An HTTP server on 127.0.0.1:0, on this (the main) thread. */
async function startServer(): Promise<Target> {
  const state: Target = { url: '', received: 0 }
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    state.received++
    req.resume()
    res.end('ok')
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return state
}

function spec(url: string, over: Partial<LoadHttpSpec> = {}): LoadHttpSpec {
  return {
    kind: 'load-http',
    name: 'api-load',
    url,
    method: 'GET',
    headers: {},
    rate: 100,
    durationMs: 500,
    maxInFlight: 50,
    timeoutMs: 2000,
    ...over
  }
}

/** A stand-in worker script (plain ESM) in a temporary directory. */
function fakeWorker(code: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dg-load-worker-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'worker.mjs')
  writeFileSync(file, code)
  return file
}

describe('runLoadInWorker', () => {
  it('generates load on another thread while the main loop keeps ticking', async () => {
    const server = await startServer()
    // Ticks of the main loop during the run, every 20 ms if it is free.
    const ticks: number[] = []
    const timer = setInterval(() => ticks.push(performance.now()), 20)
    cleanups.push(() => clearInterval(timer))
    let firstAt = 0
    const watch = setInterval(() => {
      if (firstAt === 0 && server.received > 0) firstAt = performance.now()
    }, 5)
    cleanups.push(() => clearInterval(watch))
    const r = await runLoadInWorker(
      spec(server.url, { rate: 300, durationMs: 2000 })
    )
    const endAt = performance.now()
    expect(r.threadId).toBeDefined()
    expect(r.threadId).not.toBe(threadId)
    expect(r.requests).toBe(600)
    expect(r.corrected.n).toBe(600)
    expect(r.completed).toBeGreaterThan(0)
    // The main loop ran in every third of the load window: nothing on
    // this thread waited for the load to finish.
    expect(firstAt).toBeGreaterThan(0)
    const third = (endAt - firstAt) / 3
    for (let k = 0; k < 3; k++) {
      const from = firstAt + k * third
      expect(ticks.some((t) => t >= from && t < from + third)).toBe(true)
    }
  })

  it('stops the worker promptly on abort and still returns a result', async () => {
    const server = await startServer()
    const controller = new AbortController()
    const started = performance.now()
    const watch = setInterval(() => {
      if (server.received > 0) {
        clearInterval(watch)
        setTimeout(() => controller.abort(), 200)
      }
    }, 5)
    cleanups.push(() => clearInterval(watch))
    const r = await runLoadInWorker(
      spec(server.url, { rate: 100, durationMs: 60_000 }),
      { signal: controller.signal }
    )
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(r.requests).toBeGreaterThan(0)
    expect(r.requests).toBeLessThan(6000)
    expect(r.completed + r.errors).toBe(r.requests)
    // The worker is gone: nothing reaches the server any more.
    const seen = server.received
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.received).toBe(seen)
  })

  it('terminates a worker that does not stop within the grace', async () => {
    const entry = fakeWorker(
      "import { parentPort } from 'node:worker_threads'\n" +
        'parentPort.on("message", () => {})\n'
    )
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const r = await runLoadInWorker(spec('http://127.0.0.1:1/'), {
      entry,
      signal: controller.signal,
      stopGraceMs: 200
    })
    expect(r).toMatchObject({
      ok: false,
      requests: 0,
      reason:
        'aborted: the load worker did not stop within 200ms, so it was terminated'
    })
  })

  it('gives a failed result when the worker runs out of memory', async () => {
    // The real engine with a 16 MB heap: 20,000 sockets at once do not fit.
    const r = await runLoadInWorker(
      {
        kind: 'load-ws',
        name: 'viewers',
        url: 'ws://127.0.0.1:1/',
        headers: {},
        connections: 20_000,
        durationMs: 100,
        rampMs: 0
      },
      { memoryMb: 16 }
    )
    expect(r).toMatchObject({
      ok: false,
      kind: 'load-ws',
      connections: 0,
      reason: 'load worker ran out of memory (heap limit 16 MB)'
    })
    // A run that never ran fails its expectations, with n=0.
    const p95 = parseCondition('< 1s')
    if (!p95.ok) throw new Error(p95.error)
    expect(evaluateLoad(r, { p95: p95.value }).reason).toBe(
      'p95 connect has no samples, expected < 1s (n=0)'
    )
    // A cap too small for V8 to set up the heap would abort the process.
    const tiny = await runLoadInWorker(spec('http://127.0.0.1:1/'), {
      memoryMb: 2
    })
    expect(tiny.reason).toBe(
      "invalid load worker heap limit '2 MB' (must be at least 16 MB)"
    )
  })

  it('gives a failed result when the worker crashes or exits early', async () => {
    const crash = await runLoadInWorker(spec('http://127.0.0.1:1/'), {
      entry: fakeWorker("throw new Error('boom\\nsecond line')\n")
    })
    expect(crash).toMatchObject({
      ok: false,
      reason: 'load worker failed: boom'
    })
    const exit = await runLoadInWorker(spec('http://127.0.0.1:1/'), {
      entry: fakeWorker('process.exit(3)\n')
    })
    expect(exit.reason).toBe('load worker exited with code 3 before its result')
  })

  it('says where it looked when the worker script is missing', async () => {
    const r = await runLoadInWorker(spec('http://127.0.0.1:1/'), {
      entry: '/nonexistent/load-worker.js'
    })
    expect(r).toMatchObject({
      ok: false,
      reason: "load worker not found (looked for '/nonexistent/load-worker.js')"
    })
  })

  it('finds the worker in the bundle layout and in the sources', () => {
    const [bundle, cliBundle, source] = loadWorkerCandidates(
      'file:///app/dist/index.js'
    )
    expect(bundle).toBe('/app/dist/load-worker/index.js')
    expect(loadWorkerCandidates('file:///app/dist/cli/index.js')[1]).toBe(
      '/app/dist/load-worker/index.js'
    )
    expect(cliBundle).toBe('/app/load-worker/index.js')
    expect(source).toBe('/app/dist/load-worker.ts')
    expect(
      loadWorkerCandidates().some((p) =>
        p.endsWith('src/probes/load-worker.ts')
      )
    ).toBe(true)
  })

  it('masks secrets in the reason on this thread', async () => {
    const server = await startServer()
    const r = await runLoadInWorker(
      spec(`${server.url}s3cr3t-t0k3n/x`, { rate: 20, durationMs: 100 }),
      { redact: (s) => s.replaceAll('s3cr3t-t0k3n', '***') }
    )
    expect(r.completed).toBe(2)
    expect(r.reason).toContain('/***/x')
    expect(r.reason).not.toContain('s3cr3t')
    const dead = await runLoadInWorker(spec(server.url), {
      entry: fakeWorker("throw new Error('cannot reach s3cr3t-t0k3n')\n"),
      redact: (s) => s.replaceAll('s3cr3t-t0k3n', '***')
    })
    expect(dead.reason).toBe('load worker failed: cannot reach ***')
  })
})
