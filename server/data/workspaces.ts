/**
 * Workspace (organization) rules that go beyond RLS: the caller's role, the memberships behind
 * `list_workspaces`, and delete — soft by the owner only, hard only by the owner of an empty
 * workspace (spec §0).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Row } from './rows.ts'

import { ToolError } from '../errors.ts'
import { ENTITIES } from './entities.ts'
import { entityRef } from './createEntity.ts'
import { mapDataError } from './mapError.ts'
import { hardDeleteRow, readRow, softDeleteRow } from './rows.ts'

/** The row helpers' view of `organizations`. */
export const WORKSPACES = entityRef(ENTITIES.organization)

/** Most memberships `list_workspaces` considers. */
const MAX_MEMBERSHIPS = 1_000

/** The caller's live, active memberships: organization id → role. */
export async function myMemberships(db: SupabaseClient, userId: string): Promise<Map<string, string>> {
  const { data, error, status } = await db.from('organization_members')
    .select('organization_id,role')
    .eq('user_id', userId)
    .not('is_deleted', 'is', true)
    .or('status.is.null,status.eq.active')
    .limit(MAX_MEMBERSHIPS)
  if (error) throw mapDataError(error, status, 'read')
  return new Map(((data ?? []) as Array<{ organization_id: string, role: string }>).map((m) => [m.organization_id, m.role]))
}

/** The caller's role in one workspace, or null when not a live member. */
export async function roleIn(db: SupabaseClient, userId: string, workspaceId: string): Promise<string | null> {
  const { data, error, status } = await db.from('organization_members')
    .select('role')
    .eq('user_id', userId)
    .eq('organization_id', workspaceId)
    .not('is_deleted', 'is', true)
    .or('status.is.null,status.eq.active')
    .maybeSingle()
  if (error) throw mapDataError(error, status, 'read')
  return (data as { role: string } | null)?.role ?? null
}

/** How many rows of `table` have `column` = `id` (soft-deleted ones too). */
export async function countRows(db: SupabaseClient, table: string, column: string, id: string, liveOnly = false): Promise<number> {
  let query: any = db.from(table).select('id', { count: 'exact', head: true }).eq(column, id)
  if (liveOnly) query = query.not('is_deleted', 'is', true)
  const { count, error, status } = await query
  if (error) throw mapDataError(error, status, 'read')
  return count ?? 0
}

/** Deletes a workspace for the caller: soft by default, hard only when it holds nothing. */
export async function deleteWorkspace(db: SupabaseClient, userId: string, id: string, hard: boolean): Promise<Row> {
  await readRow(db, WORKSPACES, id, { includeDeleted: hard, columns: ['id'] })
  const role = await roleIn(db, userId, id)
  if (role !== 'owner') {
    throw new ToolError('FORBIDDEN', `Only an owner of workspace "${id}" may delete it (your role: ${role ?? 'none'})`)
  }
  if (!hard) return softDeleteRow(db, WORKSPACES, id)
  const [projects, workflows, properties] = await Promise.all([
    countRows(db, 'projects', 'organization_id', id),
    countRows(db, 'workflows', 'organization_id', id),
    countRows(db, 'properties', 'org_id', id),
  ])
  if (projects + workflows + properties > 0) {
    throw new ToolError('CONFLICT', `Workspace "${id}" still holds ${projects} project(s), ${workflows} workflow(s) and ${properties} propert(ies), deleted ones included; hard delete only empty workspaces, or soft delete it`, {
      projects, workflows, properties,
    })
  }
  return hardDeleteRow(db, WORKSPACES, id)
}
