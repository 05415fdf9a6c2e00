import { describe, expect, it } from '@jest/globals'
import {
  checkWindow,
  parseAllowWindow,
  parseFreeze
} from '../../src/config/window.js'

function spec(
  allow: string[],
  freeze: string[],
  timezone = 'UTC'
): Parameters<typeof checkWindow>[1] {
  const a = allow.map((t) => parseAllowWindow(t))
  const f = freeze.map((t) => parseFreeze(t))
  return {
    allow: a.flatMap((r) => (r.ok ? [r.value] : [])),
    freeze: f.flatMap((r) => (r.ok ? [r.value] : [])),
    timezone
  }
}

describe('deploy windows', () => {
  it('parses day ranges, lists and hours', () => {
    expect(parseAllowWindow('Tue-Thu 10:00-14:00')).toEqual({
      ok: true,
      value: {
        days: [2, 3, 4],
        from: 600,
        to: 840,
        text: 'Tue-Thu 10:00-14:00'
      }
    })
    const wrap = parseAllowWindow('Fri-Mon')
    expect(wrap.ok && wrap.value.days).toEqual([0, 1, 5, 6])
    const list = parseAllowWindow('Mon,Wed 09:00-17:00')
    expect(list.ok && list.value.days).toEqual([1, 3])
  })

  it.each(['Tuesday 10-14', 'Tue 10:00-10:00', 'Tue 25:00-26:00', ''])(
    'rejects %p',
    (t) => expect(parseAllowWindow(t).ok).toBe(false)
  )

  it('is open inside a window and closed outside it, in the zone', () => {
    const s = spec(['Tue-Thu 10:00-14:00'], [], 'Europe/Berlin')
    // Tuesday 2026-11-24 09:30 UTC = 10:30 in Berlin.
    expect(checkWindow(new Date('2026-11-24T09:30:00Z'), s)).toEqual({
      open: true
    })
    const closed = checkWindow(new Date('2026-11-24T13:30:00Z'), s)
    expect(closed).toEqual({
      open: false,
      reason:
        "outside the deploy windows 'Tue-Thu 10:00-14:00' (now Tue 14:30 Europe/Berlin)"
    })
  })

  it('is closed in a freeze period, end date included', () => {
    const s = spec([], ['2026-12-20/2027-01-02'])
    expect(checkWindow(new Date('2027-01-02T23:00:00Z'), s)).toMatchObject({
      open: false
    })
    expect(checkWindow(new Date('2027-01-03T00:01:00Z'), s)).toEqual({
      open: true
    })
  })

  it('runs an overnight window into the next morning', () => {
    const s = spec(['Sat 22:00-02:00'], [])
    // Saturday 2026-11-28 23:00 and Sunday 01:00 are inside; Sunday 23:00 not.
    expect(checkWindow(new Date('2026-11-28T23:00:00Z'), s).open).toBe(true)
    expect(checkWindow(new Date('2026-11-29T01:00:00Z'), s).open).toBe(true)
    expect(checkWindow(new Date('2026-11-29T23:00:00Z'), s).open).toBe(false)
    expect(checkWindow(new Date('2026-11-28T21:59:00Z'), s).open).toBe(false)
  })

  it('freezes a single date for the whole day', () => {
    const s = spec([], ['2026-12-25'])
    expect(checkWindow(new Date('2026-12-25T23:59:00Z'), s).open).toBe(false)
    expect(checkWindow(new Date('2026-12-26T00:00:00Z'), s).open).toBe(true)
  })

  it('rejects malformed freeze periods', () => {
    expect(parseFreeze('2026-12-20/').ok).toBe(false)
    expect(parseFreeze('2026-13-45/2027-01-01').ok).toBe(false)
    expect(parseFreeze('2027-01-02/2026-12-20')).toMatchObject({ ok: false })
  })
})
