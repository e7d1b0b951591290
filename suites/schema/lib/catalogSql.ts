/**
 * The one catalog query: reads `pg_catalog` for the schemas in `$1` (a `text[]`) and returns the
 * whole snapshot as one `jsonb` value. Its one copy is the body of `atoms_introspect()` in the
 * introspection migration (`supabase/migrations/*_introspection.sql`): the RPC path calls the
 * function, the SQL path runs the same text read from that file, so the two cannot drift.
 *
 * @note It must run with `search_path = ''`, as the function does, so every name in a printed
 * expression is schema-qualified the same way on both paths.
 * @note Privileges are effective ones (`has_*_privilege`), so a grant via PUBLIC or role
 * membership counts; column grants are the explicit `attacl` entries only.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { migrationsDir } from '../../../harness/db/index.ts'

/** The introspection migration's file name. */
export const INTROSPECTION_FILE = readdirSync(migrationsDir).find((file) => file.endsWith('_introspection.sql'))

/** Reads the body of `atoms_introspect()` out of its migration. */
function functionBody(): string {
  if (!INTROSPECTION_FILE) throw new Error('No "supabase/migrations/*_introspection.sql" found; restore it from version control.')
  const sql = readFileSync(`${migrationsDir}/${INTROSPECTION_FILE}`, 'utf8')
  const body = /as \$\$([\s\S]*?)\$\$;/.exec(sql)?.[1]
  if (!body) throw new Error(`"${INTROSPECTION_FILE}" has no "as $$ … $$;" function body.`)
  return body
}

export const CATALOG_SQL = functionBody()
