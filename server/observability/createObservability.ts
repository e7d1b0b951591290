/**
 * The one factory the server calls: it builds the logger, metrics, health, dashboard figures,
 * webhooks and alerting, and returns the pieces to mount (`middleware`, `routes`, `wrapTool`,
 * `fetch` for supabase-js).
 */
import type { Logger } from 'pino'
import type { Middleware } from '../http/types.ts'
import type { DashboardData, Observability, ObservabilityOptions } from './types.ts'
import type { DeploymentEvent } from './webhooks/vercel.ts'

import { correlationFetch, correlationMiddleware } from './correlation.ts'
import { createHealth } from './health.ts'
import { createLogger } from './logger.ts'
import { createMetrics } from './metrics.ts'
import { knownRoutes, requestLogMiddleware } from './requestLog.ts'
import { RollingStats } from './RollingStats.ts'
import { OBSERVABILITY_PATHS, createRoutes } from './routes.ts'
import { AlertSender } from './webhooks/AlertSender.ts'
import { createAlertMonitor } from './webhooks/alertMonitor.ts'
import { vercelWebhookHandler } from './webhooks/vercel.ts'
import { withObservability } from './wrapTool.ts'

const KEPT_DEPLOYMENTS = 20

/** Builds the server's observability layer. Cheap; the only timer it starts is unref'd. */
export function createObservability(options: ObservabilityOptions = {}): Observability {
  const service = options.service ?? 'atoms-mcp'
  const version = options.version ?? '0.0.0'
  const startedAt = Date.now()
  const ownLogger = !isLogger(options.logger)
  const logger: Logger = isLogger(options.logger)
    ? options.logger
    : createLogger({ ...options.logger, base: { service, version, ...options.logger?.base } })
  const metrics = createMetrics({ ...options.metrics, liveSessions: options.liveSessions })
  const stats = new RollingStats(options.dashboard)
  const alertOptions = options.alerts ?? {}
  const alerts = new AlertSender({ ...alertOptions, urls: alertOptions.urls ?? [], service, logger, metrics })

  let monitor: ReturnType<typeof createAlertMonitor> | undefined
  const health = createHealth({
    checks: options.readiness,
    timeoutMs: options.healthTimeoutMs,
    onReadiness: (report) => monitor?.onReadiness(report),
  })
  monitor = createAlertMonitor({
    sender: alerts,
    health,
    stats,
    logger,
    errorRateThreshold: alertOptions.errorRateThreshold,
    minCalls: alertOptions.minCalls,
    // Background evaluation only matters when someone receives the alerts.
    intervalMs: alerts.enabled ? alertOptions.intervalMs : 0,
  })

  const deployments: DeploymentEvent[] = []
  const vercel = vercelWebhookHandler({
    secret: options.vercel?.secret,
    logger,
    metrics,
    onEvent: async (event) => {
      deployments.push(event)
      if (deployments.length > KEPT_DEPLOYMENTS) deployments.shift()
      await options.vercel?.onDeployment?.(event)
    },
  })

  const dashboard = async (): Promise<DashboardData> => {
    const last = health.last()
    const dead = alerts.deadLetters()
    return {
      service,
      version,
      generatedAt: new Date().toISOString(),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 10) / 100,
      liveSessions: await metrics.liveSessions(),
      readiness: last ? { status: last.status, failing: last.failing } : null,
      ...stats.snapshot(),
      deployments: [...deployments].reverse(),
      alerts: { deadLetters: dead.length, recentDeadLetters: dead.slice(-10).reverse() },
    }
  }

  const routeNames = [...(options.routes ?? ['/mcp']), ...OBSERVABILITY_PATHS]
  const requestLog = requestLogMiddleware({ logger, metrics, stats, routeOf: knownRoutes(routeNames) })
  const middleware: Middleware = (next) => correlationMiddleware(requestLog(next))
  const paths = new Set(OBSERVABILITY_PATHS)

  return {
    logger,
    metrics,
    stats,
    health,
    alerts,
    middleware,
    routes: createRoutes({ metrics, health, version, startedAt, dashboard, vercel }),
    paths: OBSERVABILITY_PATHS,
    handles: (request) => paths.has(new URL(request.url).pathname),
    wrapTool: (invoker) => withObservability(invoker, { logger, metrics, stats }),
    fetch: correlationFetch(globalThis.fetch, ({ method, url, status, ms, response, error }) => {
      const source = sourceOf(url)
      if (error !== undefined) {
        metrics.supabaseError('NETWORK', source)
        logger.warn({ method, url: url.origin + url.pathname, ms, err: error }, 'supabase request failed')
        return
      }
      logger.debug({ method, url: url.origin + url.pathname, status, ms }, 'supabase request')
      if (response && status !== undefined && status >= 400) {
        void errorCode(response).then((code) => metrics.supabaseError(code, source))
      }
    }),
    dashboard,
    async close() {
      monitor?.stop()
      await alerts.close()
      if (ownLogger) await new Promise<void>((resolve) => logger.flush(() => resolve()))
    },
  }
}

function isLogger(value: unknown): value is Logger {
  return typeof value === 'object' && value !== null && typeof (value as Logger).child === 'function' && typeof (value as Logger).info === 'function'
}

function sourceOf(url: URL): string {
  const match = /^\/(rest|auth|storage|functions|realtime)\/v1\//.exec(url.pathname)
  return match?.[1] ?? 'http'
}

// PostgREST answers { code: '42501' | 'PGRST116' … }, GoTrue { error_code: 'invalid_credentials',
// code: 400 } (older GoTrue: { error: 'invalid_grant' }); without a readable body the HTTP
// status stands in for the code.
async function errorCode(response: Response): Promise<string> {
  try {
    if (!response.headers.get('content-type')?.includes('json')) return String(response.status)
    const body = (await response.clone().json()) as Record<string, unknown>
    const code = body.error_code ?? body.code ?? body.error
    return typeof code === 'string' || typeof code === 'number' ? String(code) : String(response.status)
  } catch {
    return String(response.status)
  }
}
