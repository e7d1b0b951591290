/**
 * Reading an RLS verdict from a supabase-js response. Postgres answers a denied read or a denied
 * update/delete by filtering rows out (no error), and a denied insert, or an update whose new row
 * fails the policy's check, with SQLSTATE 42501. It checks RLS before constraints, so a
 * constraint error (class 23) proves the row got past RLS.
 * @see https://www.postgresql.org/docs/current/sql-createpolicy.html
 */
import type { Observed } from './types.ts'

/** The part of a PostgREST error the verdict depends on. */
export interface ProbeError {
  code?: string | null
  message: string
}

/** A supabase-js response, reduced to what the classifiers read. */
export interface ProbeResponse {
  data: unknown
  error: ProbeError | null
}

/** A verdict and how it was read. */
export interface Classified {
  observed: Observed
  detail: string
}

/** Insufficient privilege: what Postgres raises for an RLS check failure and a missing grant. */
export const INSUFFICIENT_PRIVILEGE = '42501'

function describeError(error: ProbeError): string {
  return `${error.code ?? 'no code'}: ${error.message}`
}

function isConstraintError(error: ProbeError): boolean {
  return typeof error.code === 'string' && error.code.startsWith('23')
}

function rowIds(data: unknown): string[] | undefined {
  if (!Array.isArray(data)) return undefined
  return data.map((row) => String((row as { id?: unknown }).id))
}

/**
 * A read of `expectedIds`: all of them seen is `allow`, none `deny`; some but not all is an
 * `error` (the seeded rows should share one permission context).
 */
export function classifySelect(response: ProbeResponse, expectedIds: readonly string[]): Classified {
  if (response.error) {
    if (response.error.code === INSUFFICIENT_PRIVILEGE) return { observed: 'deny', detail: `refused (${describeError(response.error)})` }
    return { observed: 'error', detail: `read failed (${describeError(response.error)})` }
  }
  const ids = rowIds(response.data)
  if (!ids) return { observed: 'error', detail: 'read returned no row list' }
  const seen = expectedIds.filter((id) => ids.includes(id))
  if (seen.length === expectedIds.length) return { observed: 'allow', detail: `saw all ${expectedIds.length} rows` }
  if (seen.length === 0) return { observed: 'deny', detail: 'saw none of the rows' }
  return { observed: 'error', detail: `saw ${seen.length} of ${expectedIds.length} rows that share one permission context` }
}

/** An insert sent with `return=minimal`, so SELECT policies play no part in it. */
export function classifyInsert(response: ProbeResponse): Classified {
  const { error } = response
  if (!error) return { observed: 'allow', detail: 'inserted' }
  if (error.code === INSUFFICIENT_PRIVILEGE) return { observed: 'deny', detail: `refused (${describeError(error)})` }
  if (isConstraintError(error)) return { observed: 'allow', detail: `passed RLS, then stopped by a constraint (${describeError(error)})` }
  return { observed: 'error', detail: `insert failed (${describeError(error)})` }
}

/**
 * An update or delete of one row by id, with `select('id')`: the row coming back is `allow`,
 * no row `deny` (the USING clause hid it), 42501 `deny` (the new row failed the check).
 */
export function classifyWrite(response: ProbeResponse, verb: 'update' | 'delete'): Classified {
  const { error } = response
  if (error) {
    if (error.code === INSUFFICIENT_PRIVILEGE) return { observed: 'deny', detail: `refused (${describeError(error)})` }
    if (isConstraintError(error)) return { observed: 'allow', detail: `passed RLS, then stopped by a constraint (${describeError(error)})` }
    return { observed: 'error', detail: `${verb} failed (${describeError(error)})` }
  }
  const ids = rowIds(response.data)
  if (!ids) return { observed: 'error', detail: `${verb} returned no row list` }
  if (ids.length === 1) return { observed: 'allow', detail: `${verb}d 1 row` }
  if (ids.length === 0) return { observed: 'deny', detail: `${verb}d no row` }
  return { observed: 'error', detail: `${verb}d ${ids.length} rows where one id was named` }
}
