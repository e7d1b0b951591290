/** Applies `supabase/bootstrap.sql` so that a plain Postgres looks like Supabase to the schema. */
import { readFileSync } from 'node:fs'
import type { SqlExecutor } from '../sql/index.ts'
import { bootstrapFile } from './paths.ts'

let cached: string | undefined

/** The bootstrap script's text. */
export function bootstrapSql(): string {
  cached ??= readFileSync(bootstrapFile, 'utf8')
  return cached
}

/**
 * Makes `db` look like Supabase: API roles, `auth` schema, auth helpers, default grants.
 * Idempotent. Never call it on a real Supabase project, which already has all of it.
 */
export async function applyBootstrap(db: SqlExecutor): Promise<void> {
  await db.exec(bootstrapSql())
}
