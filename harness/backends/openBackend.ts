/**
 * Opens the run's backend inside a test worker, from the plain `BackendInfo` the global setup
 * provided: dry restores the migrated PGlite dump and answers supabase-js through msw; cold
 * clones the provider's migrated template (or restores the dump) and serves the emulator on
 * loopback HTTP; hot points at the live project.
 */
import type { SqlExecutor } from '../sql/index.ts'
import type { Backend, BackendInfo } from './types.ts'
import type { DatabaseSourceInfo } from './providers/index.ts'
import { readFileSync } from 'node:fs'
import { createTestDatabase } from '../db/index.ts'
import { createPgExecutor, createPgliteExecutor } from '../sql/index.ts'
import { createEmulator, serveEmulator, startMsw } from '../emulator/index.ts'
import { closeAll } from '../internal/closeAll.ts'

/** The origin supabase-js talks to in dry mode; msw answers it, nothing listens there. */
export const DRY_ORIGIN = 'http://dry.atoms.invalid'

/** A fresh migrated database from the run's source, and how to get rid of it. */
async function freshDatabase(source: DatabaseSourceInfo): Promise<{ db: SqlExecutor; dispose(): Promise<void> }> {
  if (source.kind === 'pglite') {
    const db = await createPgliteExecutor({ loadDataDir: new Blob([readFileSync(source.dumpPath)]) })
    return { db, dispose: () => db.close() }
  }
  if (source.sharedUrl) {
    const db = createPgExecutor(source.sharedUrl)
    return { db, dispose: () => db.close() }
  }
  const database = await createTestDatabase({ url: source.adminUrl, template: source.template })
  const db = createPgExecutor(database.url)
  return {
    db,
    dispose: async () => {
      await db.close()
      await database.drop()
    },
  }
}

/** Options of `openBackend`. */
export interface OpenBackendOptions {
  /** cold: the loopback port to serve the emulator on (default: a free one). */
  port?: number
}

/** Opens the backend `info` describes; close it when the file is done. */
export async function openBackend(info: BackendInfo, options: OpenBackendOptions = {}): Promise<Backend> {
  const rollback = info.isolation === 'rollback'
  const common = { info, mode: info.mode, runId: info.runId, isolation: info.isolation, description: info.description }

  if (info.mode === 'hot') {
    const hot = info.hot!
    const sql = hot.dbUrl ? createPgExecutor(hot.dbUrl, { max: 2 }) : undefined
    return {
      ...common,
      supabaseUrl: hot.supabaseUrl,
      anonKey: hot.anonKey,
      serviceRoleKey: hot.serviceRoleKey,
      jwtSecret: undefined,
      sql,
      // A live project cannot be rolled back: harmful() cleanup does all the work.
      beginUnit: async () => undefined,
      endUnit: async () => undefined,
      close: async () => sql?.close(),
    }
  }

  const { db, dispose } = await freshDatabase(info.source!)
  const closers: (() => Promise<void>)[] = [dispose]
  try {
    const emulator = await createEmulator({ db, baseUrl: info.mode === 'dry' ? DRY_ORIGIN : undefined })
    let supabaseUrl: string
    if (info.mode === 'dry') {
      const msw = startMsw(emulator, DRY_ORIGIN)
      closers.unshift(async () => msw.close())
      supabaseUrl = DRY_ORIGIN
    } else {
      const server = await serveEmulator(emulator, { port: options.port ?? 0 })
      closers.unshift(() => server.close())
      supabaseUrl = server.url
    }
    return {
      ...common,
      supabaseUrl,
      anonKey: emulator.anonKey,
      serviceRoleKey: emulator.serviceRoleKey,
      jwtSecret: emulator.jwtSecret,
      sql: db,
      beginUnit: async () => {
        if (rollback) await db.beginUnit()
      },
      endUnit: async () => {
        if (rollback) await db.endUnit()
      },
      close: () => closeAll(closers),
    }
  } catch (error) {
    await closeAll(closers)
    throw error
  }
}
