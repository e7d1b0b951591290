/**
 * Compares two catalog snapshots in full (every table, column, constraint, index, trigger,
 * policy, grant, enum, sequence and function property): what the migrations suite uses to
 * prove that up -> down -> up leaves the schema exactly as up did.
 */
import type { Drift, DriftObject } from './drift.ts'
import type { CatalogSnapshot, CatalogTable } from './types.ts'
import { changed, missing, sortDrifts, unexpected } from './drift.ts'
import { jsonEqual, shortName } from './normalize.ts'

type Keyed<T> = Record<string, T>

/** Missing / unexpected / per-property changed entries of two keyed collections. */
function diffKeyed<T>(
  object: DriftObject | ((value: T) => DriftObject),
  table: string | null,
  expected: Keyed<T>,
  found: Keyed<T>,
  name: (key: string) => string = (key) => key,
  leaf = 'value',
): Drift[] {
  const kind = (value: T) => (typeof object === 'function' ? object(value) : object)
  const drifts: Drift[] = []
  for (const [key, value] of Object.entries(expected)) {
    if (!Object.hasOwn(found, key)) {
      drifts.push(missing(kind(value), table, name(key), value))
      continue
    }
    const other = found[key] as T
    if (jsonEqual(value, other)) continue
    if (value !== null && other !== null && typeof value === 'object' && typeof other === 'object' && !Array.isArray(value)) {
      const a = value as Keyed<unknown>
      const b = other as Keyed<unknown>
      for (const property of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!jsonEqual(a[property], b[property])) drifts.push(changed(kind(value), table, name(key), property, a[property], b[property]))
      }
    } else {
      drifts.push(changed(kind(value), table, name(key), leaf, value, other))
    }
  }
  for (const [key, value] of Object.entries(found)) {
    if (!Object.hasOwn(expected, key)) drifts.push(unexpected(kind(value), table, name(key), value))
  }
  return drifts
}

const relationObject = (t: CatalogTable): DriftObject => (t.kind === 'table' || t.kind === 'partitioned table' ? 'table' : 'view')

function diffTables(name: string, a: CatalogTable, b: CatalogTable): Drift[] {
  const drifts: Drift[] = []
  const object = relationObject(a)
  for (const property of ['kind', 'viewDefinition'] as const) {
    if (!jsonEqual(a[property], b[property])) drifts.push(changed(object, name, name, property, a[property], b[property]))
  }
  if (a.rls !== b.rls) drifts.push(changed('rls', name, name, 'enabled', a.rls, b.rls))
  if (a.forceRls !== b.forceRls) drifts.push(changed('rls', name, name, 'forced', a.forceRls, b.forceRls))
  drifts.push(...diffKeyed('column', name, a.columns, b.columns))
  drifts.push(
    ...diffKeyed((c) => (c.type === 'trigger' ? 'constraint' : (c.type as DriftObject)), name, a.constraints, b.constraints),
  )
  drifts.push(...diffKeyed('index', name, a.indexes, b.indexes))
  drifts.push(...diffKeyed('trigger', name, a.triggers, b.triggers, undefined, 'definition'))
  drifts.push(...diffKeyed('policy', name, a.policies, b.policies))
  drifts.push(...diffKeyed('grant', name, a.grants as Keyed<unknown>, b.grants as Keyed<unknown>, undefined, 'privileges'))
  const columnGrants = (t: CatalogTable) => {
    const flat: Keyed<string[]> = {}
    for (const [role, columns] of Object.entries(t.columnGrants)) {
      for (const [column, privileges] of Object.entries(columns ?? {})) flat[`${role} on ${column}`] = privileges
    }
    return flat
  }
  drifts.push(...diffKeyed('column grant', name, columnGrants(a), columnGrants(b), undefined, 'privileges'))
  return drifts
}

/**
 * Every difference between two snapshots, `expected` being the reference. Names lose their
 * `public.` qualifier; objects of other schemas keep theirs (`auth.users`).
 */
export function diffSnapshots(expected: CatalogSnapshot, found: CatalogSnapshot): Drift[] {
  const drifts: Drift[] = []
  for (const [qualified, table] of Object.entries(expected.tables)) {
    const other = found.tables[qualified]
    const name = shortName(qualified)
    if (!other) drifts.push(missing(relationObject(table), name, name, { kind: table.kind, columns: Object.keys(table.columns) }))
    else drifts.push(...diffTables(name, table, other))
  }
  for (const [qualified, table] of Object.entries(found.tables)) {
    const name = shortName(qualified)
    if (!expected.tables[qualified]) drifts.push(unexpected(relationObject(table), name, name, { kind: table.kind, columns: Object.keys(table.columns) }))
  }
  drifts.push(...diffKeyed('enum', null, expected.enums, found.enums, (k) => shortName(k), 'values'))
  drifts.push(...diffKeyed('sequence', null, expected.sequences, found.sequences, (k) => shortName(k)))
  drifts.push(...diffKeyed('function', null, expected.functions, found.functions, (k) => shortName(k)))
  return sortDrifts(drifts)
}
