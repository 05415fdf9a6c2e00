/**
 * What the composition root needs from where it runs: main.ts implements it
 * with the runner's log commands, cli.ts with the console, so the root
 * itself never touches either.
 */
export interface Host {
  /** A progress line: the console reporter, notifications. */
  info(line: string): void
  /**
   * A promise while lines given to `info` are still queued to be written,
   * undefined when they are out: a command's output waits for it.
   */
  written?(): Promise<void> | undefined
  /** A problem that leaves the verdict as it is. */
  warn(message: string): void
  /** Why the run is stopping early (a signal), where the operator looks. */
  interrupted(message: string): void
  /** A secret learned while running, hidden from the log from now on. */
  mask(secret: string): void
  /** Opens a foldable section of the log; `endGroup` closes it. */
  startGroup(title: string): void
  endGroup(): void
  /** Shows the run's markdown report, where the host has a place for one. */
  summary?(markdown: string): Promise<void>
}

/**
 * Back-pressure of an output stream, for `Host.written`: a write to a pipe
 * that is not read fast enough is queued in memory, so output must wait for
 * 'drain' rather than pile up. A stream that failed never drains: nothing
 * is written to it any more, so nothing waits.
 */
export function streamWritten(
  stream: NodeJS.WritableStream & {
    writableNeedDrain?: boolean
    destroyed?: boolean
  }
): () => Promise<void> | undefined {
  return () => {
    if (!stream.writableNeedDrain || stream.destroyed) return undefined
    return new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('drain', done)
        stream.off('close', done)
        stream.off('error', done)
        resolve()
      }
      stream.on('drain', done)
      stream.on('close', done)
      stream.on('error', done)
    })
  }
}
