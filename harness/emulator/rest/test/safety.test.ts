/**
 * Bad input, injection attempts and features outside the subset, on both engines: each answers
 * PostgREST's error (or the 501 "unsupported" error naming the feature), leaks nothing, and
 * leaves every table exactly as it was.
 */
import type { RestFixture } from './test-utils.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ENGINES } from '../../../testing/index.ts'
import { IDS, openRest } from './test-utils.ts'

type Case = [label: string, method: string, path: string, status: number, code: string, options?: { body?: unknown; headers?: Record<string, string>; as?: 'userA' | 'anon' | 'service' }]

const BAD_INPUT: Case[] = [
  ['unknown table', 'GET', 'nope', 404, 'PGRST205'],
  ['unknown column in select', 'GET', 'projects?select=id,nope', 400, '42703'],
  ['unknown column in filter', 'GET', 'projects?nope=eq.1', 400, '42703'],
  ['unknown column in order', 'GET', 'projects?order=nope.desc', 400, '42703'],
  ['unknown operator', 'GET', 'projects?id=zz.1', 400, 'PGRST100'],
  ['filter without operator', 'GET', 'projects?id=1', 400, 'PGRST100'],
  ['unclosed in list', 'GET', 'projects?id=in.(1,2', 400, 'PGRST100'],
  ['bad is value', 'GET', 'projects?budget=is.maybe', 400, 'PGRST100'],
  ['malformed or', 'GET', 'projects?or=(id.eq.1', 400, 'PGRST100'],
  ['malformed select', 'GET', 'projects?select=id,tasks(title', 400, 'PGRST100'],
  ['malformed order', 'GET', 'projects?order=id.sideways', 400, 'PGRST100'],
  ['wrong type in filter', 'GET', 'projects?id=eq.abc', 400, '22P02'],
  ['wrong type in in-list', 'GET', 'projects?id=in.(1,x)', 400, '22P02'],
  ['unknown relationship', 'GET', 'projects?select=*,secrets(*)', 400, 'PGRST200'],
  ['ambiguous relationship', 'GET', 'handoffs?select=*,projects(*)', 300, 'PGRST201'],
  ['filter on a missing embed', 'GET', 'projects?tasks.title=eq.x', 400, 'PGRST108'],
  ['bad range', 'GET', 'projects', 416, 'PGRST103', { headers: { Range: '9-2' } }],
  ['unknown cast', 'GET', 'projects?select=id::nosuchtype', 400, '42704'],
  ['aggregate', 'GET', 'projects?select=budget.sum()', 400, 'PGRST123'],
  ['other schema', 'GET', 'projects', 406, 'PGRST106', { headers: { 'Accept-Profile': 'auth' } }],
  ['unknown media type', 'GET', 'projects', 406, 'PGRST107', { headers: { Accept: 'text/html' } }],
  ['invalid JSON body', 'POST', 'projects', 400, 'PGRST102', { body: '{"name": ' }],
  ['empty body', 'POST', 'projects', 400, 'PGRST102', { body: '' }],
  ['keys that do not match', 'POST', 'projects', 400, 'PGRST102', { body: [{ name: 'a' }, { title: 'b' }] }],
  ['scalar body', 'POST', 'projects', 400, 'PGRST102', { body: '5' }],
  ['unknown column in body', 'POST', 'projects', 400, 'PGRST204', { body: { org_id: IDS.org1, name: 'x', nope: 1 } }],
  ['unknown column in columns=', 'POST', 'projects?columns=name,nope', 400, 'PGRST204', { body: [{ name: 'x' }] }],
  ['wrong type in body', 'POST', 'projects', 400, '22P02', { body: { org_id: IDS.org1, name: 'x', budget: 'lots' } }],
  ['unknown on_conflict column', 'POST', 'projects?on_conflict=nope', 400, '42703', { body: { name: 'x' }, headers: { Prefer: 'resolution=merge-duplicates' } }],
  ['on_conflict without a unique key', 'POST', 'projects?on_conflict=name', 400, '42P10', { body: { org_id: IDS.org1, name: 'x' }, headers: { Prefer: 'resolution=merge-duplicates' } }],
  ['PATCH unknown column', 'PATCH', 'projects?id=eq.1', 400, 'PGRST204', { body: { nope: 1 } }],
  ['PATCH wrong type', 'PATCH', 'projects?id=eq.1', 400, '22P02', { body: { budget: 'x' } }],
  ['PATCH bad filter', 'PATCH', 'projects?id=eq.1;drop', 400, '22P02', { body: { budget: 1 } }],
  ['DELETE without a filter (pg-safeupdate, as on Supabase)', 'DELETE', 'tasks', 400, '21000', { as: 'service' }],
  ['PATCH without a filter (pg-safeupdate, as on Supabase)', 'PATCH', 'tasks', 400, '21000', { as: 'service', body: { done: true } }],
  ['DELETE bad filter', 'DELETE', 'projects?id=xx.1', 400, 'PGRST100'],
  ['DELETE unknown column', 'DELETE', 'projects?nope=eq.1', 400, '42703'],
  ['table without grants, anon', 'GET', 'secrets', 401, '42501', { as: 'anon' }],
  ['table without grants, user', 'GET', 'secrets', 403, '42501'],
  ['write to a table without grants', 'DELETE', 'secrets?id=eq.1', 403, '42501'],
  ['unknown function', 'POST', 'rpc/nope', 404, 'PGRST202', { body: {} }],
  ['unknown argument', 'POST', 'rpc/add_numbers', 404, 'PGRST202', { body: { a: 1, c: 2 } }],
  ['missing argument', 'POST', 'rpc/add_numbers', 404, 'PGRST202', { body: { b: 1 } }],
  ['wrong argument type', 'POST', 'rpc/add_numbers', 400, '22P02', { body: { a: 'one' } }],
  ['PATCH on rpc', 'PATCH', 'rpc/add_numbers', 405, 'PGRST101', { body: {} }],
  ['unknown method', 'PROPFIND', 'projects', 405, 'PGRST117'],
  ['deep path', 'GET', 'projects/1', 404, 'PGRST125'],
]

const UNSUPPORTED: Case[] = [
  ['nested embedding', 'GET', 'orgs?select=projects(tasks(*))', 501, 'PGRST127'],
  ['many-to-many', 'GET', 'projects?select=labels(*)', 501, 'PGRST127'],
  ['spread', 'GET', 'projects?select=...orgs(name)', 501, 'PGRST127'],
  ['related order', 'GET', 'projects?select=*,orgs(name)&order=orgs(name)', 501, 'PGRST127'],
  ['count=planned', 'GET', 'projects', 501, 'PGRST127', { headers: { Prefer: 'count=planned' } }],
  ['csv', 'GET', 'projects', 501, 'PGRST127', { headers: { Accept: 'text/csv' } }],
  ['plan', 'GET', 'projects', 501, 'PGRST127', { headers: { Accept: 'application/vnd.pgrst.plan+json' } }],
  ['tx=rollback on a write', 'POST', 'projects', 501, 'PGRST127', { body: { org_id: IDS.org1, name: 'x' }, headers: { Prefer: 'tx=rollback' } }],
  ['handling=strict', 'DELETE', 'tasks?id=eq.1', 501, 'PGRST127', { headers: { Prefer: 'handling=strict' } }],
  ['limit on DELETE', 'DELETE', 'tasks?limit=1&order=id', 501, 'PGRST127'],
  ['PATCH with an array', 'PATCH', 'projects?id=eq.1', 501, 'PGRST127', { body: [{ budget: 1 }] }],
  ['PUT', 'PUT', 'projects?id=eq.1', 501, 'PGRST127', { body: { id: 1 } }],
  ['csv body', 'POST', 'projects', 501, 'PGRST127', { body: 'name\nx', headers: { 'Content-Type': 'text/csv' } }],
  ['root endpoint', 'GET', '', 501, 'PGRST127'],
  ['embedding on rpc', 'POST', 'rpc/projects_of?select=*,orgs(*)', 501, 'PGRST127', { body: { org: IDS.org1 } }],
  ['GET on a volatile function', 'GET', 'rpc/archive_project?p_id=1', 501, 'PGRST127'],
  ['array body on rpc', 'POST', 'rpc/add_numbers', 501, 'PGRST127', { body: [{ a: 1 }] }],
]

/** Attempts to smuggle SQL through every input; none may fail open, leak or change anything. */
const INJECTIONS: [label: string, method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }][] = [
  ['select column', 'GET', 'projects?select=id,name);drop table secrets;--'],
  ['quoted select column', 'GET', 'projects?select="name"" from secrets;--"'],
  ['alias', 'GET', 'projects?select="x"" from secrets;--":name'],
  ['cast', 'GET', 'projects?select=name::text) from secrets;--'],
  ['cast word', 'GET', 'projects?select=name::text from secrets'],
  ['filter column', 'GET', 'projects?id;drop table secrets=eq.1'],
  ['NUL in a quoted alias', 'GET', 'projects?select="a%00b":name'],
  ['NUL in a filter value', 'GET', 'projects?name=eq.a%00b'],
  ['quoted filter column', 'GET', 'projects?"id"" = 1 or 1=1;--"=eq.1'],
  ['filter value', 'GET', "projects?name=eq.alpha' or '1'='1"],
  ['filter value union', 'GET', "projects?name=eq.x' union select value from secrets--"],
  ['in list', 'GET', "projects?name=in.(a'),(select value from secrets),('b)"],
  ['like value', 'GET', "projects?name=like.%' or true--"],
  ['or tree value', 'GET', "projects?or=(name.eq.x') or true or ('1,id.eq.0)"],
  ['or tree column', 'GET', 'projects?or=(id);drop table secrets;--.eq.1)'],
  ['json key', 'GET', `projects?select=name&meta->>"k') or true--"=eq.x`],
  ['json key in select', 'GET', `projects?select=meta->>"k' || (select value from secrets) || '"`],
  ['fts language', 'GET', "projects?name=fts(english');drop table secrets;--).x"],
  ['order', 'GET', 'projects?order=id;drop table secrets'],
  ['order subquery', 'GET', 'projects?order=(select value from secrets)'],
  ['embed name', 'GET', 'projects?select=*,"secrets; drop table secrets"(*)'],
  ['embed hint', 'GET', 'projects?select=*,orgs!"x) or true;--"(*)'],
  ['embed filter value', 'GET', "projects?select=*,tasks(*)&tasks.title=eq.') or true--"],
  ['limit', 'GET', 'projects?limit=1;drop table secrets'],
  ['offset', 'GET', 'projects?offset=0) union select 1--'],
  ['Range header', 'GET', 'projects', { headers: { Range: '0-1;drop table secrets' } }],
  ['Prefer header', 'GET', 'projects', { headers: { Prefer: 'count=exact;drop table secrets' } }],
  ['table name', 'GET', 'projects;drop table secrets'],
  ['schema-qualified table', 'GET', 'auth.users'],
  ['catalog table', 'GET', 'pg_authid'],
  ['encoded path', 'GET', 'projects%22%3Bdrop%20table%20secrets%3B--'],
  ['columns param', 'POST', 'projects?columns=name,"x) select value from secrets;--"', { body: [{ name: 'x' }] }],
  ['body key', 'POST', 'projects', { body: { 'name") values (\'x\'); drop table secrets; --': 'x' } }],
  ['body value', 'POST', 'projects?select=name', { body: { org_id: IDS.org2, name: "x'); delete from projects; --" } }],
  ['on_conflict', 'POST', 'projects?on_conflict=id) do nothing; drop table secrets; --', { body: { name: 'x' }, headers: { Prefer: 'resolution=merge-duplicates' } }],
  ['PATCH body key', 'PATCH', 'projects?id=eq.1', { body: { 'name" = \'x\', org_id = org_id; --': 'y' } }],
  ['PATCH filter', 'PATCH', "projects?id=eq.1' or '1'='1", { body: { name: 'pwned' } }],
  ['DELETE filter', 'DELETE', "projects?or=(id.eq.1) or (true)"],
  ['rpc name', 'POST', 'rpc/add_numbers;drop table secrets', { body: { a: 1 } }],
  ['rpc builtin', 'POST', 'rpc/pg_sleep', { body: { seconds: 1 } }],
  ['rpc argument name', 'POST', 'rpc/add_numbers', { body: { 'a := 1); drop table secrets; --': 1 } }],
  ['rpc argument value', 'POST', 'rpc/add_numbers', { body: { a: '1); drop table secrets; --' } }],
  ['rpc GET argument', 'GET', 'rpc/add_numbers?a=1);drop table secrets;--'],
]

describe.each(ENGINES)('REST safety on %s', (engine) => {
  let rest: RestFixture
  let pristine: string
  beforeAll(async () => {
    rest = await openRest(engine)
    pristine = await rest.snapshot()
  })
  afterAll(() => rest?.dispose())

  test.each(BAD_INPUT)('bad input: %s (%s %s)', async (_label, method, path, status, code, options = {}) => {
    const response = await rest.call(method, path, options)
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code })
    expect(Object.keys(response.body).sort()).toEqual(['code', 'details', 'hint', 'message'])
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await rest.snapshot()).toBe(pristine)
  })

  test.each(UNSUPPORTED)('unsupported: %s (%s %s)', async (_label, method, path, status, code, options = {}) => {
    const response = await rest.call(method, path, options)
    expect({ status: response.status, code: response.body.code, message: response.body.message }).toEqual({ status, code, message: 'Feature not implemented' })
    expect(response.body.details).toMatch(/is not supported by the atoms-test emulator$/)
    expect(await rest.snapshot()).toBe(pristine)
  })

  test.each(INJECTIONS)('injection through %s (%s %s)', async (_label, method, path, options = {}) => {
    const response = await rest.call(method, path, options)
    // Either a clean PostgREST error or an answer that only holds what user A may see.
    expect(response.text).not.toContain('hidden')
    expect(response.text).not.toContain('gamma')
    expect(response.status === 500).toBe(false)
    if (response.status < 300 && Array.isArray(response.body)) {
      for (const row of response.body) expect(JSON.stringify(row)).not.toContain(IDS.org2)
    }
    expect(await rest.snapshot()).toBe(pristine)
  })

  test('a value that looks like SQL is stored as data, verbatim', async () => {
    await rest.db.beginUnit()
    try {
      const value = "x'); delete from projects; --"
      const created = await rest.call('POST', 'projects?select=name', { headers: { Prefer: 'return=representation' }, body: { org_id: IDS.org1, name: value } })
      expect([created.status, created.body]).toEqual([201, [{ name: value }]])
      const found = await rest.call('GET', `projects?select=name&name=eq.${encodeURIComponent(value)}`)
      expect(found.body).toEqual([{ name: value }])
      expect((await rest.call('GET', 'projects?select=id', { as: 'service' })).body).toHaveLength(4)
    } finally {
      await rest.db.endUnit()
    }
    expect(await rest.snapshot()).toBe(pristine)
  })

  test('no caller (no API key) is refused before PostgREST, like Supabase\'s gateway', async () => {
    const response = await rest.call('GET', 'projects', { as: null })
    expect(response.status).toBe(401)
    expect(response.body).toEqual({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' })
  })
})
