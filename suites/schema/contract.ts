/**
 * What the schema suite expects of the Atoms database: the zod models' metadata (tables,
 * columns, keys, checks, enums, functions — shared with the server) plus the facts the models
 * do not carry, stated here once: the indexes the server relies on, RLS on every table,
 * Supabase's default grants, no views, and who may execute which function.
 */
import type { ExpectedIndex, ExpectedSchema, SchemaContract, TablePrivilege } from './lib/index.ts'
import { enumValues, functions, tables } from '../../supabase/models/index.ts'
import { expectedSchema } from './lib/index.ts'

const ALL: TablePrivilege[] = ['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE']

const btree = (...columns: string[]): ExpectedIndex => ({ columns, method: 'btree', unique: false })
const fts: ExpectedIndex = { columns: ['fts_vector'], method: 'gin', unique: false }

/** The contract; exported so tests can derive variants of it. */
export const atomsContract: SchemaContract = {
  // Foreign-key lookups that the RLS helpers and list operations join on, and full-text search.
  indexes: {
    organizations: { organizations_fts_idx: fts },
    organization_members: { organization_members_user_id_idx: btree('user_id') },
    organization_invitations: { organization_invitations_organization_id_idx: btree('organization_id') },
    projects: { projects_organization_id_idx: btree('organization_id'), projects_fts_idx: fts },
    project_members: { project_members_user_id_idx: btree('user_id') },
    documents: { documents_project_id_idx: btree('project_id'), documents_fts_idx: fts },
    blocks: { blocks_document_id_idx: btree('document_id') },
    properties: { properties_org_id_idx: btree('org_id') },
    requirements: {
      requirements_document_id_idx: btree('document_id'),
      requirements_block_id_idx: btree('block_id'),
      requirements_fts_idx: fts,
    },
    test_req: { test_req_project_id_idx: btree('project_id'), test_req_fts_idx: fts },
    requirement_tests: { requirement_tests_test_id_idx: btree('test_id') },
    trace_links: { trace_links_source_idx: btree('source_id'), trace_links_target_idx: btree('target_id') },
    assignments: { assignments_entity_idx: btree('entity_id'), assignments_assignee_id_idx: btree('assignee_id') },
    workflows: { workflows_organization_id_idx: btree('organization_id') },
    workflow_runs: { workflow_runs_workflow_id_idx: btree('workflow_id') },
  },
  rls: true,
  // Supabase's defaults: table privileges for every API role; row-level security decides.
  defaultGrants: { anon: ALL, authenticated: ALL, service_role: ALL },
  columnGrants: {},
  views: {},
  // Every function pins the empty path, so no caller can shadow a name it uses.
  functionSearchPath: '',
  functionExecute: {
    // Trigger functions are never called over the API.
    trigger: ['service_role'],
    // RLS helpers run inside policies as the caller; the RPCs are the server's; anon gets none.
    default: ['authenticated', 'service_role'],
    byName: { atoms_introspect: ['service_role'] },
  },
  // Installed by the introspection migration for this suite; the models do not list it.
  extraFunctions: {
    atoms_introspect: { args: ['text[]'], returns: 'jsonb', securityDefiner: true, trigger: false },
  },
}

/** The expected Atoms schema: models + contract. */
export function atomsExpectedSchema(contract: SchemaContract = atomsContract): ExpectedSchema {
  return expectedSchema({ tables: Object.values(tables), enums: enumValues, functions }, contract)
}
