/**
 * A GitHub surface that cannot be written (a fork's read-only token, a
 * missing `permissions:` entry, the API down) is switched off with one
 * warning, and the rollout goes on: reporting never changes a verdict.
 */
import { statusOf } from './client.js'
import { errorMessage } from '../kernel/errors.js'

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

/**
 * `METHOD /path` with ids and SHAs as `{id}`, so calls of one endpoint
 * compare equal; undefined when the error carries no request.
 */
export function endpointOf(e: unknown): string | undefined {
  const r = (e as { request?: { method?: unknown; url?: unknown } } | undefined)
    ?.request
  if (typeof r?.method !== 'string' || typeof r.url !== 'string') {
    return undefined
  }
  let path = r.url.split('?')[0]
  try {
    path = new URL(r.url).pathname
  } catch {
    // A relative URL: the split above is the path.
  }
  return `${r.method} ${path.replace(/\/(\d+|[0-9a-f]{40})(?=\/|$)/g, '/{id}')}`
}

export class Guard {
  private readonly off = new Set<string>()
  /** Problems already warned about: one line each per run. */
  private readonly warned = new Set<string>()
  /** Server errors in a row, and the endpoints they came from. */
  private serverErrors = 0
  private readonly failing = new Set<string>()
  /** Server errors in a row per surface. */
  private readonly surfaceErrors = new Map<string, number>()
  private down = false

  constructor(private readonly warn: (message: string) => void) {}

  /** Whether the surface still works. */
  enabled(surface: string): boolean {
    return !this.down && !this.off.has(surface)
  }

  private once(key: string, message: string): void {
    if (this.warned.has(key)) return
    this.warned.add(key)
    this.warn(message)
  }

  /**
   * Runs one API call of a surface. A permission error turns the surface
   * off with a warning naming the missing scope; other errors warn and
   * return undefined. Each problem is warned about once per run, however
   * many calls or surfaces hit it.
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
      this.failing.clear()
      this.surfaceErrors.delete(surface)
      return result
    } catch (e) {
      const status = statusOf(e)
      const message = errorMessage(e).split('\n')[0]
      const endpoint = endpointOf(e) ?? surface
      if (status === undefined || status >= 500) {
        this.serverErrors += 1
        this.failing.add(endpoint)
        const inSurface = (this.surfaceErrors.get(surface) ?? 0) + 1
        this.surfaceErrors.set(surface, inSurface)
        // Retries already ran inside the client. Failures in a row across
        // endpoints mean GitHub is down: stop reporting there for this run
        // rather than slowing it down call after call. One endpoint that
        // keeps failing only turns off the surfaces that use it.
        if (this.serverErrors >= DOWN_AFTER && this.failing.size > 1) {
          if (!this.down) {
            this.down = true
            this.warn(
              `GitHub API unavailable (${status ?? 'no answer'}: ${message}); skipping further GitHub reporting for this run. The job summary has the full report.`
            )
          }
          return undefined
        }
        if (inSurface >= DOWN_AFTER) this.off.add(surface)
        this.once(
          `error ${endpoint} ${status ?? 'none'}`,
          `${surface}: GitHub API call failed${status ? ` (${status})` : ''}: ${message} (${endpoint})`
        )
        return undefined
      }
      if (status === 403 && !/rate limit/i.test(message)) {
        if (this.off.has(surface)) return undefined
        this.off.add(surface)
        const access = scope.endsWith(': read') ? 'read' : 'write'
        this.once(
          `scope ${scope}`,
          `${surface}: the token cannot ${access} here (${message}); add 'permissions: ${scope}' to the job (a pull request from a fork gets a read-only token). The job summary still has the full report.`
        )
        return undefined
      }
      if (status === 404 || status === 401) {
        if (this.off.has(surface)) return undefined
        this.off.add(surface)
        this.once(
          `${status} ${surface}`,
          `${surface}: GitHub answered ${status} (${message}); check 'permissions: ${scope}' and the token. Reporting there is off for this run.`
        )
        return undefined
      }
      this.once(
        `error ${endpoint} ${status}`,
        `${surface}: GitHub API call failed (${status}): ${message} (${endpoint})`
      )
      return undefined
    }
  }
}
