/** Errors of the migration runner and test databases. */

/** An applied migration's file no longer matches the checksum recorded when it ran. */
export class MigrationChecksumError extends Error {
  override name = 'MigrationChecksumError'
  readonly code = 'MIGRATION_CHECKSUM'
  readonly file: string
  constructor(file: string, recorded: string, actual: string) {
    super(
      `Migration "${file}" changed after it was applied (checksum ${recorded.slice(0, 12)}… is now ${actual.slice(0, 12)}…); ` +
        'restore the file and add a new migration for the change.',
    )
    this.file = file
  }
}

/** An applied migration's file is gone. */
export class MissingMigrationError extends Error {
  override name = 'MissingMigrationError'
  readonly code = 'MIGRATION_MISSING'
  readonly version: string
  constructor(version: string, migrationName: string) {
    super(`Applied migration "${version}_${migrationName}.sql" has no file any more; restore it from version control.`)
    this.version = version
  }
}

/** A migration has no rollback file, so it cannot be rolled back. */
export class MissingRollbackError extends Error {
  override name = 'MissingRollbackError'
  readonly code = 'ROLLBACK_MISSING'
  readonly file: string
  constructor(file: string) {
    super(`Migration "${file}" has no rollback; add "supabase/rollbacks/${file}".`)
    this.file = file
  }
}

/** A migration file name is not `<digits>_<name>.sql`. */
export class MigrationNameError extends Error {
  override name = 'MigrationNameError'
  readonly file: string
  constructor(file: string) {
    super(`Migration file "${file}" is not named "<timestamp>_<name>.sql"; rename it.`)
    this.file = file
  }
}

/** The Postgres server did not answer. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError'
  readonly code = 'DATABASE_UNAVAILABLE'
  constructor(url: string, cause: unknown) {
    super(
      `No Postgres answers at "${redactUrl(url)}" (${(cause as Error)?.message ?? cause}). Start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or point DATABASE_URL at a server.',
      { cause },
    )
  }
}

/** A connection string without its password, fit for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '<unparsable connection string>'
  }
}
