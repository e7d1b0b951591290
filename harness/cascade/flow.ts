/** `flow()` and its helpers: registering a cascade flow as one `describe` with a test per step. */
import type { TestContext } from 'vitest'
import type { DependencyFailurePolicy, FlowOptions, FlowStep, StepContext } from './types.ts'
import type { StepMeta } from '../taskMeta.ts'
import { describe, test, TestRunner } from 'vitest'
import { CascadeDefinitionError, DependencyFailedError, RunnerMissingError } from '../errors.ts'
import { callerLocation } from './location.ts'
import { delegateFixtureProps } from './fixtureProps.ts'
import { planFlow } from './plan.ts'
import { ancestorResults, flowRunOf, registerFlowRun } from './state.ts'

/** The environment variable the runner reads to run only some flows (comma-separated names). */
export const FLOW_ENV = 'ATOMS_TEST_FLOW'

/** Flow names selected through `ATOMS_TEST_FLOW`, or `undefined` when every test runs. */
export function selectedFlows(env: Readonly<Record<string, string | undefined>> = process.env): Set<string> | undefined {
  const names = (env[FLOW_ENV] ?? '').split(',').map((name) => name.trim()).filter(Boolean)
  return names.length > 0 ? new Set(names) : undefined
}

/** A `testNamePattern` that selects every step of a top-level flow named `name`. */
export function flowNamePattern(name: string): RegExp {
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `)
}

/** Records where a step was defined, so definition errors point at it. Returns the step. */
export function step<C extends object = TestContext>(definition: FlowStep<C>): FlowStep<C> {
  return { ...definition, location: definition.location ?? callerLocation() }
}

/**
 * Registers a cascade flow: a `describe(name)` with one test per step, in run order.
 * Call it where you would call `describe`.
 * @throws FlowDefinitionError (at collection) listing every duplicate id, unknown dependency and cycle.
 */
export function flow<Extra extends object = object>(
  name: string,
  steps: readonly FlowStep<TestContext & Extra>[],
  options: FlowOptions<Extra> = {},
): void {
  const location = callerLocation()
  if (typeof name !== 'string' || name.trim() === '') {
    throw new CascadeDefinitionError(String(name), `A flow at ${location} has no name; pass a non-empty name as the first argument.`)
  }
  const policy: DependencyFailurePolicy = options.onDependencyFailure ?? 'skip'
  const plan = planFlow(name, steps, location)
  const api = (options.test ?? test) as typeof test
  // Steps share state and run in plan order, whatever the project's shuffle/concurrency settings.
  describe(name, { meta: { flow: name }, concurrent: false, shuffle: false }, () => {
    const suite = TestRunner.getCurrentSuite().suite
    if (suite) registerFlowRun(suite, plan, policy)
    for (const planned of plan.steps) {
      const meta: StepMeta = { id: planned.id, dependsOn: planned.dependsOn, phase: planned.phase, index: planned.index, location: planned.location }
      const body = async (context: TestContext): Promise<void> => {
        const run = flowRunOf(context.task.suite)
        const decision = run?.decisions.get(planned.id)
        if (!run || !decision) throw new RunnerMissingError(`Flow "${name}"`)
        if (decision.action === 'skip') return context.skip(`skipped: ${decision.reason}`)
        if (decision.action === 'fail') throw new DependencyFailedError(name, planned.id, decision.reason)
        const extra = { results: Object.freeze(ancestorResults(run, planned.id)), flow: name, step: planned.id, blockedBy: decision.blockedBy }
        // Extend Vitest's own context object: its fixture values live on it.
        const value = await planned.step.run(Object.assign(context, extra) as unknown as StepContext<TestContext & Extra>)
        run.results.set(planned.id, value)
      }
      api(planned.id, { timeout: planned.step.timeout ?? options.timeout, retry: planned.step.retry, meta: { step: meta } }, delegateFixtureProps(body, planned.step.run))
    }
  })
}
