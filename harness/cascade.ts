/**
 * Cascade flows: steps with declared dependencies, run in a stable topological order, each
 * step receiving the values its dependencies returned.
 *
 * `flow(name, steps)` registers a `describe(name)` with one test per step, in run order. The
 * atoms-test runner then skips (or fails, or runs anyway) the dependents of a failed step,
 * keeps rows created by the steps until the whole flow ends, and treats the flow as one
 * isolation unit. Definition problems (duplicate ids, unknown dependencies, cycles) are
 * thrown together when the file is collected.
 */
export type { DependencyFailurePolicy, FlowOptions, FlowStep, StepContext, StepContextExtra } from './cascade/types.ts'
export type { FlowPlan, PlannedStep } from './cascade/plan.ts'
export type { StepDecision, StepOutcome } from './cascade/state.ts'
export { FLOW_ENV, flow, flowNamePattern, selectedFlows, step } from './cascade/flow.ts'
export { planFlow } from './cascade/plan.ts'
export {
  crudFlow,
  crudSteps,
  hierarchicalFlow,
  hierarchicalSteps,
  relationshipGraphFlow,
  relationshipGraphSteps,
  searchExportFlow,
  searchExportSteps,
  workflowFlow,
  workflowSteps,
} from './cascade/patterns.ts'
export type { CrudStepFns, HierarchyStepFns, RelationshipGraphStepFns, SearchExportStepFns, WorkflowStepFns } from './cascade/patterns.ts'
