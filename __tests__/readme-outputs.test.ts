/**
 * The README's input and output tables are checked against action.yml:
 * every input and output the action declares is documented, each output
 * with an example value, and nothing documented is missing from action.yml
 * or from the outputs the code writes (src/app/outputs.ts).
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { OUTPUT_NAMES } from '../src/app/outputs.js'
import { ROOT } from './helpers/action.js'

interface ActionYml {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

const action = parse(
  readFileSync(join(ROOT, 'action.yml'), 'utf8')
) as ActionYml

/** The rows of the first README table whose header starts with `first`. */
function table(first: string): string[][] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n')
  const start = lines.findIndex((l) =>
    new RegExp(`^\\|\\s*${first}\\s*\\|`).test(l)
  )
  expect(start).toBeGreaterThan(0)
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim())
    )
  }
  return rows
}

function names(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1])
}

describe('README inputs and outputs', () => {
  it('documents every output of action.yml with an example value, and no other', () => {
    const rows = table('output')
    const documented = rows.flatMap((r) => names(r[0]))
    expect([...documented].sort()).toEqual(Object.keys(action.outputs).sort())
    for (const r of rows) {
      expect({ output: r[0], example: r[1] }).toEqual({
        output: r[0],
        example: expect.stringMatching(/^`[^`]+`$/)
      })
    }
  })

  it('declares in action.yml exactly the outputs the code writes', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
  })

  it('documents every input of action.yml, and no other', () => {
    const documented = table('input').flatMap((r) => names(r[0]))
    expect([...documented].sort()).toEqual(Object.keys(action.inputs).sort())
  })
})
