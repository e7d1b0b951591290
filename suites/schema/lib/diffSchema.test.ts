import type { CatalogSnapshot } from './types.ts'
import { describe, expect, test } from 'vitest'
import { diffSchema } from './diffSchema.ts'
import { driftLine } from './report.ts'
import { expectedSchema } from './expected.ts'
import { ALL, column, constraint, contract, fn, models, snapshot } from './test-utils.ts'

/** The drift lines after `change` is applied to a snapshot that otherwise matches. */
function driftsAfter(change: (s: CatalogSnapshot) => void, contractOverride = contract()): string[] {
  const s = snapshot()
  change(s)
  return diffSchema(expectedSchema(models(), contractOverride), s).map(driftLine)
}

const projects = (s: CatalogSnapshot) => s.tables['public.projects']!

describe('diffSchema', () => {
  test('a snapshot that matches models and contract has no drift', () => {
    expect(driftsAfter(() => {})).toEqual([])
  })

  test('names a missing and an unexpected table', () => {
    expect(
      driftsAfter((s) => {
        s.tables['public.extra'] = { ...s.tables['public.orgs']!, columns: { id: column(1, 'uuid') } }
        delete s.tables['public.orgs']
      }),
    ).toEqual([
      'table "extra" table "extra": unexpected (found {"kind":"table","columns":["id"]})',
      'table "orgs" table "orgs": missing (expected {"columns":["id","slug"]})',
    ])
  })

  test('names column type, nullability, default and generated changes, missing and extra columns', () => {
    expect(
      driftsAfter((s) => {
        const c = projects(s).columns
        c.name = { ...c.name!, type: 'character varying(255)', nullable: true }
        c.status = { ...c.status!, default: null }
        c.fts = { ...c.fts!, generated: null }
        c.extra = column(7, 'integer')
        delete c.created_at
      }),
    ).toEqual([
      'table "projects" column "created_at": missing (expected {"type":"timestamptz","nullable":true,"hasDefault":true,"generated":false})',
      'table "projects" column "extra": unexpected (found {"type":"integer","nullable":false})',
      'table "projects" column "fts": generated expected true, found false',
      'table "projects" column "fts": hasDefault expected true, found false',
      'table "projects" column "name": nullable expected false, found true',
      'table "projects" column "name": type expected "text", found "varchar(255)"',
      'table "projects" column "status": hasDefault expected true, found false',
    ])
  })

  test('names constraint drift: primary key, foreign key target and action, unique columns, checks', () => {
    expect(
      driftsAfter((s) => {
        const p = projects(s).constraints
        p.projects_pkey = constraint('primary key', ['id', 'name'])
        p.projects_org_id_fkey = { ...p.projects_org_id_fkey!, references: { table: 'public.projects', columns: ['id'] }, onDelete: 'no action' }
        delete p.projects_name_length
        p.projects_extra_check = constraint('check', ['name'], { definition: 'CHECK (name <> \'\')' })
        s.tables['public.orgs']!.constraints.orgs_slug_key = constraint('unique', ['slug', 'id'])
      }),
    ).toEqual([
      'table "orgs" unique "orgs_slug_key": columns expected ["slug"], found ["slug","id"] (added "id")',
      'table "projects" check "projects_extra_check": unexpected (found "CHECK (name <> \'\')")',
      'table "projects" check "projects_name_length": missing (expected "check constraint")',
      'table "projects" foreign key "projects_org_id_fkey": onDelete expected "cascade", found "no action"',
      'table "projects" foreign key "projects_org_id_fkey": references expected {"table":"public.orgs","columns":["id"]}, found {"table":"public.projects","columns":["id"]}',
      'table "projects" primary key "projects_pkey": columns expected ["id"], found ["id","name"] (added "name")',
    ])
  })

  test('names a dropped index, RLS turned off, a revoked grant and a column grant', () => {
    expect(
      driftsAfter((s) => {
        const p = projects(s)
        p.indexes = {}
        p.rls = false
        p.grants = { ...p.grants, anon: ALL.filter((x) => x !== 'SELECT') }
        p.columnGrants = { authenticated: { name: ['UPDATE'] } }
      }),
    ).toEqual([
      'table "projects" column grant "authenticated on name": privileges expected [], found ["UPDATE"] (added "UPDATE")',
      'table "projects" grant "anon": privileges expected ["DELETE","INSERT","REFERENCES","SELECT","TRIGGER","TRUNCATE","UPDATE"], found ["DELETE","INSERT","REFERENCES","TRIGGER","TRUNCATE","UPDATE"] (removed "SELECT")',
      'table "projects" index "projects_org_id_idx": missing (expected {"columns":["org_id"]})',
      'table "projects" rls "projects": enabled expected true, found false',
    ])
  })

  test('names enum values added, removed or reordered, and unexpected enums and views', () => {
    expect(driftsAfter((s) => (s.enums['public.project_status'] = ['active', 'archived', 'secret']))).toEqual([
      'enum "project_status": values expected ["active","archived"], found ["active","archived","secret"] (added "secret")',
    ])
    expect(driftsAfter((s) => (s.enums['public.project_status'] = ['archived', 'active']))).toEqual([
      'enum "project_status": values expected ["active","archived"], found ["archived","active"] (reordered)',
    ])
    expect(
      driftsAfter((s) => {
        s.enums['public.mood'] = ['happy']
        s.tables['public.all_projects'] = { ...projects(s), kind: 'view', viewDefinition: 'SELECT * FROM projects' }
      }),
    ).toEqual(['enum "mood": unexpected (found ["happy"])', 'table "all_projects" view "all_projects": unexpected (found {"kind":"view","columns":["id","name","status","org_id","created_at","fts"]})'])
  })

  test('names function security drift: definer flag, search_path, executors, unknown functions', () => {
    expect(
      driftsAfter((s) => {
        s.functions['public.is_member(uuid)'] = fn({ securityDefiner: false, searchPath: null, executableBy: ['anon', 'authenticated', 'service_role'] })
        s.functions['public.leak(text)'] = fn({ arguments: 'x text', searchPath: null })
      }),
    ).toEqual([
      'function "is_member(uuid)": executableBy expected ["authenticated","service_role"], found ["anon","authenticated","service_role"] (added "anon")',
      'function "is_member(uuid)": searchPath expected "", found none',
      'function "is_member(uuid)": securityDefiner expected true, found false',
      'function "leak(text)": unexpected (found {"arguments":"x text","securityDefiner":true,"searchPath":null,"executableBy":["authenticated","service_role"]})',
    ])
  })

  test('compares a function result by its type: SETOF and TABLE results as the models spell them', () => {
    expect(driftsAfter((s) => (s.functions['public.is_member(uuid)'] = fn({ returns: 'SETOF boolean' })))).toEqual([])
    expect(driftsAfter((s) => (s.functions['public.is_member(uuid)'] = fn({ returns: 'uuid' })))).toEqual([
      'function "is_member(uuid)": returns expected "boolean", found "uuid"',
    ])
    expect(driftsAfter((s) => (s.functions['public.is_member(uuid)'] = fn({ returns: 'TABLE(ok boolean)' })))).toEqual([
      'function "is_member(uuid)": returns expected "boolean", found "record"',
    ])
  })

  test('without declared functions only the pinned-search_path rule applies', () => {
    const m = { ...models(), functions: undefined }
    const s = snapshot()
    s.functions['public.open_definer()'] = fn({ searchPath: null })
    s.functions['public.invoker()'] = fn({ securityDefiner: false, searchPath: null })
    expect(diffSchema(expectedSchema(m, contract()), s).map(driftLine)).toEqual(['function "open_definer()": searchPath expected "pinned", found none'])
  })

  test('tables of other schemas are not part of the comparison', () => {
    expect(driftsAfter((s) => (s.tables['auth.users'] = { ...projects(s) }))).toEqual([])
  })
})
