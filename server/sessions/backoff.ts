/** Retries with exponential backoff and jitter, a bounded number of times. */

/** Options of `withRetry`. */
export interface RetryOptions {
  /** Tries in all, the first included (>= 1). */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Whether an error is worth another try. */
  retryable: (error: unknown) => boolean
  /** Uniform [0, 1) source for the jitter (default `Math.random`). */
  random?: () => number
  /** How to wait (default: a real timer). */
  sleep?: (ms: number) => Promise<void>
  /** Called before each wait with the failed try's number (1-based) and the delay chosen. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>
}

/**
 * Delay before retry number `retry` (0-based): half of min(max, base * 2^retry) plus a random
 * share of the other half ("equal jitter"), so retries spread out but never collapse to zero.
 */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** Runs `fn` until it succeeds, fails with a non-retryable error, or `attempts` tries failed (then rethrows the last error). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error
      const delay = backoffDelay(attempt - 1, options.baseDelayMs, options.maxDelayMs, options.random)
      await options.onRetry?.(error, attempt, delay)
      await sleep(delay)
    }
  }
}
