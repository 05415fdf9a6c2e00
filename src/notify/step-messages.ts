/**
 * Notifications at each gate or step (`notify.on: [step-end, ...]`): a
 * short Slack line and a webhook document per moment, for a channel that
 * follows the rollout as it goes, not only its verdict.
 */
import type { GateLabel } from '../rollout/events.js'
import type { HookEvent } from '../config/hook-schema.js'
import { slackEscape, slackLink, type SlackMessage } from './messages.js'

/** A gate or step that started or ended, with the rollout it belongs to. */
export interface GateMoment {
  event: HookEvent
  service: string
  environment: string
  version: string
  gate: GateLabel
  /** The canary step's weight. */
  step?: number
  outcome?: string
  reason?: string
  at: number
}

const REASON_CHARS = 1000

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim()
  return one.length > REASON_CHARS ? `${one.slice(0, REASON_CHARS)}…` : one
}

function label(m: GateMoment): string {
  return `${m.gate}${m.step !== undefined ? ` ${m.step}%` : ''}`
}

/** One line: `matches-api v2 → staging: canary 25% passed: <reason>`. */
export function momentText(m: GateMoment): string {
  const what =
    m.outcome !== undefined ? `${label(m)} ${m.outcome}` : `${label(m)} started`
  const why = m.reason ? `: ${clip(m.reason)}` : ''
  return `deploy-gates: ${m.service} ${m.version} → ${m.environment}: ${what}${why}`
}

/** The Slack message of a moment: one section, mrkdwn escaped. */
export function momentSlackMessage(
  m: GateMoment,
  runUrl?: string
): SlackMessage {
  const text = slackEscape(momentText(m))
  const link = runUrl ? ` ${slackLink(runUrl, 'run')}` : ''
  return {
    text: `${text}${link}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${text}${link}` } }
    ]
  }
}

/** The webhook document of a moment; `event` says which moment it is. */
export function momentDocument(
  m: GateMoment,
  runUrl?: string
): Record<string, unknown> {
  return {
    event: `deploy-gates.${m.event}`,
    service: m.service,
    environment: m.environment,
    version: m.version,
    gate: m.gate,
    step: m.step ?? null,
    outcome: m.outcome ?? null,
    reason: m.reason !== undefined ? clip(m.reason) : null,
    at: new Date(m.at).toISOString(),
    runUrl: runUrl ?? null
  }
}
