import { describe, expect, it } from '@jest/globals'
import {
  checkFreezeRules,
  civilToInstant,
  freezeWindowAt,
  nextFreezeWindows,
  parseFreezeEntry,
  parseFreezeRule,
  type FreezeRule
} from '../../src/config/freeze-rules.js'

function rule(text: string): FreezeRule {
  const r = parseFreezeRule(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

const at = (iso: string): number => Date.parse(iso)
const civil = (iso: string): number => Date.parse(`${iso}Z`) / 60_000

describe('freeze rules: parsing', () => {
  it('reads calendar and weekly rules', () => {
    expect(rule('last 3 business days of month')).toEqual({
      kind: 'calendar',
      edge: 'last',
      count: 3,
      business: true,
      period: 'month',
      text: 'last 3 business days of month'
    })
    expect(rule('First  business day of the quarter')).toMatchObject({
      edge: 'first',
      count: 1,
      business: true,
      period: 'quarter'
    })
    expect(rule('last 5 days of year')).toMatchObject({
      business: false,
      count: 5,
      period: 'year'
    })
    expect(rule('every Fri 15:00-24:00')).toEqual({
      kind: 'weekly',
      window: { days: [5], from: 900, to: 1440, text: 'Fri 15:00-24:00' },
      text: 'every Fri 15:00-24:00'
    })
  })

  it.each([
    'sometimes',
    'last 0 business days of month',
    'last 40 days of month',
    'every Funday 10:00-12:00',
    'every Fri 15:00',
    'last 3 business days of week'
  ])('rejects %p with the rule in quotes', (text) => {
    const r = parseFreezeEntry(text)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toContain(`'${text}'`)
  })

  it('keeps dated periods working', () => {
    expect(parseFreezeEntry('2026-12-20/2027-01-02')).toEqual({
      ok: true,
      value: {
        kind: 'period',
        period: {
          from: '2026-12-20',
          to: '2027-01-02',
          text: '2026-12-20/2027-01-02'
        }
      }
    })
    const bad = parseFreezeEntry('2027-01-02/2026-12-20')
    expect(bad.ok).toBe(false)
  })
})

describe('freeze rules: windows', () => {
  it('freezes the last 3 business days of a month through its weekend', () => {
    // January 2027 ends on a Sunday: Wed 27, Thu 28, Fri 29, then the weekend.
    const r = rule('last 3 business days of month')
    const zone = 'Europe/Berlin'
    const next = nextFreezeWindows(r, at('2027-01-10T12:00:00Z'), zone, 3)
    expect(next).toEqual([
      {
        from: '2027-01-27 00:00',
        to: '2027-01-31 24:00',
        start: '2027-01-26T23:00:00.000Z',
        end: '2027-01-31T23:00:00.000Z'
      },
      // February 2027 ends on a Sunday too; March on a Wednesday.
      {
        from: '2027-02-24 00:00',
        to: '2027-02-28 24:00',
        start: '2027-02-23T23:00:00.000Z',
        end: '2027-02-28T23:00:00.000Z'
      },
      {
        from: '2027-03-29 00:00',
        to: '2027-03-31 24:00',
        // After the switch to summer time on 28 March: UTC+2.
        start: '2027-03-28T22:00:00.000Z',
        end: '2027-03-31T22:00:00.000Z'
      }
    ])
    // One minute either side of local midnight, in Berlin's winter time.
    expect(freezeWindowAt(r, at('2027-01-26T22:59:00Z'), zone)).toBeUndefined()
    expect(freezeWindowAt(r, at('2027-01-26T23:00:00Z'), zone)?.from).toBe(
      '2027-01-27 00:00'
    )
    expect(freezeWindowAt(r, at('2027-01-31T22:59:00Z'), zone)?.to).toBe(
      '2027-01-31 24:00'
    )
    expect(freezeWindowAt(r, at('2027-01-31T23:00:00Z'), zone)).toBeUndefined()
  })

  it('finds quarter ends, leap days and the first business day after a weekend', () => {
    const q = rule('last 2 business days of quarter')
    expect(
      nextFreezeWindows(q, at('2027-04-02T00:00:00Z'), 'UTC', 2).map((w) => [
        w.from,
        w.to
      ])
    ).toEqual([
      ['2027-06-29 00:00', '2027-06-30 24:00'],
      // 30 Sep 2027 is a Thursday; 31 Dec 2027 a Friday.
      ['2027-09-29 00:00', '2027-09-30 24:00']
    ])
    const leap = rule('last business day of month')
    expect(
      nextFreezeWindows(leap, at('2028-02-10T00:00:00Z'), 'UTC', 1)[0].from
    ).toBe('2028-02-29 00:00')
    // 1 May 2027 is a Saturday: the freeze runs to the end of Monday 3 May.
    const first = rule('first business day of month')
    expect(
      nextFreezeWindows(first, at('2027-04-15T00:00:00Z'), 'UTC', 1)[0]
    ).toMatchObject({ from: '2027-05-01 00:00', to: '2027-05-03 24:00' })
    const year = rule('last 5 days of year')
    expect(
      nextFreezeWindows(year, at('2027-12-31T23:59:00Z'), 'UTC', 2).map(
        (w) => w.from
      )
    ).toEqual(['2027-12-27 00:00', '2028-12-27 00:00'])
  })

  it('freezes Friday afternoons in local time on both sides of a DST change', () => {
    const r = rule('every Fri 15:00-24:00')
    const zone = 'Europe/Berlin'
    // Winter (UTC+1): 15:00 local is 14:00Z.
    expect(freezeWindowAt(r, at('2026-12-04T13:59:00Z'), zone)).toBeUndefined()
    expect(freezeWindowAt(r, at('2026-12-04T14:00:00Z'), zone)).toBeDefined()
    expect(freezeWindowAt(r, at('2026-12-04T22:59:00Z'), zone)).toBeDefined()
    expect(freezeWindowAt(r, at('2026-12-04T23:00:00Z'), zone)).toBeUndefined()
    // Summer (UTC+2): 15:00 local is 13:00Z.
    expect(freezeWindowAt(r, at('2027-04-02T13:00:00Z'), zone)).toBeDefined()
    expect(freezeWindowAt(r, at('2027-04-02T12:59:00Z'), zone)).toBeUndefined()
    expect(nextFreezeWindows(r, at('2027-03-24T00:00:00Z'), zone, 2)).toEqual([
      {
        from: '2027-03-26 15:00',
        to: '2027-03-26 24:00',
        start: '2027-03-26T14:00:00.000Z',
        end: '2027-03-26T23:00:00.000Z'
      },
      {
        from: '2027-04-02 15:00',
        to: '2027-04-02 24:00',
        start: '2027-04-02T13:00:00.000Z',
        end: '2027-04-02T22:00:00.000Z'
      }
    ])
  })

  it('merges weekend days and runs overnight windows into the next day', () => {
    const weekend = rule('every Sat-Sun')
    expect(
      nextFreezeWindows(weekend, at('2026-12-02T00:00:00Z'), 'UTC', 2).map(
        (w) => [w.from, w.to]
      )
    ).toEqual([
      ['2026-12-05 00:00', '2026-12-06 24:00'],
      ['2026-12-12 00:00', '2026-12-13 24:00']
    ])
    const night = rule('every Fri 22:00-06:00')
    // Saturday 05:59 is still inside Friday's window.
    expect(
      freezeWindowAt(night, at('2026-12-05T05:59:00Z'), 'UTC')
    ).toMatchObject({ from: '2026-12-04 22:00', to: '2026-12-05 06:00' })
    expect(freezeWindowAt(night, at('2026-12-05T06:00:00Z'), 'UTC')).toBe(
      undefined
    )
  })

  it('covers both passes of a repeated hour and skips a missing one', () => {
    // Berlin, 25 Oct 2026: 03:00 CEST becomes 02:00 CET, 02:xx happens twice.
    const r = rule('every Sun 02:00-03:00')
    const zone = 'Europe/Berlin'
    expect(freezeWindowAt(r, at('2026-10-24T23:59:00Z'), zone)).toBeUndefined()
    expect(freezeWindowAt(r, at('2026-10-25T00:00:00Z'), zone)).toBeDefined()
    expect(freezeWindowAt(r, at('2026-10-25T01:59:00Z'), zone)).toBeDefined()
    expect(freezeWindowAt(r, at('2026-10-25T02:00:00Z'), zone)).toBeUndefined()
    expect(
      nextFreezeWindows(r, at('2026-10-24T12:00:00Z'), zone, 1)[0]
    ).toEqual({
      from: '2026-10-25 02:00',
      to: '2026-10-25 03:00',
      start: '2026-10-25T00:00:00.000Z',
      end: '2026-10-25T02:00:00.000Z'
    })
    // New York, 14 Mar 2027: 02:00 EST jumps to 03:00 EDT.
    const ny = 'America/New_York'
    expect(civilToInstant(civil('2027-03-14T01:59'), ny)).toBe(
      at('2027-03-14T06:59:00Z')
    )
    expect(civilToInstant(civil('2027-03-14T02:30'), ny)).toBe(
      at('2027-03-14T07:30:00Z')
    )
    expect(civilToInstant(civil('2027-03-14T03:00'), ny)).toBe(
      at('2027-03-14T07:00:00Z')
    )
    const sunday = rule('every Sun 01:00-03:00')
    expect(freezeWindowAt(sunday, at('2027-03-14T06:59:00Z'), ny)).toBeDefined()
    // 03:00 EDT: the window ended with the jump.
    expect(freezeWindowAt(sunday, at('2027-03-14T07:00:00Z'), ny)).toBe(
      undefined
    )
  })

  it('names the rule, the window and the local time when it refuses', () => {
    const rules = [
      rule('every Fri 15:00-24:00'),
      rule('last 3 business days of month')
    ]
    expect(
      checkFreezeRules(at('2027-01-28T09:00:00Z'), rules, 'Europe/Berlin')
    ).toEqual({
      open: false,
      reason:
        "inside freeze rule 'last 3 business days of month': 2027-01-27 00:00 to 2027-01-31 24:00 Europe/Berlin (now 2027-01-28 10:00)"
    })
    expect(
      checkFreezeRules(at('2027-01-26T09:00:00Z'), rules, 'Europe/Berlin')
    ).toEqual({ open: true })
  })
})
