/**
 * The rollout as it happens, one line per event, for GitHub's log and a
 * terminal. Every line starts with our own text, never with the output of a
 * user's command, so a line such as `::add-mask::` or `::error::` printed by a
 * deploy script is shown and not obeyed as a workflow command.
 */
import type {
  GateLabel,
  Reporter,
  RolloutEvent,
  RolloutResult
} from '../rollout/events.js'
import {
  findingLine,
  gateLabel,
  keyFindings,
  verdictParts
} from './markdown.js'
import { formatDuration } from '../kernel/format.js'
import type { Outcome } from '../kernel/verdict.js'

export interface ConsoleReporterOptions {
  /** ANSI colours for outcome words (GitHub's log shows them). */
  color?: boolean
  /** Event time between two progress lines of a bake (default 10 s). */
  progressEveryMs?: number
}

const PROGRESS_EVERY_MS = 10_000

const COLORS = {
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  red: '\u001b[31m',
  gray: '\u001b[90m',
  bold: '\u001b[1m',
  reset: '\u001b[0m'
} as const

type Color = Exclude<keyof typeof COLORS, 'reset'>

const OUTCOME_COLOR: Record<Outcome, Color> = {
  passed: 'green',
  warned: 'yellow',
  failed: 'red',
  inconclusive: 'yellow',
  skipped: 'gray',
  held: 'red'
}

const RESULT_COLOR: Record<RolloutResult, Color> = {
  promoted: 'green',
  passed: 'green',
  paused: 'yellow',
  failed: 'red',
  'rolled-back': 'red',
  held: 'red',
  'rollback-failed': 'red'
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_ALL = /[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/g

/**
 * One physical line: line breaks become spaces and control characters go,
 * except tab and ESC (colour codes are harmless in GitHub's log).
 */
function flat(s: string): string {
  // A command's output passes here line by line, so the common case (a
  // printable line) returns the string itself and allocates nothing.
  if (!UNPRINTABLE.test(s)) return s
  return s.replace(/\r\n|\r|\n/g, ' ').replace(UNPRINTABLE_ALL, '')
}
/** `1m / 15m` → `1m/15m`, `0.4% / 0.3%` → `0.4%/0.3%`. */
function compact(value: string): string {
  return value.replace(/\s*\/\s*/g, '/')
}

/** Bake clocks to the second: `0s`, `2m10s`. */
function seconds(ms: number): string {
  const rounded = Math.max(0, Math.round(ms / 1000) * 1000)
  return rounded === 0 ? '0s' : formatDuration(rounded)
}

interface PendingProgress {
  line: string
  at: number
}

/**
 * A Reporter that writes through `write(line)`. Progress lines of a bake are
 * throttled to one per `progressEveryMs` of event time (the events' `at`, so
 * a fake clock in tests and a real one in CI behave alike): the first is
 * shown at once, and the last is shown before the gate's verdict even when
 * it fell inside the quiet period.
 */
export function consoleReporter(
  write: (line: string) => void,
  opts: ConsoleReporterOptions = {}
): Reporter {
  const every = opts.progressEveryMs ?? PROGRESS_EVERY_MS
  const paint = (text: string, color: Color): string =>
    opts.color ? `${COLORS[color]}${text}${COLORS.reset}` : text
  const out = (line: string): void => write(flat(line))
  const label = (gate: GateLabel, step?: number): string =>
    opts.color ? paint(gateLabel(gate, step), 'bold') : gateLabel(gate, step)

  let lastShownAt: number | undefined
  let pending: PendingProgress | undefined
  const resetProgress = (): void => {
    lastShownAt = undefined
    pending = undefined
  }
  const flushProgress = (): void => {
    if (pending) out(pending.line)
    pending = undefined
  }

  const onEvent = (e: RolloutEvent): void => {
    switch (e.type) {
      case 'rollout-started': {
        const prev = e.previousVersion ? ` (from ${e.previousVersion})` : ''
        const gates = e.gates.length > 0 ? e.gates.join(', ') : 'none'
        out(
          `deploy-gates: ${e.service} ${e.version}${prev} → ${e.environment} · gates: ${gates}`
        )
        return
      }
      case 'gate-started':
        flushProgress()
        resetProgress()
        out(`${label(e.gate, e.step)} · started`)
        return
      case 'progress': {
        const total = seconds(e.elapsedMs + Math.max(0, e.remainingMs))
        const values = Object.entries(e.values).map(
          ([name, v]) => `${name} ${compact(v)}`
        )
        const line = [
          label(e.gate, e.step),
          `${seconds(e.elapsedMs)}/${total}`,
          ...values
        ].join(' · ')
        const due = lastShownAt === undefined || e.at - lastShownAt >= every
        if (due || e.remainingMs <= 0) {
          pending = undefined
          lastShownAt = e.at
          out(line)
        } else {
          pending = { line, at: e.at }
        }
        return
      }
      case 'log':
        // One write for a block of command output, each line made flat.
        write(e.lines.map((l) => flat(`${e.gate} | ${l}`)).join('\n'))
        return
      case 'gate-finished': {
        flushProgress()
        const r = e.report
        const took = formatDuration(Math.max(0, r.endedAt - r.startedAt))
        out(
          `${label(r.gate, r.step)} · ${paint(r.outcome, OUTCOME_COLOR[r.outcome])} in ${took}: ${r.reason}`
        )
        if (r.outcome !== 'passed' && r.outcome !== 'skipped') {
          for (const f of keyFindings(r)) {
            if (f.level !== 'ok') out(`  ${f.level}: ${findingLine(f)}`)
          }
        }
        resetProgress()
        return
      }
      case 'rollback-started':
        flushProgress()
        out(`rollback · ${paint('started', 'yellow')}: ${e.reason}`)
        return
      case 'rollback-finished': {
        const tries = `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}`
        const word = e.ok ? paint('done', 'green') : paint('FAILED', 'red')
        out(`rollback · ${word} after ${tries}: ${e.reason}`)
        return
      }
      case 'rollout-finished': {
        flushProgress()
        const r = e.report
        const v = verdictParts(r)
        const where = v.where ? ` at ${v.where}` : ''
        const took = formatDuration(Math.max(0, r.endedAt - r.startedAt))
        out(
          `result: ${paint(v.result, RESULT_COLOR[r.result])}${where}: ${v.reason} (${took})`
        )
        return
      }
    }
  }

  return {
    onEvent(e: RolloutEvent): void {
      try {
        onEvent(e)
      } catch {
        // A reporter must not throw; a broken write loses only this line.
      }
    }
  }
}
