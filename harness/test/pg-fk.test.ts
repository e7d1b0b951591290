/** harmful() against real Postgres foreign keys: a uniquely named database, dropped afterwards. */
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runFixtures } from './test-utils.ts'

const SERVER = process.env.HARNESS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const name = `atoms_harness_fk_${process.pid}_${Date.now()}`
const url = new URL(SERVER)
url.pathname = `/${name}`
let db: pg.Client

async function counts(): Promise<Record<string, number>> {
  const { rows } = await db.query<{ t: string; n: string }>(
    `select 'organizations' t, count(*) n from organizations union all select 'projects', count(*) from projects union all select 'documents', count(*) from documents`,
  )
  return Object.fromEntries(rows.map((row) => [row.t, Number(row.n)]))
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: SERVER })
  await admin.connect()
  await admin.query(`create database "${name}"`)
  await admin.end()
  db = new pg.Client({ connectionString: url.toString() })
  await db.connect()
  await db.query(`
    create table organizations (id text primary key);
    create table projects (id text primary key, organization_id text not null references organizations (id));
    create table documents (id text primary key, project_id text not null references projects (id));
  `)
})

afterAll(async () => {
  await db?.end()
  const admin = new pg.Client({ connectionString: SERVER })
  await admin.connect()
  await admin.query(`drop database if exists "${name}" with (force)`)
  await admin.end()
})

test('with the FK dependency map every row is deleted and no table keeps a row', async () => {
  const run = await runFixtures({ files: ['pg-fk.fixture.ts'], env: { FK_DATABASE_URL: url.toString() } })
  expect(run.test('creates a tree whose newest row is a parent').state).toBe('passed')
  expect(run.events('delete').map((e) => e.id)).toEqual(['documents:d2', 'documents:d1', 'projects:p2', 'projects:p1', 'organizations:o'])
  expect(await counts()).toEqual({ organizations: 0, projects: 0, documents: 0 })
})

test('without it, newest-first alone hits the foreign keys: the leaks are reported with their keys (control)', async () => {
  const run = await runFixtures({ files: ['pg-fk.fixture.ts'], env: { FK_DATABASE_URL: url.toString(), FK_DEPENDENCIES: 'off' } })
  const leaks = (run.test('creates a tree whose newest row is a parent').meta.harmful as { leaks: { table: string; key: string; reason: string }[] }).leaks
  expect(leaks.map((leak) => `${leak.table}:${leak.key}`)).toEqual(['projects:p2', 'organizations:o'])
  expect(leaks[0]?.reason).toMatch(/violates foreign key constraint/)
  expect(await counts()).toEqual({ organizations: 1, projects: 1, documents: 0 })
  await db.query('delete from projects; delete from organizations')
})
