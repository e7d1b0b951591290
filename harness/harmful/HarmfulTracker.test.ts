import type { RowDeleter, TrackedRow } from './types.ts'
import { describe, expect, test } from 'vitest'
import { TrackError } from '../errors.ts'
import { HarmfulTracker } from './HarmfulTracker.ts'

/** An in-memory table store whose deleter refuses to delete a parent that still has children. */
function store(failing: Record<string, string> = {}) {
  const rows = new Map<string, { table: string; parent?: string }>()
  const log: string[] = []
  const deleter: RowDeleter = {
    async deleteRow(row: TrackedRow) {
      const id = `${row.table}:${String(row.key)}`
      if (failing[id]) throw new Error(failing[id])
      if (!rows.has(id)) return 'missing'
      const child = [...rows.entries()].find(([, value]) => value.parent === id)
      if (child) throw new Error(`still referenced by ${child[0]}`)
      rows.delete(id)
      log.push(`${row.deleteMode}:${id}`)
      return 'deleted'
    },
  }
  return { rows, log, deleter }
}

describe('HarmfulTracker', () => {
  test('flush deletes children first and reports counts', async () => {
    const db = store()
    const tracker = new HarmfulTracker({ scope: 't', kind: 'test', deleter: db.deleter, dependencies: { projects: ['organizations'] } })
    db.rows.set('projects:p', { table: 'projects', parent: 'organizations:o2' })
    db.rows.set('organizations:o1', { table: 'organizations' })
    db.rows.set('organizations:o2', { table: 'organizations' })
    tracker.track({ table: 'projects', key: 'p' })
    tracker.track({ table: 'organizations', key: 'o1', deleteMode: 'soft' })
    tracker.track({ table: 'organizations', key: 'o2' })
    tracker.track({ table: 'organizations', key: 'gone' })
    const report = await tracker.flush()
    expect(db.log).toEqual(['hard:projects:p', 'hard:organizations:o2', 'soft:organizations:o1'])
    expect(report).toMatchObject({ scope: 'test', tracked: 4, deleted: 3, missing: 1, rolledBack: 0, leaks: [] })
  })

  test('a failing delete does not stop the others and becomes a leak with its key', async () => {
    const db = store({ 'documents:7': 'permission denied' })
    const tracker = new HarmfulTracker({ scope: 't', kind: 'test', deleter: db.deleter })
    for (const [table, key] of [['documents', 5], ['documents', 7], ['documents', 9]] as const) {
      db.rows.set(`${table}:${key}`, { table })
      tracker.track({ table, key })
    }
    const report = await tracker.flush()
    expect(report.deleted).toBe(2)
    expect(report.leaks).toEqual([{ table: 'documents', key: 7, reason: 'permission denied' }])
  })

  test('without a deleter every row is a leak saying how to configure one', async () => {
    const tracker = new HarmfulTracker({ scope: 't', kind: 'test' })
    tracker.track({ table: 'a', key: { org: 1, user: 'u' } })
    const report = await tracker.flush()
    expect(report.leaks[0]).toMatchObject({ table: 'a', key: { org: 1, user: 'u' } })
    expect(report.leaks[0]?.reason).toMatch(/configureHarmful/)
  })

  test('a delete that never answers times out as a leak', async () => {
    const tracker = new HarmfulTracker({ scope: 't', kind: 'test', deleter: { deleteRow: () => new Promise(() => {}) }, defaults: () => ({ deleteTimeoutMs: 20 }) })
    tracker.track({ table: 'a', key: 1 })
    const report = await tracker.flush()
    expect(report.leaks[0]?.reason).toMatch(/within 20 ms/)
  })

  test('rolled-back flushes delete nothing', async () => {
    const db = store()
    const tracker = new HarmfulTracker({ scope: 't', kind: 'flow', deleter: db.deleter })
    tracker.track({ table: 'a', key: 1 })
    expect(await tracker.flush({ rolledBack: true })).toMatchObject({ tracked: 1, rolledBack: 1, deleted: 0 })
    expect(db.log).toEqual([])
  })

  test('duplicates are tracked once; untrack forgets a row; composite keys compare by value', () => {
    const tracker = new HarmfulTracker({ scope: 't', kind: 'test' })
    const first = tracker.track({ table: 'm', key: { a: 1, b: 2 } })
    expect(tracker.track({ table: 'm', key: { b: 2, a: 1 } })).toBe(first)
    tracker.track({ table: 'm', key: '1' })
    tracker.track({ table: 'm', key: 1 })
    expect(tracker.rows).toHaveLength(3)
    expect(tracker.untrack('m', { b: 2, a: 1 })).toBe(true)
    expect(tracker.rows).toHaveLength(2)
  })

  test('bad input is a TrackError and tracks nothing', () => {
    const tracker = new HarmfulTracker({ scope: 't', kind: 'test' })
    expect(() => tracker.track({ table: '', key: 1 })).toThrow(TrackError)
    expect(() => tracker.track({ table: 'a', key: '' })).toThrow(/primary key/)
    expect(() => tracker.track({ table: 'a', key: {} })).toThrow(TrackError)
    expect(() => tracker.track({ table: 'a', key: Number.NaN })).toThrow(TrackError)
    expect(() => tracker.track({ table: 'a', key: 1, deleteMode: 'purge' as never })).toThrow(/"purge"/)
    expect(tracker.rows).toEqual([])
  })

  test('rows tracked after the flush go to the late scope', async () => {
    const late: string[] = []
    const tracker = new HarmfulTracker({
      scope: 't',
      kind: 'test',
      onLate: (input) => {
        late.push(input.table)
        return { ...input, deleteMode: 'hard', seq: 0 }
      },
    })
    await tracker.flush()
    tracker.track({ table: 'after', key: 1 })
    expect(late).toEqual(['after'])
    expect(tracker.closed).toBe(true)
    const closedWithoutLate = new HarmfulTracker({ scope: 'x', kind: 'test' })
    await closedWithoutLate.flush()
    expect(() => closedWithoutLate.track({ table: 'a', key: 1 })).toThrow(/after "x" was cleaned up/)
  })

  test('handOver moves rows keeping their creation order, and closes the source', async () => {
    const db = store()
    const parent = new HarmfulTracker({ scope: 'suite', kind: 'suite', deleter: db.deleter, dependencies: { projects: ['organizations'] } })
    const late = new HarmfulTracker({ scope: 'late', kind: 'late' })
    db.rows.set('organizations:o', { table: 'organizations' })
    db.rows.set('projects:p', { table: 'projects', parent: 'organizations:o' })
    parent.track({ table: 'organizations', key: 'o' })
    late.track({ table: 'projects', key: 'p' })
    expect(late.handOver(parent)).toBe(1)
    expect(late.closed).toBe(true)
    expect(parent.rows.map((row) => row.key)).toEqual(['o', 'p'])
    expect(await parent.flush()).toMatchObject({ tracked: 2, deleted: 2, leaks: [] })
    expect(db.log).toEqual(['hard:projects:p', 'hard:organizations:o'])
  })
})
