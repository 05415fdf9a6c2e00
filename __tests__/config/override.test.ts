/**
 * Overrides point a config at other hosts and cap its bakes, soak and load
 * runs; everything else (probes, conditions, commands) stays as written.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseConfig } from '../../src/config/load.js'
import { applyOverrides } from '../../src/config/override.js'
import type { Config } from '../../src/config/schema.js'
import { ROOT } from '../helpers/action.js'

function load(text: string): Config {
  const r = parseConfig(text, 'test.yml')
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.config
}

const yaml = `version: 1
service: web
environment: staging
vars:
  base: https://canary.example.com
  prometheus: http://prometheus.example.internal:9090
probes:
  health:
    http: { url: '\${vars.base}/health' }
  viewers:
    load:
      websocket: { url: 'wss://x.example.com/ws', connections: 10, ramp: 30s, duration: 2m }
  list:
    load:
      http: { url: '\${vars.base}/list', rate: 5, duration: 1m }
gates:
  deploy: { run: ./deploy.sh }
  canary:
    traffic: { run: ./weight.sh }
    steps:
      - { weight: 10, bake: 5m }
      - { weight: 50, bake: 1h }
      - { weight: 100 }
    analysis:
      tracks:
        canary: { base: https://canary.example.com }
        baseline: { base: https://stable.example.com }
      probes: [health]
      metrics:
        error-rate: { fail: '> 5%' }
  soak:
    duration: 24h
    probes: [health]
    metrics:
      error-rate: { fail: '> 1%' }
`

describe('applyOverrides', () => {
  it('replaces vars and track vars, leaving everything else as written', () => {
    const config = load(yaml)
    const out = applyOverrides(config, {
      vars: { base: 'http://127.0.0.1:4000' },
      tracks: {
        canary: { base: 'http://127.0.0.1:4001' },
        baseline: { base: 'http://127.0.0.1:4002' }
      }
    })
    expect(out.vars).toEqual({
      base: 'http://127.0.0.1:4000',
      prometheus: 'http://prometheus.example.internal:9090'
    })
    expect(out.gates.canary?.analysis?.tracks).toEqual({
      canary: { base: 'http://127.0.0.1:4001' },
      baseline: { base: 'http://127.0.0.1:4002' }
    })
    expect(out.probes).toEqual(config.probes)
    expect(out.gates.canary?.steps).toEqual(config.gates.canary?.steps)
    expect(out.gates.soak).toEqual(config.gates.soak)
  })

  it('is pure: the config it was given is unchanged', () => {
    const config = load(yaml)
    const before = structuredClone(config)
    applyOverrides(config, {
      vars: { base: 'http://127.0.0.1:4000' },
      tracks: { canary: { base: 'http://127.0.0.1:4001' } },
      maxBake: 60_000,
      maxSoak: 60_000,
      maxLoad: 1000
    })
    expect(config).toEqual(before)
  })

  it('caps bakes and the soak, never lengthening a shorter one', () => {
    const out = applyOverrides(load(yaml), {
      maxBake: 10 * 60_000,
      maxSoak: 2 * 60_000
    })
    expect(out.gates.canary?.steps.map((s) => s.bake)).toEqual([
      5 * 60_000,
      10 * 60_000,
      undefined
    ])
    expect(out.gates.soak?.duration).toBe(2 * 60_000)
  })

  it('keeps soak tests at their share of a capped soak, and caps the watch', () => {
    const config = load(
      yaml.replace(
        '  soak:\n    duration: 24h\n',
        `  soak:
    duration: 24h
    tests:
      - { run: npm run e2e, every: 2h }
      - { run: npm run perf }
`
      ) +
        `  promote: { run: ./promote.sh }
  watch: { duration: 30m }
`
    )
    const out = applyOverrides(config, {
      maxSoak: 12 * 60_000,
      maxWatch: 5 * 60_000
    })
    // Every 2h of 24h: 12 runs, also in a 12 minute soak.
    expect(out.gates.soak?.tests?.map((t) => t.every)).toEqual([
      60_000,
      undefined
    ])
    expect(out.gates.watch?.duration).toBe(5 * 60_000)
    expect(applyOverrides(config, {}).gates.watch?.duration).toBe(30 * 60_000)
  })

  it('caps load runs and their ramps', () => {
    const out = applyOverrides(load(yaml), { maxLoad: 12_000 })
    expect(out.probes.viewers.load?.websocket).toMatchObject({
      duration: 12_000,
      ramp: 12_000,
      connections: 10
    })
    expect(out.probes.list.load?.http).toMatchObject({
      duration: 12_000,
      rate: 5
    })
    expect(out.probes.health).toEqual(load(yaml).probes.health)
  })

  it('refuses a var the config does not define, naming it', () => {
    expect(() =>
      applyOverrides(load(yaml), { vars: { bsae: 'http://127.0.0.1:1' } })
    ).toThrow(
      "vars.'bsae' is not defined, so it cannot be overridden (defined: base, prometheus)"
    )
    expect(() =>
      applyOverrides(load(yaml), {
        tracks: { canary: { host: 'http://127.0.0.1:1' } }
      })
    ).toThrow(
      "gates.canary.analysis.tracks.canary.'host' is not defined, so it cannot be overridden (defined: base)"
    )
  })

  it('refuses tracks without a canary analysis and a duration that is not positive', () => {
    const noCanary = load(
      yaml.replace(/ {2}canary:\n[\s\S]*?(?= {2}soak:)/, '')
    )
    expect(() =>
      applyOverrides(noCanary, { tracks: { canary: { base: 'x' } } })
    ).toThrow("override 'tracks' needs 'gates.canary.analysis'")
    expect(() => applyOverrides(load(yaml), { maxSoak: 0 })).toThrow(
      "override 'maxSoak' must be a positive duration in ms, got '0'"
    )
  })

  it('points the WebSocket example at loopback through its vars alone', () => {
    const text = readFileSync(
      join(ROOT, 'examples', 'websocket-app.yml'),
      'utf8'
    )
    const out = applyOverrides(load(text), {
      vars: {
        base: 'http://127.0.0.1:4000',
        ws: 'ws://127.0.0.1:4000',
        prometheus: 'http://127.0.0.1:4001'
      }
    })
    expect(Object.values(out.vars).join(' ')).not.toContain('example')
  })
})
