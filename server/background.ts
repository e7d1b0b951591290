/**
 * Work that outlives the tool call that started it (a workflow run still going after
 * `wait_ms`). Tracked so that a shutdown can wait for it and a failure is logged, never lost
 * as an unhandled rejection.
 */
import type { ServerLogger } from './logging.ts'

/** A set of running background promises. */
export class BackgroundWork {
  readonly #running = new Set<Promise<unknown>>()
  readonly #logger: ServerLogger

  constructor(logger: ServerLogger) {
    this.#logger = logger
  }

  /** Tracks `work` until it settles; a rejection is logged. */
  track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      (error: unknown) => this.#logger.error({ err: error }, 'background work failed'),
    ).finally(() => this.#running.delete(tracked))
    this.#running.add(tracked)
  }

  /** How many are still running. */
  get size(): number {
    return this.#running.size
  }

  /** Waits until everything tracked has settled, or `timeoutMs` passed; true when all settled. */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs) })
    const settled = (async () => {
      while (this.#running.size) await Promise.allSettled([...this.#running])
      return true as const
    })()
    const done = await Promise.race([settled, timeout])
    clearTimeout(timer)
    return done
  }
}
