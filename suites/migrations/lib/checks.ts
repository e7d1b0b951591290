/**
 * The migrations checks that run on a fully migrated database: migrate again is a no-op, a
 * tampered applied file is refused by every runner entry point, and a migration that fails
 * half-way leaves nothing of itself behind. None of them changes the database when it passes.
 */
import type { Migration } from '../../../harness/db/index.ts'
import type { SqlExecutor, SqlSession } from '../../../harness/sql/index.ts'
import type { CatalogSnapshot } from '../../schema/lib/index.ts'
import type { AppliedLedger } from './ledger.ts'
import type { CopyOptions } from './migrationsCopy.ts'
import type { MigrationProblem } from './problems.ts'
import { MigrationRunner } from '../../../harness/db/index.ts'
import { diffSnapshots, readCatalogSql } from '../../schema/lib/index.ts'
import { compareWithFiles, readAppliedMigrations } from './appliedMigrations.ts'
import { appendText, copyMigrations } from './migrationsCopy.ts'
import { errorProblem, problem } from './problems.ts'
import { ROUND_TRIP_SCHEMAS } from './roundTrip.ts'

/** Options shared by the checks. */
export interface CheckOptions {
  /** Schemas compared before/after (default `public` and `auth`). */
  schemas?: readonly string[]
  /** Migration folders to start from (default the project's). */
  from?: CopyOptions['from']
}

interface DatabaseState {
  catalog: CatalogSnapshot
  applied: AppliedLedger
  history: number
}

async function state(db: SqlExecutor, schemas: readonly string[]): Promise<DatabaseState> {
  return {
    catalog: await readCatalogSql(db, { schemas }),
    applied: await readAppliedMigrations(db),
    history: await historyCount(db),
  }
}

async function historyCount(session: SqlSession): Promise<number> {
  const { rows } = await session.query<{ n: number }>(`select count(*)::integer as n from atoms_test.migration_history`)
  return rows[0]?.n ?? 0
}

/** Problems when `after` differs from `before` in catalog, migrations table or history. */
function unchanged(check: MigrationProblem['check'], file: string | null, before: DatabaseState, after: DatabaseState): MigrationProblem[] {
  const problems: MigrationProblem[] = []
  const drifts = diffSnapshots(before.catalog, after.catalog)
  if (drifts.length > 0) problems.push(problem(check, file, `the schema changed (${drifts.length} difference(s))`, drifts))
  if (JSON.stringify(before.applied) !== JSON.stringify(after.applied)) {
    problems.push(problem(check, file, `the migrations table changed: ${JSON.stringify(before.applied.rows.map((r) => r.version))} -> ${JSON.stringify(after.applied.rows.map((r) => r.version))}`))
  }
  if (before.history !== after.history) problems.push(problem(check, file, `the migration history grew by ${after.history - before.history} row(s)`))
  return problems
}

/** Every migration must be applied, with matching files, before these checks mean anything. */
async function precondition(db: SqlExecutor, migrations: readonly Migration[], check: MigrationProblem['check']): Promise<MigrationProblem[]> {
  const mismatches = compareWithFiles(await readAppliedMigrations(db), migrations)
  return mismatches.map((m) => problem(check, m.migration, `precondition: ${m.message}`))
}

/** `migrate()` on a fully migrated database applies nothing and changes nothing. */
export async function checkMigrateIsNoop(db: SqlExecutor, migrations: readonly Migration[], options: CheckOptions = {}): Promise<MigrationProblem[]> {
  const schemas = options.schemas ?? ROUND_TRIP_SCHEMAS
  const pre = await precondition(db, migrations, 'no-op')
  if (pre.length > 0) return pre
  const before = await state(db, schemas)
  const problems: MigrationProblem[] = []
  try {
    const done = await new MigrationRunner(db, [...migrations]).migrate()
    for (const version of done) {
      const file = migrations.find((m) => m.version === version)?.file ?? version
      problems.push(problem('no-op', file, 'migrate() applied it again although it was applied'))
    }
  } catch (error) {
    return [errorProblem('no-op', null, 'migrate() on a migrated database', error)]
  }
  return [...problems, ...unchanged('no-op', null, before, await state(db, schemas))]
}

/**
 * Changes one applied migration's file in a temporary copy (default: the newest) and expects
 * `migrate()`, `rollback()` and `verify()` each to refuse with a checksum error naming it.
 */
export async function checkTamperRefused(
  db: SqlExecutor,
  migrations: readonly Migration[],
  options: CheckOptions & { file?: string } = {},
): Promise<MigrationProblem[]> {
  const schemas = options.schemas ?? ROUND_TRIP_SCHEMAS
  const pre = await precondition(db, migrations, 'tamper')
  if (pre.length > 0) return pre
  const file = options.file ?? migrations.at(-1)?.file
  if (!file) return [problem('tamper', null, 'there is no migration to tamper with')]
  const copy = copyMigrations({ from: options.from, migrations: { [file]: appendText('-- changed after it was applied') } })
  try {
    const before = await state(db, schemas)
    const runner = new MigrationRunner(db, copy.migrations)
    const problems: MigrationProblem[] = []
    const entryPoints: Array<[string, () => Promise<unknown>]> = [
      ['migrate()', () => runner.migrate()],
      ['rollback(1)', () => runner.rollback(1)],
      ['verify()', () => runner.verify()],
    ]
    for (const [what, run] of entryPoints) {
      try {
        await run()
        problems.push(problem('tamper', file, `${what} accepted the changed file`))
      } catch (error) {
        const e = error as { code?: unknown; file?: unknown; name?: unknown; message?: unknown }
        if (e.code !== 'MIGRATION_CHECKSUM' || e.file !== file) {
          problems.push(problem('tamper', file, `${what} failed with ${String(e.name)} (${String(e.message)}) instead of a checksum error naming the file`))
        }
      }
    }
    return [...problems, ...unchanged('tamper', file, before, await state(db, schemas))]
  } finally {
    copy.dispose()
  }
}

/** The version of the failing migration `checkFailureIsAtomic` adds (after every real one). */
export const HALF_WAY_VERSION = '99991231235959'

/** A migration that creates a table, a type and a column, writes a row, then fails. */
export const HALF_WAY_SQL = `create table public.atoms_half_done (id integer primary key);
insert into public.atoms_half_done (id) values (1);
create type public.atoms_half_done_kind as enum ('started');
alter table public.projects add column atoms_half_done integer;
select 1 / 0;
`

/** Adds a migration that fails half-way and expects it to leave nothing of itself behind. */
export async function checkFailureIsAtomic(db: SqlExecutor, migrations: readonly Migration[], options: CheckOptions = {}): Promise<MigrationProblem[]> {
  const schemas = options.schemas ?? ROUND_TRIP_SCHEMAS
  const pre = await precondition(db, migrations, 'atomic')
  if (pre.length > 0) return pre
  const file = `${HALF_WAY_VERSION}_fails_half_way.sql`
  const copy = copyMigrations({
    from: options.from,
    add: [{ file, sql: HALF_WAY_SQL, rollback: 'drop table public.atoms_half_done;\n' }],
  })
  try {
    const before = await state(db, schemas)
    const problems: MigrationProblem[] = []
    try {
      await new MigrationRunner(db, copy.migrations).migrate()
      problems.push(problem('atomic', file, 'migrate() succeeded although the migration divides by zero'))
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (code !== '22012') problems.push(errorProblem('atomic', file, 'migrate() failed, but not at the division by zero', error))
    }
    return [...problems, ...unchanged('atomic', file, before, await state(db, schemas))]
  } finally {
    copy.dispose()
  }
}
