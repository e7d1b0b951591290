/**
 * Cold provider (4) and dry mode's database: embedded PGlite. Booting and migrating takes
 * seconds, so the migrated data directory is dumped once and each test file restores the dump.
 * The dump is cached under `node_modules/.cache/atoms-test/`, keyed by the bootstrap, every
 * migration and the PGlite version, so an unchanged schema is never migrated twice.
 */
import type { DatabaseProvider } from './types.ts'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { MigrationRunner, applyBootstrap, bootstrapSql, loadMigrations, projectRoot } from '../../db/index.ts'
import { createPgliteExecutor } from '../../sql/index.ts'

/** What a cached dump holds: an empty cluster, the Supabase bootstrap, or bootstrap + every migration. */
export type DumpContent = 'empty' | 'bootstrap' | 'migrated'

/** Boots PGlite, applies what `content` names, and writes the dump to `path`. */
export async function writeMigratedDump(path: string, content: DumpContent = 'migrated'): Promise<void> {
  const db = await createPgliteExecutor()
  try {
    if (content !== 'empty') await applyBootstrap(db)
    if (content === 'migrated') await new MigrationRunner(db, loadMigrations()).migrate()
    const dump = await db.dump()
    // Write then rename, so a reader in another process never sees half a file.
    const partial = `${path}.${process.pid}.partial`
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    renameSync(partial, path)
  } finally {
    await db.close()
  }
}

/** The cache key: what the migrated database is made of. */
function schemaKey(): string {
  const hash = createHash('sha256').update(bootstrapSql())
  for (const m of loadMigrations()) hash.update(m.file).update(m.checksum)
  const pglite = JSON.parse(readFileSync(join(projectRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'))
  hash.update(String(pglite.version))
  return hash.digest('hex').slice(0, 16)
}

const DEFAULT_CACHE_DIR = join(projectRoot, 'node_modules/.cache/atoms-test')

/** The path of a cached dump holding `content` for the current schema, made on first use. */
export async function cachedDump(content: DumpContent, cacheDir = DEFAULT_CACHE_DIR): Promise<string> {
  mkdirSync(cacheDir, { recursive: true })
  const path = join(cacheDir, `pglite-${content}-${schemaKey()}.tar`)
  if (!existsSync(path)) await writeMigratedDump(path, content)
  return path
}

/** The path of a migrated dump for the current schema, made on first use. */
export const migratedDump = (cacheDir?: string): Promise<string> => cachedDump('migrated', cacheDir)

/** The path of a dump with the bootstrap only (no migrations), for scratch databases. */
export const bootstrappedDump = (cacheDir?: string): Promise<string> => cachedDump('bootstrap', cacheDir)

export function pgliteProvider(cacheDir?: string): DatabaseProvider {
  return {
    name: 'pglite',
    async probe() {
      // In-process WASM: always available.
      return { ok: true }
    },
    async start() {
      const dumpPath = await migratedDump(cacheDir)
      return {
        info: { kind: 'pglite', provider: 'pglite', dumpPath },
        description: 'embedded PGlite (each test file restores a migrated dump)',
        // The dump is a cache shared by later runs; nothing else was started.
        stop: async () => undefined,
      }
    },
  }
}
