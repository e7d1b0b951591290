/**
 * The migrations suite. On a fresh scratch database: every migration applies, each rollback
 * restores exactly the schema from before it, and re-applying rebuilds exactly the same schema.
 * On the run's database: the migrations table matches the files (the one check hot runs), migrate
 * again is a no-op, a tampered file is refused, and a failing migration leaves nothing behind.
 */
import { describe, expect, skipIn, test } from '../../fixtures/index.ts'
import {
  checkFailureIsAtomic,
  checkMigrateIsNoop,
  checkRoundTrip,
  checkTamperRefused,
  compareWithFiles,
  formatProblems,
  loadMigrations,
  readAppliedMigrations,
} from './lib/index.ts'

const migrations = loadMigrations()
const versions = migrations.map((m) => m.version)
// The round trip reads the catalog twice per migration; generous for a loaded CI machine.
const SLOW = { timeout: 120_000 }
const HOT = 'a live project is never migrated, rolled back or altered by the suite; hot checks status and checksums only'

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

  test('the migrations table matches the files: every file applied once, with its checksum', async ({ sql }) => {
    const applied = await readAppliedMigrations(sql)
    const problems = compareWithFiles(applied, migrations)
    expect(problems, formatProblems(problems)).toEqual([])
    expect(applied.map((row) => row.version)).toEqual(versions)
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
