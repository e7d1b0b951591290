/** Cold provider (2): an existing Postgres named by `DATABASE_URL`. */
import type { DatabaseProvider } from './types.ts'
import { adminQuery, redactUrl } from '../../db/index.ts'
import { createMigratedTemplate, dropTemplate } from './migratedTemplate.ts'

export function databaseUrlProvider(env: NodeJS.ProcessEnv = process.env): DatabaseProvider {
  const url = env.DATABASE_URL
  return {
    name: 'database-url',
    async probe() {
      if (!url) return { ok: false, reason: 'DATABASE_URL is not set' }
      try {
        await adminQuery(url, 'select 1')
        return { ok: true }
      } catch (error) {
        return { ok: false, reason: `DATABASE_URL does not answer: ${(error as Error).message}` }
      }
    },
    async start() {
      const adminUrl = url!
      const template = await createMigratedTemplate(adminUrl)
      return {
        info: { kind: 'server', provider: 'database-url', adminUrl, template },
        description: `DATABASE_URL (${redactUrl(adminUrl)})`,
        stop: () => dropTemplate(adminUrl, template),
      }
    },
  }
}
