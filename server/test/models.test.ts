/**
 * The tools' column whitelists against the shared zod models of the schema: every column the
 * server selects, writes or filters exists with a matching type, every stored column of an
 * entity table is selected (full rows), and versioning / soft-delete flags agree.
 */
import { describe, expect, test } from 'vitest'
import { tables } from '../../supabase/models/index.ts'
import { ENTITIES } from '../data/entities.ts'
import { KINDS } from '../data/relationships.ts'

const PG_TYPE: Record<string, string> = {
  uuid: 'uuid', text: 'text', int: 'integer', float: 'double precision', bool: 'boolean',
  timestamp: 'timestamptz', 'text[]': 'text[]', json: 'jsonb', interval: 'interval',
}
const model = (name: string) => tables[name as keyof typeof tables]
// properties.property_type is text kept to the property_type values by a CHECK constraint.
const TEXT_ENUMS = new Set(['properties.property_type'])

describe('entity definitions match supabase/models', () => {
  for (const def of Object.values(ENTITIES)) {
    test(`${def.type} → ${def.table}`, () => {
      const table = model(def.table)
      expect(table, `no model for "${def.table}"`).toBeDefined()
      const columns = new Map(table.columns.map((c) => [c.name, c]))
      for (const [name, column] of Object.entries(def.columns)) {
        const info = columns.get(name)
        expect(info, `"${def.table}.${name}" is not in the model`).toBeDefined()
        const expected = column.kind === 'enum' ? (TEXT_ENUMS.has(`${def.table}.${name}`) ? 'text' : column.enum) : PG_TYPE[column.kind]
        expect(info!.pgType, `"${def.table}.${name}"`).toBe(expected)
      }
      const stored = table.columns.filter((c) => !c.generated).map((c) => c.name).sort()
      expect(Object.keys(def.columns).sort()).toEqual(stored)
      expect(def.versioned).toBe(columns.get('version')?.pgType === 'integer')
      expect(table.softDelete).toBe(true)
    })
  }
})

describe('relationship kinds match supabase/models', () => {
  for (const kind of Object.values(KINDS)) {
    test(`${kind.type} → ${kind.table}`, () => {
      const table = model(kind.table)
      const columns = new Map(table.columns.map((c) => [c.name, c]))
      for (const name of [...kind.select, kind.source.column, kind.target.column, ...Object.keys(kind.columns)]) {
        expect(columns.has(name), `"${kind.table}.${name}" is not in the model`).toBe(true)
      }
      for (const [name, column] of Object.entries(kind.columns)) {
        expect(columns.get(name)!.pgType, `"${kind.table}.${name}"`).toBe(column.kind === 'enum' ? column.enum : PG_TYPE[column.kind])
      }
      expect(kind.select.sort()).toEqual(table.columns.filter((c) => !c.generated).map((c) => c.name).sort())
      expect(kind.softDelete).toBe(table.softDelete)
      expect(kind.versioned).toBe(columns.get('version')?.pgType === 'integer')
    })
  }
})
