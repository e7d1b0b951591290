/**
 * Row-level security is real: Postgres itself decides, for the actors anon, owner, admin,
 * member/editor/viewer, a user of another workspace, and the service role. Mutating tests run
 * in an isolation unit (rolled back after each test) on top of a committed two-tenant world.
 */
import type { SqlExecutor } from '../../harness/sql/index.ts'
import type { World } from './world.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { ENGINES, openEngine } from '../../harness/testing/index.ts'
import { tables } from '../models/index.ts'
import { asAnon, asService, asUser, countRows, expectSqlState, insertRow, visibleIds } from './test-utils.ts'
import { buildWorld } from './world.ts'

const sorted = (ids: string[]) => [...ids].sort()

describe.each(ENGINES)('RLS on %s', (engine) => {
  let db: SqlExecutor
  let dispose: () => Promise<void>
  let w: World

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine(engine))
    w = await buildWorld(db)
  })
  afterAll(() => dispose())

  describe('reads', () => {
    test("each owner sees only its own workspace's projects, documents, requirements and tests", async () => {
      for (const [user, mine] of [
        [w.users.alice, w.alpha],
        [w.users.bob, w.beta],
      ] as const) {
        const seen = await asUser(db, user, async (tx) => ({
          projects: await visibleIds(tx, 'projects'),
          documents: await visibleIds(tx, 'documents'),
          requirements: await visibleIds(tx, 'requirements'),
          tests: await visibleIds(tx, 'test_req'),
          blocks: await visibleIds(tx, 'blocks'),
        }))
        expect(seen).toEqual({
          projects: [mine.project],
          documents: [mine.document],
          requirements: sorted(mine.requirements),
          tests: [mine.test],
          blocks: [mine.block],
        })
      }
    })

    test('organizations: members see theirs (incl. the personal one), nobody else sees them', async () => {
      const orgsOf = (user: World['users']['alice']) => asUser(db, user, (tx) => visibleIds(tx, 'organizations'))
      const personal = async (userId: string) =>
        (await db.query<{ id: string }>('select personal_organization_id::text as id from public.profiles where id = $1', [userId]))
          .rows[0]!.id
      expect(await orgsOf(w.users.alice)).toEqual(sorted([w.alpha.org, await personal(w.users.alice.id)]))
      expect(await orgsOf(w.users.bob)).toEqual(sorted([w.beta.org, await personal(w.users.bob.id)]))
      expect(await orgsOf(w.users.frank)).toEqual([await personal(w.users.frank.id)])
    })

    test("a workspace member reads the workspace's content; a member of another workspace does not", async () => {
      const carol = await asUser(db, w.users.carol, async (tx) => ({
        projects: await visibleIds(tx, 'projects'),
        requirements: (await visibleIds(tx, 'requirements')).length,
        members: (await visibleIds(tx, 'organization_members')).length,
      }))
      expect(carol).toEqual({ projects: [w.alpha.project], requirements: 2, members: 5 })
      const bob = await asUser(db, w.users.bob, async (tx) => ({
        alphaMembers: (await tx.query('select 1 from public.organization_members where organization_id = $1', [w.alpha.org])).rowCount,
        alphaLinks: await countRows(tx, 'trace_links'),
        alphaAssignments: await countRows(tx, 'assignments'),
      }))
      expect(bob).toEqual({ alphaMembers: 0, alphaLinks: 0, alphaAssignments: 0 })
    })

    test('anon sees no row of any table and cannot write or call the RPC functions', async () => {
      for (const table of Object.keys(tables) as (keyof typeof tables)[]) {
        expect(await asAnon(db, (tx) => countRows(tx, table)), table).toBe(0)
      }
      await expectSqlState(
        asAnon(db, (tx) => insertRow(tx, 'organizations', { name: 'Anon', slug: 'anon', created_by: w.users.bob.id, updated_by: w.users.bob.id })),
        '42501',
      )
      await expectSqlState(asAnon(db, (tx) => tx.query('select public.get_query_stats()')), '42501')
      await expectSqlState(asAnon(db, (tx) => tx.query('select public.is_super_admin($1)', [w.users.alice.id])), '42501')
    })

    test('the service role sees every row of every table', async () => {
      for (const table of Object.keys(tables) as (keyof typeof tables)[]) {
        const total = (await db.query<{ n: number }>(`select count(*)::int as n from public."${table}"`)).rows[0]!.n
        expect(await asService(db, (tx) => countRows(tx, table)), table).toBe(total)
      }
      expect(await asService(db, (tx) => countRows(tx, 'projects'))).toBe(2)
    })

    test('every signed-in user reads all profiles; anon reads none', async () => {
      expect(await asUser(db, w.users.frank, (tx) => countRows(tx, 'profiles'))).toBe(6)
      expect(await asAnon(db, (tx) => countRows(tx, 'profiles'))).toBe(0)
    })
  })

  describe('writes', () => {
    beforeEach(() => db.beginUnit())
    afterEach(() => db.endUnit())

    test('writing into a foreign workspace fails with 42501 or touches no row', async () => {
      const bob = w.users.bob
      await expectSqlState(
        asUser(db, bob, (tx) =>
          insertRow(tx, 'projects', {
            organization_id: w.alpha.org,
            name: 'Intruder',
            slug: 'intruder',
            owned_by: bob.id,
            created_by: bob.id,
            updated_by: bob.id,
          }),
        ),
        '42501',
      )
      await expectSqlState(asUser(db, bob, (tx) => insertRow(tx, 'documents', { project_id: w.alpha.project, name: 'X', slug: 'x' })), '42501')
      await expectSqlState(
        asUser(db, bob, (tx) =>
          insertRow(tx, 'requirements', { document_id: w.alpha.document, block_id: w.alpha.block, name: 'X' }),
        ),
        '42501',
      )
      await expectSqlState(asUser(db, bob, (tx) => insertRow(tx, 'test_req', { project_id: w.alpha.project, title: 'X' })), '42501')
      await expectSqlState(
        asUser(db, bob, (tx) => insertRow(tx, 'organization_members', { organization_id: w.alpha.org, user_id: bob.id, role: 'owner' })),
        '42501',
      )
      const touched = await asUser(db, bob, async (tx) => [
        (await tx.query(`update public.projects set name = 'Pwned' where id = $1`, [w.alpha.project])).rowCount,
        (await tx.query(`update public.organizations set name = 'Pwned' where id = $1`, [w.alpha.org])).rowCount,
        (await tx.query(`delete from public.documents where id = $1`, [w.alpha.document])).rowCount,
        (await tx.query(`delete from public.requirement_tests where id = $1`, [w.alpha.requirementTest])).rowCount,
      ])
      expect(touched).toEqual([0, 0, 0, 0])
      expect((await db.query(`select name from public.projects where id = $1`, [w.alpha.project])).rows).toEqual([{ name: 'Alpha Project' }])
    })

    test('a project viewer reads but cannot write; an editor writes but cannot delete documents', async () => {
      const doc = { project_id: w.alpha.project, name: 'Viewer doc', slug: 'viewer-doc' }
      await expectSqlState(asUser(db, w.users.carol, (tx) => insertRow(tx, 'documents', doc)), '42501')
      expect(
        await asUser(db, w.users.carol, async (tx) => (await tx.query(`update public.documents set description = 'x' where id = $1`, [w.alpha.document])).rowCount),
      ).toBe(0)
      const created = await asUser(db, w.users.dave, (tx) => insertRow<{ id: string }>(tx, 'documents', { ...doc, slug: 'editor-doc' }))
      expect(created.id).toBeTruthy()
      expect(
        await asUser(db, w.users.dave, async (tx) => (await tx.query(`delete from public.documents where id = $1`, [created.id])).rowCount),
      ).toBe(0)
      expect(
        await asUser(db, w.users.alice, async (tx) => (await tx.query(`delete from public.documents where id = $1`, [created.id])).rowCount),
      ).toBe(1)
    })

    test('a workspace member creates a project there and owns it; a stranger cannot', async () => {
      const carol = w.users.carol
      const project = await asUser(db, carol, (tx) =>
        insertRow<{ id: string }>(tx, 'projects', {
          organization_id: w.alpha.org,
          name: 'Carol Project',
          slug: 'carol-project',
          owned_by: carol.id,
          created_by: carol.id,
          updated_by: carol.id,
        }),
      )
      const { rows } = await db.query('select role from public.project_members where project_id = $1 and user_id = $2', [project.id, carol.id])
      expect(rows).toEqual([{ role: 'owner' }])
      // owned_by must be the caller: nobody creates projects in someone else's name
      await expectSqlState(
        asUser(db, carol, (tx) =>
          insertRow(tx, 'projects', {
            organization_id: w.alpha.org,
            name: 'Ghost',
            slug: 'ghost',
            owned_by: w.users.alice.id,
            created_by: carol.id,
            updated_by: carol.id,
          }),
        ),
        '42501',
      )
    })

    test('organization roles: members cannot manage, admins can but not grant owner/super_admin, owners can', async () => {
      const orgRename = (user: World['users']['alice']) =>
        asUser(db, user, async (tx) => (await tx.query(`update public.organizations set description = 'x' where id = $1`, [w.alpha.org])).rowCount)
      expect(await orgRename(w.users.carol)).toBe(0)
      expect(await orgRename(w.users.erin)).toBe(1)
      // a member cannot promote themself
      const selfPromote = await asUser(db, w.users.carol, async (tx) =>
        (await tx.query(`update public.organization_members set role = 'admin' where organization_id = $1 and user_id = $2`, [w.alpha.org, w.users.carol.id])).rowCount,
      )
      expect(selfPromote).toBe(0)
      // an admin cannot make anyone owner or super admin
      await expectSqlState(
        asUser(db, w.users.erin, (tx) =>
          tx.query(`update public.organization_members set role = 'owner' where organization_id = $1 and user_id = $2`, [w.alpha.org, w.users.dave.id]),
        ),
        '42501',
      )
      await expectSqlState(
        asUser(db, w.users.erin, (tx) =>
          insertRow(tx, 'organization_members', { organization_id: w.alpha.org, user_id: w.users.frank.id, role: 'super_admin' }),
        ),
        '42501',
      )
      // the owner can hand out ownership; only the owner deletes the organization
      const granted = await asUser(db, w.users.alice, async (tx) =>
        (await tx.query(`update public.organization_members set role = 'owner' where organization_id = $1 and user_id = $2`, [w.alpha.org, w.users.dave.id])).rowCount,
      )
      expect(granted).toBe(1)
      const erinDelete = await asUser(db, w.users.erin, async (tx) => (await tx.query('delete from public.organizations where id = $1', [w.alpha.org])).rowCount)
      expect(erinDelete).toBe(0)
    })

    test('a soft-deleted membership grants nothing', async () => {
      expect(await asUser(db, w.users.carol, (tx) => countRows(tx, 'documents'))).toBe(1)
      await asUser(db, w.users.alice, async (tx) => {
        await tx.query('update public.organization_members set is_deleted = true where organization_id = $1 and user_id = $2', [w.alpha.org, w.users.carol.id])
        await tx.query('update public.project_members set is_deleted = true where project_id = $1 and user_id = $2', [w.alpha.project, w.users.carol.id])
      })
      const seen = await asUser(db, w.users.carol, async (tx) => ({
        documents: await countRows(tx, 'documents'),
        projects: await countRows(tx, 'projects'),
        alpha: (await tx.query('select 1 from public.organizations where id = $1', [w.alpha.org])).rowCount,
      }))
      expect(seen).toEqual({ documents: 0, projects: 0, alpha: 0 })
    })

    test('a public project is readable by every signed-in user, never by anon', async () => {
      await asUser(db, w.users.alice, (tx) => tx.query(`update public.projects set visibility = 'public' where id = $1`, [w.alpha.project]))
      const frank = await asUser(db, w.users.frank, async (tx) => ({
        projects: await visibleIds(tx, 'projects'),
        documents: await visibleIds(tx, 'documents'),
        canWrite: (await tx.query(`update public.documents set name = 'x' where id = $1`, [w.alpha.document])).rowCount,
      }))
      expect(frank).toEqual({ projects: [w.alpha.project], documents: [w.alpha.document], canWrite: 0 })
      expect(await asAnon(db, (tx) => countRows(tx, 'projects'))).toBe(0)
    })

    test('profiles: own row only for updates; inserts and deletes need a super admin', async () => {
      const frank = w.users.frank
      const updates = await asUser(db, frank, async (tx) => [
        (await tx.query(`update public.profiles set job_title = 'QA' where id = $1`, [frank.id])).rowCount,
        (await tx.query(`update public.profiles set job_title = 'QA' where id = $1`, [w.users.alice.id])).rowCount,
        (await tx.query(`delete from public.profiles where id = $1`, [w.users.alice.id])).rowCount,
      ])
      expect(updates).toEqual([1, 0, 0])
      const extra = await db.query<{ id: string }>(`insert into auth.users (email) values ('x@y.test') returning id::text as id`)
      await db.query('delete from public.profiles where id = $1', [extra.rows[0]!.id])
      await expectSqlState(asUser(db, frank, (tx) => insertRow(tx, 'profiles', { id: extra.rows[0]!.id, email: 'x@y.test' })), '42501')
    })

    test('an organization insert returns the row to its creator, and nobody creates one in another name', async () => {
      const frank = w.users.frank
      const org = await asUser(db, frank, (tx) =>
        insertRow<{ id: string; created_by: string }>(tx, 'organizations', { name: 'Frankly', slug: 'frankly', created_by: frank.id, updated_by: frank.id }),
      )
      expect(org.created_by).toBe(frank.id)
      expect(await asUser(db, frank, async (tx) => (await tx.query('select 1 from public.organizations where id = $1', [org.id])).rowCount)).toBe(1)
      await expectSqlState(
        asUser(db, frank, (tx) => insertRow(tx, 'organizations', { name: 'Forged', slug: 'forged', created_by: w.users.bob.id, updated_by: frank.id })),
        '42501',
      )
    })

    test('is_super_admin answers from a live super_admin membership only', async () => {
      const check = async () =>
        (await db.query<{ yes: boolean }>('select public.is_super_admin($1) as yes', [w.users.frank.id])).rows[0]!.yes
      expect(await check()).toBe(false)
      await asService(db, (tx) => insertRow(tx, 'organization_members', { organization_id: w.beta.org, user_id: w.users.frank.id, role: 'super_admin' }))
      expect(await check()).toBe(true)
      await db.query(`update public.organization_members set is_deleted = true where user_id = $1 and role = 'super_admin'`, [w.users.frank.id])
      expect(await check()).toBe(false)
    })
  })

  describe('catalog', () => {
    test('every public table has RLS enabled and at least one policy', async () => {
      const { rows } = await db.query<{ name: string; rls: boolean; policies: number }>(`
        select c.relname as name, c.relrowsecurity as rls,
          (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`)
      expect(rows.map((r) => r.name)).toEqual(Object.keys(tables).sort())
      for (const row of rows) {
        expect(row.rls, row.name).toBe(true)
        expect(row.policies, row.name).toBeGreaterThanOrEqual(1)
      }
    })

    test('policies apply to authenticated only, so anon and PUBLIC get nothing', async () => {
      const { rows } = await db.query<{ roles: string }>(`select distinct roles::text as roles from pg_policies where schemaname = 'public'`)
      expect(rows).toEqual([{ roles: '{authenticated}' }])
    })

    test("a signed-in user cannot ask the helpers about someone else's memberships", async () => {
      const asked = await asUser(db, w.users.bob, async (tx) =>
        (
          await tx.query<Record<string, unknown>>(
            `select public.is_organization_member($1, $2) as member, public.get_user_organization_ids($2) as orgs,
               public.user_can_access_project($3, $2) as access, public.is_organization_member($4, $5) as own`,
            [w.alpha.org, w.users.alice.id, w.alpha.project, w.beta.org, w.users.bob.id],
          )
        ).rows[0],
      )
      expect(asked).toEqual({ member: false, orgs: [], access: false, own: true })
      // without a signed-in caller (service role, triggers) the helpers answer for anyone
      const trusted = await db.query<{ member: boolean }>('select public.is_organization_member($1, $2) as member', [w.alpha.org, w.users.alice.id])
      expect(trusted.rows).toEqual([{ member: true }])
    })

    test('security-definer functions pin search_path and are not executable by anon', async () => {
      const { rows } = await db.query<{ name: string; config: string[] | null; anon: boolean }>(`
        select p.proname as name, p.proconfig as config, has_function_privilege('anon', p.oid, 'execute') as anon
        from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prosecdef order by 1`)
      expect(rows.length).toBeGreaterThanOrEqual(20)
      for (const row of rows) {
        expect(row.config ?? [], row.name).toContain('search_path=""')
        expect(row.anon, row.name).toBe(false)
      }
    })
  })
})
