/**
 * What each probe does on each table of the world: which rows the select must see, the fresh
 * row an insert tries, and the row and harmless change an update tries (delete removes that
 * same twin). Inserted rows carry their own id, so they can be tracked without reading them back.
 */
import type { Actor } from './types.ts'
import type { World } from './world.ts'
import { worldSlug } from './world.ts'

type Values = Record<string, unknown> & { id: string }

/** The probes of one table. */
export interface ProbePlan {
  /** Rows the actor's select names; it must see all of them or none. */
  selectIds(actor: Actor): string[]
  /** A fresh row under the target's parents, as the actor would write it. */
  insertRow(actor: Actor): Values
  /** The row the actor's update and delete act on. */
  twinId(actor: Actor): string
  /** A change to a column no policy reads. */
  patch: Record<string, unknown>
}

const PROBE = 'rls probe'

/** Probe plans for every table the world seeded. */
export function probePlans(world: World): Record<string, ProbePlan> {
  const { people } = world
  // The id an actor writes into created_by/owned_by: its own; anon and service write the owner's.
  const me = (actor: Actor): string => (actor === 'anon' || actor === 'service' ? people.owner.id : people[actor].id)
  const slug = (hint: string) => worldSlug(world.prefix, hint)
  const id = () => crypto.randomUUID()
  const audit = (actor: Actor) => ({ created_by: me(actor), updated_by: me(actor) })

  const twinned = (table: string, insertRow: (actor: Actor) => Values, patch: Record<string, unknown>): ProbePlan => ({
    selectIds: (actor) => [world.targets[table]!, world.twins[table]![actor]],
    insertRow,
    twinId: (actor) => world.twins[table]![actor],
    patch,
  })

  return {
    // Profiles are users; the probes share the fellow's profile instead of twins. An allowed insert
    // of it fails on the primary key (23505) and an allowed delete on projects.owned_by (23503),
    // both after RLS let them through, so the row survives every probe.
    profiles: {
      selectIds: () => [people.fellow.id],
      insertRow: () => ({ id: people.fellow.id, email: people.fellow.email }),
      twinId: () => people.fellow.id,
      patch: { job_title: PROBE },
    },
    organizations: twinned(
      'organizations',
      (actor) => ({ id: id(), name: slug('new-ws'), slug: slug('new-ws'), type: 'team', owner_id: me(actor), ...audit(actor) }),
      { description: PROBE },
    ),
    organization_members: twinned(
      'organization_members',
      (actor) => ({ id: id(), organization_id: world.memberInsertWorkspace[actor], user_id: people.outsider.id, role: 'member' }),
      { permissions: { rls_probe: true } },
    ),
    organization_invitations: twinned(
      'organization_invitations',
      (actor) => ({ id: id(), organization_id: world.workspace, email: `${slug('invitee')}@example.test`, role: 'member', ...audit(actor) }),
      { metadata: { rls_probe: true } },
    ),
    projects: twinned(
      'projects',
      (actor) => ({ id: id(), organization_id: world.workspace, name: slug('new-project'), slug: slug('new-project'), owned_by: me(actor), ...audit(actor) }),
      { description: PROBE },
    ),
    project_members: twinned(
      'project_members',
      (actor) => ({ id: id(), project_id: world.memberInsertProject[actor], user_id: people.outsider.id, org_id: world.workspace, role: 'viewer' }),
      { permissions: { rls_probe: true } },
    ),
    documents: twinned(
      'documents',
      (actor) => ({ id: id(), project_id: world.project, name: slug('new-doc'), slug: slug('new-doc'), ...audit(actor) }),
      { description: PROBE },
    ),
    blocks: twinned(
      'blocks',
      (actor) => ({ id: id(), document_id: world.document, type: 'text', position: 1, ...audit(actor) }),
      { name: PROBE },
    ),
    properties: twinned(
      'properties',
      (actor) => ({ id: id(), org_id: world.workspace, project_id: world.project, name: slug('new-prop'), property_type: 'text', ...audit(actor) }),
      { scope: PROBE },
    ),
    requirements: twinned(
      'requirements',
      (actor) => ({ id: id(), document_id: world.document, block_id: world.block, name: slug('new-req'), ...audit(actor) }),
      { description: PROBE },
    ),
    test_req: twinned(
      'test_req',
      (actor) => ({ id: id(), project_id: world.project, title: slug('new-test'), ...audit(actor) }),
      { description: PROBE },
    ),
    requirement_tests: twinned(
      'requirement_tests',
      (actor) => ({ id: id(), requirement_id: world.requirement, test_id: world.linkInsertTest[actor] }),
      { result_notes: PROBE },
    ),
    trace_links: twinned(
      'trace_links',
      (actor) => ({
        id: id(),
        source_id: world.requirement,
        source_type: 'requirement',
        target_id: world.document,
        target_type: 'document',
        link_type: 'relates_to',
        ...audit(actor),
      }),
      { description: PROBE },
    ),
    assignments: twinned(
      'assignments',
      (actor) => ({
        id: id(),
        entity_id: world.requirement,
        entity_type: 'requirement',
        assignee_id: people.fellow.id,
        role: 'approver',
        status: 'active',
        ...audit(actor),
      }),
      { comment: PROBE },
    ),
    workflows: twinned(
      'workflows',
      (actor) => ({ id: id(), organization_id: world.workspace, name: slug('new-workflow'), created_by: me(actor) }),
      { description: PROBE },
    ),
    workflow_runs: twinned(
      'workflow_runs',
      (actor) => ({ id: id(), workflow_id: world.workflow, created_by: me(actor) }),
      { inputs: { rls_probe: true } },
    ),
  }
}
