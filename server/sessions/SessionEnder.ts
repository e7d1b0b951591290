/**
 * Ending sessions: revocation of a token, a session, or every session of a user or device,
 * sign-out, and expiry noticed on a request. An ended session's tokens stay behind as
 * tombstones, so they are refused precisely (and never adopted again) on every instance.
 */
import type { TokenClient } from './GoTrueClient.ts'
import type { AuditAction, ClientMeta, RevokeOptions, SessionRecord, TokenState } from './types.ts'
import { SessionEndedError } from './errors.ts'
import { tokenId } from './internal/ids.ts'
import { expiryReason, tokenLifeMs } from './internal/lifetimes.ts'
import { openSession } from './internal/sealer.ts'
import { canRefresh } from './TokenAdopter.ts'
import type { SessionParts } from './internal/parts.ts'

/** What `SessionEnder` works with. */
export interface SessionEnderDeps extends SessionParts {
  client: TokenClient
}

/** How one session ended, for the audit trail. */
export interface EndReason {
  action: AuditAction
  reason: string
  actor?: string | undefined
  ip?: string | null
  details?: Record<string, string | number | boolean | null>
}

/** Removes sessions, marks their tokens and audits why. */
export class SessionEnder {
  #d: SessionEnderDeps

  constructor(deps: SessionEnderDeps) {
    this.#d = deps
  }

  /** Ends one session, its tokens marked `mark`; the removed record (tokens sealed), or `null` when it was not live. */
  async end(sessionId: string, mark: TokenState, how: EndReason): Promise<SessionRecord | null> {
    const { store, config, clock, audit, tokens } = this.#d
    const removed = await store.removeSession(sessionId, mark, config.tombstoneTtlMs)
    if (!removed) return null
    await this.keepTombstones(removed, mark, clock.now())
    await audit.record({
      action: how.action, actor: how.actor ?? 'system', subject: `session:${sessionId}`, ip: how.ip ?? null,
      userId: removed.userId, sessionId, reason: how.reason, ...(how.details ? { details: how.details } : {}),
    })
    await tokens.history(removed, { kind: 'revoked', token: removed.tokenId.slice(0, 12), detail: how.reason })
    return removed
  }

  /** Tombstones live as long as the tokens could still be presented (a JWT may outlive `tombstoneTtlMs`). */
  async keepTombstones(ended: Pick<SessionRecord, 'tokenId' | 'prevTokenId' | 'accessExpiresAt'>, mark: TokenState, now: number): Promise<void> {
    const { store, config } = this.#d
    const ttl = tokenLifeMs(ended, now)
    if (ttl <= config.tombstoneTtlMs) return
    await store.markToken(ended.tokenId, mark, ttl)
    if (ended.prevTokenId) await store.markToken(ended.prevTokenId, mark, ttl)
  }

  /** Ends the session when a request finds it past its idle or absolute deadline. */
  async expireIfDue(session: SessionRecord, now: number, meta: ClientMeta): Promise<void> {
    const reason = expiryReason(session, now, this.#d.config)
    if (!reason) return
    await this.end(session.id, 'e', { action: 'session.expired', reason: `${reason} timeout`, ip: meta.ip, details: { by: 'request' } })
    throw new SessionEndedError('SESSION_EXPIRED', `${reason} timeout`)
  }

  /**
   * Signs the upstream Supabase session behind a session's (sealed) tokens out, without
   * waiting. An adopted token's upstream session belongs to its client, which signs out itself.
   */
  signOutUpstream(session: SessionRecord): void {
    const { client, sealer } = this.#d
    if (canRefresh(openSession(sealer, session))) client.logout(sealer.open(session.accessToken)).catch(() => {})
  }

  /** Ends the session of this token (the client signs out); `false` when it was not live. */
  async logout(token: string, meta: ClientMeta): Promise<boolean> {
    const found = await this.#d.store.lookupToken(tokenId(token))
    if (!found?.session || (found.entry.state !== 'c' && found.entry.state !== 'p')) return false
    const ended = await this.end(found.session.id, 'r', { action: 'auth.logout', actor: `user:${found.session.userId}`, reason: 'signed out', ip: meta.ip })
    if (ended) this.signOutUpstream(ended)
    return ended !== null
  }

  /** Revokes one session; `false` when it was not live. */
  async revokeSession(sessionId: string, options: RevokeOptions = {}): Promise<boolean> {
    return (await this.end(sessionId, 'r', { action: 'session.revoked', reason: options.reason ?? 'revoked', actor: options.actor, ip: options.ip ?? null })) !== null
  }

  /**
   * Revokes one access token (given as the token or its `tokenId`). A session's current token
   * takes its session with it; a previous token is refused from now on.
   */
  async revokeToken(token: { token: string } | { tokenId: string }, options: RevokeOptions = {}): Promise<boolean> {
    const { store, config, clock, audit, tokens } = this.#d
    const id = 'token' in token ? tokenId(token.token) : token.tokenId
    const entry = await store.markToken(id, 'r', config.tombstoneTtlMs)
    if (!entry) return false
    const session = await store.getSession(entry.sessionId)
    if (session) await this.keepTombstones({ ...session, tokenId: id, prevTokenId: null }, 'r', clock.now())
    await audit.record({
      action: 'token.revoked', actor: options.actor ?? 'system', subject: `token:${id.slice(0, 12)}`, ip: options.ip ?? null,
      userId: session?.userId ?? null, sessionId: entry.sessionId, reason: options.reason ?? 'revoked',
    })
    if (session) await tokens.history(session, { kind: 'revoked', token: id.slice(0, 12) })
    if (entry.state === 'c') {
      await this.end(entry.sessionId, 'r', { action: 'session.revoked', reason: 'its current token was revoked', actor: options.actor, ip: options.ip ?? null })
    }
    return true
  }

  /** Revokes every session of a user (and so their tokens); returns how many. */
  async revokeUser(userId: string, options: RevokeOptions = {}): Promise<number> {
    return this.#revokeAll({ userId }, 'user.revoked', `user:${userId}`, userId, options)
  }

  /** Revokes every session on a device fingerprint; returns how many. */
  async revokeDevice(device: string, options: RevokeOptions = {}): Promise<number> {
    return this.#revokeAll({ device }, 'device.revoked', `device:${device}`, null, options)
  }

  async #revokeAll(by: { userId: string } | { device: string }, action: 'user.revoked' | 'device.revoked', subject: string, userId: string | null, options: RevokeOptions): Promise<number> {
    let count = 0
    for (const s of await this.#d.store.listSessions(by)) {
      if (await this.end(s.id, 'r', { action: 'session.revoked', reason: options.reason ?? `all sessions of ${subject} revoked`, actor: options.actor, ip: options.ip ?? null })) count++
    }
    await this.#d.audit.record({ action, actor: options.actor ?? 'system', subject, ip: options.ip ?? null, userId, reason: options.reason ?? 'revoked', details: { sessions: count } })
    return count
  }
}
