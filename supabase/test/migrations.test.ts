/**
 * The migrations as a unit: they apply on an empty (bootstrapped) database, each rollback drops
 * exactly what its migration created, all rollbacks in reverse leave the catalog as it was, and
 * re-applying gives the same schema again. On PGlite and on the machine's Postgres.
 */
import type { SqlExecutor } from '../../harness/sql/index.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { MigrationRunner, loadMigrations } from '../../harness/db/index.ts'
import { ENGINES, openEngine } from '../../harness/testing/index.ts'
import { tables } from '../models/index.ts'
import { catalogSnapshot, snapshotDiff } from './test-utils.ts'

const migrations = loadMigrations()

describe.each(ENGINES)('Atoms migrations on %s', (engine) => {
  let db: SqlExecutor
  let dispose: () => Promise<void>
  let runner: MigrationRunner
  /** The catalog after applying the first i migrations (index 0: bootstrap only). */
  const snapshots: string[][] = []

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine(engine, { migrate: false }))
    runner = new MigrationRunner(db, migrations)
  })
  afterAll(() => dispose())

  test('every migration has a rollback of the same file name', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(8)
    for (const m of migrations) {
      expect(m.file).toMatch(/^\d{14}_[a-z_]+\.sql$/)
      expect(m.rollbackSql, `rollback of "${m.file}"`).toBeDefined()
    }
  })

  test('apply one by one on an empty database', async () => {
    snapshots.push(await catalogSnapshot(db))
    for (const m of migrations) {
      expect(await runner.migrate({ target: m.version })).toEqual([m.version])
      const after = await catalogSnapshot(db)
      // a migration that changed nothing would make the rollback checks below vacuous
      expect(after, `catalog after "${m.file}"`).not.toEqual(snapshots.at(-1))
      snapshots.push(after)
    }
    const { rows } = await db.query<{ name: string }>(
      `select c.relname as name from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1`,
    )
    expect(rows.map((r) => r.name)).toEqual(Object.keys(tables).sort())
    expect((await runner.status()).every((s) => s.state === 'applied')).toBe(true)
  })

  test('each rollback restores exactly the catalog before its migration', async () => {
    expect(snapshots).toHaveLength(migrations.length + 1)
    for (let i = migrations.length - 1; i >= 0; i--) {
      expect(await runner.rollback(1)).toEqual([migrations[i]!.version])
      const diff = snapshotDiff(snapshots[i]!, await catalogSnapshot(db))
      expect(diff, `after rolling back "${migrations[i]!.file}"`).toEqual({ removed: [], added: [] })
    }
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace`,
    )
    expect(rows[0]!.n).toBe(0)
  })

  test('re-applying everything yields the same schema as the first time', async () => {
    expect(await runner.migrate()).toEqual(migrations.map((m) => m.version))
    const diff = snapshotDiff(snapshots[migrations.length]!, await catalogSnapshot(db))
    expect(diff).toEqual({ removed: [], added: [] })
  })

  test('a full reset and re-apply works again with data in the tables', async () => {
    await db.query(`insert into auth.users (email) values ('reset@example.com')`)
    expect(await runner.reset()).toEqual(migrations.map((m) => m.version).reverse())
    expect(snapshotDiff(snapshots[0]!, await catalogSnapshot(db))).toEqual({ removed: [], added: [] })
    await runner.migrate()
    expect(snapshotDiff(snapshots[migrations.length]!, await catalogSnapshot(db))).toEqual({ removed: [], added: [] })
  })
})
