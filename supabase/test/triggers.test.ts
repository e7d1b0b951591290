/**
 * The invariants of spec §6 as triggers: profile on sign-up, personal workspace, owner
 * memberships, member_count, updated_at / updated_by / version / soft-delete bookkeeping, the
 * requirement properties mirror, and clean-up when a user goes. Each test runs in an isolation
 * unit, so nothing it writes survives it.
 */
import type { SqlExecutor } from '../../harness/sql/index.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { ENGINES, openEngine } from '../../harness/testing/index.ts'
import { asService, asUser, expectSqlState, insertRow, signUp } from './test-utils.ts'

type Json = Record<string, unknown>

describe.each(ENGINES)('triggers on %s', (engine) => {
  let db: SqlExecutor
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine(engine))
  })
  afterAll(() => dispose())
  beforeEach(() => db.beginUnit())
  afterEach(() => db.endUnit())

  const one = async <R = Json>(sql: string, params: unknown[] = []) => (await db.query<R>(sql, params)).rows[0]!

  test('sign-up creates the profile, a personal workspace and its owner membership', async () => {
    const user = await signUp(db, 'Mary.Jane+qa@example.test', 'Mary Jane')
    const profile = await one<Json>('select * from public.profiles where id = $1', [user.id])
    expect(profile).toMatchObject({ email: 'Mary.Jane+qa@example.test', full_name: 'Mary Jane', is_approved: true, login_count: 0 })
    expect(profile.current_organization_id).toBe(profile.personal_organization_id)
    const org = await one<Json>('select * from public.organizations where id = $1', [profile.personal_organization_id])
    expect(org).toMatchObject({
      name: "Mary Jane's Workspace",
      slug: 'mary-jane-qa-personal',
      type: 'personal',
      owner_id: user.id,
      created_by: user.id,
      member_count: 1,
    })
    const members = await db.query('select user_id::text, role, status from public.organization_members where organization_id = $1', [org.id])
    expect(members.rows).toEqual([{ user_id: user.id, role: 'owner', status: 'active' }])
  })

  test('personal workspace slugs stay unique and valid for any email', async () => {
    const a = await signUp(db, 'sam@one.test')
    const b = await signUp(db, 'sam@two.test')
    const c = await signUp(db, '42@digits.test')
    const slugOf = async (id: string) =>
      (await one<{ slug: string; name: string }>(
        'select o.slug, o.name from public.organizations o join public.profiles p on p.personal_organization_id = o.id where p.id = $1',
        [id],
      ))
    expect(await slugOf(a.id)).toEqual({ slug: 'sam-personal', name: "sam's Workspace" })
    expect((await slugOf(b.id)).slug).toBe(`sam-${b.id.replaceAll('-', '')}-personal`)
    expect((await slugOf(c.id)).slug).toBe('u-42-personal')
  })

  test('a new organization gets its owner as member; a new project its owner as project member', async () => {
    const user = await signUp(db, 'owner@example.test')
    const { org, project } = await asUser(db, user, async (tx) => {
      const org = await insertRow<Json>(tx, 'organizations', { name: 'Team', slug: 'team', created_by: user.id, updated_by: user.id })
      const project = await insertRow<Json>(tx, 'projects', {
        organization_id: org.id,
        name: 'P1',
        slug: 'p1',
        owned_by: user.id,
        created_by: user.id,
        updated_by: user.id,
      })
      return { org, project }
    })
    expect((await db.query('select role from public.organization_members where organization_id = $1 and user_id = $2', [org.id, user.id])).rows).toEqual([
      { role: 'owner' },
    ])
    expect(
      (await db.query('select role, org_id::text from public.project_members where project_id = $1 and user_id = $2', [project.id, user.id])).rows,
    ).toEqual([{ role: 'owner', org_id: org.id }])
    expect((await one<{ member_count: number }>('select member_count from public.organizations where id = $1', [org.id])).member_count).toBe(1)
  })

  test('member_count follows joins, soft deletes, deactivation and removals', async () => {
    const owner = await signUp(db, 'o@example.test')
    const m1 = await signUp(db, 'm1@example.test')
    const m2 = await signUp(db, 'm2@example.test')
    const org = (await one<{ id: string }>('select personal_organization_id as id from public.profiles where id = $1', [owner.id])).id
    const count = async () => (await one<{ n: number }>('select member_count as n from public.organizations where id = $1', [org])).n
    await asService(db, async (tx) => {
      await insertRow(tx, 'organization_members', { organization_id: org, user_id: m1.id })
      await insertRow(tx, 'organization_members', { organization_id: org, user_id: m2.id })
    })
    expect(await count()).toBe(3)
    await db.query('update public.organization_members set is_deleted = true where user_id = $1 and organization_id = $2', [m1.id, org])
    expect(await count()).toBe(2)
    await db.query(`update public.organization_members set status = 'inactive' where user_id = $1 and organization_id = $2`, [m2.id, org])
    expect(await count()).toBe(1)
    await db.query('delete from public.organization_members where user_id = $1 and organization_id = $2', [m2.id, org])
    expect(await count()).toBe(1)
  })

  test('updates refresh updated_at, set updated_by to the caller and bump version unless one is given', async () => {
    const user = await signUp(db, 'editor@example.test')
    const org = (await one<{ id: string }>('select personal_organization_id as id from public.profiles where id = $1', [user.id])).id
    const project = await asUser(db, user, (tx) =>
      insertRow<Json>(tx, 'projects', { organization_id: org, name: 'Versioned', slug: 'versioned', owned_by: user.id, created_by: user.id, updated_by: user.id }),
    )
    // a caller-supplied updated_at is overwritten; without a JWT the supplied updated_by stays
    await db.query(`update public.projects set updated_at = '2000-01-01T00:00:00Z', updated_by = $2, version = 5 where id = $1`, [
      project.id,
      '00000000-0000-0000-0000-000000000000',
    ])
    const afterService = await one<Json>('select version, updated_by::text, updated_at > now() - interval \'1 minute\' as fresh from public.projects where id = $1', [project.id])
    expect(afterService).toEqual({ version: 5, updated_by: '00000000-0000-0000-0000-000000000000', fresh: true })
    const updated = await asUser(db, user, async (tx) =>
      (await tx.query<Json>(`update public.projects set description = 'd' where id = $1 returning version, updated_by::text`, [project.id])).rows[0],
    )
    expect(updated).toEqual({ version: 6, updated_by: user.id })
    const explicit = await asUser(db, user, async (tx) =>
      (await tx.query<Json>(`update public.projects set description = 'e', version = 10 where id = $1 returning version`, [project.id])).rows[0],
    )
    expect(explicit).toEqual({ version: 10 })
  })

  test('a workspace edit bumps its version; member_count bookkeeping does not', async () => {
    const owner = await signUp(db, 'ws-owner@example.test')
    const member = await signUp(db, 'ws-member@example.test')
    const created = await asUser(db, owner, (tx) =>
      insertRow<Json>(tx, 'organizations', { name: 'Locked', slug: 'locked', created_by: owner.id, updated_by: owner.id }),
    )
    const state = (id: unknown) => one<Json>('select version, member_count from public.organizations where id = $1', [id])
    // the owner membership trigger counted the owner in without moving the version returned on insert
    expect(created.version).toBe(1)
    expect(await state(created.id)).toEqual({ version: 1, member_count: 1 })
    await asService(db, (tx) => insertRow(tx, 'organization_members', { organization_id: created.id, user_id: member.id }))
    expect(await state(created.id)).toEqual({ version: 1, member_count: 2 })
    const edited = await asUser(db, owner, async (tx) =>
      (await tx.query<Json>(`update public.organizations set description = 'd' where id = $1 returning version`, [created.id])).rows[0],
    )
    expect(edited).toEqual({ version: 2 })
    const explicit = await asUser(db, owner, async (tx) =>
      (await tx.query<Json>(`update public.organizations set description = 'e', version = 7 where id = $1 returning version`, [created.id])).rows[0],
    )
    expect(explicit).toEqual({ version: 7 })
    await db.query('delete from public.organization_members where organization_id = $1 and user_id = $2', [created.id, member.id])
    expect(await state(created.id)).toEqual({ version: 7, member_count: 1 })
    await expectSqlState(db.query('update public.organizations set version = 0 where id = $1', [created.id]), '23514')
  })

  test('soft delete stamps deleted_at / deleted_by; restore clears them', async () => {
    const user = await signUp(db, 'deleter@example.test')
    const org = (await one<{ id: string }>('select personal_organization_id as id from public.profiles where id = $1', [user.id])).id
    const rows = await asUser(db, user, async (tx) => {
      const p = await insertRow<Json>(tx, 'projects', { organization_id: org, name: 'Gone', slug: 'gone', owned_by: user.id, created_by: user.id, updated_by: user.id })
      const del = (await tx.query<Json>('update public.projects set is_deleted = true where id = $1 returning deleted_at is not null as stamped, deleted_by::text', [p.id])).rows[0]
      const restore = (await tx.query<Json>('update public.projects set is_deleted = false where id = $1 returning deleted_at, deleted_by', [p.id])).rows[0]
      return { del, restore }
    })
    expect(rows).toEqual({ del: { stamped: true, deleted_by: user.id }, restore: { deleted_at: null, deleted_by: null } })
  })

  test('requirement properties mirror status, priority, format, level and type, keeping other keys', async () => {
    const user = await signUp(db, 'req@example.test')
    const org = (await one<{ id: string }>('select personal_organization_id as id from public.profiles where id = $1', [user.id])).id
    const result = await asUser(db, user, async (tx) => {
      const p = await insertRow<Json>(tx, 'projects', { organization_id: org, name: 'Reqs', slug: 'reqs', owned_by: user.id, created_by: user.id, updated_by: user.id })
      const d = await insertRow<Json>(tx, 'documents', { project_id: p.id, name: 'D', slug: 'd' })
      const b = await insertRow<Json>(tx, 'blocks', { document_id: d.id, type: 'section', position: 0 })
      const r = await insertRow<Json>(tx, 'requirements', {
        document_id: d.id,
        block_id: b.id,
        name: 'R',
        type: 'component',
        properties: { owner_team: 'qa', status: 'stale' },
      })
      const after = (await tx.query<Json>(`update public.requirements set status = 'approved', priority = 'critical' where id = $1 returning properties`, [r.id])).rows[0]
      return { inserted: r.properties, updated: after!.properties }
    })
    expect(result.inserted).toEqual({ owner_team: 'qa', status: 'active', priority: 'low', format: 'ears', level: 'component', type: 'component' })
    expect(result.updated).toEqual({ owner_team: 'qa', status: 'approved', priority: 'critical', format: 'ears', level: 'component', type: 'component' })
  })

  test("removing an auth user removes the profile, memberships and the empty personal workspace", async () => {
    const user = await signUp(db, 'leaver@example.test')
    const org = (await one<{ id: string }>('select personal_organization_id as id from public.profiles where id = $1', [user.id])).id
    await db.query('delete from auth.users where id = $1', [user.id])
    const left = await one<Json>(
      `select (select count(*)::int from public.profiles where id = $1) as profiles,
              (select count(*)::int from public.organization_members where user_id = $1) as members,
              (select count(*)::int from public.organizations where id = $2) as orgs`,
      [user.id, org],
    )
    expect(left).toEqual({ profiles: 0, members: 0, orgs: 0 })
  })

  test('constraints reject bad rows with the matching SQLSTATE', async () => {
    const user = await signUp(db, 'c@example.test')
    const bad = [
      [`insert into public.organizations (name, slug, created_by, updated_by) values ('A', 'ok-slug', $1, $1)`, '23514'],
      [`insert into public.organizations (name, slug, created_by, updated_by) values ('Fine', '9bad', $1, $1)`, '23514'],
      [`insert into public.organizations (name, slug, created_by, updated_by) values ('Fine', 'c-personal', $1, $1)`, '23505'],
      [`insert into public.organizations (name, slug, created_by) values ('Fine', 'fine', $1)`, '23502'],
      [`insert into public.projects (organization_id, name, slug, owned_by, created_by, updated_by) values (gen_random_uuid(), 'Pp', 'pp', $1, $1, $1)`, '23503'],
      [`insert into public.organizations (name, slug, type, created_by, updated_by) values ('Fine', 'fine', 'galaxy', $1, $1)`, '22P02'],
    ] as const
    for (const [sql, code] of bad) {
      const error = await db.transaction((tx) => tx.query(sql, [user.id])).then(() => undefined, (e: { code?: string }) => e)
      expect(error?.code, sql).toBe(code)
    }
  })
})
