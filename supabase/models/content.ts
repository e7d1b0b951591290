/**
 * documents, blocks, properties, requirements, test_req, requirement_tests, trace_links,
 * assignments (migration 20250101000300).
 */
import { auditNullable, softDelete, softDeleteNotNull, timestamps } from './common.ts'
import { col } from './column.ts'
import { defineTable, fk } from './table.ts'

export const documents = defineTable({
  name: 'documents',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    project_id: col.uuid(),
    name: col.text(),
    slug: col.text(),
    description: col.text().nullable(),
    tags: col.textArray().nullable().withDefault(),
    version: col.integer().withDefault(),
    fts_vector: col.tsvector().nullable().generated(),
    ...softDelete(),
    ...timestamps(),
    ...auditNullable(),
  },
  foreignKeys: [fk('documents_project_id_fkey', 'project_id', 'projects')],
  unique: { documents_project_id_slug_key: ['project_id', 'slug'] },
  checks: ['documents_name_length', 'documents_slug_format', 'documents_version_check'],
})

export const blocks = defineTable({
  name: 'blocks',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    document_id: col.uuid(),
    type: col.text(),
    position: col.integer(),
    name: col.text().withDefault(),
    content: col.jsonb().nullable().withDefault(),
    org_id: col.uuid().nullable(),
    version: col.integer().withDefault(),
    ...softDelete(),
    ...timestamps(),
    ...auditNullable(),
  },
  foreignKeys: [
    fk('blocks_document_id_fkey', 'document_id', 'documents'),
    fk('blocks_org_id_fkey', 'org_id', 'organizations', 'set null'),
  ],
  checks: ['blocks_position_check', 'blocks_version_check'],
})

export const properties = defineTable({
  name: 'properties',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    org_id: col.uuid(),
    project_id: col.uuid().nullable(),
    document_id: col.uuid().nullable(),
    name: col.text(),
    // text in the database; a CHECK keeps it to the property_type enum's values
    property_type: col.textOf('property_type'),
    options: col.jsonb().nullable().withDefault(),
    scope: col.text().nullable(),
    is_base: col.boolean().nullable().withDefault(),
    ...softDeleteNotNull(),
    ...timestamps(),
    ...auditNullable(),
  },
  foreignKeys: [
    fk('properties_org_id_fkey', 'org_id', 'organizations'),
    fk('properties_project_id_fkey', 'project_id', 'projects'),
    fk('properties_document_id_fkey', 'document_id', 'documents'),
  ],
  checks: ['properties_property_type_check'],
})

export const requirements = defineTable({
  name: 'requirements',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    document_id: col.uuid(),
    block_id: col.uuid(),
    name: col.text(),
    description: col.text().nullable(),
    external_id: col.text().nullable(),
    format: col.enum('requirement_format').withDefault(),
    type: col.text().nullable(),
    level: col.enum('requirement_level').withDefault(),
    status: col.enum('requirement_status').withDefault(),
    priority: col.enum('requirement_priority').withDefault(),
    position: col.doublePrecision().withDefault(),
    properties: col.jsonb().nullable().withDefault(),
    tags: col.textArray().nullable().withDefault(),
    original_requirement: col.text().nullable(),
    enchanced_requirement: col.text().nullable(),
    ai_analysis: col.jsonb().nullable().withDefault(),
    version: col.integer().withDefault(),
    fts_vector: col.tsvector().nullable().generated(),
    ...softDelete(),
    ...timestamps(),
    ...auditNullable(),
  },
  foreignKeys: [
    fk('requirements_document_id_fkey', 'document_id', 'documents'),
    fk('requirements_block_id_fkey', 'block_id', 'blocks'),
  ],
  checks: ['requirements_name_length', 'requirements_version_check'],
})

export const testReq = defineTable({
  name: 'test_req',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    project_id: col.uuid().nullable(),
    title: col.text(),
    test_id: col.text().nullable(),
    description: col.text().nullable(),
    preconditions: col.text().nullable(),
    expected_results: col.text().nullable(),
    test_environment: col.text().nullable(),
    test_type: col.enum('test_type').withDefault(),
    method: col.enum('test_method').withDefault(),
    status: col.enum('test_status').withDefault(),
    priority: col.enum('test_priority').withDefault(),
    category: col.textArray().nullable(),
    test_steps: col.jsonb().nullable(),
    attachments: col.jsonb().nullable(),
    result: col.text().nullable().withDefault(),
    estimated_duration: col.interval().nullable(),
    version: col.text().nullable(),
    is_active: col.boolean().nullable().withDefault(),
    fts_vector: col.tsvector().nullable().generated(),
    ...softDeleteNotNull(),
    ...timestamps(),
    ...auditNullable(),
  },
  foreignKeys: [fk('test_req_project_id_fkey', 'project_id', 'projects')],
  checks: ['test_req_title_length'],
})

export const requirementTests = defineTable({
  name: 'requirement_tests',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    requirement_id: col.uuid(),
    test_id: col.uuid(),
    execution_status: col.enum('execution_status').withDefault(),
    executed_at: col.timestamptz().nullable(),
    executed_by: col.uuid().nullable(),
    execution_environment: col.text().nullable(),
    execution_version: col.text().nullable(),
    result_notes: col.text().nullable(),
    external_req_id: col.text().nullable(),
    external_test_id: col.text().nullable(),
    defects: col.jsonb().nullable(),
    evidence_artifacts: col.jsonb().nullable(),
    ...timestamps(),
  },
  foreignKeys: [
    fk('requirement_tests_requirement_id_fkey', 'requirement_id', 'requirements', 'cascade'),
    fk('requirement_tests_test_id_fkey', 'test_id', 'test_req', 'cascade'),
    fk('requirement_tests_executed_by_fkey', 'executed_by', 'profiles', 'set null'),
  ],
  unique: { requirement_tests_requirement_id_test_id_key: ['requirement_id', 'test_id'] },
})

export const traceLinks = defineTable({
  name: 'trace_links',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    source_id: col.uuid(),
    source_type: col.enum('entity_type'),
    target_id: col.uuid(),
    target_type: col.enum('entity_type'),
    link_type: col.enum('trace_link_type'),
    description: col.text().nullable(),
    version: col.integer().withDefault(),
    ...softDelete(),
    ...timestamps(),
    ...auditNullable(),
  },
  checks: ['trace_links_no_self_link', 'trace_links_version_check'],
})

export const assignments = defineTable({
  name: 'assignments',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    entity_id: col.uuid(),
    entity_type: col.enum('entity_type'),
    assignee_id: col.uuid(),
    role: col.enum('assignment_role'),
    status: col.enum('requirement_status'),
    comment: col.text().nullable(),
    due_date: col.timestamptz().nullable(),
    completed_at: col.timestamptz().nullable(),
    version: col.integer().withDefault(),
    ...softDelete(),
    ...timestamps(),
    ...auditNullable(),
  },
  foreignKeys: [fk('assignments_assignee_id_fkey', 'assignee_id', 'profiles', 'cascade')],
  checks: ['assignments_version_check'],
})
