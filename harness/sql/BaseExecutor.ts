/**
 * The behaviour every executor shares, written once on top of three primitives
 * (`_query`, `_exec`, `_connect`): transactions, PostgREST-style `asRole`, and
 * isolation units (one outer transaction, a savepoint per request, rolled back at the end).
 */
import type { DbRole, ExecutorKind, JwtClaims, QueryOptions, QueryResult, SqlExecutor, SqlSession } from './types.ts'

import { escapeLiteral } from 'pg'
import { ClosedHandleError, UnknownRoleError, enrichError } from './errors.ts'
import { Mutex } from './internal/Mutex.ts'

/** A connection leased from the engine for the length of a transaction or unit. */
export interface Connection extends SqlSession {
  release(): void
}

const API_ROLES: ReadonlySet<string> = new Set(['anon', 'authenticated', 'service_role'])

export abstract class BaseExecutor implements SqlExecutor {
  abstract readonly kind: ExecutorKind
  #unit: { connection: Connection; lock: Mutex; savepoints: number } | undefined
  #closed = false

  /** Runs one statement outside any transaction the executor manages. */
  protected abstract _query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>>
  /** Runs a multi-statement script outside any transaction. */
  protected abstract _exec(sql: string): Promise<void>
  /** Leases one connection for a transaction. */
  protected abstract _connect(): Promise<Connection>
  /** Frees the engine. */
  protected abstract _close(): Promise<void>

  get inUnit(): boolean {
    return this.#unit !== undefined
  }

  async query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    this.#assertOpen()
    const unit = this.#unit
    if (unit) return unit.lock.run(() => unit.connection.query<R>(sql, params, options))
    return this._query<R>(sql, params)
  }

  async exec(sql: string): Promise<void> {
    this.#assertOpen()
    const unit = this.#unit
    if (unit) return unit.lock.run(() => unit.connection.exec(sql))
    return this._exec(sql)
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.#scoped(null, fn)
  }

  asRole<T>(role: DbRole, claims: JwtClaims | null, fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    if (!API_ROLES.has(role)) return Promise.reject(new UnknownRoleError(role))
    return this.#scoped({ role, claims }, fn)
  }

  async beginUnit(): Promise<void> {
    this.#assertOpen()
    if (this.#unit) throw new Error('An isolation unit is already open; call endUnit() before beginning another.')
    const connection = await this._connect()
    try {
      await connection.query('begin')
    } catch (error) {
      connection.release()
      throw error
    }
    this.#unit = { connection, lock: new Mutex(), savepoints: 0 }
  }

  async endUnit(): Promise<void> {
    const unit = this.#unit
    if (!unit) return
    this.#unit = undefined
    // Wait for requests still running in the unit, then discard everything they did.
    await unit.lock.run(async () => {
      try {
        await unit.connection.query('rollback')
      } finally {
        unit.connection.release()
      }
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    await this.endUnit()
    this.#closed = true
    await this._close()
  }

  async #scoped<T>(auth: { role: DbRole; claims: JwtClaims | null } | null, fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    this.#assertOpen()
    const unit = this.#unit
    if (unit) return unit.lock.run(() => this.#inSavepoint(unit, auth, fn))
    const connection = await this._connect()
    try {
      // Opening and authenticating are one round trip: they are on every request of the emulator.
      await (auth ? connection.exec(`begin; ${authStatement(auth.role, auth.claims)}`) : connection.query('begin'))
      const handle = guardedHandle(connection, 'transaction')
      try {
        const result = await fn(handle.session)
        await connection.query('commit')
        return result
      } catch (error) {
        await connection.query('rollback').catch(() => undefined)
        throw error
      } finally {
        handle.close()
      }
    } finally {
      connection.release()
    }
  }

  async #inSavepoint<T>(
    unit: { connection: Connection; savepoints: number },
    auth: { role: DbRole; claims: JwtClaims | null } | null,
    fn: (tx: SqlSession) => Promise<T>,
  ): Promise<T> {
    const name = `atoms_sp_${++unit.savepoints}`
    const { connection } = unit
    await (auth ? connection.exec(`savepoint ${name}; ${authStatement(auth.role, auth.claims)}`) : connection.query(`savepoint ${name}`))
    const handle = guardedHandle(connection, 'savepoint')
    try {
      const result = await fn(handle.session)
      await connection.query(`release savepoint ${name}`)
      return result
    } catch (error) {
      await connection.query(`rollback to savepoint ${name}`).catch(() => undefined)
      throw error
    } finally {
      handle.close()
      // SET LOCAL outlives a released savepoint: reset so the next request starts clean.
      await connection.exec(`reset role; select set_config('request.jwt.claims', '', true)`).catch(() => undefined)
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedHandleError('executor')
  }
}

/**
 * PostgREST's per-request settings as one statement: set_config('role', …, true) is SET LOCAL
 * ROLE. Literals rather than parameters so that it can travel in one script with `begin`; the
 * role is one of API_ROLES and the claims are quoted by node-postgres' escapeLiteral.
 */
function authStatement(role: DbRole, claims: JwtClaims | null): string {
  return `select set_config('role', ${escapeLiteral(role)}, true), set_config('request.jwt.claims', ${escapeLiteral(claims ? JSON.stringify(claims) : '')}, true)`
}

/** A session that refuses to run once its transaction has ended. */
function guardedHandle(connection: Connection, what: string): { session: SqlSession; close(): void } {
  let open = true
  const check = () => {
    if (!open) throw new ClosedHandleError(what)
  }
  return {
    session: {
      query: async (sql, params, options) => {
        check()
        try {
          return await connection.query(sql, params, options)
        } catch (error) {
          throw enrichError(error, sql, params)
        }
      },
      exec: async (sql) => {
        check()
        return connection.exec(sql)
      },
    },
    close: () => {
      open = false
    },
  }
}
