/**
 * The one statement every request runs, shaped like PostgREST's (`Query.Statements`): the work
 * in a `pgrst_source` CTE, then one row with the total count, the page count and the JSON body
 * built by Postgres itself (`json_agg`), so values serialise exactly as PostgREST's do.
 */
import type { SqlSession } from '../../sql/index.ts'

/** How the body is aggregated. */
export interface BodyShape {
  /** `rows`: objects; `scalar`/`setofScalar`: a function's plain values (`pgrst_scalar`). */
  kind: 'rows' | 'singleRow' | 'scalar' | 'setofScalar' | 'none'
  singular: boolean
  stripNulls: boolean
}

/** The JSON body expression over `_postgrest_t`. */
export function bodySql(shape: BodyShape): string {
  if (shape.kind === 'none') return `''`
  const value = shape.kind === 'scalar' || shape.kind === 'setofScalar' ? '_postgrest_t.pgrst_scalar' : '_postgrest_t'
  const one = shape.singular || shape.kind === 'scalar' || shape.kind === 'singleRow'
  let aggregated = `json_agg(${value})`
  if (shape.stripNulls) aggregated = `json_strip_nulls(${aggregated})`
  return one ? `coalesce(${aggregated}->0, 'null')` : `coalesce(${aggregated}, '[]')`
}

/** Parts of the statement. */
export interface StatementParts {
  /** The CTE body: a SELECT, a data-modifying statement or a function call. */
  source: string
  /** The rows counted for `Prefer: count=exact` (reads and RPC). */
  count?: string
  /** What is aggregated into the body (default: every row of the source). */
  outer?: string
  body: BodyShape
  /** Report `pgrst.inserted` (upserts with merge-duplicates). */
  inserted?: boolean
  /** A function returning one value counts as one row whatever the result. */
  singleRowPage?: boolean
  /**
   * Read the `response.status` / `response.headers` GUCs (default true). Plain table reads skip
   * them: only functions and triggers set them, and a SELECT on a table fires no trigger.
   */
  gucs?: boolean
}

/** Assembles the statement. */
export function statementSql(parts: StatementParts): string {
  const countCte = parts.count === undefined ? '' : `, pgrst_source_count AS (${parts.count})`
  const total = parts.count === undefined ? 'null::bigint' : '(SELECT pg_catalog.count(*) FROM pgrst_source_count)'
  const inserted = parts.inserted ? `nullif(current_setting('pgrst.inserted', true), '')::int` : 'null::int'
  return (
    `WITH pgrst_source AS (${parts.source})${countCte} ` +
    `SELECT ${total} AS total, ${parts.singleRowPage ? '1' : 'pg_catalog.count(_postgrest_t)'} AS page_total, ` +
    `${bodySql(parts.body)}::text AS body, ` +
    (parts.gucs === false
      ? 'null::text AS response_headers, null::text AS response_status, '
      : `nullif(current_setting('response.headers', true), '') AS response_headers, ` +
        `nullif(current_setting('response.status', true), '') AS response_status, `) +
    `${inserted} AS inserted ` +
    `FROM (${parts.outer ?? 'SELECT * FROM pgrst_source'}) _postgrest_t`
  )
}

/** The single row the statement returns, decoded. */
export interface StatementResult {
  /** `Prefer: count=exact` total, else null. */
  total: number | null
  /** Rows in this page (or affected by a write). */
  pageTotal: number
  body: string
  /** `response.headers` GUC set by the request's SQL (PostgREST honours it). */
  gucHeaders: string | null
  gucStatus: string | null
  inserted: number | null
}

interface RawRow {
  total: string | number | null
  page_total: string | number
  body: string
  response_headers: string | null
  response_status: string | null
  inserted: number | null
}

/** Runs the statement in the request's transaction and decodes its row. */
export async function runStatement(tx: SqlSession, sql: string, params: unknown[], prepare: boolean): Promise<StatementResult> {
  const { rows } = await tx.query<RawRow>(sql, params, { prepare })
  const row = rows[0]
  if (!row) return { total: null, pageTotal: 0, body: '', gucHeaders: null, gucStatus: null, inserted: null }
  return {
    total: row.total === null ? null : Number(row.total),
    pageTotal: Number(row.page_total),
    body: row.body,
    gucHeaders: row.response_headers,
    gucStatus: row.response_status,
    inserted: row.inserted,
  }
}
