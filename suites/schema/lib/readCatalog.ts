/**
 * Reads a catalog snapshot over SQL (dry, cold, or hot with `SUPABASE_DB_URL`) or through the
 * `atoms_introspect()` RPC with a service-role supabase-js client (hot without a database URL).
 * Both paths run the same query with an empty search_path, so they return the same JSON.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { SqlSession } from '../../../harness/sql/index.ts'
import type { CatalogSnapshot } from './types.ts'
import { createHash } from 'node:crypto'
import { CATALOG_SQL } from './catalogSql.ts'
import { CatalogFormatError, CatalogSourceError, IntrospectionRpcError } from './errors.ts'

/** The RPC the introspection migration installs. */
export const INTROSPECTION_FUNCTION = 'atoms_introspect'

/** The schemas read unless told otherwise. */
export const DEFAULT_SCHEMAS: readonly string[] = ['public']

/** SQL access: an executor (gets its own transaction) or a session already inside one. */
export type CatalogSql = SqlSession & { transaction?: <T>(fn: (tx: SqlSession) => Promise<T>) => Promise<T> }

/** Where to read the catalog from; SQL wins when both are given. */
export interface CatalogSource {
  sql?: CatalogSql | undefined
  /** A supabase-js client carrying the service-role key. */
  supabase?: SupabaseClient | undefined
}

/** Options of every reader. */
export interface ReadCatalogOptions {
  /** Schemas to read (default `['public']`). */
  schemas?: readonly string[]
}

// One prepared statement per session, planned once (generic plan): planning the catalog query
// costs about as much as running it, and the migrations round trip reads the catalog dozens of
// times. The name carries the query's hash, so a changed query is never run from an old plan.
const STATEMENT = `atoms_catalog_${createHash('sha256').update(CATALOG_SQL).digest('hex').slice(0, 16)}`
const SCHEMAS_SETTING = 'atoms.catalog_schemas'

/**
 * Reads the snapshot over SQL. An executor gets a transaction of its own; a session is assumed
 * to be inside one already (e.g. a fault seeded in a transaction that is rolled back after).
 * The caller's search_path and plan_cache_mode are restored afterwards, also inside an outer
 * transaction.
 */
export async function readCatalogSql(sql: CatalogSql, options: ReadCatalogOptions = {}): Promise<CatalogSnapshot> {
  const schemas = [...(options.schemas ?? DEFAULT_SCHEMAS)]
  const run = async (tx: SqlSession): Promise<unknown> => {
    const { rows } = await tx.query<{ path: string; mode: string; prepared: boolean }>(
      `select current_setting('search_path') as path, current_setting('plan_cache_mode') as mode,
         exists (select 1 from pg_catalog.pg_prepared_statements where name = $1) as prepared`,
      [STATEMENT],
    )
    const previous = rows[0]!
    await tx.query(
      `select set_config('search_path', '', true), set_config('plan_cache_mode', 'force_generic_plan', true),
         set_config($1, $2::text[]::text, true)`,
      [SCHEMAS_SETTING, schemas],
    )
    // PREPARE outlives a rolled-back transaction, and the existence check runs in this one.
    if (!previous.prepared) await tx.exec(`prepare ${STATEMENT}(text[]) as ${CATALOG_SQL}`)
    const result = await tx.query<{ catalog: unknown }>(`execute ${STATEMENT}(pg_catalog.current_setting('${SCHEMAS_SETTING}')::text[])`)
    await tx.query(`select set_config('search_path', $1, true), set_config('plan_cache_mode', $2, true)`, [previous.path, previous.mode])
    return result.rows[0]?.catalog
  }
  const raw = sql.transaction ? await sql.transaction(run) : await run(sql)
  return asSnapshot(raw)
}

/** Reads the snapshot through `atoms_introspect(schemas)` with a service-role client. */
export async function readCatalogRpc(supabase: SupabaseClient, options: ReadCatalogOptions = {}): Promise<CatalogSnapshot> {
  const schemas = [...(options.schemas ?? DEFAULT_SCHEMAS)]
  const { data, error } = await supabase.rpc(INTROSPECTION_FUNCTION, { schemas })
  if (error) throw new IntrospectionRpcError(INTROSPECTION_FUNCTION, error.code || undefined, error.message)
  return asSnapshot(data)
}

/** Reads the snapshot over SQL when given, else through the RPC. */
export async function readCatalog(source: CatalogSource, options: ReadCatalogOptions = {}): Promise<CatalogSnapshot> {
  if (source.sql) return readCatalogSql(source.sql, options)
  if (source.supabase) return readCatalogRpc(source.supabase, options)
  throw new CatalogSourceError()
}

/** Checks the envelope (not every field: the query is ours) and parses a string result. */
export function asSnapshot(raw: unknown): CatalogSnapshot {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw
  if (value === null || typeof value !== 'object') throw new CatalogFormatError(`got ${value === null ? 'null' : typeof value}`)
  const snapshot = value as Partial<CatalogSnapshot>
  if (snapshot.formatVersion !== 1) throw new CatalogFormatError(`formatVersion ${JSON.stringify(snapshot.formatVersion)}, expected 1`)
  for (const key of ['tables', 'enums', 'sequences', 'functions'] as const) {
    if (snapshot[key] === null || typeof snapshot[key] !== 'object') throw new CatalogFormatError(`"${key}" is missing`)
  }
  if (!Array.isArray(snapshot.schemas)) throw new CatalogFormatError('"schemas" is missing')
  return snapshot as CatalogSnapshot
}
