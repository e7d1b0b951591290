/**
 * The background sweep: ends (and audits) sessions whose idle or absolute deadline passed
 * without a request noticing, and drops index entries of records storage already let go.
 */
import type { Clock } from './clock.ts'
import type { SessionConfig } from './config.ts'
import type { SessionEnder } from './SessionEnder.ts'
import type { SessionStore } from './storage/types.ts'
import { deadlineOf, expiryReason, recordTtlMs } from './internal/lifetimes.ts'

/** Counts of one sweep. */
export interface SweepResult {
  expired: number
  forgotten: number
}

/** What `SessionSweeper` works with. */
export interface SessionSweeperDeps {
  store: SessionStore
  config: SessionConfig
  clock: Clock
  ender: SessionEnder
  /** Receives errors of the background sweep. */
  onError: (error: unknown) => void
}

/** Sweeps expired sessions on demand or on an interval. */
export class SessionSweeper {
  #d: SessionSweeperDeps
  #timer: NodeJS.Timeout | null = null
  #sweeping: Promise<unknown> | null = null

  constructor(deps: SessionSweeperDeps) {
    this.#d = deps
  }

  /** Ends every expired session (auditing each), in batches that yield to requests. */
  async sweep(): Promise<SweepResult> {
    const { store, config: c, clock, ender } = this.#d
    const result: SweepResult = { expired: 0, forgotten: 0 }
    for (let round = 0; round < 1000; round++) {
      const now = clock.now()
      const ids = await store.expiredCandidates(now, c.sweepBatchSize)
      const gone: string[] = []
      for (const id of ids) {
        const s = await store.getSession(id)
        if (!s) {
          gone.push(id)
          continue
        }
        const reason = expiryReason(s, now, c)
        if (reason) {
          if (await ender.end(id, 'e', { action: 'session.expired', reason: `${reason} timeout`, details: { by: 'sweep' } })) result.expired++
        } else {
          // Its deadline moved (a request touched it): re-index, keep it.
          await store.touchSession(id, {}, recordTtlMs(s, now, c), deadlineOf(s, c))
        }
      }
      await store.forgetDeadlines(gone)
      result.forgotten += gone.length
      if (ids.length < c.sweepBatchSize) break
      await new Promise((r) => setImmediate(r))
    }
    return result
  }

  /** Starts the background sweep (an unref'd timer: it never keeps the process alive). */
  start(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      if (this.#sweeping) return
      this.#sweeping = this.sweep().catch(this.#d.onError).finally(() => { this.#sweeping = null })
    }, this.#d.config.sweepIntervalMs)
    this.#timer.unref()
  }

  /** Stops the background sweep and waits for a running one. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await this.#sweeping
  }
}
