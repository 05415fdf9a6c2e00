/**
 * The committed JSON Schema is what editors check the file with: it must be
 * exactly what the zod schema generates, accept every example and reject the
 * shape errors of the bad-config corpus.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { configJsonSchemaText } from '../../src/config/json-schema.js'
import { ROOT } from '../helpers/action.js'

const committed = readFileSync(join(ROOT, 'deploy-gates.schema.json'), 'utf8')
const ajv = new Ajv({ allErrors: true, strict: false })
const validate = ajv.compile(JSON.parse(committed) as object)

const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => join(ROOT, 'examples', f))

describe('deploy-gates.schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema`)', () => {
    expect(committed).toBe(configJsonSchemaText())
  })

  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5)
  })

  it.each([...examples, join(ROOT, '__tests__/fixtures/valid/design.yml')])(
    'accepts %s',
    (file) => {
      const ok = validate(parse(readFileSync(file, 'utf8')))
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)
    }
  )

  // Shape errors an editor can catch without the loader's cross-field rules.
  it.each([
    '001-unknown-key-suggestion.yml',
    '002-unknown-top-level-key.yml',
    '006-wrong-version.yml',
    '007-missing-environment.yml',
    '008-bad-service-name.yml',
    '009-interval-yes.yml',
    '011-bake-5-mins.yml',
    '020-weight-150.yml',
    '021-weight-zero.yml',
    '022-weight-fraction.yml',
    '035-on-no-data-invalid.yml',
    '040-probes-not-a-list.yml',
    '064-method-invalid.yml',
    '077-migrate-without-run.yml',
    '078-rollback-traffic-101.yml',
    '083-top-level-list.yml'
  ])('rejects %s', (name) => {
    const file = join(ROOT, '__tests__/fixtures/bad-configs', name)
    expect(validate(parse(readFileSync(file, 'utf8')))).toBe(false)
  })
})
