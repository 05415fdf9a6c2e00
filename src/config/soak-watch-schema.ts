/**
 * Config pieces for what keeps checking a release once it runs at full
 * weight: test commands during the soak, and the watch after promotion
 * (DESIGN.md §3, §4). Kept apart from schema.ts, which composes them.
 */
import { z } from 'zod'
import { confirm } from './hook-schema.js'
import {
  duration,
  interval,
  intBetween,
  name,
  obj,
  oneOrMany,
  percentCondition,
  show,
  text
} from './fields.js'

/**
 * A test command the soak runs every `every` (by default once, at its end);
 * its JUnit reports give a pass rate when `pass-rate` asks for one.
 */
export const soakTests = oneOrMany(
  obj({
    run: text('a command'),
    every: duration().optional(),
    junit: oneOrMany(text('a path to a JUnit XML file')).optional(),
    'pass-rate': percentCondition().optional(),
    timeout: duration().default(30 * 60_000)
  })
)

/**
 * The watch after promotion: the canary analysis goes on for `duration`
 * against the promoted version, on the metrics it names (by default all of
 * the canary analysis metrics).
 */
export const watchGate = obj({
  duration: duration(),
  interval: interval().default(30_000),
  probes: z.array(name('probe')).optional(),
  metrics: z.array(name('metric')).optional(),
  'on-no-data': z
    .enum(['fail', 'pass', 'hold'], {
      error: (iss) => `must be 'fail', 'pass' or 'hold', got ${show(iss.input)}`
    })
    .default('fail'),
  'min-samples': intBetween(1, 1_000_000).default(20),
  'error-limit': intBetween(1, 1000).default(4),
  confirm: confirm.optional()
})
