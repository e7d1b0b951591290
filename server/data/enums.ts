/**
 * The Postgres enum values the tools validate against, taken from the shared zod models
 * (`supabase/models`), which the db tests keep equal to the migrations.
 */
export { enumValues as ENUMS } from '../../supabase/models/index.ts'
export type { EnumName } from '../../supabase/models/index.ts'
