/**
 * Predefined flow patterns. Each `…Steps` builder turns per-step functions into flow steps;
 * each `…Flow` registers them with `flow()`. A step function gets its test context (with
 * fixtures, as any Vitest test: destructure them in the first parameter) and what the earlier
 * steps returned.
 */
import type { TestContext } from 'vitest'
import type { FlowOptions, FlowStep, StepContext } from './types.ts'
import { flow } from './flow.ts'
import { callerLocation } from './location.ts'
import { delegateFixtureProps } from './fixtureProps.ts'

type Fn<C extends object, In, Out = unknown> = (context: StepContext<C>, input: In) => Out | Promise<Out>

/** A step whose body calls `fn(context, input(results))`; Vitest sees `fn`'s fixtures. */
function wrap<C extends object, In>(id: string, dependsOn: string[], fn: Fn<C, In>, input: (results: Readonly<Record<string, unknown>>) => In, location: string): FlowStep<C> {
  const run = delegateFixtureProps((context: StepContext<C>) => fn(context, input(context.results)), fn)
  return { id, dependsOn, run, location }
}

/** Per-step functions of the CRUD lifecycle; `list` and `verify` are optional. */
export interface CrudStepFns<C extends object, T> {
  create: (context: StepContext<C>) => T | Promise<T>
  read: Fn<C, T>
  /** Runs after `read`: the created row should be listed. */
  list?: Fn<C, T>
  update: Fn<C, T>
  delete: Fn<C, T>
  /** Runs after `delete`: the row should be gone (or soft-deleted). */
  verify?: Fn<C, T>
}

/** CRUD lifecycle: create → read → list → update → delete → verify, each depending on the previous. */
export function crudSteps<C extends object = TestContext, T = unknown>(fns: CrudStepFns<C, T>): FlowStep<C>[] {
  const location = callerLocation()
  const order = (['read', 'list', 'update', 'delete', 'verify'] as const).filter((id) => fns[id] !== undefined)
  const created = (results: Readonly<Record<string, unknown>>): T => results.create as T
  const steps: FlowStep<C>[] = [{ id: 'create', run: delegateFixtureProps((context: StepContext<C>) => fns.create(context), fns.create), location }]
  let previous = 'create'
  for (const id of order) {
    steps.push(wrap(id, [previous], fns[id] as Fn<C, T>, created, location))
    previous = id
  }
  return steps
}

/** Registers a CRUD lifecycle flow (see `crudSteps`). */
export function crudFlow<Extra extends object = object, T = unknown>(name: string, fns: CrudStepFns<TestContext & Extra, T>, options?: FlowOptions<Extra>): void {
  flow(name, crudSteps(fns), options)
}

/** Per-level functions of the hierarchy; each gets the rows made above it. */
export interface HierarchyStepFns<C extends object, O, P, D, R> {
  org: (context: StepContext<C>) => O | Promise<O>
  project: Fn<C, { org: O }, P>
  document: Fn<C, { org: O; project: P }, D>
  requirement: Fn<C, { org: O; project: P; document: D }, R>
  test: Fn<C, { org: O; project: P; document: D; requirement: R }>
}

/** Hierarchical: org → project → document → requirement → test. */
export function hierarchicalSteps<C extends object = TestContext, O = unknown, P = unknown, D = unknown, R = unknown>(fns: HierarchyStepFns<C, O, P, D, R>): FlowStep<C>[] {
  const location = callerLocation()
  const pick = (results: Readonly<Record<string, unknown>>) => results as { org: O; project: P; document: D; requirement: R }
  return [
    { id: 'org', run: delegateFixtureProps((context: StepContext<C>) => fns.org(context), fns.org), location },
    wrap('project', ['org'], fns.project, (r) => ({ org: pick(r).org }), location),
    wrap('document', ['project'], fns.document, (r) => ({ org: pick(r).org, project: pick(r).project }), location),
    wrap('requirement', ['document'], fns.requirement, (r) => ({ org: pick(r).org, project: pick(r).project, document: pick(r).document }), location),
    wrap('test', ['requirement'], fns.test, (r) => pick(r), location),
  ]
}

/** Registers a hierarchical flow (see `hierarchicalSteps`). */
export function hierarchicalFlow<Extra extends object = object, O = unknown, P = unknown, D = unknown, R = unknown>(name: string, fns: HierarchyStepFns<TestContext & Extra, O, P, D, R>, options?: FlowOptions<Extra>): void {
  flow(name, hierarchicalSteps(fns), options)
}

/** Per-step functions of the workflow lifecycle. */
export interface WorkflowStepFns<C extends object, W, X, S> {
  create: (context: StepContext<C>) => W | Promise<W>
  execute: Fn<C, W, X>
  status: Fn<C, { workflow: W; run: X }, S>
  delete: Fn<C, { workflow: W; run: X; status: Awaited<S> }>
}

/** Workflow: create → execute → status → delete. */
export function workflowSteps<C extends object = TestContext, W = unknown, X = unknown, S = unknown>(fns: WorkflowStepFns<C, W, X, S>): FlowStep<C>[] {
  const location = callerLocation()
  return [
    { id: 'create', run: delegateFixtureProps((context: StepContext<C>) => fns.create(context), fns.create), location },
    wrap('execute', ['create'], fns.execute, (r) => r.create as W, location),
    wrap('status', ['execute'], fns.status, (r) => ({ workflow: r.create as W, run: r.execute as X }), location),
    wrap('delete', ['status'], fns.delete, (r) => ({ workflow: r.create as W, run: r.execute as X, status: r.status as Awaited<S> }), location),
  ]
}

/** Registers a workflow flow (see `workflowSteps`). */
export function workflowFlow<Extra extends object = object, W = unknown, X = unknown, S = unknown>(name: string, fns: WorkflowStepFns<TestContext & Extra, W, X, S>, options?: FlowOptions<Extra>): void {
  flow(name, workflowSteps(fns), options)
}

/** Per-step functions of the relationship-graph flow. */
export interface RelationshipGraphStepFns<C extends object, L> {
  link: (context: StepContext<C>) => L | Promise<L>
  list: Fn<C, L>
  graph: Fn<C, L>
  unlink: Fn<C, L>
}

/** Relationship graph: link → (list, graph) → unlink; `list` and `graph` both need only the link. */
export function relationshipGraphSteps<C extends object = TestContext, L = unknown>(fns: RelationshipGraphStepFns<C, L>): FlowStep<C>[] {
  const location = callerLocation()
  const link = (r: Readonly<Record<string, unknown>>): L => r.link as L
  return [
    { id: 'link', run: delegateFixtureProps((context: StepContext<C>) => fns.link(context), fns.link), location },
    wrap('list', ['link'], fns.list, link, location),
    wrap('graph', ['link'], fns.graph, link, location),
    wrap('unlink', ['list', 'graph'], fns.unlink, link, location),
  ]
}

/** Registers a relationship-graph flow (see `relationshipGraphSteps`). */
export function relationshipGraphFlow<Extra extends object = object, L = unknown>(name: string, fns: RelationshipGraphStepFns<TestContext & Extra, L>, options?: FlowOptions<Extra>): void {
  flow(name, relationshipGraphSteps(fns), options)
}

/** Per-step functions of the search & export flow; `verify` is optional. */
export interface SearchExportStepFns<C extends object, S, H, E> {
  seed: (context: StepContext<C>) => S | Promise<S>
  search: Fn<C, S, H>
  export: Fn<C, S, E>
  /** Compares what search found with what export wrote. */
  verify?: Fn<C, { seeded: S; hits: Awaited<H>; exported: Awaited<E> }>
}

/** Search & export: seed → (search, export) → verify. */
export function searchExportSteps<C extends object = TestContext, S = unknown, H = unknown, E = unknown>(fns: SearchExportStepFns<C, S, H, E>): FlowStep<C>[] {
  const location = callerLocation()
  const seeded = (r: Readonly<Record<string, unknown>>): S => r.seed as S
  const steps: FlowStep<C>[] = [
    { id: 'seed', run: delegateFixtureProps((context: StepContext<C>) => fns.seed(context), fns.seed), location },
    wrap('search', ['seed'], fns.search, seeded, location),
    wrap('export', ['seed'], fns.export, seeded, location),
  ]
  if (fns.verify) {
    steps.push(wrap('verify', ['search', 'export'], fns.verify, (r) => ({ seeded: r.seed as S, hits: r.search as Awaited<H>, exported: r.export as Awaited<E> }), location))
  }
  return steps
}

/** Registers a search & export flow (see `searchExportSteps`). */
export function searchExportFlow<Extra extends object = object, S = unknown, H = unknown, E = unknown>(name: string, fns: SearchExportStepFns<TestContext & Extra, S, H, E>, options?: FlowOptions<Extra>): void {
  flow(name, searchExportSteps(fns), options)
}
