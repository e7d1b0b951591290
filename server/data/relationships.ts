/**
 * The five relationship kinds and the tables they live in (spec §0, §3.5 redone): workspace and
 * project memberships, trace links, requirement ↔ test links and assignments. Creating a link
 * first reads both ends under the caller's RLS, so a foreign or missing end is NOT_FOUND
 * (the app-level checks of §2.2) and the polymorphic ends learn their type.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { ColumnDef, EntityType } from './entities.ts'
import type { Row, TableRef } from './rows.ts'

import { ToolError, notFound } from '../errors.ts'
import { entityRef } from './createEntity.ts'
import { ENTITIES } from './entities.ts'
import { mapDataError } from './mapError.ts'
import { insertRow, readRow } from './rows.ts'

/** Relationship kinds of `kind`. */
export const RELATIONSHIP_KINDS = ['org_member', 'project_member', 'trace_link', 'requirement_test', 'assignment'] as const
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number]

/** One relationship kind. */
export interface KindDef {
  type: RelationshipKind
  table: string
  source: { column: string, types: EntityType[], typeColumn?: string }
  target: { column: string, types: EntityType[], typeColumn?: string }
  /** Link attributes the caller may set (create) or change (update). */
  columns: Record<string, ColumnDef>
  /** Attribute defaults applied on create. */
  defaults: Row
  softDelete: boolean
  versioned: boolean
  createdBy: boolean
  updatedBy: boolean
  /** All columns, for selects. */
  select: string[]
}

const c = (kind: ColumnDef['kind'], doc: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ kind, create: true, update: true, doc, ...extra })
const SOFT = ['is_deleted', 'deleted_at', 'deleted_by']
const STAMPS = ['created_at', 'updated_at']

/** Every kind, keyed by name. */
export const KINDS: Record<RelationshipKind, KindDef> = {
  org_member: {
    type: 'org_member',
    table: 'organization_members',
    source: { column: 'organization_id', types: ['organization'] },
    target: { column: 'user_id', types: ['profile'] },
    columns: {
      role: c('enum', 'Workspace role (default "member"; only owners grant "owner")', { enum: 'user_role_type' }),
      status: c('enum', 'Membership status (default "active")', { enum: 'user_status' }),
      permissions: c('json', 'Extra permissions object'),
    },
    defaults: { role: 'member', status: 'active' },
    softDelete: true, versioned: false, createdBy: false, updatedBy: true,
    select: ['id', 'organization_id', 'user_id', 'role', 'status', 'permissions', 'last_active_at', ...SOFT, ...STAMPS, 'updated_by'],
  },
  project_member: {
    type: 'project_member',
    table: 'project_members',
    source: { column: 'project_id', types: ['project'] },
    target: { column: 'user_id', types: ['profile'] },
    columns: {
      role: c('enum', 'Project role (default "viewer"; only owners grant "owner")', { enum: 'project_role' }),
      status: c('enum', 'Membership status (default "active")', { enum: 'user_status' }),
      permissions: c('json', 'Extra permissions object'),
    },
    defaults: { role: 'viewer', status: 'active' },
    softDelete: true, versioned: false, createdBy: false, updatedBy: false,
    select: ['id', 'project_id', 'user_id', 'org_id', 'role', 'status', 'permissions', 'last_accessed_at', ...SOFT, ...STAMPS],
  },
  trace_link: {
    type: 'trace_link',
    table: 'trace_links',
    source: { column: 'source_id', types: ['requirement', 'document'], typeColumn: 'source_type' },
    target: { column: 'target_id', types: ['requirement', 'document'], typeColumn: 'target_type' },
    columns: {
      link_type: c('enum', 'Link type (required on create)', { enum: 'trace_link_type', required: true }),
      description: c('text', 'Why the link exists', { max: 10_000 }),
    },
    defaults: {},
    softDelete: true, versioned: true, createdBy: true, updatedBy: true,
    select: ['id', 'source_id', 'source_type', 'target_id', 'target_type', 'link_type', 'description', 'version', ...SOFT, ...STAMPS, 'created_by', 'updated_by'],
  },
  requirement_test: {
    type: 'requirement_test',
    table: 'requirement_tests',
    source: { column: 'requirement_id', types: ['requirement'] },
    target: { column: 'test_id', types: ['test'] },
    columns: {
      execution_status: c('enum', 'Execution status (default "not_executed")', { enum: 'execution_status' }),
      executed_at: c('timestamp', 'When it was executed'),
      executed_by: c('uuid', 'Who executed it (user id)'),
      execution_environment: c('text', 'Environment', { max: 2_000 }),
      execution_version: c('text', 'Version executed', { max: 255 }),
      result_notes: c('text', 'Notes', { max: 20_000 }),
      external_req_id: c('text', 'External requirement key', { max: 255 }),
      external_test_id: c('text', 'External test key', { max: 255 }),
      defects: c('json', 'Defects (any JSON)'),
      evidence_artifacts: c('json', 'Evidence (any JSON)'),
    },
    defaults: {},
    softDelete: false, versioned: false, createdBy: false, updatedBy: false,
    select: ['id', 'requirement_id', 'test_id', 'execution_status', 'executed_at', 'executed_by', 'execution_environment',
      'execution_version', 'result_notes', 'external_req_id', 'external_test_id', 'defects', 'evidence_artifacts', ...STAMPS],
  },
  assignment: {
    type: 'assignment',
    table: 'assignments',
    source: { column: 'entity_id', types: ['requirement', 'document'], typeColumn: 'entity_type' },
    target: { column: 'assignee_id', types: ['profile'] },
    columns: {
      role: c('enum', 'Assignment role (default "assignee")', { enum: 'assignment_role' }),
      status: c('enum', 'Status (default "active")', { enum: 'requirement_status' }),
      comment: c('text', 'Comment', { max: 10_000 }),
      due_date: c('timestamp', 'Due date'),
      completed_at: c('timestamp', 'When it was completed'),
    },
    defaults: { role: 'assignee', status: 'active' },
    softDelete: true, versioned: true, createdBy: true, updatedBy: true,
    select: ['id', 'entity_id', 'entity_type', 'assignee_id', 'role', 'status', 'comment', 'due_date', 'completed_at', 'version', ...SOFT, ...STAMPS, 'created_by', 'updated_by'],
  },
}

/** The row helpers' view of a kind's table. */
export function kindRef(kind: KindDef): TableRef {
  return { table: kind.table, label: kind.type, columns: kind.select, softDelete: kind.softDelete, versioned: kind.versioned }
}

/** Reads one end of a link; returns its type. NOT_FOUND when no allowed type has a visible, live row with that id. */
export async function resolveEnd(db: SupabaseClient, types: EntityType[], id: string, hint?: string): Promise<{ type: EntityType, row: Row }> {
  const candidates = hint ? types.filter((t) => t === hint) : types
  if (candidates.length === 0) throw new ToolError('INVALID_INPUT', `type "${hint}" is not allowed here; use one of: ${types.join(', ')}`)
  const found = await Promise.all(candidates.map(async (type) => {
    try {
      return { type, row: await readRow(db, entityRef(ENTITIES[type]), id, { columns: ['id'] }) }
    } catch (error) {
      if (error instanceof ToolError && error.code === 'NOT_FOUND') return null
      throw error
    }
  }))
  const hit = found.find((f) => f !== null)
  if (!hit) throw notFound(candidates.join(' or '), id)
  return hit
}

/** Creates a link of `kind` from `sourceId` to `targetId` with validated attributes. */
export async function createLink(db: SupabaseClient, userId: string, kind: KindDef, sourceId: string, targetId: string, attributes: Row, hints: { sourceType?: string, targetType?: string }): Promise<Row> {
  const [source, target] = await Promise.all([
    resolveEnd(db, kind.source.types, sourceId, hints.sourceType),
    resolveEnd(db, kind.target.types, targetId, hints.targetType),
  ])
  const values: Row = { ...kind.defaults, ...attributes, [kind.source.column]: sourceId, [kind.target.column]: targetId }
  if (kind.source.typeColumn) values[kind.source.typeColumn] = source.type
  if (kind.target.typeColumn) values[kind.target.typeColumn] = target.type
  if (kind.createdBy) values.created_by = userId
  if (kind.updatedBy) values.updated_by = userId
  if (kind.type === 'project_member') {
    const project = await readRow(db, entityRef(ENTITIES.project), sourceId, { columns: ['id', 'organization_id'] })
    values.org_id = project.organization_id
  }
  try {
    return await insertRow(db, kindRef(kind), values)
  } catch (error) {
    // A removed (soft-deleted) membership comes back to life instead of clashing with its unique pair.
    if (!(error instanceof ToolError && error.code === 'CONFLICT' && kind.softDelete && !kind.source.typeColumn)) throw error
    return revive(db, kind, sourceId, targetId, attributes, error)
  }
}

async function revive(db: SupabaseClient, kind: KindDef, sourceId: string, targetId: string, attributes: Row, clash: ToolError): Promise<Row> {
  const { data, error, status } = await db.from(kind.table)
    .update({ ...kind.defaults, ...attributes, is_deleted: false })
    .eq(kind.source.column, sourceId).eq(kind.target.column, targetId).eq('is_deleted', true)
    .select(kind.select.join(','))
  if (error) throw mapDataError(error, status, 'update')
  const [row] = (data ?? []) as unknown as Row[]
  if (!row) throw new ToolError('CONFLICT', `${kind.type} from "${sourceId}" to "${targetId}" already exists; update it instead`, clash.details)
  return row
}
