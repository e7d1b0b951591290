/**
 * In-memory figures over a sliding window for the dashboard: call and error counts per time
 * bucket, latency samples per tool for percentiles, and the most recent errors with their
 * correlation ids. Prometheus keeps the long-term series; this answers "what is happening now"
 * without a Prometheus server.
 */
import { scrubString } from './internal/scrub.ts'

/** Options of {@link RollingStats}. */
export interface RollingStatsOptions {
  /** Length of the sliding window in seconds. Default 300. */
  windowSeconds?: number
  /** Width of one chart bucket in seconds. Default 10. */
  bucketSeconds?: number
  /** Latency samples kept per tool. Default 2048. */
  samplesPerTool?: number
  /** Recent errors kept. Default 50. */
  recentErrors?: number
  /** Clock in epoch milliseconds (tests inject one). */
  now?: () => number
}

/** One error shown on the dashboard. */
export interface RecentError {
  at: string
  requestId: string
  source: 'tool' | 'http'
  /** `tool.operation` or the HTTP route. */
  where: string
  code: string
  message: string
}

/** Figures of one tool over the window. */
export interface ToolFigures {
  tool: string
  calls: number
  errors: number
  errorRate: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
}

/** One chart bucket. */
export interface SeriesPoint {
  at: string
  toolCalls: number
  toolErrors: number
  httpRequests: number
  httpErrors: number
  p50Ms: number
  p95Ms: number
}

/** Rate figures of one kind of traffic over the window. */
export interface Rate {
  total: number
  errors: number
  perSecond: number
  errorRate: number
}

/** What {@link RollingStats.snapshot} returns. */
export interface StatsSnapshot {
  windowSeconds: number
  bucketSeconds: number
  toolCalls: Rate
  http: Rate
  tools: ToolFigures[]
  series: SeriesPoint[]
  recentErrors: RecentError[]
}

interface Bucket {
  start: number
  toolCalls: number
  toolErrors: number
  httpRequests: number
  httpErrors: number
  perTool: Map<string, { calls: number, errors: number }>
  // Reservoir sample of latencies, so a busy bucket costs bounded memory.
  latencies: number[]
  seen: number
}

const BUCKET_SAMPLES = 256

/** Sliding-window figures of tool calls and HTTP requests. */
export class RollingStats {
  readonly #windowMs: number
  readonly #bucketMs: number
  readonly #samplesPerTool: number
  readonly #maxErrors: number
  readonly #now: () => number
  readonly #startedAt: number
  #buckets: Bucket[] = []
  readonly #samples = new Map<string, { at: Float64Array, ms: Float64Array, next: number, size: number }>()
  #errors: RecentError[] = []

  constructor(options: RollingStatsOptions = {}) {
    this.#windowMs = (options.windowSeconds ?? 300) * 1000
    this.#bucketMs = (options.bucketSeconds ?? 10) * 1000
    this.#samplesPerTool = options.samplesPerTool ?? 2048
    this.#maxErrors = options.recentErrors ?? 50
    this.#now = options.now ?? Date.now
    this.#startedAt = this.#now()
  }

  /** Records one finished tool call; `code` is undefined for success. */
  recordTool(tool: string, operation: string, ms: number, requestId: string, code?: string, message?: string): void {
    const at = this.#now()
    const bucket = this.#bucket(at)
    bucket.toolCalls++
    let perTool = bucket.perTool.get(tool)
    if (!perTool) bucket.perTool.set(tool, (perTool = { calls: 0, errors: 0 }))
    perTool.calls++
    bucket.seen++
    if (bucket.latencies.length < BUCKET_SAMPLES) bucket.latencies.push(ms)
    else {
      const slot = Math.floor(Math.random() * bucket.seen)
      if (slot < BUCKET_SAMPLES) bucket.latencies[slot] = ms
    }
    this.#sample(tool, at, ms)
    if (code !== undefined) {
      bucket.toolErrors++
      perTool.errors++
      this.#error({ at, requestId, source: 'tool', where: `${tool}.${operation}`, code, message: message ?? '' })
    }
  }

  /** Records one finished HTTP request; 5xx answers count as errors. */
  recordHttp(method: string, route: string, status: number, requestId: string): void {
    const at = this.#now()
    const bucket = this.#bucket(at)
    bucket.httpRequests++
    if (status >= 500) {
      bucket.httpErrors++
      this.#error({ at, requestId, source: 'http', where: `${method} ${route}`, code: String(status), message: '' })
    }
  }

  /** Figures over the window ending now. */
  snapshot(): StatsSnapshot {
    const now = this.#now()
    // The window is exactly the buckets the series shows, so counts, percentiles and the
    // charts always describe the same calls.
    const from = this.#oldestBucketStart(now)
    const buckets = this.#buckets.filter((b) => b.start >= from)
    this.#buckets = buckets
    const seconds = Math.max(1, (now - Math.max(from, this.#startedAt)) / 1000)
    const tally = { toolCalls: 0, toolErrors: 0, httpRequests: 0, httpErrors: 0 }
    const perTool = new Map<string, { calls: number, errors: number }>()
    for (const b of buckets) {
      tally.toolCalls += b.toolCalls
      tally.toolErrors += b.toolErrors
      tally.httpRequests += b.httpRequests
      tally.httpErrors += b.httpErrors
      for (const [tool, t] of b.perTool) {
        const sum = perTool.get(tool) ?? { calls: 0, errors: 0 }
        sum.calls += t.calls
        sum.errors += t.errors
        perTool.set(tool, sum)
      }
    }
    const tools: ToolFigures[] = [...perTool].map(([tool, t]) => {
      const ms = this.#windowSamples(tool, from)
      return {
        tool,
        calls: t.calls,
        errors: t.errors,
        errorRate: ratio(t.errors, t.calls),
        p50Ms: percentile(ms, 50),
        p95Ms: percentile(ms, 95),
        p99Ms: percentile(ms, 99),
        maxMs: ms.length ? ms[ms.length - 1]! : 0,
      }
    }).sort((a, b) => a.tool.localeCompare(b.tool))
    return {
      windowSeconds: this.#windowMs / 1000,
      bucketSeconds: this.#bucketMs / 1000,
      toolCalls: rate(tally.toolCalls, tally.toolErrors, seconds),
      http: rate(tally.httpRequests, tally.httpErrors, seconds),
      tools,
      series: this.#series(now),
      recentErrors: this.#errors.filter((e) => Date.parse(e.at) >= from).reverse(),
    }
  }

  #bucket(at: number): Bucket {
    const start = at - (at % this.#bucketMs)
    const last = this.#buckets[this.#buckets.length - 1]
    if (last && last.start === start) return last
    const bucket: Bucket = { start, toolCalls: 0, toolErrors: 0, httpRequests: 0, httpErrors: 0, perTool: new Map(), latencies: [], seen: 0 }
    this.#buckets.push(bucket)
    // Drop buckets that fell out of the window while recording, so memory stays bounded.
    const oldest = at - this.#windowMs - this.#bucketMs
    while (this.#buckets.length > 0 && this.#buckets[0]!.start < oldest) this.#buckets.shift()
    return bucket
  }

  #sample(tool: string, at: number, ms: number): void {
    let ring = this.#samples.get(tool)
    if (!ring) {
      ring = { at: new Float64Array(this.#samplesPerTool), ms: new Float64Array(this.#samplesPerTool), next: 0, size: 0 }
      this.#samples.set(tool, ring)
    }
    ring.at[ring.next] = at
    ring.ms[ring.next] = ms
    ring.next = (ring.next + 1) % this.#samplesPerTool
    ring.size = Math.min(ring.size + 1, this.#samplesPerTool)
  }

  #windowSamples(tool: string, from: number): number[] {
    const ring = this.#samples.get(tool)
    const out: number[] = []
    if (!ring) return out
    for (let i = 0; i < ring.size; i++) if (ring.at[i]! >= from) out.push(ring.ms[i]!)
    return out.sort((a, b) => a - b)
  }

  #oldestBucketStart(now: number): number {
    const count = Math.ceil(this.#windowMs / this.#bucketMs)
    return now - (now % this.#bucketMs) - (count - 1) * this.#bucketMs
  }

  #series(now: number): SeriesPoint[] {
    const byStart = new Map(this.#buckets.map((b) => [b.start, b]))
    const points: SeriesPoint[] = []
    for (let start = this.#oldestBucketStart(now); start <= now; start += this.#bucketMs) {
      const b = byStart.get(start)
      const ms = b ? [...b.latencies].sort((x, y) => x - y) : []
      points.push({
        at: new Date(start).toISOString(),
        toolCalls: b?.toolCalls ?? 0,
        toolErrors: b?.toolErrors ?? 0,
        httpRequests: b?.httpRequests ?? 0,
        httpErrors: b?.httpErrors ?? 0,
        p50Ms: percentile(ms, 50),
        p95Ms: percentile(ms, 95),
      })
    }
    return points
  }

  #error(entry: Omit<RecentError, 'at'> & { at: number }): void {
    this.#errors.push({ ...entry, at: new Date(entry.at).toISOString(), message: scrubString(entry.message).slice(0, 300) })
    if (this.#errors.length > this.#maxErrors) this.#errors.shift()
  }
}

/** Nearest-rank percentile of an ascending array; 0 for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return round(sorted[rank - 1]!)
}

function rate(total: number, errors: number, seconds: number): Rate {
  return { total, errors, perSecond: round(total / seconds), errorRate: ratio(errors, total) }
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : round(part / whole)
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
