/**
 * Errors of the harness core: modes, harmful() cleanup, cascade flows and the runner.
 * Each sets `name` and a stable `code`; messages quote identifiers and say what to do next.
 */

/** A test mode value that is not `hot`, `cold` or `dry`. */
export class ModeError extends Error {
  override name = 'ModeError'
  readonly code = 'ATOMS_MODE_INVALID'
  /** Where the bad value came from, e.g. `--mode` or `ATOMS_TEST_MODE`. */
  readonly source: string
  readonly value: string
  constructor(value: string, source: string) {
    super(`Unknown test mode "${value}" from ${source}; use one of "hot", "cold" or "dry".`)
    this.source = source
    this.value = value
  }
}

/** A mode guard (`onlyIn`, `skipIn`, `requireMode`) was given no modes or an unknown one. */
export class ModeGuardError extends Error {
  override name = 'ModeGuardError'
  readonly code = 'ATOMS_MODE_GUARD_INVALID'
  constructor(message: string) {
    super(message)
  }
}

/** `track()` received a row it cannot clean up (empty table, missing key, unknown delete mode). */
export class TrackError extends Error {
  override name = 'TrackError'
  readonly code = 'ATOMS_TRACK_INVALID'
  constructor(message: string) {
    super(message)
  }
}

/** One tracked row that cleanup could not remove. */
export class RowLeakError extends Error {
  override name = 'RowLeakError'
  readonly code = 'ATOMS_ROW_LEAK'
  readonly table: string
  readonly key: unknown
  readonly reason: string
  constructor(table: string, key: unknown, reason: string) {
    super(`Row ${JSON.stringify(key)} of "${table}" was left behind: ${reason}. Delete it by hand or run "atoms-test sweep".`)
    this.table = table
    this.key = key
    this.reason = reason
  }
}

/** Cleanup left rows behind and the run fails on leaks (`--fail-on-leak`); `errors` holds one `RowLeakError` each. */
export class LeakError extends AggregateError {
  override name = 'LeakError'
  readonly code = 'ATOMS_LEAK'
  constructor(scope: string, leaks: readonly RowLeakError[]) {
    const lines = leaks.map((leak) => `  - ${leak.message}`).join('\n')
    super(leaks, `${leaks.length} row(s) tracked by "${scope}" could not be cleaned up:\n${lines}`)
  }
}

/** A problem in a flow definition; all problems of one flow are thrown together in a `FlowDefinitionError`. */
export class CascadeDefinitionError extends Error {
  override name = 'CascadeDefinitionError'
  readonly code: string = 'ATOMS_FLOW_INVALID'
  readonly flow: string
  constructor(flow: string, message: string) {
    super(message)
    this.flow = flow
  }
}

/** Two steps of one flow share an id. */
export class DuplicateStepError extends CascadeDefinitionError {
  override name = 'DuplicateStepError'
  override readonly code = 'ATOMS_FLOW_DUPLICATE_STEP'
  constructor(flow: string, id: string, locations: readonly string[]) {
    super(flow, `Flow "${flow}" declares step "${id}" ${locations.length} times (at ${locations.join(', ')}); give each step its own id.`)
  }
}

/** A step depends on a step id the flow does not declare. */
export class UnknownStepError extends CascadeDefinitionError {
  override name = 'UnknownStepError'
  override readonly code = 'ATOMS_FLOW_UNKNOWN_STEP'
  constructor(flow: string, step: string, missing: string, location: string) {
    super(flow, `Step "${step}" of flow "${flow}" (at ${location}) depends on unknown step "${missing}"; declare "${missing}" in the flow or remove it from dependsOn.`)
  }
}

/** Steps depend on each other in a circle, so no order can run them. */
export class CascadeCycleError extends CascadeDefinitionError {
  override name = 'CascadeCycleError'
  override readonly code = 'ATOMS_FLOW_CYCLE'
  readonly cycle: readonly string[]
  constructor(flow: string, cycle: readonly string[], location: string) {
    const path = [...cycle, cycle[0]].map((id) => `"${id}"`).join(' -> ')
    super(flow, `Flow "${flow}" has a dependency cycle ${path} (step "${cycle[0]}" at ${location}); remove one of these dependencies.`)
    this.cycle = cycle
  }
}

/** Every problem found in one flow definition, thrown at collection time. */
export class FlowDefinitionError extends AggregateError {
  override name = 'FlowDefinitionError'
  readonly code = 'ATOMS_FLOW_INVALID'
  constructor(flow: string, problems: readonly CascadeDefinitionError[]) {
    const lines = problems.map((problem) => `  - ${problem.message}`).join('\n')
    super(problems, `Flow "${flow}" cannot run (${problems.length} problem(s)):\n${lines}`)
  }
}

/** A step ran under `onDependencyFailure: 'fail'` while a dependency had failed or was skipped. */
export class DependencyFailedError extends Error {
  override name = 'DependencyFailedError'
  readonly code = 'ATOMS_FLOW_DEPENDENCY_FAILED'
  constructor(flow: string, step: string, reason: string) {
    super(`Step "${step}" of flow "${flow}" ${reason}; fix that step first, or set onDependencyFailure to "skip" or "run".`)
  }
}

/** A harness feature needs the atoms-test runner, but Vitest runs with another one. */
export class RunnerMissingError extends Error {
  override name = 'RunnerMissingError'
  readonly code = 'ATOMS_RUNNER_MISSING'
  constructor(feature: string) {
    super(`${feature} needs the atoms-test runner; set "runner: 'harness/runner.ts'" in the Vitest project or run the tests through "atoms-test".`)
  }
}
