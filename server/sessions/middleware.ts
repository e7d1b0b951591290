/**
 * The HTTP face of the session layer: a `Middleware` the server puts in front of the MCP
 * endpoint. It serves the auth routes under `authPath` and, for every other request,
 * rate-limits, authenticates and fills `ctx.accessToken`, `ctx.userId` and `ctx.sessionId`.
 * A bearer token is a session's token (from the routes below) or, when the manager has a
 * verifier, a bare Supabase access token, verified and adopted as a session on first use.
 *
 * Routes (JSON): `POST /login {email, password}`, `POST /session {refresh_token}`,
 * `POST /verify {password}` (answers CHALLENGE_REQUIRED), `POST /logout`, `GET /sessions`,
 * `DELETE /sessions/<id>`. A grant is `{session_id, access_token, token_type, expires_at,
 * expires_in, user}`; after a refresh, responses carry `x-access-token` and
 * `x-access-token-expires-at` (epoch s) for the client to switch to.
 */
import type { Middleware, RequestContext } from '../http/types.ts'
import type { SessionManager } from './SessionManager.ts'
import type { ClientMeta } from './types.ts'
import { SessionError, TokenMissingError } from './errors.ts'
import { deviceFingerprint, locationFromHeaders } from './fingerprint.ts'
import { shortHash, tokenId } from './internal/ids.ts'
import { bearerToken, errorResponse, grantResponse, isToolCall, json, readJsonObject } from './internal/http.ts'

/** Options of `sessionMiddleware`. */
export interface SessionMiddlewareOptions {
  /** Path prefix of the auth routes (default `/auth`). */
  authPath?: string
  /** Exact paths served without a session (default `['/health']`). */
  publicPaths?: string[]
  /** Device fingerprint of a request (default `deviceFingerprint`). */
  fingerprint?: (request: Request) => string
}

/** Sessions in front of an MCP endpoint. */
export function sessionMiddleware(manager: SessionManager, options: SessionMiddlewareOptions = {}): Middleware {
  const authPath = (options.authPath ?? '/auth').replace(/\/+$/, '')
  const publicPaths = new Set(options.publicPaths ?? ['/health'])
  const fingerprint = options.fingerprint ?? deviceFingerprint
  return (next) => async (request, ctx) => {
    const path = new URL(request.url).pathname
    if (publicPaths.has(path)) return next(request, ctx)
    const meta: ClientMeta = {
      ip: ctx.ip || 'unknown',
      device: fingerprint(request),
      location: locationFromHeaders(request, manager.config.geoHeaders),
    }
    try {
      if (path === authPath || path.startsWith(`${authPath}/`)) return await authRoute(manager, request, meta, path.slice(authPath.length))
      const budget = await isToolCall(request) ? 'tool' : 'general'
      await manager.rateLimiter.checkIp(budget, meta.ip)
      const token = bearerToken(request)
      if (!token) throw new TokenMissingError()
      const auth = await manager.authenticate(token, meta)
      await manager.rateLimiter.checkUser(budget, auth.userId, meta.ip)
      bind(ctx, auth)
      let response = await next(request, ctx)
      const mcpSessionId = response.headers.get('mcp-session-id')
      if (mcpSessionId && mcpSessionId !== auth.session.mcpSessionId) await manager.bindMcpSession(auth.sessionId, mcpSessionId)
      if (auth.rotated) {
        // Copy: a downstream Response may carry immutable headers.
        response = new Response(response.body, response)
        response.headers.set('x-access-token', auth.accessToken)
        response.headers.set('x-access-token-expires-at', String(Math.floor(auth.expiresAt / 1000)))
      }
      return response
    } catch (error) {
      if (error instanceof SessionError) return errorResponse(error)
      throw error
    }
  }
}

function bind(ctx: RequestContext, auth: { accessToken: string, userId: string, sessionId: string }): void {
  ctx.accessToken = auth.accessToken
  ctx.userId = auth.userId
  ctx.sessionId = auth.sessionId
}

async function authRoute(manager: SessionManager, request: Request, meta: ClientMeta, route: string): Promise<Response> {
  const limiter = manager.rateLimiter
  const method = request.method
  if (route === '/login' && method === 'POST') {
    const body = await readJsonObject(request)
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : ''
    await limiter.check('auth', { ip: meta.ip, user: email ? `login:${shortHash(email)}` : null })
    return grantResponse(await manager.login({ email, password: body.password as string }, meta))
  }
  if (route === '/session' && method === 'POST') {
    await limiter.check('auth', { ip: meta.ip })
    const body = await readJsonObject(request)
    return grantResponse(await manager.adopt({ refreshToken: body.refresh_token as string }, meta))
  }
  const token = bearerToken(request)
  if (route === '/verify' && method === 'POST') {
    if (!token) throw new TokenMissingError()
    await limiter.check('auth', { ip: meta.ip, user: `login:${tokenId(token).slice(0, 16)}` })
    const body = await readJsonObject(request)
    return grantResponse(await manager.verifyChallenge(token, body.password as string, meta))
  }
  if (route === '/logout' && method === 'POST') {
    if (!token) throw new TokenMissingError()
    await limiter.check('auth', { ip: meta.ip })
    await manager.logout(token, meta)
    return new Response(null, { status: 204 })
  }
  const own = /^\/sessions(?:\/([^/]+))?$/.exec(route)
  if (own && (method === 'GET' || method === 'DELETE')) {
    await limiter.checkIp('general', meta.ip)
    if (!token) throw new TokenMissingError()
    const auth = await manager.authenticate(token, meta)
    if (method === 'GET' && !own[1]) return json({ sessions: await manager.listSessions({ userId: auth.userId }) })
    if (method === 'DELETE' && own[1]) {
      const target = await manager.getSession(decodeURIComponent(own[1]))
      if (!target || target.userId !== auth.userId) return json({ error: { code: 'NOT_FOUND', message: `No session "${own[1]}" of yours; list them with GET /auth/sessions` } }, 404)
      await manager.revokeSession(target.id, { actor: `user:${auth.userId}`, reason: 'ended by its owner', ip: meta.ip })
      return new Response(null, { status: 204 })
    }
  }
  if (['/login', '/session', '/verify', '/logout'].includes(route)) {
    return json({ error: { code: 'METHOD_NOT_ALLOWED', message: `"${method}" is not allowed on "${route}"; use POST` } }, 405, { allow: 'POST' })
  }
  return json({ error: { code: 'NOT_FOUND', message: `No auth route "${route}"; see server/sessions/middleware.ts` } }, 404)
}
