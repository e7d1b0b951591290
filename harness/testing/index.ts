export type { EngineName, OpenedEngine, OpenEngineOptions } from './engines.ts'
export { ENGINES, openEngine } from './engines.ts'
