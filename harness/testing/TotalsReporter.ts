/**
 * Ends a run of the project's own tests with one plain line, `tests: N passed, N failed, N skipped`,
 * that CI and people can read without knowing Vitest's summary format.
 */
import type { Reporter, TestModule } from 'vitest/node'

/**
 * Counts the tests of finished modules by outcome. A file or suite that failed outside its tests
 * (an import error, a throwing `beforeAll`) counts as one failure: its tests only show as skipped.
 */
export function countOutcomes(modules: readonly TestModule[]): { passed: number; failed: number; skipped: number } {
  const counts = { passed: 0, failed: 0, skipped: 0 }
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      const state = test.result().state
      if (state === 'passed' || state === 'failed' || state === 'skipped') counts[state]++
    }
    for (const suite of [module, ...module.children.allSuites()]) {
      if (suite.errors().length > 0) counts.failed++
    }
  }
  return counts
}

export default class TotalsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const { passed, failed, skipped } = countOutcomes(modules)
    // An error outside any test fails the run too, so it counts as a failure here.
    process.stdout.write(`\ntests: ${passed} passed, ${failed + unhandledErrors.length} failed, ${skipped} skipped\n`)
  }
}
