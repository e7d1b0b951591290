/**
 * What the flows' users still own once their flows ended: every row the server made on their
 * behalf must be gone (rolled back, or deleted by harmful() because the flow tracked it).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { UnexpectedResultError } from './errors.ts'

/** Tables and the column that names the user a row belongs to. */
const OWNED_BY: ReadonlyArray<readonly [table: string, column: string]> = [
  ['profiles', 'id'],
  ['organizations', 'created_by'],
  ['organization_members', 'user_id'],
  ['projects', 'created_by'],
  ['documents', 'created_by'],
  ['blocks', 'created_by'],
  ['requirements', 'created_by'],
  ['test_req', 'created_by'],
  ['trace_links', 'created_by'],
  ['workflows', 'created_by'],
  ['workflow_runs', 'created_by'],
]

/** Rows per table (only tables with some) that still belong to `users`, read with the service role. */
export async function leftovers(service: SupabaseClient, users: readonly string[]): Promise<Record<string, number>> {
  const counts = await Promise.all(OWNED_BY.map(async ([table, column]) => {
    const { count, error } = await service.from(table).select('*', { count: 'exact', head: true }).in(column, [...users])
    if (error) throw new UnexpectedResultError(`Could not count "${table}" as the service role: ${error.message}`)
    return [table, count ?? 0] as const
  }))
  return Object.fromEntries(counts.filter(([, n]) => n > 0))
}
