/**
 * SQL functions the server reaches through `rpc/<name>` (relationship graph, query stats, search).
 * They are `security invoker`, so the caller's RLS applies inside them too.
 */
import type { SupabaseClient } from '@supabase/supabase-js'

import { mapDataError } from './mapError.ts'

/** Calls `public.<fn>` with named arguments and returns its JSON result. */
export async function callRpc<T>(db: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error, status } = await db.rpc(fn, args)
  if (error) throw mapDataError(error, status, 'rpc')
  return data as T
}

/** One ranked search hit, as `search_entities` returns it. */
export type SearchHit = {
  entity_type: string
  id: string
  title: string
  rank: number
  workspace_id: string | null
  project_id: string | null
  status: string | null
  priority: string | null
  is_deleted: boolean
  updated_at: string | null
}

/** The result of `search_entities`. */
export interface SearchResult {
  total: number
  hits: SearchHit[]
  facets: Record<'entity_type' | 'status' | 'priority', Record<string, number>>
}

/** Arguments of {@link searchEntities}. */
export interface SearchArgs {
  text: string
  entityTypes?: string[]
  workspaceId?: string
  projectId?: string
  statuses?: string[]
  priorities?: string[]
  includeDeleted?: boolean
  limit: number
  offset?: number
}

/** Ranked full-text search (ts_rank over `fts_vector`) under the caller's RLS. */
export function searchEntities(db: SupabaseClient, args: SearchArgs): Promise<SearchResult> {
  return callRpc<SearchResult>(db, 'search_entities', {
    search_text: args.text,
    entity_types: args.entityTypes ?? null,
    workspace_id: args.workspaceId ?? null,
    project_id: args.projectId ?? null,
    statuses: args.statuses ?? null,
    priorities: args.priorities ?? null,
    include_deleted: args.includeDeleted ?? false,
    max_results: args.limit,
    skip: args.offset ?? 0,
  })
}
