/**
 * Reads the JUnit XML that test runners write (jest-junit, pytest, Maven
 * Surefire, Gradle, go-junit-report, ...) into the counts the smoke gate's
 * `tests: { junit, pass-rate }` needs. Pure except `readJunitFiles`, whose
 * file reader is injected.
 */
import { readFile as fsReadFile } from 'node:fs/promises'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { errorMessage } from '../kernel/errors.js'

export interface JunitFailure {
  suite: string
  name: string
  /** One line: the failure's message, type, or first line of its text. */
  message: string
}

export interface JunitSummary {
  tests: number
  failures: number
  errors: number
  skipped: number
  passed: number
  /** passed / (tests - skipped); undefined when no test counted. */
  passRate: number | undefined
  /** The first failed or errored tests, at most `MAX_FAILED`. */
  failed: JunitFailure[]
}

export type JunitResult = JunitSummary | { error: string }

export const MAX_FAILED = 20
const MAX_MESSAGE = 300

type Node = Record<string, unknown>

const ARRAY_TAGS = new Set([
  'testsuites',
  'testsuite',
  'testcase',
  'failure',
  'error',
  'skipped'
])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  // Decodes numeric references such as pytest's `&#10;` in messages.
  htmlEntities: true,
  isArray: (name) => ARRAY_TAGS.has(name)
})

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Children with a tag; an empty element (`<skipped/>`) parses to ''. */
function children(node: Node, tag: string): unknown[] {
  const v = node[tag]
  if (v === undefined) return []
  return Array.isArray(v) ? (v as unknown[]) : [v]
}

function nodes(node: Node, tag: string): Node[] {
  return children(node, tag).map((c) => (isNode(c) ? c : {}))
}

function attr(node: Node, name: string): string | undefined {
  const v = node[`@_${name}`]
  return typeof v === 'string' ? v : undefined
}

/** A count attribute, or undefined when missing or not a whole number. */
function count(node: Node, name: string): number | undefined {
  const raw = attr(node, name)?.trim()
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  return Number.isInteger(n) && n >= 0 ? n : undefined
}

function oneLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '')
  const s = (line ?? '').replace(/\s+/g, ' ')
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s
}

function messageOf(problem: unknown): string {
  if (typeof problem === 'string') return oneLine(problem)
  if (!isNode(problem)) return ''
  const message = attr(problem, 'message')
  if (message !== undefined && message.trim() !== '') return oneLine(message)
  const text = problem['#text']
  if (typeof text === 'string' && text.trim() !== '') return oneLine(text)
  return oneLine(attr(problem, 'type') ?? '')
}

interface Counts {
  tests: number
  failures: number
  errors: number
  skipped: number
}

const zero = (): Counts => ({ tests: 0, failures: 0, errors: 0, skipped: 0 })

function add(a: Counts, b: Counts): Counts {
  return {
    tests: a.tests + b.tests,
    failures: a.failures + b.failures,
    errors: a.errors + b.errors,
    skipped: a.skipped + b.skipped
  }
}

/**
 * A suite's own attributes win when present (they are what the runner
 * reported); any count it leaves out comes from its `<testcase>` children
 * and nested suites.
 */
function countSuite(suite: Node, failed: JunitFailure[]): Counts {
  const suiteName = attr(suite, 'name') ?? ''
  let fromChildren = zero()
  for (const tc of nodes(suite, 'testcase')) {
    const errors = children(tc, 'error')
    const failures = children(tc, 'failure')
    const problem = errors[0] ?? failures[0]
    fromChildren.tests++
    if (errors.length > 0) fromChildren.errors++
    else if (failures.length > 0) fromChildren.failures++
    else if (children(tc, 'skipped').length > 0) fromChildren.skipped++
    if (problem !== undefined && failed.length < MAX_FAILED) {
      failed.push({
        suite: suiteName || (attr(tc, 'classname') ?? ''),
        name: attr(tc, 'name') ?? '',
        message: messageOf(problem)
      })
    }
  }
  for (const nested of nodes(suite, 'testsuite')) {
    fromChildren = add(fromChildren, countSuite(nested, failed))
  }
  const tests = count(suite, 'tests')
  if (tests === undefined) return fromChildren
  return {
    tests,
    failures: count(suite, 'failures') ?? fromChildren.failures,
    errors: count(suite, 'errors') ?? fromChildren.errors,
    skipped:
      count(suite, 'skipped') ??
      count(suite, 'disabled') ??
      fromChildren.skipped
  }
}

function summarize(c: Counts, failed: JunitFailure[]): JunitSummary {
  const passed = Math.max(0, c.tests - c.failures - c.errors - c.skipped)
  const counted = c.tests - c.skipped
  return {
    ...c,
    passed,
    passRate: counted > 0 ? passed / counted : undefined,
    failed
  }
}

/**
 * Turns one report into counts and the first failures, or a one-line error
 * the smoke gate can show as is; a report we cannot read must fail the gate
 * rather than count as zero tests.
 */
export function parseJunit(xml: string): JunitResult {
  if (xml.trim() === '') return { error: 'JUnit report is empty' }
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { line, col, msg } = valid.err
    const at = typeof col === 'number' ? `${line}:${col}` : `${line}`
    return { error: `invalid XML at line ${at}: ${oneLine(msg)}` }
  }
  let doc: unknown
  try {
    doc = parser.parse(xml) as unknown
  } catch (err) {
    return { error: `invalid XML: ${errorMessage(err)}` }
  }
  if (!isNode(doc)) return { error: 'JUnit report has no root element' }

  const failed: JunitFailure[] = []
  let total = zero()
  if (doc.testsuites !== undefined) {
    for (const root of nodes(doc, 'testsuites')) {
      const suites = nodes(root, 'testsuite')
      if (suites.length === 0) {
        total = add(total, countSuite(root, failed))
        continue
      }
      for (const suite of suites) total = add(total, countSuite(suite, failed))
    }
  } else if (doc.testsuite !== undefined) {
    for (const suite of nodes(doc, 'testsuite')) {
      total = add(total, countSuite(suite, failed))
    }
  } else {
    const root = Object.keys(doc).find((k) => !k.startsWith('?'))
    return {
      error:
        root === undefined
          ? 'JUnit report has no root element'
          : `no <testsuites> or <testsuite> element (root is '<${root}>')`
    }
  }
  return summarize(total, failed)
}

/**
 * Several runners (or shards) write several reports; the gate's pass rate
 * is over all of them, and one unreadable report fails the whole read.
 */
export async function readJunitFiles(
  paths: string[],
  readFile: (path: string) => Promise<string> = (p) => fsReadFile(p, 'utf8')
): Promise<JunitResult> {
  if (paths.length === 0) return { error: 'no JUnit report paths given' }
  let total = zero()
  const failed: JunitFailure[] = []
  for (const path of paths) {
    let xml: string
    try {
      xml = await readFile(path)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      return {
        error:
          code === 'ENOENT'
            ? `JUnit report '${path}' not found`
            : `could not read JUnit report '${path}': ${errorMessage(err)}`
      }
    }
    const one = parseJunit(xml)
    if ('error' in one) return { error: `JUnit report '${path}': ${one.error}` }
    total = add(total, one)
    for (const f of one.failed) if (failed.length < MAX_FAILED) failed.push(f)
  }
  return summarize(total, failed)
}
