/**
 * The emulator prepares each request's statement, as PostgREST does by default
 * (`db-prepared-statements`), and prepares nothing when told not to.
 */
import type { SqlExecutor } from '../../sql/index.ts'
import { createClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPgExecutor } from '../../sql/index.ts'
import { openEngine } from '../../testing/index.ts'
import { createEmulator, emulatorFetch } from '../index.ts'

const ORIGIN = 'http://prepared.emulator.invalid'

describe('prepared statements (postgres)', () => {
  let url: string
  let dispose: () => Promise<void>

  beforeAll(async () => {
    const opened = await openEngine('postgres', { migrate: false })
    url = opened.url!
    dispose = opened.dispose
    await opened.db.exec(`
      create table tasks (id int primary key, title text not null);
      insert into tasks select i, 'task ' || i from generate_series(1, 5) i;
      grant select on tasks to anon;`)
  })
  afterAll(() => dispose())

  /** Reads three rows through supabase-js; returns what the one pooled connection holds prepared. */
  async function readThrice(preparedStatements: boolean): Promise<{ titles: string[]; prepared: string[] }> {
    // One connection: every request, and the check after them, land on the same backend.
    const db: SqlExecutor = createPgExecutor(url, { max: 1 })
    try {
      const emulator = await createEmulator({ db, baseUrl: ORIGIN, preparedStatements })
      const client = createClient(ORIGIN, emulator.anonKey, { global: { fetch: emulatorFetch(emulator) }, auth: { persistSession: false } })
      const titles: string[] = []
      for (const id of [1, 2, 3]) {
        const { data, error } = await client.from('tasks').select('title').eq('id', id).single()
        if (error) throw error
        titles.push(data.title)
      }
      const { rows } = await db.transaction((tx) => tx.query<{ statement: string }>(`select statement from pg_prepared_statements`))
      return { titles, prepared: rows.map((r) => r.statement) }
    } finally {
      await db.close()
    }
  }

  test('by default the three reads share one prepared statement, PostgREST-shaped', async () => {
    const { titles, prepared } = await readThrice(true)
    expect(titles).toEqual(['task 1', 'task 2', 'task 3'])
    expect(prepared).toHaveLength(1)
    expect(prepared[0]).toMatch(/^WITH pgrst_source AS \(SELECT .*"tasks"/)
  })

  test('preparedStatements: false answers the same and prepares nothing', async () => {
    expect(await readThrice(false)).toEqual({ titles: ['task 1', 'task 2', 'task 3'], prepared: [] })
  })
})
