/** Where the database contract lives, resolved from this file so any working directory works. */
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** The project root (the folder holding `supabase/`). */
export const projectRoot = root
/** `supabase/migrations`, in Supabase CLI layout. */
export const migrationsDir = `${root}supabase/migrations`
/** `supabase/rollbacks`: one file per migration, same file name. */
export const rollbacksDir = `${root}supabase/rollbacks`
/** `supabase/bootstrap.sql`. */
export const bootstrapFile = `${root}supabase/bootstrap.sql`
