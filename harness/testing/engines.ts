/**
 * Opens a migrated database on either engine for tests: PGlite in-process, or a fresh
 * uniquely named database on the Postgres server of `DATABASE_URL` (dropped on dispose).
 */
import type { SqlExecutor } from '../sql/index.ts'
import { createPgExecutor, createPgliteExecutor } from '../sql/index.ts'
import { readFileSync } from 'node:fs'
import { MigrationRunner, applyBootstrap, createTestDatabase, loadMigrations } from '../db/index.ts'
import { cachedDump } from '../backends/providers/index.ts'

/** The two engines every SQL-level test runs on. */
export const ENGINES = ['pglite', 'postgres'] as const
export type EngineName = (typeof ENGINES)[number]

/** A database opened for a test. */
export interface OpenedEngine {
  db: SqlExecutor
  /** The connection string, for the server engine. */
  url?: string
  dispose(): Promise<void>
}

/** What to put in the new database. */
export interface OpenEngineOptions {
  /** Apply `supabase/bootstrap.sql` (default true). */
  bootstrap?: boolean
  /** Apply every migration of `supabase/migrations` (default true; implies bootstrap). */
  migrate?: boolean
}

/** Opens a database on `engine`, bootstrapped and migrated unless told otherwise. */
export async function openEngine(engine: EngineName, options: OpenEngineOptions = {}): Promise<OpenedEngine> {
  const migrate = options.migrate ?? true
  const bootstrap = migrate || (options.bootstrap ?? true)
  let opened: OpenedEngine
  if (engine === 'pglite') {
    // Restoring a cached dump takes a fraction of a boot, and the migrations are already in it.
    const dump = await cachedDump(migrate ? 'migrated' : bootstrap ? 'bootstrap' : 'empty')
    const db = await createPgliteExecutor({ loadDataDir: new Blob([readFileSync(dump)]) })
    return { db, dispose: () => db.close() }
  } else {
    const database = await createTestDatabase()
    const db = createPgExecutor(database.url)
    opened = {
      db,
      url: database.url,
      dispose: async () => {
        await db.close()
        await database.drop()
      },
    }
  }
  try {
    if (bootstrap) await applyBootstrap(opened.db)
    if (migrate) await new MigrationRunner(opened.db, loadMigrations()).migrate()
  } catch (error) {
    await opened.dispose()
    throw error
  }
  return opened
}
