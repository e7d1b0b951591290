import { describe, expect, test } from 'vitest'
import { countSql, selectSql } from './buildSelect.ts'
import { SqlParams } from './internal/sql.ts'
import { parseQuery } from './parseQuery.ts'
import { planRead } from './planRead.ts'
import { fakeCatalog } from './test/test-utils.ts'

const catalog = fakeCatalog()

function plan(table: string, qs: string) {
  return planRead(catalog, table, parseQuery(new URLSearchParams(qs)), { range: { offset: 0 } })
}

function sql(table: string, qs: string, range = { offset: 0 } as { offset: number; limit?: number }) {
  const root = planRead(catalog, table, parseQuery(new URLSearchParams(qs)), { range })
  const params = new SqlParams()
  return { sql: selectSql(root, params), params: params.values }
}

describe('planRead', () => {
  test('checks every name: tables (PGRST205), columns (42703), embeds (PGRST108)', () => {
    expect(() => plan('nope', '')).toThrowError(expect.objectContaining({ status: 404, code: 'PGRST205', message: "Could not find the table 'public.nope' in the schema cache", catalogMiss: true }))
    expect(() => plan('projects', 'select=nope')).toThrowError(expect.objectContaining({ code: '42703', message: 'column projects.nope does not exist' }))
    expect(() => plan('projects', 'nope=eq.1')).toThrowError(expect.objectContaining({ code: '42703' }))
    expect(() => plan('projects', 'order=nope')).toThrowError(expect.objectContaining({ code: '42703' }))
    expect(() => plan('projects', 'select=id,tasks(nope)')).toThrowError(expect.objectContaining({ message: 'column tasks_1.nope does not exist' }))
    expect(() => plan('projects', 'tasks.title=eq.x')).toThrowError(expect.objectContaining({ code: 'PGRST108', message: "'tasks' is not an embedded resource in this request" }))
    expect(() => plan('projects', 'tasks.limit=1')).toThrowError(expect.objectContaining({ code: 'PGRST108' }))
  })

  test('one level of embedding; deeper answers unsupported', () => {
    expect(() => plan('orgs', 'select=projects(tasks(*))')).toThrowError(expect.objectContaining({ status: 501, details: expect.stringContaining('Nested embedding') }))
    expect(() => plan('projects', 'order=orgs(name)&select=*,orgs(*)')).toThrowError(expect.objectContaining({ status: 501 }))
  })

  test('casts must name a known type (42704)', () => {
    expect(() => plan('projects', 'select=id::nope')).toThrowError(expect.objectContaining({ code: '42704', message: 'type "nope" does not exist' }))
    expect(plan('projects', 'select=id::text').select).toEqual([expect.objectContaining({ cast: 'text' })])
  })

  test('embed null filters only take is.null (PGRST120)', () => {
    const root = plan('projects', 'select=*,tasks(*)&tasks=not.is.null')
    expect(root.where).toEqual([{ kind: 'filter', filter: expect.objectContaining({ kind: 'embedNull', isNull: false }) }])
    expect(() => plan('projects', 'select=*,tasks(*)&tasks=eq.1')).toThrowError(expect.objectContaining({ code: 'PGRST120' }))
  })
})

describe('selectSql', () => {
  test('quotes every identifier and binds every value', () => {
    const { sql: text, params } = sql('projects', 'select=id,n:name,meta->>k,budget::text&name=ilike.*a*&or=(id.in.(1,"2"),tags.cs.{x})&order=id.desc.nullslast', { offset: 5, limit: 10 })
    expect(text).toBe(
      'SELECT "projects"."id", "projects"."name" AS "n", "projects"."meta"->>$1::text AS "k", CAST("projects"."budget" AS text) AS "budget" ' +
        'FROM "public"."projects" AS "projects" WHERE "projects"."name" ILIKE $2 AND ("projects"."id" = ANY($3) OR "projects"."tags" @> $4) ' +
        'ORDER BY "projects"."id" DESC NULLS LAST LIMIT $5 OFFSET $6',
    )
    expect(params).toEqual(['k', '%a%', '{"1","2"}', '{x}', 10, 5])
  })

  test('to-one embeds use row_to_json, to-many json_agg, inner joins filter parents', () => {
    const { sql: text } = sql('projects', 'select=id,org:orgs(name),tasks!inner(title)&tasks.title=eq.x&tasks.order=title&tasks.limit=2')
    expect(text).toContain('row_to_json("orgs_1".*)::jsonb AS "org"')
    expect(text).toContain('LEFT JOIN LATERAL (SELECT "orgs_1"."name" FROM "public"."orgs" AS "orgs_1" WHERE "orgs_1"."id" = "projects"."org_id") AS "orgs_1" ON TRUE')
    expect(text).toContain('COALESCE("tasks_1"."tasks_1", \'[]\') AS "tasks"')
    expect(text).toContain(
      'INNER JOIN LATERAL (SELECT json_agg("tasks_1")::jsonb AS "tasks_1" FROM (SELECT "tasks_1"."title" FROM "public"."tasks" AS "tasks_1" ' +
        'WHERE "tasks_1"."project_id" = "projects"."id" AND "tasks_1"."title" = $1 ORDER BY "tasks_1"."title" LIMIT $2 OFFSET $3) AS "tasks_1") AS "tasks_1" ON "tasks_1"."tasks_1" IS NOT NULL',
    )
  })

  test('counts ignore the range and turn inner embeds into EXISTS', () => {
    const root = planRead(catalog, 'projects', parseQuery(new URLSearchParams('select=id,tasks!inner(id)&id=gt.1')), { range: { offset: 0, limit: 1 } })
    const params = new SqlParams()
    expect(countSql(root, params)).toBe(
      'SELECT 1 FROM "public"."projects" AS "projects" WHERE "projects"."id" > $1 AND EXISTS (SELECT 1 FROM "public"."tasks" AS "tasks_1" WHERE "tasks_1"."project_id" = "projects"."id")',
    )
  })

  test('an identifier with quotes is escaped, never spliced raw', () => {
    const evil = fakeCatalog()
    const t = evil.tables.get('orgs')!
    const col = { name: 'x"; drop table orgs; --', type: 'text', typeName: 'text', notNull: false }
    t.columns.set(col.name, col)
    const root = planRead(evil, 'orgs', parseQuery(new URLSearchParams({ select: '"x\\"; drop table orgs; --"' })), { range: { offset: 0 } })
    expect(selectSql(root, new SqlParams())).toBe('SELECT "orgs"."x""; drop table orgs; --" FROM "public"."orgs" AS "orgs"')
  })
})
