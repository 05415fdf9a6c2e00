/**
 * How the process's heap grows. A command that floods its log (a build
 * printing a gigabyte) allocates short-lived strings fast enough that V8
 * keeps doubling its young generation, to over 100 MB, though what is live
 * stays under 20 MB. The action cannot pass Node flags, and the young
 * generation's size is fixed at start, but its growth factor is read each
 * time it grows: with 1, it stays at its first size. Scavenges get more
 * frequent and shorter, which also keeps GC pauses out of probe timings.
 */
import { setFlagsFromString } from 'node:v8'

/** Called once, first thing, by the action's and the CLI's entry points. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
}
