/**
 * The postmortem issue: after a rollback, a hold or a failed rollback, an
 * issue with the verdict, the failing numbers, the timeline and a checklist
 * for the people who own the follow-up. Opened once per commit, environment
 * and version: a hidden marker finds it again, so a re-run of the workflow
 * adds a comment to the same issue instead of opening a second one.
 */
import type { GitHub } from './client.js'
import { NO_RETRY } from './client.js'
import type { GitHubContext } from './context.js'
import type { Guard } from './guard.js'
import type {
  GateReport,
  Reporter,
  RolloutEvent,
  RolloutReport,
  RolloutResult
} from '../rollout/events.js'
import {
  codeSpan,
  escapeCell,
  escapeText,
  findingLine,
  formatN,
  gateLabel,
  renderMarkdown,
  safeUrl,
  verdictLine
} from '../report/markdown.js'
import { formatDuration } from '../kernel/format.js'
import type { Outcome } from '../kernel/verdict.js'

/** Results that open a postmortem (DESIGN.md §6: notify/postmortem fire). */
export const POSTMORTEM_RESULTS: readonly RolloutResult[] = [
  'rolled-back',
  'held',
  'rollback-failed'
]

export const POSTMORTEM_LABELS = ['deploy-gates', 'postmortem'] as const

/** GitHub's limits on an issue's body and title. */
const BODY_LIMIT = 65_536
const TITLE_CHARS = 256
/** The full report is attached only when at least this much room is left. */
const MIN_REPORT_CHARS = 2000
/** How much of each section is kept; later levels are for huge reports. */
interface Level {
  gates: number
  findings: number
  /** Timeline rows kept: the first and the last ones. */
  head: number
  tail: number
}

const LEVELS: readonly Level[] = [
  { gates: 10, findings: 20, head: 20, tail: 40 },
  { gates: 3, findings: 5, head: 5, tail: 15 },
  { gates: 1, findings: 3, head: 3, tail: 5 }
]
/** Pages of open issues (100 each) searched for the marker. */
const SEARCH_PAGES = 3
const SURFACE = 'postmortem issue'

const BAD: readonly Outcome[] = ['failed', 'held', 'inconclusive']

function part(s: string): string {
  return encodeURIComponent(s)
}

/** The hidden marker that identifies the postmortem of one rollout. */
export function postmortemMarker(
  sha: string,
  environment: string,
  version: string
): string {
  return `<!-- deploy-gates:postmortem sha=${part(sha)} environment=${part(environment)} version=${part(version)} -->`
}

function runMarker(runUrl: string): string {
  return `<!-- deploy-gates:postmortem-run ${part(runUrl)} -->`
}

/** `Rollout of v3.1.0 to staging rolled-back`. */
export function postmortemTitle(r: RolloutReport): string {
  const t = `Rollout of ${r.version} to ${r.environment} ${r.result}`.replace(
    /[\r\n]+/g,
    ' '
  )
  return t.length > TITLE_CHARS ? `${t.slice(0, TITLE_CHARS - 1)}…` : t
}

export interface PostmortemBodyOptions {
  marker: string
  runUrl?: string
  commitUrl?: string
  maxChars?: number
}

function stamp(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime())
    ? '?'
    : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function facts(r: RolloutReport, o: PostmortemBodyOptions): string[] {
  const rows = [
    '| | |',
    '| --- | --- |',
    `| service | ${escapeCell(r.service)} |`,
    `| environment | ${escapeCell(r.environment)} |`,
    `| version | ${codeSpan(r.version)}${r.previousVersion ? ` (previous ${codeSpan(r.previousVersion)})` : ''} |`
  ]
  if (r.sha) {
    const short = codeSpan(r.sha.slice(0, 7))
    rows.push(
      `| commit | ${o.commitUrl ? `[${short}](${safeUrl(o.commitUrl)})` : short} |`
    )
  }
  if (o.runUrl) rows.push(`| run | [workflow run](${safeUrl(o.runUrl)}) |`)
  rows.push(
    `| started | ${stamp(r.startedAt)} |`,
    `| ended | ${stamp(r.endedAt)} (took ${formatDuration(Math.max(0, r.endedAt - r.startedAt))}) |`
  )
  return rows
}

function dash(s: string | undefined): string {
  return s === undefined || s === '' ? '–' : escapeCell(s, 100)
}

function failing(r: RolloutReport): GateReport[] {
  return r.gates.filter((g) => BAD.includes(g.outcome))
}

function whatFailed(r: RolloutReport, level: Level): string[] {
  const gates = failing(r)
  if (gates.length === 0) return [escapeText(r.reason)]
  const out: string[] = []
  // The gate the verdict points at first, then the others in order.
  const failed = gates.filter((g) => g.gate === r.failedGate).reverse()
  const ordered = [...failed, ...gates.filter((g) => !failed.includes(g))]
  for (const g of ordered.slice(0, level.gates)) {
    out.push(
      `**${escapeText(gateLabel(g.gate, g.step), 100)}** ${g.outcome}: ${escapeText(g.reason)}`,
      ''
    )
    const bad = g.findings.filter((f) => f.level !== 'ok')
    if (bad.length === 0) continue
    out.push(
      '| check | level | value | baseline | condition | n | reason |',
      '| --- | --- | --- | --- | --- | --- | --- |'
    )
    for (const f of bad.slice(0, level.findings)) {
      out.push(
        `| ${escapeCell(f.name, 100)} | ${f.level} | ${dash(f.value)} | ${dash(f.baseline)} | ${dash(f.condition)} | ${f.n ? formatN(f.n).slice(2) : '–'} | ${escapeCell(findingLine(f))} |`
      )
    }
    if (bad.length > level.findings) {
      out.push(`| … | | | | | | ${bad.length - level.findings} more |`)
    }
    out.push('')
  }
  if (ordered.length > level.gates) {
    out.push(
      `${ordered.length - level.gates} more failing gate(s) in the full report.`,
      ''
    )
  }
  while (out.at(-1) === '') out.pop()
  return out
}

function rollbackSection(r: RolloutReport): string {
  const rb = r.rollback
  if (!rb) {
    return r.result === 'held'
      ? `Held: nothing was reverted, and ${codeSpan(r.version)} may still be live. Decide by hand whether to roll forward or back.`
      : 'No rollback ran.'
  }
  const tries = `${rb.attempts} attempt${rb.attempts === 1 ? '' : 's'}`
  const to = rb.target ? ` to ${codeSpan(rb.target)}` : ''
  return rb.ok
    ? `Rolled back${to} after ${tries}: ${escapeText(rb.reason)}`
    : `Rollback${to} **failed** after ${tries}: ${escapeText(rb.reason)}. The environment needs a person now.`
}

function sinceStart(from: number, to: number): string {
  const ms = Math.max(0, Math.round((to - from) / 1000) * 1000)
  return ms === 0 ? '0s' : formatDuration(ms)
}

function timeline(
  r: RolloutReport,
  level: Pick<Level, 'head' | 'tail'> = LEVELS[0]
): string[] {
  if (r.timeline.length === 0) return ['No events were recorded.']
  const row = (t: { at: number; text: string }): string =>
    `| ${stamp(t.at).slice(11, 16)} | +${sinceStart(r.startedAt, t.at)} | ${escapeCell(t.text)} |`
  const rows = ['| time (UTC) | since start | event |', '| --- | --- | --- |']
  const all = r.timeline
  if (all.length <= level.head + level.tail) return [...rows, ...all.map(row)]
  return [
    ...rows,
    ...all.slice(0, level.head).map(row),
    `| … | … | ${all.length - level.head - level.tail} entries left out (see the full report or the run) |`,
    ...all.slice(-level.tail).map(row)
  ]
}

function checklist(r: RolloutReport): string[] {
  const live =
    r.result === 'rolled-back' && r.rollback?.target
      ? codeSpan(r.rollback.target)
      : r.result === 'rolled-back' && r.previousVersion
        ? codeSpan(r.previousVersion)
        : 'the expected version'
  return [
    '### Root cause',
    '',
    '- [ ] What broke, and why (link the fix, the incident or the logs)',
    '- [ ] Why it was caught at this gate and not earlier',
    '',
    '### Actions',
    '',
    `- [ ] ${escapeText(r.environment, 100)} verified to run ${live}`,
    '- [ ] Fix merged and rolled out again',
    '- [ ] Gates, thresholds or bake times adjusted if the failure was noise or came late',
    '- [ ] Follow-up issues linked, then this issue closed'
  ]
}

/**
 * The issue body. Pure, and under GitHub's limit: the full report goes in
 * a collapsed section only with the room that is left.
 */
export function postmortemBody(
  r: RolloutReport,
  o: PostmortemBodyOptions
): string {
  const max = Math.min(o.maxChars ?? BODY_LIMIT - 536, BODY_LIMIT - 536)
  const shell =
    '\n\n<details>\n<summary>Full report</summary>\n\n\n\n</details>\n'
  const compose = (level: Level): string =>
    [
      o.marker,
      `## Rollout of ${codeSpan(r.version)} to ${escapeText(r.environment, 100)}: ${r.result}`,
      '',
      verdictLine(r),
      '',
      ...facts(r, o),
      '',
      '### What failed',
      '',
      ...whatFailed(r, level),
      '',
      '### Rollback',
      '',
      rollbackSection(r),
      '',
      '### Timeline',
      '',
      ...timeline(r, level),
      '',
      ...checklist(r)
    ].join('\n')
  let head = compose(LEVELS[0])
  for (const level of LEVELS.slice(1)) {
    if (head.length + shell.length + MIN_REPORT_CHARS <= max) break
    head = compose(level)
  }
  const room = max - head.length - shell.length
  if (room < MIN_REPORT_CHARS) {
    return head.length < max ? `${head}\n` : `${head.slice(0, max - 1)}\n`
  }
  const full = renderMarkdown(r, {
    maxChars: room,
    ...(o.runUrl ? { runUrl: o.runUrl } : {})
  }).trimEnd()
  return `${head}\n\n<details>\n<summary>Full report</summary>\n\n${full}\n\n</details>\n`
}

export interface PostmortemOptions {
  gh: GitHub
  context: GitHubContext
  guard: Guard
  /** `report.postmortem` of the config. */
  enabled: boolean
  /** Masks secrets in the title and body (the report is already redacted). */
  redact?: (text: string) => string
}

/** Reporter that opens (or finds) the postmortem issue when a rollout ends badly. */
export class PostmortemReporter implements Reporter {
  constructor(private readonly o: PostmortemOptions) {}

  async onEvent(e: RolloutEvent): Promise<void> {
    if (e.type !== 'rollout-finished' || !this.o.enabled) return
    if (!POSTMORTEM_RESULTS.includes(e.report.result)) return
    await this.open(e.report)
  }

  private get repo(): { owner: string; repo: string } {
    return { owner: this.o.context.owner, repo: this.o.context.repo }
  }

  private clean(s: string): string {
    return this.o.redact ? this.o.redact(s) : s
  }

  /**
   * Opens the issue, or comments on the one an earlier attempt opened.
   * Returns the issue number, or undefined when GitHub could not be used.
   */
  async open(report: RolloutReport): Promise<number | undefined> {
    const marker = postmortemMarker(
      report.sha,
      report.environment,
      report.version
    )
    const runUrl = this.o.context.runUrl
    const existing = await this.find(marker)
    // Unknown (the list failed): writing could duplicate, so write nothing.
    if (existing === null) return undefined
    if (existing !== undefined) {
      if (runUrl) await this.commentOnce(existing, report, runUrl)
      return existing.number
    }
    const { serverUrl, owner, repo } = this.o.context
    const body = postmortemBody(report, {
      marker,
      ...(runUrl ? { runUrl } : {}),
      ...(report.sha
        ? { commitUrl: `${serverUrl}/${owner}/${repo}/commit/${report.sha}` }
        : {})
    })
    const res = await this.o.guard.run(SURFACE, 'issues: write', () =>
      this.o.gh.rest.issues.create({
        ...this.repo,
        title: this.clean(postmortemTitle(report)),
        body: this.clean(body),
        labels: [...POSTMORTEM_LABELS],
        ...NO_RETRY
      })
    )
    return res?.data.number
  }

  /**
   * The open issue with our marker, undefined when there is none, or null
   * when the issues could not be listed.
   */
  private async find(
    marker: string
  ): Promise<{ number: number; body: string } | undefined | null> {
    for (let page = 1; page <= SEARCH_PAGES; page++) {
      const res = await this.o.guard.run(SURFACE, 'issues: write', () =>
        this.o.gh.rest.issues.listForRepo({
          ...this.repo,
          state: 'open',
          labels: POSTMORTEM_LABELS[0],
          sort: 'created',
          direction: 'desc',
          per_page: 100,
          page
        })
      )
      if (!res) return null
      const hit = res.data.find(
        (i) => !i.pull_request && (i.body ?? '').includes(marker)
      )
      if (hit) return { number: hit.number, body: hit.body ?? '' }
      if (res.data.length < 100) return undefined
    }
    return undefined
  }

  /** One comment per workflow run attempt that ends badly again. */
  private async commentOnce(
    issue: { number: number; body: string },
    report: RolloutReport,
    runUrl: string
  ): Promise<void> {
    const mark = runMarker(runUrl)
    if (
      issue.body.includes(`(${safeUrl(runUrl)})`) ||
      issue.body.includes(mark)
    ) {
      return
    }
    for (let page = 1; page <= SEARCH_PAGES; page++) {
      const res = await this.o.guard.run(SURFACE, 'issues: write', () =>
        this.o.gh.rest.issues.listComments({
          ...this.repo,
          issue_number: issue.number,
          per_page: 100,
          page
        })
      )
      if (!res) return
      if (res.data.some((c) => (c.body ?? '').includes(mark))) return
      if (res.data.length < 100) break
    }
    const body = [
      mark,
      `Again in [this run](${safeUrl(runUrl)}): ${verdictLine(report)}`,
      '',
      ...timeline(report)
    ].join('\n')
    await this.o.guard.run(SURFACE, 'issues: write', () =>
      this.o.gh.rest.issues.createComment({
        ...this.repo,
        issue_number: issue.number,
        body: this.clean(body).slice(0, BODY_LIMIT - 536),
        ...NO_RETRY
      })
    )
  }
}
