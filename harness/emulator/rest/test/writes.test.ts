/**
 * Writes and function calls through `restRoutes.resolve` on both engines. Each test runs in an
 * isolation unit (one outer transaction, a savepoint per request) and is rolled back after, so
 * it also proves the emulator's statements behave inside savepoints.
 */
import type { RestFixture } from './test-utils.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { ENGINES } from '../../../testing/index.ts'
import { IDS, openRest } from './test-utils.ts'

describe.each(ENGINES)('REST writes and RPC on %s', (engine) => {
  let rest: RestFixture
  beforeAll(async () => {
    rest = await openRest(engine)
  })
  afterAll(() => rest?.dispose())
  beforeEach(() => rest.db.beginUnit())
  afterEach(() => rest.db.endUnit())

  const rep = { Prefer: 'return=representation' }

  test('insert one row: 201, minimal by default, representation with select and embeds', async () => {
    const minimal = await rest.call('POST', 'projects', { body: { org_id: IDS.org1, name: 'delta' } })
    expect([minimal.status, minimal.text, minimal.headers.get('content-range')]).toEqual([201, '', '*/*'])
    const full = await rest.call('POST', 'projects?select=name,budget,org:orgs(name)', { headers: rep, body: { org_id: IDS.org1, name: 'epsilon', budget: '7.25' } })
    expect([full.status, full.body]).toEqual([201, [{ name: 'epsilon', budget: 7.25, org: { name: 'one' } }]])
    const { body } = await rest.call('GET', 'projects?select=name&name=in.(delta,epsilon)&order=name')
    expect(body).toEqual([{ name: 'delta' }, { name: 'epsilon' }])
  })

  test('bulk insert with columns=, count=exact; missing keys become null unless missing=default', async () => {
    const bulk = await rest.call('POST', 'projects?columns="org_id","name","tags"&select=name,tags', {
      headers: { Prefer: 'return=representation,count=exact' },
      body: [{ org_id: IDS.org1, name: 'p1', tags: ['x'] }, { org_id: IDS.org1, name: 'p2' }],
    })
    expect(bulk.status).toBe(400)
    expect(bulk.body.code).toBe('23502')
    const defaults = await rest.call('POST', 'projects?columns="org_id","name","tags"&select=name,tags', {
      headers: { Prefer: 'return=representation,count=exact,missing=default' },
      body: [{ org_id: IDS.org1, name: 'p1', tags: ['x'] }, { org_id: IDS.org1, name: 'p2' }],
    })
    expect([defaults.status, defaults.body, defaults.headers.get('content-range')]).toEqual([201, [{ name: 'p1', tags: ['x'] }, { name: 'p2', tags: [] }], '*/2'])
    expect(defaults.headers.get('preference-applied')).toBe('missing=default, return=representation, count=exact')
  })

  test('upsert: merge-duplicates updates (200) or inserts (201); ignore-duplicates skips', async () => {
    const merged = await rest.call('POST', 'projects?select=id,name', { headers: { Prefer: 'return=representation,resolution=merge-duplicates' }, body: { id: 1, org_id: IDS.org1, name: 'alpha2' } })
    expect([merged.status, merged.body]).toEqual([200, [{ id: 1, name: 'alpha2' }]])
    const mixed = await rest.call('POST', 'orgs?on_conflict=name&select=name', {
      as: 'service',
      headers: { Prefer: 'return=representation,resolution=merge-duplicates' },
      body: [{ id: IDS.org1, name: 'one' }, { id: '00000000-0000-0000-0000-0000000000a3', name: 'three' }],
    })
    expect([mixed.status, mixed.body]).toEqual([201, [{ name: 'one' }, { name: 'three' }]])
    const ignored = await rest.call('POST', 'projects', { headers: { Prefer: 'return=representation,resolution=ignore-duplicates' }, body: { id: 2, org_id: IDS.org1, name: 'nope' } })
    expect([ignored.status, ignored.body]).toEqual([201, []])
    expect((await rest.call('GET', 'projects?select=name&id=eq.2')).body).toEqual([{ name: 'beta' }])
  })

  test('PATCH and DELETE with filters and or-trees; 204 when minimal; RLS hides other orgs\' rows', async () => {
    const patched = await rest.call('PATCH', 'projects?or=(name.eq.alpha,name.eq.gamma)&select=name,archived', { headers: rep, body: { archived: true } })
    expect([patched.status, patched.body, patched.headers.get('content-range')]).toEqual([200, [{ name: 'alpha', archived: true }], '0-0/*'])
    const minimal = await rest.call('PATCH', 'projects?id=eq.2', { headers: { Prefer: 'count=exact' }, body: { budget: 1 } })
    expect([minimal.status, minimal.text, minimal.headers.get('content-range')]).toEqual([204, '', '0-0/1'])
    const otherOrg = await rest.call('PATCH', 'projects?id=eq.3', { headers: rep, body: { name: 'hijack' } })
    expect([otherOrg.status, otherOrg.body]).toEqual([200, []])
    const deleted = await rest.call('DELETE', 'tasks?project_id=eq.1&select=title', { headers: { Prefer: 'return=representation,count=exact' } })
    expect([deleted.status, deleted.body, deleted.headers.get('content-range')]).toEqual([200, [{ title: 't1' }, { title: 't2' }], '*/2'])
    const gone = await rest.call('DELETE', 'tasks?id=eq.4')
    expect(gone.status).toBe(204)
    const check = await rest.call('GET', 'projects?select=name,archived&order=id', { as: 'service' })
    expect(check.body).toEqual([{ name: 'alpha', archived: true }, { name: 'beta', archived: false }, { name: 'gamma', archived: false }])
    expect((await rest.call('GET', 'tasks?id=eq.4', { as: 'service' })).body).toHaveLength(1)
  })

  test('PATCH with nothing to set changes nothing: 204 */*, or [] with a representation', async () => {
    const before = await rest.snapshot()
    for (const body of [{}, [], [{}]]) {
      const minimal = await rest.call('PATCH', 'projects?id=eq.1', { body })
      expect([minimal.status, minimal.text, minimal.headers.get('content-range')]).toEqual([204, '', '*/*'])
    }
    const full = await rest.call('PATCH', 'projects?select=id', { headers: rep, body: {} })
    expect([full.status, full.body, full.headers.get('content-range')]).toEqual([200, [], '*/*'])
    const inserted = await rest.call('POST', 'projects', { headers: rep, body: [] })
    expect([inserted.status, inserted.body]).toEqual([201, []])
    expect(await rest.snapshot()).toBe(before)
  })

  test('writes ignore order, as PostgREST ignores it for mutations', async () => {
    const patched = await rest.call('PATCH', 'projects?id=eq.1&order=nope.desc&select=id', { headers: rep, body: { budget: 2 } })
    expect([patched.status, patched.body]).toEqual([200, [{ id: 1 }]])
  })

  test('an RLS-refused insert is 42501 (403 for a user, 401 for anon) and inserts nothing', async () => {
    const before = await rest.snapshot()
    const user = await rest.call('POST', 'projects', { body: { org_id: IDS.org2, name: 'evil' } })
    expect([user.status, user.body]).toEqual([403, { code: '42501', message: 'new row violates row-level security policy for table "projects"', details: null, hint: null }])
    const anon = await rest.call('POST', 'projects', { as: 'anon', body: { org_id: IDS.org1, name: 'evil' } })
    expect(anon.status).toBe(401)
    expect(anon.headers.get('www-authenticate')).toBe('Bearer')
    expect(await rest.snapshot()).toBe(before)
  })

  test('constraint errors keep SQLSTATE and detail with PostgREST statuses', async () => {
    const dup = await rest.call('POST', 'orgs', { as: 'service', body: { id: IDS.org1, name: 'x' } })
    expect([dup.status, dup.body.code, dup.body.details]).toEqual([409, '23505', `Key (id)=(${IDS.org1}) already exists.`])
    const fk = await rest.call('POST', 'tasks', { as: 'service', body: { project_id: 999, title: 'x' } })
    expect([fk.status, fk.body.code]).toEqual([409, '23503'])
    const notNull = await rest.call('POST', 'tasks', { as: 'service', body: { project_id: 1 } })
    expect([notNull.status, notNull.body.code]).toEqual([400, '23502'])
    const check = await rest.call('POST', 'projects', { as: 'service', body: { org_id: IDS.org1, name: '' } })
    expect([check.status, check.body.code]).toEqual([400, '23514'])
    const type = await rest.call('POST', 'projects', { as: 'service', body: { org_id: 'not-a-uuid', name: 'x' } })
    expect([type.status, type.body.code]).toEqual([400, '22P02'])
  })

  test('a singular write that does not hit exactly one row is PGRST116 and rolled back', async () => {
    const before = await rest.snapshot()
    const many = await rest.call('PATCH', 'projects?org_id=eq.' + IDS.org1, { headers: { ...rep, Accept: 'application/vnd.pgrst.object+json' }, body: { budget: 0 } })
    expect([many.status, many.body.code, many.body.details]).toEqual([406, 'PGRST116', 'The result contains 2 rows'])
    expect(await rest.snapshot()).toBe(before)
    const one = await rest.call('POST', 'projects?select=name', { headers: { ...rep, Accept: 'application/vnd.pgrst.object+json' }, body: { org_id: IDS.org1, name: 'solo' } })
    expect([one.status, one.body]).toEqual([201, { name: 'solo' }])
  })

  test('RPC: scalar, defaults, GET arguments, sets with select/filter/order/count, composite, TABLE, void, json', async () => {
    expect((await rest.call('POST', 'rpc/add_numbers', { body: { a: 1 } })).body).toBe(11)
    const get = await rest.call('GET', 'rpc/add_numbers?a=1&b=2')
    expect([get.status, get.body]).toEqual([200, 3])
    expect((await rest.call('POST', 'rpc/project_names', { body: { org: IDS.org1 } })).body).toEqual(['alpha', 'beta'])
    const set = await rest.call('POST', 'rpc/projects_of?select=id,name&order=id.desc&budget=is.null', { headers: { Prefer: 'count=exact' }, body: { org: IDS.org1 } })
    expect([set.status, set.body, set.headers.get('content-range')]).toEqual([200, [{ id: 2, name: 'beta' }], '0-0/1'])
    expect((await rest.call('POST', 'rpc/projects_of', { body: { org: IDS.org2 } })).body).toEqual([])
    expect((await rest.call('POST', 'rpc/one_project?select=name', { body: { p_id: 1 } })).body).toEqual({ name: 'alpha' })
    expect((await rest.call('POST', 'rpc/project_stats', { body: { org: IDS.org1 } })).body).toEqual([{ total: 2, archived: 0 }])
    const voided = await rest.call('POST', 'rpc/archive_project', { body: { p_id: 1 } })
    expect([voided.status, voided.text]).toEqual([204, ''])
    expect((await rest.call('GET', 'projects?select=archived&id=eq.1')).body).toEqual([{ archived: true }])
    expect((await rest.call('POST', 'rpc/echo_json', { body: { x: [1, { y: null }] } })).body).toEqual({ x: [1, { y: null }] })
    expect((await rest.call('POST', 'rpc/tag_count', { body: { tags: ['a', 'b', 'c'] } })).body).toBe(3)
    const head = await rest.call('HEAD', `rpc/project_names?org=${IDS.org1}`, { headers: { Prefer: 'count=exact' } })
    expect([head.status, head.text, head.headers.get('content-range')]).toEqual([200, '', '0-1/2'])
  })

  test('RPC errors: unknown function or arguments (PGRST202), raised errors, PGRST raise, volatile GET', async () => {
    const unknown = await rest.call('POST', 'rpc/add_numbers', { body: { z: 1 } })
    expect([unknown.status, unknown.body.code, unknown.body.message]).toEqual([404, 'PGRST202', 'Could not find the function public.add_numbers(z) in the schema cache'])
    const raised = await rest.call('POST', 'rpc/fail_with', { body: { code: 'x' } })
    expect([raised.status, raised.body]).toEqual([400, { code: 'P0001', message: 'plain failure x', details: null, hint: 'try again' }])
    const custom = await rest.call('POST', 'rpc/fail_with', { body: { code: 'pgrst' } })
    expect([custom.status, custom.body, custom.headers.get('x-custom')]).toEqual([418, { code: 'ATOMS1', message: 'custom failure', details: 'd', hint: 'h' }, 'yes'])
    const volatile = await rest.call('GET', 'rpc/archive_project?p_id=1')
    expect([volatile.status, volatile.body.code]).toEqual([501, 'PGRST127'])
    const wrongType = await rest.call('POST', 'rpc/add_numbers', { body: { a: 'x' } })
    expect([wrongType.status, wrongType.body.code]).toEqual([400, '22P02'])
  })

  test('the response.status and response.headers GUCs set by SQL are honoured and do not leak to the next request', async () => {
    await rest.db.exec(`
      create function with_headers() returns int language plpgsql as $$
      begin
        perform set_config('response.status', '202', true);
        perform set_config('response.headers', '[{"X-Fn":"1"}]', true);
        return 1;
      end $$;`)
    const first = await rest.call('POST', 'rpc/with_headers', { body: {} })
    expect([first.status, first.headers.get('x-fn')]).toEqual([202, '1'])
    const next = await rest.call('POST', 'rpc/add_numbers', { body: { a: 1 } })
    expect([next.status, next.headers.get('x-fn')]).toEqual([200, null])
  })
})
