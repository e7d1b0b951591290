/** Errors of the SQL layer. Database errors themselves are enriched in place, never wrapped. */

/** A handle was used after its transaction or executor closed. */
export class ClosedHandleError extends Error {
  override name = 'ClosedHandleError'
  constructor(what: string) {
    super(`"${what}" was used after it closed; run the statement inside the callback that received it.`)
  }
}

/** A role outside the Supabase API roles was requested. */
export class UnknownRoleError extends Error {
  override name = 'UnknownRoleError'
  constructor(role: string) {
    super(`Role "${role}" is not an API role; use "anon", "authenticated" or "service_role".`)
  }
}

/** A Postgres error with the statement that raised it; `code` is the SQLSTATE. */
export interface DatabaseError extends Error {
  code?: string
  detail?: string
  hint?: string
  sql?: string
  params?: unknown[]
}

/** Adds the statement and its parameters to a driver error, keeping its class and SQLSTATE. */
export function enrichError(error: unknown, sql: string, params: unknown[] | undefined): unknown {
  if (error instanceof Error) {
    const enriched = error as DatabaseError
    enriched.sql ??= sql
    enriched.params ??= params
  }
  return error
}

/** The SQLSTATE of a database error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}
