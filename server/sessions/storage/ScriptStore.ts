/**
 * Shared logic of the Redis-protocol stores: key layout, Lua scripts, reply decoding. A
 * subclass supplies three primitives — one command, a batch of commands, one script — over
 * its own client (ioredis over TCP, `@upstash/redis` over REST).
 *
 * Keys under the prefix: `s:<sid>` session hash, `t:<tokenId>` token entry, `u:<userId>` and
 * `d:<device>` sorted sets of session ids by creation, `x` sorted set of session deadlines,
 * `rl:<key>` rate windows, `l:<name>` locks, `a` and `au:<userId>` audit lists, `h:<sid>` token history.
 */
import type { AuditEvent, SessionRecord, TokenEntry, TokenHistoryEntry, TokenState } from '../types.ts'
import type { LuaScript } from './lua.ts'
import type { CreateSessionOptions, FastTouch, RotateOptions, SessionPatch, SessionStore, StoreKind, TokenLookup, WindowHit } from './types.ts'
import { randomBytes } from 'node:crypto'
import { SessionStoreError } from '../errors.ts'
import { CREATE, LIST, LOOKUP, MARK, REMOVE, ROTATE, TOUCH, UNLOCK, WINDOW } from './lua.ts'
import { fieldsToSession, parseTokenEntry, patchToFields, sessionToFields } from './records.ts'

/** One command as sent: name first. */
export type RedisCommand = Array<string | number>

/** Base class of the Redis-protocol stores. */
export abstract class ScriptStore implements SessionStore {
  abstract readonly kind: StoreKind
  readonly prefix: string

  constructor(prefix: string) {
    if (!prefix) throw new SessionStoreError('A store needs a non-empty key prefix, e.g. "atoms:sessions:"')
    this.prefix = prefix
  }

  /** Runs one command. */
  protected abstract _command(command: RedisCommand): Promise<unknown>
  /** Runs commands in one round trip; `atomic` wraps them in MULTI/EXEC. */
  protected abstract _batch(commands: RedisCommand[], atomic: boolean): Promise<unknown[]>
  /** Runs a script by SHA, loading it when the server does not know it. */
  protected abstract _script(script: LuaScript, args: Array<string | number>): Promise<unknown>
  abstract close(): Promise<void>

  async createSession(record: SessionRecord, o: CreateSessionOptions): Promise<SessionRecord[]> {
    const reply = await this._script(CREATE, [
      this.prefix, record.id, record.userId, record.device, record.createdAt, o.maxPerUser, o.ttlMs,
      record.tokenId, o.tokenTtlMs, o.tombstoneTtlMs, o.deadline, ...sessionToFields(record),
    ])
    return asArray(reply).map((flat) => fieldsToSession(flat)).filter((s): s is SessionRecord => s !== null)
  }

  async lookupToken(tokenId: string, touch?: FastTouch): Promise<TokenLookup | null> {
    const args: Array<string | number> = [this.prefix, tokenId]
    if (touch) {
      args.push(touch.now, touch.idleTimeoutMs, touch.absoluteTimeoutMs, touch.refreshWindowMs, touch.ip, touch.device, touch.ttlSlackMs)
    }
    const reply = await this._script(LOOKUP, args)
    if (reply === null || reply === undefined) return null
    const [raw, flat, touched] = asArray(reply)
    return { entry: parseTokenEntry(tokenId, String(raw)), session: fieldsToSession(flat), touched: Number(touched) === 1 }
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    return fieldsToSession(await this._command(['HGETALL', `${this.prefix}s:${sessionId}`]))
  }

  async touchSession(sessionId: string, patch: SessionPatch, ttlMs: number, deadline: number): Promise<boolean> {
    const reply = await this._script(TOUCH, [this.prefix, sessionId, ttlMs, deadline, ...patchToFields(patch)])
    return Number(reply) === 1
  }

  async rotateTokens(sessionId: string, o: RotateOptions): Promise<boolean> {
    const reply = await this._script(ROTATE, [
      this.prefix, sessionId, o.expectTokenId, o.next.tokenId, o.rotatedAt, o.tokenTtlMs, o.tombstoneTtlMs,
      'accessToken', o.next.accessToken, 'refreshToken', o.next.refreshToken, 'accessExpiresAt', o.next.accessExpiresAt,
    ])
    return Number(reply) === 1
  }

  async removeSession(sessionId: string, mark: TokenState, tombstoneTtlMs: number): Promise<SessionRecord | null> {
    return fieldsToSession(await this._script(REMOVE, [this.prefix, sessionId, mark, tombstoneTtlMs]))
  }

  async markToken(tokenId: string, state: TokenState, ttlMs: number): Promise<TokenEntry | null> {
    const reply = await this._script(MARK, [this.prefix, tokenId, state, ttlMs])
    return reply === null || reply === undefined ? null : parseTokenEntry(tokenId, String(reply))
  }

  async listSessions(by: { userId: string } | { device: string }): Promise<SessionRecord[]> {
    const suffix = 'userId' in by ? `u:${by.userId}` : `d:${by.device}`
    const reply = await this._script(LIST, [this.prefix, suffix])
    return asArray(reply).map((flat) => fieldsToSession(flat)).filter((s): s is SessionRecord => s !== null)
  }

  async expiredCandidates(now: number, limit: number): Promise<string[]> {
    return asArray(await this._command(['ZRANGEBYSCORE', `${this.prefix}x`, '-inf', now, 'LIMIT', 0, limit])).map(String)
  }

  async forgetDeadlines(sessionIds: string[]): Promise<void> {
    if (sessionIds.length > 0) await this._command(['ZREM', `${this.prefix}x`, ...sessionIds])
  }

  async countSessions(): Promise<number> {
    return Number(await this._command(['ZCARD', `${this.prefix}x`]))
  }

  async hitWindow(key: string, now: number, windowMs: number, limit: number): Promise<WindowHit> {
    const member = `${now}:${randomBytes(6).toString('base64url')}`
    const [allowed, count, retry] = asArray(await this._script(WINDOW, [
      `${this.prefix}rl:${key}`, now, now - windowMs, windowMs, limit, member,
    ])).map(Number)
    return { allowed: allowed === 1, count: count ?? 0, retryAfterMs: retry ?? 0 }
  }

  async acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this._command(['SET', `${this.prefix}l:${name}`, owner, 'NX', 'PX', ttlMs])) === 'OK'
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    return Number(await this._script(UNLOCK, [`${this.prefix}l:${name}`, owner])) === 1
  }

  async appendAudit(event: AuditEvent, maxEntries: number, userMaxEntries: number): Promise<void> {
    const json = JSON.stringify(event)
    const commands: RedisCommand[] = [['LPUSH', `${this.prefix}a`, json], ['LTRIM', `${this.prefix}a`, 0, maxEntries - 1]]
    if (event.userId) {
      const key = `${this.prefix}au:${event.userId}`
      commands.push(['LPUSH', key, json], ['LTRIM', key, 0, userMaxEntries - 1])
    }
    await this._batch(commands, true)
  }

  async readAudit(options: { userId?: string, limit: number }): Promise<AuditEvent[]> {
    const key = options.userId ? `${this.prefix}au:${options.userId}` : `${this.prefix}a`
    return asArray(await this._command(['LRANGE', key, 0, options.limit - 1])).map((s) => JSON.parse(String(s)) as AuditEvent)
  }

  async appendHistory(sessionId: string, entry: TokenHistoryEntry, maxEntries: number, ttlMs: number): Promise<void> {
    const key = `${this.prefix}h:${sessionId}`
    await this._batch([['RPUSH', key, JSON.stringify(entry)], ['LTRIM', key, -maxEntries, -1], ['PEXPIRE', key, ttlMs]], true)
  }

  async readHistory(sessionId: string): Promise<TokenHistoryEntry[]> {
    return asArray(await this._command(['LRANGE', `${this.prefix}h:${sessionId}`, 0, -1]))
      .map((s) => JSON.parse(String(s)) as TokenHistoryEntry)
  }

  async clear(): Promise<void> {
    let cursor = '0'
    do {
      const [next, keys] = asArray(await this._command(['SCAN', cursor, 'MATCH', `${escapeGlob(this.prefix)}*`, 'COUNT', 1000]))
      cursor = String(next)
      const found = asArray(keys).map(String)
      const chunks: RedisCommand[] = []
      for (let i = 0; i < found.length; i += 200) chunks.push(['UNLINK', ...found.slice(i, i + 200)])
      if (chunks.length > 0) await this._batch(chunks, false)
    } while (cursor !== '0')
  }
}

function asArray(reply: unknown): unknown[] {
  if (reply === null || reply === undefined) return []
  if (!Array.isArray(reply)) throw new SessionStoreError(`Expected a list reply from the store, got "${typeof reply}"`)
  return reply
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`)
}
