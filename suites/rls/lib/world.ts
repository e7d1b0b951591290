/**
 * The probe world: one workspace W with a private project P and one row of every table in it
 * (the targets), plus a twin of each target per actor for update and delete to act on, so no
 * probe can disturb another. Written with the service role in one bulk insert per table and
 * level (about 17 requests), with ids made here so every level is known up front.
 *
 * Memberships: owner (W owner, P owner), admin (W admin), member (W member), editor and viewer
 * (W members with P roles editor and viewer), a `fellow` member who is no actor (the row others
 * act on), and an outsider with no membership in W.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Actor, UserActor } from './types.ts'
import { SeedError } from './errors.ts'
import { ACTORS } from './types.ts'

/** A user of the world: enough to name it in rows. */
export interface Person {
  id: string
  email: string
}

/** The users the world is built around: every signed-in actor plus the fellow member. */
export type WorldPeople = Readonly<Record<UserActor | 'fellow', Person>>

/** What `seedWorld` needs. */
export interface SeedWorldOptions {
  /** A service-role client of the backend. */
  service: SupabaseClient
  people: WorldPeople
  /** Start of every name and slug (the run's prefix, e.g. `atst-<run>-`), so hot runs can be swept. */
  prefix: string
  /** Called for every row created, parents first (hand it to harmful()). */
  track?: (table: string, id: string) => void
}

type PerActor = Readonly<Record<Actor, string>>

/** Ids of everything seeded. */
export interface World {
  people: WorldPeople
  prefix: string
  workspace: string
  project: string
  document: string
  block: string
  requirement: string
  testCase: string
  workflow: string
  /** The row each table's select probe reads. */
  targets: Readonly<Record<string, string>>
  /** Per table and actor, the twin of the target that actor updates and deletes. */
  twins: Readonly<Record<string, PerActor>>
  /** Per actor, the workspace (shaped like W) that actor's membership insert goes into. */
  memberInsertWorkspace: PerActor
  /** Per actor, the project (shaped like P) that actor's project-membership insert goes into. */
  memberInsertProject: PerActor
  /** Per actor, a test case of P that actor's requirement-test insert links to. */
  linkInsertTest: PerActor
}

type Row = Record<string, unknown> & { id: string }

const uuid = (): string => crypto.randomUUID()
const perActor = (): Record<Actor, string> => Object.fromEntries(ACTORS.map((a) => [a, uuid()])) as Record<Actor, string>
const ids = (per: PerActor): string[] => ACTORS.map((a) => per[a])

/** A unique lowercase slug under `prefix` (valid for every slug check of the schema). */
export function worldSlug(prefix: string, hint: string): string {
  return `${prefix}rls-${hint}-${crypto.randomUUID().slice(0, 8)}`
}

/** Seeds the world; every row is tracked through `options.track` right after its insert. */
export async function seedWorld(options: SeedWorldOptions): Promise<World> {
  const { service, people, prefix } = options
  const insert = async (table: string, rows: Row[]): Promise<void> => {
    const { error } = await service.from(table).insert(rows)
    if (error) throw new SeedError(table, `${error.code ?? ''} ${error.message}`.trim())
    for (const row of rows) options.track?.(table, row.id)
  }
  const owner = people.owner.id
  const audit = { created_by: owner, updated_by: owner }
  const slug = (hint: string) => worldSlug(prefix, hint)

  const w = uuid()
  const vo = perActor()
  const vom = perActor()
  const org = (id: string, hint: string): Row => ({ id, name: slug(hint), slug: slug(hint), type: 'team', owner_id: owner, ...audit })
  // The organization trigger makes `owner` a member with role owner.
  await insert('organizations', [org(w, 'workspace'), ...ids(vo).map((id) => org(id, 'ws-twin')), ...ids(vom).map((id) => org(id, 'ws-members'))])

  const fellowInW = uuid()
  const viewerInVom = perActor()
  const orgMember = (organizationId: string, userId: string, role: string, id = uuid()): Row => ({
    id,
    organization_id: organizationId,
    user_id: userId,
    role,
  })
  const shapeOfW = (organizationId: string, viewerRow = uuid()): Row[] => [
    orgMember(organizationId, people.admin.id, 'admin'),
    orgMember(organizationId, people.member.id, 'member'),
    orgMember(organizationId, people.editor.id, 'member'),
    orgMember(organizationId, people.viewer.id, 'member', viewerRow),
  ]

  const p = uuid()
  const vp = perActor()
  const vpm = perActor()
  const pin = uuid()
  const project = (id: string, hint: string, ownedBy = owner): Row => ({
    id,
    organization_id: w,
    name: slug(hint),
    slug: slug(hint),
    owned_by: ownedBy,
    ...audit,
  })
  const inv = uuid()
  const invTwins = perActor()
  const invitation = (id: string): Row => ({ id, organization_id: w, email: `${slug('invitee')}@example.test`, role: 'member', ...audit })
  const wf = uuid()
  const wfTwins = perActor()
  const workflow = (id: string): Row => ({ id, organization_id: w, name: slug('workflow'), created_by: owner })
  await Promise.all([
    insert('organization_members', [
      ...shapeOfW(w),
      orgMember(w, people.fellow.id, 'member', fellowInW),
      ...ids(vo).flatMap((id) => shapeOfW(id)),
      ...ACTORS.flatMap((a) => shapeOfW(vom[a], viewerInVom[a])),
    ]),
    // The project trigger makes each project's `owned_by` its owner member. The fellow owns `pin`,
    // which keeps the fellow's profile from being deleted (projects.owned_by restricts).
    insert('projects', [
      project(p, 'project'),
      ...ids(vp).map((id) => project(id, 'project-twin')),
      ...ids(vpm).map((id) => project(id, 'project-members')),
      project(pin, 'pin', people.fellow.id),
    ]),
    insert('organization_invitations', [invitation(inv), ...ids(invTwins).map(invitation)]),
    insert('workflows', [workflow(wf), ...ids(wfTwins).map(workflow)]),
  ])

  const fellowInP = uuid()
  const viewerInVpm = perActor()
  const projectMember = (projectId: string, userId: string, role: string, id = uuid()): Row => ({
    id,
    project_id: projectId,
    user_id: userId,
    org_id: w,
    role,
  })
  const shapeOfP = (projectId: string, viewerRow = uuid()): Row[] => [
    projectMember(projectId, people.editor.id, 'editor'),
    projectMember(projectId, people.viewer.id, 'viewer', viewerRow),
  ]
  const d = uuid()
  const docTwins = perActor()
  const document = (id: string): Row => ({ id, project_id: p, name: slug('document'), slug: slug('document'), ...audit })
  const run = uuid()
  const runTwins = perActor()
  const workflowRun = (id: string): Row => ({ id, workflow_id: wf, created_by: owner })
  await Promise.all([
    insert('project_members', [
      ...shapeOfP(p),
      projectMember(p, people.fellow.id, 'viewer', fellowInP),
      ...ids(vp).flatMap((id) => shapeOfP(id)),
      ...ACTORS.flatMap((a) => shapeOfP(vpm[a], viewerInVpm[a])),
    ]),
    insert('documents', [document(d), ...ids(docTwins).map(document)]),
    insert('workflow_runs', [workflowRun(run), ...ids(runTwins).map(workflowRun)]),
  ])

  const b = uuid()
  const blockTwins = perActor()
  const block = (id: string): Row => ({ id, document_id: d, type: 'text', position: 0, ...audit })
  const t = uuid()
  const testTwins = perActor()
  const linkTwinTests = perActor()
  const linkInsertTests = perActor()
  const testCase = (id: string): Row => ({ id, project_id: p, title: slug('test'), ...audit })
  const prop = uuid()
  const propTwins = perActor()
  const property = (id: string): Row => ({ id, org_id: w, project_id: p, name: slug('property'), property_type: 'text', ...audit })
  await Promise.all([
    insert('blocks', [block(b), ...ids(blockTwins).map(block)]),
    insert('test_req', [t, ...ids(testTwins), ...ids(linkTwinTests), ...ids(linkInsertTests)].map(testCase)),
    insert('properties', [property(prop), ...ids(propTwins).map(property)]),
  ])

  const r = uuid()
  const reqTwins = perActor()
  const requirement = (id: string): Row => ({ id, document_id: d, block_id: b, name: slug('requirement'), ...audit })
  await insert('requirements', [requirement(r), ...ids(reqTwins).map(requirement)])

  const rt = uuid()
  const rtTwins = perActor()
  const tl = uuid()
  const tlTwins = perActor()
  const traceLink = (id: string): Row => ({
    id,
    source_id: r,
    source_type: 'requirement',
    target_id: d,
    target_type: 'document',
    link_type: 'derives_from',
    ...audit,
  })
  const as = uuid()
  const asTwins = perActor()
  const assignment = (id: string): Row => ({
    id,
    entity_id: r,
    entity_type: 'requirement',
    assignee_id: people.fellow.id,
    role: 'reviewer',
    status: 'active',
    ...audit,
  })
  await Promise.all([
    insert('requirement_tests', [
      { id: rt, requirement_id: r, test_id: t },
      ...ACTORS.map((a) => ({ id: rtTwins[a], requirement_id: r, test_id: linkTwinTests[a] })),
    ]),
    insert('trace_links', [traceLink(tl), ...ids(tlTwins).map(traceLink)]),
    insert('assignments', [assignment(as), ...ids(asTwins).map(assignment)]),
  ])

  return {
    people,
    prefix,
    workspace: w,
    project: p,
    document: d,
    block: b,
    requirement: r,
    testCase: t,
    workflow: wf,
    targets: {
      profiles: people.fellow.id,
      organizations: w,
      organization_members: fellowInW,
      organization_invitations: inv,
      projects: p,
      project_members: fellowInP,
      documents: d,
      blocks: b,
      properties: prop,
      requirements: r,
      test_req: t,
      requirement_tests: rt,
      trace_links: tl,
      assignments: as,
      workflows: wf,
      workflow_runs: run,
    },
    twins: {
      organizations: vo,
      organization_members: viewerInVom,
      organization_invitations: invTwins,
      projects: vp,
      project_members: viewerInVpm,
      documents: docTwins,
      blocks: blockTwins,
      properties: propTwins,
      requirements: reqTwins,
      test_req: testTwins,
      requirement_tests: rtTwins,
      trace_links: tlTwins,
      assignments: asTwins,
      workflows: wfTwins,
      workflow_runs: runTwins,
    },
    memberInsertWorkspace: vom,
    memberInsertProject: vpm,
    linkInsertTest: linkInsertTests,
  }
}
