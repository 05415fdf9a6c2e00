/**
 * What a notification says, as pure data: a Slack incoming-webhook message
 * and a generic webhook document, both built from the rollout report. The
 * person paged at night reads one line first, so the verdict with its
 * numbers leads, then the gate, the versions and the way to the run.
 */
import { mapStrings } from '../config/interpolate.js'
import type {
  GateLabel,
  RolloutReport,
  RolloutResult
} from '../rollout/events.js'
import {
  failedGateReport,
  findingLine,
  keyFindings,
  verdictParts
} from '../report/markdown.js'
import { formatDuration } from '../kernel/format.js'
import type { Finding, Outcome } from '../kernel/verdict.js'

/** Slack's limits: header text, a section's text, a field, a message. */
const HEADER_CHARS = 150
const SECTION_CHARS = 3000
const FIELD_CHARS = 2000
const TEXT_CHARS = 3000
/** Findings listed in the Slack message. */
const SLACK_FINDINGS = 5

export interface SlackText {
  type: 'mrkdwn' | 'plain_text'
  text: string
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }

/** The body of a Slack incoming-webhook POST. */
export interface SlackMessage {
  /** Fallback for notifications and clients that do not render blocks. */
  text: string
  blocks: SlackBlock[]
}

/** The generic webhook's document (stable keys; absent values are null). */
export interface WebhookDocument {
  event: 'deploy-gates.rollout'
  result: RolloutResult
  service: string
  environment: string
  version: string
  previousVersion: string | null
  sha: string
  failedGate: GateLabel | null
  /** The failed canary step's weight. */
  failedStep: number | null
  reason: string
  runUrl: string | null
  /** ISO 8601. */
  startedAt: string
  endedAt: string
  gates: {
    gate: GateLabel
    step: number | null
    outcome: Outcome
    reason: string
  }[]
  rollback: {
    ok: boolean
    attempts: number
    target: string | null
    reason: string
  } | null
}

export interface MessageOptions {
  runUrl?: string
}

const EMOJI: Record<RolloutResult, string> = {
  promoted: ':white_check_mark:',
  passed: ':white_check_mark:',
  paused: ':double_vertical_bar:',
  failed: ':x:',
  'rolled-back': ':rewind:',
  held: ':warning:',
  'rollback-failed': ':rotating_light:'
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ')
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

/**
 * Slack's mrkdwn treats `<...>` as links and mentions (`<!channel>`), so
 * text from a report must not carry them.
 */
export function slackEscape(s: string): string {
  return oneLine(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

function slackCode(s: string): string {
  return `\`${slackEscape(s).replace(/`/g, "'")}\``
}

/** `<url|label>`, with the characters that would end the link encoded. */
export function slackLink(url: string, label: string): string {
  const safe = url.replace(/[\s<>|]/g, (c) => encodeURIComponent(c))
  return `<${safe}|${slackEscape(label)}>`
}

function iso(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString()
}

/** The findings that explain the verdict: the failing gate's bad ones. */
export function failingFindings(r: RolloutReport, max: number): Finding[] {
  const g = failedGateReport(r)
  if (!g) return []
  return keyFindings(g, g.findings.length)
    .filter((f) => f.level !== 'ok')
    .slice(0, max)
}

function where(r: RolloutReport): string {
  return verdictParts(r).where
}

/** One line, plain text: `matches-api v3 → staging: rolled-back at ...`. */
export function verdictText(r: RolloutReport): string {
  const at = where(r) ? ` at ${where(r)}` : ''
  return oneLine(
    `deploy-gates: ${r.service} ${r.version} → ${r.environment}: ${r.result}${at}: ${r.reason}`
  )
}

/** The Slack message: verdict, versions, failing gate and findings, link. */
export function slackMessage(
  r: RolloutReport,
  opts: MessageOptions = {}
): SlackMessage {
  const at = where(r) ? ` at ${slackEscape(where(r))}` : ''
  const verdict = `${EMOJI[r.result]} *${r.result}*${at}: ${slackEscape(r.reason)}`
  const versions = r.previousVersion
    ? `${slackCode(r.version)} → ${slackCode(r.previousVersion)}`
    : slackCode(r.version)
  const fields: SlackText[] = [
    { type: 'mrkdwn', text: `*Service*\n${slackEscape(r.service)}` },
    { type: 'mrkdwn', text: `*Environment*\n${slackEscape(r.environment)}` },
    {
      type: 'mrkdwn',
      text: `*Version${r.previousVersion ? ' → previous' : ''}*\n${versions}`
    }
  ]
  if (r.failedGate !== undefined) {
    fields.push({
      type: 'mrkdwn',
      text: `*Failed gate*\n${slackEscape(where(r) || r.failedGate)}`
    })
  }
  if (r.rollback) {
    const tries = `${r.rollback.attempts} attempt${r.rollback.attempts === 1 ? '' : 's'}`
    fields.push({
      type: 'mrkdwn',
      text: `*Rollback*\n${r.rollback.ok ? 'ok' : '*failed*'} after ${tries}`
    })
  }
  fields.push({
    type: 'mrkdwn',
    text: `*Duration*\n${formatDuration(Math.max(0, r.endedAt - r.startedAt))}`
  })
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: clip(
          oneLine(`${r.service} ${r.version} → ${r.environment}: ${r.result}`),
          HEADER_CHARS
        )
      }
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(verdict, SECTION_CHARS) }
    },
    {
      type: 'section',
      fields: fields.map((f) => ({ ...f, text: clip(f.text, FIELD_CHARS) }))
    }
  ]
  const findings = failingFindings(r, SLACK_FINDINGS)
  if (findings.length > 0) {
    const lines = findings.map(
      (f) =>
        `• ${slackEscape(f.name)} (${f.level}): ${slackEscape(findingLine(f))}`
    )
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*Findings*\n${lines.join('\n')}`, SECTION_CHARS)
      }
    })
  }
  if (r.rollback && !r.rollback.ok) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*Rollback failed:* ${slackEscape(r.rollback.reason)}`,
          SECTION_CHARS
        )
      }
    })
  }
  const context: string[] = []
  if (opts.runUrl) context.push(slackLink(opts.runUrl, 'Workflow run'))
  if (r.sha) context.push(`commit ${slackCode(r.sha.slice(0, 7))}`)
  if (context.length > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: context.join(' · ') }]
    })
  }
  // The fallback text is mrkdwn too: escaped like the blocks.
  const link = opts.runUrl ? ` ${slackLink(opts.runUrl, 'run')}` : ''
  return {
    text: `${clip(slackEscape(verdictText(r)), TEXT_CHARS)}${link}`,
    blocks
  }
}

/** The generic webhook's document: the verdict and every gate, as data. */
export function webhookDocument(
  r: RolloutReport,
  opts: MessageOptions = {}
): WebhookDocument {
  const failed = failedGateReport(r)
  return {
    event: 'deploy-gates.rollout',
    result: r.result,
    service: r.service,
    environment: r.environment,
    version: r.version,
    previousVersion: r.previousVersion ?? null,
    sha: r.sha,
    failedGate: r.failedGate ?? null,
    failedStep: failed?.step ?? null,
    reason: r.reason,
    runUrl: opts.runUrl ?? null,
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    gates: r.gates.map((g) => ({
      gate: g.gate,
      step: g.step ?? null,
      outcome: g.outcome,
      reason: g.reason
    })),
    rollback: r.rollback
      ? {
          ok: r.rollback.ok,
          attempts: r.rollback.attempts,
          target: r.rollback.target ?? null,
          reason: r.rollback.reason
        }
      : null
  }
}

/** Every string of a JSON-like value passed through `clean`. */
export function cleanDeep<T>(value: T, clean: (s: string) => string): T {
  return mapStrings(value, clean)
}
