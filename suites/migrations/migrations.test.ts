/**
 * The migrations suite. On a fresh scratch database: every migration applies, each rollback
 * restores exactly the schema from before it, and re-applying rebuilds exactly the same schema.
 * On the run's database: the migrations table matches the files, migrate again is a no-op, a
 * tampered file is refused, and a failing migration leaves nothing behind.
 *
 * Hot runs only the table check, read-only, on `SUPABASE_DB_URL`: against
 * `atoms_test.schema_migrations` when the project has it (checksum of each file), else against
 * the Supabase CLI's `supabase_migrations.schema_migrations`, which `supabase db push` writes
 * (each file's statements, compared without comments and whitespace).
 *
 * Fault proofs: the round trip runs on a temporary copy of the migrations folder with one fault
 * seeded, and must fail naming the migration and the object. Only the migrations from just
 * before the fault are round-tripped (the earlier ones are applied unchecked: the main test
 * covers them), so the proofs stay fast.
 */
import type { Migration } from './lib/index.ts'
import { describe, expect, skipIn, test } from '../../fixtures/index.ts'
import {
  checkFailureIsAtomic,
  checkMigrateIsNoop,
  checkRoundTrip,
  checkTamperRefused,
  compareWithFiles,
  copyMigrations,
  formatProblems,
  loadMigrations,
  readAppliedMigrations,
  removeLine,
} from './lib/index.ts'

const migrations = loadMigrations()
const versions = migrations.map((m) => m.version)
// The round trip reads the catalog twice per migration; generous for a loaded CI machine.
const SLOW = { timeout: 120_000 }
const HOT = 'a live project is never migrated, rolled back or altered by the suite; hot only compares the migration ledger with the files'

describe('migrations', () => {
  test('up, down and up again: each rollback restores the schema before it, re-applying rebuilds it', SLOW, async ({ scratch }) => {
    const db = await scratch({ migrate: false })
    const report = await checkRoundTrip(db, migrations)
    expect(report.problems, formatProblems(report.problems)).toEqual([])
    expect(report.applied).toEqual(versions)
    expect(report.rolledBack).toEqual([...versions].reverse())
    expect(report.reapplied).toEqual(versions)
    const table = compareWithFiles(await readAppliedMigrations(db), migrations)
    expect(table, formatProblems(table)).toEqual([])
  })

  test('the migrations table matches the files: every file applied once, with its content', async ({ sql }) => {
    const applied = await readAppliedMigrations(sql)
    const problems = compareWithFiles(applied, migrations)
    expect(problems, formatProblems(problems)).toEqual([])
    expect(applied.rows.map((row) => row.version)).toEqual(versions)
  })

  test('running migrate on a migrated database applies and changes nothing', skipIn(['hot'], HOT), async ({ sql }) => {
    const problems = await checkMigrateIsNoop(sql, migrations)
    expect(problems, formatProblems(problems)).toEqual([])
  })

  test('a tampered applied migration is refused by migrate, rollback and verify', skipIn(['hot'], HOT), async ({ sql }) => {
    const problems = await checkTamperRefused(sql, migrations)
    expect(problems, formatProblems(problems)).toEqual([])
  })

  test('a migration that fails half-way leaves nothing of itself applied', skipIn(['hot'], HOT), async ({ sql }) => {
    const problems = await checkFailureIsAtomic(sql, migrations)
    expect(problems, formatProblems(problems)).toEqual([])
  })
})

/** The migration named `name` and the version just before it. */
function find(name: string): { target: Migration; before: string | undefined } {
  const index = migrations.findIndex((m) => m.name === name)
  if (index < 0) throw new Error(`No migration named "${name}"; update the fault proof to the current migrations.`)
  return { target: migrations[index]!, before: migrations[index - 1]?.version }
}

/** The problems as plain data: check, file, and each drift's kind, object, name and property. */
const summary = (problems: Awaited<ReturnType<typeof checkRoundTrip>>['problems']) =>
  problems.map((p) => ({ check: p.check, migration: p.migration, drifts: p.drifts.map((d) => [d.kind, d.object, d.name, d.property]) }))

// A function whose body stamps the moment the migration ran: every application differs.
const STAMP_SQL = `do $$
begin
  execute format(
    'create function public.atoms_schema_built_at() returns timestamptz language sql immutable set search_path = '''' as %L',
    format('select %L::timestamptz', clock_timestamp())
  );
end
$$;
`

describe('migrations fault proofs', () => {
  test('a rollback that forgets an object fails the round trip, naming the migration and the object', SLOW, async ({ scratch }) => {
    const { target, before } = find('rpc_functions')
    const copy = copyMigrations({ rollbacks: { [target.file]: removeLine(/^drop function public\.graph_node_label\(/) } })
    try {
      const report = await checkRoundTrip(await scratch({ migrate: false }), copy.migrations, { startAfter: before })
      expect(summary(report.problems), formatProblems(report.problems)).toEqual([
        { check: 'rollback', migration: target.file, drifts: [['unexpected', 'function', 'graph_node_label(text, uuid)', null]] },
      ])
    } finally {
      copy.dispose()
    }
  })

  test('a non-idempotent migration fails the round trip, naming it and what differs', SLOW, async ({ scratch }) => {
    const file = '29991231000000_schema_stamp.sql'
    const copy = copyMigrations({ add: [{ file, sql: STAMP_SQL, rollback: 'drop function public.atoms_schema_built_at();\n' }] })
    try {
      const report = await checkRoundTrip(await scratch({ migrate: false }), copy.migrations, { startAfter: migrations.at(-1)!.version })
      expect(summary(report.problems), formatProblems(report.problems)).toEqual([
        { check: 're-apply', migration: file, drifts: [['changed', 'function', 'atoms_schema_built_at()', 'bodyHash']] },
      ])
    } finally {
      copy.dispose()
    }
  })
})
