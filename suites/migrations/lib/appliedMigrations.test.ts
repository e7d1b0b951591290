import type { Migration } from '../../../harness/db/index.ts'
import type { AppliedLedger, LedgerRow } from './ledger.ts'
import { describe, expect, test } from 'vitest'
import { checksumOf } from '../../../harness/db/index.ts'
import { compareWithFiles } from './appliedMigrations.ts'
import { ATOMS_TEST_LEDGER, SUPABASE_CLI_LEDGER } from './ledger.ts'
import { formatProblem } from './problems.ts'
import { contentHash, statementsHash } from './sqlContent.ts'

const file = (version: string, name: string, sql = `create table ${name} (id int);\n`): Migration => ({
  version,
  name,
  file: `${version}_${name}.sql`,
  sql,
  checksum: checksumOf(sql),
})
const row = (m: Migration, extra: Partial<LedgerRow> = {}): LedgerRow => ({
  version: m.version,
  name: m.name,
  checksum: m.checksum,
  applied_at: '2030-01-01 00:00:00+00',
  ...extra,
})
const ours = (rows: LedgerRow[]): AppliedLedger => ({ kind: 'atoms-test', table: ATOMS_TEST_LEDGER, rows })
const cli = (rows: LedgerRow[]): AppliedLedger => ({ kind: 'supabase-cli', table: SUPABASE_CLI_LEDGER, rows })
// A CLI row: the file's statements as the CLI stores them (trimmed, without their semicolons).
const cliRow = (m: Migration, extra: Partial<LedgerRow> = {}): LedgerRow =>
  row(m, { checksum: statementsHash(m.sql.split(';').map((s) => s.trim())), applied_at: null, ...extra })

const a = file('20250101000000', 'enums')
const b = file('20250101000100', 'tables')
const c = file('20250101000200', 'policies')

describe('compareWithFiles on the atoms-test ledger', () => {
  test('a table with one row per file, same names and checksums, has no problem', () => {
    expect(compareWithFiles(ours([row(a), row(b), row(c)]), [a, b, c])).toEqual([])
  })

  test('names a pending file, a changed file, a renamed one and a row without a file, and the table read', () => {
    const problems = compareWithFiles(
      ours([row(a, { checksum: checksumOf('-- other text') }), row(b, { name: 'old_tables' }), row(file('20240101000000', 'gone'))]),
      [a, b, c],
    )
    expect(problems.map(formatProblem)).toEqual([
      `[table] "20250101000000_enums.sql": changed after it was applied: atoms_test.schema_migrations records checksum ${checksumOf('-- other text').slice(0, 12)}…, the file has ${a.checksum.slice(0, 12)}…`,
      '[table] "20250101000100_tables.sql": applied under the name "old_tables" in atoms_test.schema_migrations',
      '[table] "20250101000200_policies.sql": not applied: atoms_test.schema_migrations has no row for it',
      '[table] "20240101000000_gone.sql": applied per atoms_test.schema_migrations, but no migration file has its version',
    ])
  })

  test('a comment added to a file is a change for our ledger, which records the exact text', () => {
    const edited = file(a.version, a.name, `${a.sql}-- reviewed\n`)
    expect(compareWithFiles(ours([row(a)]), [edited]).map((p) => p.message)).toEqual([expect.stringMatching(/^changed after it was applied: /)])
  })
})

describe('compareWithFiles on the Supabase CLI ledger', () => {
  test('rows whose statements match the files, comments and whitespace aside, have no problem', () => {
    const reformatted = file(b.version, b.name, `-- the tables\ncreate table   tables (\n  id int\n);\n`)
    expect(compareWithFiles(cli([cliRow(a), cliRow(b), cliRow(c)]), [a, reformatted, c])).toEqual([])
  })

  test('names a changed file, a renamed one, a pending one and a row without a file, and the table read', () => {
    const changed = statementsHash(['create table enums (id bigint)'])
    const problems = compareWithFiles(cli([cliRow(a, { checksum: changed }), cliRow(b, { name: 'old_tables' }), cliRow(file('20240101000000', 'gone'))]), [a, b, c])
    expect(problems.map(formatProblem)).toEqual([
      '[table] "20250101000000_enums.sql": changed after it was applied: the statements supabase_migrations.schema_migrations records differ ' +
        `from the file, comments and whitespace aside (content hash ${changed.slice(0, 12)}… recorded, file has ${contentHash(a.sql).slice(0, 12)}…)`,
      '[table] "20250101000100_tables.sql": applied under the name "old_tables" in supabase_migrations.schema_migrations',
      '[table] "20250101000200_policies.sql": not applied: supabase_migrations.schema_migrations has no row for it',
      '[table] "20240101000000_gone.sql": applied per supabase_migrations.schema_migrations, but no migration file has its version',
    ])
  })

  test('a row without a name is compared by content only; one without statements is reported, not passed', () => {
    const problems = compareWithFiles(cli([cliRow(a, { name: null }), cliRow(b, { checksum: null }), cliRow(file('20240101000000', 'gone'), { name: null })]), [a, b])
    expect(problems.map(formatProblem)).toEqual([
      '[table] "20250101000100_tables.sql": applied, but supabase_migrations.schema_migrations records no statements for it, so its content ' +
        'cannot be checked; record them with `supabase migration repair --status applied 20250101000100`',
      '[table] "20240101000000_<unnamed>.sql": applied per supabase_migrations.schema_migrations, but no migration file has its version',
    ])
  })
})
