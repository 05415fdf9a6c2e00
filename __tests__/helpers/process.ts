/**
 * Waiting on real child processes and the files they write, with a bound,
 * for the tests that signal the bundled action mid-run.
 */
import type { ChildProcess } from 'node:child_process'

/** Polls `check` every 50 ms; throws when it is still false after `ms`. */
export async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The exit code, also for a child that has already exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode)
      return
    }
    child.on('exit', (code) => resolve(code))
  })
}
