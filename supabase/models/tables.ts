/**
 * The 16 tables of the Atoms schema keyed by name, in dependency order (parents first), and
 * the maps from the tools' entity types and relationship kinds to tables.
 */
import type { Table } from './table.ts'
import { assignments, blocks, documents, properties, requirementTests, requirements, testReq, traceLinks } from './content.ts'
import { organizationInvitations, organizationMembers, organizations, profiles } from './organizations.ts'
import { projectMembers, projects } from './projects.ts'
import { workflowRuns, workflows } from './workflows.ts'

/** Every table of `public`, keyed by table name; iteration order is parents before children. */
export const tables = {
  profiles,
  organizations,
  organization_members: organizationMembers,
  organization_invitations: organizationInvitations,
  projects,
  project_members: projectMembers,
  documents,
  blocks,
  properties,
  requirements,
  test_req: testReq,
  requirement_tests: requirementTests,
  trace_links: traceLinks,
  assignments,
  workflows,
  workflow_runs: workflowRuns,
} as const satisfies Record<string, Table>

/** The name of a table of the schema. */
export type TableName = keyof typeof tables

/** The tools' `entity_type` values (spec §0). */
export const entityTypes = ['organization', 'project', 'document', 'block', 'requirement', 'test', 'property', 'profile'] as const
/** One of `entityTypes`. */
export type EntityType = (typeof entityTypes)[number]

/** The table behind each entity type ("workspace" in tool language is `organization`). */
export const entityTables = {
  organization: 'organizations',
  project: 'projects',
  document: 'documents',
  block: 'blocks',
  requirement: 'requirements',
  test: 'test_req',
  property: 'properties',
  profile: 'profiles',
} as const satisfies Record<EntityType, TableName>

/** The relationship kinds of the relationship tool and `get_relationship_graph`. */
export const relationshipKinds = ['org_member', 'project_member', 'trace_link', 'requirement_test', 'assignment'] as const
/** One of `relationshipKinds`. */
export type RelationshipKind = (typeof relationshipKinds)[number]

/** The link table behind each relationship kind, with the columns holding its two ends. */
export const relationshipTables = {
  org_member: { table: 'organization_members', source: 'organization_id', target: 'user_id' },
  project_member: { table: 'project_members', source: 'project_id', target: 'user_id' },
  trace_link: { table: 'trace_links', source: 'source_id', target: 'target_id' },
  requirement_test: { table: 'requirement_tests', source: 'requirement_id', target: 'test_id' },
  assignment: { table: 'assignments', source: 'entity_id', target: 'assignee_id' },
} as const satisfies Record<RelationshipKind, { table: TableName; source: string; target: string }>
