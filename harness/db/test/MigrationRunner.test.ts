import type { SqlExecutor } from '../../sql/index.ts'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { MigrationChecksumError, MigrationRunner, MissingMigrationError, MissingRollbackError, loadMigrations } from '../index.ts'
import { ENGINES, openEngine } from '../../testing/index.ts'

/** Writes a migrations folder (and rollbacks) into a temp dir. */
function migrationsFolder(files: Record<string, { up: string; down?: string }>) {
  const root = mkdtempSync(join(tmpdir(), 'atoms-migrations-'))
  mkdirSync(join(root, 'migrations'))
  mkdirSync(join(root, 'rollbacks'))
  for (const [file, { up, down }] of Object.entries(files)) {
    writeFileSync(join(root, 'migrations', file), up)
    if (down !== undefined) writeFileSync(join(root, 'rollbacks', file), down)
  }
  return {
    load: () => loadMigrations(join(root, 'migrations'), join(root, 'rollbacks')),
    write: (file: string, sql: string) => writeFileSync(join(root, 'migrations', file), sql),
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}

const THREE = {
  '20260101000001_alpha.sql': { up: 'create table alpha (id int primary key);', down: 'drop table alpha;' },
  '20260101000002_beta.sql': { up: 'create table beta (id int primary key references alpha);', down: 'drop table beta;' },
  '20260101000003_gamma.sql': { up: 'create table gamma (id int primary key);', down: 'drop table gamma;' },
}

async function tables(db: SqlExecutor): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
  )
  return rows.map((r) => r.name)
}

describe.each(ENGINES)('MigrationRunner on %s', (engine) => {
  let db: SqlExecutor
  let dispose: () => Promise<void>
  const folders: { remove(): void }[] = []

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine(engine, { migrate: false, bootstrap: false }))
  })
  afterEach(async () => {
    await db.exec('drop schema if exists atoms_test cascade; drop table if exists beta, alpha, gamma, broken cascade;')
    folders.splice(0).forEach((f) => f.remove())
  })
  afterAll(() => dispose())

  const folder = (files: Parameters<typeof migrationsFolder>[0]) => {
    const f = migrationsFolder(files)
    folders.push(f)
    return f
  }

  test('applies in version order, records checksums, and a second run is a no-op', async () => {
    const runner = new MigrationRunner(db, folder(THREE).load())
    expect(await runner.migrate()).toEqual(['20260101000001', '20260101000002', '20260101000003'])
    expect(await runner.migrate()).toEqual([])
    expect(await tables(db)).toEqual(['alpha', 'beta', 'gamma'])
    const applied = await runner.applied()
    expect(applied.map((a) => a.name)).toEqual(['alpha', 'beta', 'gamma'])
    expect(applied.every((a) => /^[0-9a-f]{64}$/.test(a.checksum))).toBe(true)
  })

  test('migrates up to a target and reports the rest pending', async () => {
    const runner = new MigrationRunner(db, folder(THREE).load())
    await runner.migrate({ target: '20260101000002' })
    const status = await runner.status()
    expect(status.map((s) => [s.name, s.state])).toEqual([
      ['alpha', 'applied'],
      ['beta', 'applied'],
      ['gamma', 'pending'],
    ])
  })

  test('rolls back newest first and re-applies', async () => {
    const runner = new MigrationRunner(db, folder(THREE).load())
    await runner.migrate()
    expect(await runner.rollback(2)).toEqual(['20260101000003', '20260101000002'])
    expect(await tables(db)).toEqual(['alpha'])
    expect(await runner.reset()).toEqual(['20260101000001'])
    expect(await tables(db)).toEqual([])
    expect(await runner.migrate()).toHaveLength(3)
  })

  test('a failing migration leaves nothing of itself and stops the later ones', async () => {
    const runner = new MigrationRunner(
      db,
      folder({
        ...THREE,
        '20260101000002_beta.sql': { up: 'create table broken (id int); select 1/0;', down: 'drop table broken;' },
      }).load(),
    )
    await expect(runner.migrate()).rejects.toMatchObject({ code: '22012' })
    expect(await tables(db)).toEqual(['alpha'])
    expect((await runner.applied()).map((a) => a.name)).toEqual(['alpha'])
  })

  test('refuses to go on when an applied file changed, naming it', async () => {
    const f = folder(THREE)
    await new MigrationRunner(db, f.load()).migrate()
    f.write('20260101000002_beta.sql', 'create table beta (id bigint primary key);')
    const runner = new MigrationRunner(db, f.load())
    const error = await runner.migrate().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationChecksumError)
    expect((error as Error).message).toContain('"20260101000002_beta.sql"')
    await expect(runner.rollback(1)).rejects.toBeInstanceOf(MigrationChecksumError)
    expect((await runner.status()).find((s) => s.name === 'beta')?.state).toBe('changed')
  })

  test('refuses when an applied migration file is missing', async () => {
    await new MigrationRunner(db, folder(THREE).load()).migrate()
    const { ['20260101000003_gamma.sql']: _gone, ...rest } = THREE
    await expect(new MigrationRunner(db, folder(rest).load()).migrate()).rejects.toBeInstanceOf(MissingMigrationError)
  })

  test('a migration without a rollback file cannot be rolled back', async () => {
    const runner = new MigrationRunner(db, folder({ '20260101000001_alpha.sql': { up: THREE['20260101000001_alpha.sql'].up } }).load())
    await runner.migrate()
    await expect(runner.rollback(1)).rejects.toBeInstanceOf(MissingRollbackError)
    expect(await tables(db)).toEqual(['alpha'])
  })

  test('concurrent migrate() calls run each body once', async () => {
    const runners = [0, 1, 2].map(() => new MigrationRunner(db, folder(THREE).load()))
    await runners[0]!.init()
    const results = await Promise.all(runners.map((r) => r.migrate()))
    expect(results.flat().sort()).toEqual(['20260101000001', '20260101000002', '20260101000003'])
  })
})
