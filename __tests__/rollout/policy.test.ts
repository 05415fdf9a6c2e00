/**
 * The failure policy on its own: every way a run can end, decided from
 * facts alone, without services, commands or clocks.
 */
import { describe, expect, it } from '@jest/globals'
import type { Changes } from '../../src/rollout/changes.js'
import type { GateReport } from '../../src/rollout/events.js'
import type { GateResult } from '../../src/rollout/gate.js'
import { decide, type Facts } from '../../src/rollout/policy.js'
import type { RollbackOutcome } from '../../src/rollout/rollback.js'

const report = (
  gate: GateReport['gate'],
  outcome: GateReport['outcome'],
  reason: string,
  step?: number
): GateReport => ({
  gate,
  ...(step !== undefined ? { step } : {}),
  outcome,
  reason,
  startedAt: 0,
  endedAt: 0,
  findings: []
})

const nothing: Changes = {
  migrated: false,
  migrationReversible: false,
  migrationReverted: false,
  migrationApplied: false,
  deployed: false,
  trafficWeight: 0
}

const deployed: Changes = { ...nothing, deployed: true, trafficWeight: 10 }

const canaryFailed: GateResult = {
  kind: 'failed',
  report: report('canary', 'failed', 'error-rate 7% > 5%', 10)
}

const facts = (f: Partial<Facts> = {}): Facts => ({
  stop: undefined,
  cancelled: undefined,
  changes: nothing,
  selection: 'all',
  promotes: true,
  version: 'v2',
  environment: 'staging',
  reports: [],
  ...f
})

const outcome = (kind: RollbackOutcome['kind']): RollbackOutcome => ({
  kind,
  attempts: kind === 'rolled-back' ? 1 : 3,
  reason:
    kind === 'rolled-back'
      ? 'rolled back to v1 in 1 attempt'
      : 'rollback failed after 3 attempts: rollback command exited with code 1',
  report: report('rollback', kind === 'rolled-back' ? 'passed' : 'failed', '')
})

describe('the failure policy', () => {
  it('fails without undoing anything when nothing was changed', () => {
    expect(
      decide(
        facts({
          stop: {
            kind: 'failed',
            report: report('preflight', 'failed', "secret 'X' is not set")
          }
        })
      )
    ).toEqual({
      kind: 'finish',
      result: 'failed',
      reason: "secret 'X' is not set; nothing was changed",
      failedGate: 'preflight'
    })
  })

  it('rolls back what changed, then finishes with the rollback', () => {
    const f = facts({ stop: canaryFailed, changes: deployed })
    expect(decide(f)).toEqual({ kind: 'roll-back', why: 'error-rate 7% > 5%' })
    expect(decide({ ...f, rollback: outcome('rolled-back') })).toEqual({
      kind: 'finish',
      result: 'rolled-back',
      reason: 'error-rate 7% > 5%; rolled back to v1 in 1 attempt',
      failedGate: 'canary'
    })
    expect(decide({ ...f, rollback: outcome('rollback-failed') })).toEqual({
      kind: 'finish',
      result: 'rollback-failed',
      reason:
        'error-rate 7% > 5%; rollback failed after 3 attempts: rollback command exited with code 1',
      failedGate: 'canary'
    })
  })

  it('finishes from the rollback even when the rollback changed the facts', () => {
    // The rollback shifted traffic back and reverted the migration; that is
    // no "the migration was reverted" ending, the rollback's reason stands.
    const after: Changes = {
      ...nothing,
      migrated: true,
      migrationReversible: true,
      migrationReverted: true
    }
    expect(
      decide(
        facts({
          stop: canaryFailed,
          changes: after,
          rollback: outcome('rolled-back')
        })
      )
    ).toMatchObject({ kind: 'finish', result: 'rolled-back' })
  })

  it('rolls back (and so verifies) after a failed migration whose revert ran', () => {
    expect(
      decide(
        facts({
          stop: {
            kind: 'failed',
            report: report('migrate', 'failed', 'migration exited with code 3')
          },
          changes: {
            ...nothing,
            migrated: true,
            migrationReversible: true,
            migrationReverted: true
          }
        })
      )
    ).toEqual({
      kind: 'roll-back',
      why: 'migration exited with code 3'
    })
  })

  it('holds after an irreversible migration instead of rolling back', () => {
    expect(
      decide(
        facts({
          stop: {
            kind: 'failed',
            report: report('smoke', 'failed', 'tests exited with code 1')
          },
          changes: { ...deployed, migrated: true }
        })
      )
    ).toEqual({
      kind: 'hold',
      result: 'held',
      reason:
        'tests exited with code 1; HOLD: the migration is irreversible, nothing was rolled back',
      failedGate: 'smoke'
    })
  })

  it('rolls back after a reversible migration', () => {
    expect(
      decide(
        facts({
          stop: canaryFailed,
          changes: { ...deployed, migrated: true, migrationReversible: true }
        })
      )
    ).toEqual({ kind: 'roll-back', why: 'error-rate 7% > 5%' })
  })

  it('holds in mode hold-on-fail', () => {
    expect(
      decide(
        facts({
          stop: {
            kind: 'held',
            report: report('canary', 'held', 'held early: error-rate', 10)
          },
          changes: deployed
        })
      )
    ).toEqual({
      kind: 'hold',
      result: 'held',
      reason:
        'held early: error-rate; HOLD: mode hold-on-fail, nothing was rolled back',
      failedGate: 'canary'
    })
  })

  it('fails an inconclusive gate like a failed one', () => {
    expect(
      decide(
        facts({
          stop: {
            kind: 'inconclusive',
            report: report('soak', 'inconclusive', 'too few samples')
          },
          changes: deployed
        })
      )
    ).toEqual({ kind: 'roll-back', why: 'too few samples' })
  })

  describe('cancellation', () => {
    const cancel = 'cancelled (the run was cancelled)'

    it('keeps the reason of a gate the cancellation cut short', () => {
      const cut = report(
        'canary',
        'inconclusive',
        `inconclusive after 3s (3 looks): ${cancel}`,
        10
      )
      expect(
        decide(
          facts({
            stop: { kind: 'cancelled', report: cut },
            cancelled: cancel,
            changes: deployed
          })
        )
      ).toEqual({ kind: 'roll-back', why: cut.reason })
    })

    it('gives the cancellation as the reason of a gate that failed after it', () => {
      expect(
        decide(
          facts({
            stop: {
              kind: 'failed',
              report: report('health', 'failed', 'not healthy within 30s')
            },
            cancelled: cancel,
            changes: deployed,
            rollback: outcome('rolled-back')
          })
        )
      ).toEqual({
        kind: 'finish',
        result: 'rolled-back',
        reason: `${cancel}; rolled back to v1 in 1 attempt`,
        failedGate: 'health'
      })
    })

    it('ends a run cancelled between gates without naming a gate', () => {
      expect(decide(facts({ cancelled: cancel }))).toEqual({
        kind: 'finish',
        result: 'failed',
        reason: `${cancel}; nothing was changed`
      })
      expect(
        decide(
          facts({
            stop: { kind: 'cancelled' },
            cancelled: cancel,
            changes: deployed
          })
        )
      ).toEqual({ kind: 'roll-back', why: cancel })
    })

    it('wins over a pause', () => {
      expect(
        decide(
          facts({
            stop: {
              kind: 'paused',
              report: report('canary', 'skipped', 'paused before 50%', 50)
            },
            cancelled: cancel,
            changes: deployed
          })
        )
      ).toEqual({ kind: 'roll-back', why: cancel })
    })
  })

  it('pauses before an approval step', () => {
    expect(
      decide(
        facts({
          stop: {
            kind: 'paused',
            report: report('canary', 'skipped', 'paused before 50%', 50)
          },
          changes: deployed
        })
      )
    ).toEqual({ kind: 'finish', result: 'paused', reason: 'paused before 50%' })
  })

  it('promotes a full run with a canary, and counts warnings (dry-run analysis)', () => {
    expect(
      decide(
        facts({
          changes: deployed,
          reports: [
            report('deploy', 'passed', 'ok'),
            report('canary', 'warned', 'dry-run, would have failed', 10)
          ]
        })
      )
    ).toEqual({
      kind: 'finish',
      result: 'promoted',
      reason: 'v2 promoted to staging with 1 warning'
    })
    expect(
      decide(
        facts({
          promotes: false,
          reports: [
            report('preflight', 'warned', 'not checked'),
            report('deploy', 'warned', 'slow')
          ]
        })
      )
    ).toEqual({
      kind: 'finish',
      result: 'passed',
      reason: 'v2 passed to staging with 2 warnings'
    })
  })

  it('passes one gate with its own reason, or says it is not configured', () => {
    expect(
      decide(
        facts({
          selection: 'deploy',
          reports: [
            report('deploy', 'passed', 'deploy command succeeded in 2s')
          ]
        })
      )
    ).toEqual({
      kind: 'finish',
      result: 'passed',
      reason: 'deploy command succeeded in 2s'
    })
    expect(decide(facts({ selection: 'soak' }))).toEqual({
      kind: 'finish',
      result: 'passed',
      reason: "gate 'soak' is not configured"
    })
  })
})
