/**
 * The names a config gives things. Reasons and headlines start with them
 * (`auth-missing: HTTP 200, expected 401`), so the redactor must know them
 * to tell a label from a credential name like `x-auth-token: ...`.
 */
import type { Config } from '../config/schema.js'

/** Probe and metric names and the service: what reasons are labelled with. */
export function configIdentifiers(config: Config): string[] {
  const metrics = [
    ...Object.keys(config.gates.canary?.analysis?.metrics ?? {}),
    ...Object.keys(config.gates.soak?.metrics ?? {})
  ]
  return [
    ...new Set([config.service, ...Object.keys(config.probes), ...metrics])
  ]
}
