import type { BackendInfo } from '../../../harness/backends/types.ts'
import type { Migration } from '../../../harness/db/index.ts'
import type { SqlExecutor } from '../../../harness/sql/index.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest'
import { MigrationRunner, createTestDatabase, loadMigrations } from '../../../harness/db/index.ts'
import { createPgExecutor } from '../../../harness/sql/index.ts'
import { openEngine } from '../../../harness/testing/index.ts'
import { compareWithFiles, readAppliedMigrations } from './appliedMigrations.ts'
import { MigrationsTableMissingError } from './errors.ts'
import { formatProblems } from './problems.ts'

const migrations = loadMigrations()
const versions = migrations.map((m) => m.version)

interface Database {
  db: SqlExecutor
  dispose(): Promise<void>
}

/**
 * PGlite always (in-process: fits every mode, dry has no network); the run's Postgres server as
 * well when the run has one (cold), each test file with a throw-away database of its own.
 */
function databases(): Array<[string, () => Promise<Database>]> {
  const info = inject('atomsBackend') as BackendInfo | undefined
  const list: Array<[string, () => Promise<Database>]> = [['pglite', () => openEngine('pglite', { migrate: false, bootstrap: false })]]
  const source = info?.source
  if (source?.kind === 'server') {
    list.push([
      `postgres (${source.provider})`,
      async () => {
        const database = await createTestDatabase({ url: source.adminUrl, prefix: 'atoms_ledger' })
        const db = createPgExecutor(database.url)
        return { db, dispose: () => db.close().finally(() => database.drop()) }
      },
    ])
  }
  return list
}

// The Supabase CLI's ledger as current CLIs create it.
const CLI_LEDGER = `create schema supabase_migrations;
create table supabase_migrations.schema_migrations (
  version text not null primary key, statements text[], name text, created_by text, idempotency_key text unique, rollback text[]
);`

// A naive split at every `;` that ends a line, plpgsql bodies included; the pieces keep their `;`
// and lose the whitespace around them, so only whitespace tells their concatenation from the file.
const naiveStatements = (sql: string) =>
  sql
    .split(/(?<=;)\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

async function record(db: SqlExecutor, m: Migration, statements = naiveStatements(m.sql)): Promise<void> {
  await db.query(
    `insert into supabase_migrations.schema_migrations (version, name, statements)
     select $1, $2, array(select jsonb_array_elements_text($3::jsonb))`,
    [m.version, m.name, JSON.stringify(statements)],
  )
}

/** Reads the ledger inside a read-only transaction: any write would fail the test. */
const readOnly = (db: SqlExecutor) =>
  db.transaction(async (tx) => {
    await tx.exec('set transaction read only')
    return readAppliedMigrations(tx)
  })

describe.each(databases())('readAppliedMigrations on %s', (_name, open) => {
  let database: Database
  let db: SqlExecutor

  beforeAll(async () => {
    database = await open()
    db = database.db
  })
  afterAll(() => database?.dispose())
  beforeEach(async () => {
    await db.exec('drop schema if exists supabase_migrations cascade; drop schema if exists atoms_test cascade;')
  })

  const cliLedgerOfTheFiles = async () => {
    await db.exec(CLI_LEDGER)
    for (const m of migrations) await record(db, m)
  }

  test('a Supabase CLI ledger recorded from the files is read and matches them', async () => {
    await cliLedgerOfTheFiles()
    const ledger = await readOnly(db)
    expect(ledger.kind).toBe('supabase-cli')
    expect(ledger.table).toBe('supabase_migrations.schema_migrations')
    expect(ledger.rows.map((r) => r.version)).toEqual(versions)
    expect(ledger.rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name))
    const problems = compareWithFiles(ledger, migrations)
    expect(problems, formatProblems(problems)).toEqual([])
  })

  test('statements edited after the push are one "changed" problem naming the file; comments added are none', async () => {
    await cliLedgerOfTheFiles()
    const [commented, edited] = [migrations[1]!, migrations[3]!]
    await db.query(`update supabase_migrations.schema_migrations set statements = array_prepend('-- pushed from CI', statements) where version = $1`, [
      commented.version,
    ])
    await db.query(`update supabase_migrations.schema_migrations set statements = array_append(statements, 'select 1') where version = $1`, [edited.version])
    const problems = compareWithFiles(await readOnly(db), migrations)
    expect(problems.map((p) => [p.check, p.migration])).toEqual([['table', edited.file]])
    expect(problems[0]!.message).toMatch(/^changed after it was applied: the statements supabase_migrations\.schema_migrations records differ from the file/)
  })

  test('a file without a row is "not applied"; a row without a file is named', async () => {
    await cliLedgerOfTheFiles()
    const missing = migrations[2]!
    await db.query(`delete from supabase_migrations.schema_migrations where version = $1`, [missing.version])
    await record(db, { ...missing, version: '20991231000000', name: 'extra', file: '20991231000000_extra.sql' })
    const problems = compareWithFiles(await readOnly(db), migrations)
    expect(problems.map((p) => [p.migration, p.message])).toEqual([
      [missing.file, 'not applied: supabase_migrations.schema_migrations has no row for it'],
      ['20991231000000_extra.sql', 'applied per supabase_migrations.schema_migrations, but no migration file has its version'],
    ])
  })

  test('an old CLI ledger with a version column only is read: each file is reported as unverifiable', async () => {
    await db.exec('create schema supabase_migrations; create table supabase_migrations.schema_migrations (version text not null primary key);')
    await db.query(`insert into supabase_migrations.schema_migrations (version) select unnest($1::text[])`, [`{${versions.join(',')}}`])
    const ledger = await readOnly(db)
    expect(ledger.rows.map((r) => [r.version, r.name, r.checksum])).toEqual(versions.map((v) => [v, null, null]))
    const problems = compareWithFiles(ledger, migrations)
    expect(problems.map((p) => p.migration)).toEqual(migrations.map((m) => m.file))
    expect(problems.every((p) => p.message.includes('records no statements for it'))).toBe(true)
  })

  test("the atoms-test runner's table wins when both ledgers exist", async () => {
    await cliLedgerOfTheFiles()
    await new MigrationRunner(db, migrations).init()
    const ledger = await readOnly(db)
    expect(ledger).toEqual({ kind: 'atoms-test', table: 'atoms_test.schema_migrations', rows: [] })
  })

  test('neither ledger is a MigrationsTableMissingError naming both tables', async () => {
    const error = await readOnly(db).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(MigrationsTableMissingError)
    expect((error as MigrationsTableMissingError).tables).toEqual(['atoms_test.schema_migrations', 'supabase_migrations.schema_migrations'])
    expect((error as Error).message).toMatch(/neither "atoms_test\.schema_migrations" .* nor "supabase_migrations\.schema_migrations"/)
    expect((error as Error).message).toContain('supabase db push')
  })
})
