/**
 * Fault suite: what the rollout does when its sources have no data, when a
 * rollback hangs, and proof that commands run exactly as configured.
 */
import { describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RunOptions } from '../../src/exec/runner.js'
import { baseYaml, scenario } from '../helpers/scenario.js'

async function emptyMetricServer(): Promise<{
  url: string
  close: () => void
}> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ data: { result: [] } }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close()
  }
}

describe('faults', () => {
  it.each([
    ['fail', 'rolled-back'],
    ['pass', 'promoted'],
    ['hold', 'held']
  ])(
    'a metric with no data follows on-no-data: %s → %s',
    async (onNoData, result) => {
      const m = await emptyMetricServer()
      try {
        const r = await scenario({
          canary: { errorRate: 0, latencyMs: 2 },
          yaml: (u) =>
            baseYaml(u, {
              bake: '30s',
              analysis: `      on-no-data: ${onNoData}\n`,
              metrics: `        queue:
          http: { url: '${m.url}/q?track=\${track}', path: data.value }
          fail: '> 10'
`
            })
        })
        expect(r.report.result).toBe(result)
        const step = r.report.gates.find((g) => g.gate === 'canary')
        expect(step?.reason).toContain('queue')
      } finally {
        m.close()
      }
    },
    60_000
  )

  it('kills a hanging rollback command, tries 3 times, names the last good version', async () => {
    const r = await scenario({
      canary: { errorRate: 1, latencyMs: 2 },
      yaml: (u) =>
        baseYaml(u, {
          rollback: `  run: echo "rollback attempt" >> log.txt && sleep 60
  timeout: 500ms
`
        })
    })
    expect(r.report.result).toBe('rollback-failed')
    expect(r.log.filter((l) => l === 'rollback attempt')).toHaveLength(3)
    expect(r.report.reason).toContain('timed out after 500ms')
    expect(r.report.reason).toContain('last known good version: v1')
  }, 60_000)

  it('spawns exactly the configured commands, text unchanged', async () => {
    const spawned: string[] = []
    const r = await scenario({
      canary: { errorRate: 0, latencyMs: 2 },
      env: { HOSTILE: '$(touch pwned); `id`' },
      yaml: (u) => baseYaml(u, { bake: '30s' }),
      io: (io) => ({
        ...io,
        runCommand: (opts: RunOptions) => {
          spawned.push(opts.run)
          return io.runCommand(opts)
        }
      })
    })
    expect(r.report.result).toBe('promoted')
    const deploy = 'echo "deploy $DEPLOY_GATES_VERSION" >> log.txt'
    const traffic =
      'echo "$DEPLOY_GATES_WEIGHT" > weight && echo "weight $DEPLOY_GATES_WEIGHT" >> log.txt'
    expect(spawned).toEqual([deploy, traffic, traffic, traffic])
  }, 60_000)
})
