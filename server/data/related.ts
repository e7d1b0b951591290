/**
 * What `read_entity` adds with `include`: the live children of a row (projects of a workspace,
 * documents and tests of a project...) and its relations (members, trace links, assignments,
 * requirement ↔ test links). Each list holds at most {@link RELATED_LIMIT} rows, newest first.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { EntityType } from './entities.ts'
import type { Row } from './rows.ts'

import { mapDataError } from './mapError.ts'

/** Most rows returned per related list. */
export const RELATED_LIMIT = 100

interface RelatedQuery {
  key: string
  table: string
  /** Column matching the row id, or several (either matches). */
  match: string | string[]
  softDelete: boolean
}

const CHILDREN: Partial<Record<EntityType, RelatedQuery[]>> = {
  organization: [{ key: 'projects', table: 'projects', match: 'organization_id', softDelete: true }],
  project: [
    { key: 'documents', table: 'documents', match: 'project_id', softDelete: true },
    { key: 'tests', table: 'test_req', match: 'project_id', softDelete: true },
  ],
  document: [
    { key: 'blocks', table: 'blocks', match: 'document_id', softDelete: true },
    { key: 'requirements', table: 'requirements', match: 'document_id', softDelete: true },
  ],
  block: [{ key: 'requirements', table: 'requirements', match: 'block_id', softDelete: true }],
}

const RELATIONS: Partial<Record<EntityType, RelatedQuery[]>> = {
  organization: [{ key: 'members', table: 'organization_members', match: 'organization_id', softDelete: true }],
  project: [{ key: 'members', table: 'project_members', match: 'project_id', softDelete: true }],
  document: [
    { key: 'trace_links', table: 'trace_links', match: ['source_id', 'target_id'], softDelete: true },
    { key: 'assignments', table: 'assignments', match: 'entity_id', softDelete: true },
  ],
  requirement: [
    { key: 'trace_links', table: 'trace_links', match: ['source_id', 'target_id'], softDelete: true },
    { key: 'assignments', table: 'assignments', match: 'entity_id', softDelete: true },
    { key: 'requirement_tests', table: 'requirement_tests', match: 'requirement_id', softDelete: false },
  ],
  test: [{ key: 'requirement_tests', table: 'requirement_tests', match: 'test_id', softDelete: false }],
  profile: [
    { key: 'organization_memberships', table: 'organization_members', match: 'user_id', softDelete: true },
    { key: 'project_memberships', table: 'project_members', match: 'user_id', softDelete: true },
    { key: 'assignments', table: 'assignments', match: 'assignee_id', softDelete: true },
  ],
}

/** Loads the requested related lists of one row (ids are validated uuids). */
export async function loadRelated(db: SupabaseClient, type: EntityType, id: string, which: 'children' | 'relations'): Promise<Record<string, Row[]>> {
  const queries = (which === 'children' ? CHILDREN : RELATIONS)[type] ?? []
  const lists = await Promise.all(queries.map(async (q) => {
    // Related rows come back whole, minus the generated search vector.
    let query: any = db.from(q.table).select('*')
    query = Array.isArray(q.match) ? query.or(q.match.map((c) => `${c}.eq.${id}`).join(',')) : query.eq(q.match, id)
    if (q.softDelete) query = query.not('is_deleted', 'is', true)
    const { data, error, status } = await query.order('created_at', { ascending: false }).limit(RELATED_LIMIT)
    if (error) throw mapDataError(error, status, 'read')
    return [q.key, ((data ?? []) as Row[]).map(({ fts_vector: _drop, ...rest }) => rest)] as const
  }))
  return Object.fromEntries(lists)
}
