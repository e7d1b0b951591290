/** Public types of cascade flows. */
import type { TestContext } from 'vitest'

/** What a step does when one of its dependencies failed, was skipped or did not run. */
export type DependencyFailurePolicy = 'skip' | 'fail' | 'run'

/** What the harness adds to the test context of a step. */
export interface StepContextExtra {
  /** Return values of every step this one depends on, directly or transitively, by step id. */
  results: Readonly<Record<string, unknown>>
  /** The flow's name. */
  flow: string
  /** This step's id. */
  step: string
  /** Dependencies that did not pass (only non-empty under `onDependencyFailure: 'run'`). */
  blockedBy: readonly string[]
}

/** A step's context: Vitest's test context (with the fixtures of the `test` API used) plus the flow's results. */
export type StepContext<C extends object = TestContext> = C & StepContextExtra

/** One step of a flow; registered as one Vitest test named after its id. */
export interface FlowStep<C extends object = TestContext> {
  /** Unique within the flow; the test's name. */
  id: string
  /** Ids of steps whose results this step needs; they run first. */
  dependsOn?: readonly string[]
  /**
   * The step's body; its return value is handed to dependents as `results[id]`.
   * @note As with any Vitest test, destructure the fixtures you use in the first parameter.
   */
  run: (context: StepContext<C>) => unknown
  /** Test timeout of this step in ms. */
  timeout?: number
  /** Retries of this step. */
  retry?: number
  /** Overrides the flow's policy for this step. */
  onDependencyFailure?: DependencyFailurePolicy
  /** Where the step was defined; filled in by `step()`, else the flow's location is used. */
  location?: string
}

/** Options of one flow. */
export interface FlowOptions<Extra extends object = object> {
  /** Default `skip`: dependents of a failed step are skipped with the reason. */
  onDependencyFailure?: DependencyFailurePolicy
  /** The `test` API steps are registered with, e.g. a `test.extend()` with fixtures. Default: Vitest's `test`. */
  test?: import('vitest').TestAPI<Extra>
  /** Default timeout of every step in ms. */
  timeout?: number
}
