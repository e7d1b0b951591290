/**
 * Plans a read: resolves the query AST against the catalog into a tree of validated nodes
 * (the root and its one level of embeds), with every column, relationship and cast checked,
 * so that `buildSelect` only ever splices catalog names.
 */
import type { Catalog, ColumnInfo, TableInfo } from './catalog.ts'
import type { Relationship } from './relationships.ts'
import type { Filter, FieldRef, JsonStep, LogicTree, Operation, OrderTerm, QueryAst, RowRange, SelectItem } from './types.ts'
import { PostgrestError, notEmbedded, tableNotFound, undefinedColumn, unsupported } from './errors.ts'
import { embedRange } from './parseHeaders.ts'
import { findRelationship, isToOne } from './relationships.ts'

/** A column with its JSON path, checked against the catalog. */
export interface PlannedField {
  column: ColumnInfo
  jsonPath: JsonStep[]
  /** A JSON path on a non-JSON column goes through `to_jsonb()`, as in PostgREST. */
  toJson: boolean
}

/** One output column of a node. */
export type PlannedSelect = { kind: 'star' } | { kind: 'field'; field: PlannedField; alias?: string; cast?: string }

/** A filter on a column, or PostgREST's null filter on an embed (`projects=not.is.null`). */
export type PlannedFilter =
  | { kind: 'column'; field: PlannedField; negate: boolean; operation: Operation }
  | { kind: 'embedNull'; embed: EmbedNode; isNull: boolean }

/** A conjunction/disjunction tree of planned filters. */
export type PlannedLogic =
  | { kind: 'filter'; filter: PlannedFilter }
  | { kind: 'expr'; negate: boolean; op: 'and' | 'or'; children: PlannedLogic[] }

/** One ORDER BY term. */
export interface PlannedOrder {
  field: PlannedField
  direction?: 'asc' | 'desc'
  nulls?: 'first' | 'last'
}

/** One level of the read: a table (or a function's result) and what to take from it. */
export interface ReadNode {
  table: TableInfo
  /** The SQL alias of this level; also the relation named in "column … does not exist". */
  alias: string
  select: PlannedSelect[]
  embeds: EmbedNode[]
  where: PlannedLogic[]
  order: PlannedOrder[]
  range: RowRange
}

/** An embedded resource: a child node joined through a relationship. */
export interface EmbedNode {
  /** The key in the output (alias or relation name); also how filters address it. */
  name: string
  rel: Relationship
  toOne: boolean
  inner: boolean
  /** `projects!inner()`: joined for filtering only, not in the output. */
  hidden: boolean
  node: ReadNode
}

/** What a plan needs besides the AST. */
export interface PlanReadOptions {
  /** The root's range (from `Range`/`limit`/`offset`). */
  range: RowRange
  /** A write: PostgREST ignores every `order` (root and embedded) of a mutation. */
  mutation?: boolean
  /** The table to read, or a function's result shaped as one. */
  table?: TableInfo
}

/** Plans `ast` against `catalog` for the table `name`. */
export function planRead(catalog: Catalog, name: string, ast: QueryAst, options: PlanReadOptions): ReadNode {
  const table = options.table ?? catalog.tables.get(name)
  if (!table) throw tableNotFound(name)
  const root = newNode(table, table.name, options.range)
  const usedAliases = new Set([root.alias])
  planSelect(catalog, root, ast.select, 0, usedAliases)
  for (const embed of root.embeds) embed.node.range = embedRange(ast.ranges.get(embed.name))
  for (const key of ast.ranges.keys()) {
    if (key !== '' && !root.embeds.some((e) => e.name === key)) throw notEmbedded(key.split('.').pop() ?? key)
  }
  for (const { path, value } of ast.filters) {
    const node = nodeAt(root, path)
    node.where.push({ kind: 'filter', filter: planFilter(node, value) })
  }
  for (const { path, value } of ast.logic) {
    const node = nodeAt(root, path)
    node.where.push(planLogic(node, value))
  }
  if (!options.mutation) {
    for (const { path, value } of ast.order) {
      const node = nodeAt(root, path)
      node.order = value.map((term) => planOrder(node, term))
    }
  }
  return root
}

function newNode(table: TableInfo, alias: string, range: RowRange): ReadNode {
  return { table, alias, select: [], embeds: [], where: [], order: [], range }
}

function nodeAt(root: ReadNode, path: string[]): ReadNode {
  if (path.length === 0) return root
  const embed = root.embeds.find((e) => e.name === path[0])
  if (!embed) throw notEmbedded(path[0] as string)
  if (path.length > 1) throw notEmbedded(path[path.length - 1] as string)
  return embed.node
}

/** Resolves a column (and JSON path) of `node`, or fails like Postgres would (42703). */
export function planField(node: ReadNode, field: FieldRef): PlannedField {
  const column = node.table.columns.get(field.name)
  if (!column) throw undefinedColumn(node.alias, field.name)
  const isJson = column.typeName === 'json' || column.typeName === 'jsonb'
  return { column, jsonPath: field.jsonPath, toJson: field.jsonPath.length > 0 && !isJson }
}

function planSelect(catalog: Catalog, node: ReadNode, items: SelectItem[], depth: number, usedAliases: Set<string>): void {
  for (const item of items) {
    if (item.kind === 'star') {
      node.select.push({ kind: 'star' })
    } else if (item.kind === 'field') {
      const planned: PlannedSelect = { kind: 'field', field: planField(node, item.field) }
      const alias = item.alias ?? defaultAlias(item.field)
      if (alias !== undefined) planned.alias = alias
      if (item.cast !== undefined) planned.cast = planCast(catalog, item.cast)
      node.select.push(planned)
    } else {
      if (depth > 0) throw unsupported(`Nested embedding deeper than one level ("${item.relation}" inside an embed)`)
      const rel = findRelationship(catalog, node.table.name, item.relation, item.hint)
      const child = catalog.tables.get(rel.foreignTable)
      if (!child) throw tableNotFound(rel.foreignTable)
      let n = 1
      while (usedAliases.has(`${child.name}_${n}`)) n++
      const alias = `${child.name}_${n}`
      usedAliases.add(alias)
      const embed: EmbedNode = {
        name: item.alias ?? item.relation,
        rel,
        toOne: isToOne(rel),
        inner: item.joinType === 'inner',
        hidden: item.items.length === 0,
        node: newNode(child, alias, { offset: 0 }),
      }
      planSelect(catalog, embed.node, item.items, depth + 1, usedAliases)
      node.embeds.push(embed)
    }
  }
}

/** PostgREST names a JSON path column after its last key (`data->>name` → `name`). */
function defaultAlias(field: FieldRef): string | undefined {
  if (field.jsonPath.length === 0) return undefined
  const keys = field.jsonPath.filter((step) => !step.index)
  return keys.length > 0 ? (keys[keys.length - 1] as JsonStep).key : field.name
}

function planCast(catalog: Catalog, cast: string): string {
  const type = catalog.casts.get(cast)
  if (!type) throw new PostgrestError(400, { code: '42704', message: `type "${cast}" does not exist` })
  return type
}

function planFilter(node: ReadNode, filter: Filter): PlannedFilter {
  const embed = filter.field.jsonPath.length === 0 ? node.embeds.find((e) => e.name === filter.field.name) : undefined
  if (embed && !node.table.columns.has(filter.field.name)) {
    const { operation } = filter
    if (operation.op !== 'is' || operation.value !== 'null') {
      throw new PostgrestError(400, {
        code: 'PGRST120',
        message: `Bad operator on the '${embed.name}' embedded resource`,
        details: 'Only is null or not is null filters are allowed on embedded resources',
      })
    }
    return { kind: 'embedNull', embed, isNull: !filter.negate }
  }
  return { kind: 'column', field: planField(node, filter.field), negate: filter.negate, operation: filter.operation }
}

function planLogic(node: ReadNode, tree: LogicTree): PlannedLogic {
  if (tree.kind === 'filter') return { kind: 'filter', filter: planFilter(node, tree.filter) }
  return { kind: 'expr', negate: tree.negate, op: tree.op, children: tree.children.map((child) => planLogic(node, child)) }
}

function planOrder(node: ReadNode, term: OrderTerm): PlannedOrder {
  if (term.relation !== undefined) {
    throw unsupported(`Ordering by an embedded resource's column ("order=${term.relation}(${term.field.name})")`)
  }
  const planned: PlannedOrder = { field: planField(node, term.field) }
  if (term.direction) planned.direction = term.direction
  if (term.nulls) planned.nulls = term.nulls
  return planned
}

/** Every `::cast` named in a select tree, to resolve before planning. */
export function castsIn(items: SelectItem[]): string[] {
  return items.flatMap((item) => (item.kind === 'field' ? (item.cast ? [item.cast] : []) : item.kind === 'embed' ? castsIn(item.items) : []))
}
