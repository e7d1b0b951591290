/**
 * Edge cases on the probe world, after the matrix: cross-tenant re-parenting, public projects,
 * soft-deleted parents, NULL parent keys, the assignee's own row, privilege escalation, then
 * the steps that change memberships (role downgrade, removal mid-flow, a deleted user's token).
 * Each names its actors; each extra row is written by the service role and tracked.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { RlsStep } from './context.ts'
import { expect } from '../../../fixtures/index.ts'
import { worldSlug } from '../lib/index.ts'
import { expectNoRow, expectOneRow, expectRefused, sees, visibleIds } from './checks.ts'
import { worldOf } from './context.ts'

type Track = (table: string, id: string) => void
type Row = Record<string, unknown> & { id: string }

/** Inserts `rows` into `table` with the service role and tracks them. */
async function serviceInsert(service: SupabaseClient, track: Track, table: string, rows: Row[]): Promise<void> {
  const { error } = await service.from(table).insert(rows)
  expect(error, `seeding "${table}": ${error?.message}`).toBeNull()
  for (const row of rows) track(table, row.id)
}

const AFTER_MATRIX = ['world', 'probe'] as const
const READ_ONLY_EDGES = ['own profile', 'cross-tenant re-parenting', 'public project', 'soft-deleted parent', 'NULL parent key', 'assignee', 'privilege escalation']

/** The edge-case steps, in the order they run. */
export function edgeSteps(): RlsStep[] {
  return [
    {
      id: 'own profile',
      dependsOn: AFTER_MATRIX,
      run: async ({ results, step }) => {
        const { users } = worldOf({ results, step })
        for (const [actor, user] of Object.entries(users)) {
          const response = await user.client.from('profiles').update({ job_title: `${actor} (own)` }).eq('id', user.id).select('id')
          expectOneRow(response, user.id, `${actor} updates its own profile`)
        }
      },
    },
    {
      id: 'cross-tenant re-parenting',
      dependsOn: AFTER_MATRIX,
      run: async ({ results, step, project, document, block, requirement, testCase }) => {
        const { world, users } = worldOf({ results, step })
        const outsider = users.outsider
        expect(outsider.personalWorkspaceId, 'the outsider has a personal workspace').toBeTruthy()
        // The outsider's own tenant, written by the outsider.
        const proj = await project({ as: outsider, workspace: { id: outsider.personalWorkspaceId! } })
        const doc = await document({ as: outsider, project: proj })
        const blk = await block({ as: outsider, document: doc })
        const req = await requirement({ as: outsider, document: doc, block: blk })
        const tc = await testCase({ as: outsider, project: proj })
        const moves: [string, string, Record<string, unknown>][] = [
          ['projects', proj.id, { organization_id: world.workspace }],
          ['documents', doc.id, { project_id: world.project }],
          ['blocks', blk.id, { document_id: world.document }],
          ['requirements', req.id, { document_id: world.document, block_id: world.block }],
          ['test_req', tc.id, { project_id: world.project }],
        ]
        for (const [table, id, patch] of moves) {
          const response = await outsider.client.from(table).update(patch).eq('id', id).select('id')
          expectRefused(response, `outsider moves its "${table}" row into the workspace`)
        }
        // The workspace's own rows cannot be pulled out either: the outsider cannot even see them.
        expectNoRow(
          await outsider.client.from('documents').update({ project_id: proj.id }).eq('id', world.document).select('id'),
          'outsider pulls the workspace document into its own project',
        )
        expect(await sees(users.owner.client, 'documents', world.document), 'the workspace document stayed').toBe(true)
      },
    },
    {
      id: 'public project',
      dependsOn: AFTER_MATRIX,
      run: async ({ results, step, service, anon, harmful }) => {
        const { world, users } = worldOf({ results, step })
        const track: Track = (table, id) => harmful.track({ table, key: id, deleteMode: 'hard' })
        const pub = crypto.randomUUID()
        const doc = crypto.randomUUID()
        const slug = worldSlug(world.prefix, 'public')
        const owner = users.owner.id
        await serviceInsert(service, track, 'projects', [
          { id: pub, organization_id: world.workspace, name: slug, slug, visibility: 'public', owned_by: owner, created_by: owner, updated_by: owner },
        ])
        await serviceInsert(service, track, 'documents', [{ id: doc, project_id: pub, name: slug, slug }])
        const outsider = users.outsider.client
        expect(await sees(outsider, 'projects', pub), 'outsider reads a public project').toBe(true)
        expect(await sees(outsider, 'documents', doc), 'outsider reads a document of a public project').toBe(true)
        expectNoRow(await outsider.from('projects').update({ description: 'x' }).eq('id', pub).select('id'), 'outsider updates a public project')
        expectRefused(
          await outsider.from('documents').insert({ project_id: pub, name: 'intruder', slug: worldSlug(world.prefix, 'intruder') }),
          'outsider writes into a public project',
        )
        expect(await visibleIds(anon, 'projects', [pub]), 'anon reads no public project (policies are for signed-in users)').toEqual([])
        const { error } = await service.from('projects').update({ is_deleted: true }).eq('id', pub)
        expect(error).toBeNull()
        expect(await sees(outsider, 'projects', pub), 'a soft-deleted public project is no longer public').toBe(false)
        expect(await sees(outsider, 'documents', doc), "nor are its documents").toBe(false)
        expect(await sees(users.member.client, 'projects', pub), 'workspace members still read it (soft-deleted rows stay readable)').toBe(true)
      },
    },
    {
      id: 'soft-deleted parent',
      dependsOn: AFTER_MATRIX,
      run: async ({ results, step, service, harmful }) => {
        const { world, users } = worldOf({ results, step })
        const track: Track = (table, id) => harmful.track({ table, key: id, deleteMode: 'hard' })
        const [doc, blk, req] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
        const slug = worldSlug(world.prefix, 'doomed-doc')
        await serviceInsert(service, track, 'documents', [{ id: doc, project_id: world.project, name: slug, slug }])
        await serviceInsert(service, track, 'blocks', [{ id: blk, document_id: doc, type: 'text', position: 0 }])
        await serviceInsert(service, track, 'requirements', [{ id: req, document_id: doc, block_id: blk, name: slug }])
        expect(await sees(users.editor.client, 'requirements', req), 'before: the editor reads the requirement').toBe(true)

        const { error } = await service.from('documents').update({ is_deleted: true }).eq('id', doc)
        expect(error).toBeNull()
        for (const actor of ['owner', 'editor', 'member'] as const) {
          const client = users[actor].client
          expect(await sees(client, 'requirements', req), `${actor}: requirements of a soft-deleted document are hidden`).toBe(false)
          expect(await sees(client, 'blocks', blk), `${actor}: blocks of a soft-deleted document are hidden`).toBe(false)
        }
        expect(await sees(users.owner.client, 'documents', doc), 'the soft-deleted document itself stays readable (restore needs it)').toBe(true)
        expectRefused(
          await users.editor.client.from('requirements').insert({ document_id: doc, block_id: blk, name: 'late' }),
          'editor adds a requirement to a soft-deleted document',
        )
        expectNoRow(
          await users.editor.client.from('requirements').update({ description: 'x' }).eq('id', req).select('id'),
          'editor edits a requirement of a soft-deleted document',
        )
        expect(await sees(service, 'requirements', req), 'the service role still reads it').toBe(true)
      },
    },
    {
      id: 'NULL parent key',
      dependsOn: AFTER_MATRIX,
      run: async ({ results, step, service, harmful }) => {
        const { world, users } = worldOf({ results, step })
        const track: Track = (table, id) => harmful.track({ table, key: id, deleteMode: 'hard' })
        const orphan = crypto.randomUUID()
        await serviceInsert(service, track, 'test_req', [{ id: orphan, project_id: null, title: worldSlug(world.prefix, 'orphan') }])
        for (const actor of ['owner', 'editor', 'member', 'outsider'] as const) {
          expect(await sees(users[actor].client, 'test_req', orphan), `${actor}: a test without a project is nobody's`).toBe(false)
          expectNoRow(
            await users[actor].client.from('test_req').update({ description: 'x' }).eq('id', orphan).select('id'),
            `${actor} edits a test without a project`,
          )
        }
        expectRefused(await users.editor.client.from('test_req').insert({ project_id: null, title: 'orphan' }), 'editor creates a test without a project')
        expect(await sees(service, 'test_req', orphan)).toBe(true)

        // A property with neither project nor document belongs to the workspace: members read, owners/admins write.
        const orgProp = crypto.randomUUID()
        await serviceInsert(service, track, 'properties', [{ id: orgProp, org_id: world.workspace, name: worldSlug(world.prefix, 'org-prop'), property_type: 'text' }])
        expect(await sees(users.member.client, 'properties', orgProp), 'member reads a workspace property').toBe(true)
        expect(await sees(users.outsider.client, 'properties', orgProp), 'outsider does not').toBe(false)
        expectNoRow(
          await users.editor.client.from('properties').update({ scope: 'x' }).eq('id', orgProp).select('id'),
          'a project editor (workspace member) edits a workspace property',
        )
        expectOneRow(await users.admin.client.from('properties').update({ scope: 'x' }).eq('id', orgProp).select('id'), orgProp, 'admin edits it')
      },
    },
    {
      id: 'assignee',
      dependsOn: AFTER_MATRIX,
      run: async ({ results, step, service, harmful }) => {
        const { world, users } = worldOf({ results, step })
        const track: Track = (table, id) => harmful.track({ table, key: id, deleteMode: 'hard' })
        const id = crypto.randomUUID()
        await serviceInsert(service, track, 'assignments', [
          { id, entity_id: world.requirement, entity_type: 'requirement', assignee_id: users.viewer.id, role: 'reviewer', status: 'in_review' },
        ])
        const viewer = users.viewer.client
        expectOneRow(await viewer.from('assignments').update({ comment: 'looked at it' }).eq('id', id).select('id'), id, 'the assignee (a viewer) updates its assignment')
        expectNoRow(await viewer.from('assignments').delete().eq('id', id).select('id'), 'the assignee deletes its assignment')
        expectNoRow(await users.member.client.from('assignments').update({ comment: 'x' }).eq('id', id).select('id'), 'a non-assignee member updates it')
      },
    },
    {
      id: 'privilege escalation',
      dependsOn: AFTER_MATRIX,
      run: async ({ results, step }) => {
        const { world, users } = worldOf({ results, step })
        const orgRole = (client: SupabaseClient, userId: string, role: string) =>
          client.from('organization_members').update({ role }).eq('organization_id', world.workspace).eq('user_id', userId).select('id')
        expectNoRow(await orgRole(users.member.client, users.member.id, 'admin'), 'member promotes itself to admin')
        expectRefused(await orgRole(users.admin.client, users.member.id, 'owner'), 'admin makes a member owner')
        expectRefused(await orgRole(users.admin.client, users.member.id, 'super_admin'), 'admin makes a member super admin')
        expectNoRow(
          await users.editor.client.from('project_members').update({ role: 'owner' }).eq('project_id', world.project).eq('user_id', users.editor.id).select('id'),
          'editor makes itself project owner',
        )
        expectRefused(
          await users.admin.client.from('project_members').insert({ project_id: world.project, user_id: users.admin.id, role: 'owner' }),
          'workspace admin adds itself as project owner',
        )
      },
    },
    {
      id: 'role downgrade',
      dependsOn: [...AFTER_MATRIX, ...READ_ONLY_EDGES],
      run: async ({ results, step, harmful }) => {
        const { world, users } = worldOf({ results, step })
        const { editor, admin, owner } = users
        const newDoc = () => ({ id: crypto.randomUUID(), project_id: world.project, name: 'by editor', slug: worldSlug(world.prefix, 'by-editor') })
        const before = newDoc()
        expect((await editor.client.from('documents').insert(before)).error, 'before: the editor writes').toBeNull()
        harmful.track({ table: 'documents', key: before.id, deleteMode: 'hard' })
        const down = await owner.client
          .from('project_members')
          .update({ role: 'viewer' })
          .eq('project_id', world.project)
          .eq('user_id', editor.id)
          .select('id')
        expect(down.error).toBeNull()
        expect(down.data).toHaveLength(1)
        expectRefused(await editor.client.from('documents').insert(newDoc()), 'after the downgrade to viewer, the former editor writes')
        expect(await sees(editor.client, 'documents', world.document), 'and still reads').toBe(true)

        const updateWorkspace = () => admin.client.from('organizations').update({ description: 'by admin' }).eq('id', world.workspace).select('id')
        expectOneRow(await updateWorkspace(), world.workspace, 'before: admin updates the workspace')
        const demoted = await owner.client
          .from('organization_members')
          .update({ role: 'member' })
          .eq('organization_id', world.workspace)
          .eq('user_id', admin.id)
          .select('id')
        expect(demoted.data).toHaveLength(1)
        expectNoRow(await updateWorkspace(), 'after the downgrade to member, the former admin updates the workspace')
      },
    },
    {
      id: 'removed from the workspace mid-flow',
      dependsOn: [...AFTER_MATRIX, ...READ_ONLY_EDGES],
      run: async ({ results, step }) => {
        const { world, users } = worldOf({ results, step })
        const { member, viewer, owner } = users
        expect(await sees(member.client, 'projects', world.project), 'before: the member reads the project').toBe(true)
        const remove = (userId: string) =>
          owner.client.from('organization_members').update({ is_deleted: true }).eq('organization_id', world.workspace).eq('user_id', userId).select('id')
        expect((await remove(member.id)).data).toHaveLength(1)
        // The same token, one request later: a soft-deleted membership grants nothing.
        const rows = [
          ['organizations', world.workspace],
          ['projects', world.project],
          ['documents', world.document],
          ['requirements', world.requirement],
          ['workflows', world.workflow],
        ] as const
        for (const [table, id] of rows) expect(await sees(member.client, table, id), `removed member reads "${table}"`).toBe(false)
        expectRefused(
          await member.client.from('workflows').insert({ organization_id: world.workspace, name: 'late', created_by: member.id }),
          'removed member starts a workflow',
        )

        // A removed workspace member who is still a project member keeps that project (spec 2.1:
        // a live project_members row grants access), but loses the workspace itself.
        expect((await remove(viewer.id)).data).toHaveLength(1)
        expect(await sees(viewer.client, 'organizations', world.workspace), 'removed viewer reads the workspace').toBe(false)
        expect(await sees(viewer.client, 'projects', world.project), 'removed viewer still reads the project it is a member of').toBe(true)
      },
    },
    {
      id: 'creator removed from its workspace',
      dependsOn: [...AFTER_MATRIX, ...READ_ONLY_EDGES],
      run: async ({ results, step, workspace, harmful }) => {
        const { users } = worldOf({ results, step })
        const { outsider: creator, member: coOwner } = users
        // The creator of a workspace hands it a second owner, who then removes the creator.
        const ws = await workspace({ as: creator })
        const added = crypto.randomUUID()
        const promote = await creator.client.from('organization_members').insert({ id: added, organization_id: ws.id, user_id: coOwner.id, role: 'owner' })
        expect(promote.error, `the creator adds a co-owner: ${promote.error?.message}`).toBeNull()
        harmful.track({ table: 'organization_members', key: added, deleteMode: 'hard' })
        const removed = await coOwner.client.from('organization_members').delete().eq('organization_id', ws.id).eq('user_id', creator.id).select('id')
        expect(removed.data, 'the co-owner removes the creator').toHaveLength(1)
        // Spec 2.2: organizations are read by live members only; being the creator grants nothing.
        expect(await sees(creator.client, 'organizations', ws.id), 'the removed creator reads the workspace').toBe(false)
        expect(await sees(coOwner.client, 'organizations', ws.id), 'the co-owner still does').toBe(true)
      },
    },
    {
      id: 'token of a deleted user',
      dependsOn: [...AFTER_MATRIX, ...READ_ONLY_EDGES],
      run: async ({ results, step, user, service, harmful }) => {
        const { world } = worldOf({ results, step })
        const doomed = await user()
        const membership = crypto.randomUUID()
        await serviceInsert(service, (table, id) => harmful.track({ table, key: id, deleteMode: 'hard' }), 'organization_members', [
          { id: membership, organization_id: world.workspace, user_id: doomed.id, role: 'member' },
        ])
        expect(await sees(doomed.client, 'projects', world.project), 'before: the new member reads the project').toBe(true)
        const { error } = await service.auth.admin.deleteUser(doomed.id)
        expect(error).toBeNull()
        // Its JWT still verifies until it expires, as on Supabase; only the data must be gone.
        for (const [table, id] of [['organizations', world.workspace], ['projects', world.project], ['documents', world.document]] as const) {
          const response = await doomed.client.from(table).select('id').eq('id', id)
          expect(response.data ?? [], `deleted user reads "${table}"`).toEqual([])
        }
        const ghost = crypto.randomUUID()
        const slug = worldSlug(world.prefix, 'ghost')
        const created = await doomed.client
          .from('organizations')
          .insert({ id: ghost, name: slug, slug, type: 'team', created_by: doomed.id, updated_by: doomed.id })
        if (!created.error) harmful.track({ table: 'organizations', key: ghost, deleteMode: 'hard' })
        expect(created.error, 'a deleted user creates a workspace').not.toBeNull()
        expectNoRow(await doomed.client.from('documents').update({ description: 'x' }).eq('id', world.document).select('id'), 'deleted user edits a document')
      },
    },
  ]
}
