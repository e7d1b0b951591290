/** Small HTTP helpers of the middleware: bearer parsing, JSON bodies, error and grant responses. */
import type { SessionGrant } from '../SessionManager.ts'
import { challenge } from '../../http/auth.ts'
import { jsonBodyOf } from '../../http/jsonBody.ts'
import { RateLimitedError, SessionEndedError, SessionInputError, TokenInvalidError } from '../errors.ts'
import type { SessionError } from '../errors.ts'

const MAX_BODY = 64 * 1024

/** The bearer token of a request, if any. */
export function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')
  return match?.[1] ?? null
}

/** A small JSON object body, or `SessionInputError`. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text()
  if (text.length > MAX_BODY) throw new SessionInputError(`Request body is larger than ${MAX_BODY} bytes`)
  let body: unknown
  try {
    body = JSON.parse(text || '{}')
  } catch {
    throw new SessionInputError('Request body is not valid JSON; send a JSON object')
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SessionInputError('Request body must be a JSON object')
  return body as Record<string, unknown>
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
}

/**
 * The refusal for a `SessionError`: `{error: {code, message}}`, `Retry-After` on 429, and on 401
 * the transport's `WWW-Authenticate` challenge (RFC 6750: no error code when no token was sent).
 */
export function errorResponse(error: SessionError): Response {
  const headers: Record<string, string> = {}
  if (error.code === 'TOKEN_MISSING') headers['www-authenticate'] = challenge()
  else if (error.code === 'CHALLENGE_REQUIRED') headers['www-authenticate'] = 'Bearer realm="atoms-mcp", error="challenge_required"'
  else if (error.status === 401) headers['www-authenticate'] = challenge({ reason: shortReason(error) })
  if (error instanceof RateLimitedError) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)))
  return json({ error: { code: error.code, message: error.message } }, error.status, headers)
}

/** A sign-in answer in Supabase Auth's field style (the refresh token stays on the server). */
export function grantResponse(grant: SessionGrant): Response {
  return json({
    session_id: grant.sessionId,
    access_token: grant.accessToken,
    token_type: 'bearer',
    expires_at: Math.floor(grant.expiresAt / 1000),
    expires_in: grant.expiresIn,
    user: grant.user,
    evicted_sessions: grant.evicted,
  })
}

/** Whether a request is an MCP `tools/call` (draws from the tool-call budget); reads the body once for everyone. */
export async function isToolCall(request: Request): Promise<boolean> {
  const body = await jsonBodyOf(request)
  if (body.kind !== 'json') return false
  return (Array.isArray(body.value) ? body.value : [body.value]).some((m) => (m as { method?: unknown } | null)?.method === 'tools/call')
}

/** A few words for `error_description`: the verifier's reason, the session's end, else the code. */
function shortReason(error: SessionError): string {
  if (error instanceof TokenInvalidError) return error.reason
  const code = error.code.toLowerCase().replace(/_/g, ' ')
  return error instanceof SessionEndedError ? `${code}: ${error.reason}` : code
}
