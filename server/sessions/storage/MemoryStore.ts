/**
 * Session storage in the process's memory: for a single server instance, stdio use and tests.
 * Each operation is one synchronous step, so it is atomic; TTLs are checked on read against
 * the injected clock.
 */
import type { Clock } from '../clock.ts'
import type { AuditEvent, SessionRecord, TokenEntry, TokenHistoryEntry, TokenState } from '../types.ts'
import type { CreateSessionOptions, FastTouch, RotateOptions, SessionPatch, SessionStore, TokenLookup, WindowHit } from './types.ts'
import { systemClock } from '../clock.ts'
import { formatTokenEntry, parseTokenEntry } from './records.ts'

interface Expiring<T> {
  value: T
  expiresAt: number
}

/** A `SessionStore` in memory. */
export class MemoryStore implements SessionStore {
  readonly kind = 'memory' as const
  #clock: Clock
  #sessions = new Map<string, Expiring<SessionRecord>>()
  #tokens = new Map<string, Expiring<string>>()
  #byUser = new Map<string, Map<string, number>>()
  #byDevice = new Map<string, Map<string, number>>()
  #deadlines = new Map<string, number>()
  #windows = new Map<string, Expiring<number[]>>()
  #locks = new Map<string, Expiring<string>>()
  #audit: AuditEvent[] = []
  #userAudit = new Map<string, AuditEvent[]>()
  #history = new Map<string, Expiring<TokenHistoryEntry[]>>()

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock
  }

  #live<T>(map: Map<string, Expiring<T>>, key: string): T | null {
    const hit = map.get(key)
    if (!hit) return null
    if (hit.expiresAt <= this.#clock.now()) {
      map.delete(key)
      return null
    }
    return hit.value
  }

  #put<T>(map: Map<string, Expiring<T>>, key: string, value: T, ttlMs: number): void {
    map.set(key, { value, expiresAt: this.#clock.now() + ttlMs })
  }

  #index(map: Map<string, Map<string, number>>, key: string): Map<string, number> {
    let index = map.get(key)
    if (!index) map.set(key, (index = new Map()))
    return index
  }

  #remove(sessionId: string, mark: TokenState, tombstoneTtlMs: number): SessionRecord | null {
    this.#deadlines.delete(sessionId)
    const record = this.#live(this.#sessions, sessionId)
    if (!record) return null
    this.#sessions.delete(sessionId)
    this.#byUser.get(record.userId)?.delete(sessionId)
    this.#byDevice.get(record.device)?.delete(sessionId)
    this.#put(this.#tokens, record.tokenId, formatTokenEntry(mark, sessionId, 0), tombstoneTtlMs)
    if (record.prevTokenId) this.#put(this.#tokens, record.prevTokenId, formatTokenEntry(mark, sessionId, record.rotatedAt ?? 0), tombstoneTtlMs)
    return copySession(record)
  }

  async createSession(record: SessionRecord, o: CreateSessionOptions): Promise<SessionRecord[]> {
    const copy = copySession(record)
    this.#put(this.#sessions, copy.id, copy, o.ttlMs)
    this.#put(this.#tokens, copy.tokenId, formatTokenEntry('c', copy.id, 0), o.tokenTtlMs)
    this.#deadlines.set(copy.id, o.deadline)
    this.#index(this.#byDevice, copy.device).set(copy.id, copy.createdAt)
    const user = this.#index(this.#byUser, copy.userId)
    user.set(copy.id, copy.createdAt)
    // Oldest first by (createdAt, id), the order a Redis sorted set keeps.
    const live = [...user].filter(([id]) => id !== copy.id && (this.#live(this.#sessions, id) !== null || !user.delete(id)))
      .sort(([a, at], [b, bt]) => at - bt || (a < b ? -1 : a > b ? 1 : 0))
    const evicted: SessionRecord[] = []
    for (const [id] of live.slice(0, Math.max(0, live.length + 1 - o.maxPerUser))) {
      const removed = this.#remove(id, 'v', o.tombstoneTtlMs)
      if (removed) evicted.push(removed)
    }
    return evicted
  }

  async lookupToken(tokenId: string, touch?: FastTouch): Promise<TokenLookup | null> {
    const raw = this.#live(this.#tokens, tokenId)
    if (raw === null) return null
    const entry = parseTokenEntry(tokenId, raw)
    const session = this.#live(this.#sessions, entry.sessionId)
    const found = { entry, session: session && copySession(session), touched: false }
    if (!touch || !session || entry.state !== 'c') return found
    const absoluteEnd = session.createdAt + touch.absoluteTimeoutMs
    const { now } = touch
    if (now >= absoluteEnd || now >= session.lastSeenAt + touch.idleTimeoutMs || session.accessExpiresAt - now <= touch.refreshWindowMs
      || session.ip !== touch.ip || session.device !== touch.device) return found
    const deadline = Math.min(now + touch.idleTimeoutMs, absoluteEnd)
    this.#put(this.#sessions, session.id, { ...session, lastSeenAt: now }, Math.max(1, deadline - now) + touch.ttlSlackMs)
    this.#deadlines.set(session.id, deadline)
    return { ...found, touched: true }
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    const session = this.#live(this.#sessions, sessionId)
    return session && copySession(session)
  }

  async touchSession(sessionId: string, patch: SessionPatch, ttlMs: number, deadline: number): Promise<boolean> {
    const session = this.#live(this.#sessions, sessionId)
    if (!session) return false
    this.#put(this.#sessions, sessionId, { ...session, ...copySession(patch) }, ttlMs)
    this.#deadlines.set(sessionId, deadline)
    return true
  }

  async rotateTokens(sessionId: string, o: RotateOptions): Promise<boolean> {
    const session = this.#live(this.#sessions, sessionId)
    if (!session || session.tokenId !== o.expectTokenId) return false
    if (session.prevTokenId) {
      const prev = this.#live(this.#tokens, session.prevTokenId)
      if (prev?.startsWith('p')) this.#put(this.#tokens, session.prevTokenId, 'o' + prev.slice(1), o.tombstoneTtlMs)
    }
    const expiresAt = this.#sessions.get(sessionId)!.expiresAt
    this.#sessions.set(sessionId, {
      expiresAt,
      value: {
        ...session,
        accessToken: o.next.accessToken,
        refreshToken: o.next.refreshToken,
        accessExpiresAt: o.next.accessExpiresAt,
        tokenId: o.next.tokenId,
        prevTokenId: session.tokenId,
        rotatedAt: o.rotatedAt,
        refreshCount: session.refreshCount + 1,
      },
    })
    this.#put(this.#tokens, session.tokenId, formatTokenEntry('p', sessionId, o.rotatedAt), o.tombstoneTtlMs)
    this.#put(this.#tokens, o.next.tokenId, formatTokenEntry('c', sessionId, 0), o.tokenTtlMs)
    return true
  }

  async removeSession(sessionId: string, mark: TokenState, tombstoneTtlMs: number): Promise<SessionRecord | null> {
    return this.#remove(sessionId, mark, tombstoneTtlMs)
  }

  async markToken(tokenId: string, state: TokenState, ttlMs: number): Promise<TokenEntry | null> {
    const raw = this.#live(this.#tokens, tokenId)
    if (raw === null) return null
    this.#put(this.#tokens, tokenId, state + raw.slice(1), ttlMs)
    return parseTokenEntry(tokenId, raw)
  }

  async listSessions(by: { userId: string } | { device: string }): Promise<SessionRecord[]> {
    const index = 'userId' in by ? this.#byUser.get(by.userId) : this.#byDevice.get(by.device)
    if (!index) return []
    const out: SessionRecord[] = []
    for (const [id] of [...index].sort(([a, at], [b, bt]) => at - bt || (a < b ? -1 : a > b ? 1 : 0))) {
      const session = this.#live(this.#sessions, id)
      if (session) out.push(copySession(session))
      else index.delete(id)
    }
    return out
  }

  async expiredCandidates(now: number, limit: number): Promise<string[]> {
    const out: string[] = []
    for (const [id, deadline] of this.#deadlines) {
      if (deadline <= now) out.push(id)
      if (out.length >= limit) break
    }
    return out
  }

  async forgetDeadlines(sessionIds: string[]): Promise<void> {
    for (const id of sessionIds) this.#deadlines.delete(id)
  }

  async countSessions(): Promise<number> {
    return this.#deadlines.size
  }

  async hitWindow(key: string, now: number, windowMs: number, limit: number): Promise<WindowHit> {
    const hits = dropExpired(this.#live(this.#windows, key) ?? [], now - windowMs)
    if (hits.length < limit) {
      insertSorted(hits, now)
      this.#put(this.#windows, key, hits, windowMs)
      return { allowed: true, count: hits.length, retryAfterMs: 0 }
    }
    this.#windows.set(key, { value: hits, expiresAt: this.#windows.get(key)!.expiresAt })
    return { allowed: false, count: hits.length, retryAfterMs: hits[0]! + windowMs - now }
  }

  async acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (this.#live(this.#locks, name) !== null) return false
    this.#put(this.#locks, name, owner, ttlMs)
    return true
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    if (this.#live(this.#locks, name) !== owner) return false
    this.#locks.delete(name)
    return true
  }

  async appendAudit(event: AuditEvent, maxEntries: number, userMaxEntries: number): Promise<void> {
    this.#audit.unshift(structuredClone(event))
    this.#audit.length = Math.min(this.#audit.length, maxEntries)
    if (event.userId) {
      let list = this.#userAudit.get(event.userId)
      if (!list) this.#userAudit.set(event.userId, (list = []))
      list.unshift(structuredClone(event))
      list.length = Math.min(list.length, userMaxEntries)
    }
  }

  async readAudit(options: { userId?: string, limit: number }): Promise<AuditEvent[]> {
    const list = options.userId ? this.#userAudit.get(options.userId) ?? [] : this.#audit
    return structuredClone(list.slice(0, options.limit))
  }

  async appendHistory(sessionId: string, entry: TokenHistoryEntry, maxEntries: number, ttlMs: number): Promise<void> {
    const list = [...(this.#live(this.#history, sessionId) ?? []), structuredClone(entry)].slice(-maxEntries)
    this.#put(this.#history, sessionId, list, ttlMs)
  }

  async readHistory(sessionId: string): Promise<TokenHistoryEntry[]> {
    return structuredClone(this.#live(this.#history, sessionId) ?? [])
  }

  async clear(): Promise<void> {
    for (const map of [this.#sessions, this.#tokens, this.#byUser, this.#byDevice, this.#deadlines, this.#windows, this.#locks, this.#userAudit, this.#history]) map.clear()
    this.#audit = []
  }

  async close(): Promise<void> {}
}

// A window's hits are kept in time order, so a hit costs the expired ones at its front, not a pass
// over the whole window (which, under a large budget, holds tens of thousands of them).
function dropExpired(hits: number[], cutoff: number): number[] {
  let expired = 0
  while (expired < hits.length && hits[expired]! <= cutoff) expired++
  if (expired > 0) hits.splice(0, expired)
  return hits
}

// Appends `at`, or slots it in order when a clock went back (fake clocks in tests do).
function insertSorted(hits: number[], at: number): void {
  let index = hits.length
  while (index > 0 && hits[index - 1]! > at) index--
  hits.splice(index, 0, at)
}

/**
 * A copy that shares nothing mutable with the stored record. Records are flat but for
 * `location`, so two spreads do what `structuredClone` does at a fraction of its cost (this
 * runs on every authenticated request).
 */
function copySession<T extends Partial<SessionRecord>>(record: T): T {
  return record.location ? { ...record, location: { ...record.location } } : { ...record }
}
