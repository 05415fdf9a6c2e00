/**
 * The config side of "latency means one thing": the ws-* metric names,
 * what a pNN or ws-* metric needs among the listed probes, and the
 * push-latency key of WebSocket probes and viewer loads.
 */
import { describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/config/load.js'

const PROBES = `
probes:
  api:
    http: { url: 'https://example.com/health' }
  gateway:
    websocket:
      url: 'wss://example.com'
      push-latency: { timestamp: meta.sentAt, unit: iso }
      steps:
        - send: { json: { action: subscribe } }
        - receive: { json: { type: update } }
`

function config(soak: string, probes = PROBES): string {
  return `version: 1
service: s
environment: staging
${probes}
gates:
  soak:
    duration: 10m
${soak
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`
}

function errors(text: string): string[] {
  const r = parseConfig(text, 'deploy.yml')
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`)
}

describe('ws-* metrics', () => {
  it('are built-in metrics with conditions on a latency', () => {
    const r = parseConfig(
      config(`
probes: [api, gateway]
metrics:
  p95: { fail: '> 2s' }
  ws-connect-p95: { fail: '> 500ms' }
  ws-first-message-p99: { warn: '> 1s' }
  ws-push-p95: { fail: '> 100ms' }
`),
      'deploy.yml'
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const ws = r.config.probes.gateway.websocket
    expect(ws?.['push-latency']).toEqual({
      timestamp: 'meta.sentAt',
      unit: 'iso'
    })
  })

  it('suggests the name meant', () => {
    expect(
      errors(
        config(`
probes: [gateway]
metrics:
  ws-psuh-p95: { fail: '> 100ms' }
`)
      )
    ).toEqual([
      "gates.soak.metrics.ws-psuh-p95: unknown built-in metric 'ws-psuh-p95' (did you mean 'ws-push-p95'?)"
    ])
  })

  it('takes a duration, not a rate', () => {
    const e = errors(
      config(`
probes: [gateway]
metrics:
  ws-push-p95: { fail: '> 5%' }
`)
    )
    expect(e).toHaveLength(1)
    expect(e[0]).toMatch(/^gates\.soak\.metrics\.ws-push-p95\.fail: /)
    expect(e[0]).toMatch(/latency/)
  })

  it('need a WebSocket probe among the listed ones', () => {
    expect(
      errors(
        config(`
probes: [api]
metrics:
  ws-push-p95: { fail: '> 100ms' }
`)
      )
    ).toEqual([
      "gates.soak.metrics.ws-push-p95: 'ws-push-p95' is measured by WebSocket probes, but none of 'api' is one"
    ])
  })
})

describe('pNN', () => {
  it('needs an HTTP probe among the listed ones', () => {
    expect(
      errors(
        config(`
probes: [gateway]
metrics:
  p95: { fail: '> 2s' }
`)
      )
    ).toEqual([
      "gates.soak.metrics.p95: 'p95' is the request latency of HTTP probes, but none of 'gateway' is one (WebSocket probes have ws-connect-p95, ws-first-message-p95, ws-push-p95)"
    ])
  })
})

describe('push-latency', () => {
  it('checks the timestamp path and the unit', () => {
    const probes = `
probes:
  gateway:
    websocket:
      url: 'wss://example.com'
      push-latency: { timestamp: 'meta..at', unit: minutes }
      steps:
        - receive: { json: { type: update } }
  viewers:
    load:
      websocket:
        url: 'wss://example.com'
        connections: 10
        duration: 10s
        push-latency: { timestamp: 'a[x]' }
      expect:
        push-p95: '< 100ms'
`
    const e = errors(config('probes: [gateway]', probes))
    expect(e).toHaveLength(1)
    expect(e[0]).toMatch(
      /^probes\.gateway\.websocket\.push-latency\.unit: must be 'ms', 's', 'us' or 'iso', got 'minutes'/
    )
    const fixed = probes.replace('unit: minutes', 'unit: s')
    expect(errors(config('probes: [gateway]', fixed))).toEqual([
      "probes.gateway.websocket.push-latency.timestamp: invalid path 'meta..at' at position 6 (use e.g. data.values[0].value)",
      "probes.viewers.load.websocket.push-latency.timestamp: invalid path 'a[x]' at position 2 (use e.g. data.values[0].value)"
    ])
  })

  it('accepts push-p50 to push-p99 in a load expect', () => {
    const probes = `
probes:
  viewers:
    load:
      websocket:
        url: 'wss://example.com'
        connections: 250
        duration: 2m
        push-latency: { timestamp: ts }
      expect:
        connect-rate: '>= 99%'
        push-p50: '< 50ms'
        push-p95: '< 100ms'
  api:
    http: { url: 'https://example.com/health' }
`
    const r = parseConfig(config('probes: [api]', probes), 'deploy.yml')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const load = r.config.probes.viewers.load
    expect(load?.websocket?.['push-latency']).toEqual({
      timestamp: 'ts',
      unit: 'ms'
    })
    expect(load?.expect?.['push-p95']?.text).toBe('< 100ms')
  })
})
