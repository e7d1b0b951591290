/**
 * Renders planned filters and logic trees as SQL, as PostgREST's `pgFmtFilter` does: the column
 * side is a quoted catalog name, every value a parameter of unknown type that Postgres infers
 * from the column (`in` becomes `= ANY($n)` over an array literal).
 */
import type { EmbedNode, PlannedField, PlannedFilter, PlannedLogic } from './planRead.ts'
import type { Operation } from './types.ts'
import type { SqlParams } from './internal/sql.ts'
import { arrayLiteral, ident } from './internal/sql.ts'

const OPERATORS: Record<string, string> = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', ilike: 'ILIKE',
  match: '~', imatch: '~*', cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-',
}

const FTS_FUNCTIONS: Record<string, string> = {
  fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery',
}

const TRILEAN_SQL: Record<string, string> = { null: 'NULL', true: 'TRUE', false: 'FALSE', unknown: 'UNKNOWN' }

/** `"alias"."column"` followed by its JSON path (keys and indexes bound as parameters). */
export function fieldSql(alias: string, field: PlannedField, params: SqlParams): string {
  let sql = `${ident(alias)}.${ident(field.column.name)}`
  if (field.jsonPath.length === 0) return sql
  if (field.toJson) sql = `to_jsonb(${sql})`
  for (const step of field.jsonPath) {
    sql += `${step.arrow}${params.add(step.index ? Number(step.key) : step.key)}::${step.index ? 'int' : 'text'}`
  }
  return sql
}

/** The comparison of `operation` against `lhs`. */
export function operationSql(lhs: string, operation: Operation, params: SqlParams): string {
  switch (operation.op) {
    case 'is':
      return `${lhs} IS ${TRILEAN_SQL[operation.value]}`
    case 'isdistinct':
      return `${lhs} IS DISTINCT FROM ${params.add(operation.value)}`
    case 'in':
      if (operation.values.length === 1 && operation.values[0] === '') return `${lhs} = ANY('{}')`
      return `${lhs} = ANY(${params.add(arrayLiteral(operation.values))})`
    case 'fts':
    case 'plfts':
    case 'phfts':
    case 'wfts': {
      const language = operation.language === undefined ? '' : `${params.add(operation.language)}, `
      return `${lhs} @@ ${FTS_FUNCTIONS[operation.op]}(${language}${params.add(operation.value)})`
    }
    default: {
      const isLike = operation.op === 'like' || operation.op === 'ilike'
      const value = params.add(isLike ? operation.value.replaceAll('*', '%') : operation.value)
      const quantifier = 'quantifier' in operation ? operation.quantifier : undefined
      const rhs = quantifier === 'any' ? `ANY(${value})` : quantifier === 'all' ? `ALL(${value})` : value
      return `${lhs} ${OPERATORS[operation.op]} ${rhs}`
    }
  }
}

/** Renders an embed's null filter (`projects=not.is.null`) as an EXISTS test. */
export type EmbedExists = (embed: EmbedNode) => string

/** One planned filter of the node aliased `alias`. */
export function filterSql(alias: string, filter: PlannedFilter, params: SqlParams, exists: EmbedExists): string {
  if (filter.kind === 'embedNull') return `${filter.isNull ? 'NOT ' : ''}${exists(filter.embed)}`
  const sql = operationSql(fieldSql(alias, filter.field, params), filter.operation, params)
  return filter.negate ? `NOT (${sql})` : sql
}

/** A logic tree of the node aliased `alias`. */
export function logicSql(alias: string, tree: PlannedLogic, params: SqlParams, exists: EmbedExists): string {
  if (tree.kind === 'filter') return filterSql(alias, tree.filter, params, exists)
  const joined = tree.children.map((child) => logicSql(alias, child, params, exists)).join(tree.op === 'and' ? ' AND ' : ' OR ')
  return `${tree.negate ? 'NOT ' : ''}(${joined})`
}
