/**
 * A GitHub surface that cannot be written (a fork's read-only token, a
 * missing `permissions:` entry, the API down) is switched off with one
 * warning, and the rollout goes on: reporting never changes a verdict.
 */
import { statusOf } from './client.js'

export type Scope =
  | 'checks: write'
  | 'pull-requests: write'
  | 'deployments: write'
  | 'issues: write'
  | 'statuses: read'
  | 'pull-requests: read'
  | 'deployments: read'
  | 'contents: read'

/** Server errors in a row after which the API counts as down. */
const DOWN_AFTER = 2

export class Guard {
  private readonly off = new Set<string>()
  private serverErrors = 0
  private down = false

  constructor(private readonly warn: (message: string) => void) {}

  /** Whether the surface still works. */
  enabled(surface: string): boolean {
    return !this.down && !this.off.has(surface)
  }

  /**
   * Runs one API call of a surface. A permission error turns the surface
   * off with a warning naming the missing scope; other errors warn and
   * return undefined.
   */
  async run<T>(
    surface: string,
    scope: Scope,
    call: () => Promise<T>
  ): Promise<T | undefined> {
    if (this.down || this.off.has(surface)) return undefined
    try {
      const result = await call()
      this.serverErrors = 0
      return result
    } catch (e) {
      const status = statusOf(e)
      const message = (e as Error).message.split('\n')[0]
      if (status === undefined || status >= 500) {
        this.serverErrors += 1
        if (this.serverErrors >= DOWN_AFTER) {
          // Retries already ran inside the client: stop reporting to GitHub
          // for this run rather than slowing it down call after call.
          this.down = true
          this.warn(
            `GitHub API unavailable (${status ?? 'no answer'}: ${message}); skipping further GitHub reporting for this run. The job summary has the full report.`
          )
          return undefined
        }
      }
      if (status === 403 && !/rate limit/i.test(message)) {
        this.off.add(surface)
        this.warn(
          `${surface}: the token cannot write here (${message}); add 'permissions: ${scope}' to the job (a pull request from a fork gets a read-only token). The job summary still has the full report.`
        )
        return undefined
      }
      if (status === 404 || status === 401) {
        this.off.add(surface)
        this.warn(
          `${surface}: GitHub answered ${status} (${message}); check 'permissions: ${scope}' and the token. Reporting there is off for this run.`
        )
        return undefined
      }
      this.warn(
        `${surface}: GitHub API call failed${status ? ` (${status})` : ''}: ${message}`
      )
      return undefined
    }
  }
}
