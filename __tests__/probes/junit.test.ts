import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  MAX_FAILED,
  parseJunit,
  readJunitFiles
} from '../../src/probes/junit.js'
import type { JunitResult, JunitSummary } from '../../src/probes/junit.js'

const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'junit'
)
const fixture = (name: string): string => join(FIXTURES, name)
const load = (name: string): string => readFileSync(fixture(name), 'utf8')

function ok(r: JunitResult): JunitSummary {
  if ('error' in r) throw new Error(`unexpected error: ${r.error}`)
  return r
}

describe('parseJunit on real-world reports', () => {
  it('reads jest-junit (testsuites with several suites)', () => {
    const r = ok(parseJunit(load('jest-junit.xml')))
    expect(r).toMatchObject({
      tests: 5,
      failures: 1,
      errors: 0,
      skipped: 1,
      passed: 3,
      passRate: 0.75
    })
    expect(r.failed).toEqual([
      {
        suite: 'api/matches',
        name: 'api/matches rejects unknown ids',
        message: 'Error: expect(received).toBe(expected) // Object.is equality'
      }
    ])
  })

  it('reads pytest (failure, error, skipped with messages)', () => {
    const r = ok(parseJunit(load('pytest.xml')))
    expect(r).toMatchObject({
      tests: 6,
      failures: 1,
      errors: 1,
      skipped: 1,
      passed: 3,
      passRate: 0.6
    })
    expect(r.failed).toEqual([
      {
        suite: 'pytest',
        name: 'test_version',
        message: "AssertionError: assert '1.2.3' == '1.2.4'"
      },
      {
        suite: 'pytest',
        name: 'test_db',
        message:
          'failed on setup with "ConnectionRefusedError: [Errno 111] Connection refused"'
      }
    ])
  })

  it('reads a lone <testsuite> (older pytest)', () => {
    const r = ok(parseJunit(load('pytest-legacy.xml')))
    expect(r).toEqual({
      tests: 2,
      failures: 0,
      errors: 0,
      skipped: 0,
      passed: 2,
      passRate: 1,
      failed: []
    })
  })

  it('reads Maven Surefire (flaky failures that passed do not count)', () => {
    const r = ok(parseJunit(load('TEST-com.example.AppTest.xml')))
    expect(r).toMatchObject({
      tests: 4,
      failures: 1,
      errors: 0,
      skipped: 1,
      passed: 2
    })
    expect(r.passRate).toBeCloseTo(2 / 3, 10)
    expect(r.failed).toEqual([
      {
        suite: 'com.example.AppTest',
        name: 'versionMatches',
        message: 'expected: <1.2.4> but was: <1.2.3>'
      }
    ])
  })

  it('counts <testcase> children when the attributes are missing', () => {
    const r = ok(parseJunit(load('no-counts.xml')))
    expect(r).toMatchObject({
      tests: 5,
      failures: 1,
      errors: 1,
      skipped: 1,
      passed: 2,
      passRate: 0.5
    })
    expect(r.failed).toEqual([
      { suite: 'smoke/a', name: 't2', message: 'boom' },
      { suite: 'smoke/a', name: 't3', message: 'panic' }
    ])
  })
})

describe('parseJunit edge cases', () => {
  it('takes each missing count from the children', () => {
    const r = ok(
      parseJunit(
        '<testsuite name="s" tests="3" failures="1"><testcase name="a"/>' +
          '<testcase name="b"><failure message="x"/></testcase>' +
          '<testcase name="c"><skipped/></testcase></testsuite>'
      )
    )
    expect(r).toMatchObject({ tests: 3, failures: 1, errors: 0, skipped: 1 })
    expect(r.passRate).toBe(1 / 2)
  })

  it('sums nested suites without counts of their own', () => {
    const r = ok(
      parseJunit(
        '<testsuites><testsuite name="outer">' +
          '<testsuite name="inner" tests="4" failures="1" errors="0" skipped="0">' +
          '<testcase name="x"><failure>bad</failure></testcase></testsuite>' +
          '<testcase name="own"/></testsuite></testsuites>'
      )
    )
    expect(r).toMatchObject({ tests: 5, failures: 1, passed: 4 })
    expect(r.failed).toEqual([{ suite: 'inner', name: 'x', message: 'bad' }])
  })

  it('has no pass rate when nothing was counted', () => {
    expect(ok(parseJunit('<testsuites/>'))).toEqual({
      tests: 0,
      failures: 0,
      errors: 0,
      skipped: 0,
      passed: 0,
      passRate: undefined,
      failed: []
    })
    const allSkipped = ok(
      parseJunit(
        '<testsuite><testcase name="a"><skipped/></testcase></testsuite>'
      )
    )
    expect(allSkipped.skipped).toBe(1)
    expect(allSkipped.passRate).toBeUndefined()
  })

  it(`lists at most ${MAX_FAILED} failed tests but counts them all`, () => {
    const cases = Array.from(
      { length: 30 },
      (_, i) => `<testcase name="t${i}"><failure message="m${i}"/></testcase>`
    ).join('')
    const r = ok(parseJunit(`<testsuite name="big">${cases}</testsuite>`))
    expect(r.failures).toBe(30)
    expect(r.passRate).toBe(0)
    expect(r.failed).toHaveLength(MAX_FAILED)
    expect(r.failed[0]).toEqual({ suite: 'big', name: 't0', message: 'm0' })
  })

  it('falls back to the classname for the suite and caps messages', () => {
    const long = 'x'.repeat(1000)
    const r = ok(
      parseJunit(
        `<testsuite><testcase classname="pkg.Cls" name="n"><failure message="${long}"/></testcase></testsuite>`
      )
    )
    expect(r.failed[0].suite).toBe('pkg.Cls')
    expect(r.failed[0].message.length).toBeLessThanOrEqual(301)
  })

  it.each([
    ['', 'JUnit report is empty'],
    ['   \n  ', 'JUnit report is empty'],
    ['<?xml version="1.0"?>', 'invalid XML at line 1: Start tag expected.']
  ])('rejects %p with a clear error', (xml, error) => {
    expect(parseJunit(xml)).toEqual({ error })
  })

  it('rejects malformed XML with its position', () => {
    const r = parseJunit(
      '<testsuites>\n  <testsuite name="a" tests="1">\n    <testcase name="x">\n</testsuites>'
    )
    expect('error' in r && r.error).toMatch(/^invalid XML at line \d+:\d+: /)
  })

  it('rejects XML that is not JUnit', () => {
    expect(parseJunit('<html><body>502 Bad Gateway</body></html>')).toEqual({
      error: "no <testsuites> or <testsuite> element (root is '<html>')"
    })
  })

  it('ignores count attributes that are not whole numbers', () => {
    const r = ok(
      parseJunit(
        '<testsuite tests="lots"><testcase name="a"/><testcase name="b"/></testsuite>'
      )
    )
    expect(r.tests).toBe(2)
  })
})

describe('readJunitFiles', () => {
  it('merges several reports from disk', async () => {
    const r = ok(
      await readJunitFiles([
        fixture('jest-junit.xml'),
        fixture('pytest.xml'),
        fixture('TEST-com.example.AppTest.xml')
      ])
    )
    expect(r).toMatchObject({
      tests: 15,
      failures: 3,
      errors: 1,
      skipped: 3,
      passed: 8
    })
    expect(r.passRate).toBeCloseTo(8 / 12, 10)
    expect(r.failed.map((f) => f.name)).toEqual([
      'api/matches rejects unknown ids',
      'test_version',
      'test_db',
      'versionMatches'
    ])
  })

  it('caps the merged failure list', async () => {
    const many = `<testsuite>${'<testcase name="f"><failure/></testcase>'.repeat(15)}</testsuite>`
    const r = ok(await readJunitFiles(['a', 'b'], () => Promise.resolve(many)))
    expect(r.failures).toBe(30)
    expect(r.failed).toHaveLength(MAX_FAILED)
  })

  it('fails on a missing report, naming it', async () => {
    const missing = fixture('does-not-exist.xml')
    expect(await readJunitFiles([fixture('pytest.xml'), missing])).toEqual({
      error: `JUnit report '${missing}' not found`
    })
  })

  it('fails on an unreadable report, naming it', async () => {
    const r = await readJunitFiles(['reports/a.xml'], () =>
      Promise.resolve('<testsuite><testcase></testsuite>')
    )
    expect('error' in r && r.error).toMatch(
      /^JUnit report 'reports\/a\.xml': invalid XML at line/
    )
  })

  it('needs at least one path', async () => {
    expect(await readJunitFiles([])).toEqual({
      error: 'no JUnit report paths given'
    })
  })
})
