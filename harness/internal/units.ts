/**
 * Units of cleanup and isolation: a plain test is its own unit; every step of a cascade flow
 * belongs to the flow's suite, so rows and transactions live until the whole flow ends.
 */
import type { RunnerTask } from 'vitest'

/** True for the `describe` block that `flow()` registered. */
export function isFlowSuite(task: RunnerTask): boolean {
  return task.type === 'suite' && typeof task.meta.flow === 'string' && !('filepath' in task)
}

/** True for a test registered as a step of a cascade flow. */
export function isFlowStep(task: RunnerTask): boolean {
  return task.type === 'test' && task.meta.step !== undefined && task.suite !== undefined && isFlowSuite(task.suite)
}

/** The task that owns `task`'s rows and transaction: the flow suite for a step, else the task itself. */
export function unitOwner(task: RunnerTask): RunnerTask {
  return isFlowStep(task) && task.suite ? task.suite : task
}
