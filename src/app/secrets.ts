/**
 * The secret values a config can reach, read once from the environment so
 * the action and the CLI hide the same ones before anything prints.
 */
import { referencedSecrets } from '../config/interpolate.js'
import type { Config } from '../config/schema.js'

/** Values of the secrets the config interpolates or preflight lists. */
export function configSecrets(
  raw: unknown,
  config: Config,
  env: NodeJS.ProcessEnv = process.env
): string[] {
  const names = [
    ...referencedSecrets(raw),
    ...(config.gates.preflight?.secrets ?? [])
  ]
  return names
    .map((n) => env[n])
    .filter((v): v is string => typeof v === 'string' && v !== '')
}
