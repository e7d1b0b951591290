/**
 * The parse phase of a REST request: path → resource (table or `rpc/<fn>`), query string →
 * `QueryAst`, headers → preferences, media type and schema profile. Runs once, before any
 * database work; everything it refuses is a PostgREST error.
 */
import type { MediaChoice, Preferences, QueryAst } from './types.ts'
import { PostgrestError, unsupported } from './errors.ts'
import { EXPOSED_SCHEMA, checkPreferences, checkProfile, parseAccept, parsePrefer } from './parseHeaders.ts'
import { parseQuery } from './parseQuery.ts'

/** A request under `/rest/v1`, parsed. */
export interface RestRequest {
  method: string
  headers: Headers
  /** `table` for `/rest/v1/<table>`, `rpc` for `/rest/v1/rpc/<fn>`. */
  kind: 'table' | 'rpc'
  /** The table or function name, percent-decoded. */
  resource: string
  ast: QueryAst
  prefs: Preferences
  media: MediaChoice
  /** `Content-Profile: public` when the client negotiated the schema, as PostgREST echoes it. */
  profileHeader: Record<string, string>
}

/** Parses `request`, whose path is `prefix` followed by the resource. */
export function parseRequest(request: Request, prefix: string): RestRequest {
  const url = new URL(request.url)
  const method = request.method.toUpperCase()
  const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
  const segments = rest.split('/').filter((s) => s !== '').map(decodeSegment)
  let kind: RestRequest['kind']
  let resource: string
  if (segments.length === 0) throw unsupported('The root endpoint (OpenAPI description)')
  if (segments.length === 1) {
    kind = 'table'
    resource = segments[0] as string
  } else if (segments.length === 2 && segments[0] === 'rpc') {
    kind = 'rpc'
    resource = segments[1] as string
  } else {
    throw new PostgrestError(404, { code: 'PGRST125', message: 'Invalid path specified in request URL' })
  }
  checkMethod(kind, method)
  const negotiated = checkProfile(request.headers, method)
  const prefs = parsePrefer(request.headers)
  checkPreferences(prefs)
  const media = parseAccept(request.headers)
  const ast = parseQuery(url.searchParams, { rpcRead: kind === 'rpc' && (method === 'GET' || method === 'HEAD') })
  return {
    method,
    headers: request.headers,
    kind,
    resource,
    ast,
    prefs,
    media,
    profileHeader: negotiated ? { 'Content-Profile': EXPOSED_SCHEMA } : {},
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new PostgrestError(404, { code: 'PGRST125', message: 'Invalid path specified in request URL' })
  }
}

function checkMethod(kind: RestRequest['kind'], method: string): void {
  if (kind === 'rpc') {
    if (method === 'OPTIONS') throw unsupported('OPTIONS on a function')
    if (!['GET', 'HEAD', 'POST'].includes(method)) {
      throw new PostgrestError(405, { code: 'PGRST101', message: `Cannot use the ${method} method on RPC` })
    }
    return
  }
  if (method === 'PUT') throw unsupported('PUT (single-row upsert)')
  if (method === 'OPTIONS') throw unsupported('OPTIONS on a table')
  if (!['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'].includes(method)) {
    throw new PostgrestError(405, { code: 'PGRST117', message: `Unsupported HTTP method: ${method}` })
  }
}
