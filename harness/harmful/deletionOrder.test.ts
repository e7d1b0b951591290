import type { TrackedRow } from './types.ts'
import { describe, expect, test } from 'vitest'
import { deletionOrder, descendantTables } from './deletionOrder.ts'

let seq = 0
const row = (table: string, key: string): TrackedRow => ({ table, key, deleteMode: 'hard', seq: ++seq })
const keys = (rows: TrackedRow[]) => rows.map((r) => `${r.table}:${String(r.key)}`)

const schema = {
  projects: ['organizations'],
  documents: ['projects'],
  requirements: ['documents', 'blocks'],
  blocks: ['documents'],
  organization_members: ['organizations', 'profiles'],
}

describe('deletionOrder', () => {
  test('without dependencies it is newest first', () => {
    const rows = [row('a', '1'), row('b', '2'), row('a', '3')]
    expect(keys(deletionOrder(rows))).toEqual(['a:3', 'b:2', 'a:1'])
  })

  test('children go before parents even when the parent row is newer', () => {
    const doc = row('documents', 'd1')
    const org = row('organizations', 'o1')
    const project = row('projects', 'p1')
    const org2 = row('organizations', 'o2')
    expect(keys(deletionOrder([doc, org, project, org2], schema))).toEqual(['documents:d1', 'projects:p1', 'organizations:o2', 'organizations:o1'])
  })

  test('transitive children block a grandparent; unrelated tables interleave newest first', () => {
    const rows = [row('organizations', 'o'), row('projects', 'p'), row('documents', 'd'), row('blocks', 'b'), row('requirements', 'r'), row('logs', 'l')]
    expect(keys(deletionOrder(rows, schema))).toEqual(['logs:l', 'requirements:r', 'blocks:b', 'documents:d', 'projects:p', 'organizations:o'])
  })

  test('a foreign-key cycle between tables falls back to newest first instead of hanging', () => {
    const rows = [row('x', '1'), row('y', '2'), row('x', '3')]
    expect(keys(deletionOrder(rows, { x: ['y'], y: ['x'] }))).toEqual(['x:3', 'y:2', 'x:1'])
  })

  test('self references are ignored', () => {
    expect(descendantTables({ blocks: ['blocks', 'documents'] }).get('documents')).toEqual(new Set(['blocks']))
    expect(descendantTables({ blocks: ['blocks'] }).get('blocks')).toBeUndefined()
  })
})
