/**
 * The typed query AST the PostgREST subset parses a request into (once), before any catalog
 * lookup or SQL. Names follow PostgREST's own `ApiRequest.Types`.
 * @see https://docs.postgrest.org/en/v12/references/api/tables_views.html
 */

/** One `->` / `->>` step of a JSON path (`data->items->>0`). */
export interface JsonStep {
  /** `->` keeps JSON, `->>` yields text. */
  arrow: '->' | '->>'
  key: string
  /** True for an array index (`->0`, `->-1`). */
  index: boolean
}

/** A column, optionally followed by a JSON path. */
export interface FieldRef {
  name: string
  jsonPath: JsonStep[]
}

/** One item of `select=`. */
export type SelectItem =
  | { kind: 'star' }
  | { kind: 'field'; field: FieldRef; alias?: string; cast?: string }
  | {
      kind: 'embed'
      /** The target: a table, an FK constraint name or an FK column (as PostgREST allows). */
      relation: string
      alias?: string
      /** `!hint`: FK constraint or column that disambiguates the relationship. */
      hint?: string
      /** `!inner` / `!left`. */
      joinType?: 'inner' | 'left'
      items: SelectItem[]
    }

/** Operators that take one value and accept the `(any)` / `(all)` quantifiers. */
export type QuantOperator = 'eq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike' | 'match' | 'imatch'
/** Operators that take one value and no quantifier. */
export type SimpleOperator = 'neq' | 'cs' | 'cd' | 'ov' | 'sl' | 'sr' | 'nxr' | 'nxl' | 'adj'
/** Full-text search operators. */
export type FtsOperator = 'fts' | 'plfts' | 'phfts' | 'wfts'

/** The right-hand side of a filter, e.g. `eq.5`, `in.(1,2)`, `is.null`. */
export type Operation =
  | { op: QuantOperator; quantifier?: 'any' | 'all'; value: string }
  | { op: SimpleOperator; value: string }
  | { op: 'is'; value: 'null' | 'true' | 'false' | 'unknown' }
  | { op: 'isdistinct'; value: string }
  | { op: 'in'; values: string[] }
  | { op: FtsOperator; language?: string; value: string }

/** `column=[not.]op.value`. */
export interface Filter {
  field: FieldRef
  negate: boolean
  operation: Operation
}

/** `or=(…)` / `and=(…)` trees, whose leaves are filters. */
export type LogicTree =
  | { kind: 'filter'; filter: Filter }
  | { kind: 'expr'; negate: boolean; op: 'and' | 'or'; children: LogicTree[] }

/** One term of `order=`. */
export interface OrderTerm {
  field: FieldRef
  direction?: 'asc' | 'desc'
  nulls?: 'first' | 'last'
  /** `order=clients(name)`: ordering by an embedded to-one column (answered "unsupported"). */
  relation?: string
}

/** Something that applies to one level of the embed tree: `[]` is the root, `['projects']` an embed. */
export interface AtPath<T> {
  path: string[]
  value: T
}

/** `limit` / `offset` of one level. */
export interface RangeParams {
  limit?: number
  offset?: number
}

/** Everything the query string says, parsed and typed. */
export interface QueryAst {
  select: SelectItem[]
  filters: AtPath<Filter>[]
  logic: AtPath<LogicTree>[]
  order: AtPath<OrderTerm[]>[]
  /** Keyed by the embed path joined with '.', `''` for the root. */
  ranges: Map<string, RangeParams>
  /** `columns=` of a write. */
  columns?: string[]
  /** `on_conflict=` of an upsert. */
  onConflict?: string[]
  /** Parameters without an operator: the arguments of a GET/HEAD RPC. */
  rpcArgs: [string, string][]
}

/** The `Prefer` header, parsed (unknown preferences are ignored, as PostgREST does by default). */
export interface Preferences {
  return?: 'representation' | 'minimal' | 'headers-only'
  count?: 'exact' | 'planned' | 'estimated'
  resolution?: 'merge-duplicates' | 'ignore-duplicates'
  missing?: 'default' | 'null'
  handling?: 'strict' | 'lenient'
  tx?: 'commit' | 'rollback'
  params?: 'single-object'
  maxAffected?: number
  timezone?: string
}

/** The response body shape the `Accept` header asks for. */
export interface MediaChoice {
  /** `application/vnd.pgrst.object+json`: exactly one row as an object. */
  singular: boolean
  /** `;nulls=stripped`: null-valued keys omitted. */
  stripNulls: boolean
}

/** The rows a request reads or returns: `Range` header intersected with `limit`/`offset`. */
export interface RowRange {
  offset: number
  /** Undefined means no upper bound. */
  limit?: number
}
