/**
 * What the composition root needs from where it runs: main.ts implements it
 * with the runner's log commands, cli.ts with the console, so the root
 * itself never touches either.
 */
export interface Host {
  /** A progress line: the console reporter, notifications. */
  info(line: string): void
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
