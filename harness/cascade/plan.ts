/**
 * Validation and ordering of a flow's steps, done once when the flow is collected.
 *
 * Order: phases, as Playwright orders project dependencies. Phase 0 holds every step without
 * dependencies; each next phase holds the steps whose dependencies all sit in earlier phases.
 * Inside a phase, steps keep their declaration order, so the order is stable.
 */
import type { FlowStep } from './types.ts'
import { CascadeCycleError, CascadeDefinitionError, DuplicateStepError, FlowDefinitionError, UnknownStepError } from '../errors.ts'

/** A validated step with its place in the run order. */
export interface PlannedStep<C extends object> {
  step: FlowStep<C>
  id: string
  dependsOn: string[]
  /** Every step this one depends on, directly or transitively, in run order. */
  ancestors: string[]
  phase: number
  index: number
  location: string
}

/** A flow ready to register: its steps in run order. */
export interface FlowPlan<C extends object> {
  name: string
  location: string
  steps: PlannedStep<C>[]
}

function findCycles(ids: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const cycles: string[][] = []
  const seen = new Set<string>()
  const visit = (id: string): void => {
    state.set(id, 'open')
    path.push(id)
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = path.slice(path.indexOf(next))
        // The same cycle is found from each of its members; report it once.
        const canonical = [...cycle].sort().join('\u0000')
        if (!seen.has(canonical)) {
          seen.add(canonical)
          cycles.push(cycle)
        }
      } else if (!state.has(next)) {
        visit(next)
      }
    }
    path.pop()
    state.set(id, 'done')
  }
  for (const id of ids) if (!state.has(id)) visit(id)
  return cycles
}

/**
 * Validates `steps` and orders them.
 * @throws FlowDefinitionError listing every duplicate id, unknown dependency and cycle.
 */
export function planFlow<C extends object>(name: string, steps: readonly FlowStep<C>[], location: string): FlowPlan<C> {
  const problems: CascadeDefinitionError[] = []
  const where = (step: FlowStep<C>): string => step.location ?? location
  const byId = new Map<string, FlowStep<C>>()
  const duplicates = new Map<string, string[]>()
  steps.forEach((step, position) => {
    if (typeof step?.id !== 'string' || step.id.trim() === '') {
      problems.push(new CascadeDefinitionError(name, `Step #${position + 1} of flow "${name}" (at ${location}) has no id; give every step a non-empty string id.`))
      return
    }
    if (typeof step.run !== 'function') {
      problems.push(new CascadeDefinitionError(name, `Step "${step.id}" of flow "${name}" (at ${where(step)}) has no run function; add run: (ctx) => { … }.`))
    }
    const first = byId.get(step.id)
    if (first) {
      const list = duplicates.get(step.id) ?? [where(first)]
      duplicates.set(step.id, [...list, where(step)])
      return
    }
    byId.set(step.id, step)
  })
  for (const [id, locations] of duplicates) problems.push(new DuplicateStepError(name, id, locations))

  const edges = new Map<string, string[]>()
  for (const [id, step] of byId) {
    const known: string[] = []
    for (const dependency of new Set(step.dependsOn ?? [])) {
      if (byId.has(dependency)) known.push(dependency)
      else problems.push(new UnknownStepError(name, id, dependency, where(step)))
    }
    edges.set(id, known)
  }

  const phaseOf = new Map<string, number>()
  const ordered: string[] = []
  for (let phase = 0; phaseOf.size < byId.size; phase++) {
    const ready = [...byId.keys()].filter((id) => !phaseOf.has(id) && (edges.get(id) ?? []).every((dependency) => (phaseOf.get(dependency) ?? phase) < phase))
    if (ready.length === 0) break
    for (const id of ready) {
      phaseOf.set(id, phase)
      ordered.push(id)
    }
  }
  if (phaseOf.size < byId.size) {
    const stuck = [...byId.keys()].filter((id) => !phaseOf.has(id))
    const stuckEdges = new Map(stuck.map((id) => [id, (edges.get(id) ?? []).filter((dependency) => !phaseOf.has(dependency))]))
    for (const cycle of findCycles(stuck, stuckEdges)) {
      problems.push(new CascadeCycleError(name, cycle, where(byId.get(cycle[0] as string) as FlowStep<C>)))
    }
  }
  if (problems.length > 0) throw new FlowDefinitionError(name, problems)

  const ancestorsOf = new Map<string, Set<string>>()
  for (const id of ordered) {
    const set = new Set<string>()
    for (const dependency of edges.get(id) ?? []) {
      set.add(dependency)
      for (const ancestor of ancestorsOf.get(dependency) ?? []) set.add(ancestor)
    }
    ancestorsOf.set(id, set)
  }
  const planned = ordered.map((id, index): PlannedStep<C> => {
    const step = byId.get(id) as FlowStep<C>
    const ancestors = ancestorsOf.get(id) ?? new Set()
    return {
      step,
      id,
      dependsOn: edges.get(id) ?? [],
      ancestors: ordered.filter((other) => ancestors.has(other)),
      phase: phaseOf.get(id) ?? 0,
      index,
      location: where(step),
    }
  })
  return { name, location, steps: planned }
}
