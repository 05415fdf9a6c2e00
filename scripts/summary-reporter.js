// Jest reporter: prints the plain closing line `N passed, N failed, N skipped`
// that CI reads, counting suites that failed to run as failures. With
// JEST_SUMMARY_FILE set, it also writes the line there for .ci/run to repeat.
import { appendFileSync } from 'node:fs'

export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    const line = `${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped`
    console.log(`\n${line}`)
    if (process.env.JEST_SUMMARY_FILE) {
      appendFileSync(
        process.env.JEST_SUMMARY_FILE,
        `${JSON.stringify({
          passed: results.numPassedTests,
          failed,
          skipped: results.numPendingTests
        })}\n`
      )
    }
  }
}
