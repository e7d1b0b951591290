/**
 * Reads migrations in Supabase CLI layout (`<timestamp>_<name>.sql`) and their rollbacks
 * (same file name under `rollbacks/`), with a SHA-256 checksum of each migration's text.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MigrationNameError } from './errors.ts'
import { migrationsDir, rollbacksDir } from './paths.ts'

/** One migration as found on disk. */
export interface Migration {
  /** The timestamp prefix; versions order as plain strings, like the Supabase CLI. */
  version: string
  name: string
  file: string
  sql: string
  /** Hex SHA-256 of `sql`. */
  checksum: string
  /** The rollback's SQL, when a rollback file exists. */
  rollbackSql?: string
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9_\-]+)\.sql$/

/** Hex SHA-256 of a migration's text. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex')
}

/** Loads every migration of `dir` in version order. */
export function loadMigrations(dir = migrationsDir, rollbackDir = rollbacksDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = FILE_NAME.exec(file)
      if (!match) throw new MigrationNameError(file)
      const sql = readFileSync(join(dir, file), 'utf8')
      const rollbackPath = join(rollbackDir, file)
      const migration: Migration = { version: match[1]!, name: match[2]!, file, sql, checksum: checksumOf(sql) }
      if (existsSync(rollbackPath)) migration.rollbackSql = readFileSync(rollbackPath, 'utf8')
      return migration
    })
}
