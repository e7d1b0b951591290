/**
 * SQL text helpers: every identifier is quoted, every value becomes a `$n` parameter.
 * Identifiers reaching these helpers were already checked against the catalog.
 */
import { InvalidIdentifierError } from './InvalidIdentifierError.ts'

/** `"name"` with embedded quotes doubled. */
export function ident(name: string): string {
  if (name.includes('\0')) throw new InvalidIdentifierError(name)
  return `"${name.replaceAll('"', '""')}"`
}

/** `"public"."name"`. */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`
}

/** Collects the parameters of one statement. */
export class SqlParams {
  readonly values: unknown[] = []

  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/**
 * A Postgres array literal of text elements (`{"a","b\"c"}`), as PostgREST builds for `in.(…)`;
 * bound as one parameter whose type Postgres infers from the column.
 */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\0', '').replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}
