import type { CatalogSnapshot } from './types.ts'
import { describe, expect, test } from 'vitest'
import { diffSnapshots } from './diffSnapshots.ts'
import { driftLine } from './report.ts'
import { column, fn, snapshot } from './test-utils.ts'

function after(change: (s: CatalogSnapshot) => void): string[] {
  const b = snapshot()
  change(b)
  return diffSnapshots(snapshot(), b).map(driftLine)
}

describe('diffSnapshots', () => {
  test('two reads of the same schema are equal', () => {
    expect(diffSnapshots(snapshot(), snapshot())).toEqual([])
  })

  test('names every kind of object that appears, disappears or changes', () => {
    expect(
      after((s) => {
        const p = s.tables['public.projects']!
        p.triggers.bump = 'CREATE TRIGGER bump BEFORE UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.bump()'
        p.policies.projects_select = { command: 'select', permissive: true, roles: ['authenticated'], using: 'true', check: null }
        p.columns.name = { ...p.columns.name!, default: "''::text" }
        p.forceRls = true
        delete p.indexes.projects_org_id_idx
        s.functions['public.is_member(uuid)'] = fn({ bodyHash: 'f'.repeat(32) })
        s.sequences['public.counter_seq'] = { type: 'bigint', ownedBy: null }
        s.enums['public.project_status'] = ['active']
        s.tables['auth.users'] = { ...p, columns: { id: column(1, 'uuid') } }
      }),
    ).toEqual([
      'enum "project_status": values expected ["active","archived"], found ["active"] (removed "archived")',
      'function "is_member(uuid)": bodyHash expected "00000000000000000000000000000000", found "ffffffffffffffffffffffffffffffff"',
      'sequence "counter_seq": unexpected (found {"type":"bigint","ownedBy":null})',
      'table "auth.users" table "auth.users": unexpected (found {"kind":"table","columns":["id"]})',
      'table "projects" column "name": default expected none, found "\'\'::text"',
      'table "projects" index "projects_org_id_idx": missing (expected {"method":"btree","unique":false,"primary":false,"columns":["org_id"],"predicate":null,"constraint":null})',
      'table "projects" policy "projects_select": unexpected (found {"command":"select","permissive":true,"roles":["authenticated"],"using":"true","check":null})',
      'table "projects" rls "projects": forced expected false, found true',
      'table "projects" trigger "bump": unexpected (found "CREATE TRIGGER bump BEFORE UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.bump()")',
    ])
  })

  test('a dropped table is one drift, not one per column', () => {
    expect(after((s) => delete s.tables['public.orgs'])).toEqual(['table "orgs" table "orgs": missing (expected {"kind":"table","columns":["id","slug"]})'])
  })

  test('grants and column grants are compared per role', () => {
    expect(
      after((s) => {
        const p = s.tables['public.projects']!
        p.grants = { ...p.grants, anon: ['SELECT'] }
        p.columnGrants = { anon: { name: ['SELECT'] } }
      }),
    ).toEqual([
      'table "projects" column grant "anon on name": unexpected (found ["SELECT"])',
      'table "projects" grant "anon": privileges expected ["DELETE","INSERT","REFERENCES","SELECT","TRIGGER","TRUNCATE","UPDATE"], found ["SELECT"] (removed "DELETE", "INSERT", "REFERENCES", "TRIGGER", "TRUNCATE", "UPDATE")',
    ])
  })
})
