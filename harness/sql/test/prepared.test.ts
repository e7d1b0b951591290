import type { SqlExecutor } from '../index.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPgExecutor, sqlState } from '../index.ts'
import { ENGINES, openEngine } from '../../testing/index.ts'
import { PreparedStatements } from '../internal/PreparedStatements.ts'

const PREPARED = `select name from pg_prepared_statements where name like 'atoms\\_%' order by name`
const PID = 'select pg_backend_pid() as pid'

describe('query(…, { prepare: true }) on a Postgres server', () => {
  let url: string
  let dispose: () => Promise<void>
  let db: SqlExecutor

  beforeAll(async () => {
    const opened = await openEngine('postgres', { migrate: false })
    url = opened.url!
    dispose = opened.dispose
    // One connection, so every transaction below lands on the same backend.
    db = createPgExecutor(url, { max: 1, maxPreparedPerConnection: 2 })
    await db.exec(`create table items (id int primary key, label text); insert into items values (1, 'one'), (2, 'two'), (3, 'three');`)
  })
  afterAll(async () => {
    await db.close()
    await dispose()
  })

  const byId = 'select label from items where id = $1'

  test('the statement is prepared once on its connection and answers like an unprepared one', async () => {
    const seen = await db.transaction(async (tx) => {
      const first = await tx.query<{ label: string }>(byId, [1], { prepare: true })
      const second = await tx.query<{ label: string }>(byId, [2], { prepare: true })
      const plain = await tx.query<{ label: string }>(byId, [2])
      const prepared = await tx.query<{ name: string }>(PREPARED)
      return { first: first.rows, second: second.rows, plain: plain.rows, prepared: prepared.rows.map((r) => r.name) }
    })
    expect(seen.first).toEqual([{ label: 'one' }])
    expect(seen.second).toEqual(seen.plain)
    expect(seen.prepared).toHaveLength(1)
    // Prepared statements are not transactional: the next transaction on the connection reuses it.
    const again = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ label: string }>(byId, [3], { prepare: true })
      return { rows, prepared: (await tx.query<{ name: string }>(PREPARED)).rows.map((r) => r.name) }
    })
    expect(again).toEqual({ rows: [{ label: 'three' }], prepared: seen.prepared })
  })

  test('schema changes after preparing are picked up, not served from the old plan', async () => {
    const wide = 'select count(*)::int as n, coalesce(json_agg(t), \'[]\')::text as body from (select * from items where id >= $1 order by id) t'
    const before = await db.transaction((tx) => tx.query<{ n: number; body: string }>(wide, [3], { prepare: true }))
    await db.exec(`alter table items add column extra int default 7`)
    const after = await db.transaction((tx) => tx.query<{ n: number; body: string }>(wide, [3], { prepare: true }))
    expect(JSON.parse(before.rows[0]!.body)).toEqual([{ id: 3, label: 'three' }])
    expect(JSON.parse(after.rows[0]!.body)).toEqual([{ id: 3, label: 'three', extra: 7 }])
    await db.exec(`alter table items drop column extra`)
  })

  test('a failing prepared statement rolls its transaction back and stays usable', async () => {
    const divide = 'select 10 / $1::int as q'
    const error = await db.transaction((tx) => tx.query(divide, [0], { prepare: true })).catch((e: unknown) => e)
    expect(sqlState(error)).toBe('22012')
    const { rows } = await db.transaction((tx) => tx.query<{ q: number }>(divide, [5], { prepare: true }))
    expect(rows).toEqual([{ q: 2 }])
  })

  test('a connection holding its limit runs new texts unnamed and is replaced when released', async () => {
    const pidBefore = await db.transaction(async (tx) => (await tx.query<{ pid: number }>(PID)).rows[0]!.pid)
    const inFull = await db.transaction(async (tx) => {
      // The earlier tests prepared two texts: the limit of 2 is reached.
      const { rows } = await tx.query<{ label: string }>('select label from items where id = $1 and label is not null', [1], { prepare: true })
      return { rows, prepared: (await tx.query(PREPARED)).rowCount, pid: (await tx.query<{ pid: number }>(PID)).rows[0]!.pid }
    })
    expect(inFull).toEqual({ rows: [{ label: 'one' }], prepared: 2, pid: pidBefore })
    const next = await db.transaction(async (tx) => ({
      pid: (await tx.query<{ pid: number }>(PID)).rows[0]!.pid,
      prepared: (await tx.query(PREPARED)).rowCount,
    }))
    expect(next.pid).not.toBe(pidBefore)
    expect(next.prepared).toBe(0)
  })

  test('scripts (no parameter list) and queries outside a transaction are never prepared', async () => {
    const fresh = createPgExecutor(url, { max: 1 })
    try {
      await fresh.query(byId, [1], { prepare: true })
      const prepared = await fresh.transaction(async (tx) => {
        await tx.query('select 1', [], { prepare: true })
        await tx.query('select 2', undefined, { prepare: true })
        return (await tx.query(PREPARED)).rowCount
      })
      // `select 1` with an empty parameter list is parameterised as far as the protocol goes.
      expect(prepared).toBe(1)
    } finally {
      await fresh.close()
    }
  })
})

describe.each(ENGINES)('prepare on %s inside an isolation unit', (engine) => {
  test('requests in savepoints may prepare, and the unit still rolls everything back', async () => {
    const { db, dispose } = await openEngine(engine, { migrate: false })
    try {
      await db.exec(`create table marks (id int primary key)`)
      await db.beginUnit()
      for (const id of [1, 2]) await db.asRole('service_role', null, (tx) => tx.query('insert into marks values ($1) returning id', [id], { prepare: true }))
      expect((await db.query('select id from marks order by id')).rows).toEqual([{ id: 1 }, { id: 2 }])
      await db.endUnit()
      expect((await db.query('select id from marks')).rows).toEqual([])
    } finally {
      await dispose()
    }
  })
})

describe('PreparedStatements', () => {
  test('one name per text, shared by connections; a full connection gets none for new texts', () => {
    const names = new PreparedStatements(2)
    const a = {}
    const b = {}
    const x = names.nameFor(a, 'select $1')
    expect(names.nameFor(b, 'select $1')).toBe(x)
    expect(names.nameFor(a, 'select $1')).toBe(x)
    const y = names.nameFor(a, 'select $2')
    expect(y).not.toBe(x)
    expect(names.isFull(a)).toBe(true)
    expect(names.nameFor(a, 'select $3')).toBeUndefined()
    expect(names.nameFor(a, 'select $2')).toBe(y)
    expect(names.isFull(b)).toBe(false)
  })

  test('a forgotten text comes back under a new name, never an old name for another text', () => {
    const names = new PreparedStatements(1)
    const issued = new Map<string, string>()
    for (let i = 0; i < 20; i++) {
      const text = `select ${i % 7}`
      const name = names.nameFor({}, text)!
      const owner = [...issued].find(([, n]) => n === name)?.[0]
      expect(owner === undefined || owner === text).toBe(true)
      issued.set(text, name)
    }
  })

  test('0 turns preparing off', () => {
    const names = new PreparedStatements(0)
    expect(names.nameFor({}, 'select $1')).toBeUndefined()
    expect(names.isFull({})).toBe(false)
  })
})
