/**
 * The one way a value is shortened for display. Redaction must see the
 * whole secret: cut first and the half of a secret left at the cut no
 * longer matches, so it survives on every surface. Here the text is
 * redacted, then cut, and the cut never splits a mask.
 */
import { MASK } from './redactor.js'

/** Longest secret form a preview of a huge value is guaranteed to mask. */
export const PREVIEW_GUARD = 16 * 1024

/** How much of a huge value is redacted before cutting (beyond `max`). */
const WINDOW = 64 * 1024

export interface PreviewOptions {
  /** Keep the end instead of the start (command output tails). */
  tail?: boolean
  /** Collapse whitespace runs to one space (one-line reasons). */
  oneLine?: boolean
  /** Marks the cut; counted in `max`. Default `…`. */
  ellipsis?: string
  /**
   * The text is already a piece of a longer value (a line cut at a hard
   * cap): a secret may straddle its end (its start, with `tail`).
   */
  partial?: boolean
}

/**
 * Redacts `text`, then shortens it to at most `max` characters. A value
 * longer than the redaction window is first cut to the window and the
 * last `PREVIEW_GUARD` characters at that cut are dropped after redaction,
 * so a secret straddling the window's edge cannot leave a piece behind.
 */
export function preview(
  text: string,
  max: number,
  redact: (s: string) => string,
  opts: PreviewOptions = {}
): string {
  const ellipsis = opts.ellipsis ?? '…'
  const window = Math.max(WINDOW, 2 * max + PREVIEW_GUARD)
  let cut = text.length > window || (opts.partial ?? false)
  let clean: string
  if (!cut) {
    clean = redact(text)
  } else if (opts.tail) {
    clean = redact(text.slice(-window)).slice(PREVIEW_GUARD)
  } else {
    clean = redact(text.slice(0, window)).slice(0, -PREVIEW_GUARD)
  }
  if (opts.oneLine) clean = clean.replace(/\s+/g, ' ').trim()
  if (clean.length > max) cut = true
  if (!cut) return clean
  const room = Math.max(0, max - ellipsis.length)
  if (opts.tail) {
    let from = clean.length - room
    from = maskEdge(clean, from, 'forward')
    return ellipsis + clean.slice(from)
  }
  const to = maskEdge(clean, Math.min(room, clean.length), 'back')
  return clean.slice(0, to) + ellipsis
}

/**
 * Moves a cut that falls inside a `***` to the mask's edge, and one that
 * falls between the halves of a surrogate pair off the pair.
 */
function maskEdge(s: string, at: number, dir: 'back' | 'forward'): number {
  for (let k = 1; k < MASK.length; k++) {
    const start = at - k
    if (start >= 0 && s.startsWith(MASK, start)) {
      return dir === 'back' ? start : start + MASK.length
    }
  }
  const before = s.charCodeAt(at - 1)
  if (at > 0 && at < s.length && before >= 0xd800 && before <= 0xdbff) {
    return dir === 'back' ? at - 1 : at + 1
  }
  return at
}
