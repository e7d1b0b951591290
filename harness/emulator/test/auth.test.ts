/**
 * The GoTrue subset end to end through supabase-js `auth.*`, and the way bearer tokens and API
 * keys are judged, in all four combinations {msw, http} × {PGlite, Postgres}.
 */
import type { EmulatorFixture } from './test-utils.ts'
import { isAuthSessionMissingError } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { signJwt, signUserToken } from '../index.ts'
import { COMBINATIONS, decodeClaims, openEmulator, uniqueEmail, unsignedToken } from './test-utils.ts'

const SCHEMA = `
  create table auth_probe (id int primary key, owner uuid);
  alter table auth_probe enable row level security;
  create policy auth_probe_read on auth_probe for select to anon, authenticated using (true);
  grant select on auth_probe to anon, authenticated, service_role;
  insert into auth_probe values (1, null);
  create function auth_probe_claims() returns jsonb language sql stable as $$ select auth.jwt() $$;
  grant execute on function auth_probe_claims() to anon, authenticated, service_role;`

describe.each(COMBINATIONS)('auth over $label', ({ engine, transport }) => {
  let fx: EmulatorFixture

  beforeAll(async () => {
    fx = await openEmulator(engine, transport, { setupSql: SCHEMA })
  })
  afterAll(() => fx?.close())

  describe('sign-up and sign-in', () => {
    test('signUp confirms the user and returns a session with Supabase claims', async () => {
      const email = uniqueEmail('Signup')
      const { data, error } = await fx.client().auth.signUp({ email, password: 'secret-1', options: { data: { name: 'Ada' } } })
      expect(error).toBeNull()
      expect(data.user).toMatchObject({
        email: email.toLowerCase(),
        aud: 'authenticated',
        role: 'authenticated',
        user_metadata: { name: 'Ada' },
        app_metadata: { provider: 'email', providers: ['email'] },
        is_anonymous: false,
      })
      expect(data.user?.email_confirmed_at).toEqual(expect.any(String))
      expect(data.session).toMatchObject({ token_type: 'bearer', expires_in: 3600 })
      const claims = decodeClaims(data.session!.access_token)
      expect(claims).toMatchObject({
        sub: data.user!.id,
        role: 'authenticated',
        aud: 'authenticated',
        email: email.toLowerCase(),
        phone: '',
        app_metadata: { provider: 'email', providers: ['email'] },
        user_metadata: { name: 'Ada' },
        aal: 'aal1',
        amr: [{ method: 'password', timestamp: expect.any(Number) }],
        is_anonymous: false,
        iss: `${fx.url}/auth/v1`,
      })
      expect(claims.session_id).toEqual(expect.any(String))
      expect((claims.exp as number) - (claims.iat as number)).toBe(3600)
      const { rows } = await fx.db.query<{ id: string }>('select id::text as id from auth.users where email = $1', [email.toLowerCase()])
      expect(rows).toEqual([{ id: data.user!.id }])
    })

    test('signing up twice, weak passwords and bad emails fail like GoTrue', async () => {
      const email = uniqueEmail('twice')
      await fx.signUp(email)
      const again = await fx.client().auth.signUp({ email, password: 'secret-2' })
      expect(again.error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' })
      const weak = await fx.client().auth.signUp({ email: uniqueEmail('weak'), password: '123' })
      expect(weak.error).toMatchObject({ name: 'AuthWeakPasswordError', status: 422, code: 'weak_password', reasons: ['length'] })
      const bad = await fx.client().auth.signUp({ email: 'not-an-email', password: 'secret-1' })
      expect(bad.error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Unable to validate email address: invalid format' })
      const { rows } = await fx.db.query('select count(*)::int as n from auth.users where email = $1', [email])
      expect(rows).toEqual([{ n: 1 }])
    })

    test('signInWithPassword opens a new session; wrong credentials do not', async () => {
      const email = uniqueEmail('signin')
      const first = await fx.signUp(email, 'right-password')
      const client = fx.client()
      const { data, error } = await client.auth.signInWithPassword({ email: email.toUpperCase(), password: 'right-password' })
      expect(error).toBeNull()
      expect(data.user?.id).toBe(first.userId)
      expect(decodeClaims(data.session!.access_token).session_id).not.toBe(decodeClaims(first.accessToken).session_id)
      for (const credentials of [
        { email, password: 'wrong-password' },
        { email: uniqueEmail('nobody'), password: 'right-password' },
      ]) {
        const failed = await fx.client().auth.signInWithPassword(credentials)
        expect(failed.data.session).toBeNull()
        expect(failed.error).toMatchObject({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' })
      }
    })

    test('getUser answers the signed-in user', async () => {
      const signed = await fx.signUp(uniqueEmail('getuser'), 'secret-1', { plan: 'pro' })
      const { data, error } = await signed.client.auth.getUser()
      expect(error).toBeNull()
      expect(data.user).toMatchObject({ id: signed.userId, user_metadata: { plan: 'pro' } })
    })

    test('updateUser merges metadata and changes the password', async () => {
      const email = uniqueEmail('update')
      const signed = await fx.signUp(email, 'old-password', { a: 1, b: 2 })
      const meta = await signed.client.auth.updateUser({ data: { b: null, c: 3 } })
      expect(meta.error).toBeNull()
      expect(meta.data.user?.user_metadata).toEqual({ a: 1, c: 3 })
      const same = await signed.client.auth.updateUser({ password: 'old-password' })
      expect(same.error).toMatchObject({ status: 422, code: 'same_password' })
      expect((await signed.client.auth.updateUser({ password: 'new-password' })).error).toBeNull()
      expect((await fx.client().auth.signInWithPassword({ email, password: 'old-password' })).error?.code).toBe('invalid_credentials')
      expect((await fx.client().auth.signInWithPassword({ email, password: 'new-password' })).error).toBeNull()
    })
  })

  describe('refresh tokens', () => {
    test('refreshSession rotates the refresh token and signs a new access token', async () => {
      const signed = await fx.signUp(uniqueEmail('rotate'))
      const { data, error } = await signed.client.auth.refreshSession({ refresh_token: signed.refreshToken })
      expect(error).toBeNull()
      expect(data.session!.refresh_token).not.toBe(signed.refreshToken)
      expect(data.session!.refresh_token).toMatch(/^[a-z0-9]{12}$/)
      expect(decodeClaims(data.session!.access_token).session_id).toBe(decodeClaims(signed.accessToken).session_id)
      const { rows } = await fx.db.query('select revoked from auth.refresh_tokens where token = $1', [signed.refreshToken])
      expect(rows).toEqual([{ revoked: true }])
    })

    test('reusing a rotated token is refused and revokes the whole session', async () => {
      const signed = await fx.signUp(uniqueEmail('reuse'))
      const refresh = (token: string) => fx.client().auth.refreshSession({ refresh_token: token })
      const t0 = signed.refreshToken
      const t1 = (await refresh(t0)).data.session!.refresh_token
      // The parent of the newest token is answered with the newest token (a lost response).
      expect((await refresh(t0)).data.session?.refresh_token).toBe(t1)
      const t2 = (await refresh(t1)).data.session!.refresh_token
      const reused = await refresh(t0)
      expect(reused.data.session).toBeNull()
      expect(reused.error).toMatchObject({ status: 400, code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' })
      // The family is revoked: even the newest token no longer works.
      expect((await refresh(t2)).error).toMatchObject({ code: 'refresh_token_already_used' })
      const unknown = await refresh('zzzzzzzzzzzz')
      expect(unknown.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' })
    })
  })

  describe('sign-out', () => {
    test('signOut ends every session of the user; its refresh tokens stop working', async () => {
      const email = uniqueEmail('signout')
      const signed = await fx.signUp(email)
      const other = fx.client()
      const otherSession = (await other.auth.signInWithPassword({ email, password: 'correct-horse-1' })).data.session!
      expect((await signed.client.auth.signOut()).error).toBeNull()
      for (const token of [signed.refreshToken, otherSession.refresh_token]) {
        const result = await fx.client().auth.refreshSession({ refresh_token: token })
        expect(result.error).toMatchObject({ code: 'refresh_token_not_found' })
      }
      // The access token still verifies, but its session is gone: GoTrue's session_not_found.
      const stale = await fx.client().auth.getUser(otherSession.access_token)
      expect(isAuthSessionMissingError(stale.error)).toBe(true)
    })

    test("signOut({ scope: 'others' }) keeps the current session", async () => {
      const email = uniqueEmail('others')
      const signed = await fx.signUp(email)
      const other = (await fx.client().auth.signInWithPassword({ email, password: 'correct-horse-1' })).data.session!
      expect((await signed.client.auth.signOut({ scope: 'others' })).error).toBeNull()
      expect((await fx.client().auth.refreshSession({ refresh_token: other.refresh_token })).error?.code).toBe('refresh_token_not_found')
      expect((await fx.client().auth.refreshSession({ refresh_token: signed.refreshToken })).error).toBeNull()
    })
  })

  describe('admin API', () => {
    test('createUser, getUserById, updateUserById, listUsers and deleteUser with the service key', async () => {
      const admin = fx.client(fx.emulator.serviceRoleKey).auth.admin
      const email = uniqueEmail('admin')
      const created = await admin.createUser({
        email,
        password: 'admin-made-1',
        email_confirm: true,
        user_metadata: { name: 'Made' },
        app_metadata: { roles: ['editor'] },
      })
      expect(created.error).toBeNull()
      const id = created.data.user!.id
      expect(created.data.user).toMatchObject({ email, app_metadata: { provider: 'email', providers: ['email'], roles: ['editor'] } })
      const updated = await admin.updateUserById(id, { app_metadata: { roles: ['admin'], tier: 2 } })
      expect(updated.data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], roles: ['admin'], tier: 2 })
      expect((await admin.getUserById(id)).data.user?.id).toBe(id)
      // The roles reach the access token, where RLS policies read them.
      const session = (await fx.client().auth.signInWithPassword({ email, password: 'admin-made-1' })).data.session!
      expect(decodeClaims(session.access_token).app_metadata).toMatchObject({ roles: ['admin'], tier: 2 })
      const page = await admin.listUsers({ page: 1, perPage: 1 })
      expect(page.error).toBeNull()
      expect(page.data.users).toHaveLength(1)
      expect(page.data).toMatchObject({ nextPage: 2, total: expect.any(Number) })
      expect((await admin.deleteUser(id)).error).toBeNull()
      expect((await admin.getUserById(id)).error).toMatchObject({ status: 404, code: 'user_not_found' })
      expect((await fx.client().auth.signInWithPassword({ email, password: 'admin-made-1' })).error?.code).toBe('invalid_credentials')
    })

    test('an unconfirmed user cannot sign in; duplicates are refused', async () => {
      const admin = fx.client(fx.emulator.serviceRoleKey).auth.admin
      const email = uniqueEmail('unconfirmed')
      expect((await admin.createUser({ email, password: 'pending-1' })).error).toBeNull()
      expect((await fx.client().auth.signInWithPassword({ email, password: 'pending-1' })).error).toMatchObject({
        status: 400,
        code: 'email_not_confirmed',
      })
      expect((await admin.createUser({ email, password: 'pending-1' })).error).toMatchObject({ status: 422, code: 'email_exists' })
    })

    test('the admin API refuses the anon key and user tokens', async () => {
      const signed = await fx.signUp(uniqueEmail('notadmin'))
      for (const client of [fx.client(), fx.client(fx.emulator.anonKey, { Authorization: `Bearer ${signed.accessToken}` })]) {
        const { error } = await client.auth.admin.listUsers()
        expect(error).toMatchObject({ status: 403, code: 'not_admin', message: 'User not allowed' })
      }
    })
  })

  describe('API keys and bearer tokens', () => {
    const restGet = (headers: Record<string, string>) => fx.fetch('/rest/v1/auth_probe?select=id', { headers })

    test('the apikey is required and must be one of the two keys', async () => {
      const missing = await fx.fetch('/rest/v1/auth_probe', { headers: { apikey: '' } })
      expect(missing.status).toBe(401)
      const noKey = await fetch(`${fx.url}/auth/v1/settings`)
      expect(noKey.status).toBe(401)
      expect(await noKey.json()).toEqual({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' })
      const signed = await fx.signUp(uniqueEmail('askey'))
      for (const apikey of ['nonsense', signed.accessToken]) {
        const wrong = await restGet({ apikey })
        expect(wrong.status).toBe(401)
        expect(await wrong.json()).toMatchObject({ message: 'Invalid API key' })
      }
      const viaQuery = await fetch(`${fx.url}/rest/v1/auth_probe?select=id&apikey=${fx.emulator.anonKey}`)
      expect(await viaQuery.json()).toEqual([{ id: 1 }])
    })

    test('the bearer picks the role: anon key, service key, user token', async () => {
      const signed = await fx.signUp(uniqueEmail('roles'))
      const roleOf = async (client: ReturnType<EmulatorFixture['client']>) => (await client.rpc('auth_probe_claims')).data?.role
      expect(await roleOf(fx.client())).toBe('anon')
      expect(await roleOf(fx.client(fx.emulator.serviceRoleKey))).toBe('service_role')
      expect(await roleOf(signed.client)).toBe('authenticated')
    })

    test('a token signed with extra claims (aal2, app_metadata roles) reaches auth.jwt()', async () => {
      const signed = await fx.signUp(uniqueEmail('claims'))
      const token = await signUserToken(fx.emulator, { sub: signed.userId, aal: 'aal2', appMetadata: { roles: ['admin'] } })
      const client = fx.client(fx.emulator.anonKey, { Authorization: `Bearer ${token}` })
      const { data, error } = await client.rpc('auth_probe_claims')
      expect(error).toBeNull()
      expect(data).toMatchObject({ sub: signed.userId, aal: 'aal2', role: 'authenticated', app_metadata: { roles: ['admin'] } })
    })

    const badTokens = async () => {
      const sub = '00000000-0000-4000-8000-000000000001'
      return [
        ['expired', await signUserToken(fx.emulator, { sub, expiresIn: -120 }), 'PGRST303', 'JWT expired'],
        ['forged', await signUserToken('another-secret-that-is-long-enough-000', { sub }), 'PGRST301', 'JWSError JWSInvalidSignature'],
        ['alg none', unsignedToken({ sub, role: 'service_role', aud: 'authenticated' }), 'PGRST301', 'JWSError JWSInvalidSignature'],
        ['wrong audience', await signUserToken(fx.emulator, { sub, aud: 'someone-else' }), 'PGRST303', 'JWT not in audience'],
        ['malformed', 'not-a-jwt', 'PGRST301', expect.stringContaining('Expected 3 parts')],
      ] as const
    }

    test('bad bearer tokens get PostgREST 401s from the REST API', async () => {
      for (const [name, token, code, message] of await badTokens()) {
        const client = fx.client(fx.emulator.anonKey, { Authorization: `Bearer ${token}` })
        const { data, error, status } = await client.from('auth_probe').select('id')
        expect({ name, data, status }).toEqual({ name, data: null, status: 401 })
        expect(error).toMatchObject({ code, message })
        const raw = await restGet({ Authorization: `Bearer ${token}` })
        expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
      }
    })

    test('bad bearer tokens are refused by GoTrue with bad_jwt', async () => {
      for (const [name, token] of await badTokens()) {
        if (name === 'wrong audience') continue
        const { data, error } = await fx.client().auth.getUser(token)
        expect(data.user).toBeNull()
        expect({ name, status: error?.status, code: (error as { code?: string })?.code }).toEqual({ name, status: 403, code: 'bad_jwt' })
      }
      const signed = await fx.signUp(uniqueEmail('aud'))
      const otherAudience = await signUserToken(fx.emulator, { sub: signed.userId, aud: 'someone-else', sessionId: String(decodeClaims(signed.accessToken).session_id) })
      const wrongAud = await fx.client().auth.getUser(otherAudience)
      expect(wrongAud.error).toMatchObject({ status: 400, code: 'validation_failed', message: "Token audience doesn't match request audience" })
    })

    test('a token for a role outside the API roles is refused before SQL runs', async () => {
      const token = await signJwt(fx.emulator.jwtSecret, { role: 'postgres', exp: Math.floor(Date.now() / 1000) + 60 })
      const { error, status } = await fx.client(fx.emulator.anonKey, { Authorization: `Bearer ${token}` }).from('auth_probe').select('id')
      expect(status).toBe(403)
      expect(error).toMatchObject({ code: '42501', message: 'permission denied to set role "postgres"' })
    })
  })
})
