/**
 * The sticky pull request comment: one per environment, found again by a
 * hidden marker and updated in place, so a PR never collects a pile of
 * rollout comments. On a push, it goes to the PR that introduced the commit.
 */
import type { GitHub } from './client.js'
import { NO_RETRY } from './client.js'
import type { GitHubContext } from './context.js'
import type { Guard } from './guard.js'
import type {
  Reporter,
  RolloutEvent,
  RolloutReport
} from '../rollout/events.js'
import { renderMarkdown } from '../report/markdown.js'

/** GitHub's limit on a comment body. */
export const COMMENT_LIMIT = 65_536

/** The hidden marker that identifies this environment's comment. */
export function commentMarker(service: string, environment: string): string {
  return `<!-- deploy-gates:${service}:${environment} -->`
}

export interface CommentOptions {
  gh: GitHub
  context: GitHubContext
  guard: Guard
  service: string
  environment: string
  /** Extra markdown under the report (deployment metrics). */
  footer?: (report: RolloutReport) => Promise<string | undefined>
}

/** Reporter that upserts the comment when the rollout ends. */
export class CommentReporter implements Reporter {
  constructor(private readonly o: CommentOptions) {}

  async onEvent(e: RolloutEvent): Promise<void> {
    if (e.type === 'rollout-finished') await this.upsert(e.report)
  }

  private get repo(): { owner: string; repo: string } {
    return { owner: this.o.context.owner, repo: this.o.context.repo }
  }

  /** The PR to comment on: the event's, else the one that has the commit. */
  private async pullNumber(): Promise<number | undefined> {
    if (this.o.context.pullNumber !== undefined)
      return this.o.context.pullNumber
    const pulls = await this.o.guard.run(
      'PR comment',
      'pull-requests: read',
      () =>
        this.o.gh.rest.repos.listPullRequestsAssociatedWithCommit({
          ...this.repo,
          commit_sha: this.o.context.sha,
          per_page: 10
        })
    )
    const list = pulls?.data ?? []
    return (list.find((p) => p.merged_at !== null) ?? list[0])?.number
  }

  async upsert(report: RolloutReport): Promise<void> {
    const number = await this.pullNumber()
    if (number === undefined) return
    const marker = commentMarker(this.o.service, this.o.environment)
    const footer = (await this.o.footer?.(report).catch(() => undefined)) ?? ''
    const body = renderMarkdown(report, {
      maxChars: COMMENT_LIMIT - 500 - footer.length,
      marker,
      ...(this.o.context.runUrl ? { runUrl: this.o.context.runUrl } : {})
    })
    const text = footer ? `${body}\n${footer}` : body
    const existing = await this.find(number, marker)
    if (existing === null) return
    if (existing !== undefined) {
      await this.o.guard.run('PR comment', 'pull-requests: write', () =>
        this.o.gh.rest.issues.updateComment({
          ...this.repo,
          comment_id: existing,
          body: text
        })
      )
      return
    }
    await this.o.guard.run('PR comment', 'pull-requests: write', () =>
      this.o.gh.rest.issues.createComment({
        ...this.repo,
        issue_number: number,
        body: text,
        ...NO_RETRY
      })
    )
  }

  /**
   * The id of our comment, undefined when there is none, or null when the
   * comments could not be listed (then nothing is written, to avoid a
   * duplicate).
   */
  private async find(
    number: number,
    marker: string
  ): Promise<number | undefined | null> {
    for (let page = 1; page <= 10; page++) {
      const res = await this.o.guard.run(
        'PR comment',
        'pull-requests: write',
        () =>
          this.o.gh.rest.issues.listComments({
            ...this.repo,
            issue_number: number,
            per_page: 100,
            page
          })
      )
      if (!res) return null
      const hit = res.data.find((c) => c.body?.includes(marker))
      if (hit) return hit.id
      if (res.data.length < 100) return undefined
    }
    return undefined
  }
}
