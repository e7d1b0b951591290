/**
 * Prepares a migrated template database on a server: create, bootstrap, migrate, then mark it
 * a template so each test file can get a copy with `CREATE DATABASE … TEMPLATE` (tens of ms).
 */
import { MigrationRunner, adminQuery, applyBootstrap, loadMigrations, uniqueDatabaseName, withDatabase } from '../../db/index.ts'
import { createPgExecutor } from '../../sql/index.ts'

/** Creates and migrates a template on the server of `adminUrl`; returns its name. */
export async function createMigratedTemplate(adminUrl: string): Promise<string> {
  const name = uniqueDatabaseName('atoms_tpl')
  await adminQuery(adminUrl, `create database "${name}"`)
  const db = createPgExecutor(withDatabase(adminUrl, name), { max: 1 })
  try {
    await applyBootstrap(db)
    await new MigrationRunner(db, loadMigrations()).migrate()
  } finally {
    // A template must have no open connections when it is cloned.
    await db.close()
  }
  await adminQuery(adminUrl, `alter database "${name}" with is_template = true`)
  return name
}

/** Drops a template made by `createMigratedTemplate`. */
export async function dropTemplate(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `alter database "${name}" with is_template = false`).catch(() => undefined)
  await adminQuery(adminUrl, `drop database if exists "${name}" with (force)`)
}
