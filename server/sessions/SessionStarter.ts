/**
 * Starting sessions: password sign-in, binding a refresh token the client obtained itself, and
 * adopting a verified bare access token. A user's oldest sessions beyond `maxSessionsPerUser`
 * are evicted in the same store operation.
 */
import type { Clock } from './clock.ts'
import type { TokenClient } from './GoTrueClient.ts'
import type { SessionEnder } from './SessionEnder.ts'
import type { ClientMeta, SessionRecord, TokenPair } from './types.ts'
import { z } from 'zod'
import { SessionInputError } from './errors.ts'
import { newId, shortHash, tokenId } from './internal/ids.ts'
import { deadlineOf, recordTtlMs, tokenEntryTtlMs } from './internal/lifetimes.ts'
import { sealSession } from './internal/sealer.ts'
import type { SessionParts } from './internal/parts.ts'

/** What a sign-in returns to the client. */
export interface SessionGrant {
  sessionId: string
  /** Bearer token for every later request. */
  accessToken: string
  /** Epoch ms. */
  expiresAt: number
  /** Seconds until `expiresAt` on the manager's clock. */
  expiresIn: number
  user: { id: string, email: string | null }
  /** Sessions of the user ended to stay within `maxSessionsPerUser`. */
  evicted: string[]
}

/** The grant of `pair` for a session, `expiresIn` counted from now on `clock`. */
export function grantOf(sessionId: string, pair: TokenPair, clock: Clock, evicted: string[]): SessionGrant {
  const expiresIn = Math.max(0, Math.floor((pair.expiresAt - clock.now()) / 1000))
  return { sessionId, accessToken: pair.accessToken, expiresAt: pair.expiresAt, expiresIn, user: pair.user, evicted }
}

/** What `SessionStarter` works with. */
export interface SessionStarterDeps extends SessionParts {
  client: TokenClient
  ender: SessionEnder
}

const loginSchema = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) })
const refreshSchema = z.object({ refreshToken: z.string().min(1).max(4096) })

/** Creates sessions from upstream tokens and audits how they were obtained. */
export class SessionStarter {
  #d: SessionStarterDeps

  constructor(deps: SessionStarterDeps) {
    this.#d = deps
  }

  /** Signs in with email and password through Supabase Auth and starts a session. */
  async login(credentials: { email: string, password: string }, meta: ClientMeta): Promise<SessionGrant> {
    const parsed = loginSchema.safeParse(credentials)
    if (!parsed.success) throw new SessionInputError('Login needs {"email", "password"} as non-empty strings')
    let pair: TokenPair
    try {
      pair = await this.#d.client.password(parsed.data.email, parsed.data.password)
    } catch (error) {
      await this.#d.audit.record({
        action: 'auth.login_failed', actor: `ip:${meta.ip}`, subject: `email:${shortHash(parsed.data.email.toLowerCase())}`,
        ip: meta.ip, reason: (error as Error).message,
      })
      throw error
    }
    return this.createSession(pair, meta, 'auth.login')
  }

  /** Binds a refresh token the client obtained itself: refreshes it (so only the server holds the live one) and starts a session. */
  async adopt(input: { refreshToken: string }, meta: ClientMeta): Promise<SessionGrant> {
    const parsed = refreshSchema.safeParse(input)
    if (!parsed.success) throw new SessionInputError('Binding a session needs {"refresh_token"} as a non-empty string')
    const pair = await this.#d.client.refresh(parsed.data.refreshToken)
    return this.createSession(pair, meta, 'auth.token_bound')
  }

  /**
   * Starts a session for tokens already obtained from Supabase Auth (`token.adopted`: a bare,
   * verified access token with `refreshToken: ''`); ends the user's oldest beyond the limit.
   */
  async createSession(pair: TokenPair, meta: ClientMeta, action: 'auth.login' | 'auth.token_bound' | 'token.adopted' = 'auth.token_bound'): Promise<SessionGrant> {
    const { store, config: c, clock, audit, sealer, tokens, ender } = this.#d
    const now = clock.now()
    const record: SessionRecord = {
      id: newId(), userId: pair.user.id, email: pair.user.email, device: meta.device, ip: meta.ip,
      createdAt: now, lastSeenAt: now, accessToken: pair.accessToken, refreshToken: pair.refreshToken,
      accessExpiresAt: pair.expiresAt, tokenId: tokenId(pair.accessToken), prevTokenId: null, rotatedAt: null,
      mcpSessionId: null, location: meta.location ?? null, locationAt: meta.location ? now : null, refreshCount: 0, challengeFailures: 0,
    }
    const evicted = await store.createSession(sealSession(sealer, record), {
      maxPerUser: c.maxSessionsPerUser, ttlMs: recordTtlMs(record, now, c), deadline: deadlineOf(record, c),
      tokenTtlMs: tokenEntryTtlMs(record, now, c), tombstoneTtlMs: c.tombstoneTtlMs,
    })
    const who = { actor: `user:${record.userId}`, ip: meta.ip, userId: record.userId, sessionId: record.id }
    const label = record.tokenId.slice(0, 12)
    const created = audit.record({ ...who, action: 'session.created', subject: `session:${record.id}`, reason: 'new session', details: { device: record.device } })
    await Promise.all(action === 'token.adopted'
      ? [
          audit.record({ ...who, actor: `ip:${meta.ip}`, action, subject: `token:${label}`, reason: 'verified Supabase access token adopted as a new session (no refresh token)' }),
          created,
          tokens.history(record, { kind: 'adopted', token: label }),
        ]
      : [
          audit.record({ ...who, action, subject: `user:${record.userId}`, reason: action === 'auth.login' ? 'password sign-in' : 'refresh token bound to a new session' }),
          created,
          audit.record({ ...who, action: 'token.issued', subject: `token:${label}`, reason: 'first access token of the session' }),
          tokens.history(record, { kind: 'issued', token: label }),
        ])
    for (const old of evicted) {
      await ender.keepTombstones(old, 'v', now)
      await audit.record({
        action: 'session.evicted', subject: `session:${old.id}`, ip: meta.ip, userId: old.userId, sessionId: old.id,
        reason: `user reached ${c.maxSessionsPerUser} live sessions; the oldest is ended for "${record.id}"`,
      })
      await tokens.history(old, { kind: 'revoked', token: old.tokenId.slice(0, 12), detail: 'session evicted' })
    }
    return grantOf(record.id, pair, clock, evicted.map((s) => s.id))
  }
}
