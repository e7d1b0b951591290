/**
 * A tiny column DSL: each column is declared once, with its Postgres type, nullability and
 * default, and from that one declaration come both the zod field and the catalog metadata.
 */
import { z } from 'zod'
import type { EnumName } from './enums.ts'
import { enums } from './enums.ts'

/** A column as declared in SQL. Flags are type parameters so table shapes infer exactly. */
export interface Column<
  T extends z.ZodType = z.ZodType,
  N extends boolean = boolean,
  D extends boolean = boolean,
  G extends boolean = boolean,
> {
  /** Postgres type name: `uuid`, `text`, `integer`, `timestamptz`, `text[]`, an enum type's name… */
  readonly pgType: string
  /** The value as PostgREST returns it in JSON (timestamps and intervals are strings). */
  readonly zod: T
  readonly isNullable: N
  /** The column gets a value when an insert leaves it out (DEFAULT clause or generated). */
  readonly hasDefault: D
  /** `generated always as (…) stored`: never written by clients. */
  readonly isGenerated: G
  /** Marks the column NULL-able. */
  nullable(): Column<T, true, D, G>
  /** Marks the column as having a DEFAULT. */
  withDefault(): Column<T, N, true, G>
  /** Marks the column as generated (which also gives it a value on insert). */
  generated(): Column<T, N, true, true>
}

function column<T extends z.ZodType>(pgType: string, zod: T): Column<T, false, false, false> {
  // The flags live in type parameters; at run time one shape serves every combination.
  const make = (isNullable: boolean, hasDefault: boolean, isGenerated: boolean): Column<T> => ({
    pgType,
    zod,
    isNullable,
    hasDefault,
    isGenerated,
    nullable: () => make(true, hasDefault, isGenerated) as never,
    withDefault: () => make(isNullable, true, isGenerated) as never,
    generated: () => make(isNullable, true, true) as never,
  })
  return make(false, false, false) as Column<T, false, false, false>
}

// Postgres accepts any 8-4-4-4-12 hex string as a uuid, so zod's RFC-strict uuid() would reject
// ids the database stores happily (e.g. all-zero test ids).
const uuidValue = z.guid()
// to_json(timestamptz) renders ISO 8601 with a numeric offset.
const timestampValue = z.iso.datetime({ offset: true })

/** Column constructors, one per Postgres type the schema uses. */
export const col = {
  uuid: () => column('uuid', uuidValue),
  text: () => column('text', z.string()),
  integer: () => column('integer', z.number().int()),
  doublePrecision: () => column('double precision', z.number()),
  boolean: () => column('boolean', z.boolean()),
  jsonb: () => column('jsonb', z.json()),
  timestamptz: () => column('timestamptz', timestampValue),
  interval: () => column('interval', z.string()),
  tsvector: () => column('tsvector', z.string()),
  textArray: () => column('text[]', z.array(z.string())),
  enum: <E extends EnumName>(name: E) => column(name, enums[name]),
  /** A text column whose values a CHECK keeps to an enum's values. */
  textOf: <E extends EnumName>(name: E) => column('text', enums[name]),
}

/** The zod field of a column in a row as read. */
export type RowField<C> = C extends Column<infer T, infer N> ? (N extends true ? z.ZodNullable<T> : T) : never

/** The zod field of a column in an insert: optional when NULL-able or defaulted. */
export type InsertField<C> =
  C extends Column<infer T, infer N, infer D>
    ? N extends true
      ? z.ZodOptional<z.ZodNullable<T>>
      : D extends true
        ? z.ZodOptional<T>
        : T
    : never

/** Keys of the columns a client may write (everything but generated columns). */
export type WritableKeys<S> = { [K in keyof S]: S[K] extends Column<z.ZodType, boolean, boolean, true> ? never : K }[keyof S]

/** Builds the zod field of a column for a row. */
export function rowField(c: Column): z.ZodType {
  return c.isNullable ? c.zod.nullable() : c.zod
}

/** Builds the zod field of a column for an insert. */
export function insertField(c: Column): z.ZodType {
  if (c.isNullable) return c.zod.nullable().optional()
  return c.hasDefault ? c.zod.optional() : c.zod
}
