/**
 * The HTTP side of the server as one fetch-style handler:
 *
 *   outer middleware (observability: correlation id, access log, metrics)
 *   → host guard (DNS-rebinding protection)
 *   → extra routes (/metrics, /health*, /dashboard… — answered before authentication)
 *   → /mcp: mcp middleware (sessions, rate limits) → bearer auth → MCP endpoint
 *   → anything else: 404
 *
 * The middleware lists are the mount points for the session and observability layers.
 */
import type { ServerDeps } from '../createServer.ts'
import type { TokenVerifier } from './auth.ts'
import type { HostGuardOptions } from './hostGuard.ts'
import type { FetchHandler, Middleware } from './types.ts'

import { bearerAuth } from './auth.ts'
import { hostGuard } from './hostGuard.ts'
import { mcpEndpoint } from './mcpEndpoint.ts'
import { compose } from './types.ts'

/** Extra routes answered before authentication. */
export interface ExtraRoutes {
  /** True when `request` is one of these routes. */
  handles(request: Request): boolean
  handler: FetchHandler
}

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** What each per-request MCP server is built with. */
  deps: Omit<ServerDeps, 'caller'>
  verifier: TokenVerifier
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string
  /** DNS-rebinding protection; `null` turns it off (only behind a proxy that checks Host itself). */
  hostGuard: HostGuardOptions | null
  /** Outermost middleware, first listed is outermost (observability). */
  middleware?: Middleware[]
  /** Middleware between the host guard and bearer auth on the MCP path (sessions, rate limits). */
  mcpMiddleware?: Middleware[]
  /** Routes answered before authentication (health, metrics, dashboard). */
  routes?: ExtraRoutes[]
}

/** Builds the server's HTTP handler. */
export function createHttpApp(options: HttpAppOptions): FetchHandler {
  const path = options.path ?? '/mcp'
  const mcp = compose(mcpEndpoint(options.deps), ...(options.mcpMiddleware ?? []), bearerAuth(options.verifier))
  const routes = options.routes ?? []
  const router: FetchHandler = async (request, ctx) => {
    const route = routes.find((r) => r.handles(request))
    if (route) return route.handler(request, ctx)
    const { pathname } = new URL(request.url)
    if (pathname === path || pathname === `${path}/`) return mcp(request, ctx)
    // The session layer serves its own auth routes (login, refresh, logout) under /auth.
    if (options.mcpMiddleware?.length && pathname.startsWith('/auth/')) return mcp(request, ctx)
    return Response.json({ error: { code: 'NOT_FOUND', message: `No route "${pathname}"; the MCP endpoint is "${path}"` } }, { status: 404 })
  }
  const guarded = options.hostGuard ? compose(router, hostGuard(options.hostGuard)) : router
  return compose(guarded, ...(options.middleware ?? []))
}
