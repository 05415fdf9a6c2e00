/**
 * Conditions on built-in metrics that have no early test (`== value`, a
 * rate `> baseline + 1%`, `success-rate` relative to the baseline): judged
 * on the measured value at the end only. They block an early pass.
 */
import type { Finding } from '../../kernel/verdict.js'
import type { Builtin } from '../measure.js'
import { findingOf } from '../wording.js'
import { measureBuiltin } from './builtin.js'
import type { Check, Method, Settings, Tracks } from './method.js'

export class FinalOnlyMethod implements Method {
  readonly name = 'final-only'
  readonly check: Check
  readonly costlyClear = false
  private readonly builtin: Builtin
  private readonly tracks: Tracks
  private readonly settings: Settings

  constructor(
    check: Check,
    builtin: Builtin,
    tracks: Tracks,
    settings: Settings
  ) {
    this.check = check
    this.builtin = builtin
    this.tracks = tracks
    this.settings = settings
  }

  look(): undefined {
    return undefined
  }

  clear(): undefined {
    return undefined
  }

  final(): Finding {
    const { check, builtin, tracks, settings } = this
    return findingOf(
      check,
      measureBuiltin(check, builtin, tracks, settings.minSamples, true)
    )
  }
}
