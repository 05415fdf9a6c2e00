/**
 * The per-step notification bodies: one escaped Slack line and a webhook
 * document that says which moment it is.
 */
import { describe, expect, it } from '@jest/globals'
import {
  momentDocument,
  momentSlackMessage,
  momentText
} from '../../src/notify/step-messages.js'

const moment = {
  event: 'step-end' as const,
  service: 'matches-api',
  environment: 'production',
  version: 'v2',
  gate: 'canary' as const,
  step: 25,
  outcome: 'failed',
  reason: 'error-rate 7% > 5% <!channel> & more',
  at: Date.parse('2026-12-04T10:30:00Z')
}

describe('step notifications', () => {
  it('says which step ended how, in one line', () => {
    expect(momentText(moment)).toBe(
      'deploy-gates: matches-api v2 → production: canary 25% failed: error-rate 7% > 5% <!channel> & more'
    )
    const { outcome: _o, reason: _r, ...started } = moment
    expect(momentText({ ...started, event: 'step-start' })).toBe(
      'deploy-gates: matches-api v2 → production: canary 25% started'
    )
  })

  it('escapes Slack control sequences and links the run', () => {
    const m = momentSlackMessage(
      moment,
      'https://github.com/o/r/actions/runs/1'
    )
    expect(m.text).toContain('&lt;!channel&gt; &amp; more')
    expect(m.text).not.toContain('<!channel>')
    expect(m.text).toMatch(
      /<https:\/\/github\.com\/o\/r\/actions\/runs\/1\|run>$/
    )
  })

  it('documents the moment for webhooks', () => {
    expect(momentDocument(moment)).toEqual({
      event: 'deploy-gates.step-end',
      service: 'matches-api',
      environment: 'production',
      version: 'v2',
      gate: 'canary',
      step: 25,
      outcome: 'failed',
      reason: 'error-rate 7% > 5% <!channel> & more',
      at: '2026-12-04T10:30:00.000Z',
      runUrl: null
    })
  })
})
