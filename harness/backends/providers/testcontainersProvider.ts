/**
 * Cold provider (1): a Postgres container through testcontainers, when a Docker engine answers.
 * The database is migrated once and `snapshot()` turns it into a template; each test file gets a
 * `CREATE DATABASE … TEMPLATE` copy of that snapshot.
 * @note No Docker engine runs on the project's own machines, so this path is exercised only where
 * one does; its probe (engine absent → skipped with the reason) is tested everywhere.
 */
import type { DatabaseProvider } from './types.ts'
import { MigrationRunner, applyBootstrap, loadMigrations, redactUrl, withDatabase } from '../../db/index.ts'
import { createPgExecutor } from '../../sql/index.ts'

/** The image used unless `ATOMS_PG_IMAGE` names another. */
export const DEFAULT_PG_IMAGE = 'postgres:15-alpine'

/** Asks testcontainers for a container runtime; rejects when no engine answers. */
async function dockerAnswers(): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers')
  await getContainerRuntimeClient()
}

export function testcontainersProvider(
  env: NodeJS.ProcessEnv = process.env,
  probeEngine: () => Promise<void> = dockerAnswers,
): DatabaseProvider {
  const image = env.ATOMS_PG_IMAGE || DEFAULT_PG_IMAGE
  return {
    name: 'testcontainers',
    async probe() {
      try {
        await probeEngine()
        return { ok: true }
      } catch (error) {
        return { ok: false, reason: `no Docker engine answers (${(error as Error).message.split('\n')[0]})` }
      }
    },
    async start() {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
      const container = await new PostgreSqlContainer(image).withDatabase('atoms').start()
      try {
        const db = createPgExecutor(container.getConnectionUri(), { max: 1 })
        try {
          await applyBootstrap(db)
          await new MigrationRunner(db, loadMigrations()).migrate()
        } finally {
          await db.close()
        }
        await container.snapshot('atoms_migrated')
        const adminUrl = withDatabase(container.getConnectionUri(), 'postgres')
        return {
          info: { kind: 'server', provider: 'testcontainers', adminUrl, template: 'atoms_migrated' },
          description: `testcontainers ${image} (${redactUrl(adminUrl)})`,
          stop: async () => {
            await container.stop()
          },
        }
      } catch (error) {
        await container.stop().catch(() => undefined)
        throw error
      }
    },
  }
}
