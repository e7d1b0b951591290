/**
 * Run-time state of each flow: step outcomes, returned values and the runner's decision for
 * each step. Kept in a WeakMap keyed by the flow's suite task, so tasks stay plain data.
 */
import type { RunnerTestSuite } from 'vitest'
import type { DependencyFailurePolicy } from './types.ts'
import type { FlowPlan, PlannedStep } from './plan.ts'
import { sharedState } from '../internal/sharedState.ts'

/** Outcome of one step so far. */
export interface StepOutcome {
  status: 'pending' | 'passed' | 'failed' | 'skipped'
  /** For a step skipped because of its dependencies: the failed step at the root. */
  rootFailure?: string
}

/** What the runner decided before a step started. */
export interface StepDecision {
  action: 'run' | 'skip' | 'fail'
  /** `depends on "a" which failed`; empty when every dependency passed. */
  reason: string
  blockedBy: string[]
  rootFailure?: string
}

/** Live state of one flow in this worker. */
export interface FlowRun {
  name: string
  policy: DependencyFailurePolicy
  // Steps are typed by their flow's context; the run only reads ids and dependencies.
  steps: Map<string, PlannedStep<any>>
  outcomes: Map<string, StepOutcome>
  results: Map<string, unknown>
  decisions: Map<string, StepDecision>
}

const runs = sharedState('cascade', () => new WeakMap<RunnerTestSuite, FlowRun>())

/** Creates the state of a flow and attaches it to its suite. */
export function registerFlowRun(suite: RunnerTestSuite, plan: FlowPlan<any>, policy: DependencyFailurePolicy): FlowRun {
  const run: FlowRun = {
    name: plan.name,
    policy,
    steps: new Map(plan.steps.map((planned) => [planned.id, planned])),
    outcomes: new Map(plan.steps.map((planned) => [planned.id, { status: 'pending' }])),
    results: new Map(),
    decisions: new Map(),
  }
  runs.set(suite, run)
  return run
}

/** The state of the flow whose suite is `suite`, if it is one. */
export function flowRunOf(suite: RunnerTestSuite | undefined): FlowRun | undefined {
  return suite ? runs.get(suite) : undefined
}

/** Decides whether step `id` runs, given its dependencies' outcomes and the flow's policy. */
export function decideStep(run: FlowRun, id: string): StepDecision {
  const planned = run.steps.get(id)
  const blockers: string[] = []
  const texts: string[] = []
  let rootFailure: string | undefined
  for (const dependency of planned?.dependsOn ?? []) {
    const outcome = run.outcomes.get(dependency) ?? { status: 'pending' }
    if (outcome.status === 'passed') continue
    blockers.push(dependency)
    if (outcome.status === 'failed') {
      texts.push(`"${dependency}" which failed`)
      rootFailure ??= dependency
    } else if (outcome.status === 'skipped' && outcome.rootFailure) {
      texts.push(`"${outcome.rootFailure}" which failed (via "${dependency}")`)
      rootFailure ??= outcome.rootFailure
    } else if (outcome.status === 'skipped') {
      texts.push(`"${dependency}" which was skipped`)
    } else {
      texts.push(`"${dependency}" which did not run`)
    }
  }
  const policy = planned?.step.onDependencyFailure ?? run.policy
  const reason = texts.length > 0 ? `depends on ${texts.join(' and ')}` : ''
  const action = blockers.length === 0 || policy === 'run' ? 'run' : policy
  const decision: StepDecision = rootFailure ? { action, reason, blockedBy: blockers, rootFailure } : { action, reason, blockedBy: blockers }
  run.decisions.set(id, decision)
  return decision
}

/** Records how step `id` ended. */
export function recordOutcome(run: FlowRun, id: string, outcome: StepOutcome): void {
  run.outcomes.set(id, outcome)
}

/** The values returned by step `id`'s ancestors, by id. */
export function ancestorResults(run: FlowRun, id: string): Record<string, unknown> {
  const results: Record<string, unknown> = {}
  for (const ancestor of run.steps.get(id)?.ancestors ?? []) {
    if (run.results.has(ancestor)) results[ancestor] = run.results.get(ancestor)
  }
  return results
}
