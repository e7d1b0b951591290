/** Public types of the observability layer. */
import type { Level, Logger } from 'pino'
import type { FetchHandler, Middleware, ToolInvoker } from '../http/types.ts'
import type { Health, HealthCheck, ReadinessReport } from './health.ts'
import type { LoggerOptions } from './logger.ts'
import type { Metrics, MetricsOptions } from './metrics.ts'
import type { RollingStats, RollingStatsOptions, StatsSnapshot } from './RollingStats.ts'
import type { AlertSender, AlertSenderOptions, DeadLetter } from './webhooks/AlertSender.ts'
import type { DeploymentEvent } from './webhooks/vercel.ts'

/** Options of `createObservability`. Every field is optional. */
export interface ObservabilityOptions {
  /** Service name on log lines, alerts and the dashboard. Default `atoms-mcp`. */
  service?: string
  /** Version reported by `/health` and the dashboard. Default `0.0.0`. */
  version?: string
  /** A ready pino logger, or options for the built-in one (stderr JSON lines). */
  logger?: Logger | LoggerOptions
  /** Metric options (prefix, default process metrics, label budget). */
  metrics?: Omit<MetricsOptions, 'liveSessions'>
  /** Number of live sessions; can also be set later with `metrics.setLiveSessions`. */
  liveSessions?: () => number | Promise<number>
  /** Named readiness checks, e.g. `{ supabase, sessionStore }`. */
  readiness?: Record<string, HealthCheck>
  /** Time limit of each readiness check. Default 2000 ms. */
  healthTimeoutMs?: number
  /** Paths of the server's own routes kept as HTTP metric labels. Default `['/mcp']`. */
  routes?: string[]
  /** Dashboard window options. */
  dashboard?: RollingStatsOptions
  /** Inbound Vercel deployment webhooks; without `secret` the route answers 404. */
  vercel?: {
    secret?: string
    /** Called for every verified event. */
    onDeployment?: (event: DeploymentEvent) => void | Promise<void>
  }
  /** Outbound alert webhooks and when to send them. */
  alerts?: Partial<Omit<AlertSenderOptions, 'logger' | 'metrics' | 'service'>> & {
    /** Tool error rate (0..1) that raises `error_rate_high`. Default 0.25. */
    errorRateThreshold?: number
    /** Fewest calls in the window before the error rate is judged. Default 20. */
    minCalls?: number
    /** Period of background readiness/error-rate evaluation; 0 turns it off. Default 15 s. */
    intervalMs?: number
  }
}

/** What `/api/observability/dashboard` returns. */
export interface DashboardData extends StatsSnapshot {
  service: string
  version: string
  generatedAt: string
  uptimeSeconds: number
  /** `null` when no live-sessions source was given. */
  liveSessions: number | null
  /** The latest readiness evaluation, if one ran. */
  readiness: Pick<ReadinessReport, 'status' | 'failing'> | null
  deployments: DeploymentEvent[]
  alerts: { deadLetters: number, recentDeadLetters: DeadLetter[] }
}

/** Everything the server mounts. */
export interface Observability {
  /** Structured logger (stderr JSON lines, request id stamped, secrets scrubbed). */
  logger: Logger
  /** Recording functions other layers call, e.g. `metrics.rateLimited('ip')`. */
  metrics: Metrics
  /** Sliding-window figures behind the dashboard. */
  stats: RollingStats
  /** Liveness and readiness. */
  health: Health
  /** Outbound alert webhooks. */
  alerts: AlertSender
  /** Outermost middleware: correlation id, access log, HTTP metrics, last-resort 500. */
  middleware: Middleware
  /** Handler of every path in `paths`. */
  routes: FetchHandler
  /** The paths `routes` answers. */
  paths: readonly string[]
  /** True when the request's path belongs to `routes`. */
  handles(request: Request): boolean
  /** Wraps the server's tool invoker (timing, logs, metrics, INTERNAL mapping). */
  wrapTool(invoker: ToolInvoker): ToolInvoker
  /** fetch for supabase-js (`global.fetch`): forwards the request id, counts Supabase errors. */
  fetch: typeof fetch
  /** The dashboard figures now. */
  dashboard(): Promise<DashboardData>
  /** Stops timers, ends alert retries (dead-lettering them) and flushes the log. */
  close(): Promise<void>
}

/** Log levels accepted by `LOG_LEVEL`. */
export type LogLevel = Level | 'silent'
