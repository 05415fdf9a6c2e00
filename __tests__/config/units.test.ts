import { describe, it, expect } from '@jest/globals'
import {
  parseCondition,
  parseDuration,
  parsePercent,
  parseSize,
  isRelative
} from '../../src/config/units.js'
import { formatDuration } from '../../src/kernel/format.js'

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['2d', 172_800_000],
    ['0s', 0]
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms })
  })

  it.each(['5 mins', 'yes', '', '10', '5m1h', '1h1h', 's', '-5s', '5 m'])(
    'rejects %p with the value quoted',
    (text) => {
      const r = parseDuration(text)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toContain(`'${text}'`)
    }
  )

  it('formats round trips', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m')
    expect(formatDuration(450)).toBe('450ms')
    expect(formatDuration(1500)).toBe('1.5s')
    expect(formatDuration(300_000)).toBe('5m')
  })
})

describe('parsePercent', () => {
  it('gives the ratio', () => {
    expect(parsePercent('5%')).toEqual({ ok: true, value: 0.05 })
    expect(parsePercent('99.9%')).toEqual({ ok: true, value: 0.999 })
  })
  it('rejects bad percentages', () => {
    expect(parsePercent('5').ok).toBe(false)
    expect(parsePercent('101%').ok).toBe(false)
  })
})

describe('parseCondition', () => {
  it('parses absolute conditions of each kind', () => {
    expect(parseCondition('> 5%')).toMatchObject({
      ok: true,
      value: { op: '>', operand: { kind: 'percent', ratio: 0.05 } }
    })
    expect(parseCondition('<500ms')).toMatchObject({
      ok: true,
      value: { op: '<', operand: { kind: 'duration', ms: 500 } }
    })
    expect(parseCondition('>= 0.7')).toMatchObject({
      ok: true,
      value: { op: '>=', operand: { kind: 'number', value: 0.7 } }
    })
  })

  it('parses baseline-relative conditions', () => {
    const ratio = parseCondition('> 2x baseline')
    expect(ratio).toMatchObject({
      ok: true,
      value: { operand: { kind: 'baseline-ratio', factor: 2 } }
    })
    const plus = parseCondition('> baseline + 50ms')
    expect(plus).toMatchObject({
      ok: true,
      value: {
        operand: { kind: 'baseline-plus', delta: { kind: 'duration', ms: 50 } }
      }
    })
    if (ratio.ok && plus.ok) {
      expect(isRelative(ratio.value)).toBe(true)
      expect(isRelative(plus.value)).toBe(true)
    }
  })

  it('parses growth trends per hour', () => {
    expect(parseCondition('growth > 5%/h')).toMatchObject({
      ok: true,
      value: { kind: 'growth', op: '>', ratioPerHour: 0.05 }
    })
    const perMinute = parseCondition('growth > 1%/m')
    expect(perMinute.ok && perMinute.value).toMatchObject({ ratioPerHour: 0.6 })
  })

  it.each(['5%', '> ', '=> 5%', '> 2 x base', '> five', 'growth 5%', '> 2x'])(
    'rejects %p',
    (text) => {
      const r = parseCondition(text)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toContain(`'${text}'`)
    }
  )
})

describe('parseSize', () => {
  it('parses binary and decimal units', () => {
    expect(parseSize('1MiB')).toEqual({ ok: true, value: 1_048_576 })
    expect(parseSize('64KB')).toEqual({ ok: true, value: 64_000 })
    expect(parseSize('lots').ok).toBe(false)
  })
})
