/**
 * Row operations every tool shares, written once over supabase-js: read, page through, insert,
 * update with optimistic locking, soft and hard delete. When PostgREST answers "no row" the
 * helpers probe once more to tell the three reasons apart — the row is not visible or deleted
 * (NOT_FOUND), its version moved on (CONFLICT), or RLS refused the change (FORBIDDEN).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Condition } from '../tools/internal/fields.ts'

import { ToolError, notFound } from '../errors.ts'
import { mapDataError } from './mapError.ts'

/** A row as PostgREST returns it. */
export type Row = Record<string, unknown>

/** What the row helpers need to know about a table. */
export interface TableRef {
  table: string
  /** Human name for messages ("project", "trace_link"...). */
  label: string
  /** Column list to select; `*` when omitted. */
  columns?: string[]
  softDelete: boolean
  versioned: boolean
}

/** A page of rows and the total that matched. */
export interface Page {
  items: Row[]
  total: number
}

const selectList = (ref: TableRef, columns?: string[]) => (columns ?? ref.columns ?? ['*']).join(',')

// PostgREST filter builders are deeply generic; the helpers only need the filter methods.
type Filterable = any

/** Adds one validated condition to a PostgREST query. */
export function applyCondition(query: Filterable, cond: Condition): Filterable {
  switch (cond.op) {
    case 'eq': return query.eq(cond.field, cond.value)
    case 'neq': return query.neq(cond.field, cond.value)
    case 'gt': return query.gt(cond.field, cond.value)
    case 'gte': return query.gte(cond.field, cond.value)
    case 'lt': return query.lt(cond.field, cond.value)
    case 'lte': return query.lte(cond.field, cond.value)
    case 'like': return query.like(cond.field, cond.value)
    case 'ilike': return query.ilike(cond.field, cond.value)
    case 'in': return query.in(cond.field, cond.value as unknown[])
    case 'is': return query.is(cond.field, cond.value)
    case 'contains': return query.contains(cond.field, cond.value)
  }
}

/** Hides soft-deleted rows (`is_deleted` may be NULL in older rows, which counts as live). */
export function liveOnly(query: Filterable, ref: TableRef, includeDeleted = false): Filterable {
  return ref.softDelete && !includeDeleted ? query.not('is_deleted', 'is', true) : query
}

/** Reads one row by id; NOT_FOUND when it is missing, invisible, or soft-deleted (unless included). */
export async function readRow(db: SupabaseClient, ref: TableRef, id: string, options: { includeDeleted?: boolean, columns?: string[] } = {}): Promise<Row> {
  const query = liveOnly(db.from(ref.table).select(selectList(ref, options.columns)).eq('id', id), ref, options.includeDeleted)
  const { data, error, status } = await query.maybeSingle()
  if (error) throw mapDataError(error, status, 'read')
  if (!data) throw notFound(ref.label, id)
  return data as unknown as Row
}

/** Options of {@link listRows}. */
export interface ListOptions {
  conditions?: Condition[]
  /** Extra filter applied as is (parent matching). */
  extra?: (query: Filterable) => Filterable
  order?: Array<{ column: string, ascending: boolean }>
  limit: number
  offset: number
  includeDeleted?: boolean
  columns?: string[]
}

/** Pages through a table with validated conditions; `total` counts every match. */
export async function listRows(db: SupabaseClient, ref: TableRef, options: ListOptions): Promise<Page> {
  const build = (head: boolean) => {
    let query: Filterable = db.from(ref.table).select(selectList(ref, options.columns), { count: 'exact', head })
    query = liveOnly(query, ref, options.includeDeleted)
    for (const cond of options.conditions ?? []) query = applyCondition(query, cond)
    if (options.extra) query = options.extra(query)
    return query
  }
  let query = build(false)
  const order = options.order?.length ? options.order : [{ column: 'created_at', ascending: false }]
  for (const { column, ascending } of order) query = query.order(column, { ascending })
  if (!order.some((o) => o.column === 'id')) query = query.order('id', { ascending: true })
  const { data, error, status, count } = await query.range(options.offset, options.offset + options.limit - 1)
  if (error) {
    // PostgREST refuses a range that starts past the end (416); that is an empty page, not an error.
    if (error.code === 'PGRST103' || status === 416) {
      const counted = await build(true)
      if (counted.error) throw mapDataError(counted.error, counted.status, 'read')
      return { items: [], total: counted.count ?? 0 }
    }
    throw mapDataError(error, status, 'read')
  }
  const items = (data ?? []) as Row[]
  return { items, total: count ?? items.length }
}

/** Inserts one row and returns it as stored (defaults and trigger effects included). */
export async function insertRow(db: SupabaseClient, ref: TableRef, values: Row): Promise<Row> {
  const { data, error, status } = await db.from(ref.table).insert(values).select(selectList(ref)).single()
  if (error) throw mapDataError(error, status, 'insert')
  return data as unknown as Row
}

/** Optimistic-lock expectations of an update: the version (versioned tables) or `updated_at` read before. */
export interface Expectation {
  version?: number
  updatedAt?: string
}

/**
 * Updates one live row. With `expect.version` the update only applies while the row still has
 * that version (the database trigger then bumps it); otherwise CONFLICT names the current one.
 */
export async function updateRow(db: SupabaseClient, ref: TableRef, id: string, patch: Row, expect: Expectation = {}): Promise<Row> {
  const { version, updatedAt } = expect
  if (version !== undefined && !ref.versioned) {
    throw new ToolError('INVALID_INPUT', `${ref.label} rows carry no version column; pass "expected_updated_at" (the updated_at you read) instead of "expected_version"`)
  }
  let query: Filterable = db.from(ref.table).update(patch).eq('id', id)
  query = liveOnly(query, ref)
  if (version !== undefined) query = query.eq('version', version)
  if (updatedAt !== undefined) query = query.eq('updated_at', updatedAt)
  const { data, error, status } = await query.select(selectList(ref))
  if (error) throw mapDataError(error, status, 'update')
  const [row] = (data ?? []) as unknown as Row[]
  if (row) return row
  throw await explainMiss(db, ref, id, expect)
}

/** Soft-deletes one live row (the database stamps `deleted_at` / `deleted_by`). */
export async function softDeleteRow(db: SupabaseClient, ref: TableRef, id: string): Promise<Row> {
  return updateRow(db, ref, id, { is_deleted: true })
}

/** Physically deletes one row, soft-deleted or not. Rows still referenced give CONFLICT. */
export async function hardDeleteRow(db: SupabaseClient, ref: TableRef, id: string): Promise<Row> {
  const { data, error, status } = await db.from(ref.table).delete().eq('id', id).select(selectList(ref))
  if (error) throw mapDataError(error, status, 'delete')
  const [row] = (data ?? []) as unknown as Row[]
  if (row) return row
  throw await explainMiss(db, ref, id, {}, true)
}

// Why did a write by id touch no row? Visible + live + right version means RLS refused it.
async function explainMiss(db: SupabaseClient, ref: TableRef, id: string, expect: Expectation = {}, allowDeleted = false): Promise<ToolError> {
  const columns = ['id', 'updated_at', ...(ref.softDelete ? ['is_deleted'] : []), ...(ref.versioned ? ['version'] : [])]
  const { data, error, status } = await db.from(ref.table).select(columns.join(',')).eq('id', id).maybeSingle()
  if (error) return mapDataError(error, status, 'read')
  const row = data as Row | null
  if (!row || (!allowDeleted && row.is_deleted === true)) return notFound(ref.label, id)
  if (expect.version !== undefined && row.version !== expect.version) {
    return new ToolError('CONFLICT', `${ref.label} "${id}" is at version ${String(row.version)}, not ${expect.version}; read it again and retry`, {
      current_version: row.version,
      expected_version: expect.version,
    })
  }
  if (expect.updatedAt !== undefined && micros(String(row.updated_at)) !== micros(expect.updatedAt)) {
    return new ToolError('CONFLICT', `${ref.label} "${id}" was changed at ${String(row.updated_at)}, after ${expect.updatedAt}; read it again and retry`, {
      current_updated_at: row.updated_at,
      expected_updated_at: expect.updatedAt,
    })
  }
  return new ToolError('FORBIDDEN', `You may read ${ref.label} "${id}" but not change it; ask an owner or admin`)
}

// Microseconds since the epoch of an ISO timestamp; Postgres keeps six fraction digits, Date three.
function micros(iso: string): number {
  const match = /\.(\d+)/.exec(iso)
  const fraction = match ? Number((match[1]! + '000000').slice(0, 6)) : 0
  return Date.parse(iso.replace(/\.\d+/, '')) * 1000 + fraction
}
