/** Errors of the migrations suite's library. */

/** The database has no migration ledger: neither the atoms-test runner's nor the Supabase CLI's. */
export class MigrationsTableMissingError extends Error {
  override name = 'MigrationsTableMissingError'
  readonly code = 'MIGRATIONS_TABLE_MISSING'
  /** The ledgers looked for. */
  readonly tables: readonly string[]
  constructor(atomsTestTable: string, supabaseCliTable: string) {
    super(
      `The database has neither "${atomsTestTable}" (the atoms-test runner's ledger) nor "${supabaseCliTable}" ` +
        "(the Supabase CLI's); migrate it first: `supabase db push` (or `supabase migration up`) for a Supabase project, " +
        'MigrationRunner.migrate() for a test database.',
    )
    this.tables = [atomsTestTable, supabaseCliTable]
  }
}

/** A seeded fault did not apply: the text it edits is not in the file (the file changed). */
export class SeedError extends Error {
  override name = 'SeedError'
  readonly code = 'SEED_NOT_APPLIED'
  constructor(file: string, what: string) {
    super(`Could not seed the fault into "${file}": ${what}; update the fault to match the current file.`)
  }
}
