/**
 * Reads through `restRoutes.resolve` on both engines: select shapes, embeds, filters, order,
 * ranges and counts, singular responses, HEAD, and RLS deciding what each caller sees.
 */
import type { RestFixture } from './test-utils.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ENGINES } from '../../../testing/index.ts'
import { IDS, openRest } from './test-utils.ts'

describe.each(ENGINES)('REST reads on %s', (engine) => {
  let rest: RestFixture
  beforeAll(async () => {
    rest = await openRest(engine)
  })
  afterAll(() => rest?.dispose())

  test('values serialise as Postgres prints them in JSON: timestamps, numerics, bigints, arrays, jsonb', async () => {
    const { status, body, text, headers } = await rest.call('GET', 'projects?select=id,budget,big,tags,meta,created_at&id=eq.1')
    expect(status).toBe(200)
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(headers.get('content-range')).toBe('0-0/*')
    expect(text).toBe('[{"id":1,"budget":10.50,"big":9007199254740993,"tags":["a","b"],"meta":{"k": 1, "nested": {"deep": "x"}},"created_at":"2024-05-06T07:08:09+00:00"}]')
    expect(body[0].id).toBe(1)
  })

  test('RLS decides the rows: member, other member, anon, service role', async () => {
    const names = async (as: 'userA' | 'userB' | 'anon' | 'service') =>
      (await rest.call('GET', 'projects?select=name&order=name', { as })).body.map((r: { name: string }) => r.name)
    expect(await names('userA')).toEqual(['alpha', 'beta'])
    expect(await names('userB')).toEqual(['gamma'])
    expect(await names('anon')).toEqual([])
    expect(await names('service')).toEqual(['alpha', 'beta', 'gamma'])
  })

  test('aliases, casts and JSON paths', async () => {
    const { body } = await rest.call('GET', 'projects?select=label:name,id::text,meta->k,deep:meta->nested->>deep&id=eq.1')
    expect(body).toEqual([{ label: 'alpha', id: '1', k: 1, deep: 'x' }])
  })

  test('embeds: to-one object, to-many array, one-to-one, aliases, hints', async () => {
    const { status, body } = await rest.call('GET', 'projects?select=id,org:orgs(name),tasks(title),project_details(summary)&order=id')
    expect(status).toBe(200)
    expect(body).toEqual([
      { id: 1, org: { name: 'one' }, tasks: [{ title: 't1' }, { title: 't2' }], project_details: { summary: 'first' } },
      { id: 2, org: { name: 'one' }, tasks: [{ title: 't3' }], project_details: null },
    ])
    const handoffs = await rest.call('GET', 'handoffs?select=id,from:projects!from_project(name),to:projects!handoffs_to_project_fkey(name)', { as: 'service' })
    expect(handoffs.body).toEqual([{ id: 1, from: { name: 'alpha' }, to: { name: 'gamma' } }])
    const byColumn = await rest.call('GET', 'tasks?select=title,project_id(name)&id=eq.1')
    expect(byColumn.body).toEqual([{ title: 't1', project_id: { name: 'alpha' } }])
  })

  test('RLS applies inside embeds too', async () => {
    // handoffs has no RLS; user A may read the source project (org one) but not the target (org two).
    const { body } = await rest.call('GET', 'handoffs?select=id,from:projects!from_project(name),to:projects!to_project(name)')
    expect(body).toEqual([{ id: 1, from: { name: 'alpha' }, to: null }])
    const inner = await rest.call('GET', 'handoffs?select=id,to:projects!to_project!inner(name)')
    expect(inner.body).toEqual([])
  })

  test('embedded filters, order and limit; !inner drops parents without matches; embed null filters', async () => {
    const filtered = await rest.call('GET', 'projects?select=name,tasks(title)&tasks.done=is.false&tasks.order=position.desc.nullslast&order=id')
    expect(filtered.body).toEqual([{ name: 'alpha', tasks: [{ title: 't1' }] }, { name: 'beta', tasks: [{ title: 't3' }] }])
    const orTree = await rest.call('GET', 'projects?select=name,tasks(title)&tasks.or=(title.eq.t1,position.is.null)&order=id')
    expect(orTree.body).toEqual([{ name: 'alpha', tasks: [{ title: 't1' }] }, { name: 'beta', tasks: [{ title: 't3' }] }])
    const limited = await rest.call('GET', 'projects?select=name,tasks(title)&tasks.order=id.desc&tasks.limit=1&id=eq.1')
    expect(limited.body).toEqual([{ name: 'alpha', tasks: [{ title: 't2' }] }])
    const inner = await rest.call('GET', 'projects?select=name,tasks!inner(title)&tasks.title=eq.t3', { headers: { Prefer: 'count=exact' } })
    expect(inner.body).toEqual([{ name: 'beta', tasks: [{ title: 't3' }] }])
    expect(inner.headers.get('content-range')).toBe('0-0/1')
    const notNull = await rest.call('GET', 'projects?select=name,project_details(summary)&project_details=not.is.null')
    expect(notNull.body).toEqual([{ name: 'alpha', project_details: { summary: 'first' } }])
    const isNull = await rest.call('GET', 'projects?select=name,project_details()&project_details=is.null')
    expect(isNull.body).toEqual([{ name: 'beta' }])
  })

  test.each([
    ['name=eq.alpha', ['alpha']],
    ['name=neq.alpha', ['beta']],
    ['budget=gt.5', ['alpha']],
    ['budget=gte.10.5', ['alpha']],
    ['budget=lt.11', ['alpha']],
    ['budget=lte.10', []],
    ['name=like.*et*', ['beta']],
    ['name=ilike.ALP*', ['alpha']],
    ['name=match.^b', ['beta']],
    ['name=imatch.^B', ['beta']],
    ['budget=is.null', ['beta']],
    ['budget=not.is.null', ['alpha']],
    ['archived=is.false', ['alpha', 'beta']],
    ['budget=isdistinct.10.5', ['beta']],
    ['name=in.(alpha,"x,y")', ['alpha']],
    ['name=not.in.(alpha)', ['beta']],
    ['id=in.()', []],
    ['tags=cs.{b}', ['alpha', 'beta']],
    ['tags=cd.{a,b,c}', ['alpha', 'beta']],
    ['tags=ov.{a,z}', ['alpha']],
    ['meta=cs.{"k":1}', ['alpha']],
    ['meta->>k=eq.1', ['alpha']],
    ['meta->nested->>deep=eq.x', ['alpha']],
    ['name=eq(any).{alpha,beta}', ['alpha', 'beta']],
    ['name=like(all).{a*,*a}', ['alpha']],
    ['name=fts.alpha', ['alpha']],
    ['name=wfts(english).beta', ['beta']],
    ['or=(name.eq.alpha,and(budget.is.null,archived.is.false))', ['alpha', 'beta']],
    ['not.or=(name.eq.alpha,name.eq.gamma)', ['beta']],
    ['and=(id.gt.0,or(tags.cs.{a},meta.is.null))', ['alpha', 'beta']],
  ])('filter %s', async (filter, expected) => {
    const { status, body } = await rest.call('GET', `projects?select=name&order=name&${filter}`)
    expect(status).toBe(200)
    expect(body.map((r: { name: string }) => r.name)).toEqual(expected)
  })

  test('order with nulls placement and JSON paths', async () => {
    const asc = await rest.call('GET', 'projects?select=name&order=budget.asc.nullsfirst', { as: 'service' })
    expect(asc.body.map((r: { name: string }) => r.name)).toEqual(['beta', 'gamma', 'alpha'])
    const desc = await rest.call('GET', 'projects?select=name&order=meta->>k.desc.nullslast,id', { as: 'service' })
    expect(desc.body.map((r: { name: string }) => r.name)).toEqual(['gamma', 'alpha', 'beta'])
  })

  test('limit/offset, Range header, counts, 206 and 416', async () => {
    const page = await rest.call('GET', 'projects?select=id&order=id&limit=1&offset=1', { as: 'service', headers: { Prefer: 'count=exact' } })
    expect(page.status).toBe(206)
    expect(page.body).toEqual([{ id: 2 }])
    expect(page.headers.get('content-range')).toBe('1-1/3')
    const ranged = await rest.call('GET', 'projects?select=id&order=id', { as: 'service', headers: { Range: '0-1', 'Range-Unit': 'items' } })
    expect(ranged.body).toEqual([{ id: 1 }, { id: 2 }])
    expect(ranged.headers.get('content-range')).toBe('0-1/*')
    const all = await rest.call('GET', 'projects?select=id', { as: 'service', headers: { Prefer: 'count=exact' } })
    expect([all.status, all.headers.get('content-range')]).toEqual([200, '0-2/3'])
    const none = await rest.call('GET', 'projects?select=id&id=eq.99', { headers: { Prefer: 'count=exact' } })
    expect([none.status, none.headers.get('content-range'), none.body]).toEqual([200, '*/0', []])
    const noneUncounted = await rest.call('GET', 'projects?select=id&id=eq.99')
    expect(noneUncounted.headers.get('content-range')).toBe('*/*')
    const past = await rest.call('GET', 'projects?select=id&offset=10', { as: 'service', headers: { Prefer: 'count=exact' } })
    expect(past.status).toBe(416)
    expect(past.body).toEqual({ code: 'PGRST103', message: 'Requested range not satisfiable', details: 'An offset of 10 was requested, but there are only 3 rows.', hint: null })
    const zero = await rest.call('GET', 'projects?select=id&limit=0', { headers: { Prefer: 'count=exact' } })
    expect([zero.status, zero.body, zero.headers.get('content-range')]).toEqual([206, [], '*/2'])
  })

  test('HEAD answers headers only', async () => {
    const head = await rest.call('HEAD', 'projects', { headers: { Prefer: 'count=exact' } })
    expect(head.status).toBe(200)
    expect(head.text).toBe('')
    expect(head.headers.get('content-range')).toBe('0-1/2')
    expect(head.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  test('singular responses: one object, or PGRST116 (406)', async () => {
    const one = await rest.call('GET', 'projects?select=name&id=eq.1', { headers: { Accept: 'application/vnd.pgrst.object+json' } })
    expect([one.status, one.body]).toEqual([200, { name: 'alpha' }])
    const many = await rest.call('GET', 'projects?select=name', { headers: { Accept: 'application/vnd.pgrst.object+json' } })
    expect([many.status, many.body]).toEqual([406, { code: 'PGRST116', message: 'Cannot coerce the result to a single JSON object', details: 'The result contains 2 rows', hint: null }])
    const none = await rest.call('GET', 'projects?select=name&id=eq.3', { headers: { Accept: 'application/vnd.pgrst.object+json' } })
    expect([none.status, none.body.details]).toEqual([406, 'The result contains 0 rows'])
  })

  test('stripped nulls', async () => {
    const { body } = await rest.call('GET', 'projects?select=name,budget&id=eq.2', { headers: { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' } })
    expect(body).toEqual([{ name: 'beta' }])
  })

  test('a view is readable; uuid filters bind as parameters', async () => {
    const { body } = await rest.call('GET', `orgs?select=name&id=eq.${IDS.org1}`)
    expect(body).toEqual([{ name: 'one' }])
  })

  test('a table created after the first request is found (catalog refresh on a miss)', async () => {
    await rest.call('GET', 'projects?select=id&limit=1')
    await rest.db.exec(`create table late_table (id int primary key); insert into late_table values (7);`)
    try {
      const { status, body } = await rest.call('GET', 'late_table', { as: 'service' })
      expect([status, body]).toEqual([200, [{ id: 7 }]])
      await rest.db.exec(`alter table late_table add column extra text default 'e'`)
      expect((await rest.call('GET', 'late_table?select=extra', { as: 'service' })).body).toEqual([{ extra: 'e' }])
    } finally {
      await rest.db.exec('drop table late_table')
    }
    expect((await rest.call('GET', 'late_table', { as: 'service' })).status).toBe(404)
  })

  test('a stale catalog is reloaded when the database no longer has what it names', async () => {
    await rest.db.exec(`create table late_parent (id int primary key); create table late_child (id int primary key, parent_id int references late_parent);`)
    try {
      expect((await rest.call('GET', 'late_parent?select=*,late_child(*)', { as: 'service' })).status).toBe(200)
      await rest.db.exec('drop table late_child')
      // The cache still holds the relationship; the database answers 42P01 and the request is planned again.
      const again = await rest.call('GET', 'late_parent?select=*,late_child(*)', { as: 'service' })
      expect([again.status, again.body.code]).toEqual([400, 'PGRST200'])
    } finally {
      await rest.db.exec('drop table if exists late_child; drop table late_parent')
    }
  })
})
