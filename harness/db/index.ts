export type { Migration } from './loadMigrations.ts'
export type { AppliedMigration, MigrationStatus } from './MigrationRunner.ts'
export type { TestDatabase } from './testDatabase.ts'
export { loadMigrations, checksumOf } from './loadMigrations.ts'
export { MigrationRunner, MIGRATIONS_TABLE } from './MigrationRunner.ts'
export { applyBootstrap, bootstrapSql } from './bootstrap.ts'
export { createTestDatabase, adminQuery, serverUrl, withDatabase, uniqueDatabaseName, DEFAULT_DATABASE_URL } from './testDatabase.ts'
export {
  DatabaseUnavailableError,
  MigrationChecksumError,
  MigrationNameError,
  MissingMigrationError,
  MissingRollbackError,
  redactUrl,
} from './errors.ts'
export { migrationsDir, rollbacksDir, bootstrapFile, projectRoot } from './paths.ts'
