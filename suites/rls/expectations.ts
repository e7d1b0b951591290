/**
 * The RLS matrix: for every table of schema `public`, operation and actor, whether row-level
 * security lets the actor through. Plain data, derived from spec section 2 (policies per table,
 * "editor or above" = owner/admin/maintainer/editor) and section 0 (workflows); the actors are
 * described in `lib/types.ts`. `policies` names the policies that decide each operation: the
 * coverage guard fails when `pg_policies` holds one that is not listed here, or lacks one that is.
 *
 * The probes act on seeded rows: select reads the target (and the actor's own twin of it),
 * insert adds a fresh row under the same parents, update and delete act on the actor's twin.
 * When a policy disagrees with this file, fix the policy (or argue the spec), not the matrix.
 */
import type { Expectations } from './lib/types.ts'

export const rlsExpectations = {
  // Any signed-in user reads profiles; a profile is written by its own user only (see the own-profile
  // edge case); inserts and deletes are for super admins (none here) and the service role.
  profiles: {
    target: 'the profile of a fellow member; it owns a project, so a delete RLS lets through stops at the foreign key (23503)',
    policies: { select: ['profiles_select'], insert: ['profiles_insert'], update: ['profiles_update'], delete: ['profiles_delete'] },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'allow', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'deny', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'deny', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'deny', outsider: 'deny', service: 'allow' },
  },
  // Members read; anyone signed in creates a workspace of their own (and becomes its owner); owners and
  // admins update; only owners delete.
  organizations: {
    target: 'the workspace',
    policies: {
      select: ['organizations_select'],
      insert: ['organizations_insert'],
      update: ['organizations_update'],
      delete: ['organizations_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'allow', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Members read the roster; owners and admins manage it.
  organization_members: {
    target: 'the membership row of a fellow member (role member)',
    policies: {
      select: ['organization_members_select'],
      insert: ['organization_members_insert'],
      update: ['organization_members_update'],
      delete: ['organization_members_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Members read invitations; owners and admins manage them.
  organization_invitations: {
    target: 'a pending invitation of the workspace',
    policies: {
      select: ['organization_invitations_select'],
      insert: ['organization_invitations_insert'],
      update: ['organization_invitations_update'],
      delete: ['organization_invitations_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Workspace members read every project of it and create projects they own; project owners/admins
  // update; project owners delete. A workspace admin has no project role, so no project writes.
  projects: {
    target: 'a private project of the workspace, owned by the owner',
    policies: { select: ['projects_select'], insert: ['projects_insert'], update: ['projects_update'], delete: ['projects_delete'] },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Readers of the project read the roster; project owners/admins manage it.
  project_members: {
    target: 'the project membership row of a fellow (role viewer)',
    policies: {
      select: ['project_members_select'],
      insert: ['project_members_insert'],
      update: ['project_members_update'],
      delete: ['project_members_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Project readers read; editors and above write; project owners/admins delete.
  documents: {
    target: 'a document of the project',
    policies: { select: ['documents_select'], insert: ['documents_insert'], update: ['documents_update'], delete: ['documents_delete'] },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Through the project of the (live) document: readers read, editors and above write and delete.
  blocks: {
    target: 'a block of that document',
    policies: { select: ['blocks_select'], insert: ['blocks_insert'], update: ['blocks_update'], delete: ['blocks_delete'] },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Project-scoped properties: project readers read, editors and above write (organization-scoped ones:
  // see the NULL-parent edge case).
  properties: {
    target: 'a property scoped to the project',
    policies: {
      select: ['properties_select'],
      insert: ['properties_insert'],
      update: ['properties_update'],
      delete: ['properties_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Through the project of the (live) document: readers read, editors and above write and delete.
  requirements: {
    target: 'a requirement of that document',
    policies: {
      select: ['requirements_select'],
      insert: ['requirements_insert'],
      update: ['requirements_update'],
      delete: ['requirements_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Project readers read; editors and above write; project owners/admins delete.
  test_req: {
    target: 'a test case of the project',
    policies: { select: ['test_req_select'], insert: ['test_req_insert'], update: ['test_req_update'], delete: ['test_req_delete'] },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Through the requirement's project: readers read, editors and above link, update and unlink.
  requirement_tests: {
    target: 'a requirement-test link inside the project',
    policies: {
      select: ['requirement_tests_select'],
      insert: ['requirement_tests_insert'],
      update: ['requirement_tests_update'],
      delete: ['requirement_tests_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Readable when both ends are; editors of the source's project write.
  trace_links: {
    target: 'a trace link from a requirement to its document',
    policies: {
      select: ['trace_links_select'],
      insert: ['trace_links_insert'],
      update: ['trace_links_update'],
      delete: ['trace_links_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Project readers (and the assignee) read; editors and above manage (the assignee's own update: see the
  // edge cases).
  assignments: {
    target: 'an assignment of a fellow member to a requirement',
    policies: {
      select: ['assignments_select'],
      insert: ['assignments_insert'],
      update: ['assignments_update'],
      delete: ['assignments_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'allow', viewer: 'deny', admin: 'deny', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Workspace members read and create their own; the creator or a workspace owner/admin changes and deletes.
  workflows: {
    target: 'a workflow of the workspace, created by the owner',
    policies: { select: ['workflows_select'], insert: ['workflows_insert'], update: ['workflows_update'], delete: ['workflows_delete'] },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
  // Workspace members read and start runs; the starter or a workspace owner/admin updates; owners/admins
  // delete.
  workflow_runs: {
    target: 'a run of that workflow, started by the owner',
    policies: {
      select: ['workflow_runs_select'],
      insert: ['workflow_runs_insert'],
      update: ['workflow_runs_update'],
      delete: ['workflow_runs_delete'],
    },
    select: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    insert: { anon: 'deny', member: 'allow', editor: 'allow', viewer: 'allow', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    update: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
    delete: { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'allow', owner: 'allow', outsider: 'deny', service: 'allow' },
  },
} as const satisfies Expectations
