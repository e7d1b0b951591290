/** Small operations on Vitest tasks used by the runner: skipping with a note, failing a suite, filtering flows. */
import type { RunnerTask, RunnerTaskResult as TaskResult, RunnerTaskResultPack, RunnerTaskEventPack, RunnerTestCase, RunnerTestSuite, TestError } from 'vitest'
import type { HarmfulReport } from '../taskMeta.ts'
import type { Mode } from '../modes.ts'
import { modeSkipNote } from '../modes.ts'

/** Marks a test skipped before it runs, with the note the report shows. */
export function skipWithNote(test: RunnerTestCase, note: string): void {
  test.mode = 'skip'
  // `note` is what Vitest itself sets for `ctx.skip(note)`; its public type does not list it.
  const result: TaskResult & { note: string } = { ...test.result, state: 'skip', note }
  test.result = result
}

/** The skip note of a test whose mode guard excludes `mode`, else `undefined`. */
export function guardNote(task: RunnerTask, mode: () => Mode): string | undefined {
  const guard = task.meta.modeGuard
  return guard ? modeSkipNote(guard, mode()) : undefined
}

/** The note of a test already marked skipped by the runner, if any. */
export function skipNote(test: RunnerTestCase): string | undefined {
  const note = (test.result as { note?: unknown } | undefined)?.note
  return test.result?.state === 'skip' && typeof note === 'string' ? note : undefined
}

/** Every test under `suite`. */
export function testsOf(suite: RunnerTestSuite): RunnerTestCase[] {
  return suite.tasks.flatMap((task) => (task.type === 'test' ? [task] : task.type === 'suite' ? testsOf(task) : []))
}

/** Plain-data form of an error for `result.errors`; aggregate errors are listed one by one, as Vitest does. */
export function toTestErrors(error: unknown): TestError[] {
  if (error instanceof AggregateError) return error.errors.flatMap(toTestErrors)
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return [{ name: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' ? { code } : {}) }]
  }
  return [{ message: String(error) }]
}

/** Fails a suite after it ran, keeping its earlier errors. */
export function failSuite(suite: RunnerTestSuite, errors: readonly unknown[]): void {
  suite.result ??= { state: 'fail' }
  suite.result.state = 'fail'
  suite.result.errors = [...(suite.result.errors ?? []), ...errors.flatMap(toTestErrors)]
}

/**
 * Task update packs carrying the skip notes of tests Vitest will not visit. No events: the
 * reporters list those tests when their suite finishes, now with the note.
 */
export function skipPacks(tests: readonly RunnerTestCase[]): [RunnerTaskResultPack[], RunnerTaskEventPack[]] {
  return [tests.map((test) => [test.id, test.result, test.meta]), []]
}

/**
 * Keeps only the tests of the named flows (and the suites around them); everything else is
 * marked skipped, suites included, so that their `beforeAll` hooks do not run.
 * Returns whether anything under `task` stays selected.
 */
export function keepFlows(task: RunnerTask, flows: ReadonlySet<string>): boolean {
  if (task.type === 'test') {
    const selected = typeof task.meta.flow === 'string' && flows.has(task.meta.flow)
    if (!selected) skipWithNote(task, `not in the selected flows (${[...flows].map((name) => `"${name}"`).join(', ')})`)
    return selected && task.mode !== 'skip'
  }
  if (task.type !== 'suite') return false
  let any = false
  for (const child of task.tasks) any = keepFlows(child, flows) || any
  if (!any) task.mode = 'skip'
  return any
}

/** One report for several scopes of a file (its `beforeAll` rows and its late rows). */
export function mergeReports(reports: readonly (HarmfulReport | undefined)[]): HarmfulReport | undefined {
  const present = reports.filter((report): report is HarmfulReport => report !== undefined)
  if (present.length <= 1) return present[0]
  return present.reduce((sum, report) => ({
    scope: sum.scope,
    tracked: sum.tracked + report.tracked,
    deleted: sum.deleted + report.deleted,
    missing: sum.missing + report.missing,
    rolledBack: sum.rolledBack + report.rolledBack,
    leaks: [...sum.leaks, ...report.leaks],
    durationMs: sum.durationMs + report.durationMs,
  }))
}
