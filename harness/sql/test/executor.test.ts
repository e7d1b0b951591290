import type { SqlExecutor } from '../index.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ClosedHandleError, UnknownRoleError, sqlState } from '../index.ts'
import { ENGINES, openEngine } from '../../testing/index.ts'

describe.each(ENGINES)('SqlExecutor on %s', (engine) => {
  let db: SqlExecutor
  let dispose: () => Promise<void>

  beforeAll(async () => {
    const opened = await openEngine(engine, { migrate: false })
    db = opened.db
    dispose = opened.dispose
    await db.exec(`
      create table notes (id int primary key, owner uuid not null, body text);
      alter table notes enable row level security;
      create policy notes_own on notes for all to authenticated
        using (owner = auth.uid()) with check (owner = auth.uid());
      grant all on notes to anon, authenticated, service_role;
      insert into notes values
        (1, '00000000-0000-0000-0000-00000000000a', 'a'),
        (2, '00000000-0000-0000-0000-00000000000b', 'b');`)
  })
  afterAll(() => dispose())

  const userA = { sub: '00000000-0000-0000-0000-00000000000a', role: 'authenticated' }

  test('binds parameters and reports rows', async () => {
    const { rows, rowCount } = await db.query<{ body: string }>('select body from notes where id = $1', [2])
    expect(rows).toEqual([{ body: 'b' }])
    expect(rowCount).toBe(1)
  })

  test('transaction commits on return and rolls back on throw', async () => {
    await db.transaction((tx) => tx.query(`insert into notes values (3, $1, 'c')`, [userA.sub]))
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into notes values (4, $1, 'd')`, [userA.sub])
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    const { rows } = await db.query<{ id: number }>('select id from notes where id in (3, 4) order by id')
    expect(rows.map((r) => r.id)).toEqual([3])
    await db.query('delete from notes where id = 3')
  })

  test('asRole runs under the role and claims, so RLS and auth.uid() answer', async () => {
    const seen = await db.asRole('authenticated', userA, async (tx) => {
      const who = await tx.query<{ uid: string; role: string }>('select auth.uid()::text as uid, current_user as role')
      const notes = await tx.query<{ id: number }>('select id from notes order by id')
      return { who: who.rows[0], ids: notes.rows.map((r) => r.id) }
    })
    expect(seen).toEqual({ who: { uid: userA.sub, role: 'authenticated' }, ids: [1] })
    const anon = await db.asRole('anon', null, (tx) => tx.query('select auth.uid() as uid'))
    expect(anon.rows).toEqual([{ uid: null }])
    const all = await db.asRole('service_role', { role: 'service_role' }, (tx) => tx.query('select id from notes'))
    expect(all.rowCount).toBe(2)
  })

  test('claims reach request.jwt.claims byte for byte, quotes and backslashes included', async () => {
    const claims = { ...userA, email: `o'brien\\'; drop table notes; --@example.com`, note: 'back\\slash \u00e9 "q"' }
    const read = () => db.asRole('authenticated', claims, (tx) => tx.query<{ claims: string }>(`select current_setting('request.jwt.claims') as claims`))
    expect(JSON.parse((await read()).rows[0]!.claims)).toEqual(claims)
    await db.beginUnit()
    try {
      expect(JSON.parse((await read()).rows[0]!.claims)).toEqual(claims)
    } finally {
      await db.endUnit()
    }
    expect((await db.query('select 1 from notes')).rowCount).toBe(2)
  })

  test('a write the policy forbids fails with SQLSTATE 42501 and changes nothing', async () => {
    const error = await db
      .asRole('authenticated', userA, (tx) => tx.query(`insert into notes values (9, '00000000-0000-0000-0000-00000000000b', 'x')`))
      .catch((e: unknown) => e)
    expect(sqlState(error)).toBe('42501')
    expect((error as { sql?: string }).sql).toContain('insert into notes')
    expect((await db.query('select 1 from notes where id = 9')).rowCount).toBe(0)
  })

  test('role and claims do not outlive asRole', async () => {
    await db.asRole('anon', null, (tx) => tx.query('select 1'))
    const { rows } = await db.query<{ role: string; claims: string | null }>(
      `select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims`,
    )
    expect(rows[0]).toEqual({ role: 'postgres', claims: null })
  })

  test('an unknown role is refused before any SQL runs', async () => {
    await expect(db.asRole('postgres' as never, null, (tx) => tx.query('select 1'))).rejects.toBeInstanceOf(UnknownRoleError)
  })

  test('a handle used after its transaction closed throws', async () => {
    let leaked: { query: (s: string) => Promise<unknown> } | undefined
    await db.transaction(async (tx) => {
      leaked = tx
    })
    await expect(leaked!.query('select 1')).rejects.toBeInstanceOf(ClosedHandleError)
  })

  test('an isolation unit keeps each request in a savepoint and rolls everything back', async () => {
    await db.beginUnit()
    expect(db.inUnit).toBe(true)
    await db.asRole('authenticated', userA, (tx) => tx.query(`insert into notes values (5, $1, 'e')`, [userA.sub]))
    // A failing request rolls back to its own savepoint only.
    await expect(
      db.asRole('authenticated', userA, (tx) => tx.query(`insert into notes values (5, $1, 'dup')`, [userA.sub])),
    ).rejects.toMatchObject({ code: '23505' })
    const inside = await db.asRole('authenticated', userA, (tx) => tx.query<{ id: number }>('select id from notes order by id'))
    expect(inside.rows.map((r) => r.id)).toEqual([1, 5])
    // Role and claims were reset after each savepoint.
    const reset = await db.query<{ role: string }>('select current_user as role')
    expect(reset.rows[0]?.role).toBe('postgres')
    await db.endUnit()
    expect(db.inUnit).toBe(false)
    expect((await db.query('select 1 from notes where id = 5')).rowCount).toBe(0)
  })
})
