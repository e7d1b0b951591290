import type { DatabaseProvider } from '../providers/index.ts'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { adminQuery, createTestDatabase, loadMigrations, serverUrl } from '../../db/index.ts'
import { createPgExecutor, createPgliteExecutor } from '../../sql/index.ts'
import { databaseUrlProvider, initdbProvider, pgliteProvider } from '../providers/index.ts'

const migrationCount = loadMigrations().length

/** Starts a server provider, clones its template once and counts the applied migrations there. */
async function cloneAndCount(provider: DatabaseProvider): Promise<{ applied: number; description: string; stopped: boolean }> {
  const source = await provider.start()
  try {
    if (source.info.kind !== 'server') throw new Error('expected a server source')
    const clone = await createTestDatabase({ url: source.info.adminUrl, template: source.info.template })
    const db = createPgExecutor(clone.url)
    try {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from atoms_test.schema_migrations')
      return { applied: rows[0]!.n, description: source.description, stopped: false }
    } finally {
      await db.close()
      await clone.drop()
    }
  } finally {
    await source.stop()
  }
}

describe('cold providers, for real', () => {
  test('initdb: a throw-away cluster with a migrated template, gone after stop', async () => {
    const { applied, description } = await cloneAndCount(initdbProvider())
    expect(applied).toBe(migrationCount)
    const port = /127\.0\.0\.1:(\d+)/.exec(description)![1]
    await expect(adminQuery(`postgres://postgres@127.0.0.1:${port}/postgres`, 'select 1')).rejects.toThrow(/No Postgres answers/)
  })

  test('DATABASE_URL: a migrated template on the existing server, dropped after stop', async () => {
    const url = serverUrl()
    const provider = databaseUrlProvider({ DATABASE_URL: url })
    const source = await provider.start()
    const template = source.info.kind === 'server' ? source.info.template : ''
    await source.stop()
    const { rows } = await adminQuery(url, `select count(*)::int as n from pg_database where datname = '${template}'`)
    expect(rows[0].n).toBe(0)
    expect((await cloneAndCount(provider)).applied).toBe(migrationCount)
  })

  test('PGlite: a migrated dump that restores, cached by schema', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'atoms-dump-'))
    const source = await pgliteProvider(cacheDir).start()
    if (source.info.kind !== 'pglite') throw new Error('expected a PGlite source')
    const { dumpPath } = source.info
    const db = await createPgliteExecutor({ loadDataDir: new Blob([readFileSync(dumpPath)]) })
    try {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from atoms_test.schema_migrations')
      expect(rows[0]!.n).toBe(migrationCount)
    } finally {
      await db.close()
      await source.stop()
    }
    // The second start finds the cached dump instead of migrating again.
    const again = await pgliteProvider(cacheDir).start()
    expect(again.info).toEqual(source.info)
    expect(existsSync(dumpPath)).toBe(true)
    rmSync(cacheDir, { recursive: true, force: true })
  })
})
