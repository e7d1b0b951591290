/**
 * Finds the foreign-key relationship an embed names, as PostgREST's `findRel` does: by target
 * table, FK constraint name or FK column, disambiguated by a `!hint`; many-to-one and one-to-one
 * embed an object, one-to-many an array.
 * @see https://docs.postgrest.org/en/v12/references/api/resource_embedding.html
 */
import type { Catalog, ForeignKey } from './catalog.ts'
import { PostgrestError, unsupported } from './errors.ts'
import { EXPOSED_SCHEMA } from './parseHeaders.ts'

/** A relationship seen from `table`. */
export interface Relationship {
  table: string
  foreignTable: string
  constraint: string
  /** Column pairs `[column of table, column of foreignTable]`. */
  columns: [string, string][]
  cardinality: 'M2O' | 'O2M' | 'O2O'
  isSelf: boolean
}

/** True if the embed is one object (or null) rather than an array. */
export function isToOne(rel: Relationship): boolean {
  return rel.cardinality !== 'O2M'
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x))
}

/** All relationships whose origin is `origin`. */
export function relationshipsOf(catalog: Catalog, origin: string): Relationship[] {
  const rels: Relationship[] = []
  for (const fk of catalog.foreignKeys) {
    const unique = catalog.tables.get(fk.table)?.uniqueKeys.some((key) => sameSet(key, fk.columns)) ?? false
    const pairs = fk.columns.map((c, i): [string, string] => [c, fk.foreignColumns[i] ?? ''])
    const isSelf = fk.table === fk.foreignTable
    if (fk.table === origin) {
      rels.push({ table: fk.table, foreignTable: fk.foreignTable, constraint: fk.name, columns: pairs, cardinality: unique && !isSelf ? 'O2O' : 'M2O', isSelf })
    }
    if (fk.foreignTable === origin) {
      rels.push({
        table: fk.foreignTable,
        foreignTable: fk.table,
        constraint: fk.name,
        columns: pairs.map(([a, b]): [string, string] => [b, a]),
        cardinality: unique && !isSelf ? 'O2O' : 'O2M',
        isSelf,
      })
    }
  }
  return rels
}

function singleColumn(rel: Relationship, side: 0 | 1): string | undefined {
  return rel.columns.length === 1 ? rel.columns[0]?.[side] : undefined
}

function matches(rel: Relationship, target: string, hint: string | undefined, catalog: Catalog): boolean {
  const targetIsView = catalog.tables.get(rel.foreignTable)?.isView ?? false
  if (rel.isSelf) {
    if (hint === undefined) {
      return (target === rel.foreignTable && rel.cardinality === 'O2M') || (singleColumn(rel, 0) === target && rel.cardinality === 'M2O')
    }
    return target === rel.foreignTable && rel.cardinality === 'O2M' && singleColumn(rel, 1) === hint
  }
  if (hint === undefined) {
    return target === rel.foreignTable || (!targetIsView && (rel.constraint === target || singleColumn(rel, 0) === target))
  }
  return (
    target === rel.foreignTable &&
    (rel.constraint === hint || singleColumn(rel, 0) === hint || singleColumn(rel, 1) === hint)
  )
}

/**
 * The one relationship between `origin` and `target`: PGRST200 when none, PGRST201 (300) when
 * several; many-to-many (through a junction table) and view relationships answer "unsupported".
 */
export function findRelationship(catalog: Catalog, origin: string, target: string, hint?: string): Relationship {
  const found = relationshipsOf(catalog, origin).filter((rel) => matches(rel, target, hint, catalog))
  if (found.length === 1) return found[0] as Relationship
  if (found.length > 1) throw ambiguous(origin, target, found)
  const junction = findJunction(catalog.foreignKeys, origin, target)
  if (junction) throw unsupported(`Many-to-many embedding ("${origin}" to "${target}" through "${junction}")`)
  if (catalog.tables.get(origin)?.isView || catalog.tables.get(target)?.isView) {
    throw unsupported(`Embedding through views ("${origin}" and "${target}")`)
  }
  throw new PostgrestError(
    400,
    {
      code: 'PGRST200',
      message: `Could not find a relationship between '${origin}' and '${target}' in the schema cache`,
      details: `Searched for a foreign key relationship between '${origin}' and '${target}'${hint === undefined ? '' : ` using the hint '${hint}'`} in the schema '${EXPOSED_SCHEMA}', but no matches were found.`,
    },
    { catalogMiss: true },
  )
}

function findJunction(fks: ForeignKey[], origin: string, target: string): string | undefined {
  for (const a of fks) {
    if (a.foreignTable !== origin || a.table === origin || a.table === target) continue
    if (fks.some((b) => b.table === a.table && b.foreignTable === target && b !== a)) return a.table
  }
  return undefined
}

function ambiguous(origin: string, target: string, rels: Relationship[]): PostgrestError {
  const cardinality = { M2O: 'many-to-one', O2M: 'one-to-many', O2O: 'one-to-one' }
  const cols = (names: string[]) => `(${names.join(', ')})`
  return new PostgrestError(300, {
    code: 'PGRST201',
    message: `Could not embed because more than one relationship was found for '${origin}' and '${target}'`,
    details: rels.map((rel) => ({
      cardinality: cardinality[rel.cardinality],
      embedding: `${rel.table} with ${rel.foreignTable}`,
      relationship: `${rel.constraint} using ${rel.table}${cols(rel.columns.map((c) => c[0]))} and ${rel.foreignTable}${cols(rel.columns.map((c) => c[1]))}`,
    })),
    hint: `Try changing '${target}' to one of the following: ${rels.map((rel) => `'${rel.foreignTable}!${rel.constraint}'`).join(', ')}. Find the desired relationship in the 'details' key.`,
  })
}
