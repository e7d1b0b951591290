/**
 * Prometheus metrics of the server, kept in a registry of their own so that two servers in one
 * process (tests, benchmarks) never share or clash over a metric. Other layers call the small
 * recording functions (`metrics.rateLimited('ip')`) and never touch prom-client themselves.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Prefix of the server's own metric names. Default `atoms_`. */
  prefix?: string
  /** Also collect Node's process metrics (CPU, memory, event loop, GC). Default true. */
  defaultMetrics?: boolean
  /** Reports the number of live sessions whenever `/metrics` is scraped. */
  liveSessions?: () => number | Promise<number>
  /** Most distinct values kept per label before new ones are counted as `other`. Default 200. */
  maxLabelValues?: number
}

/** The server's metrics and the functions that record them. */
export interface Metrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry
  /** Content type of {@link Metrics.render}'s output. */
  readonly contentType: string
  /** One finished tool call; `outcome` is `ok` or the tool error's code. */
  toolCall(tool: string, operation: string, outcome: string, seconds: number): void
  /** One finished HTTP request; `route` must be a bounded name, not the raw path. */
  httpRequest(method: string, route: string, status: number, seconds: number): void
  /** One Supabase/DB error, by SQLSTATE / PostgREST / GoTrue code. */
  supabaseError(code: string, source?: string): void
  /** One request refused by a rate limiter of the given scope (e.g. `ip`, `user`, `tool`). */
  rateLimited(scope: string): void
  /** One access-token refresh. */
  tokenRefreshed(outcome: 'ok' | 'failed'): void
  /** One webhook delivery attempt's result. */
  webhookDelivery(direction: 'inbound' | 'outbound', kind: string, outcome: string): void
  /** Sets (or replaces) the callback behind the live-sessions gauge. */
  setLiveSessions(source: () => number | Promise<number>): void
  /** Asks the live-sessions callback now; `null` when none is set. */
  liveSessions(): Promise<number | null>
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>
}

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const LABEL_VALUE = /^[A-Za-z0-9_.:/-]{1,64}$/

/** Creates the server's metrics in a fresh registry. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? 'atoms_'
  const registry = new Registry()
  const registers = [registry]
  const label = labelGuard(options.maxLabelValues ?? 200)
  let liveSessions = options.liveSessions

  const toolCalls = new Counter({
    name: `${prefix}tool_calls_total`,
    help: 'Tool calls by tool, operation and outcome (ok or the tool error code).',
    labelNames: ['tool', 'operation', 'outcome'],
    registers,
  })
  const toolSeconds = new Histogram({
    name: `${prefix}tool_call_duration_seconds`,
    help: 'Tool call latency in seconds by tool, operation and outcome (ok or error).',
    labelNames: ['tool', 'operation', 'outcome'],
    buckets: SECONDS,
    registers,
  })
  const httpRequests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    registers,
  })
  const httpSeconds = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP time to response headers in seconds by method and route.',
    labelNames: ['method', 'route'],
    buckets: SECONDS,
    registers,
  })
  const supabaseErrors = new Counter({
    name: `${prefix}supabase_errors_total`,
    help: 'Errors answered by Supabase or the database, by code and source.',
    labelNames: ['code', 'source'],
    registers,
  })
  new Gauge({
    name: `${prefix}live_sessions`,
    help: 'Sessions currently open.',
    registers,
    async collect() {
      if (liveSessions) this.set(await liveSessions())
    },
  })
  const rateLimited = new Counter({
    name: `${prefix}rate_limited_total`,
    help: 'Requests refused by a rate limiter, by scope.',
    labelNames: ['scope'],
    registers,
  })
  const tokenRefreshes = new Counter({
    name: `${prefix}token_refreshes_total`,
    help: 'Access-token refreshes by outcome.',
    labelNames: ['outcome'],
    registers,
  })
  const webhooks = new Counter({
    name: `${prefix}webhook_deliveries_total`,
    help: 'Webhook deliveries by direction (inbound/outbound), kind and outcome.',
    labelNames: ['direction', 'kind', 'outcome'],
    registers,
  })
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry })

  return {
    registry,
    contentType: registry.contentType,
    toolCall(tool, operation, outcome, seconds) {
      const labels = { tool: label('tool', tool), operation: label('operation', operation), outcome: label('outcome', outcome) }
      toolCalls.inc(labels)
      toolSeconds.observe({ tool: labels.tool, operation: labels.operation, outcome: outcome === 'ok' ? 'ok' : 'error' }, seconds)
    },
    httpRequest(method, route, status, seconds) {
      const m = label('method', method.toUpperCase())
      const r = label('route', route)
      httpRequests.inc({ method: m, route: r, status: String(status) })
      httpSeconds.observe({ method: m, route: r }, seconds)
    },
    supabaseError(code, source = 'supabase') {
      supabaseErrors.inc({ code: label('code', code), source: label('source', source) })
    },
    rateLimited(scope) {
      rateLimited.inc({ scope: label('scope', scope) })
    },
    tokenRefreshed(outcome) {
      tokenRefreshes.inc({ outcome })
    },
    webhookDelivery(direction, kind, outcome) {
      webhooks.inc({ direction, kind: label('kind', kind), outcome: label('webhook_outcome', outcome) })
    },
    setLiveSessions(source) {
      liveSessions = source
    },
    liveSessions: async () => (liveSessions ? await liveSessions() : null),
    render: () => registry.metrics(),
  }
}

/**
 * Keeps label cardinality bounded: malformed values and values past the per-label budget are
 * reported as `other`, so a caller-controlled string can never grow the registry without end.
 */
function labelGuard(max: number): (name: string, value: string) => string {
  const seen = new Map<string, Set<string>>()
  return (name, value) => {
    let values = seen.get(name)
    if (!values) seen.set(name, (values = new Set()))
    if (values.has(value)) return value
    if (!LABEL_VALUE.test(value) || values.size >= max) return 'other'
    values.add(value)
    return value
  }
}
