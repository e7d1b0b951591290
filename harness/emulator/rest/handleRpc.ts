/**
 * `POST|GET|HEAD /rest/v1/rpc/<fn>`: named arguments from the JSON body (or the query string
 * for GET/HEAD), the result shaped as PostgREST shapes it — a value, an array of values, an
 * object, an array of objects, or 204 for `void` — with select/filters/order/range on row results.
 */
import type { Caller, EmulatorContext } from '../types.ts'
import type { RestRequest } from './parseRequest.ts'
import type { StatementParts } from './buildStatement.ts'
import { countSql, rangeSql, selectSql } from './buildSelect.ts'
import { statementSql } from './buildStatement.ts'
import { invalidBody, singularityError, unsupported } from './errors.ts'
import { runAsCaller, withCatalog } from './internal/execute.ts'
import { SqlParams, ident } from './internal/sql.ts'
import { checkContentType, topLevelRange } from './parseHeaders.ts'
import { planRead } from './planRead.ts'
import { JSON_CONTENT_TYPE, contentRange, outOfBounds, preferenceApplied, rangeStatus, respond } from './respond.ts'
import { callSql, resolveFunction, resultTable, returnsScalar } from './rpc.ts'

function hasEmbed(request: RestRequest): boolean {
  return request.ast.select.some((item) => item.kind === 'embed')
}

/** The arguments as a JSON object text, and their names. */
function readArguments(request: RestRequest, bodyText: string): { json: string; keys: string[] } {
  if (request.method !== 'POST') {
    const args: Record<string, string> = {}
    for (const [key, value] of request.ast.rpcArgs) args[key] = value
    return { json: JSON.stringify(args), keys: Object.keys(args) }
  }
  checkContentType(request.headers)
  if (bodyText.trim() === '') return { json: '{}', keys: [] }
  let value: unknown
  try {
    value = JSON.parse(bodyText)
  } catch {
    throw invalidBody('Empty or invalid json')
  }
  if (Array.isArray(value)) throw unsupported('Calling a function with a JSON array body')
  if (value === null || typeof value !== 'object') throw invalidBody('All object keys must match')
  return { json: bodyText, keys: Object.keys(value) }
}

/** Answers a function call. */
export async function handleRpc(request: RestRequest, caller: Caller, ctx: EmulatorContext, bodyText: string): Promise<Response> {
  const { ast, prefs, media, method } = request
  const args = readArguments(request, bodyText)
  const range = topLevelRange(method, request.headers, ast.ranges.get(''))
  if (hasEmbed(request)) throw unsupported('Embedding on a function result')
  const params = new SqlParams()
  let isVoid = false
  const sql = await withCatalog(ctx, ast.select, (catalog) => {
    params.values.length = 0
    const call = resolveFunction(catalog, request.resource, args.keys, method === 'POST')
    if (method !== 'POST' && call.fn.volatility === 'v') {
      throw unsupported(`Calling the VOLATILE function "${call.fn.name}" with ${method} (PostgREST runs it read-only; call it with POST)`)
    }
    isVoid = call.fn.returnKind === 'void'
    const source = callSql(call, call.singleJson ? bodyText || '{}' : args.json, params)
    let parts: StatementParts
    if (returnsScalar(call.fn)) {
      const plain = ast.select.length === 1 && ast.select[0]?.kind === 'star'
      if (!plain || ast.filters.length > 0 || ast.logic.length > 0 || ast.order.length > 0) {
        throw unsupported(`select/filters/order on the scalar result of "${call.fn.name}"`)
      }
      parts = {
        source,
        outer: `SELECT * FROM pgrst_source${rangeSql(range, params)}`,
        body: { kind: call.fn.returnsSet ? 'setofScalar' : 'scalar', singular: media.singular, stripNulls: media.stripNulls },
        singleRowPage: !call.fn.returnsSet,
      }
      if (prefs.count === 'exact') parts.count = 'SELECT 1 FROM pgrst_source'
    } else {
      const root = planRead(catalog, call.fn.name, ast, { range, table: resultTable(call.fn) })
      const from = `pgrst_source AS ${ident(root.alias)}`
      parts = {
        source,
        outer: selectSql(root, params, { from }),
        body: { kind: call.fn.returnsSet ? 'rows' : 'singleRow', singular: media.singular, stripNulls: media.stripNulls },
        singleRowPage: !call.fn.returnsSet,
      }
      if (prefs.count === 'exact') parts.count = countSql(root, params, from)
    }
    return statementSql(parts)
  })
  const result = await runAsCaller(ctx, caller, sql, params.values, {
    check: (r) => {
      if (media.singular && !isVoid && r.pageTotal !== 1) throw singularityError(r.pageTotal)
    },
  })
  const lower = range.offset
  const upper = lower + result.pageTotal - 1
  const status = rangeStatus(lower, upper, result.total)
  if (status === 416) throw outOfBounds(lower, result.total)
  const headers = { 'Content-Range': contentRange(lower, upper, result.total), ...preferenceApplied(prefs, ['count']), ...request.profileHeader }
  if (isVoid) return respond(204, null, headers, result)
  if (method === 'HEAD') return respond(status, null, { ...headers, 'Content-Type': JSON_CONTENT_TYPE }, result)
  return respond(status, result.body, headers, result)
}
