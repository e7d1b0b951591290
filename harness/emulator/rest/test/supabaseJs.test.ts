/**
 * The real supabase-js client against `restRoutes`, with `fetch` handed straight to
 * `restRoutes.resolve` (no dispatcher, no socket): every builder call used by the project sends
 * the request PostgREST would get, and the client reads back data, count, status and error as
 * it does from PostgREST. Keys and tokens are HS256 JWTs signed with jose.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { DbRole } from '../../../sql/index.ts'
import type { Caller } from '../../types.ts'
import type { RestFixture } from './test-utils.ts'
import { createClient } from '@supabase/supabase-js'
import { SignJWT, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ENGINES } from '../../../testing/index.ts'
import { restRoutes } from '../index.ts'
import { IDS, openRest } from './test-utils.ts'

const SECRET = new TextEncoder().encode('rest-tests-secret-rest-tests-secret-0123')
const URL_BASE = 'http://rest.test.invalid'

const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(SECRET)

/** The caller a request carries: its bearer token if any, else its apikey; null when neither verifies. */
async function callerOf(request: Request): Promise<Caller | null> {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? request.headers.get('apikey')
  if (!token) return null
  try {
    const { payload } = await jwtVerify(token, SECRET, { algorithms: ['HS256'] })
    return { role: payload.role as DbRole, claims: payload, token }
  } catch {
    return null
  }
}

describe.each(ENGINES)('supabase-js against restRoutes on %s', (engine) => {
  let rest: RestFixture
  let userA: SupabaseClient
  let service: SupabaseClient
  let anon: SupabaseClient
  const seen: Request[] = []

  beforeAll(async () => {
    rest = await openRest(engine)
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      seen.push(request.clone())
      return restRoutes.resolve(request, await callerOf(request), rest.ctx)
    }
    const anonKey = await sign({ role: 'anon', iss: 'supabase' })
    const serviceKey = await sign({ role: 'service_role', iss: 'supabase' })
    const userToken = await sign({ role: 'authenticated', sub: IDS.userA, aud: 'authenticated' })
    const options = (headers: Record<string, string> = {}) => ({ global: { fetch, headers }, auth: { persistSession: false, autoRefreshToken: false } })
    anon = createClient(URL_BASE, anonKey, options())
    service = createClient(URL_BASE, serviceKey, options())
    userA = createClient(URL_BASE, anonKey, options({ Authorization: `Bearer ${userToken}` }))
  })
  afterAll(() => rest?.dispose())

  test('select with embeds, filters, order and range', async () => {
    const { data, error, status } = await userA
      .from('projects')
      .select('id, name, org:orgs(name), tasks(title)')
      .in('name', ['alpha', 'beta'])
      .order('id', { ascending: false })
      .order('title', { referencedTable: 'tasks' })
      .range(0, 0)
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([{ id: 2, name: 'beta', org: { name: 'one' }, tasks: [{ title: 't3' }] }])
  })

  test('count: exact with head (HEAD request) and with a partial page (206)', async () => {
    const head = await service.from('projects').select('*', { count: 'exact', head: true })
    expect([head.data, head.count, head.status, head.error]).toEqual([null, 3, 200, null])
    expect(seen.at(-1)?.method).toBe('HEAD')
    const page = await service.from('projects').select('id', { count: 'exact' }).order('id').limit(2)
    expect([page.data, page.count, page.status]).toEqual([[{ id: 1 }, { id: 2 }], 3, 206])
  })

  test('filter builders: or, not, is, contains, containedBy, ilike, match, textSearch, JSON paths', async () => {
    const names = async (query: PromiseLike<{ data: { name: string }[] | null; error: unknown }>) => {
      const { data, error } = await query
      expect(error).toBeNull()
      return data?.map((row) => row.name)
    }
    expect(await names(userA.from('projects').select('name').or('budget.gt.5,budget.is.null').order('name'))).toEqual(['alpha', 'beta'])
    expect(await names(userA.from('projects').select('name').not('budget', 'is', null))).toEqual(['alpha'])
    expect(await names(userA.from('projects').select('name').is('budget', null))).toEqual(['beta'])
    expect(await names(userA.from('projects').select('name').contains('tags', ['b']).order('name'))).toEqual(['alpha', 'beta'])
    expect(await names(userA.from('projects').select('name').containedBy('tags', ['a', 'b']).order('name'))).toEqual(['alpha', 'beta'])
    expect(await names(userA.from('projects').select('name').contains('meta', { k: 1 }))).toEqual(['alpha'])
    expect(await names(userA.from('projects').select('name').ilike('name', 'AL%'))).toEqual(['alpha'])
    expect(await names(userA.from('projects').select('name').match({ name: 'beta', archived: false }))).toEqual(['beta'])
    expect(await names(userA.from('projects').select('name').textSearch('name', 'alpha'))).toEqual(['alpha'])
    expect(await names(userA.from('projects').select('name').eq('meta->>k', '1'))).toEqual(['alpha'])
    expect(await names(userA.from('projects').select('name').notIn('name', ['alpha', 'x,y']))).toEqual(['beta'])
  })

  test('single and maybeSingle', async () => {
    expect(await userA.from('projects').select('name').eq('id', 1).single()).toMatchObject({ data: { name: 'alpha' }, error: null, status: 200 })
    const none = await userA.from('projects').select('name').eq('id', 3).single()
    expect([none.data, none.status, none.error?.code]).toEqual([null, 406, 'PGRST116'])
    expect(await userA.from('projects').select('name').eq('id', 3).maybeSingle()).toMatchObject({ data: null, error: null })
  })

  test('insert, insert().select().single(), bulk insert, upsert, update, delete; RLS errors', async () => {
    const created = await userA.from('projects').insert({ org_id: IDS.org1, name: 'from-js', tags: ['t'] }).select('id, name, tags').single()
    expect(created.error).toBeNull()
    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({ name: 'from-js', tags: ['t'] })
    const id = (created.data as { id: number }).id

    const bulk = await userA.from('tasks').insert([{ project_id: id, title: 'a' }, { project_id: id, title: 'b', position: 2 }]).select('title, position')
    expect([bulk.error, bulk.data]).toEqual([null, [{ title: 'a', position: null }, { title: 'b', position: 2 }]])

    const upserted = await userA.from('projects').upsert({ id, org_id: IDS.org1, name: 'renamed' }).select('name').single()
    expect([upserted.status, upserted.data]).toEqual([200, { name: 'renamed' }])

    const updated = await userA.from('tasks').update({ done: true }, { count: 'exact' }).eq('project_id', id)
    expect([updated.error, updated.count, updated.status]).toEqual([null, 2, 204])

    const refused = await userA.from('projects').insert({ org_id: IDS.org2, name: 'evil' }).select()
    expect([refused.data, refused.status, refused.error?.code]).toEqual([null, 403, '42501'])

    const blocked = await service.from('handoffs').insert({ id: 9, from_project: id, to_project: 1 })
    expect(blocked.error).toBeNull()
    const restricted = await userA.from('projects').delete().eq('id', id).select('name')
    expect([restricted.status, restricted.error?.code]).toEqual([409, '23503'])
    await service.from('handoffs').delete().eq('id', 9)
    const gone = await userA.from('projects').delete({ count: 'exact' }).eq('id', id)
    expect([gone.error, gone.count, gone.status]).toEqual([null, 1, 204])
    expect((await service.from('tasks').select('id').eq('project_id', id)).data).toEqual([])
  })

  test('rpc: POST with named arguments, GET, head with count, set results with modifiers, void', async () => {
    expect(await userA.rpc('add_numbers', { a: 2, b: 3 })).toMatchObject({ data: 5, error: null, status: 200 })
    expect(await userA.rpc('add_numbers', { a: 2 }, { get: true })).toMatchObject({ data: 12, error: null })
    const counted = await userA.rpc('project_names', { org: IDS.org1 }, { head: true, count: 'exact' })
    expect([counted.data, counted.count]).toEqual([null, 2])
    const set = await userA.rpc('projects_of', { org: IDS.org1 }).select('name').order('name', { ascending: false }).limit(1)
    expect(set.data).toEqual([{ name: 'beta' }])
    expect((await service.rpc('archive_project', { p_id: 2 })).status).toBe(204)
    expect((await service.from('projects').select('archived').eq('id', 2).single()).data).toEqual({ archived: true })
    const missing = await userA.rpc('nope', { x: 1 })
    expect([missing.status, missing.error?.code]).toEqual([404, 'PGRST202'])
  })

  test('errors reach supabase-js in PostgREST\'s shape', async () => {
    const table = await userA.from('nope').select()
    expect([table.status, table.error]).toEqual([404, { code: 'PGRST205', message: "Could not find the table 'public.nope' in the schema cache", details: null, hint: null }])
    const column = await userA.from('projects').select('nope')
    expect([column.status, column.error?.code]).toEqual([400, '42703'])
    const type = await userA.from('projects').select().eq('id', 'abc')
    expect([type.status, type.error?.code]).toEqual([400, '22P02'])
    const secrets = await anon.from('secrets').select()
    expect([secrets.status, secrets.error?.code]).toEqual([401, '42501'])
    const csv = await userA.from('projects').select().csv()
    expect([csv.status, csv.error?.code]).toEqual([501, 'PGRST127'])
  })

  test('anon sees no rows under RLS; the service role sees all', async () => {
    expect((await anon.from('projects').select('id')).data).toEqual([])
    expect((await service.from('projects').select('id')).data).toHaveLength(3)
  })
})
