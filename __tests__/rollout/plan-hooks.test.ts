/**
 * The plan shows where a rollout calls hooks and waits for a confirm, and
 * the config refuses hooks and confirms that could not work.
 */
import { describe, expect, it } from '@jest/globals'
import { formatConfigError, parseConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import { buildPlan } from '../../src/rollout/plan.js'
import { planMarkdown, planText } from '../../src/report/plan-markdown.js'

const YAML = `version: 1
service: matches-api
environment: production
gates:
  deploy: { run: ./deploy.sh }
  canary:
    traffic: { run: ./weight.sh }
    steps:
      - { weight: 10, bake: 5m }
      - weight: 50
        bake: 10m
        confirm:
          name: on-call
          http: { url: 'https://approvals.example.com/ok?token=\${secrets.APPROVAL_TOKEN}' }
          path: approved
          interval: 1m
          timeout: 2h
      - { weight: 100 }
  promote:
    run: ./promote.sh
    confirm: { name: change-board, run: ./board-says.sh, on-timeout: continue }
hooks:
  announce:
    on: [step-start, step-end]
    gates: [canary]
    http:
      url: https://hooks.example.com/deploys
      headers: { Authorization: 'Bearer \${secrets.HOOK_TOKEN}' }
  audit:
    run: ./audit.sh
    on-failure: fail
`

function config(text: string): Config {
  const r = parseConfig(text, 'deploy-gates.yml')
  if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'))
  return r.config
}

function errors(text: string): string[] {
  const r = parseConfig(text, 'deploy-gates.yml')
  return r.ok ? [] : r.errors.map(formatConfigError)
}

describe('plan with hooks and confirm', () => {
  it('lists every confirm in order and every hook, without secrets or queries', () => {
    const c = config(YAML)
    const plan = buildPlan(c, Date.parse('2026-12-01T10:00:00Z'))
    expect(plan.confirm).toEqual([
      {
        gate: 'canary',
        step: 50,
        name: 'on-call',
        asks: 'https://approvals.example.com/ok',
        interval: '1m',
        timeout: '2h',
        onTimeout: 'fail'
      },
      {
        gate: 'promote',
        name: 'change-board',
        asks: 'command',
        interval: '30s',
        timeout: '1h',
        onTimeout: 'continue'
      }
    ])
    expect(plan.hooks).toEqual([
      {
        name: 'announce',
        on: ['step-start', 'step-end'],
        gates: ['canary'],
        call: 'https://hooks.example.com/deploys',
        onFailure: 'warn'
      },
      {
        name: 'audit',
        on: ['gate-start', 'gate-end', 'step-start', 'step-end'],
        call: 'command',
        onFailure: 'fail'
      }
    ])
    expect(plan.steps.map((s) => s.confirm)).toEqual([
      undefined,
      'on-call',
      undefined
    ])
    const text = planText(c, plan)
    expect(text).toContain(
      "traffic 10% (5m) → confirm 'on-call' → 50% (10m) → 100%"
    )
    expect(text).toContain(
      "confirm 'on-call' before canary 50% (https://approvals.example.com/ok, every 1m, up to 2h, then fail)"
    )
    expect(text).toContain(
      "confirm 'change-board' before promote (command, every 30s, up to 1h, then go on)"
    )
    expect(text).toContain(
      "hook 'announce' at step-start, step-end of canary: POST https://hooks.example.com/deploys (on-failure: warn)"
    )
    expect(text).toContain(
      "hook 'audit' at gate-start, gate-end, step-start, step-end: command (on-failure: fail)"
    )
    const md = planMarkdown(c, plan)
    expect(md).toContain("confirm 'on-call' before canary 50%")
    expect(md).not.toContain('token')
  })

  it('has no hooks or confirm keys when none are configured', () => {
    const plan = buildPlan(config(YAML.replace(/hooks:[\s\S]*$/, '')))
    expect(plan.hooks).toBeUndefined()
    expect(plan.confirm).toHaveLength(2)
  })
})

describe('config rules of hooks and confirm', () => {
  const base = `version: 1
service: s
environment: e
gates:
  deploy:
    run: ./deploy.sh
`
  it('refuses a hook with neither or both of run and http', () => {
    expect(
      errors(
        `${base}hooks:\n  a: { on: [gate-end] }\n  b: { run: x, http: { url: 'https://h.example.com' } }\n`
      )
    ).toEqual([
      expect.stringContaining(
        'hooks.a: a hook needs exactly one of run or http'
      ),
      expect.stringContaining(
        'hooks.b: a hook needs exactly one of run or http'
      )
    ])
  })

  it('names the bad event, gate and on-failure value', () => {
    const e = errors(
      `${base}hooks:\n  a: { run: x, on: [step-done], gates: [deplyo], on-failure: ignore }\n`
    ).join('\n')
    expect(e).toContain("unknown event 'step-done'")
    expect(e).toContain("unknown gate 'deplyo'")
    expect(e).toContain("must be 'warn' or 'fail', got 'ignore'")
  })

  it('refuses a confirm path on a command and a non-integer status answer', () => {
    const e = errors(
      `${base}    confirm: { run: ./ask.sh, path: approved }\n  promote:\n    run: ./p.sh\n    confirm: { http: { url: 'https://a.example.com' }, yes: ok }\n`
    ).join('\n')
    expect(e).toContain(
      'gates.deploy.confirm.path: path reads an HTTP answer; a command answers by exit code'
    )
    expect(e).toContain(
      "gates.promote.confirm.yes: expected a status code, got 'ok'"
    )
  })

  it('keeps templates out of hook commands', () => {
    const e = errors(`${base}hooks:\n  a: { run: 'echo \${version}' }\n`).join(
      '\n'
    )
    expect(e).toContain("'${version}' is not interpolated in commands")
  })
})
