/**
 * Resetting the database between tests, on both executors, from one run:
 *   (a) per-test rollback — an isolation unit (outer transaction, savepoint per request) rolled back,
 *   (b) a fresh database per test — `CREATE DATABASE … TEMPLATE` on the server, dump restore on PGlite,
 *   (c) re-running bootstrap + every migration on an empty database.
 * Each reset is measured around one small write, as a test would make.
 * Target: rollback <= 2 ms and >= 50x faster than a template clone.
 * Run: npx tsx bench/reset.ts
 */
import type { SqlExecutor } from '../harness/sql/index.ts'
import { readFileSync } from 'node:fs'
import { migratedDump, createMigratedTemplate, dropTemplate } from '../harness/backends/providers/index.ts'
import { MigrationRunner, applyBootstrap, createTestDatabase, loadMigrations, serverUrl } from '../harness/db/index.ts'
import { createPgExecutor, createPgliteExecutor } from '../harness/sql/index.ts'
import { median, ms, percentile, sample } from './stats.ts'

const USER = { sub: '00000000-0000-0000-0000-000000000001', role: 'service_role' }

/** One small write, as a test body would make. */
async function write(db: SqlExecutor): Promise<void> {
  await db.asRole('service_role', USER, (tx) => tx.query(`select set_config('atoms.bench', 'x', true)`))
  await db.query(`insert into atoms_test.migration_history (version, action) values ('bench', 'apply')`)
}

async function rollbackSamples(db: SqlExecutor, count: number): Promise<number[]> {
  return sample(count, async () => {
    await db.beginUnit()
    await write(db)
    await db.endUnit()
  })
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
    const clone = await sample(15, async () => {
      const fresh = await createTestDatabase({ url: admin, template })
      const conn = createPgExecutor(fresh.url, { max: 1 })
      await write(conn)
      await conn.close()
      await fresh.drop()
    }, 1)
    const migrate = await sample(4, async () => {
      const fresh = await createTestDatabase({ url: admin })
      const conn = createPgExecutor(fresh.url, { max: 1 })
      await applyBootstrap(conn)
      await new MigrationRunner(conn, loadMigrations()).migrate()
      await write(conn)
      await conn.close()
      await fresh.drop()
    }, 1)
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
  const restore = await sample(6, async () => {
    const fresh = await createPgliteExecutor({ loadDataDir: dump })
    await write(fresh)
    await fresh.close()
  }, 1)
  const migrate = await sample(2, async () => {
    const fresh = await createPgliteExecutor()
    await applyBootstrap(fresh)
    await new MigrationRunner(fresh, loadMigrations()).migrate()
    await write(fresh)
    await fresh.close()
  }, 0)
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
