/**
 * Renders inserts, upserts, updates and deletes as PostgREST's `mutatePlanToQuery` does: the JSON
 * body is one parameter expanded by `json_to_record(set)` with column types from the catalog,
 * filters come from the planned root, and RETURNING names only what the response needs
 * (`RETURNING 1` for `return=minimal`, so SELECT policies do not apply to it).
 */
import type { ColumnInfo, TableInfo } from './catalog.ts'
import type { ReadNode } from './planRead.ts'
import type { SqlParams } from './internal/sql.ts'
import { rootWhereTerms } from './buildSelect.ts'
import { ident, qualified } from './internal/sql.ts'
import { EXPOSED_SCHEMA } from './parseHeaders.ts'

/** What a write returns: nothing (`RETURNING 1`), every column, or the named ones. */
export type Returning = 'none' | 'all' | string[]

/** The parsed body of a write. */
export interface WriteBody {
  /** The JSON text, bound as one parameter. */
  json: string
  isObject: boolean
  /** The columns the body sets (payload keys or `columns=`), checked against the catalog. */
  columns: ColumnInfo[]
  /** `Prefer: missing=default`: keys absent from a row take the column default. */
  applyDefaults: boolean
}

const counter = (delta: '+' | '-') =>
  `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) ${delta} 1)::text, true)`

function returningSql(alias: string, returning: Returning): string {
  if (returning === 'none') return ' RETURNING 1'
  if (returning === 'all') return ` RETURNING ${ident(alias)}.*`
  if (returning.length === 0) return ' RETURNING 1'
  return ` RETURNING ${returning.map((c) => `${ident(alias)}.${ident(c)}`).join(', ')}`
}

/** `json_to_recordset($1) AS pgrst_body("a" int4, …)`, with defaults merged in when asked. */
function bodySource(body: WriteBody, params: SqlParams): string {
  const typed = body.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')
  const json = params.add(body.json)
  const withDefaults = body.applyDefaults && body.columns.some((c) => c.default !== undefined)
  if (!withDefaults) {
    return `${body.isObject ? 'json_to_record' : 'json_to_recordset'}(${json}::json) AS pgrst_body(${typed})`
  }
  // PostgREST's way: a jsonb object of every default, overridden by the row's own keys.
  // The default expressions are catalog text (pg_get_expr), not request input.
  const defaults = body.columns
    .filter((c) => c.default !== undefined)
    .map((c) => `${params.add(c.name)}::text, ${c.default as string}`)
    .join(', ')
  const object = `jsonb_build_object(${defaults})`
  return body.isObject
    ? `jsonb_to_record(${object} || ${json}::jsonb) AS pgrst_body(${typed})`
    : `jsonb_to_recordset((SELECT jsonb_agg(${object} || elem) FROM jsonb_array_elements(${json}::jsonb) elem)) AS pgrst_body(${typed})`
}

/** How an insert treats conflicts. */
export interface Conflict {
  columns: string[]
  action: 'merge' | 'ignore'
}

/** INSERT (and upsert) of `body` into `table`, aliased as the table name. */
export function insertSql(table: TableInfo, body: WriteBody, conflict: Conflict | undefined, returning: Returning, params: SqlParams): string {
  const alias = table.name
  const target = `${qualified(EXPOSED_SCHEMA, table.name)} AS ${ident(alias)}`
  const merge = conflict?.action === 'merge' && conflict.columns.length > 0
  let sql: string
  if (body.columns.length === 0) {
    // `{}` or `[{}, …]`: rows of defaults only.
    const rows = body.isObject ? '(VALUES (1)) pgrst_body' : `json_array_elements(${params.add(body.json)}::json) pgrst_body`
    sql = `INSERT INTO ${target} SELECT FROM ${rows}`
  } else {
    const names = body.columns.map((c) => ident(c.name))
    sql = `INSERT INTO ${target} (${names.join(', ')}) SELECT ${names.map((n) => `pgrst_body.${n}`).join(', ')} FROM ${bodySource(body, params)}`
  }
  if (merge) sql += ` WHERE ${counter('+')} <> '0'`
  if (conflict && conflict.columns.length > 0) {
    sql += ` ON CONFLICT (${conflict.columns.map(ident).join(', ')}) `
    if (conflict.action === 'ignore' || body.columns.length === 0) {
      sql += 'DO NOTHING'
    } else {
      const sets = body.columns.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`).join(', ')
      sql += `DO UPDATE SET ${sets} WHERE ${counter('-')} <> '-1'`
    }
  }
  return sql + returningSql(alias, returning)
}

/** UPDATE of the rows the root's filters select. */
export function updateSql(root: ReadNode, body: WriteBody, returning: Returning, params: SqlParams): string {
  const alias = root.alias
  const target = `${qualified(EXPOSED_SCHEMA, root.table.name)} AS ${ident(alias)}`
  if (body.columns.length === 0) {
    // Nothing to set: PostgREST selects no rows but keeps the returned columns' shape.
    const columns = returning === 'none' || returning === 'all' || returning.length === 0
      ? (returning === 'all' ? `${ident(alias)}.*` : '1')
      : returning.map((c) => `${ident(alias)}.${ident(c)}`).join(', ')
    return `SELECT ${columns} FROM ${target} WHERE false`
  }
  const sets = body.columns.map((c) => `${ident(c.name)} = pgrst_body.${ident(c.name)}`).join(', ')
  // Rendered in textual order so the parameters are numbered the way they appear.
  const source = bodySource(body, params)
  const where = rootWhereTerms(root, params)
  return `UPDATE ${target} SET ${sets} FROM ${source}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${returningSql(alias, returning)}`
}

/** DELETE of the rows the root's filters select. */
export function deleteSql(root: ReadNode, returning: Returning, params: SqlParams): string {
  const alias = root.alias
  const where = rootWhereTerms(root, params)
  return `DELETE FROM ${qualified(EXPOSED_SCHEMA, root.table.name)} AS ${ident(alias)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${returningSql(alias, returning)}`
}

/** The root columns a representation reads back: selected ones plus the embeds' join columns. */
export function returningFor(root: ReadNode): Returning {
  if (root.select.length === 0 && root.embeds.length === 0) return 'all'
  if (root.select.some((item) => item.kind === 'star')) return 'all'
  const names = new Set<string>()
  for (const item of root.select) if (item.kind === 'field') names.add(item.field.column.name)
  for (const embed of root.embeds) for (const [parent] of embed.rel.columns) names.add(parent)
  return [...names]
}
