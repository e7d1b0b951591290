/** The PostgREST subset of the Supabase emulator: one route group served under `/rest/v1`. */
export type { PostgrestErrorBody } from './errors.ts'
export type { Catalog } from './catalog.ts'
export { PostgrestError } from './errors.ts'
export { getCatalog, invalidateCatalog, refreshCatalog } from './catalog.ts'
export { REST_PREFIX, resolveRest, restRoutes } from './routes.ts'
