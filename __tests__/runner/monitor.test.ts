import { afterEach, describe, expect, it } from '@jest/globals'
import { performance } from 'node:perf_hooks'
import {
  RUNNER_STALL_MS,
  idleRunner,
  runnerBusyText
} from '../../src/kernel/runner.js'
import {
  startRunnerMonitor,
  type RunnerMonitor
} from '../../src/runner/monitor.js'

/** Blocks this process's event loop: what a busy runner does to a probe. */
function blockLoop(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // spin
  }
}

const tick = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

describe('runner monitor', () => {
  let monitor: RunnerMonitor | undefined
  afterEach(() => monitor?.close())

  it('finds a stall that overlapped a measurement', async () => {
    monitor = startRunnerMonitor()
    await tick(30)
    const from = performance.now()
    blockLoop(300)
    await tick(30)
    const to = performance.now()
    // The blocked 300 ms overlaps [from, to] whatever else the machine does.
    expect(monitor.stallDuring(from, to)).toBeGreaterThanOrEqual(250)
  })

  it('places each stall in time: none for a window before or after it', async () => {
    // The ticker is real; the time it reads is ours, so this holds on a
    // machine of any load.
    let t = 0
    monitor = startRunnerMonitor(() => t)
    await tick(40)
    t = 1000
    // Until the ticker comes back, the time since its last tick counts.
    expect(monitor.stallDuring(500, 600)).toBe(90)
    const seen = async (): Promise<void> => {
      for (let i = 0; i < 500 && monitor!.stallDuring(500, 600) !== 990; i++) {
        await tick(10)
      }
    }
    await seen()
    expect(monitor.stallDuring(500, 600)).toBe(990)
    expect(monitor.stallDuring(0, 5)).toBe(0)
    t = 1005
    await tick(40)
    expect(monitor.stallDuring(1001, 1004)).toBe(0)
  })

  it('sees a stall still going on when asked from inside it', () => {
    monitor = startRunnerMonitor()
    const from = performance.now()
    blockLoop(200)
    expect(monitor.stallDuring(from, performance.now())).toBeGreaterThanOrEqual(
      150
    )
  })

  it('measures event-loop lag and CPU over a window', async () => {
    monitor = startRunnerMonitor()
    const w = monitor.window()
    await tick(30)
    blockLoop(200)
    await tick(30)
    const load = w.close()
    expect(load.lagMaxMs).toBeGreaterThanOrEqual(150)
    expect(load.cpuPercent).toBeGreaterThan(0)
    expect(load.loadPerCore).toBeGreaterThanOrEqual(0)
  })
})

describe('runnerBusyText', () => {
  it('says how busy the runner was with numbers', () => {
    expect(
      runnerBusyText(
        { lagP99Ms: 480, lagMaxMs: 900, cpuPercent: 40, loadPerCore: 4 },
        { setAside: 37, taken: 400 }
      )
    ).toBe('runner busy: event-loop lag p99 480ms; 37 of 400 samples set aside')
  })

  it('says nothing for a quiet runner', () => {
    expect(
      runnerBusyText(
        {
          lagP99Ms: RUNNER_STALL_MS - 1,
          lagMaxMs: 30,
          cpuPercent: 5,
          loadPerCore: 0.2
        },
        { setAside: 0, taken: 400 }
      )
    ).toBe('')
  })

  it('is empty for the idle runner of tests', () => {
    expect(idleRunner.stallDuring(0, 1000)).toBe(0)
    expect(
      runnerBusyText(idleRunner.window().close(), { setAside: 0, taken: 9 })
    ).toBe('')
  })
})
