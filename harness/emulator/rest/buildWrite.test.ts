import { describe, expect, test } from 'vitest'
import { deleteSql, insertSql, returningFor, updateSql } from './buildWrite.ts'
import { SqlParams } from './internal/sql.ts'
import { parseQuery } from './parseQuery.ts'
import { planRead } from './planRead.ts'
import { fakeCatalog } from './test/test-utils.ts'

const catalog = fakeCatalog()
const projects = catalog.tables.get('projects')!
const col = (name: string) => projects.columns.get(name)!
const root = (qs: string) => planRead(catalog, 'projects', parseQuery(new URLSearchParams(qs)), { range: { offset: 0 } })

describe('buildWrite', () => {
  test('insert expands the JSON body with typed json_to_recordset and returns 1 for minimal', () => {
    const params = new SqlParams()
    const sql = insertSql(projects, { json: '[{"name":"a","org_id":"x"}]', isObject: false, columns: [col('name'), col('org_id')], applyDefaults: false }, undefined, 'none', params)
    expect(sql).toBe(
      'INSERT INTO "public"."projects" AS "projects" ("name", "org_id") SELECT pgrst_body."name", pgrst_body."org_id" ' +
        'FROM json_to_recordset($1::json) AS pgrst_body("name" text, "org_id" uuid) RETURNING 1',
    )
    expect(params.values).toEqual(['[{"name":"a","org_id":"x"}]'])
  })

  test('merge-duplicates upserts count inserted rows through pgrst.inserted; ignore does nothing', () => {
    const body = { json: '{"id":1,"name":"a"}', isObject: true, columns: [col('id'), col('name')], applyDefaults: false }
    const merge = insertSql(projects, body, { columns: ['id'], action: 'merge' }, 'all', new SqlParams())
    expect(merge).toContain('FROM json_to_record($1::json) AS pgrst_body("id" bigint, "name" text) WHERE set_config(\'pgrst.inserted\'')
    expect(merge).toContain('ON CONFLICT ("id") DO UPDATE SET "id" = EXCLUDED."id", "name" = EXCLUDED."name" WHERE set_config(')
    expect(merge).toMatch(/RETURNING "projects"\.\*$/)
    expect(insertSql(projects, body, { columns: ['id'], action: 'ignore' }, 'none', new SqlParams())).toContain('ON CONFLICT ("id") DO NOTHING RETURNING 1')
  })

  test('missing=default merges the column defaults under each row', () => {
    const params = new SqlParams()
    const sql = insertSql(projects, { json: '[{"name":"a"}]', isObject: false, columns: [col('name'), col('tags')], applyDefaults: true }, undefined, 'none', params)
    expect(sql).toContain(`jsonb_to_recordset((SELECT jsonb_agg(jsonb_build_object($2::text, '{}'::text[]) || elem) FROM jsonb_array_elements($1::jsonb) elem))`)
    expect(params.values).toEqual(['[{"name":"a"}]', 'tags'])
  })

  test('rows of defaults only', () => {
    expect(insertSql(projects, { json: '{}', isObject: true, columns: [], applyDefaults: false }, undefined, 'none', new SqlParams())).toBe(
      'INSERT INTO "public"."projects" AS "projects" SELECT FROM (VALUES (1)) pgrst_body RETURNING 1',
    )
  })

  test('update and delete take the planned root filters', () => {
    const params = new SqlParams()
    expect(updateSql(root('id=eq.1&or=(name.eq.a,name.is.null)'), { json: '{"name":"b"}', isObject: true, columns: [col('name')], applyDefaults: false }, ['id'], params)).toBe(
      'UPDATE "public"."projects" AS "projects" SET "name" = pgrst_body."name" FROM json_to_record($1::json) AS pgrst_body("name" text) ' +
        'WHERE "projects"."id" = $2 AND ("projects"."name" = $3 OR "projects"."name" IS NULL) RETURNING "projects"."id"',
    )
    expect(updateSql(root(''), { json: '{}', isObject: true, columns: [], applyDefaults: false }, 'none', new SqlParams())).toBe(
      'SELECT 1 FROM "public"."projects" AS "projects" WHERE false',
    )
    expect(deleteSql(root('id=in.(1,2)'), 'all', new SqlParams())).toBe('DELETE FROM "public"."projects" AS "projects" WHERE "projects"."id" = ANY($1) RETURNING "projects".*')
  })

  test('a representation returns the selected columns plus the embeds\' join columns', () => {
    expect(returningFor(root('select=name,orgs(name)'))).toEqual(['name', 'org_id'])
    expect(returningFor(root('select=*,tasks(*)'))).toBe('all')
    expect(returningFor(root('select=meta->>k'))).toEqual(['meta'])
  })
})
