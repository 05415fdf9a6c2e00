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
    ...(config.gates.preflight?.secrets ?? []),
    ...(readsCloudWatch(config) ? AWS_CREDENTIALS : [])
  ]
  return names
    .map((n) => env[n])
    .filter((v): v is string => typeof v === 'string' && v !== '')
}

/** Below this length a secret is not masked in free text (see SECURITY.md). */
export const SHORT_SECRET = 4

/**
 * One warning per secret too short to mask safely: masking `ab` everywhere
 * would garble every log line, so it is shown as is, and the user is told
 * once, by the secret's name, never its value.
 */
export function shortSecretWarnings(
  config: Config,
  env: NodeJS.ProcessEnv = process.env
): string[] {
  const names = new Set([
    ...referencedSecrets(config),
    ...(config.gates.preflight?.secrets ?? [])
  ])
  return [...names]
    .filter((n) => {
      const v = env[n]
      return (
        typeof v === 'string' &&
        v.trim() !== '' &&
        v.trim().length < SHORT_SECRET
      )
    })
    .map(
      (n) =>
        `secret '${n}' is shorter than ${SHORT_SECRET} characters and cannot be masked safely in logs and reports; use a longer secret`
    )
}

/** What CloudWatch signs with: read from the environment, never the config. */
const AWS_CREDENTIALS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN'
]

function readsCloudWatch(config: Config): boolean {
  const metrics = [
    ...Object.values(config.gates.canary?.analysis?.metrics ?? {}),
    ...Object.values(config.gates.soak?.metrics ?? {})
  ]
  return metrics.some((m) => m.cloudwatch !== undefined)
}
