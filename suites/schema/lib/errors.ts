/** Errors of the schema suite's library. */

/** Neither SQL access nor a service-role client was given to read the catalog with. */
export class CatalogSourceError extends Error {
  override name = 'CatalogSourceError'
  readonly code = 'CATALOG_SOURCE'
  constructor() {
    super(
      'No way to read the catalog: pass "sql" (an SqlExecutor or an open transaction) or "supabase" ' +
        '(a supabase-js client with the service-role key); in hot mode set SUPABASE_DB_URL or apply the introspection migration.',
    )
  }
}

/** The introspection RPC answered with an error (not installed, not allowed, …). */
export class IntrospectionRpcError extends Error {
  override name = 'IntrospectionRpcError'
  readonly code = 'INTROSPECTION_RPC'
  /** The PostgREST/Postgres error code, when there was one. */
  readonly rpcCode: string | undefined
  constructor(functionName: string, rpcCode: string | undefined, message: string) {
    super(
      `The introspection RPC "${functionName}" failed (${rpcCode ?? 'no code'}: ${message}); apply ` +
        '"supabase/migrations/*_introspection.sql" to the project and call it with the service-role key.',
    )
    this.rpcCode = rpcCode
  }
}

/** What came back is not a catalog snapshot of the format this library reads. */
export class CatalogFormatError extends Error {
  override name = 'CatalogFormatError'
  readonly code = 'CATALOG_FORMAT'
  constructor(what: string) {
    super(`The catalog snapshot is malformed (${what}); re-apply the introspection migration so it matches this version.`)
  }
}

/** The schema contract contradicts the models (a table or column it names does not exist). */
export class ContractError extends Error {
  override name = 'ContractError'
  readonly code = 'SCHEMA_CONTRACT'
  constructor(what: string) {
    super(`${what}; correct "suites/schema/contract.ts" or the model.`)
  }
}
