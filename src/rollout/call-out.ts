/**
 * The HTTP calls a rollout makes to the outside for hooks and confirm: one
 * request rendered from the config (`${secrets.X}` in URL and headers,
 * masked from then on). Their commands run through `GateContext.command`,
 * with the event as JSON in the environment, never in the shell text.
 */
import { Renderer, RenderError } from '../http/resolve.js'
import { credentialScrubber, displayUrl } from '../http/scrub.js'
import { httpSend, type HttpAnswer } from '../http/send.js'
import type { GateContext } from './context.js'

/** Where a hook or a confirm sends its request (its `http:` section). */
export interface CallTarget {
  url: string
  headers?: Record<string, string>
}

export type CallAnswer =
  | { ok: true; answer: HttpAnswer; shown: string }
  | { ok: false; reason: string; shown: string }

/**
 * Renders and sends one request; never throws. `shown` is the URL as
 * reasons may quote it (no userinfo, no query: tokens live there).
 */
export async function callHttp(
  ctx: GateContext,
  target: CallTarget,
  req: { method: 'GET' | 'POST'; body?: string; timeoutMs: number }
): Promise<CallAnswer> {
  const r = new Renderer({
    values: ctx.renderValues(),
    readFile: (p) => ctx.io.readFile(p)
  })
  let url: string
  let headers: Record<string, string>
  try {
    url = r.url(target.url, 'http')
    headers = r.headers(target.headers)
  } catch (e) {
    for (const s of r.secrets) ctx.redactor.add(s)
    const why = e instanceof RenderError ? e.message : String(e)
    return { ok: false, reason: ctx.redact(why), shown: 'the URL' }
  }
  for (const s of r.secrets) ctx.redactor.add(s)
  const scrub = credentialScrubber(url, headers)
  const clean = (s: string): string => ctx.redact(scrub(s))
  const shown = clean(displayUrl(url))
  if (req.body !== undefined) headers['content-type'] = 'application/json'
  const send = ctx.io.sendHttp ?? httpSend
  // Latency-bound I/O runs on the probe clock: the rollout's clock may be
  // one that jumps (tests), and a timeout must not fire before the answer.
  const got = await send(
    {
      url,
      method: req.method,
      headers,
      ...(req.body !== undefined ? { body: req.body } : {})
    },
    req.timeoutMs,
    { clock: ctx.io.probeClock, redact: clean, signal: ctx.signal }
  )
  if (!got.ok) {
    const reason =
      got.reading.kind === 'error' ? got.reading.reason : 'no answer'
    return { ok: false, reason: clean(reason), shown }
  }
  return {
    ok: true,
    answer: { ...got.answer, body: clean(got.answer.body) },
    shown
  }
}
