/**
 * Where the rollout is reported: the repository, the commit, the run and
 * the pull request. Read once by inputs.ts from the runner's environment.
 */
export interface GitHubContext {
  owner: string
  repo: string
  /** The commit the check run and deployment belong to (a PR's head). */
  sha: string
  /** Branch or tag the deployment is made from. */
  ref: string
  eventName: string
  /** The pull request of a pull_request event, when there is one. */
  pullNumber?: number
  /** A PR from a fork: the token is read-only. */
  fork: boolean
  serverUrl: string
  apiUrl: string
  /** Link to this workflow run, for comments, statuses and issues. */
  runUrl?: string
}
