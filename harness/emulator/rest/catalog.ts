/**
 * The schema cache: tables, columns, keys, foreign keys and functions of the exposed schema,
 * read from pg_catalog once per executor and refreshed when a request names something missing
 * (PostgREST reloads its cache on DDL; the emulator reloads on a miss).
 */
import type { SqlExecutor, SqlSession } from '../../sql/index.ts'
import { EXPOSED_SCHEMA } from './parseHeaders.ts'

/** One column of a table, view or composite type. */
export interface ColumnInfo {
  name: string
  /** `format_type()` of the column: safe to splice into SQL, as Postgres printed it. */
  type: string
  /** The base type's `typname` (e.g. `jsonb`, `_text`). */
  typeName: string
  notNull: boolean
  /** The default expression (`pg_get_expr`), used for `Prefer: missing=default`. */
  default?: string
}

/** A table or view of the exposed schema. */
export interface TableInfo {
  name: string
  isView: boolean
  columns: Map<string, ColumnInfo>
  columnList: ColumnInfo[]
  primaryKey: string[]
  /** Primary key and unique constraints, each a column list. */
  uniqueKeys: string[][]
}

/** A foreign key between two tables of the exposed schema. */
export interface ForeignKey {
  name: string
  table: string
  columns: string[]
  foreignTable: string
  foreignColumns: string[]
}

/** One parameter of a function. */
export interface FunctionParam {
  name: string
  type: string
  /** `i` in, `o` out, `b` inout, `v` variadic, `t` table column. */
  mode: 'i' | 'o' | 'b' | 'v' | 't'
  hasDefault: boolean
}

/** A function of the exposed schema, callable as `rpc/<name>`. */
export interface FunctionInfo {
  name: string
  /** `i` immutable, `s` stable, `v` volatile. */
  volatility: 'i' | 's' | 'v'
  returnsSet: boolean
  /** `composite` rows become objects; `scalar` values stay values; `void` answers 204. */
  returnKind: 'void' | 'scalar' | 'composite' | 'record'
  returnType: string
  inputs: FunctionParam[]
  /** Columns of a composite result (table type, composite type, OUT/TABLE parameters). */
  outputs: ColumnInfo[]
}

/** Everything the planner looks up. */
export interface Catalog {
  tables: Map<string, TableInfo>
  foreignKeys: ForeignKey[]
  functions: Map<string, FunctionInfo[]>
  /** Checked casts of `select=col::type`: the type as `format_type` prints it, or null if unknown. */
  casts: Map<string, string | null>
}

const COLUMNS_SQL = `
select coalesce(json_agg(x order by x.table_name, x.position), '[]')::text as body from (
  select c.relname as table_name, c.relkind in ('v', 'm') as is_view, a.attnum as position,
    a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
    coalesce(bt.typname, t.typname) as type_name, a.attnotnull as not_null,
    pg_get_expr(d.adbin, d.adrelid) as "default"
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  join pg_type t on t.oid = a.atttypid
  left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
  left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
  where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'p', 'f')
) x`

const CONSTRAINTS_SQL = `
select coalesce(json_agg(x order by x.name), '[]')::text as body from (
  select c.conname as name, c.contype as kind, cl.relname as table_name,
    (select json_agg(a.attname order by k.i) from unnest(c.conkey) with ordinality k(n, i)
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n) as columns,
    fcl.relname as foreign_table, fns.nspname as foreign_schema,
    (select json_agg(a.attname order by k.i) from unnest(c.confkey) with ordinality k(n, i)
       join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n) as foreign_columns
  from pg_constraint c
  join pg_class cl on cl.oid = c.conrelid
  join pg_namespace n on n.oid = cl.relnamespace
  left join pg_class fcl on fcl.oid = c.confrelid
  left join pg_namespace fns on fns.oid = fcl.relnamespace
  where n.nspname = $1 and c.contype in ('p', 'u', 'f')
) x`

const FUNCTIONS_SQL = `
select coalesce(json_agg(x order by x.name), '[]')::text as body from (
  select p.proname as name, p.provolatile as volatility, p.proretset as returns_set,
    p.pronargs as n_inputs, p.pronargdefaults as n_defaults,
    to_json(p.proargnames) as arg_names, to_json(p.proargmodes::text[]) as arg_modes,
    (select json_agg(format_type(u.t, null) order by u.i)
       from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, i)) as arg_types,
    format_type(p.prorettype, null) as return_type, rt.typtype as return_typtype, rt.typname as return_typname,
    case when rt.typtype = 'c' then (
      select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
        'type_name', at.typname, 'not_null', a.attnotnull) order by a.attnum)
      from pg_attribute a join pg_type at on at.oid = a.atttypid
      where a.attrelid = rt.typrelid and a.attnum > 0 and not a.attisdropped) end as return_columns
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  join pg_type rt on rt.oid = p.prorettype
  where n.nspname = $1 and p.prokind = 'f'
) x`

interface ColumnRow { table_name: string; is_view: boolean; name: string; type: string; type_name: string; not_null: boolean; default: string | null }
interface ConstraintRow { name: string; kind: 'p' | 'u' | 'f'; table_name: string; columns: string[]; foreign_table: string | null; foreign_schema: string | null; foreign_columns: string[] | null }
interface FunctionRow {
  name: string; volatility: 'i' | 's' | 'v'; returns_set: boolean; n_inputs: number; n_defaults: number
  arg_names: string[] | null; arg_modes: FunctionParam['mode'][] | null; arg_types: string[] | null
  return_type: string; return_typtype: string; return_typname: string
  return_columns: { name: string; type: string; type_name: string; not_null: boolean }[] | null
}

async function readJson<T>(db: SqlSession, sql: string): Promise<T[]> {
  const { rows } = await db.query<{ body: string }>(sql, [EXPOSED_SCHEMA])
  return JSON.parse(rows[0]?.body ?? '[]') as T[]
}

/** Reads the catalog of the exposed schema. */
export async function loadCatalog(db: SqlSession): Promise<Catalog> {
  const columns = await readJson<ColumnRow>(db, COLUMNS_SQL)
  const constraints = await readJson<ConstraintRow>(db, CONSTRAINTS_SQL)
  const functionRows = await readJson<FunctionRow>(db, FUNCTIONS_SQL)
  const tables = new Map<string, TableInfo>()
  for (const row of columns) {
    let table = tables.get(row.table_name)
    if (!table) {
      table = { name: row.table_name, isView: row.is_view, columns: new Map(), columnList: [], primaryKey: [], uniqueKeys: [] }
      tables.set(row.table_name, table)
    }
    const column: ColumnInfo = { name: row.name, type: row.type, typeName: row.type_name, notNull: row.not_null }
    if (row.default !== null) column.default = row.default
    table.columns.set(column.name, column)
    table.columnList.push(column)
  }
  const foreignKeys: ForeignKey[] = []
  for (const row of constraints) {
    const table = tables.get(row.table_name)
    if (!table) continue
    if (row.kind === 'p') table.primaryKey = row.columns
    if (row.kind === 'p' || row.kind === 'u') table.uniqueKeys.push(row.columns)
    if (row.kind === 'f' && row.foreign_schema === EXPOSED_SCHEMA && row.foreign_table && row.foreign_columns) {
      foreignKeys.push({ name: row.name, table: row.table_name, columns: row.columns, foreignTable: row.foreign_table, foreignColumns: row.foreign_columns })
    }
  }
  const functions = new Map<string, FunctionInfo[]>()
  for (const row of functionRows) {
    const info = toFunctionInfo(row)
    functions.set(info.name, [...(functions.get(info.name) ?? []), info])
  }
  return { tables, foreignKeys, functions, casts: new Map() }
}

function toFunctionInfo(row: FunctionRow): FunctionInfo {
  const types = row.arg_types ?? []
  const params: FunctionParam[] = types.map((type, i) => ({
    name: row.arg_names?.[i] ?? '',
    type,
    mode: row.arg_modes?.[i] ?? 'i',
    hasDefault: false,
  }))
  const inputs = params.filter((p) => p.mode === 'i' || p.mode === 'b' || p.mode === 'v')
  inputs.forEach((p, i) => {
    p.hasDefault = i >= inputs.length - row.n_defaults
  })
  let returnKind: FunctionInfo['returnKind'] = 'scalar'
  let outputs: ColumnInfo[] = []
  if (row.return_typname === 'void' && row.return_typtype === 'p') returnKind = 'void'
  else if (row.return_typtype === 'c') {
    returnKind = 'composite'
    outputs = (row.return_columns ?? []).map((c) => ({ name: c.name, type: c.type, typeName: c.type_name, notNull: c.not_null }))
  } else if (row.return_typname === 'record') {
    outputs = params
      .filter((p) => p.mode === 'o' || p.mode === 'b' || p.mode === 't')
      .map((p) => ({ name: p.name, type: p.type, typeName: p.type.replace(/\[\]$/, ''), notNull: false }))
    returnKind = outputs.length > 0 ? 'composite' : 'record'
  }
  return { name: row.name, volatility: row.volatility, returnsSet: row.returns_set, returnKind, returnType: row.return_type, inputs, outputs }
}

const cache = new WeakMap<SqlExecutor, Promise<Catalog>>()

/** The cached catalog of `db`, loaded on first use. */
export function getCatalog(db: SqlExecutor): Promise<Catalog> {
  let catalog = cache.get(db)
  if (!catalog) {
    catalog = loadCatalog(db)
    cache.set(db, catalog)
    // A failed load must not stay cached.
    catalog.catch(() => cache.delete(db))
  }
  return catalog
}

/** Drops the cached catalog and loads it again. */
export function refreshCatalog(db: SqlExecutor): Promise<Catalog> {
  cache.delete(db)
  return getCatalog(db)
}

/** Forgets the cached catalog (e.g. after the database reported an unknown table or column). */
export function invalidateCatalog(db: SqlExecutor): void {
  cache.delete(db)
}

/** SQL spellings of built-in types that are neither a `typname` nor what `format_type` prints. */
const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  decimal: 'numeric',
  float: 'double precision',
  'timestamp with time zone': 'timestamptz',
  'time with time zone': 'timetz',
}

/**
 * The type a `::cast` names, as Postgres prints it, or null when there is no such visible type.
 * Looked up by name in pg_type (a plain lookup that cannot fail, unlike parsing the name), once
 * per catalog, so no unchecked text reaches SQL.
 */
export async function resolveCast(db: SqlExecutor, catalog: Catalog, name: string): Promise<string | null> {
  if (catalog.casts.has(name)) return catalog.casts.get(name) ?? null
  const wanted = TYPE_ALIASES[name.toLowerCase()] ?? name
  const { rows } = await db.query<{ type: string }>(
    `select format_type(t.oid, null) as type from pg_type t
     where pg_type_is_visible(t.oid) and t.typisdefined and (t.typname = $1 or format_type(t.oid, null) = $1)
     order by t.typname = $1 desc limit 1`,
    [wanted],
  )
  const type = rows[0]?.type ?? null
  catalog.casts.set(name, type)
  return type
}
