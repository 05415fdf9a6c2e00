/**
 * The rollout report as GitHub markdown: the body of the sticky PR comment,
 * the check run and the job summary. Pure and size-capped: GitHub rejects
 * bodies over 65,536 characters, so the report degrades in stages (log tails,
 * then gate details, then the timeline) and says what it left out, and it is
 * cut only between blocks, never inside a fenced block or a table row.
 */
import type { GateLabel, GateReport, RolloutReport } from '../rollout/events.js'
import { reportCharts } from './mermaid.js'
import { formatDuration } from '../kernel/format.js'
import type { Finding, Outcome } from '../kernel/verdict.js'

export interface MarkdownOptions {
  /** Hard limit of the body (default 65,000, under GitHub's 65,536). */
  maxChars?: number
  /** Link to the workflow run, for the full logs. */
  runUrl?: string
  /** First line, e.g. a hidden `<!-- deploy-gates:staging -->` to upsert by. */
  marker?: string
}

export const DEFAULT_MAX_CHARS = 65_000

/** Longest text kept in one table cell or summary. */
const CELL_CHARS = 300
/** Longest one-line reason kept in a paragraph. */
const LINE_CHARS = 1000
/** Key findings shown per gate in the gates table. */
const KEY_FINDINGS = 3
/** Log lines kept per gate once tails have to shrink. */
const SHORT_TAIL = 30

// ---------------------------------------------------------------------------
// Escaping

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ')
}

/**
 * Text in a paragraph: one line, no raw HTML (a stray `</details>` in a
 * reason must not close our sections), no @-mentions.
 */
export function escapeText(s: string, max = LINE_CHARS): string {
  return (
    clip(oneLine(s), max)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      // `@org/team` in a command's output must not notify a team.
      .replace(/(^|[^\w@])@(?=\w)/g, '$1@\u200b')
  )
}

/** Text in a table cell: escapeText plus escaped pipes, so a row stays a row. */
export function escapeCell(s: string, max = CELL_CHARS): string {
  return escapeText(s, max).replace(/\|/g, '\\|')
}

/**
 * An inline code span that survives any content: the fence is one backtick
 * longer than the longest run inside, padded when the text touches it.
 */
export function codeSpan(s: string, max = CELL_CHARS): string {
  const text = clip(oneLine(s), max)
  const runs = text.match(/`+/g) ?? []
  const ticks = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${ticks}${pad}${text}${pad}${ticks}`
}

/** A fenced block whose fence no line of the content can close. */
export function fencedBlock(lines: readonly string[], lang = ''): string {
  const runs = lines.join('\n').match(/`{3,}/g) ?? []
  const fence = '`'.repeat(Math.max(2, ...runs.map((r) => r.length)) + 1)
  return [`${fence}${lang}`, ...lines.map(oneLine), fence].join('\n')
}

// ---------------------------------------------------------------------------
// Wording shared with the console reporter

/** `canary 25%`, `deploy`. */
export function gateLabel(gate: GateLabel, step?: number): string {
  return step === undefined ? gate : `${gate} ${step}%`
}

const thousands = new Intl.NumberFormat('en-US')

/** `n=1,204/1,198` (canary/baseline) or `n=100`. */
export function formatN(n: NonNullable<Finding['n']>): string {
  const c = thousands.format(n.canary)
  return n.baseline === undefined
    ? `n=${c}`
    : `n=${c}/${thousands.format(n.baseline)}`
}

const SEVERITY: Record<Finding['level'], number> = {
  fail: 0,
  error: 1,
  'no-data': 2,
  warn: 3,
  ok: 4
}

/** A finding's one line, with its sample count when the reason lacks it. */
export function findingLine(f: Finding): string {
  if (f.n && !/\bn=/.test(f.reason)) return `${f.reason}, ${formatN(f.n)}`
  return f.reason
}

/** The findings that explain a gate, worst first. */
export function keyFindings(g: GateReport, max = KEY_FINDINGS): Finding[] {
  return [...g.findings]
    .sort((a, b) => SEVERITY[a.level] - SEVERITY[b.level])
    .slice(0, max)
}

/** The gate report a rollout's verdict points at. */
export function failedGateReport(r: RolloutReport): GateReport | undefined {
  if (r.failedGate === undefined) return undefined
  const bad: Outcome[] = ['failed', 'held', 'inconclusive']
  const same = r.gates.filter((g) => g.gate === r.failedGate)
  return [...same].reverse().find((g) => bad.includes(g.outcome)) ?? same.at(-1)
}

/** `rolled-back at canary 25%: error-rate 7.0% > 5%, n=100` (unformatted). */
export function verdictParts(r: RolloutReport): {
  result: string
  where: string
  reason: string
} {
  const g = failedGateReport(r)
  const where =
    r.failedGate === undefined ? '' : gateLabel(r.failedGate, g?.step)
  return { result: r.result, where, reason: r.reason }
}

// ---------------------------------------------------------------------------
// Sections

interface Level {
  tails: 'all' | 'failing' | 'none'
  details: boolean
  /** Timeline entries kept (the first few and the last ones). */
  timeline: number
  chart: boolean
}

function utcTime(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? '?' : d.toISOString().slice(11, 19)
}

function utcStamp(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime())
    ? '?'
    : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function took(from: number, to: number): string {
  return formatDuration(Math.max(0, to - from))
}

/** Timeline offsets to the second: `+0s`, `+42s`, `+6m47s`. */
function sinceStart(from: number, to: number): string {
  const ms = Math.max(0, Math.round((to - from) / 1000) * 1000)
  return ms === 0 ? '0s' : formatDuration(ms)
}

/** A URL safe inside markdown link syntax. */
export function safeUrl(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => encodeURIComponent(c))
}

/** `**rolled-back** at canary 25%: reason`, the one-line verdict. */
export function verdictLine(r: RolloutReport): string {
  const v = verdictParts(r)
  const where = v.where ? ` at ${escapeText(v.where, 100)}` : ''
  return `**${v.result}**${where}: ${escapeText(v.reason)}`
}

function metaLine(r: RolloutReport, opts: MarkdownOptions): string {
  const parts = [`version ${codeSpan(r.version)}`]
  if (r.previousVersion) parts.push(`previous ${codeSpan(r.previousVersion)}`)
  if (r.sha) parts.push(`commit ${codeSpan(r.sha.slice(0, 7))}`)
  parts.push(`started ${utcStamp(r.startedAt)}`)
  parts.push(`took ${took(r.startedAt, r.endedAt)}`)
  if (opts.runUrl) parts.push(`[workflow run](${safeUrl(opts.runUrl)})`)
  return parts.join(' · ')
}

function keyCell(g: GateReport): string {
  if (g.findings.length === 0) return escapeCell(g.reason)
  const shown = keyFindings(g)
  const more = g.findings.length - shown.length
  const text = shown.map(findingLine).join('; ')
  return escapeCell(text, CELL_CHARS * 2) + (more > 0 ? `; +${more} more` : '')
}

function gatesTable(r: RolloutReport): string[] {
  const rows = [
    '| gate | step | outcome | duration | key findings |',
    '| --- | --- | --- | --- | --- |'
  ]
  for (const g of r.gates) {
    const outcome =
      g.outcome === 'failed' || g.outcome === 'held'
        ? `**${g.outcome}**`
        : g.outcome
    rows.push(
      `| ${g.gate} | ${g.step === undefined ? '–' : `${g.step}%`} | ${outcome} | ${took(g.startedAt, g.endedAt)} | ${keyCell(g)} |`
    )
  }
  if (r.gates.length === 0) rows.push('| – | – | – | – | no gate ran |')
  return rows
}

function tailFor(g: GateReport, mode: Level['tails']): string[] {
  const tail = g.logTail ?? []
  if (tail.length === 0 || mode === 'none') return []
  if (mode === 'all') return tail
  if (g.outcome === 'passed' || g.outcome === 'skipped') return []
  return tail.slice(-SHORT_TAIL)
}

function details(g: GateReport, level: Level): string | undefined {
  const tail = tailFor(g, level.tails)
  if (g.findings.length === 0 && tail.length === 0) return undefined
  const out = [
    '<details>',
    `<summary>${escapeText(gateLabel(g.gate, g.step), 100)}: ${g.outcome}, ${escapeText(g.reason, CELL_CHARS)}</summary>`,
    ''
  ]
  // Measured findings in a table; checks that only have a reason as a list.
  const measured = g.findings.filter(
    (f) => f.value !== undefined || f.condition !== undefined
  )
  const listed = g.findings.filter(
    (f) => f.level !== 'ok' || !measured.includes(f)
  )
  if (measured.length > 0) {
    out.push(
      '| check | level | value | baseline | condition | n | detectable |',
      '| --- | --- | --- | --- | --- | --- | --- |'
    )
    const dash = (s: string | undefined): string =>
      s === undefined || s === '' ? '–' : escapeCell(s, 100)
    for (const f of measured) {
      out.push(
        `| ${escapeCell(f.name, 100)} | ${f.level} | ${dash(f.value)} | ${dash(f.baseline)} | ${dash(f.condition)} | ${f.n ? formatN(f.n).slice(2) : '–'} | ${dash(f.detectable)} |`
      )
    }
    out.push('')
  }
  if (listed.length > 0) {
    for (const f of listed) {
      out.push(
        `- ${escapeText(f.name, 100)} (${f.level}): ${escapeText(findingLine(f))}`
      )
    }
    out.push('')
  }
  if (tail.length > 0) {
    const total = g.logTail?.length ?? 0
    const shown =
      tail.length < total
        ? `last ${tail.length} of ${total} lines`
        : 'last lines'
    out.push(`Output (${shown}):`, '', fencedBlock(tail, 'text'), '')
  }
  out.push('</details>')
  return out.join('\n')
}

function rollbackLine(r: RolloutReport): string | undefined {
  const rb = r.rollback
  if (!rb) return undefined
  const tries = `${rb.attempts} attempt${rb.attempts === 1 ? '' : 's'}`
  const to = rb.target ? ` to ${codeSpan(rb.target)}` : ''
  return rb.ok
    ? `Rolled back${to} after ${tries}: ${escapeText(rb.reason)}`
    : `Rollback${to} **failed** after ${tries}: ${escapeText(rb.reason)}`
}

function timelineRows(r: RolloutReport, keep: number): string[] {
  const all = r.timeline
  if (all.length === 0 || keep <= 0) return []
  const row = (t: { at: number; text: string }): string =>
    `| ${utcTime(t.at)} | +${sinceStart(r.startedAt, t.at)} | ${escapeCell(t.text)} |`
  const rows = ['| time (UTC) | since start | event |', '| --- | --- | --- |']
  if (keep >= all.length) return [...rows, ...all.map(row)]
  const head = Math.min(3, Math.floor(keep / 2))
  const tail = keep - head
  return [
    ...rows,
    ...all.slice(0, head).map(row),
    `| … | … | ${all.length - keep} entries left out |`,
    ...all.slice(all.length - tail).map(row)
  ]
}

// ---------------------------------------------------------------------------
// Assembly

/** Blocks are cut only between each other; each is one or more whole lines. */
function compose(
  r: RolloutReport,
  opts: MarkdownOptions,
  level: Level,
  note: string | undefined
): string[] {
  const blocks: string[] = []
  if (opts.marker) blocks.push(opts.marker)
  blocks.push(
    `### deploy-gates: ${escapeText(r.service, 100)} → ${escapeText(r.environment, 100)}`,
    '',
    verdictLine(r),
    '',
    metaLine(r, opts),
    ''
  )
  if (note) blocks.push(note, '')
  blocks.push(...gatesTable(r), '')
  const chart = level.chart ? reportCharts(r) : ''
  if (chart) blocks.push('#### Charts', '', chart, '')
  if (level.details) {
    const sections = r.gates
      .map((g) => details(g, level))
      .filter((d): d is string => d !== undefined)
    if (sections.length > 0) {
      blocks.push('#### Details', '')
      for (const d of sections) blocks.push(d, '')
    }
  }
  const rb = rollbackLine(r)
  if (rb) blocks.push('#### Rollback', '', rb, '')
  const timeline = timelineRows(r, level.timeline)
  if (timeline.length > 0) blocks.push('#### Timeline', '', ...timeline, '')
  return blocks
}

/** The body as it will be returned: trailing blank blocks dropped, one final newline. */
function finish(blocks: readonly string[]): string {
  let end = blocks.length
  while (end > 0 && blocks[end - 1] === '') end--
  return `${blocks.slice(0, end).join('\n')}\n`
}

function size(blocks: readonly string[]): number {
  return finish(blocks).length
}

function shortenedNote(
  dropped: string[],
  opts: MarkdownOptions,
  max: number
): string {
  const where = opts.runUrl
    ? `see the [workflow run](${safeUrl(opts.runUrl)}) for everything`
    : 'the run log and the JSON report have everything'
  return `> **Shortened** to stay under ${thousands.format(max)} characters: left out ${dropped.join(', ')}; ${where}.`
}

function droppedBy(r: RolloutReport, level: Level): string[] {
  const out: string[] = []
  const hasTail = r.gates.some((g) => (g.logTail ?? []).length > 0)
  if (level.tails === 'failing' && hasTail) {
    out.push('older log lines and the log tails of passing gates')
  }
  if (level.tails === 'none' && hasTail) out.push('log tails')
  if (!level.details) out.push('gate details')
  if (level.timeline < r.timeline.length) {
    out.push(
      `${r.timeline.length - Math.max(0, level.timeline)} timeline entries`
    )
  }
  if (!level.chart && reportCharts(r) !== '') out.push('the charts')
  return out
}

/**
 * The report body. The verdict line comes first and always survives: when
 * space runs out, log tails go first (passing gates' before the failing
 * one's), then the per-gate details, then the middle of the timeline, then
 * the chart, and a note says what was left out.
 */
export function renderMarkdown(
  report: RolloutReport,
  opts: MarkdownOptions = {}
): string {
  const max = opts.maxChars ?? DEFAULT_MAX_CHARS
  const attempt = (level: Level): string[] => {
    const dropped = droppedBy(report, level)
    const note =
      dropped.length > 0 ? shortenedNote(dropped, opts, max) : undefined
    return compose(report, opts, level, note)
  }
  const all = report.timeline.length
  const stages: Level[] = [
    { tails: 'all', details: true, timeline: all, chart: true },
    { tails: 'failing', details: true, timeline: all, chart: true },
    { tails: 'none', details: true, timeline: all, chart: true },
    { tails: 'none', details: false, timeline: all, chart: true }
  ]
  for (const level of stages) {
    const blocks = attempt(level)
    if (size(blocks) <= max) return finish(blocks)
  }
  // Keep as much of the timeline as fits: its first and last entries.
  const base: Level = {
    tails: 'none',
    details: false,
    timeline: 0,
    chart: true
  }
  for (const chart of [true, false]) {
    const at = (keep: number): string[] =>
      attempt({ ...base, chart, timeline: keep })
    if (size(at(0)) <= max) {
      let lo = 0
      let hi = all
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2)
        if (size(at(mid)) <= max) lo = mid
        else hi = mid - 1
      }
      return finish(at(lo))
    }
  }
  // Pathologically small limit: whole blocks from the top, then the note.
  const last: Level = { ...base, chart: false }
  const note = shortenedNote(
    [...droppedBy(report, last), 'the rest of the report'],
    opts,
    max
  )
  const kept: string[] = []
  for (const b of compose(report, opts, last, undefined)) {
    if (size([...kept, b, '', note]) > max) break
    kept.push(b)
  }
  const out = finish([...kept, '', note])
  return out.length <= max ? out : out.slice(0, max)
}
