/**
 * harmful(): cleanup of every row a test creates.
 *
 * Fixtures call `harmfulFor(task).track({ table, key, deleteMode })` right after creating a row.
 * The atoms-test runner deletes the rows when the test ends (passed, failed, timed out or
 * interrupted): newest first, children before parents, with the worker's `RowDeleter`
 * (the backend's service-role client). Rows tracked by a cascade-flow step belong to the
 * flow and are deleted when the whole flow ends. Rows that cannot be deleted are leaks:
 * listed in `task.meta.harmful.leaks`, and failing the test under `--fail-on-leak`.
 */
import type { RunnerTask } from 'vitest'
import type { HarmfulReport } from './taskMeta.ts'
import type { HarmfulTracker } from './harmful/HarmfulTracker.ts'
import { TestRunner } from 'vitest'
import { LeakError, RowLeakError, RunnerMissingError, TrackError } from './errors.ts'
import { isRunnerActive } from './internal/runnerActive.ts'
import { unitOwner } from './internal/units.ts'
import { scopeTracker } from './harmful/scopes.ts'

export type { DeleteMode, HarmfulDefaults, RowDeleter, RowKey, TableDependencies, TrackInput, TrackedRow } from './harmful/types.ts'
export type { FlushOptions, TrackerOptions } from './harmful/HarmfulTracker.ts'
export { HarmfulTracker } from './harmful/HarmfulTracker.ts'
export { deletionOrder } from './harmful/deletionOrder.ts'
export { configureHarmful, failOnLeak, harmfulDefaults, resetHarmfulDefaults } from './harmful/scopes.ts'

/**
 * The tracker that owns rows created by `task`: the task's own for a plain test, the flow's
 * for a cascade-flow step, the suite's inside `beforeAll` (pass the suite).
 * @throws RunnerMissingError when Vitest does not run the atoms-test runner.
 */
export function harmfulFor(task: RunnerTask): HarmfulTracker {
  if (!isRunnerActive()) throw new RunnerMissingError('harmful()')
  return scopeTracker(unitOwner(task))
}

/**
 * The tracker of the running test (or of the test whose context is given):
 * `harmful().track({ table: 'projects', key: row.id, deleteMode: 'soft' })`.
 * Pass the context when calling it after an `await` in code that may outlive the test.
 */
export function harmful(context?: { task: RunnerTask }): HarmfulTracker {
  const task = context?.task ?? TestRunner.getCurrentTest()
  if (!task) throw new TrackError('harmful() was called outside a running test; pass the test context: harmful(ctx).')
  return harmfulFor(task)
}

/** The `LeakError` for a report with leaks, else `undefined`. */
export function leakError(report: HarmfulReport, scope: string): LeakError | undefined {
  if (report.leaks.length === 0) return undefined
  return new LeakError(scope, report.leaks.map((leak) => new RowLeakError(leak.table, leak.key, leak.reason)))
}
