/**
 * The rollout's changes travel between jobs (and re-runs on fresh runners)
 * in deployment status descriptions: the encoding must round-trip, read
 * what older versions wrote, and fit GitHub's 140 characters.
 */
import { describe, expect, it } from '@jest/globals'
import { decodeChanges, encodeChanges } from '../../src/github/deployments.js'
import type { RolloutState } from '../../src/rollout/state.js'

function state(
  changed: Partial<RolloutState['changed']>,
  phase: RolloutState['phase'] = 'running',
  result?: string
): RolloutState {
  return {
    version: 1,
    service: 'matches-api',
    environment: 'production',
    rolloutVersion: 'v2',
    sha: 'abc',
    startedAt: 1,
    updatedAt: 2,
    phase,
    ...(result ? { result } : {}),
    changed: {
      migrated: false,
      migrationReversible: false,
      deployed: false,
      trafficWeight: 0,
      ...changed
    },
    rollbackAttempts: 0
  }
}

describe('encodeChanges / decodeChanges', () => {
  it('round-trips every flag, the weight, the phase and the result', () => {
    const s = state(
      {
        migrated: true,
        migrationReversible: false,
        migrationApplied: true,
        deployed: true,
        trafficWeight: 25
      },
      'done',
      'held'
    )
    const text = encodeChanges(s)
    expect(text).toBe('dg1 m1 r0 a1 d1 w25 done held')
    expect(decodeChanges(text)).toEqual({
      changed: s.changed,
      phase: 'done',
      result: 'held'
    })
  })

  it('writes a0 when the migration is not applied or the flag is absent', () => {
    expect(encodeChanges(state({ migrated: true }))).toBe(
      'dg1 m1 r0 a0 d0 w0 running'
    )
    expect(decodeChanges('dg1 m1 r1 a0 d1 w100 rolling-back')?.changed).toEqual(
      {
        migrated: true,
        migrationReversible: true,
        migrationApplied: false,
        deployed: true,
        trafficWeight: 100
      }
    )
  })

  it('reads descriptions written before the applied flag existed', () => {
    expect(decodeChanges('dg1 m1 r1 d1 w10 done failed')).toEqual({
      changed: {
        migrated: true,
        migrationReversible: true,
        migrationApplied: false,
        deployed: true,
        trafficWeight: 10
      },
      phase: 'done',
      result: 'failed'
    })
  })

  it('ignores descriptions that are not its own', () => {
    expect(decodeChanges('promoted: v2 promoted to production')).toBeUndefined()
    expect(decodeChanges(null)).toBeUndefined()
    expect(decodeChanges('dg1 m2 r0 d0 w0 running')).toBeUndefined()
  })

  it('fits a status description with the longest result', () => {
    const text = encodeChanges(
      state({ trafficWeight: 100 }, 'rolling-back', 'rollback-failed')
    )
    expect(text.length).toBeLessThanOrEqual(140)
  })
})
