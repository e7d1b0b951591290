/**
 * The observability HTTP routes as one fetch-style handler: `/metrics`, `/health/live`,
 * `/health/ready`, `/health`, `/dashboard`, `/api/observability/dashboard`, `/webhooks/vercel`.
 */
import type { FetchHandler } from '../http/types.ts'
import type { Health } from './health.ts'
import type { Metrics } from './metrics.ts'

import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard/page.ts'

/** Every path {@link createRoutes} answers. */
export const OBSERVABILITY_PATHS: readonly string[] = [
  '/metrics',
  '/health',
  '/health/live',
  '/health/ready',
  '/dashboard',
  '/api/observability/dashboard',
  '/webhooks/vercel',
]

/** What the routes read from. */
export interface RouteDeps {
  metrics: Metrics
  health: Health
  version: string
  startedAt: number
  dashboard: () => Promise<unknown>
  vercel: (request: Request) => Promise<Response>
}

const NO_STORE = { 'cache-control': 'no-store' }

/** Builds the observability routes; any other path answers a JSON 404. */
export function createRoutes(deps: RouteDeps): FetchHandler {
  const uptime = (): number => Math.round((Date.now() - deps.startedAt) / 10) / 100
  const get: Record<string, () => Promise<Response>> = {
    '/metrics': async () => new Response(await deps.metrics.render(), { headers: { 'content-type': deps.metrics.contentType, ...NO_STORE } }),
    '/health/live': async () => json(200, { ...deps.health.live(), uptimeSeconds: uptime() }),
    '/health/ready': async () => {
      const report = await deps.health.ready()
      return json(report.status === 'ready' ? 200 : 503, report)
    },
    '/health': async () => {
      const ready = await deps.health.ready()
      const ok = ready.status === 'ready'
      return json(ok ? 200 : 503, {
        status: ok ? 'ok' : 'not_ready',
        version: deps.version,
        uptimeSeconds: uptime(),
        live: deps.health.live(),
        ready,
      })
    },
    '/dashboard': async () => new Response(DASHBOARD_HTML, {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': DASHBOARD_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        ...NO_STORE,
      },
    }),
    '/api/observability/dashboard': async () => json(200, await deps.dashboard()),
  }

  return async (request) => {
    const { pathname } = new URL(request.url)
    if (pathname === '/webhooks/vercel') {
      return request.method === 'POST' ? deps.vercel(request) : notAllowed('POST')
    }
    const route = get[pathname]
    if (!route) return json(404, { error: { code: 'NOT_FOUND', message: `No observability route at "${pathname}"` } })
    if (request.method !== 'GET' && request.method !== 'HEAD') return notAllowed('GET, HEAD')
    const response = await route()
    return request.method === 'HEAD' ? new Response(null, response) : response
  }
}

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: NO_STORE })
}

function notAllowed(allow: string): Response {
  return Response.json({ error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${allow}` } }, { status: 405, headers: { allow } })
}
