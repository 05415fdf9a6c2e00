/**
 * The GitHub API stand-in: start it with `startGitHubStandIn()`, point
 * Octokit (`baseUrl`) or a process (`GITHUB_API_URL`) at `url`, seed
 * `state`, inject faults with `failNext()`, and assert `problems()` is empty.
 */
export { faults, startGitHubStandIn, tokenFingerprint } from './stand-in.js'
export type {
  FailRule,
  GitHubStandIn,
  RecordedRequest,
  StandInOptions,
  Violation
} from './stand-in.js'
export { ACTIONS_APP, ACTIONS_BOT, GitHubState } from './state.js'
export type * from './state.js'
export { specLoadMs } from './openapi.js'
