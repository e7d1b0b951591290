/**
 * A small two-tenant world built the way the API builds it (every row written by its user
 * under RLS): Alpha (alice owner, erin admin, carol member + project viewer, dave member +
 * project editor) and Beta (bob owner); frank has only his personal workspace.
 */
import type { SqlExecutor } from '../../harness/sql/index.ts'
import type { TestUser } from './test-utils.ts'
import { asUser, insertRow, signUp } from './test-utils.ts'

/** Ids of the rows of one tenant. */
export interface Tenant {
  org: string
  project: string
  document: string
  block: string
  requirements: string[]
  test: string
}

/** The world's users and rows. */
export interface World {
  users: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'frank', TestUser>
  alpha: Tenant & { traceLinks: string[]; assignment: string; requirementTest: string }
  beta: Tenant
}

type Row = { id: string }

async function buildTenant(db: SqlExecutor, owner: TestUser, name: string, requirementCount: number): Promise<Tenant> {
  return asUser(db, owner, async (tx) => {
    const slug = name.toLowerCase()
    const org = await insertRow<Row>(tx, 'organizations', { name, slug, created_by: owner.id, updated_by: owner.id })
    const project = await insertRow<Row>(tx, 'projects', {
      organization_id: org.id,
      name: `${name} Project`,
      slug: `${slug}-project`,
      owned_by: owner.id,
      created_by: owner.id,
      updated_by: owner.id,
    })
    const document = await insertRow<Row>(tx, 'documents', { project_id: project.id, name: `${name} Spec`, slug: 'spec' })
    const block = await insertRow<Row>(tx, 'blocks', { document_id: document.id, type: 'section', position: 0 })
    const requirements: string[] = []
    for (let i = 1; i <= requirementCount; i++) {
      const r = await insertRow<Row>(tx, 'requirements', {
        document_id: document.id,
        block_id: block.id,
        name: `${name} requirement ${i}`,
        priority: i === 1 ? 'high' : 'low',
      })
      requirements.push(r.id)
    }
    const test = await insertRow<Row>(tx, 'test_req', { project_id: project.id, title: `${name} acceptance test` })
    return { org: org.id, project: project.id, document: document.id, block: block.id, requirements, test: test.id }
  })
}

/** Builds the world on a migrated database (committed, outside any isolation unit). */
export async function buildWorld(db: SqlExecutor): Promise<World> {
  const users = {
    alice: await signUp(db, 'alice@alpha.test', 'Alice Alpha'),
    bob: await signUp(db, 'bob@beta.test', 'Bob Beta'),
    carol: await signUp(db, 'carol@alpha.test'),
    dave: await signUp(db, 'dave@alpha.test'),
    erin: await signUp(db, 'erin@alpha.test'),
    frank: await signUp(db, 'frank@elsewhere.test'),
  }
  const alphaTenant = await buildTenant(db, users.alice, 'Alpha', 2)
  const beta = await buildTenant(db, users.bob, 'Beta', 1)
  const alpha = await asUser(db, users.alice, async (tx) => {
    const member = (user: TestUser, role: string) =>
      insertRow(tx, 'organization_members', { organization_id: alphaTenant.org, user_id: user.id, role })
    await member(users.carol, 'member')
    await member(users.dave, 'member')
    await member(users.erin, 'admin')
    const projectMember = (user: TestUser, role: string) =>
      insertRow(tx, 'project_members', { project_id: alphaTenant.project, user_id: user.id, org_id: alphaTenant.org, role })
    await projectMember(users.carol, 'viewer')
    await projectMember(users.dave, 'editor')
    const [r1, r2] = alphaTenant.requirements as [string, string]
    const requirementTest = await insertRow<Row>(tx, 'requirement_tests', { requirement_id: r1, test_id: alphaTenant.test })
    const link1 = await insertRow<Row>(tx, 'trace_links', {
      source_id: r1,
      source_type: 'requirement',
      target_id: alphaTenant.document,
      target_type: 'document',
      link_type: 'derives_from',
    })
    const link2 = await insertRow<Row>(tx, 'trace_links', {
      source_id: r2,
      source_type: 'requirement',
      target_id: r1,
      target_type: 'requirement',
      link_type: 'relates_to',
    })
    // the reverse link closes a cycle r1 -> r2 -> r1 for the graph walk
    const link3 = await insertRow<Row>(tx, 'trace_links', {
      source_id: r1,
      source_type: 'requirement',
      target_id: r2,
      target_type: 'requirement',
      link_type: 'parent_of',
    })
    const assignment = await insertRow<Row>(tx, 'assignments', {
      entity_id: r2,
      entity_type: 'requirement',
      assignee_id: users.carol.id,
      role: 'reviewer',
      status: 'in_review',
    })
    return {
      ...alphaTenant,
      traceLinks: [link1.id, link2.id, link3.id],
      assignment: assignment.id,
      requirementTest: requirementTest.id,
    }
  })
  return { users, alpha, beta }
}
