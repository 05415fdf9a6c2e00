/**
 * WebSocket probes: connect, then run a scripted conversation (send, receive,
 * silence, ping, close) and report the first step that went wrong in one
 * line. One step engine serves raw WebSocket (`ws`) and Socket.IO; each
 * protocol (ws-raw.ts, socketio.ts) only provides a Link (ws-link.ts) that
 * feeds an Inbox.
 */
import {
  compileMatcher,
  credentialScrubber,
  displayUrl,
  excerpt,
  expectedPhrase,
  plural,
  type Incoming,
  type MessageMatcher
} from './match.js'
import { openSocketIo, type SocketIoFactory } from './socketio.js'
import type { WsProbeSpec, WsStep } from './types.js'
import {
  thrownMessage,
  type Link,
  type LinkEnd,
  type Sink,
  type Target
} from './ws-link.js'
import { MAX_PUSH_LATENCIES, pushStamp, type PushStamp } from './ws-push.js'
import { openWs, type WebSocketFactory } from './ws-raw.js'
import { systemClock, type Clock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import type {
  StepTiming,
  WebSocketSample,
  WsMeasures
} from '../kernel/sample.js'
import { fail, ok, type Result } from '../kernel/result.js'
import { preview } from '../redact/preview.js'

export interface WsProbeOptions {
  clock?: Clock
  /** Masks secrets in every string the sample carries (reason, excerpt). */
  redact?: (s: string) => string
  /** Aborting terminates the connection and ends the probe at once. */
  signal?: AbortSignal
  createSocket?: WebSocketFactory
  createSocketIo?: SocketIoFactory
}

/** Characters of the last message kept in a sample for reports. */
const EXCERPT_CHARS = 500

/** Messages kept for later steps; the oldest go first beyond this. */
const MAX_BUFFERED = 1000

/**
 * Runs one WebSocket or Socket.IO probe and always returns a sample: a
 * failure is a reason, never an exception, and the connection is closed
 * whatever happens, so a gate never leaks sockets into the next one.
 */
export async function runWebSocketProbe(
  spec: WsProbeSpec,
  opts: WsProbeOptions = {}
): Promise<WebSocketSample> {
  const clock = opts.clock ?? systemClock
  const scrub = credentialScrubber(spec.url, spec.headers)
  const userRedact = opts.redact ?? ((s: string): string => s)
  const redact = (s: string): string => userRedact(scrub(s))
  const startedAt = clock.now()
  const t0 = clock.monotonic()
  let outcome: Outcome
  try {
    outcome = await execute(spec, opts, clock, redact)
  } catch (err) {
    outcome = {
      ok: false,
      reason: `internal error: ${thrownMessage(err)}`,
      error: true,
      steps: []
    }
  }
  const sample: WebSocketSample = {
    probe: spec.name,
    kind: 'websocket',
    ok: outcome.ok,
    reason: redact(outcome.reason),
    attempts: 1,
    startedAt,
    timings: { totalMs: clock.monotonic() - t0 },
    steps: outcome.steps
  }
  if (outcome.ws !== undefined) {
    sample.timings.connectMs = outcome.ws.connectMs
    const { pushLatenciesMs, ...rest } = outcome.ws
    sample.ws =
      pushLatenciesMs !== undefined && pushLatenciesMs.length > 0
        ? { ...rest, pushLatenciesMs }
        : rest
  }
  if (!outcome.ok) sample.error = outcome.error ?? false
  if (outcome.status !== undefined) sample.status = outcome.status
  if (outcome.excerpt !== undefined) {
    sample.excerpt = preview(outcome.excerpt, EXCERPT_CHARS, redact)
  }
  return sample
}

interface Failure {
  reason: string
  error?: boolean
  status?: number
  excerpt?: string
}

interface Outcome extends Failure {
  ok: boolean
  steps: StepTiming[]
  /** Once connected: what was measured up to the end, pass or fail. */
  ws?: WsMeasures
}

/** A message and when it arrived (monotonic ms). */
type Received = Incoming & { at: number }

/**
 * Buffers everything from the moment the connection opens, and times each
 * message as it arrives, so a message a later step matches keeps its true
 * arrival time.
 */
class Inbox implements Sink {
  readonly messages: Received[] = []
  /** Push latencies measured so far (from stamps, or from sends). */
  readonly pushed: number[] = []
  pongs = 0
  opened = false
  /** When the connection opened (monotonic ms). */
  openedAt = 0
  protocol?: string
  ended?: LinkEnd
  private waker?: () => void

  constructor(
    private readonly clock: Clock,
    private readonly stamp: PushStamp | undefined
  ) {}

  open(info: { protocol?: string }): void {
    if (this.ended) return
    this.opened = true
    this.openedAt = this.clock.monotonic()
    this.protocol = info.protocol
    this.wake()
  }

  message(message: Incoming): void {
    if (this.ended) return
    if (this.messages.length >= MAX_BUFFERED) this.messages.shift()
    this.messages.push({ ...message, at: this.clock.monotonic() })
    if (this.stamp) {
      const ms = this.stamp(message.value, this.clock.now())
      if (ms !== undefined) this.push(ms)
    }
    this.wake()
  }

  push(ms: number): void {
    if (this.pushed.length < MAX_PUSH_LATENCIES) this.pushed.push(ms)
  }

  pong(): void {
    this.pongs++
    this.wake()
  }

  end(end: LinkEnd): void {
    this.ended ??= end
    this.wake()
  }

  /** How the connection ended so far (a call, so TS does not narrow it). */
  current(): LinkEnd | undefined {
    return this.ended
  }

  /** Resolves on the next event, or at the deadline (monotonic ms). */
  async wait(clock: Clock, deadline: number): Promise<void> {
    const ms = deadline - clock.monotonic()
    if (ms <= 0) return
    const timer = new AbortController()
    const woken = new Promise<void>((resolve) => {
      this.waker = resolve
    })
    try {
      await Promise.race([
        woken,
        clock.sleep(ms, timer.signal).catch((err: unknown) => {
          // our own cancel after a wake-up is expected; anything else is not
          if (!timer.signal.aborted) throw err
        })
      ])
    } finally {
      this.waker = undefined
      timer.abort()
    }
  }

  private wake(): void {
    const waker = this.waker
    this.waker = undefined
    waker?.()
  }
}

async function execute(
  spec: WsProbeSpec,
  opts: WsProbeOptions,
  clock: Clock,
  redact: (s: string) => string
): Promise<Outcome> {
  const steps: StepTiming[] = []
  // a raw WebSocket that opened answered 101, whatever happens after
  let upgraded: number | undefined
  let measured: WsMeasures | undefined
  const fail = (f: Failure): Outcome => ({
    ok: false,
    error: false,
    ...f,
    status: f.status ?? upgraded,
    steps,
    ...(measured ? { ws: measured } : {})
  })

  const parsedTarget = parseTarget(spec, redact)
  if (!parsedTarget.ok) return fail({ reason: parsedTarget.error })
  const target = parsedTarget.value
  const compiled = compileSteps(spec)
  if (!compiled.ok) return fail({ reason: compiled.error })
  const matchers = compiled.value
  const stamp = spec.pushLatency ? pushStamp(spec.pushLatency) : undefined
  if (stamp && !stamp.ok) return fail({ reason: stamp.error })
  if (opts.signal?.aborted) {
    return fail({ reason: 'aborted before connecting', error: true })
  }

  const inbox = new Inbox(clock, stamp?.value)
  let link: Link | undefined
  const onAbort = (): void => {
    inbox.end({ reason: 'aborted', error: true, byClient: true, aborted: true })
    link?.terminate()
  }
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const connectStart = clock.monotonic()
    try {
      link =
        spec.protocol === 'socket.io'
          ? openSocketIo(spec, inbox, target, opts.createSocketIo)
          : openWs(spec, inbox, target, opts.createSocket)
    } catch (err) {
      return fail({ reason: `cannot open connection: ${thrownMessage(err)}` })
    }

    // A leading `receive: { event: connect }` is the connect itself: its
    // window bounds the handshake and its latency is the connect time.
    const first = spec.steps[0]
    const leading =
      first?.kind === 'receive' && first.event === 'connect' ? first : undefined
    const window = Math.min(
      spec.connectTimeoutMs,
      leading?.withinMs ?? Infinity
    )
    const deadline = connectStart + window
    while (!inbox.opened && !inbox.ended && clock.monotonic() < deadline) {
      await inbox.wait(clock, deadline)
    }
    if (!inbox.opened) {
      const end = inbox.ended
      if (end?.aborted) {
        return fail({ reason: 'aborted while connecting', error: true })
      }
      if (end) return fail(end)
      if (leading && leading.withinMs < spec.connectTimeoutMs) {
        return fail({
          reason: `step 1 (receive): not connected within ${formatDuration(leading.withinMs)}`,
          error: true
        })
      }
      return fail({
        reason: `connect timeout after ${formatDuration(spec.connectTimeoutMs)} to ${target.hostPort}`,
        error: true
      })
    }
    const openedAt = inbox.openedAt
    const connectMs = openedAt - connectStart
    measured = { connectMs, pushLatenciesMs: inbox.pushed }
    if (spec.protocol === 'ws') upgraded = 101
    let index = 0
    if (leading) {
      steps.push({ step: 1, kind: 'receive', ms: connectMs })
      index = 1
    }

    const ctx: StepContext = { spec, clock, inbox, link, redact }
    // The send or emit the next matched message answers, when no stamp.
    let triggeredAt: number | undefined
    for (let i = index; i < spec.steps.length; i++) {
      const step = spec.steps[i]
      const start = clock.monotonic()
      ctx.matchedAt = undefined
      const failure = await runStep(ctx, step, i + 1, matchers[i], start)
      if (failure) return fail(failure)
      steps.push({
        step: i + 1,
        kind: step.kind,
        ms: clock.monotonic() - start
      })
      if (step.kind === 'send' || step.kind === 'emit') triggeredAt = start
      const at = ctx.matchedAt
      if (at === undefined) continue
      measured.firstMessageMs ??= at - openedAt
      if (!stamp && triggeredAt !== undefined && at >= triggeredAt) {
        inbox.push(at - triggeredAt)
      }
      triggeredAt = undefined
    }
    const via = inbox.protocol ? ` (subprotocol '${inbox.protocol}')` : ''
    return {
      ok: true,
      reason: `${plural(steps.length, 'step')} passed${via}`,
      status: upgraded,
      steps,
      ws: measured
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
    link?.terminate()
  }
}

interface StepContext {
  spec: WsProbeSpec
  clock: Clock
  inbox: Inbox
  link: Link
  /** Masks secrets before a quoted message is shortened. */
  redact: (s: string) => string
  /** When the message a `receive` step matched arrived. */
  matchedAt?: number
}

async function runStep(
  ctx: StepContext,
  step: WsStep,
  n: number,
  matcher: MessageMatcher | undefined,
  start: number
): Promise<Failure | undefined> {
  const { clock, inbox, link, spec, redact } = ctx
  const label = `step ${n} (${step.kind})`
  const noun = spec.protocol === 'socket.io' ? 'event' : 'message'
  const ended = (where: string): Failure => endFailure(inbox.ended, where)

  switch (step.kind) {
    case 'send':
    case 'emit': {
      if (inbox.ended) return ended(`before ${label}`)
      const err =
        step.kind === 'send'
          ? await link.send(step)
          : await link.emit?.(step.event, step.data)
      if (inbox.ended) return ended(`in ${label}`)
      return err ? { reason: `${label}: ${err}` } : undefined
    }

    case 'receive': {
      const m = matcher as MessageMatcher
      if (m.event === 'connect') {
        return inbox.ended ? ended(`in ${label}`) : undefined
      }
      const deadline = start + step.withinMs
      let others = 0
      let last: string | undefined
      for (;;) {
        const msg = inbox.messages.shift()
        if (msg) {
          if (m.matches(msg)) {
            ctx.matchedAt = msg.at
            return undefined
          }
          others++
          last = describeMessage(msg)
          continue
        }
        if (inbox.ended) {
          return { ...ended(`while waiting in ${label}`), excerpt: last }
        }
        if (clock.monotonic() >= deadline) {
          const seen =
            others === 0
              ? `no ${noun}s seen`
              : `${plural(others, `other ${noun}`)} seen`
          return {
            reason: `${label}: no ${expectedPhrase(m, noun)} within ${formatDuration(step.withinMs)} (${seen})`,
            excerpt: last
          }
        }
        await inbox.wait(clock, deadline)
      }
    }

    case 'silence': {
      const m = matcher as MessageMatcher
      // Messages buffered before the window opened arrived before it (for
      // example before the unsubscribe just sent): they are not violations.
      inbox.messages.length = 0
      const deadline = start + step.forMs
      for (;;) {
        const msg = inbox.messages.shift()
        if (msg) {
          if (!m.matches(msg)) continue
          const text = describeMessage(msg)
          return {
            reason: `${label}: unexpected ${noun} during ${formatDuration(step.forMs)} of silence: ${excerpt(text, 120, redact)}`,
            excerpt: text
          }
        }
        if (inbox.ended) return ended(`while waiting in ${label}`)
        if (clock.monotonic() >= deadline) return undefined
        await inbox.wait(clock, deadline)
      }
    }

    case 'ping': {
      if (inbox.ended) return ended(`before ${label}`)
      const before = inbox.pongs
      const err = link.ping?.()
      if (err) return { reason: `${label}: ${err}` }
      const deadline = start + step.withinMs
      for (;;) {
        if (inbox.pongs > before) return undefined
        if (inbox.ended) return ended(`while waiting in ${label}`)
        if (clock.monotonic() >= deadline) {
          return {
            reason: `${label}: no pong within ${formatDuration(step.withinMs)}`
          }
        }
        await inbox.wait(clock, deadline)
      }
    }

    case 'close': {
      if (inbox.ended) {
        return inbox.ended.normal ? undefined : ended(`before ${label}`)
      }
      const err = link.close(step.code, step.reason)
      if (err) return { reason: `${label}: ${err}` }
      const deadline = start + spec.connectTimeoutMs
      for (;;) {
        const end = inbox.current()
        if (end) return end.aborted ? ended(`in ${label}`) : undefined
        if (clock.monotonic() >= deadline) {
          return {
            reason: `${label}: server did not complete the close within ${formatDuration(spec.connectTimeoutMs)}`
          }
        }
        await inbox.wait(clock, deadline)
      }
    }
  }
}

function endFailure(end: LinkEnd | undefined, where: string): Failure {
  if (!end) return { reason: `connection lost ${where}`, error: true }
  if (end.aborted) return { reason: `aborted ${where}`, error: true }
  return { reason: `${end.reason} ${where}`, error: end.error }
}

function describeMessage(msg: Incoming): string {
  return msg.event === undefined ? msg.text : `'${msg.event}' ${msg.text}`
}

/**
 * Checks every step before connecting, so a probe that could never pass
 * (an `emit` on raw WebSocket, a bad regex) does not subscribe to anything
 * first. Returns the matchers by step index, or the reason.
 */
function compileSteps(
  spec: WsProbeSpec
): Result<(MessageMatcher | undefined)[]> {
  const io = spec.protocol === 'socket.io'
  const out: (MessageMatcher | undefined)[] = []
  for (const [i, step] of spec.steps.entries()) {
    const label = `step ${i + 1} (${step.kind})`
    if (step.kind === 'emit' && !io) {
      return fail(`${label}: 'emit' needs protocol 'socket.io'`)
    }
    if (step.kind === 'ping' && io) {
      return fail(`${label}: 'ping' is not available with protocol 'socket.io'`)
    }
    if (step.kind !== 'receive' && step.kind !== 'silence') {
      out.push(undefined)
      continue
    }
    if (!io && step.data !== undefined) {
      return fail(`${label}: 'data' needs protocol 'socket.io'`)
    }
    if (!io && step.event !== undefined && step.event !== 'connect') {
      return fail(`${label}: event '${step.event}' needs protocol 'socket.io'`)
    }
    if (step.kind === 'silence' && step.event === 'connect') {
      return fail(`${label}: event 'connect' cannot be a silence`)
    }
    const m = compileMatcher(step)
    if (!m.ok) return fail(`${label}: ${m.error}`)
    out.push(m.value)
  }
  return ok(out)
}

function parseTarget(
  spec: WsProbeSpec,
  redact: (s: string) => string
): Result<Target> {
  let url: URL
  try {
    url = new URL(spec.url)
  } catch {
    return fail(`invalid url '${displayUrl(spec.url)}'`)
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:'
  if (!secure && url.protocol !== 'ws:' && url.protocol !== 'http:') {
    return fail(
      `unsupported url scheme '${url.protocol}' (use ws, wss, http or https)`
    )
  }
  const port = url.port || (secure ? '443' : '80')
  return ok({ hostPort: `${url.hostname}:${port}`, secure, redact })
}
