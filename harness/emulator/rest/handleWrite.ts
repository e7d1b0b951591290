/**
 * POST (insert, bulk insert, upsert), PATCH and DELETE on `/rest/v1/<table>`: validate the body
 * and names against the catalog, run the write and its representation in one statement as the
 * caller, and answer with PostgREST's status, `Content-Range` and body.
 */
import type { TableInfo } from './catalog.ts'
import type { Caller, EmulatorContext } from '../types.ts'
import type { RestRequest } from './parseRequest.ts'
import type { Conflict, Returning, WriteBody } from './buildWrite.ts'
import type { ReadNode } from './planRead.ts'
import { selectSql } from './buildSelect.ts'
import { statementSql } from './buildStatement.ts'
import { deleteSql, insertSql, returningFor, updateSql } from './buildWrite.ts'
import { PostgrestError, columnNotFound, invalidBody, singularityError, unsupported } from './errors.ts'
import { runAsCaller, withCatalog } from './internal/execute.ts'
import { SqlParams, ident } from './internal/sql.ts'
import { checkContentType } from './parseHeaders.ts'
import { planRead } from './planRead.ts'
import { contentRange, preferenceApplied, respond } from './respond.ts'

/** The body as PostgREST reads it: JSON, and without `columns=` objects with uniform keys. */
function parseBody(text: string, method: string, columnsParam: string[] | undefined): { json: string; isObject: boolean; keys: string[] } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw invalidBody('Empty or invalid json')
  }
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value)
  if (method === 'PATCH' && !isObject) {
    // `[]` and `[{}]` set nothing, as in PostgREST; arrays with keys update from several rows at once.
    const setsNothing = Array.isArray(value) && value.every((row) => row !== null && typeof row === 'object' && Object.keys(row).length === 0)
    if (!setsNothing || columnsParam) throw unsupported('PATCH with a JSON array body')
    return { json: '{}', isObject: true, keys: [] }
  }
  if (columnsParam) return { json: text, isObject: /^\s*\{/.test(text), keys: columnsParam }
  if (isObject) return { json: text, isObject, keys: Object.keys(value as object) }
  if (!Array.isArray(value)) throw invalidBody('All object keys must match')
  const [first] = value
  if (first === undefined) return { json: text, isObject: false, keys: [] }
  const isPlain = (x: unknown): x is object => x !== null && typeof x === 'object' && !Array.isArray(x)
  if (!isPlain(first)) throw invalidBody('All object keys must match')
  const keys = Object.keys(first)
  const uniform = value.every((row) => isPlain(row) && sameKeys(Object.keys(row), keys))
  if (!uniform) throw invalidBody('All object keys must match')
  return { json: text, isObject: false, keys }
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k) => b.includes(k))
}

function writeBody(table: TableInfo, parsed: ReturnType<typeof parseBody>, applyDefaults: boolean): WriteBody {
  const columns = [...new Set(parsed.keys)].map((key) => {
    const column = table.columns.get(key)
    if (!column) throw columnNotFound(table.name, key)
    return column
  })
  return { json: parsed.json, isObject: parsed.isObject, columns, applyDefaults }
}

/**
 * Supabase loads pg-safeupdate for every API request, so an UPDATE or DELETE without a filter
 * fails with 21000 (400 in PostgREST) instead of touching every row.
 */
function requiresWhere(command: 'UPDATE' | 'DELETE'): PostgrestError {
  return new PostgrestError(400, { code: '21000', message: `${command} requires a WHERE clause` })
}

function conflictFor(request: RestRequest, table: TableInfo): Conflict | undefined {
  const { resolution } = request.prefs
  if (!resolution) return undefined
  const columns = request.ast.onConflict ?? table.primaryKey
  for (const name of columns) {
    if (!table.columns.has(name)) {
      throw new PostgrestError(400, { code: '42703', message: `column "${name}" does not exist` }, { catalogMiss: true })
    }
  }
  return { columns, action: resolution === 'merge-duplicates' ? 'merge' : 'ignore' }
}

/** Answers a POST, PATCH or DELETE of `request.resource`. */
export async function handleWrite(request: RestRequest, caller: Caller, ctx: EmulatorContext, bodyText: string): Promise<Response> {
  const { ast, prefs, media, method } = request
  if (ast.ranges.has('')) throw unsupported(`"limit"/"offset" on ${method} (limited writes)`)
  if (method !== 'DELETE') checkContentType(request.headers)
  const parsed = method === 'DELETE' ? undefined : parseBody(bodyText, method, ast.columns)
  const representation = prefs.return === 'representation'
  const params = new SqlParams()
  let root: ReadNode | undefined
  let merge = false
  const sql = await withCatalog(ctx, ast.select, (catalog) => {
    params.values.length = 0
    root = planRead(catalog, request.resource, ast, { range: { offset: 0 }, mutation: true })
    const returning: Returning = representation ? returningFor(root) : 'none'
    let source: string
    if (method === 'POST') {
      const conflict = conflictFor(request, root.table)
      merge = conflict?.action === 'merge' && conflict.columns.length > 0
      source = insertSql(root.table, writeBody(root.table, parsed!, prefs.missing === 'default'), conflict, returning, params)
    } else if (method === 'PATCH') {
      const body = writeBody(root.table, parsed!, prefs.missing === 'default')
      if (body.columns.length > 0 && root.where.length === 0) throw requiresWhere('UPDATE')
      source = updateSql(root, body, returning, params)
    } else {
      if (root.where.length === 0) throw requiresWhere('DELETE')
      source = deleteSql(root, returning, params)
    }
    const outer = representation ? selectSql(root, params, { from: `pgrst_source AS ${ident(root.alias)}`, rootClauses: false }) : undefined
    return statementSql({
      source,
      ...(outer === undefined ? {} : { outer }),
      body: { kind: representation ? 'rows' : 'none', singular: media.singular, stripNulls: media.stripNulls },
      inserted: merge,
    })
  })
  const result = await runAsCaller(ctx, caller, sql, params.values, {
    // pgrst.inserted is transaction-local; start from zero even inside a test's outer transaction.
    ...(merge ? { before: async (tx) => void (await tx.query(`select set_config('pgrst.inserted', '', true)`)) } : {}),
    check: (r) => {
      if (media.singular && r.pageTotal !== 1) throw singularityError(r.pageTotal)
    },
  })
  const total = prefs.count === 'exact' ? result.pageTotal : null
  const body = representation ? result.body : null
  if (method === 'POST') {
    const status = merge && (result.inserted === null || result.inserted <= 0) ? 200 : 201
    const resolutionApplies = (root?.table.primaryKey.length ?? 0) > 0 || ast.onConflict !== undefined
    const applied = preferenceApplied(prefs, [...(resolutionApplies ? (['resolution'] as const) : []), 'missing', 'return', 'count'])
    return respond(status, body, { 'Content-Range': contentRange(1, 0, total), ...applied, ...request.profileHeader }, result)
  }
  const headers = {
    'Content-Range': method === 'PATCH' ? contentRange(0, result.pageTotal - 1, total) : contentRange(1, 0, total),
    ...preferenceApplied(prefs, ['return', 'count', ...(method === 'PATCH' ? (['missing'] as const) : [])]),
    ...request.profileHeader,
  }
  return respond(representation ? 200 : 204, body, headers, result)
}
