/**
 * Read-only view of the migrations table (safe on a live project): the applied rows, and how
 * they compare with the migration files — pending, changed (checksum), renamed, or missing.
 */
import type { AppliedMigration, Migration } from '../../../harness/db/index.ts'
import type { SqlSession } from '../../../harness/sql/index.ts'
import type { MigrationProblem } from './problems.ts'
import { MIGRATIONS_TABLE } from '../../../harness/db/index.ts'
import { MigrationsTableMissingError } from './errors.ts'
import { problem } from './problems.ts'

/**
 * The rows of the migrations table, oldest first, without creating anything.
 * @throws MigrationsTableMissingError when the database has no migrations table.
 */
export async function readAppliedMigrations(session: SqlSession): Promise<AppliedMigration[]> {
  const { rows } = await session.query<{ present: boolean }>(`select to_regclass($1) is not null as present`, [MIGRATIONS_TABLE])
  if (!rows[0]?.present) throw new MigrationsTableMissingError(MIGRATIONS_TABLE)
  const applied = await session.query<AppliedMigration>(
    `select version, name, checksum, applied_at::text as applied_at from ${MIGRATIONS_TABLE} order by version`,
  )
  return applied.rows
}

/**
 * Problems of the table against the files: a file not applied (`pending`), applied with another
 * text (`changed`), applied under another name, or an applied row without a file.
 */
export function compareWithFiles(applied: readonly AppliedMigration[], migrations: readonly Migration[]): MigrationProblem[] {
  const problems: MigrationProblem[] = []
  const rows = new Map(applied.map((row) => [row.version, row]))
  for (const m of migrations) {
    const row = rows.get(m.version)
    rows.delete(m.version)
    if (!row) {
      problems.push(problem('table', m.file, 'not applied: the migrations table has no row for it'))
      continue
    }
    if (row.name !== m.name) problems.push(problem('table', m.file, `applied under the name "${row.name}"`))
    if (row.checksum !== m.checksum) {
      problems.push(
        problem('table', m.file, `changed after it was applied: checksum ${row.checksum.slice(0, 12)}… recorded, file has ${m.checksum.slice(0, 12)}…`),
      )
    }
  }
  for (const row of rows.values()) {
    problems.push(problem('table', `${row.version}_${row.name}.sql`, 'applied, but no migration file has its version'))
  }
  return problems
}
