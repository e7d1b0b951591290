/**
 * Fault proofs of the migrations suite: the round-trip check runs on a temporary copy of the
 * migrations folder with one fault seeded, and must fail naming the migration and the object.
 * Only the migrations from just before the fault are round-tripped, the earlier ones are applied
 * unchecked: the main suite covers them, and the proof stays fast.
 */
import type { Migration } from './lib/index.ts'
import { describe, expect, test } from '../../fixtures/index.ts'
import { checkRoundTrip, copyMigrations, formatProblems, loadMigrations, removeLine } from './lib/index.ts'

const migrations = loadMigrations()
const SLOW = { timeout: 120_000 }

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
