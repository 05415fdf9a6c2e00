/**
 * The README's config reference is checked against the schema: every mapping
 * of the config has a table under a heading that names its key path, and the
 * table lists exactly the keys the schema accepts there.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { configJsonSchema } from '../src/config/json-schema.js'
import { ROOT } from './helpers/action.js'

type Schema = Record<string, unknown>

function schemaObjects(): Map<string, string[]> {
  const objects = new Map<string, string[]>()
  const walk = (s: Schema | undefined, path: string): void => {
    if (!s || typeof s !== 'object') return
    for (const k of ['anyOf', 'oneOf', 'allOf']) {
      for (const branch of (s[k] as Schema[] | undefined) ?? []) {
        walk(branch, path)
      }
    }
    if (s.properties) {
      const props = s.properties as Record<string, Schema>
      const keys = new Set([
        ...(objects.get(path) ?? []),
        ...Object.keys(props)
      ])
      objects.set(path, [...keys])
      for (const [k, v] of Object.entries(props)) {
        walk(v, path ? `${path}.${k}` : k)
      }
    }
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      walk(s.additionalProperties as Schema, `${path}.<name>`)
    }
    if (s.items) walk(s.items as Schema, `${path}[]`)
  }
  walk(configJsonSchema(), '')
  objects.delete('')
  // A list of objects and the object itself are documented once.
  for (const p of [...objects.keys()]) {
    if (p.endsWith('[]') && objects.has(p.slice(0, -2))) objects.delete(p)
  }
  return objects
}

function readmeTables(): Map<string, string[]> {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const start = text.indexOf('<!-- reference:start -->')
  const end = text.indexOf('<!-- reference:end -->')
  expect(start).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(start)
  const tables = new Map<string, string[]>()
  let current: string[] = []
  for (const line of text.slice(start, end).split('\n')) {
    if (line.startsWith('#')) {
      current = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1])
      for (const p of current) tables.set(p, [])
      continue
    }
    const row = /^\| `([^`]+)` \|/.exec(line)
    if (row) for (const p of current) tables.get(p)?.push(row[1])
  }
  return tables
}

describe('README config reference', () => {
  const objects = schemaObjects()
  const tables = readmeTables()

  it('documents every mapping of the schema, with exactly its keys', () => {
    const problems: string[] = []
    for (const [path, keys] of objects) {
      const documented = tables.get(path)
      if (!documented) {
        problems.push(`missing heading for ${path}`)
        continue
      }
      const missing = keys.filter((k) => !documented.includes(k))
      const extra = documented.filter((k) => !keys.includes(k))
      if (missing.length)
        problems.push(`${path}: undocumented ${missing.join(', ')}`)
      if (extra.length)
        problems.push(`${path}: not in the schema ${extra.join(', ')}`)
    }
    expect(problems).toEqual([])
  })

  it('documents no path the schema does not have', () => {
    const unknown = [...tables.keys()].filter((p) => !objects.has(p))
    expect(unknown).toEqual([])
  })

  it('shows the schema line for editors', () => {
    const text = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(text).toContain('# yaml-language-server: $schema=')
  })
})
