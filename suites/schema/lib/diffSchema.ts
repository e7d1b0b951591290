/**
 * Compares the expected schema (models + contract) with a catalog snapshot and lists every
 * difference: tables, columns (type, nullability, default, generated), keys, checks, indexes,
 * RLS, grants, views, enums and functions' security.
 */
import type { Drift, DriftObject } from './drift.ts'
import type { ExpectedSchema, ExpectedTable } from './expected.ts'
import type { ApiRole, CatalogConstraint, CatalogFunction, CatalogSnapshot, CatalogTable } from './types.ts'
import { changed, missing, sortDrifts, unexpected } from './drift.ts'
import { functionSignature } from './expected.ts'
import { canonicalType, jsonEqual, normalizeSearchPath, qualifiedName, shortName } from './normalize.ts'

const API_ROLES: readonly ApiRole[] = ['anon', 'authenticated', 'service_role']
const TABLE_KINDS = new Set(['table', 'partitioned table'])

const CONSTRAINT_OBJECT: Record<CatalogConstraint['type'], DriftObject> = {
  'primary key': 'primary key',
  'foreign key': 'foreign key',
  unique: 'unique',
  check: 'check',
  exclusion: 'exclusion',
  trigger: 'constraint',
}

/** Every difference between `expected` and `snapshot`, in a stable order. */
export function diffSchema(expected: ExpectedSchema, snapshot: CatalogSnapshot): Drift[] {
  const drifts: Drift[] = []
  const inSchema = (qualified: string) => qualified.startsWith(`${expected.schema}.`)
  const local = (qualified: string) => shortName(qualified, expected.schema)

  for (const [name, table] of Object.entries(expected.tables)) {
    const found = snapshot.tables[qualifiedName(name, expected.schema)]
    if (!found) drifts.push(missing('table', name, name, { columns: Object.keys(table.columns) }))
    else if (!TABLE_KINDS.has(found.kind)) drifts.push(changed('table', name, name, 'kind', 'table', found.kind))
    else drifts.push(...diffTable(name, table, found, expected.schema))
  }
  for (const [view, spec] of Object.entries(expected.views)) {
    const found = snapshot.tables[qualifiedName(view, expected.schema)]
    if (!found) drifts.push(missing('view', view, view, spec))
    else if (TABLE_KINDS.has(found.kind)) drifts.push(changed('view', view, view, 'kind', 'view', found.kind))
    else {
      const columns = orderedColumns(found)
      if (!jsonEqual(columns, spec.columns)) drifts.push(changed('view', view, view, 'columns', spec.columns, columns))
    }
  }
  for (const [qualified, found] of Object.entries(snapshot.tables)) {
    if (!inSchema(qualified)) continue
    const name = local(qualified)
    if (expected.tables[name] || expected.views[name]) continue
    const object = TABLE_KINDS.has(found.kind) ? 'table' : 'view'
    drifts.push(unexpected(object, name, name, { kind: found.kind, columns: orderedColumns(found) }))
  }

  for (const [name, values] of Object.entries(expected.enums)) {
    const found = snapshot.enums[qualifiedName(name, expected.schema)]
    if (!found) drifts.push(missing('enum', null, name, values))
    else if (!jsonEqual(found, values)) drifts.push(changed('enum', null, name, 'values', [...values], found))
  }
  for (const [qualified, values] of Object.entries(snapshot.enums)) {
    if (inSchema(qualified) && !expected.enums[local(qualified)]) drifts.push(unexpected('enum', null, local(qualified), values))
  }

  drifts.push(...diffFunctions(expected, snapshot))
  return sortDrifts(drifts)
}

function orderedColumns(table: CatalogTable): string[] {
  return Object.entries(table.columns)
    .sort(([, a], [, b]) => a.position - b.position)
    .map(([name]) => name)
}

function diffTable(name: string, expected: ExpectedTable, found: CatalogTable, schema: string): Drift[] {
  const drifts: Drift[] = []

  for (const [column, spec] of Object.entries(expected.columns)) {
    const col = found.columns[column]
    if (!col) {
      drifts.push(missing('column', name, column, spec))
      continue
    }
    const actual = {
      type: canonicalType(col.type, schema),
      nullable: col.nullable,
      hasDefault: col.default !== null || col.generated !== null || col.identity !== null,
      generated: col.generated !== null,
    }
    const wanted = { ...spec, type: canonicalType(spec.type, schema) }
    for (const key of ['type', 'nullable', 'hasDefault', 'generated'] as const) {
      if (actual[key] !== wanted[key]) drifts.push(changed('column', name, column, key, wanted[key], actual[key]))
    }
  }
  for (const [column, col] of Object.entries(found.columns)) {
    if (!expected.columns[column]) drifts.push(unexpected('column', name, column, { type: canonicalType(col.type, schema), nullable: col.nullable }))
  }

  const constraints = Object.entries(found.constraints)
  const pk = constraints.find(([, c]) => c.type === 'primary key')
  if (!pk) drifts.push(missing('primary key', name, `${name}_pkey`, expected.primaryKey))
  else if (!jsonEqual(pk[1].columns, expected.primaryKey)) {
    drifts.push(changed('primary key', name, pk[0], 'columns', expected.primaryKey, pk[1].columns))
  }

  for (const [fkName, fk] of Object.entries(expected.foreignKeys)) {
    const con = found.constraints[fkName]
    if (!con) {
      drifts.push(missing('foreign key', name, fkName, fk))
      continue
    }
    if (con.type !== 'foreign key') {
      drifts.push(changed('foreign key', name, fkName, 'type', 'foreign key', con.type))
      continue
    }
    const wanted = { table: qualifiedName(fk.references.table, schema), columns: fk.references.columns }
    if (!jsonEqual(con.columns, fk.columns)) drifts.push(changed('foreign key', name, fkName, 'columns', fk.columns, con.columns))
    if (!jsonEqual(con.references, wanted)) drifts.push(changed('foreign key', name, fkName, 'references', wanted, con.references))
    if (con.onDelete !== fk.onDelete) drifts.push(changed('foreign key', name, fkName, 'onDelete', fk.onDelete, con.onDelete))
  }
  for (const [uqName, columns] of Object.entries(expected.unique)) {
    const con = found.constraints[uqName]
    if (!con) drifts.push(missing('unique', name, uqName, columns))
    else if (con.type !== 'unique') drifts.push(changed('unique', name, uqName, 'type', 'unique', con.type))
    else if (!jsonEqual(con.columns, columns)) drifts.push(changed('unique', name, uqName, 'columns', columns, con.columns))
  }
  for (const check of expected.checks) {
    const con = found.constraints[check]
    if (!con) drifts.push(missing('check', name, check, 'check constraint'))
    else if (con.type !== 'check') drifts.push(changed('check', name, check, 'type', 'check', con.type))
  }
  const declared = new Set([...Object.keys(expected.foreignKeys), ...Object.keys(expected.unique), ...expected.checks])
  for (const [conName, con] of constraints) {
    if (con.type === 'primary key' || declared.has(conName)) continue
    drifts.push(unexpected(CONSTRAINT_OBJECT[con.type], name, conName, con.definition))
  }

  for (const [indexName, spec] of Object.entries(expected.indexes)) {
    const index = found.indexes[indexName]
    if (!index) {
      drifts.push(missing('index', name, indexName, spec))
      continue
    }
    if (!jsonEqual(index.columns, spec.columns)) drifts.push(changed('index', name, indexName, 'columns', spec.columns, index.columns))
    const method = spec.method ?? 'btree'
    if (index.method !== method) drifts.push(changed('index', name, indexName, 'method', method, index.method))
    if (spec.unique !== undefined && index.unique !== spec.unique) drifts.push(changed('index', name, indexName, 'unique', spec.unique, index.unique))
  }

  if (expected.rls !== undefined && found.rls !== expected.rls) drifts.push(changed('rls', name, name, 'enabled', expected.rls, found.rls))

  if (expected.grants) {
    for (const role of API_ROLES) {
      const wanted = [...(expected.grants[role] ?? [])].sort()
      const actual = found.grants[role] ?? []
      if (!jsonEqual(actual, wanted)) drifts.push(changed('grant', name, role, 'privileges', wanted, actual))
    }
  }
  for (const role of API_ROLES) {
    const wanted = expected.columnGrants[role] ?? {}
    const actual = found.columnGrants[role] ?? {}
    for (const column of new Set([...Object.keys(wanted), ...Object.keys(actual)])) {
      const w = [...(wanted[column] ?? [])].sort()
      const a = actual[column] ?? []
      if (!jsonEqual(w, a)) drifts.push(changed('column grant', name, `${role} on ${column}`, 'privileges', w, a))
    }
  }
  return drifts
}

/**
 * The result type as the models spell it (the type of `prorettype`): `SETOF uuid` -> `uuid`,
 * `TABLE(…)` -> `record`.
 * @note The models carry no set-returning flag, so scalar vs set is not compared.
 */
function returnType(printed: string, schema: string): string {
  const t = printed.trim()
  if (/^table\s*\(/i.test(t)) return 'record'
  return canonicalType(t.replace(/^setof\s+/i, ''), schema)
}

/** `public.name(public.entity_type, uuid)` -> `name(entity_type, uuid)`, types canonical. */
function canonicalSignature(qualified: string, schema: string): string {
  const name = shortName(qualified, schema)
  const open = name.indexOf('(')
  const args = name.slice(open + 1, -1)
  return functionSignature(name.slice(0, open), args === '' ? [] : args.split(', '), schema)
}

function diffFunctions(expected: ExpectedSchema, snapshot: CatalogSnapshot): Drift[] {
  const drifts: Drift[] = []
  const prefix = `${expected.schema}.`
  const found = new Map(
    Object.entries(snapshot.functions)
      .filter(([qualified]) => qualified.startsWith(prefix))
      .map(([qualified, fn]) => [canonicalSignature(qualified, expected.schema), fn]),
  )
  const definerRule = (signature: string, fn: CatalogFunction) => {
    if (fn.securityDefiner && normalizeSearchPath(fn.searchPath) === null) {
      drifts.push(changed('function', null, signature, 'searchPath', 'pinned', null))
    }
  }
  if (!expected.functions) {
    // Without declared functions, the one rule that always holds: a definer function pins its path.
    for (const [signature, fn] of found) definerRule(signature, fn)
    return drifts
  }
  for (const [signature, spec] of Object.entries(expected.functions)) {
    const fn = found.get(signature)
    if (!fn) {
      drifts.push(missing('function', null, signature, spec))
      continue
    }
    const returns = returnType(fn.returns ?? '', expected.schema)
    if (returns !== spec.returns) drifts.push(changed('function', null, signature, 'returns', spec.returns, returns))
    if (fn.securityDefiner !== spec.securityDefiner) {
      drifts.push(changed('function', null, signature, 'securityDefiner', spec.securityDefiner, fn.securityDefiner))
    }
    const path = normalizeSearchPath(fn.searchPath)
    if (expected.checkSearchPath && path !== normalizeSearchPath(spec.searchPath)) {
      drifts.push(changed('function', null, signature, 'searchPath', normalizeSearchPath(spec.searchPath), path))
    } else if (!expected.checkSearchPath) definerRule(signature, fn)
    if (expected.checkExecute && !jsonEqual(fn.executableBy, spec.executableBy)) {
      drifts.push(changed('function', null, signature, 'executableBy', spec.executableBy, fn.executableBy))
    }
  }
  for (const [signature, fn] of found) {
    if (expected.functions[signature]) continue
    drifts.push(
      unexpected('function', null, signature, {
        arguments: fn.arguments,
        securityDefiner: fn.securityDefiner,
        searchPath: normalizeSearchPath(fn.searchPath),
        executableBy: fn.executableBy,
      }),
    )
  }
  return drifts
}
