/**
 * Vitest global setup of the project's own tests: makes the cached PGlite dumps (empty,
 * bootstrapped, migrated) once in the main process, before workers race to make them each.
 */
import { cachedDump } from '../backends/providers/index.ts'

export default async function warmDumps(): Promise<void> {
  for (const content of ['empty', 'bootstrap', 'migrated'] as const) await cachedDump(content)
}
