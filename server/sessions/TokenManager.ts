/**
 * Keeps a session's upstream access token fresh: refreshes it through Supabase Auth when it
 * expires within `refreshWindowMs`, with backoff and jitter, at most once at a time per
 * session — within the process (shared promise) and across instances (a store lock).
 */
import type { AuditLog } from './AuditLog.ts'
import type { Clock } from './clock.ts'
import type { SessionConfig } from './config.ts'
import type { TokenClient } from './GoTrueClient.ts'
import type { Sealer } from './internal/sealer.ts'
import type { SessionStore } from './storage/types.ts'
import type { SessionRecord, TokenHistoryEntry, TokenPair } from './types.ts'
import { withRetry } from './backoff.ts'
import { SessionEndedError, TokenRefreshError, UpstreamAuthError } from './errors.ts'
import { newId, tokenId } from './internal/ids.ts'
import { lifeTtlMs, tokenEntryTtlMs, tombstoneTtlFor } from './internal/lifetimes.ts'
import { openSession } from './internal/sealer.ts'

/** What `TokenManager` works with. */
export interface TokenManagerDeps {
  store: SessionStore
  config: SessionConfig
  clock: Clock
  client: TokenClient
  audit: AuditLog
  sealer: Sealer
  sleep: (ms: number) => Promise<void>
  random: () => number
}

/** Proactive, single-flight refresh of upstream tokens. */
export class TokenManager {
  #d: TokenManagerDeps
  #inflight = new Map<string, Promise<SessionRecord>>()

  constructor(deps: TokenManagerDeps) {
    this.#d = deps
  }

  /** Whether the session's access token expires within the refresh window. */
  needsRefresh(session: Pick<SessionRecord, 'accessExpiresAt'>): boolean {
    return session.accessExpiresAt - this.#d.clock.now() <= this.#d.config.refreshWindowMs
  }

  /**
   * The session (tokens opened) with an access token outside the refresh window when that
   * could be had. Concurrent calls for one session share one refresh.
   * @note A failed refresh keeps serving the current token while it is valid; when it has
   * expired, `TokenRefreshError`. A refresh token Supabase Auth rejects throws a
   * non-retryable `UpstreamAuthError`: the caller ends the session.
   */
  ensureFresh(session: SessionRecord): Promise<SessionRecord> {
    if (!this.needsRefresh(session)) return Promise.resolve(session)
    let pending = this.#inflight.get(session.id)
    if (!pending) {
      pending = this.#refreshShared(session).finally(() => this.#inflight.delete(session.id))
      this.#inflight.set(session.id, pending)
    }
    return pending
  }

  /** Appends to a session's token history. */
  async history(session: Pick<SessionRecord, 'id' | 'createdAt' | 'lastSeenAt'>, entry: Omit<TokenHistoryEntry, 'at'>): Promise<void> {
    const now = this.#d.clock.now()
    await this.#d.store.appendHistory(session.id, { at: now, ...entry }, this.#d.config.historyMaxEntries, lifeTtlMs(session, now, this.#d.config))
  }

  async #refreshShared(seen: SessionRecord): Promise<SessionRecord> {
    const { store, config, sealer, clock } = this.#d
    const lock = `refresh:${seen.id}`
    const owner = newId(9)
    const started = performance.now()
    for (;;) {
      if (await store.acquireLock(lock, owner, config.refreshLockTtlMs)) {
        let released: Promise<unknown> | null = null
        const release = () => (released ??= store.releaseLock(lock, owner).catch(() => false))
        try {
          const stored = await store.getSession(seen.id)
          if (!stored) throw new SessionEndedError('SESSION_REVOKED', 'the session ended while its token was being refreshed')
          const fresh = openSession(sealer, stored)
          // Another instance may have rotated between our read and our lock.
          if (fresh.tokenId !== seen.tokenId || !this.needsRefresh(fresh)) return fresh
          return await this.#refreshLocked(fresh, release)
        } finally {
          await release()
        }
      }
      await this.#d.sleep(config.refreshPollMs)
      const stored = await store.getSession(seen.id)
      if (!stored) throw new SessionEndedError('SESSION_REVOKED', 'the session ended while its token was being refreshed')
      const current = openSession(sealer, stored)
      if (current.tokenId !== seen.tokenId) return current
      if (performance.now() - started > config.refreshLockTtlMs) {
        if (current.accessExpiresAt > clock.now()) return current
        throw new TokenRefreshError(seen.id, 0)
      }
    }
  }

  /** Refreshes while holding the lock; `release` frees it as soon as the rotation is stored. */
  async #refreshLocked(fresh: SessionRecord, release: () => Promise<unknown>): Promise<SessionRecord> {
    const { store, config, clock, client, audit, sealer } = this.#d
    const base = { subject: `session:${fresh.id}`, userId: fresh.userId, sessionId: fresh.id }
    const label = fresh.tokenId.slice(0, 12)
    let pair: TokenPair
    try {
      pair = await withRetry(() => client.refresh(fresh.refreshToken), {
        attempts: config.refreshMaxAttempts,
        baseDelayMs: config.refreshBaseDelayMs,
        maxDelayMs: config.refreshMaxDelayMs,
        random: this.#d.random,
        sleep: this.#d.sleep,
        retryable: (error) => error instanceof UpstreamAuthError && error.retryable,
        onRetry: async (error, attempt, delayMs) => {
          await audit.record({ ...base, action: 'token.refresh_retry', reason: (error as Error).message, details: { attempt, delayMs } })
          await this.history(fresh, { kind: 'refresh_failed', token: label, detail: `try ${attempt} failed, next in ${delayMs} ms` })
        },
      })
    } catch (error) {
      if (error instanceof UpstreamAuthError && !error.retryable) {
        await audit.record({ ...base, action: 'upstream.rejected', reason: error.message, details: { status: error.upstreamStatus } })
        throw error
      }
      await audit.record({ ...base, action: 'token.refresh_failed', reason: (error as Error).message, details: { attempts: config.refreshMaxAttempts } })
      await this.history(fresh, { kind: 'refresh_failed', token: label, detail: `gave up after ${config.refreshMaxAttempts} tries` })
      if (fresh.accessExpiresAt > clock.now()) return fresh
      throw new TokenRefreshError(fresh.id, config.refreshMaxAttempts, { cause: error })
    }
    if (pair.user.id !== fresh.userId) {
      await audit.record({ ...base, action: 'token.user_mismatch', reason: 'Supabase Auth returned tokens of another user for this refresh token' })
      throw new UpstreamAuthError('Supabase Auth returned tokens of another user; the session is ended', 200, false)
    }
    const now = clock.now()
    const next = { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessExpiresAt: pair.expiresAt, tokenId: tokenId(pair.accessToken) }
    const rotated = await store.rotateTokens(fresh.id, {
      expectTokenId: fresh.tokenId,
      next: { ...next, accessToken: sealer.seal(next.accessToken), refreshToken: sealer.seal(next.refreshToken) },
      rotatedAt: now,
      tokenTtlMs: tokenEntryTtlMs({ ...fresh, accessExpiresAt: next.accessExpiresAt }, now, config),
      tombstoneTtlMs: tombstoneTtlFor(fresh, now, config),
    })
    if (!rotated) {
      // The lock expired under a very slow refresh and someone else rotated: theirs wins.
      const stored = await store.getSession(fresh.id)
      if (!stored) throw new SessionEndedError('SESSION_REVOKED', 'the session ended while its token was being refreshed')
      return openSession(sealer, stored)
    }
    const newLabel = next.tokenId.slice(0, 12)
    // Issued together (one round trip on Redis); the order of issue is the order stored.
    await Promise.all([
      release(),
      audit.record({ ...base, action: 'token.rotated', subject: `token:${label}`, reason: 'proactive refresh', details: { next: newLabel, expiresAt: next.accessExpiresAt } }),
      audit.record({ ...base, action: 'session.refreshed', reason: `upstream token refreshed, now expires at ${new Date(next.accessExpiresAt).toISOString()}` }),
      this.history(fresh, { kind: 'rotated', token: newLabel, detail: `replaces ${label}` }),
    ])
    return { ...fresh, ...next, prevTokenId: fresh.tokenId, rotatedAt: now, refreshCount: fresh.refreshCount + 1 }
  }
}
