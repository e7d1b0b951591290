/**
 * Public types of the SQL layer: one `SqlExecutor` interface over embedded PGlite and a real
 * Postgres server, with the PostgREST-style `asRole()` transaction the emulator builds on.
 */

/** The database roles a Supabase API request can run as. */
export type DbRole = 'anon' | 'authenticated' | 'service_role'

/** JWT claims as PostgREST hands them to Postgres in `request.jwt.claims`. */
export type JwtClaims = Record<string, unknown>

/** One field of a result, as the driver describes it. */
export interface FieldInfo {
  name: string
  dataTypeID: number
}

/** Result of one statement. */
export interface QueryResult<R = Record<string, unknown>> {
  rows: R[]
  /** Rows returned or affected. */
  rowCount: number
  fields: FieldInfo[]
}

/** How one statement is sent. */
export interface QueryOptions {
  /**
   * Keep the statement prepared on its connection, as PostgREST does with every request
   * (`db-prepared-statements`): later runs of the same text skip parsing and, once Postgres
   * settles on a generic plan, planning. Only parameterised statements inside a transaction of
   * a Postgres server are prepared; elsewhere the flag changes nothing.
   */
  prepare?: boolean
}

/** Something that runs SQL: the executor itself, or a transaction handle. */
export interface SqlSession {
  /** One statement with `$n` parameters, always bound, never interpolated. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>>
  /** A script of several statements without parameters (migrations, bootstrap). */
  exec(sql: string): Promise<void>
}

/** Which engine an executor drives. */
export type ExecutorKind = 'pglite' | 'postgres'

/** The SQL access every backend, the migration runner and the emulator share. */
export interface SqlExecutor extends SqlSession {
  readonly kind: ExecutorKind
  /** BEGIN, then COMMIT when `fn` resolves and ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>
  /**
   * Runs `fn` exactly as PostgREST runs a request: in one transaction, after
   * `SET LOCAL ROLE <role>` and `set_config('request.jwt.claims', <claims>, true)`,
   * so that Postgres enforces RLS and `auth.uid()` answers.
   * Inside an isolation unit it runs in a savepoint instead (see `beginUnit`).
   */
  asRole<T>(role: DbRole, claims: JwtClaims | null, fn: (tx: SqlSession) => Promise<T>): Promise<T>
  /**
   * Opens an isolation unit: every later `transaction`/`asRole` runs inside one outer
   * transaction on one connection, each in its own savepoint, until `endUnit` rolls it all back.
   */
  beginUnit(): Promise<void>
  /** Rolls the open isolation unit back; a no-op when none is open. */
  endUnit(): Promise<void>
  /** True while an isolation unit is open. */
  readonly inUnit: boolean
  close(): Promise<void>
}
