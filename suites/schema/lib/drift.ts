/**
 * One difference between what was expected and what the catalog holds, named precisely:
 * which table, which object in it, which property, and both values.
 */

/** What kind of object differs. */
export type DriftObject =
  | 'table'
  | 'view'
  | 'column'
  | 'primary key'
  | 'foreign key'
  | 'unique'
  | 'check'
  | 'exclusion'
  | 'constraint'
  | 'index'
  | 'trigger'
  | 'policy'
  | 'rls'
  | 'grant'
  | 'column grant'
  | 'enum'
  | 'sequence'
  | 'function'

/** `missing`: expected, not found; `unexpected`: found, not expected; `changed`: both, unequal. */
export type DriftKind = 'missing' | 'unexpected' | 'changed'

/** One difference. */
export interface Drift {
  kind: DriftKind
  object: DriftObject
  /** The table (or view) it belongs to, without the `public.` qualifier; null for enums, functions… */
  table: string | null
  /** The object's own name: column, constraint, index, role, enum type, function signature… */
  name: string
  /** For `changed`: which property differs (`type`, `nullable`, `values`, `searchPath`…). */
  property: string | null
  expected: unknown
  found: unknown
}

/** Builds a `missing` drift. */
export function missing(object: DriftObject, table: string | null, name: string, expected: unknown): Drift {
  return { kind: 'missing', object, table, name, property: null, expected, found: null }
}

/** Builds an `unexpected` drift. */
export function unexpected(object: DriftObject, table: string | null, name: string, found: unknown): Drift {
  return { kind: 'unexpected', object, table, name, property: null, expected: null, found }
}

/** Builds a `changed` drift. */
export function changed(
  object: DriftObject,
  table: string | null,
  name: string,
  property: string,
  expected: unknown,
  found: unknown,
): Drift {
  return { kind: 'changed', object, table, name, property, expected, found }
}

/** A stable order: by table, then object kind, then name, then property. */
export function sortDrifts(drifts: Drift[]): Drift[] {
  const key = (d: Drift) => [d.table ?? '', d.object, d.name, d.property ?? ''].join('\u0000')
  return [...drifts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
