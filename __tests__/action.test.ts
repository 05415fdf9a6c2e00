/**
 * Process-level tests of the committed bundle: `node dist/index.js` with the
 * runner's environment, for gate validate and gate plan.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, runAction } from './helpers/action.js'

const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => `examples/${f}`)

describe('dist/index.js gate validate', () => {
  it('annotates each error on its line and column, and fails', () => {
    const r = runAction({
      gate: 'validate',
      config: '__tests__/fixtures/bad-configs/020-weight-150.yml'
    })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(
      "::error title=deploy-gates config,file=__tests__/fixtures/bad-configs/020-weight-150.yml,line=18,col=19::gates.canary.steps[2].weight: must be between 1 and 100, got '150'"
    )
    expect(r.stdout).toContain(
      "::error::config '__tests__/fixtures/bad-configs/020-weight-150.yml' has 1 error"
    )
    expect(r.outputs.result).toBe('invalid')
    expect(r.outputs.reason).toContain('020-weight-150.yml:18:19')
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /)
  })

  it('reports every error of a config with several', () => {
    const r = runAction({
      gate: 'validate',
      config: '__tests__/fixtures/several-errors.yml'
    })
    expect(r.status).toBe(1)
    const annotations = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error title='))
    expect(annotations).toHaveLength(3)
  })

  it.each(examples)('accepts %s', (file) => {
    const r = runAction({ gate: 'validate', config: file })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.outputs.result).toBe('valid')
  })

  it('names a missing config file in one line', () => {
    const r = runAction({ gate: 'validate', config: 'nope/missing.yml' })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(
      "::error title=deploy-gates config::config file 'nope/missing.yml' not found"
    )
  })

  it('rejects an unknown gate with a suggestion', () => {
    const r = runAction({ gate: 'canery', config: examples[0] })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(
      "::error::input 'gate': unknown gate 'canery' (did you mean 'canary'?)"
    )
  })

  it('rejects a step that is not a weight', () => {
    const r = runAction({ gate: 'canary', step: 'abc', config: examples[0] })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(
      "::error::input 'step': expected the weight of a canary step (1-100), got 'abc'"
    )
  })

  it('saves the post-step marker', () => {
    const r = runAction({ gate: 'validate', config: examples[0] })
    expect(r.state).toContain('isPost')
  })
})

describe('dist/index.js gate plan', () => {
  it('sets the plan output and writes the timeline to the job summary', () => {
    const r = runAction({
      gate: 'plan',
      config: '__tests__/fixtures/valid/design.yml'
    })
    expect(r.status).toBe(0)
    const plan = JSON.parse(r.outputs.plan) as {
      gates: string[]
      steps: { weight: number }[]
      approvals: number[]
    }
    expect(plan.gates).toEqual([
      'preflight',
      'migrate',
      'deploy',
      'health',
      'smoke',
      'canary',
      'soak'
    ])
    expect(plan.steps.map((s) => s.weight)).toEqual([10, 25, 50, 100])
    expect(plan.approvals).toEqual([25])
    expect(r.summary).toContain('### deploy-gates plan: matches-api → staging')
    expect(r.summary).toContain('| 2 | 25% | 15m | required |')
  })

  it('applies the environment input', () => {
    const r = runAction({
      gate: 'plan',
      environment: 'production',
      config: '__tests__/fixtures/valid/design.yml'
    })
    expect(JSON.parse(r.outputs.plan).environment).toBe('production')
  })

  it('runs the post step quietly after the main step', () => {
    const r = runAction(
      { gate: 'plan', config: '__tests__/fixtures/valid/design.yml' },
      { env: { STATE_isPost: 'true' } }
    )
    expect(r.status).toBe(0)
    expect(r.outputs.plan).toBeUndefined()
  })
})
