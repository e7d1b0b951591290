/**
 * `SqlExecutor` over a real Postgres server through node-postgres' pool.
 */
import pg from 'pg'
import type { Connection } from './BaseExecutor.ts'
import type { QueryOptions, QueryResult } from './types.ts'
import { BaseExecutor } from './BaseExecutor.ts'
import { enrichError } from './errors.ts'
import { PreparedStatements } from './internal/PreparedStatements.ts'

/** Options for a server connection pool. */
export interface PgExecutorOptions {
  /** Most connections the pool opens. */
  max?: number
  /**
   * Most statements one connection keeps prepared (`query(…, { prepare: true })`); a connection
   * that reaches it is closed when released. Default 256; 0 prepares nothing.
   */
  maxPreparedPerConnection?: number
}

export class PgExecutor extends BaseExecutor {
  readonly kind = 'postgres' as const
  readonly #pool: pg.Pool
  readonly #prepared: PreparedStatements
  /** The connection string, for tools that need their own connection. */
  readonly connectionString: string

  constructor(connectionString: string, options: PgExecutorOptions = {}) {
    super()
    this.connectionString = connectionString
    this.#pool = new pg.Pool({ connectionString, max: options.max ?? 8, allowExitOnIdle: true })
    this.#prepared = new PreparedStatements(options.maxPreparedPerConnection ?? 256)
    // An idle client dying (server restart) must not crash the process; the next query reconnects.
    this.#pool.on('error', () => undefined)
  }

  protected async _query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    return runQuery<R>(this.#pool, sql, params)
  }

  protected async _exec(sql: string): Promise<void> {
    await runQuery(this.#pool, sql, undefined)
  }

  protected async _connect(): Promise<Connection> {
    const client = await this.#pool.connect()
    const prepared = this.#prepared
    return {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
        const name = options?.prepare && params ? prepared.nameFor(client, sql) : undefined
        return runQuery<R>(client, name ? { name, text: sql, values: params } : sql, params)
      },
      exec: async (sql: string) => {
        await runQuery(client, sql, undefined)
      },
      // `true` closes the connection instead of pooling it.
      release: () => client.release(prepared.isFull(client)),
    }
  }

  protected _close(): Promise<void> {
    return this.#pool.end()
  }
}

async function runQuery<R>(target: pg.Pool | pg.PoolClient, statement: string | pg.QueryConfig, params?: unknown[]): Promise<QueryResult<R>> {
  const sql = typeof statement === 'string' ? statement : statement.text
  try {
    // A script (no params) may hold several statements; pg then answers with an array.
    const raw = (await (typeof statement === 'string' ? target.query(statement, params) : target.query(statement))) as pg.QueryResult | pg.QueryResult[]
    const result = Array.isArray(raw) ? raw[raw.length - 1]! : raw
    return {
      rows: result.rows as R[],
      rowCount: result.rowCount ?? result.rows.length,
      fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    }
  } catch (error) {
    throw enrichError(error, sql, params)
  }
}

/** Opens a pool on `connectionString` (nothing connects until the first query). */
export function createPgExecutor(connectionString: string, options: PgExecutorOptions = {}): PgExecutor {
  return new PgExecutor(connectionString, options)
}
