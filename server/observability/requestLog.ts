/**
 * Access log and HTTP metrics for every request, plus a last-resort 500 that still carries the
 * correlation id when a handler throws.
 */
import type { Logger } from 'pino'
import type { FetchHandler, Middleware, RequestContext } from '../http/types.ts'
import type { Metrics } from './metrics.ts'
import type { RollingStats } from './RollingStats.ts'

/** Maps a request to a bounded route name for metric labels. */
export type RouteNamer = (request: Request, url: URL) => string

/** Options of {@link requestLogMiddleware}. */
export interface RequestLogOptions {
  logger: Logger
  metrics: Metrics
  stats: RollingStats
  /** Route names for labels; default {@link knownRoutes} over `routes`. */
  routeOf?: RouteNamer
}

/** Routes that are scraped often and logged at debug level only. */
const QUIET = new Set(['/metrics', '/health', '/health/live', '/health/ready'])

/** A route namer that keeps the listed paths (and paths under `prefix/`) and calls the rest `other`. */
export function knownRoutes(routes: readonly string[]): RouteNamer {
  const exact = new Set(routes)
  return (_request, url) => {
    if (exact.has(url.pathname)) return url.pathname
    for (const route of routes) if (url.pathname.startsWith(`${route}/`)) return route
    return 'other'
  }
}

/**
 * Logs one line per request (method, route, status, ms; never headers), counts it in
 * `http_requests_total` and the dashboard, and answers a thrown handler error with a JSON 500
 * naming the request id. Mount inside `correlationMiddleware` so lines carry the id.
 */
export function requestLogMiddleware(options: RequestLogOptions): Middleware {
  const { logger, metrics, stats } = options
  const routeOf = options.routeOf ?? knownRoutes(['/mcp'])
  return (next: FetchHandler): FetchHandler => async (request: Request, ctx: RequestContext) => {
    const started = performance.now()
    const url = new URL(request.url)
    const route = routeOf(request, url)
    let response: Response
    try {
      response = await next(request, ctx)
    } catch (error) {
      logger.error({ method: request.method, route, err: error }, 'request handler threw')
      response = Response.json(
        { error: { code: 'INTERNAL', message: `Internal error; quote request id "${ctx.requestId}" when reporting it`, requestId: ctx.requestId } },
        { status: 500 },
      )
    }
    const ms = performance.now() - started
    metrics.httpRequest(request.method, route, response.status, ms / 1000)
    stats.recordHttp(request.method, route, response.status, ctx.requestId)
    const line = { method: request.method, route, status: response.status, ms: Math.round(ms * 1000) / 1000 }
    if (QUIET.has(route) && response.status < 500) logger.debug(line, 'request')
    else logger.info(line, 'request')
    return response
  }
}
