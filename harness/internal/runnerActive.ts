/** Whether the atoms-test runner drives this worker; harmful() and flows refuse to work without it. */
import { sharedState } from './sharedState.ts'

const state = sharedState('runner', () => ({ active: false }))

/** Called by the runner's constructor. */
export function markRunnerActive(): void {
  state.active = true
}

/** True when the atoms-test runner was constructed in this worker. */
export function isRunnerActive(): boolean {
  return state.active
}
