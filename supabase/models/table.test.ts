import { describe, expect, test } from 'vitest'
import { col } from './column.ts'
import { normalizePgType } from './pgTypes.ts'
import { defineTable, fk } from './table.ts'
import { entityTables, relationshipTables, tables } from './tables.ts'

const nodes = defineTable({
  name: 'nodes',
  primaryKey: 'id',
  columns: {
    id: col.uuid().withDefault(),
    parent_id: col.uuid().nullable(),
    owner_id: col.uuid(),
    label: col.text(),
    kind: col.enum('entity_type').withDefault(),
    search: col.tsvector().nullable().generated(),
    is_deleted: col.boolean().nullable().withDefault(),
  },
  foreignKeys: [
    fk('nodes_parent_id_fkey', 'parent_id', 'nodes'),
    fk('nodes_owner_id_fkey', 'owner_id', 'profiles', 'cascade'),
    fk('nodes_owner_again_fkey', 'owner_id', 'profiles'),
  ],
})

const ID = '00000000-0000-0000-0000-000000000001'

describe('defineTable', () => {
  test('derives metadata: soft delete, parents without self or repeats, column flags', () => {
    expect(nodes.softDelete).toBe(true)
    expect(nodes.parents).toEqual(['profiles'])
    expect(nodes.columns.find((c) => c.name === 'search')).toEqual({
      name: 'search',
      pgType: 'tsvector',
      nullable: true,
      hasDefault: true,
      generated: true,
    })
    expect(nodes.columns.find((c) => c.name === 'kind')?.pgType).toBe('entity_type')
  })

  test('Row: NULL-able columns accept null, others do not; unknown keys are stripped', () => {
    const row = { id: ID, parent_id: null, owner_id: ID, label: 'a', kind: 'document', search: "'a':1", is_deleted: null }
    expect(nodes.schema.parse({ ...row, extra: 1 })).toEqual(row)
    expect(nodes.schema.safeParse({ ...row, label: null }).success).toBe(false)
  })

  test('Insert: required columns required, defaulted optional, generated and unknown keys rejected', () => {
    expect(nodes.insert.safeParse({ owner_id: ID, label: 'a' }).success).toBe(true)
    expect(nodes.insert.safeParse({ label: 'a' }).success).toBe(false)
    expect(nodes.insert.safeParse({ owner_id: ID, label: 'a', search: 'x' }).success).toBe(false)
    expect(nodes.insert.safeParse({ owner_id: ID, label: 'a', kind: 'folder' }).success).toBe(false)
    expect(nodes.insert.safeParse({ owner_id: ID, label: 'a', nope: true }).success).toBe(false)
  })

  test('Update: everything optional except that the key and generated columns are absent', () => {
    expect(nodes.update.safeParse({}).success).toBe(true)
    expect(nodes.update.safeParse({ parent_id: null }).success).toBe(true)
    expect(nodes.update.safeParse({ id: ID }).success).toBe(false)
    expect(nodes.update.safeParse({ search: 'x' }).success).toBe(false)
  })
})

describe('schema tables', () => {
  test('are listed parents first, and every parent is a table of the schema or auth.users', () => {
    const seen = new Set<string>(['auth.users'])
    const names = Object.keys(tables)
    for (const table of Object.values(tables)) {
      for (const parent of table.parents) {
        // profiles <-> organizations point at each other; everything else is ordered
        if (table.name === 'profiles' && parent === 'organizations') continue
        expect(seen.has(parent), `${table.name} -> ${parent}`).toBe(true)
      }
      seen.add(table.name)
    }
    expect(names).toHaveLength(16)
  })

  test('entity and relationship maps point at real tables and columns', () => {
    for (const table of Object.values(entityTables)) expect(tables[table]).toBeDefined()
    for (const { table, source, target } of Object.values(relationshipTables)) {
      const columns = tables[table].columns.map((c) => c.name)
      expect(columns).toContain(source)
      expect(columns).toContain(target)
    }
  })

  test('timestamps parse as PostgREST renders them; uuids as Postgres accepts them', () => {
    const at = tables.projects.schema.shape.created_at
    expect(at.safeParse('2025-01-01T00:00:00.123456+00:00').success).toBe(true)
    expect(at.safeParse('yesterday').success).toBe(false)
    expect(tables.projects.schema.shape.id.safeParse(ID).success).toBe(true)
    expect(tables.projects.schema.shape.id.safeParse('not-a-uuid').success).toBe(false)
  })
})

describe('normalizePgType', () => {
  test('passes short names through and shortens long ones', () => {
    expect(['uuid', 'jsonb', 'text[]', 'tsvector'].map(normalizePgType)).toEqual(['uuid', 'jsonb', 'text[]', 'tsvector'])
    expect(normalizePgType('bool')).toBe('boolean')
    expect(normalizePgType('timestamp with time zone')).toBe('timestamptz')
    expect(normalizePgType('timestamp with time zone[]')).toBe('timestamptz[]')
    expect(normalizePgType('public.visibility')).toBe('visibility')
    expect(normalizePgType('int4')).toBe('integer')
    expect(normalizePgType('timestamp without time zone')).toBe('timestamp')
  })
})
