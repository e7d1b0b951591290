/**
 * Renders a planned read as SQL the way PostgREST's `readPlanToQuery` does: the root table, one
 * LATERAL join per embed (`row_to_json` for to-one, `json_agg` for to-many), WHERE, ORDER BY,
 * LIMIT/OFFSET; and the COUNT query (inner embeds become EXISTS tests).
 */
import type { EmbedNode, PlannedOrder, PlannedSelect, ReadNode } from './planRead.ts'
import type { RowRange } from './types.ts'
import type { SqlParams } from './internal/sql.ts'
import { fieldSql, logicSql } from './buildFilter.ts'
import { ident, qualified } from './internal/sql.ts'
import { EXPOSED_SCHEMA } from './parseHeaders.ts'

/** `"public"."table" AS "alias"`: the FROM item of a node read from its table. */
export function tableFrom(node: ReadNode): string {
  return `${qualified(EXPOSED_SCHEMA, node.table.name)} AS ${ident(node.alias)}`
}

function selectItemSql(alias: string, item: PlannedSelect, params: SqlParams): string {
  if (item.kind === 'star') return `${ident(alias)}.*`
  let sql = fieldSql(alias, item.field, params)
  if (item.cast !== undefined) sql = `CAST(${sql} AS ${item.cast})`
  if (item.alias !== undefined) sql += ` AS ${ident(item.alias)}`
  else if (item.cast !== undefined) sql += ` AS ${ident(item.field.column.name)}`
  return sql
}

function embedSelectSql(embed: EmbedNode): string | undefined {
  if (embed.hidden) return undefined
  const alias = ident(embed.node.alias)
  return embed.toOne
    ? `row_to_json(${alias}.*)::jsonb AS ${ident(embed.name)}`
    : `COALESCE(${alias}.${alias}, '[]') AS ${ident(embed.name)}`
}

function joinConditions(parentAlias: string, embed: EmbedNode): string[] {
  return embed.rel.columns.map(
    ([parentColumn, childColumn]) => `${ident(embed.node.alias)}.${ident(childColumn)} = ${ident(parentAlias)}.${ident(parentColumn)}`,
  )
}

function orderSql(alias: string, order: PlannedOrder[], params: SqlParams): string {
  if (order.length === 0) return ''
  const terms = order.map((term) => {
    let sql = fieldSql(alias, term.field, params)
    if (term.direction) sql += term.direction === 'asc' ? ' ASC' : ' DESC'
    if (term.nulls) sql += term.nulls === 'first' ? ' NULLS FIRST' : ' NULLS LAST'
    return sql
  })
  return ` ORDER BY ${terms.join(', ')}`
}

/** LIMIT/OFFSET, omitted for the whole range; both bound as parameters. */
export function rangeSql(range: RowRange, params: SqlParams): string {
  if (range.offset === 0 && range.limit === undefined) return ''
  const limit = range.limit === undefined ? 'ALL' : params.add(range.limit)
  return ` LIMIT ${limit} OFFSET ${params.add(range.offset)}`
}

/** `EXISTS (…)` over an embed's rows: for `!inner` counts and `embed=not.is.null` filters. */
function existsSql(parentAlias: string, embed: EmbedNode, params: SqlParams): string {
  const conditions = [...joinConditions(parentAlias, embed), ...whereTerms(embed.node, params)]
  return `EXISTS (SELECT 1 FROM ${tableFrom(embed.node)} WHERE ${conditions.join(' AND ')})`
}

function whereTerms(node: ReadNode, params: SqlParams): string[] {
  return node.where.map((tree) => logicSql(node.alias, tree, params, (embed) => existsSql(node.alias, embed, params)))
}

function whereSql(terms: string[]): string {
  return terms.length === 0 ? '' : ` WHERE ${terms.join(' AND ')}`
}

function joinSql(parentAlias: string, embed: EmbedNode, params: SqlParams): string {
  const child = embed.node
  const alias = ident(child.alias)
  const terms = [...joinConditions(parentAlias, embed), ...whereTerms(child, params)]
  const childQuery = `SELECT ${itemsSql(child, params)} FROM ${tableFrom(child)}${whereSql(terms)}${orderSql(child.alias, child.order, params)}${rangeSql(child.range, params)}`
  const kind = embed.inner ? 'INNER' : 'LEFT'
  if (embed.toOne) return ` ${kind} JOIN LATERAL (${childQuery}) AS ${alias} ON TRUE`
  const aggregated = `SELECT json_agg(${alias})::jsonb AS ${alias} FROM (${childQuery}) AS ${alias}`
  return ` ${kind} JOIN LATERAL (${aggregated}) AS ${alias} ON ${embed.inner ? `${alias}.${alias} IS NOT NULL` : 'TRUE'}`
}

function itemsSql(node: ReadNode, params: SqlParams): string {
  // PostgREST selects every column when a level names none and embeds nothing.
  const own = node.select.length === 0 && node.embeds.length === 0 ? [`${ident(node.alias)}.*`] : node.select.map((item) => selectItemSql(node.alias, item, params))
  const embeds = node.embeds.map(embedSelectSql).filter((sql): sql is string => sql !== undefined)
  return [...own, ...embeds].join(', ')
}

/** Options of `selectSql`. */
export interface SelectSqlOptions {
  /** The root's FROM item (default: its table); a write reads its `pgrst_source` CTE instead. */
  from?: string
  /** Apply the root's WHERE, ORDER BY and range (false when reading back a write). */
  rootClauses?: boolean
}

/** The full SELECT of a planned read. */
export function selectSql(root: ReadNode, params: SqlParams, options: SelectSqlOptions = {}): string {
  const rootClauses = options.rootClauses ?? true
  // Render in textual order so the parameters are numbered the way they appear.
  const items = itemsSql(root, params)
  const joins = root.embeds.map((embed) => joinSql(root.alias, embed, params)).join('')
  const where = rootClauses ? whereSql(whereTerms(root, params)) : ''
  const tail = rootClauses ? `${orderSql(root.alias, root.order, params)}${rangeSql(root.range, params)}` : ''
  return `SELECT ${items} FROM ${options.from ?? tableFrom(root)}${joins}${where}${tail}`
}

/** The COUNT source of a read: its rows before the range, inner embeds as EXISTS. */
export function countSql(root: ReadNode, params: SqlParams, from = tableFrom(root)): string {
  const terms = [...whereTerms(root, params), ...root.embeds.filter((e) => e.inner).map((e) => existsSql(root.alias, e, params))]
  return `SELECT 1 FROM ${from}${whereSql(terms)}`
}

/** The WHERE terms of the root alone (a write's filters). */
export function rootWhereTerms(root: ReadNode, params: SqlParams): string[] {
  return whereTerms(root, params)
}
