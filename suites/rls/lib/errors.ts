/** Errors of the RLS suite's library. */

/** A table named in a scope or a fault is not in the expectations. */
export class UnknownTableError extends Error {
  override name = 'UnknownTableError'
  readonly code = 'RLS_UNKNOWN_TABLE'
  constructor(tables: readonly string[], known: readonly string[]) {
    super(
      `Unknown table(s) ${tables.map((t) => `"${t}"`).join(', ')}; use one of the tables of suites/rls/expectations.ts ` +
        `(${known.join(', ')}).`,
    )
  }
}

/** Seeding the probe world failed: the backend refused a row the service role should be able to write. */
export class SeedError extends Error {
  override name = 'SeedError'
  readonly code = 'RLS_SEED'
  constructor(table: string, reason: string) {
    super(`Could not seed "${table}" for the RLS matrix: ${reason}. Check that every migration is applied.`)
  }
}

/** The policy catalog could not be read (no SQL and no introspection RPC, or a malformed answer). */
export class PolicyCatalogError extends Error {
  override name = 'PolicyCatalogError'
  readonly code = 'RLS_POLICY_CATALOG'
}

/** `ATOMS_RLS_BUDGET_MS` or `ATOMS_RLS_COST_ROWS` holds something unusable. */
export class CostSettingError extends Error {
  override name = 'CostSettingError'
  readonly code = 'RLS_COST_SETTING'
  constructor(variable: string, value: string, wanted = 'a positive number of milliseconds') {
    super(`"${variable}" must be ${wanted}, got "${value}"; unset it to use the default.`)
  }
}

/** A fault names a policy that does not exist on its table. */
export class FaultTargetError extends Error {
  override name = 'FaultTargetError'
  readonly code = 'RLS_FAULT_TARGET'
  constructor(table: string, policy: string) {
    super(`Table "${table}" has no policy "${policy}"; pick one from pg_policies.`)
  }
}
