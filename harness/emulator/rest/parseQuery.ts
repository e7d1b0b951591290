/**
 * Turns a request's query string into the typed `QueryAst`, once, before any catalog lookup:
 * which parameters are select/order/limit/logic/filters, and at which embed level each applies
 * (`projects.order=…` applies to the `projects` embed). Mirrors PostgREST's `QueryParams.parse`.
 */
import type { AtPath, Filter, FieldRef, LogicTree, OrderTerm, QueryAst, RangeParams } from './types.ts'
import { Cursor, readFieldName } from './internal/Cursor.ts'
import { looksLikeFilter, parseFilterValue, parseLogicTree, readJsonPath } from './parseFilter.ts'
import { parseOrder } from './parseOrder.ts'
import { parseSelect } from './parseSelect.ts'

const RESERVED = new Set(['select', 'columns', 'on_conflict'])
/** Supabase's gateway takes `?apikey=` itself and hides it from PostgREST. */
const GATEWAY_PARAMS = new Set(['apikey'])
const RESERVED_LAST = new Set(['order', 'limit', 'offset', 'and', 'or'])

/** Options of `parseQuery`. */
export interface ParseQueryOptions {
  /** A GET/HEAD RPC: parameters without an operator are the function's arguments. */
  rpcRead?: boolean
}

/** Parses `params` (the URL's search params) into a `QueryAst`. */
export function parseQuery(params: URLSearchParams, options: ParseQueryOptions = {}): QueryAst {
  const ast: QueryAst = { select: [{ kind: 'star' }], filters: [], logic: [], order: [], ranges: new Map(), rpcArgs: [] }
  const select = params.get('select')
  if (select !== null) ast.select = parseSelect(select)
  const columns = params.get('columns')
  if (columns !== null) ast.columns = parseColumnList(columns, 'columns parameter')
  const onConflict = params.get('on_conflict')
  if (onConflict !== null) ast.onConflict = parseColumnList(onConflict, 'on_conflict parameter')
  const orderSeen = new Set<string>()
  for (const [key, value] of params) {
    if (RESERVED.has(key) || GATEWAY_PARAMS.has(key)) continue
    const segments = key.split('.')
    const last = segments[segments.length - 1] ?? ''
    if (RESERVED_LAST.has(last)) {
      readReserved(ast, key, segments, last, value, orderSeen)
      continue
    }
    if (options.rpcRead && !looksLikeFilter(value)) {
      ast.rpcArgs.push([key, value])
      continue
    }
    const { path, field } = parseTreePath(key)
    ast.filters.push({ path, value: parseFilterValue(field, value) } satisfies AtPath<Filter>)
  }
  return ast
}

function readReserved(ast: QueryAst, key: string, segments: string[], last: string, value: string, orderSeen: Set<string>): void {
  const prefix = segments.slice(0, -1)
  if (last === 'and' || last === 'or') {
    const negate = prefix.includes('not')
    const path = prefix.filter((s) => s !== 'not')
    checkPath(path, key, 'logic path')
    ast.logic.push({ path, value: parseLogicTree(last, negate, value) } satisfies AtPath<LogicTree>)
    return
  }
  checkPath(prefix, key, 'tree path')
  const pathKey = prefix.join('.')
  if (last === 'order') {
    // PostgREST applies the first `order` of a level and ignores repeats.
    if (orderSeen.has(pathKey)) return
    orderSeen.add(pathKey)
    ast.order.push({ path: prefix, value: parseOrder(value) } satisfies AtPath<OrderTerm[]>)
    return
  }
  // Like PostgREST (`readMaybe`), a limit/offset that is not an integer is ignored.
  if (!/^\s*-?\d+\s*$/.test(value)) return
  const range: RangeParams = ast.ranges.get(pathKey) ?? {}
  range[last as 'limit' | 'offset'] = Number(value)
  ast.ranges.set(pathKey, range)
}

/** Embed path segments must be plain names (`projects.limit`). */
function checkPath(path: string[], key: string, what: string): void {
  for (const segment of path) {
    const cursor = new Cursor(segment, `${what} (${key})`)
    readFieldName(cursor)
    if (!cursor.done) throw cursor.fail('delimiter (.)')
  }
}

/** `projects.name->>first` → path `['projects']`, field `name` with a JSON path. */
export function parseTreePath(key: string): { path: string[]; field: FieldRef } {
  const cursor = new Cursor(key, 'tree path')
  const names = [readFieldName(cursor)]
  while (cursor.eat('.')) names.push(readFieldName(cursor))
  const jsonPath = readJsonPath(cursor)
  if (!cursor.done) throw cursor.fail('delimiter (.) or end of input')
  const name = names.pop() as string
  return { path: names, field: { name, jsonPath } }
}

/** `a,b,"c d"` of `columns` / `on_conflict`. */
function parseColumnList(value: string, what: string): string[] {
  const cursor = new Cursor(value, what)
  const names: string[] = []
  for (;;) {
    cursor.skipSpaces()
    names.push(readFieldName(cursor))
    cursor.skipSpaces()
    if (cursor.done) return names
    cursor.expect(',', '"," or end of input')
  }
}
