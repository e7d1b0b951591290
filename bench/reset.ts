/**
 * Resetting the database between tests, on both executors, from one run:
 *   (a) per-test rollback — an isolation unit (outer transaction, savepoint per request) rolled back,
 *   (b) a fresh database per test — `CREATE DATABASE … TEMPLATE` on the server, dump restore on PGlite,
 *   (c) re-running bootstrap + every migration on an empty database.
 * Only the reset is timed: each test first makes one small write (untimed), then the database is
 * brought back to its migrated state by the strategy under test.
 * Target: rollback <= 2 ms and >= 50x faster than a template clone.
 * Run: npx tsx bench/reset.ts
 */
import type { SqlExecutor } from '../harness/sql/index.ts'
import { readFileSync } from 'node:fs'
import { migratedDump, createMigratedTemplate, dropTemplate } from '../harness/backends/providers/index.ts'
import { MigrationRunner, applyBootstrap, createTestDatabase, loadMigrations, serverUrl } from '../harness/db/index.ts'
import { createPgExecutor, createPgliteExecutor } from '../harness/sql/index.ts'
import { median, ms, percentile } from './stats.ts'

const USER = { sub: '00000000-0000-0000-0000-000000000001', role: 'service_role' }

/** One small write, as a test body would make. */
async function write(db: SqlExecutor): Promise<void> {
  await db.asRole('service_role', USER, (tx) => tx.query(`select set_config('atoms.bench', 'x', true)`))
  await db.query(`insert into atoms_test.migration_history (version, action) values ('bench', 'apply')`)
}

/** Between two tests: roll the finished test's unit back and open the next one. */
async function rollbackSamples(db: SqlExecutor, count: number): Promise<number[]> {
  await db.beginUnit()
  const samples: number[] = []
  for (let i = 0; i < count + 3; i++) {
    await write(db)
    const start = performance.now()
    await db.endUnit()
    await db.beginUnit()
    if (i >= 3) samples.push(performance.now() - start)
  }
  await db.endUnit()
  return samples
}

/** Between two tests: throw the used database away and make a fresh one; the write is untimed. */
async function timedResets(count: number, fresh: () => Promise<{ db: SqlExecutor; dispose(): Promise<void> }>): Promise<number[]> {
  let current = await fresh()
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    await write(current.db)
    const start = performance.now()
    await current.dispose()
    current = await fresh()
    samples.push(performance.now() - start)
  }
  await current.dispose()
  return samples
}

function line(label: string, samples: number[]): void {
  console.log(`  ${label.padEnd(44)} median ${ms(median(samples)).padStart(9)} ms   p95 ${ms(percentile(samples, 95)).padStart(9)} ms   (n=${samples.length})`)
}

async function serverRun(): Promise<{ rollback: number; clone: number }> {
  const admin = serverUrl()
  const template = await createMigratedTemplate(admin)
  try {
    const database = await createTestDatabase({ url: admin, template })
    const db = createPgExecutor(database.url, { max: 2 })
    const rollback = await rollbackSamples(db, 200)
    await db.close()
    await database.drop()
    const clone = await timedResets(15, async () => {
      const fresh = await createTestDatabase({ url: admin, template })
      const conn = createPgExecutor(fresh.url, { max: 1 })
      await conn.query('select 1')
      return { db: conn, dispose: async () => (await conn.close(), await fresh.drop()) }
    })
    const migrate = await timedResets(4, async () => {
      const fresh = await createTestDatabase({ url: admin })
      const conn = createPgExecutor(fresh.url, { max: 1 })
      await applyBootstrap(conn)
      await new MigrationRunner(conn, loadMigrations()).migrate()
      return { db: conn, dispose: async () => (await conn.close(), await fresh.drop()) }
    })
    console.log('Postgres server (127.0.0.1:5432)')
    line('(a) per-test rollback', rollback)
    line('(b) fresh database from template', clone)
    line('(c) create + bootstrap + all migrations', migrate)
    return { rollback: median(rollback), clone: median(clone) }
  } finally {
    await dropTemplate(admin, template)
  }
}

async function pgliteRun(): Promise<{ rollback: number; restore: number }> {
  const dump = new Blob([readFileSync(await migratedDump())])
  const db = await createPgliteExecutor({ loadDataDir: dump })
  const rollback = await rollbackSamples(db, 200)
  await db.close()
  const restore = await timedResets(6, async () => {
    const fresh = await createPgliteExecutor({ loadDataDir: dump })
    return { db: fresh, dispose: () => fresh.close() }
  })
  const migrate = await timedResets(2, async () => {
    const fresh = await createPgliteExecutor()
    await applyBootstrap(fresh)
    await new MigrationRunner(fresh, loadMigrations()).migrate()
    return { db: fresh, dispose: () => fresh.close() }
  })
  console.log('PGlite (in-process)')
  line('(a) per-test rollback', rollback)
  line('(b) fresh database from a migrated dump', restore)
  line('(c) boot + bootstrap + all migrations', migrate)
  return { rollback: median(rollback), restore: median(restore) }
}

const server = await serverRun()
const lite = await pgliteRun()
console.log('Ratios (medians, this run)')
console.log(`  server: template clone / rollback = ${(server.clone / server.rollback).toFixed(0)}x`)
console.log(`  PGlite: dump restore / rollback   = ${(lite.restore / lite.rollback).toFixed(0)}x`)
const met = server.rollback <= 2 && lite.rollback <= 2 && server.clone / server.rollback >= 50
console.log(`Target: rollback <= 2 ms on both and >= 50x faster than a template clone -> ${met ? 'met' : 'NOT met'}`)
