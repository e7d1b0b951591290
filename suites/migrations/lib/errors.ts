/** Errors of the migrations suite's library. */

/** The database has no migrations table: it was not migrated by the atoms-test runner. */
export class MigrationsTableMissingError extends Error {
  override name = 'MigrationsTableMissingError'
  readonly code = 'MIGRATIONS_TABLE_MISSING'
  constructor(table: string) {
    super(`The database has no "${table}" table; apply the migrations with the atoms-test runner (MigrationRunner.migrate()) first.`)
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
