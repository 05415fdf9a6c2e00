/**
 * The JSON Schema editors use to complete and check the config file, derived
 * from the same zod schema the loader uses so the two never disagree.
 */
import { z } from 'zod'
import { ConfigSchema } from './schema.js'

/** Builds the schema document that is committed as deploy-gates.schema.json. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, {
    io: 'input',
    target: 'draft-07',
    unrepresentable: 'any'
  }) as Record<string, unknown>
  return {
    ...schema,
    $id: 'https://github.com/org/deploy-gates/raw/v1/deploy-gates.schema.json',
    title: 'deploy-gates config',
    description:
      'Gated rollouts: preflight, migrate, deploy, health, smoke, canary, soak, promote, watch, rollback. See README.md.'
  }
}

/** The committed file's exact text (stable key order, trailing newline). */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`
}
