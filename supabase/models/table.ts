/**
 * `defineTable()`: one declaration per table gives its zod Row / Insert / Update objects and the
 * plain-data metadata (columns, keys, constraints) the server and the schema suite share.
 */
import { z } from 'zod'
import type { Column, InsertField, RowField, WritableKeys } from './column.ts'
import { insertField, rowField } from './column.ts'

/** What a foreign key does when its parent row is hard-deleted. */
export type OnDelete = 'no action' | 'cascade' | 'set null'

/** A foreign key as declared in SQL. */
export interface ForeignKey {
  /** Constraint name. */
  name: string
  columns: string[]
  /** Target table; `auth.users` is schema-qualified, tables of `public` are not. */
  references: { table: string; columns: string[] }
  onDelete: OnDelete
}

/** One column as the catalog describes it. */
export interface ColumnInfo {
  name: string
  /** Postgres type name: `uuid`, `text`, `integer`, `timestamptz`, `text[]`, an enum type's name… */
  pgType: string
  nullable: boolean
  /** An insert may leave it out and still get a value (DEFAULT clause, or generated). */
  hasDefault: boolean
  /** `generated always as (…) stored`. */
  generated: boolean
}

/** The declaration `defineTable()` takes. */
export interface TableSpec<N extends string, S extends Record<string, Column>, PK extends keyof S & string> {
  name: N
  primaryKey: PK
  columns: S
  foreignKeys?: ForeignKey[]
  /** Unique constraints by name, each with its columns in order. */
  unique?: Record<string, string[]>
  /** Names of the CHECK constraints. */
  checks?: string[]
}

type RowShape<S> = { [K in keyof S]: RowField<S[K]> }
type InsertShape<S> = { [K in WritableKeys<S>]: InsertField<S[K]> }
type UpdateShape<S, PK extends PropertyKey> = { [K in Exclude<WritableKeys<S>, PK>]: z.ZodOptional<RowField<S[K]>> }

/** A table of the schema: zod models plus plain metadata. */
export interface Table<N extends string = string, S extends Record<string, Column> = Record<string, Column>, PK extends string = string> {
  name: N
  /** The row as read (PostgREST JSON shape). Unknown keys are stripped. */
  schema: z.ZodObject<RowShape<S>>
  /** A row to insert: generated columns absent, defaulted and NULL-able ones optional. Strict. */
  insert: z.ZodObject<InsertShape<S>, z.core.$strict>
  /** A patch: every writable column but the key optional. Strict. */
  update: z.ZodObject<UpdateShape<S, PK>, z.core.$strict>
  primaryKey: PK
  /** The table has the `is_deleted` / `deleted_at` / `deleted_by` triple. */
  softDelete: boolean
  /** Tables its foreign keys point at (other than itself), in declaration order. */
  parents: string[]
  columns: ColumnInfo[]
  foreignKeys: ForeignKey[]
  unique: Record<string, string[]>
  checks: string[]
}

/** Builds a table's models and metadata from its declaration. */
export function defineTable<N extends string, S extends Record<string, Column>, PK extends keyof S & string>(
  spec: TableSpec<N, S, PK>,
): Table<N, S, PK> {
  const entries = Object.entries(spec.columns)
  const writable = entries.filter(([, c]) => !c.isGenerated)
  const foreignKeys = spec.foreignKeys ?? []
  const row = Object.fromEntries(entries.map(([name, c]) => [name, rowField(c)]))
  const insert = Object.fromEntries(writable.map(([name, c]) => [name, insertField(c)]))
  const update = Object.fromEntries(
    writable.filter(([name]) => name !== spec.primaryKey).map(([name, c]) => [name, rowField(c).optional()]),
  )
  return {
    name: spec.name,
    schema: z.object(row) as unknown as z.ZodObject<RowShape<S>>,
    insert: z.strictObject(insert) as unknown as z.ZodObject<InsertShape<S>, z.core.$strict>,
    update: z.strictObject(update) as unknown as z.ZodObject<UpdateShape<S, PK>, z.core.$strict>,
    primaryKey: spec.primaryKey,
    softDelete: 'is_deleted' in spec.columns,
    parents: [...new Set(foreignKeys.map((fk) => fk.references.table))].filter((t) => t !== spec.name),
    columns: entries.map(([name, c]) => ({
      name,
      pgType: c.pgType,
      nullable: c.isNullable,
      hasDefault: c.hasDefault,
      generated: c.isGenerated,
    })),
    foreignKeys,
    unique: spec.unique ?? {},
    checks: spec.checks ?? [],
  }
}

/** Shorthand for a one-column foreign key. */
export function fk(name: string, column: string, table: string, onDelete: OnDelete = 'no action'): ForeignKey {
  return { name, columns: [column], references: { table, columns: ['id'] }, onDelete }
}
