/**
 * Deploy windows (`Tue-Thu 10:00-14:00`) and freeze periods
 * (`2026-12-20/2027-01-02`), parsed at load time so a malformed window fails
 * validation instead of silently allowing a Friday-evening deploy.
 */
import type { Result } from '../kernel/result.js'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

export interface AllowWindow {
  /** Days of the week allowed, 0 = Sunday. */
  days: number[]
  /**
   * Minutes after midnight, start inclusive, end exclusive. When `to` is
   * before `from` the window runs overnight into the next day.
   */
  from: number
  to: number
  text: string
}

export interface FreezePeriod {
  /** Calendar dates or date-times as written; inclusive of the end date. */
  from: string
  to: string
  text: string
}

function parseDays(spec: string): number[] | undefined {
  const days = new Set<number>()
  for (const piece of spec.split(',')) {
    const [a, b] = piece.split('-')
    const ia = DAYS.indexOf(a)
    if (ia < 0) return undefined
    if (b === undefined) {
      days.add(ia)
      continue
    }
    const ib = DAYS.indexOf(b)
    if (ib < 0) return undefined
    for (let d = ia; ; d = (d + 1) % 7) {
      days.add(d)
      if (d === ib) break
    }
  }
  return [...days].sort()
}

function parseClock(s: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s)
  if (!m) return undefined
  const minutes = Number(m[1]) * 60 + Number(m[2])
  return minutes <= 24 * 60 ? minutes : undefined
}

/** `Tue-Thu 10:00-14:00`, `Mon,Wed 09:00-17:00`, `Mon-Fri` or `10:00-14:00`. */
export function parseAllowWindow(text: string): Result<AllowWindow> {
  const usage = `invalid window '${text}' (use e.g. 'Tue-Thu 10:00-14:00', 'Mon-Fri' or '09:00-17:00')`
  const words = text.trim().split(/\s+/)
  if (words.length === 0 || words.length > 2) return { ok: false, error: usage }
  let days = [0, 1, 2, 3, 4, 5, 6]
  let hours = '00:00-24:00'
  if (words.length === 2) {
    const d = parseDays(words[0])
    if (!d) return { ok: false, error: usage }
    days = d
    hours = words[1]
  } else if (/^[A-Z]/.test(words[0])) {
    const d = parseDays(words[0])
    if (!d) return { ok: false, error: usage }
    days = d
  } else {
    hours = words[0]
  }
  const [a, b] = hours.split('-')
  const from = parseClock(a ?? '')
  const to = parseClock(b ?? '')
  if (from === undefined || to === undefined || from === to) {
    return { ok: false, error: usage }
  }
  return { ok: true, value: { days, from, to, text } }
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/

/**
 * `2026-12-20/2027-01-02`, both ends inclusive, in the window's time zone;
 * a single date freezes that one day.
 */
export function parseFreeze(text: string): Result<FreezePeriod> {
  const usage = `invalid freeze period '${text}' (use e.g. '2026-12-20/2027-01-02' or '2026-12-25')`
  const parts = text.trim().split('/')
  const [from, to, extra] = parts.length === 1 ? [parts[0], parts[0]] : parts
  if (!from || !to || extra !== undefined) return { ok: false, error: usage }
  if (!DATE.test(from) || !DATE.test(to)) return { ok: false, error: usage }
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    return { ok: false, error: usage }
  }
  if (to < from) {
    return { ok: false, error: `freeze period '${text}' ends before it starts` }
  }
  return { ok: true, value: { from, to, text } }
}

/** True when the name is a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

interface LocalTime {
  day: number
  minutes: number
  /** `YYYY-MM-DDTHH:MM` in the zone, comparable as text. */
  stamp: string
}

function localTime(at: Date, zone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit'
  }).formatToParts(at)
  const get = (t: string): string =>
    parts.find((p) => p.type === t)?.value ?? ''
  const hour = Number(get('hour'))
  const minute = Number(get('minute'))
  return {
    day: DAYS.indexOf(get('weekday')),
    minutes: hour * 60 + minute,
    stamp: `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`
  }
}

export type WindowVerdict = { open: true } | { open: false; reason: string }

/**
 * Whether a rollout may start now: inside an allow window (when any are
 * given) and outside every freeze period.
 */
export function checkWindow(
  at: Date,
  spec: { allow: AllowWindow[]; freeze: FreezePeriod[]; timezone: string }
): WindowVerdict {
  const t = localTime(at, spec.timezone)
  for (const f of spec.freeze) {
    const end = f.to.length === 10 ? `${f.to}T23:59` : f.to.slice(0, 16)
    const start = f.from.length === 10 ? `${f.from}T00:00` : f.from.slice(0, 16)
    if (t.stamp >= start && t.stamp <= end) {
      return {
        open: false,
        reason: `inside freeze period '${f.text}' (${t.stamp.replace('T', ' ')} ${spec.timezone})`
      }
    }
  }
  if (spec.allow.length === 0) return { open: true }
  const inside = spec.allow.some((w) => {
    if (w.from < w.to) {
      return w.days.includes(t.day) && t.minutes >= w.from && t.minutes < w.to
    }
    // Overnight: the evening of a listed day, or the morning after it.
    const yesterday = (t.day + 6) % 7
    return (
      (w.days.includes(t.day) && t.minutes >= w.from) ||
      (w.days.includes(yesterday) && t.minutes < w.to)
    )
  })
  if (inside) return { open: true }
  return {
    open: false,
    reason: `outside the deploy windows ${spec.allow.map((w) => `'${w.text}'`).join(', ')} (now ${DAYS[t.day]} ${t.stamp.slice(11)} ${spec.timezone})`
  }
}
