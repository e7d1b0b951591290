/**
 * Isolation units. The runner opens one unit per plain test and one per cascade flow; backends
 * register hooks to begin and end them (dry and cold: begin an outer transaction, roll it back
 * at the end). A backend that registers while a unit is open is started on that unit at once,
 * so a lazily created backend still wraps the test that created it.
 */
import { sharedState } from '../internal/sharedState.ts'

/** The unit being opened or closed. */
export interface UnitInfo {
  /** Vitest's task id of the test or flow suite. */
  id: string
  kind: 'test' | 'flow'
  /** Full name of the test or flow. */
  name: string
  /** Path of the test file. */
  file: string
}

/** How a unit ended. */
export interface UnitOutcome {
  failed: boolean
  info: UnitInfo
}

/** What a backend implements to wrap each unit (see `registerIsolation`). */
export interface IsolationHooks {
  beginUnit(id: string, info: UnitInfo): void | Promise<void>
  endUnit(id: string, outcome: UnitOutcome): void | Promise<void>
  /**
   * True when `endUnit` undoes every write of the unit (a rollback). harmful() then deletes
   * nothing for that unit and reports the rows as `rolledBack`.
   */
  rollsBack?: boolean
}

interface IsolationState {
  hooks: IsolationHooks[]
  open: Map<string, UnitInfo>
  begun: Map<string, IsolationHooks[]>
}

const state = sharedState<IsolationState>('isolation', () => ({ hooks: [], open: new Map(), begun: new Map() }))

async function begin(hooks: IsolationHooks, info: UnitInfo): Promise<void> {
  await hooks.beginUnit(info.id, info)
  state.begun.get(info.id)?.push(hooks)
}

/**
 * Registers isolation hooks for this worker and starts them on every open unit.
 * Returns a function that unregisters them (units they already began are still ended).
 */
export async function registerIsolation(hooks: IsolationHooks): Promise<() => void> {
  state.hooks.push(hooks)
  for (const info of state.open.values()) await begin(hooks, info)
  return () => {
    const index = state.hooks.indexOf(hooks)
    if (index >= 0) state.hooks.splice(index, 1)
  }
}

/** Opens a unit on every registered hook. If one hook fails, those that began are ended as failed and the error is thrown. */
export async function beginUnit(info: UnitInfo): Promise<void> {
  state.open.set(info.id, info)
  state.begun.set(info.id, [])
  try {
    for (const hooks of [...state.hooks]) await begin(hooks, info)
  } catch (error) {
    await endUnit(info.id, true).catch(() => {})
    throw error
  }
}

/** True when a hook that rolls back everything began unit `id`. */
export function unitRollsBack(id: string): boolean {
  return (state.begun.get(id) ?? []).some((hooks) => hooks.rollsBack === true)
}

/** True while unit `id` is open. */
export function isUnitOpen(id: string): boolean {
  return state.open.has(id)
}

/** Closes unit `id` on every hook that began it, last begun first; all hooks run even if one throws. */
export async function endUnit(id: string, failed: boolean): Promise<void> {
  const info = state.open.get(id)
  const begun = state.begun.get(id) ?? []
  state.open.delete(id)
  state.begun.delete(id)
  if (!info) return
  const errors: unknown[] = []
  for (const hooks of begun.reverse()) {
    try {
      await hooks.endUnit(id, { failed, info })
    } catch (error) {
      errors.push(error)
    }
  }
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} isolation hooks failed to end unit "${info.name}".`)
}

/** Ends every open unit as failed (interrupt, end of run). */
export async function endAllUnits(): Promise<void> {
  for (const id of [...state.open.keys()]) await endUnit(id, true).catch(() => {})
}

/** How many units are open now. */
export function openUnitCount(): number {
  return state.open.size
}
