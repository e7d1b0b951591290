/**
 * Liveness and readiness. Liveness only says the process answers; readiness runs the injected
 * named checks (Supabase reachable, session storage reachable …) side by side, each with a
 * time limit, and reports each one's latency and, when it failed, why.
 */
import { scrubString } from './internal/scrub.ts'

/**
 * One readiness check: resolves when the dependency is usable, throws (or rejects) when not.
 * The signal aborts when the check's time limit is reached.
 */
export type HealthCheck = (signal: AbortSignal) => Promise<unknown>

/** Result of one check. */
export interface CheckResult {
  ok: boolean
  latencyMs: number
  /** Why the check failed (secrets scrubbed). */
  error?: string
}

/** Result of a readiness evaluation. */
export interface ReadinessReport {
  status: 'ready' | 'not_ready'
  checks: Record<string, CheckResult>
  /** Names of the checks that failed, in the order they were declared. */
  failing: string[]
}

/** Options of {@link createHealth}. */
export interface HealthOptions {
  /** Named readiness checks. */
  checks?: Record<string, HealthCheck>
  /** Time limit of each check. Default 2000 ms. */
  timeoutMs?: number
  /** Told about every readiness evaluation (drives the readiness-lost alert). */
  onReadiness?: (report: ReadinessReport) => void
}

/** Liveness and readiness of the server. */
export interface Health {
  /** Always `{ status: 'alive' }` while the process can answer. */
  live(): { status: 'alive' }
  /** Runs every check now. */
  ready(): Promise<ReadinessReport>
  /** The latest readiness report, if any evaluation ran. */
  last(): ReadinessReport | undefined
}

/** Builds the health evaluator over the injected checks. */
export function createHealth(options: HealthOptions = {}): Health {
  const checks = Object.entries(options.checks ?? {})
  const timeoutMs = options.timeoutMs ?? 2000
  let last: ReadinessReport | undefined
  return {
    live: () => ({ status: 'alive' }),
    last: () => last,
    async ready() {
      const results = await Promise.all(checks.map(([name, check]) => runCheck(name, check, timeoutMs)))
      const report: ReadinessReport = {
        status: results.every((r) => r.ok) ? 'ready' : 'not_ready',
        checks: Object.fromEntries(checks.map(([name], i) => [name, results[i]!])),
        failing: checks.filter((_, i) => !results[i]!.ok).map(([name]) => name),
      }
      last = report
      options.onReadiness?.(report)
      return report
    },
  }
}

async function runCheck(name: string, check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController()
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error(`check "${name}" timed out after ${timeoutMs} ms`))
    }, timeoutMs)
  })
  try {
    await Promise.race([check(controller.signal), timeout])
    return { ok: true, latencyMs: elapsed(started) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { ok: false, latencyMs: elapsed(started), error: scrubString(message).slice(0, 300) }
  } finally {
    clearTimeout(timer)
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100
}

/**
 * A readiness check that passes when `url` answers at all below 500 (reachability, not
 * authorisation). Useful for a Supabase project: `fetchCheck(`${url}/auth/v1/health`, { headers: { apikey } })`.
 */
export function fetchCheck(url: string | URL, init: RequestInit & { fetch?: typeof fetch } = {}): HealthCheck {
  const { fetch: doFetch = globalThis.fetch, ...rest } = init
  return async (signal) => {
    const response = await doFetch(url, { ...rest, signal })
    await response.body?.cancel()
    if (response.status >= 500) throw new Error(`"${new URL(String(url)).pathname}" answered ${response.status}`)
  }
}
