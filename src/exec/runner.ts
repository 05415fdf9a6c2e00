/**
 * The shell runner every `run:` command goes through. Commands run in their
 * own process group so that a timeout or a cancelled rollout can stop the
 * whole tree (`sleep 100 &` included), and everything they print is redacted
 * before anyone, including a live progress callback, sees it. Output is
 * streamed, never collected: only a bounded tail is kept for reports, and
 * the command's pipes are paused while the log is behind, so a command that
 * prints gigabytes slows down instead of growing this process.
 */
import { spawn as nodeSpawn } from 'node:child_process'
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { systemClock } from '../kernel/clock.js'
import type { Clock } from '../kernel/clock.js'
import { formatDuration } from '../kernel/format.js'
import { preview } from '../redact/preview.js'

export type SpawnFn = (
  command: string,
  args: readonly string[],
  options: SpawnOptions
) => ChildProcess

/** Signals and probes a process group; injected so fakes never hit real pids. */
export interface ProcessGroup {
  signal(pgid: number, signal: NodeJS.Signals): void
  /** True while any member of the group is still running (not a zombie). */
  alive(pgid: number): boolean
}

export type OutputStream = 'stdout' | 'stderr'

export interface RunOptions {
  /** Shell text for `bash -c`; never built from config values. */
  run: string
  /** Added to `baseEnv`; `undefined` removes a variable. */
  env?: Record<string, string | undefined>
  /** Defaults to `process.env`. */
  baseEnv?: NodeJS.ProcessEnv
  cwd?: string
  /** No timeout when absent or 0. */
  timeoutMs?: number
  signal?: AbortSignal
  /** Time between SIGTERM and SIGKILL to the group (default 5 s). */
  killGraceMs?: number
  /** How long to wait for output after bash exits while a background child
   *  still holds the pipes (default 1 s). */
  drainMs?: number
  /** Lines kept for reports (default 50). */
  tailLines?: number
  /** Characters kept per line (default 2,000). */
  maxLineLength?: number
  redact?: (s: string) => string
  /** Live progress; receives lines already redacted and capped. */
  onLine?: (line: string, stream: OutputStream) => void
  /**
   * The same lines as `onLine`, a block at a time (every line one read of
   * the pipe gave): a command that floods its output then costs one log
   * write per block rather than one per line.
   */
  onLines?: (lines: string[], stream: OutputStream) => void
  /**
   * Back-pressure from where `onLine` writes: a promise while that writer
   * is behind (the command's pipes are paused until it settles), undefined
   * when it has caught up.
   */
  whenWritten?: () => Promise<void> | undefined
  /** Path or name of bash (default `bash`). */
  bash?: string
  spawn?: SpawnFn
  clock?: Clock
  processGroup?: ProcessGroup
}

export type RunOutcome = 'ok' | 'failed' | 'timeout' | 'aborted' | 'spawn-error'

export interface RunResult {
  outcome: RunOutcome
  exitCode: number | null
  signal: string | null
  durationMs: number
  /** Last lines of stdout and stderr interleaved, redacted and capped. */
  tail: string[]
  /** One line, e.g. `exited with code 3 after 1.2s`. */
  reason: string
}

const DEFAULT_GRACE_MS = 5000
const DEFAULT_DRAIN_MS = 1000
const DEFAULT_TAIL = 50
const DEFAULT_LINE = 2000
const POLL_MS = 50

/**
 * Zombies still answer `kill(-pgid, 0)`, and on a runner whose PID 1 does not
 * reap orphans they stay forever; on Linux we therefore look for a member
 * that is really running before deciding the group needs SIGKILL.
 */
function linuxGroupHasLiveMember(pgid: number): boolean {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return true
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    // pid (comm) state ppid pgrp ...; comm may contain spaces and parens.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') {
      return true
    }
  }
  return false
}

export const systemProcessGroup: ProcessGroup = {
  signal: (pgid, signal) => {
    try {
      process.kill(-pgid, signal)
    } catch {
      // ESRCH: the group is already gone.
    }
  },
  alive: (pgid) => {
    try {
      process.kill(-pgid, 0)
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM'
    }
    return process.platform === 'linux' ? linuxGroupHasLiveMember(pgid) : true
  }
}

/** Keeps the last `size` lines in a ring, without growing with the output. */
class Tail {
  private readonly ring: string[] = []
  private next = 0
  private readonly size: number
  constructor(size: number) {
    this.size = Math.max(0, size)
  }
  push(line: string): void {
    if (this.size === 0) return
    if (this.ring.length < this.size) this.ring.push(line)
    else this.ring[this.next] = line
    this.next = (this.next + 1) % this.size
  }
  get(): string[] {
    if (this.ring.length < this.size) return [...this.ring]
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)]
  }
}

/**
 * Splits a stream into lines, handing on the complete lines of each chunk
 * together (redacted as one block, which is cheaper per line and masks a
 * secret that spans lines). A line is redacted whole before it is cut, so a
 * secret that crosses a chunk or the cut is never half shown; a line with no
 * newline is held only up to a hard cap far beyond `max`.
 */
/** A line of output, and whether it was cut at the hard cap. */
interface SplitLine {
  raw: string
  cut: boolean
}

const same = (s: string): string => s

class LineSplitter {
  private pending = ''
  private overflow = false
  private readonly hardCap: number
  private readonly emit: (lines: SplitLine[]) => void
  constructor(max: number, emit: (lines: SplitLine[]) => void) {
    this.hardCap = Math.max(65_536, max * 4)
    this.emit = emit
  }
  push(chunk: string): void {
    const lines: SplitLine[] = []
    let from = 0
    for (
      let nl = chunk.indexOf('\n');
      nl !== -1;
      nl = chunk.indexOf('\n', from)
    ) {
      const piece = chunk.slice(from, nl)
      from = nl + 1
      if (this.overflow) {
        this.overflow = false
        this.pending = ''
        continue
      }
      lines.push({ raw: this.pending + piece, cut: false })
      this.pending = ''
    }
    if (!this.overflow) {
      this.pending += chunk.slice(from)
      if (this.pending.length > this.hardCap) {
        lines.push({ raw: this.pending.slice(0, this.hardCap), cut: true })
        this.pending = ''
        this.overflow = true
      }
    }
    if (lines.length > 0) this.emit(lines)
  }
  flush(): void {
    if (this.pending !== '' && !this.overflow) {
      this.emit([{ raw: this.pending, cut: false }])
    }
    this.pending = ''
    this.overflow = false
  }
}

/** What a terminal would show for a line of `\r` progress updates. */
function visible(raw: string): string {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
  if (!line.includes('\r')) return line
  const parts = line.split('\r').filter((p) => p !== '')
  return parts.length > 0 ? parts[parts.length - 1] : ''
}

function buildEnv(
  base: NodeJS.ProcessEnv,
  extra: Record<string, string | undefined> | undefined
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base }
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

function spawnReason(
  bash: string,
  err: Error,
  cwd: string | undefined
): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT' && cwd !== undefined) {
    let cwdExists: boolean
    try {
      cwdExists = statSync(cwd).isDirectory()
    } catch {
      cwdExists = false
    }
    if (!cwdExists)
      return `working directory '${cwd}' not found: ${err.message}`
  }
  if (code === 'ENOENT') return `${bash} not found: ${err.message}`
  return `could not start ${bash}: ${err.message}`
}

/**
 * Runs one `run:` command the way the contract promises: `bash -e -o
 * pipefail`, values only through the environment, a killed process group on
 * timeout or abort, and redacted output. It never rejects: every way a
 * command can end is an outcome with a one-line reason.
 */
export async function runCommand(opts: RunOptions): Promise<RunResult> {
  const clock = opts.clock ?? systemClock
  const redact = opts.redact ?? ((s: string): string => s)
  const spawnFn: SpawnFn = opts.spawn ?? nodeSpawn
  const group = opts.processGroup ?? systemProcessGroup
  const bash = opts.bash ?? 'bash'
  const graceMs = opts.killGraceMs ?? DEFAULT_GRACE_MS
  const drainMs = opts.drainMs ?? DEFAULT_DRAIN_MS
  const maxLine = opts.maxLineLength ?? DEFAULT_LINE
  const tail = new Tail(opts.tailLines ?? DEFAULT_TAIL)
  const started = clock.monotonic()
  const elapsed = (): number => clock.monotonic() - started

  const result = (
    outcome: RunOutcome,
    reason: string,
    exitCode: number | null = null,
    signal: string | null = null
  ): RunResult => ({
    outcome,
    exitCode,
    signal,
    durationMs: Math.max(0, elapsed()),
    tail: tail.get(),
    reason: redact(reason)
  })

  if (opts.signal?.aborted) return result('aborted', 'aborted before start')

  let child: ChildProcess
  try {
    child = spawnFn(bash, ['-e', '-o', 'pipefail', '-c', opts.run], {
      cwd: opts.cwd,
      env: buildEnv(opts.baseEnv ?? process.env, opts.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    })
  } catch (err) {
    return result('spawn-error', spawnReason(bash, err as Error, opts.cwd))
  }

  let block: string[] = []
  const show = (line: string, stream: OutputStream): void => {
    tail.push(line)
    if (opts.onLines) block.push(line)
    try {
      opts.onLine?.(line, stream)
    } catch {
      // A progress callback must not break the command.
    }
  }
  const showBlock = (stream: OutputStream): void => {
    if (block.length === 0) return
    const lines = block
    block = []
    try {
      opts.onLines?.(lines, stream)
    } catch {
      // A progress callback must not break the command.
    }
  }
  const emitLines = (lines: SplitLine[], stream: OutputStream): void => {
    const whole: string[] = []
    const flushWhole = (): void => {
      if (whole.length === 0) return
      // One redaction per block; masking never adds a line break, so the
      // block splits back into lines (fewer, if a mask spans one). The
      // ellipsis comes on top of `maxLine` characters of a line.
      const shown = redact(whole.join('\n')).split('\n')
      for (const line of shown) show(preview(line, maxLine + 1, same), stream)
      whole.length = 0
    }
    for (const l of lines) {
      if (!l.cut) {
        whole.push(visible(l.raw))
        continue
      }
      flushWhole()
      // Cut at the hard cap: a secret may straddle the end.
      show(
        preview(visible(l.raw), maxLine + 1, redact, { partial: true }),
        stream
      )
    }
    flushWhole()
    showBlock(stream)
  }
  const splitters = {
    stdout: new LineSplitter(maxLine, (l) => emitLines(l, 'stdout')),
    stderr: new LineSplitter(maxLine, (l) => emitLines(l, 'stderr'))
  }
  // Back-pressure: while the writer is behind, neither pipe is read, so the
  // command blocks on its own writes. Once bash has exited it is off: what
  // is left in the pipes is read at once, within the drain time.
  let pressure = opts.whenWritten !== undefined
  let waiting = false
  const pipes = [child.stdout, child.stderr]
  const resume = (): void => {
    waiting = false
    for (const p of pipes) p?.resume()
  }
  const afterChunk = (): void => {
    if (!pressure || waiting) return
    let wait: Promise<void> | undefined
    try {
      wait = opts.whenWritten?.()
    } catch {
      wait = undefined
    }
    if (!wait) return
    waiting = true
    for (const p of pipes) p?.pause()
    wait.then(resume, resume)
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const s = child[stream]
    s?.setEncoding('utf8')
    s?.on('data', (chunk: string) => {
      splitters[stream].push(chunk)
      afterChunk()
    })
    s?.on('error', () => undefined)
  }

  return new Promise<RunResult>((resolve) => {
    const timers = new AbortController()
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
    let outputDone = false
    let killedFor: 'timeout' | 'aborted' | undefined
    let escalated = false
    let killing: Promise<void> | undefined
    let settled = false

    const settle = (r: RunResult): void => {
      if (settled) return
      settled = true
      timers.abort()
      opts.signal?.removeEventListener('abort', onAbort)
      child.stdout?.destroy()
      child.stderr?.destroy()
      resolve(r)
    }

    const finish = (): void => {
      if (settled || !exit || !outputDone) return
      if (killing) {
        void killing.then(finishNow)
        return
      }
      finishNow()
    }

    const finishNow = (): void => {
      if (settled || !exit) return
      splitters.stdout.flush()
      splitters.stderr.flush()
      const { code, signal } = exit
      const took = formatDuration(elapsed())
      if (killedFor === 'timeout') {
        const how = escalated
          ? ` (SIGKILL after ${formatDuration(graceMs)})`
          : ''
        settle(
          result(
            'timeout',
            `timed out after ${formatDuration(opts.timeoutMs ?? 0)}; process group killed${how}`,
            code,
            signal
          )
        )
      } else if (killedFor === 'aborted') {
        settle(
          result(
            'aborted',
            `aborted after ${took}; process group killed`,
            code,
            signal
          )
        )
      } else if (code === 0) {
        settle(result('ok', `exited with code 0 after ${took}`, 0, null))
      } else if (code !== null) {
        settle(result('failed', `exited with code ${code} after ${took}`, code))
      } else {
        settle(
          result(
            'failed',
            `killed by ${signal ?? 'a signal'} after ${took}`,
            null,
            signal
          )
        )
      }
    }

    /** SIGTERM the group, wait for it to go, SIGKILL what is left. */
    const terminate = (why: 'timeout' | 'aborted'): void => {
      if (settled || killedFor || exit || child.pid === undefined) return
      const pgid = child.pid
      killedFor = why
      group.signal(pgid, 'SIGTERM')
      killing = (async (): Promise<void> => {
        // Bounded by count too, so a frozen test clock cannot spin forever.
        const deadline = clock.monotonic() + graceMs
        for (let i = 0; i <= Math.ceil(graceMs / POLL_MS); i++) {
          const left = deadline - clock.monotonic()
          if (left <= 0 || !group.alive(pgid)) break
          await clock.sleep(Math.min(POLL_MS, left))
        }
        if (group.alive(pgid)) {
          escalated = true
          group.signal(pgid, 'SIGKILL')
        }
      })().catch(() => undefined)
      void killing.then(finish)
    }

    const onAbort = (): void => terminate('aborted')
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    child.once('error', (err) => {
      if (child.pid === undefined) {
        settle(result('spawn-error', spawnReason(bash, err, opts.cwd)))
      }
    })
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      pressure = false
      if (waiting) resume()
      // A background child may keep the pipes open after bash is gone.
      clock.sleep(drainMs, timers.signal).then(
        () => {
          outputDone = true
          finish()
        },
        () => undefined
      )
      finish()
    })
    child.once('close', () => {
      outputDone = true
      finish()
    })

    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
      clock.sleep(opts.timeoutMs, timers.signal).then(
        () => terminate('timeout'),
        () => undefined
      )
    }
  })
}
