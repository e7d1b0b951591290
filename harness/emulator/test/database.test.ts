/**
 * The auth routes on real schemas: with the Atoms migrations (a trigger gives every new
 * auth.users row a profile and a personal organization), and with users seeded the way Supabase
 * seed files write them (bcrypt through pgcrypto).
 */
import type { EmulatorFixture } from './test-utils.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ENGINES } from '../../testing/index.ts'
import { openEmulator, uniqueEmail } from './test-utils.ts'

describe.each(ENGINES)('auth on the Atoms schema (%s)', (engine) => {
  let fx: EmulatorFixture

  beforeAll(async () => {
    fx = await openEmulator(engine, 'msw', { migrate: true })
  })
  afterAll(() => fx?.close())

  test('sign-up runs the auth.users triggers; the new user reads its own profile through RLS', async () => {
    const email = uniqueEmail('atoms')
    const signed = await fx.signUp(email, 'atoms-password-1', { full_name: 'Ada Lovelace' })
    const { rows } = await fx.db.query('select email, full_name from public.profiles where id = $1', [signed.userId])
    expect(rows).toEqual([{ email, full_name: 'Ada Lovelace' }])
    const own = await signed.client.from('profiles').select('id, full_name').eq('id', signed.userId)
    expect(own).toMatchObject({ error: null, data: [{ id: signed.userId, full_name: 'Ada Lovelace' }] })
  })

  test('deleting the user through the admin API removes its profile by cascade', async () => {
    const signed = await fx.signUp(uniqueEmail('atoms-delete'))
    const { error } = await fx.client(fx.emulator.serviceRoleKey).auth.admin.deleteUser(signed.userId)
    expect(error).toBeNull()
    const { rows } = await fx.db.query('select count(*)::int as n from public.profiles where id = $1', [signed.userId])
    expect(rows).toEqual([{ n: 0 }])
  })
})

describe('users seeded with bcrypt passwords (postgres, pgcrypto)', () => {
  let fx: EmulatorFixture

  beforeAll(async () => {
    fx = await openEmulator('postgres', 'http', { setupSql: 'create extension if not exists pgcrypto' })
  })
  afterAll(() => fx?.close())

  test('signInWithPassword checks a crypt() hash written by a seed file', async () => {
    await fx.db.query(
      `insert into auth.users (email, encrypted_password, email_confirmed_at)
       values ('seeded@example.com', crypt('seeded-password', gen_salt('bf')), now())`,
    )
    const ok = await fx.client().auth.signInWithPassword({ email: 'seeded@example.com', password: 'seeded-password' })
    expect(ok.error).toBeNull()
    expect(ok.data.user?.email).toBe('seeded@example.com')
    const wrong = await fx.client().auth.signInWithPassword({ email: 'seeded@example.com', password: 'not-it' })
    expect(wrong.error).toMatchObject({ status: 400, code: 'invalid_credentials' })
  })
})
