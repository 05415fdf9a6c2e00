/**
 * Recurring freezes: `last 3 business days of month`, `first business day
 * of quarter`, `every Fri 15:00-24:00`. A checklist says "no deploys during
 * month-end close" once; listing every month-end by date goes stale, so a
 * rule is kept as written and turned into windows of local time on demand.
 *
 * Everything here is pure: an instant and an IANA zone in, windows out. Time
 * of day is reckoned in the zone's civil time (what a wall clock there
 * shows), so a rule means the same local hours on both sides of a DST change.
 */
import { fail, ok, type Result } from '../kernel/result.js'
import {
  parseAllowWindow,
  parseFreeze,
  type AllowWindow,
  type FreezePeriod,
  type WindowVerdict
} from './window.js'

export type FreezeRule =
  | { kind: 'weekly'; window: AllowWindow; text: string }
  | {
      kind: 'calendar'
      /** Counted from the start or the end of the period. */
      edge: 'first' | 'last'
      count: number
      /** Count Monday to Friday only. */
      business: boolean
      period: 'month' | 'quarter' | 'year'
      text: string
    }

/** One freeze entry as written: a dated period or a recurring rule. */
export type FreezeEntry =
  { kind: 'period'; period: FreezePeriod } | { kind: 'rule'; rule: FreezeRule }

/** One occurrence of a rule. */
export interface FreezeWindow {
  /** Local start in the rule's zone, `YYYY-MM-DD HH:MM`. */
  from: string
  /** Local end (exclusive); a midnight end reads `YYYY-MM-DD 24:00`. */
  to: string
  /** The same two instants in UTC, ISO 8601. */
  start: string
  end: string
}

const MINUTES_PER_DAY = 24 * 60
const CALENDAR =
  /^(first|last)\s+(?:(\d{1,3})\s+)?(business\s+)?days?\s+of\s+(?:the\s+|each\s+|every\s+)?(month|quarter|year)$/i

/**
 * Parses a recurring rule. Rules start with `every` (weekly, in the
 * allow-window syntax) or `first`/`last` (calendar).
 */
export function parseFreezeRule(text: string): Result<FreezeRule> {
  const s = text.trim().replace(/\s+/g, ' ')
  const usage = `invalid freeze rule '${text}' (use e.g. 'last 3 business days of month', 'first business day of quarter' or 'every Fri 15:00-24:00')`
  if (/^every /i.test(s)) {
    const w = parseAllowWindow(s.slice(6))
    return w.ok ? ok({ kind: 'weekly', window: w.value, text: s }) : fail(usage)
  }
  const m = CALENDAR.exec(s)
  if (!m) return fail(usage)
  const count = m[2] === undefined ? 1 : Number(m[2])
  const period = m[4].toLowerCase() as 'month' | 'quarter' | 'year'
  const most = { month: 31, quarter: 92, year: 366 }[period]
  if (count < 1 || count > most) {
    return fail(
      `invalid freeze rule '${text}': the count must be 1 to ${most} for a ${period}`
    )
  }
  return ok({
    kind: 'calendar',
    edge: m[1].toLowerCase() as 'first' | 'last',
    count,
    business: m[3] !== undefined,
    period,
    text: s
  })
}

/**
 * Parses a `freeze` entry: a date or date range as before, otherwise a
 * recurring rule. Old configs keep meaning what they meant.
 */
export function parseFreezeEntry(text: string): Result<FreezeEntry> {
  if (/^\s*\d/.test(text)) {
    const p = parseFreeze(text)
    return p.ok ? ok({ kind: 'period', period: p.value }) : p
  }
  const r = parseFreezeRule(text)
  return r.ok ? ok({ kind: 'rule', rule: r.value }) : r
}

/** Civil minutes since 1970-01-01 00:00 of the zone's wall clock. */
function civilMinutes(at: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric'
  }).formatToParts(new Date(at))
  const get = (t: string): number =>
    Number(parts.find((p) => p.type === t)?.value ?? 0)
  return (
    Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute')
    ) / 60_000
  )
}

/**
 * The instant a wall-clock time of the zone stands for. In a repeated hour
 * it is the first of the two; a time in a DST gap (which does not exist)
 * moves forward by the gap, as most calendars do.
 */
export function civilToInstant(civil: number, zone: string): number {
  const guess = civil * 60_000
  const offset = (t: number): number => civilMinutes(t, zone) * 60_000 - t
  // The offsets in force a day either side cover any one transition.
  const candidates = [
    ...new Set([offset(guess - 86_400_000), offset(guess + 86_400_000)])
  ]
    .map((o) => guess - o)
    .sort((a, b) => a - b)
  const exact = candidates.find((t) => civilMinutes(t, zone) === civil)
  if (exact !== undefined) return exact
  return candidates.find((t) => civilMinutes(t, zone) > civil) ?? guess
}

function dayStart(y: number, m: number, d = 1): number {
  return Date.UTC(y, m, d) / 60_000
}

function isBusinessDay(civilDay: number): boolean {
  const wd = new Date(civilDay * 60_000).getUTCDay()
  return wd >= 1 && wd <= 5
}

/** The period (month, quarter, year) `index` periods after the one of `civil`. */
function periodBounds(
  civil: number,
  period: 'month' | 'quarter' | 'year',
  index: number
): [number, number] {
  const d = new Date(civil * 60_000)
  const y = d.getUTCFullYear()
  const span = { month: 1, quarter: 3, year: 12 }[period]
  const m0 =
    period === 'year'
      ? 0
      : Math.floor(d.getUTCMonth() / span) * span + index * span
  const start = period === 'year' ? dayStart(y + index, 0) : dayStart(y, m0)
  const end =
    period === 'year' ? dayStart(y + index + 1, 0) : dayStart(y, m0 + span)
  return [start, end]
}

type CalendarRule = Extract<FreezeRule, { kind: 'calendar' }>

/**
 * A calendar rule's window in one period: from the start of the N-th last
 * (business) day to the period's end, or from the period's start to the end
 * of the N-th (business) day, so a month-end freeze also covers the weekend
 * that closes the month.
 */
function calendarWindow(
  rule: CalendarRule,
  [start, end]: [number, number]
): [number, number] {
  let counted = 0
  if (rule.edge === 'last') {
    for (
      let day = end - MINUTES_PER_DAY;
      day >= start;
      day -= MINUTES_PER_DAY
    ) {
      if (!rule.business || isBusinessDay(day)) counted++
      if (counted === rule.count) return [day, end]
    }
    return [start, end]
  }
  for (let day = start; day < end; day += MINUTES_PER_DAY) {
    if (!rule.business || isBusinessDay(day)) counted++
    if (counted === rule.count) return [start, day + MINUTES_PER_DAY]
  }
  return [start, end]
}

/** Weekly windows from the day before `civil` over `days` days, merged. */
function weeklyWindows(
  w: AllowWindow,
  civil: number,
  days: number
): Array<[number, number]> {
  const first = Math.floor(civil / MINUTES_PER_DAY) - 1
  const out: Array<[number, number]> = []
  for (let i = 0; i <= days; i++) {
    const day = (first + i) * MINUTES_PER_DAY
    if (!w.days.includes(new Date(day * 60_000).getUTCDay())) continue
    const from = day + w.from
    const to = w.to > w.from ? day + w.to : day + MINUTES_PER_DAY + w.to
    const last = out[out.length - 1]
    if (last && from <= last[1]) last[1] = Math.max(last[1], to)
    else out.push([from, to])
  }
  return out
}

function stamp(civil: number, end = false): string {
  const midnight = end && civil % MINUTES_PER_DAY === 0
  const iso = new Date((midnight ? civil - 1 : civil) * 60_000).toISOString()
  return `${iso.slice(0, 10)} ${midnight ? '24:00' : iso.slice(11, 16)}`
}

/** Civil [from, to) windows of the rule not ended at `civil`, in order. */
function civilWindows(
  rule: FreezeRule,
  civil: number,
  count: number
): Array<[number, number]> {
  let windows: Array<[number, number]> = []
  if (rule.kind === 'weekly') {
    windows = weeklyWindows(rule.window, civil, 7 * (count + 1) + 1)
  } else {
    for (let i = 0; i < count + 1; i++) {
      windows.push(calendarWindow(rule, periodBounds(civil, rule.period, i)))
    }
  }
  return windows.filter(([, to]) => to > civil).slice(0, count)
}

/**
 * The rule's windows that have not ended at `at`, in order, at most `count`
 * of them: the first is the one `at` is in, if any. `plan` shows these.
 */
export function nextFreezeWindows(
  rule: FreezeRule,
  at: number,
  zone: string,
  count: number
): FreezeWindow[] {
  return civilWindows(rule, civilMinutes(at, zone), count).map(
    ([from, to]) => ({
      from: stamp(from),
      to: stamp(to, true),
      start: new Date(civilToInstant(from, zone)).toISOString(),
      end: new Date(civilToInstant(to, zone)).toISOString()
    })
  )
}

/** The window of the rule that `at` is in, if any. */
export function freezeWindowAt(
  rule: FreezeRule,
  at: number,
  zone: string
): FreezeWindow | undefined {
  const civil = civilMinutes(at, zone)
  const [w] = civilWindows(rule, civil, 1)
  if (!w || w[0] > civil) return undefined
  return nextFreezeWindows(rule, at, zone, 1)[0]
}

/**
 * Whether any rule freezes `at`; the refusal names the rule and the window
 * it is in, so whoever reads it knows when to try again.
 */
export function checkFreezeRules(
  at: number,
  rules: FreezeRule[],
  zone: string
): WindowVerdict {
  for (const rule of rules) {
    const w = freezeWindowAt(rule, at, zone)
    if (w) {
      return {
        open: false,
        reason: `inside freeze rule '${rule.text}': ${w.from} to ${w.to} ${zone} (now ${stamp(civilMinutes(at, zone))})`
      }
    }
  }
  return { open: true }
}
