/**
 * The round trip on a fresh database: apply the migrations one at a time (recording the catalog
 * after each), roll each back in turn (each must restore exactly the catalog from before it),
 * then apply them all again (the result must equal the first time). The first problem stops the
 * trip and names the migration, the step and every catalog difference.
 *
 * @note The re-apply step compares only the end result; when it differs, the trip rolls the
 * window back and re-applies one migration at a time to name the one that differs. A passing
 * trip thus costs two catalog reads per migration, a failing one up to three.
 */
import type { Migration } from '../../../harness/db/index.ts'
import type { SqlExecutor } from '../../../harness/sql/index.ts'
import type { CatalogSnapshot } from '../../schema/lib/index.ts'
import type { MigrationProblem } from './problems.ts'
import { MigrationRunner } from '../../../harness/db/index.ts'
import { diffSnapshots, readCatalogSql } from '../../schema/lib/index.ts'
import { errorProblem, problem } from './problems.ts'

/** The schemas compared: `auth` too, since migrations put triggers on `auth.users`. */
export const ROUND_TRIP_SCHEMAS: readonly string[] = ['public', 'auth']

/** Options of the round trip. */
export interface RoundTripOptions {
  /** Schemas to compare (default `public` and `auth`). */
  schemas?: readonly string[]
  /**
   * Apply the migrations up to this version (inclusive) first, unchecked, and run the trip on
   * the later ones only. Default: run it on all of them.
   */
  startAfter?: string
}

/** What the round trip did. */
export interface RoundTripReport {
  /** Empty when every step held. */
  problems: MigrationProblem[]
  /** Versions applied on the way up, rolled back, and applied again. */
  applied: string[]
  rolledBack: string[]
  reapplied: string[]
  /** Catalog reads made. */
  snapshots: number
}

/**
 * Runs the round trip on `db`, which must have no migration applied yet (a bootstrapped
 * scratch database). Leaves every migration applied when all went well.
 */
export async function checkRoundTrip(db: SqlExecutor, migrations: readonly Migration[], options: RoundTripOptions = {}): Promise<RoundTripReport> {
  const schemas = options.schemas ?? ROUND_TRIP_SCHEMAS
  const runner = new MigrationRunner(db, [...migrations])
  const report: RoundTripReport = { problems: [], applied: [], rolledBack: [], reapplied: [], snapshots: 0 }
  const stop = (p: MigrationProblem) => {
    report.problems.push(p)
    return report
  }
  const snapshot = () => {
    report.snapshots++
    return readCatalogSql(db, { schemas })
  }
  // Applies exactly `m`; a problem when it fails or applies anything else.
  const applyOne = async (m: Migration, check: 'apply' | 're-apply'): Promise<MigrationProblem | undefined> => {
    try {
      const done = await runner.migrate({ target: m.version })
      if (done.join() !== m.version) return problem(check, m.file, `migrate() applied [${done.join(', ')}] instead of it alone`)
    } catch (error) {
      return errorProblem(check, m.file, check === 'apply' ? 'applying it' : 're-applying it after its rollback', error)
    }
    return undefined
  }
  const rollbackOne = async (m: Migration): Promise<MigrationProblem | undefined> => {
    try {
      const done = await runner.rollback(1)
      if (done.join() !== m.version) return problem('rollback', m.file, `rollback(1) rolled back [${done.join(', ')}] instead of it`)
    } catch (error) {
      return errorProblem('rollback', m.file, 'rolling it back', error)
    }
    return undefined
  }

  await runner.init()
  const already = await runner.applied()
  if (already.length > 0) {
    return stop(problem('fresh', null, `the database already has ${already.length} migration(s) applied; run the round trip on a fresh database`))
  }
  // The migrations before the window go in one call; the first one left unapplied failed.
  const firstUnapplied = async (among: readonly Migration[]) => {
    const applied = new Set((await runner.applied()).map((row) => row.version))
    return among.find((m) => !applied.has(m.version))?.file ?? null
  }
  const start = options.startAfter
  if (start !== undefined) {
    try {
      await runner.migrate({ target: start })
    } catch (error) {
      return stop(errorProblem('apply', await firstUnapplied(migrations.filter((m) => m.version <= start)), 'applying it', error))
    }
  }
  const window = migrations.filter((m) => start === undefined || m.version > start)

  // states[i]: the catalog with the first i migrations of the window applied.
  const states: CatalogSnapshot[] = [await snapshot()]
  for (const m of window) {
    const failed = await applyOne(m, 'apply')
    if (failed) return stop(failed)
    report.applied.push(m.version)
    states.push(await snapshot())
  }

  for (let i = window.length - 1; i >= 0; i--) {
    const m = window[i]!
    const failed = await rollbackOne(m)
    if (failed) return stop(failed)
    report.rolledBack.push(m.version)
    const drifts = diffSnapshots(states[i]!, await snapshot())
    if (drifts.length > 0) {
      return stop(problem('rollback', m.file, `its rollback does not restore the schema from before it (${drifts.length} difference(s))`, drifts))
    }
  }

  // One call re-applies the whole window (a transaction each); on failure, the first window
  // migration without a row in the migrations table is the one that failed.
  try {
    report.reapplied.push(...(await runner.migrate()))
  } catch (error) {
    return stop(errorProblem('re-apply', await firstUnapplied(window), 're-applying it after its rollback', error))
  }
  if (report.reapplied.join() !== window.map((m) => m.version).join()) {
    return stop(problem('re-apply', null, `migrate() re-applied [${report.reapplied.join(', ')}] instead of the whole window`))
  }
  const drifts = diffSnapshots(states[window.length]!, await snapshot())
  if (drifts.length === 0) return report
  if (window.length === 1) {
    const only = window[0]!
    return stop(problem('re-apply', only.file, `re-applying it after its rollback gives another schema than the first time (${drifts.length} difference(s))`, drifts))
  }
  return stop(await localize(window, states, drifts, { rollbackOne, applyOne, snapshot }))
}

interface Steps {
  rollbackOne(m: Migration): Promise<MigrationProblem | undefined>
  applyOne(m: Migration, check: 're-apply'): Promise<MigrationProblem | undefined>
  snapshot(): Promise<CatalogSnapshot>
}

/** Names the migration whose re-application differs: back to the start, then one at a time. */
async function localize(window: readonly Migration[], states: CatalogSnapshot[], overall: ReturnType<typeof diffSnapshots>, steps: Steps): Promise<MigrationProblem> {
  const unlocalized = (why: string) =>
    problem('re-apply', null, `re-applying the migrations gives another schema than the first time (${overall.length} difference(s)); ${why}`, overall)
  for (let i = window.length - 1; i >= 0; i--) {
    if (await steps.rollbackOne(window[i]!)) return unlocalized(`rolling "${window[i]!.file}" back again failed, so the migration to blame is unknown`)
  }
  if (diffSnapshots(states[0]!, await steps.snapshot()).length > 0) return unlocalized('the rollbacks do not undo it, so the migration to blame is unknown')
  for (let i = 0; i < window.length; i++) {
    const m = window[i]!
    const failed = await steps.applyOne(m, 're-apply')
    if (failed) return failed
    const drifts = diffSnapshots(states[i + 1]!, await steps.snapshot())
    if (drifts.length > 0) {
      return problem('re-apply', m.file, `re-applying it after its rollback gives another schema than the first time (${drifts.length} difference(s))`, drifts)
    }
  }
  return unlocalized('applied one at a time they agree, so the difference depends on the order of a whole run')
}
