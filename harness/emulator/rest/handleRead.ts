/**
 * GET and HEAD on `/rest/v1/<table>`: plan, one statement as the caller, then PostgREST's
 * status (200/206/416), `Content-Range` and body (array, or one object for
 * `application/vnd.pgrst.object+json`).
 */
import type { Caller, EmulatorContext } from '../types.ts'
import type { RestRequest } from './parseRequest.ts'
import { countSql, selectSql } from './buildSelect.ts'
import { statementSql } from './buildStatement.ts'
import { singularityError } from './errors.ts'
import { runAsCaller, withCatalog } from './internal/execute.ts'
import { SqlParams } from './internal/sql.ts'
import { topLevelRange } from './parseHeaders.ts'
import { planRead } from './planRead.ts'
import { JSON_CONTENT_TYPE, contentRange, outOfBounds, preferenceApplied, rangeStatus, respond } from './respond.ts'

/** Answers a read of `request.resource`. */
export async function handleRead(request: RestRequest, caller: Caller, ctx: EmulatorContext): Promise<Response> {
  const { ast, prefs, media } = request
  const range = topLevelRange(request.method, request.headers, ast.ranges.get(''))
  const params = new SqlParams()
  const sql = await withCatalog(ctx, ast.select, (catalog) => {
    const root = planRead(catalog, request.resource, ast, { range })
    params.values.length = 0
    const source = selectSql(root, params)
    const count = prefs.count === 'exact' ? countSql(root, params) : undefined
    return statementSql({
      source,
      ...(count === undefined ? {} : { count }),
      body: { kind: 'rows', singular: media.singular, stripNulls: media.stripNulls },
      gucs: false,
    })
  })
  const result = await runAsCaller(ctx, caller, sql, params.values)
  if (media.singular && result.pageTotal !== 1) throw singularityError(result.pageTotal)
  const lower = range.offset
  const upper = lower + result.pageTotal - 1
  const status = rangeStatus(lower, upper, result.total)
  if (status === 416) throw outOfBounds(lower, result.total)
  const headers = {
    'Content-Range': contentRange(lower, upper, result.total),
    ...preferenceApplied(prefs, ['count']),
    ...request.profileHeader,
    // HEAD describes the body it leaves out, as PostgREST does.
    ...(request.method === 'HEAD' ? { 'Content-Type': JSON_CONTENT_TYPE } : {}),
  }
  return respond(status, request.method === 'HEAD' ? null : result.body, headers, result)
}
