/**
 * The one Octokit every GitHub surface uses: retries with backoff for
 * transient failures, GitHub's recommended throttling, waits capped by the
 * job's remaining budget, and no blind retry of writes that create things
 * (callers make those idempotent by looking up before creating).
 */
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

export type GitHub = InstanceType<typeof Octokit>

export interface ClientOptions {
  token: string
  /** `GITHUB_API_URL` (GitHub Enterprise Server), default api.github.com. */
  baseUrl?: string
  /** Longest wait for a rate limit before giving up, in seconds. */
  maxWaitSeconds?: number
  /** Base of the retry backoff, in seconds (tests make it tiny). */
  retryAfterBaseValue?: number
  log?: (message: string) => void
  /** Called once per HTTP request sent, retries included. */
  onRequest?: () => void
}

const Client = Octokit.plugin(retry, throttling)

/** Creates the client; rate-limit waits beyond `maxWaitSeconds` fail fast. */
export function createGitHubClient(opts: ClientOptions): GitHub {
  const maxWait = opts.maxWaitSeconds ?? 60
  const log = opts.log ?? ((): void => undefined)
  const onRequest = opts.onRequest
  return new Client({
    auth: opts.token,
    // Counted at the fetch, below retries and throttling: what GitHub
    // counts against the token's hourly budget.
    ...(onRequest
      ? {
          request: {
            fetch: (
              input: Parameters<typeof fetch>[0],
              init?: Parameters<typeof fetch>[1]
            ): ReturnType<typeof fetch> => {
              onRequest()
              return fetch(input, init)
            }
          }
        }
      : {}),
    baseUrl: opts.baseUrl ?? 'https://api.github.com',
    userAgent: 'deploy-gates',
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => log(m),
      // Only Octokit's request log writes here, one line per failed attempt
      // ('GET /x - 500 with id ...'): noise next to the Guard's one warning
      // per problem, which says what failed and what to do.
      error: () => undefined
    },
    retry: {
      retries: 2,
      // The plugin counts in milliseconds.
      retryAfterBaseValue: (opts.retryAfterBaseValue ?? 1) * 1000,
      // 4xx other than rate limits are answers, not transient failures.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451]
    },
    throttle: {
      retryAfterBaseValue: (opts.retryAfterBaseValue ?? 1) * 1000,
      fallbackSecondaryRateRetryAfter: Math.min(60, maxWait),
      onRateLimit: (retryAfter: number, options, _octokit, retryCount) => {
        const wait = retryAfter <= maxWait && retryCount < 2
        log(
          `GitHub rate limit on ${options.method} ${options.url}: ${wait ? `retrying in ${retryAfter}s` : 'giving up'}`
        )
        return wait
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        options,
        _octokit,
        retryCount
      ) => {
        const wait = retryAfter <= maxWait && retryCount < 2
        log(
          `GitHub secondary rate limit on ${options.method} ${options.url}: ${wait ? `retrying in ${retryAfter}s` : 'giving up'}`
        )
        return wait
      }
    }
  })
}

/** Per-request options for a POST that creates something: never retried. */
export const NO_RETRY = { request: { retries: 0 } } as const

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | undefined)?.status
  return typeof s === 'number' ? s : undefined
}
