/**
 * `SqlExecutor` over embedded PGlite (Postgres in WASM, in this process).
 * PGlite has a single connection, so transactions queue on a lock.
 */
import { PGlite } from '@electric-sql/pglite'
import type { Connection } from './BaseExecutor.ts'
import type { QueryResult } from './types.ts'
import { BaseExecutor } from './BaseExecutor.ts'
import { enrichError } from './errors.ts'
import { Mutex } from './internal/Mutex.ts'

/** Options for an embedded database. */
export interface PgliteExecutorOptions {
  /** A data directory dump (from `dump()`) to start from instead of an empty cluster. */
  loadDataDir?: Blob | File
}

export class PgliteExecutor extends BaseExecutor {
  readonly kind = 'pglite' as const
  readonly #db: PGlite
  readonly #lock = new Mutex()

  constructor(db: PGlite) {
    super()
    this.#db = db
  }

  /** The PGlite instance, for features only it has (dumps, live queries). */
  get db(): PGlite {
    return this.#db
  }

  /** A tarball of the data directory, to restore with `createPgliteExecutor({ loadDataDir })`. */
  async dump(): Promise<Blob> {
    return this.#lock.run(() => this.#db.dumpDataDir('none'))
  }

  protected _query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    return this.#lock.run(() => runQuery<R>(this.#db, sql, params))
  }

  protected _exec(sql: string): Promise<void> {
    return this.#lock.run(() => runExec(this.#db, sql))
  }

  protected async _connect(): Promise<Connection> {
    const release = await this.#lock.lock()
    return {
      query: <R>(sql: string, params?: unknown[]) => runQuery<R>(this.#db, sql, params),
      exec: (sql: string) => runExec(this.#db, sql),
      release,
    }
  }

  protected _close(): Promise<void> {
    return this.#db.close()
  }
}

async function runQuery<R>(db: PGlite, sql: string, params?: unknown[]): Promise<QueryResult<R>> {
  try {
    const result = await db.query<R>(sql, params)
    return {
      rows: result.rows,
      // PGlite reports affectedRows = 0 for a SELECT; a result set counts its rows, like node-postgres.
      rowCount: result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0),
      fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    }
  } catch (error) {
    throw enrichError(error, sql, params)
  }
}

async function runExec(db: PGlite, sql: string): Promise<void> {
  try {
    await db.exec(sql)
  } catch (error) {
    throw enrichError(error, sql, undefined)
  }
}

/** Boots an embedded database (about 5 s cold; a `loadDataDir` restore is several times faster). */
export async function createPgliteExecutor(options: PgliteExecutorOptions = {}): Promise<PgliteExecutor> {
  const db = await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
  return new PgliteExecutor(db)
}
