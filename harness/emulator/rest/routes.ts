/**
 * The PostgREST route group: `restRoutes.resolve(request, caller, ctx)` answers every request
 * under `/rest/v1` in three phases (parse → plan → run as the caller), and turns every failure
 * into PostgREST's error response. Only bugs in the emulator escape as exceptions.
 */
import type { Caller, EmulatorContext, RouteHandler } from '../types.ts'
import type { RestRequest } from './parseRequest.ts'
import { invalidateCatalog } from './catalog.ts'
import { PostgrestError, fromDatabaseError, isDatabaseError } from './errors.ts'
import { handleRead } from './handleRead.ts'
import { handleRpc } from './handleRpc.ts'
import { handleWrite } from './handleWrite.ts'
import { parseRequest } from './parseRequest.ts'
import { JSON_CONTENT_TYPE, errorResponse } from './respond.ts'

/** The path prefix the REST routes serve. */
export const REST_PREFIX = '/rest/v1'

/** SQLSTATEs that mean the catalog cache may be stale (a table, column, type or function went away). */
const STALE_CATALOG = new Set(['42P01', '42703', '42704', '42883'])

/**
 * What Supabase's API gateway answers when a request carries no usable API key; PostgREST is
 * never reached.
 */
function missingApiKey(): Response {
  return new Response(
    JSON.stringify({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' }),
    { status: 401, headers: { 'Content-Type': JSON_CONTENT_TYPE } },
  )
}

async function dispatch(parsed: RestRequest, body: string, caller: Caller, ctx: EmulatorContext): Promise<Response> {
  if (parsed.kind === 'rpc') return handleRpc(parsed, caller, ctx, body)
  if (parsed.method === 'GET' || parsed.method === 'HEAD') return handleRead(parsed, caller, ctx)
  return handleWrite(parsed, caller, ctx, body)
}

/** Answers one request under `/rest/v1`. */
export async function resolveRest(request: Request, caller: Caller | null, ctx: EmulatorContext): Promise<Response> {
  if (!caller) return missingApiKey()
  try {
    const parsed = parseRequest(request, REST_PREFIX)
    const body = ['POST', 'PATCH', 'PUT'].includes(parsed.method) ? await request.text() : ''
    try {
      return await dispatch(parsed, body, caller, ctx)
    } catch (error) {
      if (!isDatabaseError(error) || !STALE_CATALOG.has(error.code)) throw error
      // The cached catalog may name a table, column or function that is gone (DDL rolled back
      // by a test unit). The failed statement rolled back, so plan again once on a fresh catalog.
      invalidateCatalog(ctx.db)
      return await dispatch(parsed, body, caller, ctx)
    }
  } catch (error) {
    if (error instanceof PostgrestError) return errorResponse(error)
    if (isDatabaseError(error)) {
      if (STALE_CATALOG.has(error.code)) invalidateCatalog(ctx.db)
      return errorResponse(fromDatabaseError(error, caller.role))
    }
    throw error
  }
}

/** The PostgREST subset as a route group for the emulator's dispatcher. */
export const restRoutes: RouteHandler = {
  name: 'rest',
  prefix: REST_PREFIX,
  resolve: resolveRest,
}
