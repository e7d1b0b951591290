import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { migrationsDir, rollbacksDir } from '../../../harness/db/index.ts'
import { CATALOG_SQL } from './catalogSql.ts'
import { INTROSPECTION_FUNCTION } from './readCatalog.ts'

const file = readdirSync(migrationsDir).find((f) => f.endsWith('_introspection.sql'))

describe('the introspection migration', () => {
  test('exists, has a rollback, and runs after every other migration it reads', () => {
    expect(file, 'supabase/migrations/*_introspection.sql').toBeDefined()
    expect(readFileSync(`${rollbacksDir}/${file}`, 'utf8')).toContain(`drop function public.${INTROSPECTION_FUNCTION}(text[]);`)
  })

  test('its function body is the catalog query the SQL path runs', () => {
    expect(CATALOG_SQL.trim()).toMatch(/^with\s/)
    expect(CATALOG_SQL).toContain('pg_catalog.pg_proc')
    expect(readFileSync(`${migrationsDir}/${file}`, 'utf8')).toContain(`as $$${CATALOG_SQL}$$;`)
  })

  test('is a security definer with an empty search_path, executable by the service role only', () => {
    const sql = readFileSync(`${migrationsDir}/${file}`, 'utf8')
    expect(sql).toMatch(/create function public\.atoms_introspect\(schemas text\[\] default array\['public'\]\) returns jsonb\s+language sql stable security definer\s+set search_path = ''/)
    expect(sql).toContain('revoke all on function public.atoms_introspect(text[]) from public, anon, authenticated;')
    expect(sql).toContain('grant execute on function public.atoms_introspect(text[]) to service_role;')
  })
})
