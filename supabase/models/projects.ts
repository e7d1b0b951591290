/** projects, project_members (migration 20250101000200). */
import { auditRequired, softDelete, timestamps } from './common.ts'
import { col } from './column.ts'
import { defineTable, fk } from './table.ts'

export const projects = defineTable({
  name: 'projects',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    organization_id: col.uuid(),
    name: col.text(),
    slug: col.text(),
    description: col.text().nullable(),
    status: col.enum('project_status').withDefault(),
    visibility: col.enum('visibility').withDefault(),
    owned_by: col.uuid(),
    tags: col.textArray().nullable().withDefault(),
    settings: col.jsonb().nullable().withDefault(),
    metadata: col.jsonb().nullable().withDefault(),
    star_count: col.integer().nullable().withDefault(),
    version: col.integer().nullable().withDefault(),
    fts_vector: col.tsvector().nullable().generated(),
    ...softDelete(),
    ...timestamps(),
    ...auditRequired(),
  },
  foreignKeys: [
    fk('projects_organization_id_fkey', 'organization_id', 'organizations'),
    fk('projects_owned_by_fkey', 'owned_by', 'profiles'),
  ],
  unique: { projects_organization_id_slug_key: ['organization_id', 'slug'] },
  checks: ['projects_name_length', 'projects_slug_format', 'projects_star_count_check', 'projects_version_check'],
})

export const projectMembers = defineTable({
  name: 'project_members',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    project_id: col.uuid(),
    user_id: col.uuid(),
    org_id: col.uuid().nullable(),
    role: col.enum('project_role').withDefault(),
    status: col.enum('user_status').nullable().withDefault(),
    permissions: col.jsonb().nullable().withDefault(),
    last_accessed_at: col.timestamptz().nullable(),
    ...softDelete(),
    ...timestamps(),
  },
  foreignKeys: [
    fk('project_members_project_id_fkey', 'project_id', 'projects', 'cascade'),
    fk('project_members_user_id_fkey', 'user_id', 'profiles', 'cascade'),
    fk('project_members_org_id_fkey', 'org_id', 'organizations', 'set null'),
  ],
  unique: { project_members_project_id_user_id_key: ['project_id', 'user_id'] },
})
