/**
 * Read-only view of the database's migration ledger (safe on a live project: SELECTs only) and
 * how it compares with the migration files: pending, changed, renamed, or applied without a file.
 * The ledger is the atoms-test runner's table when there is one, else the Supabase CLI's.
 */
import type { AppliedMigration, Migration } from '../../../harness/db/index.ts'
import type { SqlSession } from '../../../harness/sql/index.ts'
import type { AppliedLedger, LedgerRow } from './ledger.ts'
import type { MigrationProblem } from './problems.ts'
import { MigrationsTableMissingError } from './errors.ts'
import { ATOMS_TEST_LEDGER, SUPABASE_CLI_LEDGER } from './ledger.ts'
import { problem } from './problems.ts'
import { contentHash } from './sqlContent.ts'
import { readSupabaseCliLedger } from './supabaseCliLedger.ts'

async function tableExists(session: SqlSession, table: string): Promise<boolean> {
  const { rows } = await session.query<{ present: boolean }>(`select to_regclass($1) is not null as present`, [table])
  return rows[0]?.present === true
}

/**
 * The database's ledger, without creating anything: `atoms_test.schema_migrations` when it
 * exists, else `supabase_migrations.schema_migrations`.
 * @throws MigrationsTableMissingError when the database has neither.
 */
export async function readAppliedMigrations(session: SqlSession): Promise<AppliedLedger> {
  if (await tableExists(session, ATOMS_TEST_LEDGER)) {
    const { rows } = await session.query<AppliedMigration>(
      `select version, name, checksum, applied_at::text as applied_at from ${ATOMS_TEST_LEDGER} order by version`,
    )
    return { kind: 'atoms-test', table: ATOMS_TEST_LEDGER, rows }
  }
  if (await tableExists(session, SUPABASE_CLI_LEDGER)) {
    return { kind: 'supabase-cli', table: SUPABASE_CLI_LEDGER, rows: await readSupabaseCliLedger(session) }
  }
  throw new MigrationsTableMissingError(ATOMS_TEST_LEDGER, SUPABASE_CLI_LEDGER)
}

const short = (hash: string) => `${hash.slice(0, 12)}…`

/** Why the row's recorded content does not match `m`'s file, or undefined when it does. */
function contentMismatch(ledger: AppliedLedger, row: LedgerRow, m: Migration): string | undefined {
  if (ledger.kind === 'atoms-test') {
    if (row.checksum === m.checksum) return undefined
    return `changed after it was applied: ${ledger.table} records checksum ${short(row.checksum ?? '')}, the file has ${short(m.checksum)}`
  }
  if (row.checksum === null) {
    return (
      `applied, but ${ledger.table} records no statements for it, so its content cannot be checked; ` +
      `record them with \`supabase migration repair --status applied ${m.version}\``
    )
  }
  const file = contentHash(m.sql)
  if (row.checksum === file) return undefined
  return (
    `changed after it was applied: the statements ${ledger.table} records differ from the file, ` +
    `comments and whitespace aside (content hash ${short(row.checksum)} recorded, file has ${short(file)})`
  )
}

/**
 * Problems of the ledger against the files: a file not applied, applied with another content
 * (`changed`), applied under another name, or an applied row without a file. Each names the
 * ledger read.
 */
export function compareWithFiles(ledger: AppliedLedger, migrations: readonly Migration[]): MigrationProblem[] {
  const problems: MigrationProblem[] = []
  const rows = new Map(ledger.rows.map((row) => [row.version, row]))
  for (const m of migrations) {
    const row = rows.get(m.version)
    rows.delete(m.version)
    if (!row) {
      problems.push(problem('table', m.file, `not applied: ${ledger.table} has no row for it`))
      continue
    }
    // A CLI row without a name (older CLIs) cannot be renamed; the content check still applies.
    if (row.name !== null && row.name !== m.name) problems.push(problem('table', m.file, `applied under the name "${row.name}" in ${ledger.table}`))
    const mismatch = contentMismatch(ledger, row, m)
    if (mismatch) problems.push(problem('table', m.file, mismatch))
  }
  for (const row of rows.values()) {
    const file = row.name === null ? `${row.version}_<unnamed>.sql` : `${row.version}_${row.name}.sql`
    problems.push(problem('table', file, `applied per ${ledger.table}, but no migration file has its version`))
  }
  return problems
}
