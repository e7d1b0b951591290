export type { DatabaseProvider, DatabaseSource, DatabaseSourceInfo, ProbeResult, ProviderName } from './types.ts'
export type { ProviderChoice } from './selectProvider.ts'
import type { DatabaseProvider } from './types.ts'
import { databaseUrlProvider } from './databaseUrlProvider.ts'
import { initdbProvider } from './initdbProvider.ts'
import { pgliteProvider } from './pgliteProvider.ts'
import { testcontainersProvider } from './testcontainersProvider.ts'

export { NoProviderError, selectProvider } from './selectProvider.ts'
export { databaseUrlProvider, initdbProvider, pgliteProvider, testcontainersProvider }
export type { DumpContent } from './pgliteProvider.ts'
export { bootstrappedDump, cachedDump, migratedDump, writeMigratedDump } from './pgliteProvider.ts'
export { freePort } from './initdbProvider.ts'
export { createMigratedTemplate, dropTemplate } from './migratedTemplate.ts'

/** The cold-mode chain in order: testcontainers, DATABASE_URL, initdb, PGlite. */
export function coldProviders(env: NodeJS.ProcessEnv = process.env): DatabaseProvider[] {
  return [testcontainersProvider(env), databaseUrlProvider(env), initdbProvider(), pgliteProvider()]
}
