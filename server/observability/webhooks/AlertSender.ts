/**
 * Outbound alert webhooks. Each alert is POSTed as JSON to every configured URL; a failed try
 * (network error, timeout, 408/425/429, 5xx) is retried with exponential backoff and jitter up
 * to a bounded number of tries, and an alert that never got through is kept as a dead letter
 * (in memory for the dashboard, and appended to a JSON-lines file when one is configured).
 */
import type { Logger } from 'pino'
import type { Metrics } from '../metrics.ts'

import { createHmac, randomUUID } from 'node:crypto'
import { appendFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

/** An alert as the caller raises it. */
export interface Alert {
  /** Stable kind, e.g. `readiness_lost`, `readiness_restored`, `error_rate_high`. */
  kind: string
  severity: 'critical' | 'warning' | 'info'
  /** One human sentence. */
  summary: string
  details?: Record<string, unknown>
}

/** The JSON body POSTed for an alert. */
export interface AlertPayload extends Alert {
  /** Same on every try of one alert, so receivers can drop duplicates. */
  id: string
  at: string
  service: string
}

/** Outcome of delivering one alert to one URL. */
export interface DeliveryResult {
  /** Origin of the URL only: webhook paths often embed secrets. */
  target: string
  delivered: boolean
  attempts: number
  status?: number
  error?: string
  /** The waits before each retry, in ms. */
  delaysMs: number[]
}

/** An alert that could not be delivered. */
export interface DeadLetter {
  at: string
  target: string
  attempts: number
  lastStatus?: number
  lastError?: string
  alert: AlertPayload
}

/** Options of {@link AlertSender}. */
export interface AlertSenderOptions {
  /** Receivers; every alert goes to each. */
  urls: readonly string[]
  /** When set, bodies are signed: `x-atoms-signature: sha256=<hex HMAC of the body>`. */
  secret?: string
  /** Tries per URL, the first included. Default 5. */
  maxAttempts?: number
  /** Wait before the first retry (doubles each retry, before jitter). Default 500 ms. */
  baseDelayMs?: number
  /** Ceiling of one wait. Default 30 s. */
  maxDelayMs?: number
  /** Time limit of one try. Default 5 s. */
  timeoutMs?: number
  /** Appends every dead letter as one JSON line. */
  deadLetterFile?: string
  /** Dead letters kept in memory. Default 100. */
  maxDeadLetters?: number
  service?: string
  logger: Logger
  metrics: Metrics
  fetch?: typeof fetch
  /** Source of jitter in [0, 1). */
  random?: () => number
}

const RETRYABLE = new Set([408, 425, 429])

/** Delivers alerts with retries and records the ones that could not be delivered. */
export class AlertSender {
  readonly #options: AlertSenderOptions
  readonly #deadLetters: DeadLetter[] = []
  readonly #inFlight = new Set<Promise<unknown>>()
  readonly #shutdown = new AbortController()

  constructor(options: AlertSenderOptions) {
    this.#options = options
  }

  /** True when at least one receiver is configured. */
  get enabled(): boolean {
    return this.#options.urls.length > 0
  }

  /** Delivers `alert` to every receiver; resolves when each got it or was dead-lettered. */
  send(alert: Alert): Promise<DeliveryResult[]> {
    const payload: AlertPayload = {
      ...alert,
      id: randomUUID(),
      at: new Date().toISOString(),
      service: this.#options.service ?? 'atoms-mcp',
    }
    const body = JSON.stringify(payload)
    const all = Promise.all(this.#options.urls.map((url) => this.#deliver(url, payload, body)))
    this.#inFlight.add(all)
    void all.finally(() => this.#inFlight.delete(all))
    return all
  }

  /** Alerts that were never delivered, oldest first. */
  deadLetters(): DeadLetter[] {
    return [...this.#deadLetters]
  }

  /** Deliveries still running (including their waits). */
  get pending(): number {
    return this.#inFlight.size
  }

  /** Stops waiting between tries; unfinished deliveries are dead-lettered as `shutdown`. */
  async close(): Promise<void> {
    this.#shutdown.abort()
    await Promise.allSettled([...this.#inFlight])
  }

  async #deliver(url: string, payload: AlertPayload, body: string): Promise<DeliveryResult> {
    const o = this.#options
    const maxAttempts = Math.max(1, o.maxAttempts ?? 5)
    const target = originOf(url)
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-atoms-alert-id': payload.id }
    if (o.secret) headers['x-atoms-signature'] = `sha256=${createHmac('sha256', o.secret).update(body).digest('hex')}`
    const result: DeliveryResult = { target, delivered: false, attempts: 0, delaysMs: [] }
    while (result.attempts < maxAttempts && !this.#shutdown.signal.aborted) {
      result.attempts++
      let retryAfterMs = 0
      try {
        const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 5000), this.#shutdown.signal])
        const response = await (o.fetch ?? fetch)(url, { method: 'POST', headers, body, signal })
        await response.body?.cancel()
        result.status = response.status
        delete result.error
        if (response.ok) {
          result.delivered = true
          o.metrics.webhookDelivery('outbound', payload.kind, 'delivered')
          o.logger.info({ alert: payload.kind, alertId: payload.id, target, attempts: result.attempts }, 'alert delivered')
          return result
        }
        if (!(response.status >= 500 || RETRYABLE.has(response.status))) break
        retryAfterMs = retryAfter(response.headers.get('retry-after'))
      } catch (error) {
        delete result.status
        result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      }
      if (result.attempts >= maxAttempts) break
      o.metrics.webhookDelivery('outbound', payload.kind, 'retry')
      const delay = Math.min(o.maxDelayMs ?? 30_000, Math.max(this.#backoff(result.attempts), retryAfterMs))
      result.delaysMs.push(delay)
      try {
        await sleep(delay, undefined, { signal: this.#shutdown.signal })
      } catch {
        break
      }
    }
    if (this.#shutdown.signal.aborted && !result.error) result.error = 'shutdown'
    await this.#deadLetter(payload, result)
    return result
  }

  // Exponential backoff with "equal jitter": half of the step is kept, half is random, so waits
  // still grow each try while receivers recovering from an outage are not hit in lockstep.
  #backoff(failedAttempts: number): number {
    const o = this.#options
    const step = Math.min(o.maxDelayMs ?? 30_000, (o.baseDelayMs ?? 500) * 2 ** (failedAttempts - 1))
    return Math.round(step / 2 + (o.random ?? Math.random)() * (step / 2))
  }

  async #deadLetter(alert: AlertPayload, result: DeliveryResult): Promise<void> {
    const o = this.#options
    const letter: DeadLetter = { at: new Date().toISOString(), target: result.target, attempts: result.attempts, alert }
    if (result.status !== undefined) letter.lastStatus = result.status
    if (result.error !== undefined) letter.lastError = result.error
    this.#deadLetters.push(letter)
    if (this.#deadLetters.length > (o.maxDeadLetters ?? 100)) this.#deadLetters.shift()
    o.metrics.webhookDelivery('outbound', alert.kind, 'dead_letter')
    o.logger.error({ alert: alert.kind, alertId: alert.id, target: result.target, attempts: result.attempts, status: result.status, error: result.error }, 'alert dead-lettered')
    if (o.deadLetterFile) {
      try {
        await appendFile(o.deadLetterFile, `${JSON.stringify(letter)}\n`)
      } catch (error) {
        o.logger.error({ err: error, file: o.deadLetterFile }, 'could not write dead letter file')
      }
    }
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'invalid-url'
  }
}

function retryAfter(header: string | null): number {
  const seconds = Number(header)
  return header && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 0
}
