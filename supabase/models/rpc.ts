/**
 * The SQL functions of the schema: RPC argument and result models for the two functions the
 * MCP server calls (`get_relationship_graph`, `get_query_stats`), and the catalog facts of every
 * function the migrations create (for drift checks).
 */
import { z } from 'zod'
import { enums } from './enums.ts'
import { entityTypes, relationshipKinds } from './tables.ts'

const count = z.number().int().nonnegative()
const id = z.guid()

/** Arguments of `rpc/get_relationship_graph`. */
export const GetRelationshipGraphArgs = z.strictObject({
  root_id: id.describe('Id of the entity to start from'),
  root_type: z.enum(entityTypes).describe('Entity type of the root'),
  depth: z.number().int().min(0).max(5).optional().describe('Hops to follow, 0..5 (default 2)'),
  kinds: z.array(z.enum(relationshipKinds)).nullable().optional().describe('Relationship kinds to follow (default all)'),
})

/** Result of `get_relationship_graph`. */
export const RelationshipGraph = z.object({
  root: z.object({ id, type: z.enum(entityTypes) }),
  depth: z.number().int(),
  kinds: z.array(z.enum(relationshipKinds)),
  nodes: z.array(z.object({ id, type: z.enum(entityTypes), label: z.string(), depth: z.number().int() })),
  edges: z.array(
    z.object({
      id,
      kind: z.enum(relationshipKinds),
      source_id: id,
      source_type: z.enum(entityTypes),
      target_id: id,
      target_type: z.enum(entityTypes),
      attributes: z.record(z.string(), z.json()),
    }),
  ),
})

/** Arguments of `rpc/get_query_stats`: a workspace, a project, or neither (everything visible). */
export const GetQueryStatsArgs = z.strictObject({
  workspace_id: id.nullable().optional().describe('Organization to count in'),
  project_id: id.nullable().optional().describe('Project to count in'),
})

/** Result of `get_query_stats`: every enum value is present, zeros included. */
export const QueryStats = z.object({
  scope: z.object({ workspace_id: id.nullable(), project_id: id.nullable() }),
  totals: z.object({ projects: count, documents: count, requirements: count, tests: count }),
  projects: z.object({ by_status: z.record(enums.project_status, count) }),
  requirements: z.object({
    by_status: z.record(enums.requirement_status, count),
    by_priority: z.record(enums.requirement_priority, count),
  }),
  tests: z.object({
    by_status: z.record(enums.test_status, count),
    by_priority: z.record(enums.test_priority, count),
  }),
  coverage: z.object({ requirements: count, covered: count, percent: z.number().min(0).max(100) }),
})

/** A function of `public` as the catalog describes it. */
export interface FunctionInfo {
  /** Argument types in order (`pg_get_function_identity_arguments` types, short names). */
  args: string[]
  returns: string
  /** `security definer` (else invoker). Every function pins `search_path`. */
  securityDefiner: boolean
  /** Called by the MCP server through `rpc/<name>`. */
  rpc: boolean
  /** Runs as a trigger. */
  trigger: boolean
}

const helper = (args: string[], returns = 'boolean'): FunctionInfo => ({ args, returns, securityDefiner: true, rpc: false, trigger: false })
const trigger = (securityDefiner: boolean): FunctionInfo => ({ args: [], returns: 'trigger', securityDefiner, rpc: false, trigger: true })

/** Every function the migrations create in `public`, keyed by name. */
export const functions: Record<string, FunctionInfo> = {
  // row-level security helpers (20250101000600)
  is_caller_or_trusted: { args: ['uuid'], returns: 'boolean', securityDefiner: false, rpc: false, trigger: false },
  is_organization_member: helper(['uuid', 'uuid']),
  is_organization_owner_or_admin: helper(['uuid', 'uuid']),
  is_organization_owner: helper(['uuid', 'uuid']),
  is_organization_created: helper(['uuid', 'uuid']),
  is_super_admin: helper(['uuid']),
  get_user_organization_ids: helper(['uuid'], 'uuid[]'),
  is_project_member: helper(['uuid', 'uuid']),
  user_can_access_project: helper(['uuid', 'uuid']),
  is_project_owner_or_admin: helper(['uuid', 'uuid']),
  is_project_owner: helper(['uuid', 'uuid']),
  is_project_editor: helper(['uuid', 'uuid']),
  document_project_id: helper(['uuid'], 'uuid'),
  requirement_project_id: helper(['uuid'], 'uuid'),
  test_project_id: helper(['uuid'], 'uuid'),
  entity_project_id: helper(['entity_type', 'uuid'], 'uuid'),
  workflow_organization_id: helper(['uuid'], 'uuid'),
  // set-returning (`setof uuid`) helpers of the SELECT policies
  get_user_project_ids: helper(['uuid'], 'uuid'),
  get_accessible_project_ids: helper(['uuid'], 'uuid'),
  get_accessible_document_ids: helper(['uuid'], 'uuid'),
  get_accessible_requirement_ids: helper(['uuid'], 'uuid'),
  get_accessible_workflow_ids: helper(['uuid'], 'uuid'),
  get_editable_project_ids: helper(['uuid'], 'uuid'),
  get_administered_project_ids: helper(['uuid'], 'uuid'),
  get_editable_document_ids: helper(['uuid'], 'uuid'),
  get_editable_requirement_ids: helper(['uuid'], 'uuid'),
  // triggers (20250101000500)
  handle_updated_at: trigger(false),
  handle_updated_by: trigger(false),
  handle_version_bump: trigger(false),
  handle_soft_delete: trigger(false),
  handle_requirement_properties: trigger(false),
  handle_new_user: trigger(true),
  handle_new_profile: trigger(true),
  handle_deleted_profile: trigger(true),
  handle_new_organization: trigger(true),
  handle_new_project: trigger(true),
  handle_organization_member_count: trigger(true),
  // rpc (20250101000800)
  graph_node_label: { args: ['text', 'uuid'], returns: 'text', securityDefiner: false, rpc: false, trigger: false },
  get_relationship_graph: {
    args: ['uuid', 'text', 'integer', 'text[]'],
    returns: 'jsonb',
    securityDefiner: false,
    rpc: true,
    trigger: false,
  },
  get_query_stats: { args: ['uuid', 'uuid'], returns: 'jsonb', securityDefiner: false, rpc: true, trigger: false },
  // full-text search (20250101001000)
  search_entities: {
    args: ['text', 'text[]', 'uuid', 'uuid', 'text[]', 'text[]', 'boolean', 'integer', 'integer'],
    returns: 'jsonb',
    securityDefiner: false,
    rpc: true,
    trigger: false,
  },
}
