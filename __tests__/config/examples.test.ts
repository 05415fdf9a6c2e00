/**
 * Every example config loads without errors, and its plan (what a reviewer
 * approves) is pinned by a snapshot, so a change to gate order, steps or
 * approvals shows up in review.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { formatConfigError, loadConfigFile } from '../../src/config/load.js'
import { buildPlan } from '../../src/rollout/plan.js'
import { planMarkdown } from '../../src/report/plan-markdown.js'
import { ROOT } from '../helpers/action.js'

const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yml'))
  .sort()

describe('examples', () => {
  it('cover each of the five checklists and a minimal config', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6)
  })

  it.each(examples)('%s loads and plans', async (name) => {
    const r = await loadConfigFile(join(ROOT, 'examples', name), name)
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'))
    // A fixed instant, so the next windows of freeze rules are pinned too.
    const plan = buildPlan(r.config, Date.parse('2026-11-25T10:30:00Z'))
    expect(plan).toMatchSnapshot('plan')
    expect(planMarkdown(r.config, plan)).toMatchSnapshot('summary')
  })
})
