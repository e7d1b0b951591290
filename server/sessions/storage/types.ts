/**
 * The storage interface every backend implements (memory, Redis, Upstash REST). Operations are
 * at the level the session layer needs so that each compound one is atomic in every backend:
 * one Lua script on Redis/Upstash, one synchronous step in memory.
 */
import type { AuditEvent, SessionRecord, TokenEntry, TokenHistoryEntry, TokenState } from '../types.ts'

/** Which backend a store is. */
export type StoreKind = 'memory' | 'redis' | 'upstash'

/** Options of `createSession`. */
export interface CreateSessionOptions {
  /** Live sessions allowed for the user; the oldest beyond it are removed and returned. */
  maxPerUser: number
  /** Storage TTL of the session record (expiry deadline + sweep slack). */
  ttlMs: number
  /** Epoch ms of the session's expiry deadline (for `expiredCandidates`). */
  deadline: number
  /** TTL of the token index entry (the session's remaining absolute lifetime). */
  tokenTtlMs: number
  /** TTL of the tombstones left for evicted sessions' tokens. */
  tombstoneTtlMs: number
}

/** Options of `rotateTokens`. */
export interface RotateOptions {
  /** Rotate only if the session's current `tokenId` is still this one (compare-and-set). */
  expectTokenId: string
  next: { accessToken: string, refreshToken: string, accessExpiresAt: number, tokenId: string }
  rotatedAt: number
  /** TTL of the new current token's index entry. */
  tokenTtlMs: number
  /** TTL of the now-previous (and older) tokens' entries. */
  tombstoneTtlMs: number
}

/** Result of one sliding-window hit. */
export interface WindowHit {
  allowed: boolean
  /** Hits in the window, this one included when allowed. */
  count: number
  /** When refused: ms until the oldest hit leaves the window. */
  retryAfterMs: number
}

/**
 * The common request in one round trip: when the token is current, the session is live at
 * `now`, its access token is outside the refresh window and the request comes from the
 * session's own IP and device, `lookupToken` records `lastSeenAt = now` itself (with the new
 * TTL and deadline, as `touchSession` would) and says so with `touched`.
 */
export interface FastTouch {
  now: number
  idleTimeoutMs: number
  absoluteTimeoutMs: number
  refreshWindowMs: number
  ip: string
  device: string
  /** Storage TTL beyond the deadline (see `recordTtlMs`). */
  ttlSlackMs: number
}

/** What `lookupToken` found. */
export interface TokenLookup {
  entry: TokenEntry
  /** `null` when the record is gone. */
  session: SessionRecord | null
  /** The fast path applied: `lastSeenAt` is already `now` in the store (not in `session`). */
  touched: boolean
}

/** Fields `touchSession` may change. */
export type SessionPatch = Partial<Pick<SessionRecord,
  'lastSeenAt' | 'ip' | 'device' | 'location' | 'locationAt' | 'mcpSessionId' | 'challengeFailures'>>

/** A storage backend of the session layer. */
export interface SessionStore {
  readonly kind: StoreKind

  /** Stores a new session and its token entry; atomically removes the user's oldest sessions beyond `maxPerUser` and returns them. */
  createSession(record: SessionRecord, options: CreateSessionOptions): Promise<SessionRecord[]>
  /** The token entry of `tokenId` and its session; with `touch`, records an unremarkable request on the way. */
  lookupToken(tokenId: string, touch?: FastTouch): Promise<TokenLookup | null>
  /** One session by id. */
  getSession(sessionId: string): Promise<SessionRecord | null>
  /** Updates fields of an existing session and its TTL/deadline; false when it is gone. */
  touchSession(sessionId: string, patch: SessionPatch, ttlMs: number, deadline: number): Promise<boolean>
  /** Replaces the session's upstream tokens if its current token is still `expectTokenId`. */
  rotateTokens(sessionId: string, options: RotateOptions): Promise<boolean>
  /** Removes a session and its index entries, leaving `mark` tombstones on its tokens; returns the removed record. */
  removeSession(sessionId: string, mark: TokenState, tombstoneTtlMs: number): Promise<SessionRecord | null>
  /** Sets one token entry's state (keeps its session id); returns the previous entry. */
  markToken(tokenId: string, state: TokenState, ttlMs: number): Promise<TokenEntry | null>
  /** Live sessions of a user or of a device, oldest first (prunes index members whose record is gone). */
  listSessions(by: { userId: string } | { device: string }): Promise<SessionRecord[]>
  /** Ids of sessions whose deadline is <= `now`, at most `limit`. */
  expiredCandidates(now: number, limit: number): Promise<string[]>
  /** Drops ids from the deadline index (their records are already gone). */
  forgetDeadlines(sessionIds: string[]): Promise<void>
  /** Number of sessions in the deadline index. */
  countSessions(): Promise<number>

  /** Records a hit in a sliding window unless `limit` hits are already in it. */
  hitWindow(key: string, now: number, windowMs: number, limit: number): Promise<WindowHit>
  /** Takes a named lock for `ttlMs` if free. */
  acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Frees a lock if `owner` still holds it. */
  releaseLock(name: string, owner: string): Promise<boolean>

  /** Appends to the global trail (capped at `maxEntries`) and, with a user, to the user's trail. */
  appendAudit(event: AuditEvent, maxEntries: number, userMaxEntries: number): Promise<void>
  /** Newest-first audit events: the user's trail with `userId`, else the global one. */
  readAudit(options: { userId?: string, limit: number }): Promise<AuditEvent[]>
  /** Appends to a session's token history (capped, expiring with the session). */
  appendHistory(sessionId: string, entry: TokenHistoryEntry, maxEntries: number, ttlMs: number): Promise<void>
  /** A session's token history, oldest first. */
  readHistory(sessionId: string): Promise<TokenHistoryEntry[]>

  /** Deletes every key of this store (its prefix only). */
  clear(): Promise<void>
  /** Closes connections the store opened itself. */
  close(): Promise<void>
}
