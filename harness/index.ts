/** Public API of the harness. Each part keeps its exports grouped below. */

// Core: modes, harmful() cleanup, cascade flows, runner isolation hooks, errors.
export type { HarmfulReport, HarmfulStepMeta, Leak, ModeGuardMeta, StepMeta } from './taskMeta.ts'
export * from './modes.ts'
export * from './harmful.ts'
export * from './cascade.ts'
export * from './errors.ts'
export type { IsolationHooks, UnitInfo, UnitOutcome } from './runner/isolation.ts'
export { registerIsolation } from './runner/isolation.ts'
export { default as AtomsRunner } from './runner.ts'
