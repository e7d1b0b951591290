/**
 * The session manager: one session per signed-in client device, checked on every request.
 * `authenticate` is the per-request path (token lookup, expiry, hijack risk, proactive refresh,
 * last-seen update); the rest signs in, revokes, sweeps and answers questions. With a token
 * verifier, a bearer token no session holds is verified and adopted as a session on first use
 * (see `TokenAdopter`). Nothing is cached between requests, so a revocation by any instance
 * sharing the store holds on the next request everywhere.
 */
import type { TokenVerifier } from '../http/auth.ts'
import type { Clock } from './clock.ts'
import type { SessionConfig, SessionConfigInput } from './config.ts'
import type { TokenClient } from './GoTrueClient.ts'
import type { Sealer } from './internal/sealer.ts'
import type { RiskAssessment } from './risk.ts'
import type { SessionPatch, SessionStore } from './storage/types.ts'
import type { AuditAction, ClientMeta, RevokeOptions, SessionInfo, SessionRecord, TokenEntry, TokenHistoryEntry, TokenPair, TokenState } from './types.ts'
import { z } from 'zod'
import { AuditLog } from './AuditLog.ts'
import { sleep as realSleep, systemClock } from './clock.ts'
import { parseSessionConfig } from './config.ts'
import { ChallengeRequiredError, SessionEndedError, SessionInputError, TokenRefusedError, TokenUnknownError, UpstreamAuthError } from './errors.ts'
import { newId, shortHash, tokenId } from './internal/ids.ts'
import { deadlineOf, expiryReason, recordTtlMs, tokenEntryTtlMs, tokenLifeMs, tombstoneTtlFor, ttlSlackMs } from './internal/lifetimes.ts'
import { createSealer, openSession, sealSession } from './internal/sealer.ts'
import { RateLimiter } from './RateLimiter.ts'
import { assessRisk } from './risk.ts'
import { canRefresh, TokenAdopter } from './TokenAdopter.ts'
import { TokenManager } from './TokenManager.ts'

/** Options of `SessionManager`. */
export interface SessionManagerOptions {
  store: SessionStore
  /** Supabase Auth (`GoTrueClient`). */
  tokenClient: TokenClient
  /**
   * Verifier of bare Supabase access tokens (the HTTP transport's, server/http/auth.ts). With
   * it, `authenticate` adopts a verified token no session holds as a session; without it such
   * a token is refused with TOKEN_UNKNOWN.
   */
  verifier?: TokenVerifier
  config?: SessionConfigInput
  clock?: Clock
  /** Waits for backoff and lock polling (default: real timers). */
  sleep?: (ms: number) => Promise<void>
  /** Jitter source (default `Math.random`). */
  random?: () => number
  /** Receives errors of the background sweep (default: printed to stderr). */
  onError?: (error: unknown) => void
}

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

/** The outcome of `authenticate` for a request that may proceed. */
export interface AuthResult {
  sessionId: string
  userId: string
  /** Current upstream access token: what supabase-js should use for this request. */
  accessToken: string
  /** Epoch ms. */
  expiresAt: number
  /** The client presented an older token than `accessToken`: hand it the new one. */
  rotated: boolean
  session: SessionInfo
}

/** Counts of one sweep. */
export interface SweepResult {
  expired: number
  forgotten: number
}

const loginSchema = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) })
const refreshSchema = z.object({ refreshToken: z.string().min(1).max(4096) })

const info = (s: SessionRecord): SessionInfo => {
  const { accessToken: _a, refreshToken: _r, ...rest } = s
  return rest
}

/** Sessions, tokens, revocation and hijack checks over one `SessionStore`. */
export class SessionManager {
  readonly config: SessionConfig
  readonly store: SessionStore
  readonly audit: AuditLog
  readonly rateLimiter: RateLimiter
  readonly tokens: TokenManager
  #client: TokenClient
  #clock: Clock
  #sealer: Sealer
  #onError: (error: unknown) => void
  #adopter: TokenAdopter | null
  #timer: NodeJS.Timeout | null = null
  #sweeping: Promise<unknown> | null = null

  constructor(options: SessionManagerOptions) {
    this.config = parseSessionConfig(options.config ?? {})
    this.store = options.store
    this.#client = options.tokenClient
    this.#clock = options.clock ?? systemClock
    this.#sealer = createSealer(this.config.tokenEncryptionKey)
    this.#onError = options.onError ?? ((error) => console.error('[sessions] sweep failed:', (error as Error)?.message ?? error))
    this.audit = new AuditLog({ store: this.store, clock: this.#clock, maxEntries: this.config.auditMaxEntries, userMaxEntries: this.config.auditUserMaxEntries })
    this.rateLimiter = new RateLimiter({ store: this.store, clock: this.#clock, limits: this.config.rateLimits, audit: this.audit })
    const sleep = options.sleep ?? realSleep
    this.tokens = new TokenManager({
      store: this.store, config: this.config, clock: this.#clock, client: this.#client, audit: this.audit, sealer: this.#sealer,
      sleep, random: options.random ?? Math.random,
    })
    this.#adopter = options.verifier
      ? new TokenAdopter({
        store: this.store, config: this.config, clock: this.#clock, audit: this.audit, sealer: this.#sealer, tokens: this.tokens,
        verifier: options.verifier, sleep, startSession: (pair, meta) => this.createSession(pair, meta, 'token.adopted'),
      })
      : null
  }

  /** Whether bare Supabase access tokens are adopted as sessions (a verifier was given). */
  get adoptsTokens(): boolean {
    return this.#adopter !== null
  }

  /** Signs in with email and password through Supabase Auth and starts a session. */
  async login(credentials: { email: string, password: string }, meta: ClientMeta): Promise<SessionGrant> {
    const parsed = loginSchema.safeParse(credentials)
    if (!parsed.success) throw new SessionInputError('Login needs {"email", "password"} as non-empty strings')
    let pair: TokenPair
    try {
      pair = await this.#client.password(parsed.data.email, parsed.data.password)
    } catch (error) {
      await this.audit.record({
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
    const pair = await this.#client.refresh(parsed.data.refreshToken)
    return this.createSession(pair, meta, 'auth.token_bound')
  }

  /**
   * Starts a session for tokens already obtained from Supabase Auth (`token.adopted`: a bare,
   * verified access token with `refreshToken: ''`); ends the user's oldest beyond the limit.
   */
  async createSession(pair: TokenPair, meta: ClientMeta, action: 'auth.login' | 'auth.token_bound' | 'token.adopted' = 'auth.token_bound'): Promise<SessionGrant> {
    const now = this.#clock.now()
    const record: SessionRecord = {
      id: newId(), userId: pair.user.id, email: pair.user.email, device: meta.device, ip: meta.ip,
      createdAt: now, lastSeenAt: now, accessToken: pair.accessToken, refreshToken: pair.refreshToken,
      accessExpiresAt: pair.expiresAt, tokenId: tokenId(pair.accessToken), prevTokenId: null, rotatedAt: null,
      mcpSessionId: null, location: meta.location ?? null, locationAt: meta.location ? now : null, refreshCount: 0, challengeFailures: 0,
    }
    const c = this.config
    const evicted = await this.store.createSession(sealSession(this.#sealer, record), {
      maxPerUser: c.maxSessionsPerUser, ttlMs: recordTtlMs(record, now, c), deadline: deadlineOf(record, c),
      tokenTtlMs: tokenEntryTtlMs(record, now, c), tombstoneTtlMs: c.tombstoneTtlMs,
    })
    const who = { actor: `user:${record.userId}`, ip: meta.ip, userId: record.userId, sessionId: record.id }
    const label = record.tokenId.slice(0, 12)
    const created = this.audit.record({ ...who, action: 'session.created', subject: `session:${record.id}`, reason: 'new session', details: { device: record.device } })
    await Promise.all(action === 'token.adopted'
      ? [
          this.audit.record({ ...who, actor: `ip:${meta.ip}`, action, subject: `token:${label}`, reason: 'verified Supabase access token adopted as a new session (no refresh token)' }),
          created,
          this.tokens.history(record, { kind: 'adopted', token: label }),
        ]
      : [
          this.audit.record({ ...who, action, subject: `user:${record.userId}`, reason: action === 'auth.login' ? 'password sign-in' : 'refresh token bound to a new session' }),
          created,
          this.audit.record({ ...who, action: 'token.issued', subject: `token:${label}`, reason: 'first access token of the session' }),
          this.tokens.history(record, { kind: 'issued', token: label }),
        ])
    for (const old of evicted) {
      await this.#keepTombstones(old, 'v', now)
      await this.audit.record({
        action: 'session.evicted', subject: `session:${old.id}`, ip: meta.ip, userId: old.userId, sessionId: old.id,
        reason: `user reached ${c.maxSessionsPerUser} live sessions; the oldest is ended for "${record.id}"`,
      })
      await this.tokens.history(old, { kind: 'revoked', token: old.tokenId.slice(0, 12), detail: 'session evicted' })
    }
    return { sessionId: record.id, accessToken: pair.accessToken, expiresAt: pair.expiresAt, expiresIn: this.#expiresIn(pair), user: pair.user, evicted: evicted.map((s) => s.id) }
  }

  /**
   * Checks one request's bearer token and returns what the request may use, or throws a
   * `SessionError` the middleware turns into a refusal. Order: token state, expiry, hijack
   * risk, proactive refresh, last-seen update.
   */
  async authenticate(token: string, meta: ClientMeta): Promise<AuthResult> {
    return this.#authenticate(token, meta, true)
  }

  async #authenticate(token: string, meta: ClientMeta, mayAdopt: boolean): Promise<AuthResult> {
    const c = this.config
    const presented = tokenId(token)
    let now = this.#clock.now()
    // A located request may be travel: only unlocated ones take the one-round-trip path.
    const found = await this.store.lookupToken(presented, meta.location ? undefined : {
      now, idleTimeoutMs: c.idleTimeoutMs, absoluteTimeoutMs: c.absoluteTimeoutMs, refreshWindowMs: c.refreshWindowMs,
      ip: meta.ip, device: meta.device, ttlSlackMs: ttlSlackMs(c),
    })
    if (found?.touched && found.session) {
      const current = openSession(this.#sealer, { ...found.session, lastSeenAt: now })
      return {
        sessionId: current.id, userId: current.userId, accessToken: current.accessToken, expiresAt: current.accessExpiresAt,
        rotated: false, session: info(current),
      }
    }
    if (!found && mayAdopt && this.#adopter) {
      await this.#adopter.adopt(token, meta)
      return this.#authenticate(token, meta, false)
    }
    if (!found) {
      await this.audit.record({ action: 'auth.token_unknown', actor: `ip:${meta.ip}`, subject: `token:${presented.slice(0, 12)}`, ip: meta.ip, reason: 'bearer token matches no session' })
      throw new TokenUnknownError()
    }
    const { entry, session } = found
    now = this.#clock.now()
    if (entry.state === 'r' || entry.state === 'e' || entry.state === 'v' || !session) {
      await this.#refuse(entry, session, meta)
    }
    const live = session!
    const reason = expiryReason(live, now, c)
    if (reason) {
      await this.#end(live.id, 'e', { action: 'session.expired', reason: `${reason} timeout`, ip: meta.ip, details: { by: 'request' } })
      throw new SessionEndedError('SESSION_EXPIRED', `${reason} timeout`)
    }
    const reuse = entry.state === 'o' || (entry.state === 'p' && now >= entry.rotatedAt + c.rotationGraceMs)
    const risk = assessRisk(live, meta, now, reuse, c.risk)
    const who = { actor: `ip:${meta.ip}`, ip: meta.ip, userId: live.userId, sessionId: live.id }
    if (reuse) {
      await this.audit.record({ ...who, action: 'token.reused', subject: `token:${presented.slice(0, 12)}`, reason: 'rotated-out token presented after its grace period', details: riskDetails(risk) })
      await this.tokens.history(live, { kind: 'reused', token: presented.slice(0, 12) })
      if (risk.verdict === 'revoke') await this.#hijacked(live, risk, meta)
      throw new TokenRefusedError('TOKEN_REUSED', 'This access token was replaced; use the newest one (sent in the "x-access-token" response header) or sign in again')
    }
    if (risk.verdict === 'revoke') await this.#hijacked(live, risk, meta)
    if (risk.verdict === 'challenge') {
      await this.audit.record({ ...who, action: 'challenge.issued', subject: `session:${live.id}`, reason: 'request differs from the session', details: riskDetails(risk) })
      throw new ChallengeRequiredError(risk.score, risk.signals.map((s) => s.name))
    }
    if (entry.state === 'p') {
      await this.audit.record({ ...who, action: 'token.grace_used', subject: `token:${presented.slice(0, 12)}`, reason: `previous token used ${now - entry.rotatedAt} ms after rotation` })
      await this.tokens.history(live, { kind: 'grace_used', token: presented.slice(0, 12) })
    }
    let current = openSession(this.#sealer, live)
    try {
      if (canRefresh(current)) current = await this.tokens.ensureFresh(current)
      else if (current.accessExpiresAt <= now) await this.#adoptedExpired(current, presented, meta)
    } catch (error) {
      if (error instanceof UpstreamAuthError && !error.retryable) {
        await this.#end(live.id, 'r', { action: 'session.revoked', reason: 'Supabase Auth rejected the refresh token', ip: meta.ip })
        throw new SessionEndedError('SESSION_REVOKED', 'Supabase Auth rejected the refresh token')
      }
      throw error
    }
    const patch: SessionPatch = { lastSeenAt: now }
    if (meta.ip !== live.ip) {
      patch.ip = meta.ip
      await this.audit.record({ ...who, action: 'session.ip_changed', subject: `session:${live.id}`, reason: `IP changed (risk ${risk.score.toFixed(2)}, allowed)`, details: { from: live.ip, to: meta.ip } })
    }
    if (meta.location) Object.assign(patch, { location: meta.location, locationAt: now })
    const touched = { ...current, ...patch }
    if (!await this.store.touchSession(live.id, patch, recordTtlMs(touched, now, c), deadlineOf(touched, c))) {
      throw new SessionEndedError('SESSION_REVOKED', 'the session ended while this request was checked')
    }
    return {
      sessionId: live.id, userId: live.userId, accessToken: current.accessToken, expiresAt: current.accessExpiresAt,
      rotated: presented !== current.tokenId, session: info(touched),
    }
  }

  /** Answers a challenge: re-checks the password of the session's user, then accepts the new device/IP and issues fresh tokens. */
  async verifyChallenge(token: string, password: string, meta: ClientMeta): Promise<SessionGrant> {
    if (typeof password !== 'string' || password.length === 0) throw new SessionInputError('Challenge answer needs {"password"} as a non-empty string')
    const found = await this.store.lookupToken(tokenId(token))
    if (!found) throw new TokenUnknownError()
    const { entry, session } = found
    if (entry.state !== 'c' || !session) return this.#refuse(entry, session, meta)
    const now = this.#clock.now()
    const reason = expiryReason(session, now, this.config)
    if (reason) {
      await this.#end(session.id, 'e', { action: 'session.expired', reason: `${reason} timeout`, ip: meta.ip, details: { by: 'request' } })
      throw new SessionEndedError('SESSION_EXPIRED', `${reason} timeout`)
    }
    const who = { actor: `ip:${meta.ip}`, ip: meta.ip, userId: session.userId, sessionId: session.id, subject: `session:${session.id}` }
    let pair: TokenPair | null = null
    let failure: Error | null = null
    try {
      if (!session.email) throw new SessionInputError('This session has no email to check a password against; sign in again')
      pair = await this.#client.password(session.email, password)
      if (pair.user.id !== session.userId) throw new UpstreamAuthError('The password belongs to another user', 200, false)
    } catch (error) {
      if (error instanceof UpstreamAuthError && error.retryable) throw error
      failure = error as Error
    }
    if (!pair || failure) {
      const failures = session.challengeFailures + 1
      await this.audit.record({ ...who, action: 'challenge.failed', reason: failure?.message ?? 'no tokens', details: { failures } })
      if (failures >= this.config.challengeMaxFailures) {
        await this.#end(session.id, 'r', { action: 'session.revoked', reason: `${failures} failed challenge answers`, ip: meta.ip })
        throw new SessionEndedError('SESSION_REVOKED', `${failures} failed challenge answers`)
      }
      await this.store.touchSession(session.id, { challengeFailures: failures }, recordTtlMs(session, now, this.config), deadlineOf(session, this.config))
      throw failure ?? new UpstreamAuthError('Challenge failed', 401, false)
    }
    const next = { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessExpiresAt: pair.expiresAt, tokenId: tokenId(pair.accessToken) }
    const rotated = await this.store.rotateTokens(session.id, {
      expectTokenId: session.tokenId, rotatedAt: now, tokenTtlMs: tokenEntryTtlMs({ ...session, accessExpiresAt: pair.expiresAt }, now, this.config),
      tombstoneTtlMs: tombstoneTtlFor(session, now, this.config),
      next: { ...next, accessToken: this.#sealer.seal(next.accessToken), refreshToken: this.#sealer.seal(next.refreshToken) },
    })
    if (!rotated) throw new TokenRefusedError('TOKEN_REUSED', 'The session\'s token changed while the challenge was answered; retry with the newest token')
    const patch: SessionPatch = { device: meta.device, ip: meta.ip, lastSeenAt: now, challengeFailures: 0, ...(meta.location ? { location: meta.location, locationAt: now } : {}) }
    const touched = { ...session, ...patch }
    await this.store.touchSession(session.id, patch, recordTtlMs(touched, now, this.config), deadlineOf(touched, this.config))
    await this.audit.record({ ...who, action: 'challenge.passed', reason: 'password re-checked' })
    if (meta.device !== session.device) {
      await this.audit.record({ ...who, action: 'session.device_changed', reason: 'new device accepted after a challenge', details: { from: session.device, to: meta.device } })
    }
    await this.audit.record({ ...who, action: 'token.rotated', subject: `token:${session.tokenId.slice(0, 12)}`, reason: 'challenge passed', details: { next: next.tokenId.slice(0, 12) } })
    await this.tokens.history(session, { kind: 'rotated', token: next.tokenId.slice(0, 12), detail: 'challenge passed' })
    // The upstream session behind the replaced tokens is no longer needed (an adopted token's belongs to its client).
    if (canRefresh(openSession(this.#sealer, session))) this.#client.logout(this.#sealer.open(session.accessToken)).catch(() => {})
    return { sessionId: session.id, accessToken: pair.accessToken, expiresAt: pair.expiresAt, expiresIn: this.#expiresIn(pair), user: pair.user, evicted: [] }
  }

  /** Ends the session of this token (the client signs out); `false` when it was not live. */
  async logout(token: string, meta: ClientMeta): Promise<boolean> {
    const found = await this.store.lookupToken(tokenId(token))
    if (!found?.session || (found.entry.state !== 'c' && found.entry.state !== 'p')) return false
    const ended = await this.#end(found.session.id, 'r', { action: 'auth.logout', actor: `user:${found.session.userId}`, reason: 'signed out', ip: meta.ip })
    // An adopted token's upstream session belongs to its client, which signs out of Supabase itself.
    if (ended && canRefresh(openSession(this.#sealer, ended))) this.#client.logout(this.#sealer.open(ended.accessToken)).catch(() => {})
    return ended !== null
  }

  /** Records the MCP Streamable HTTP session id serving this session. */
  async bindMcpSession(sessionId: string, mcpSessionId: string): Promise<boolean> {
    const session = await this.store.getSession(sessionId)
    if (!session) return false
    if (session.mcpSessionId === mcpSessionId) return true
    const now = this.#clock.now()
    const ok = await this.store.touchSession(sessionId, { mcpSessionId }, recordTtlMs(session, now, this.config), deadlineOf(session, this.config))
    if (ok) {
      await this.audit.record({ action: 'session.mcp_bound', actor: `user:${session.userId}`, subject: `session:${sessionId}`, userId: session.userId, sessionId, reason: 'MCP session bound', details: { mcpSessionId } })
    }
    return ok
  }

  /** Revokes one session; `false` when it was not live. */
  async revokeSession(sessionId: string, options: RevokeOptions = {}): Promise<boolean> {
    return (await this.#end(sessionId, 'r', { action: 'session.revoked', reason: options.reason ?? 'revoked', actor: options.actor, ip: options.ip ?? null })) !== null
  }

  /**
   * Revokes one access token (given as the token or its `tokenId`). A session's current token
   * takes its session with it; a previous token is refused from now on.
   */
  async revokeToken(token: { token: string } | { tokenId: string }, options: RevokeOptions = {}): Promise<boolean> {
    const id = 'token' in token ? tokenId(token.token) : token.tokenId
    const entry = await this.store.markToken(id, 'r', this.config.tombstoneTtlMs)
    if (!entry) return false
    const session = await this.store.getSession(entry.sessionId)
    if (session) await this.#keepTombstones({ ...session, tokenId: id, prevTokenId: null }, 'r', this.#clock.now())
    await this.audit.record({
      action: 'token.revoked', actor: options.actor ?? 'system', subject: `token:${id.slice(0, 12)}`, ip: options.ip ?? null,
      userId: session?.userId ?? null, sessionId: entry.sessionId, reason: options.reason ?? 'revoked',
    })
    if (session) await this.tokens.history(session, { kind: 'revoked', token: id.slice(0, 12) })
    if (entry.state === 'c') {
      await this.#end(entry.sessionId, 'r', { action: 'session.revoked', reason: 'its current token was revoked', actor: options.actor, ip: options.ip ?? null })
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

  /** One session without its tokens. */
  async getSession(sessionId: string): Promise<SessionInfo | null> {
    const s = await this.store.getSession(sessionId)
    return s && info(s)
  }

  /** Live sessions of a user or a device, oldest first, without tokens. */
  async listSessions(by: { userId: string } | { device: string }): Promise<SessionInfo[]> {
    return (await this.store.listSessions(by)).map(info)
  }

  /** A session's token history (rotations, failures, reuse), oldest first. */
  tokenHistory(sessionId: string): Promise<TokenHistoryEntry[]> {
    return this.store.readHistory(sessionId)
  }

  /** Ends every expired session (auditing each), in batches that yield to requests. */
  async sweep(): Promise<SweepResult> {
    const c = this.config
    const result: SweepResult = { expired: 0, forgotten: 0 }
    for (let round = 0; round < 1000; round++) {
      const now = this.#clock.now()
      const ids = await this.store.expiredCandidates(now, c.sweepBatchSize)
      const gone: string[] = []
      for (const id of ids) {
        const s = await this.store.getSession(id)
        if (!s) {
          gone.push(id)
          continue
        }
        const reason = expiryReason(s, now, c)
        if (reason) {
          if (await this.#end(id, 'e', { action: 'session.expired', reason: `${reason} timeout`, details: { by: 'sweep' } })) result.expired++
        } else {
          // Its deadline moved (a request touched it): re-index, keep it.
          await this.store.touchSession(id, {}, recordTtlMs(s, now, c), deadlineOf(s, c))
        }
      }
      await this.store.forgetDeadlines(gone)
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
      this.#sweeping = this.sweep().catch(this.#onError).finally(() => { this.#sweeping = null })
    }, this.config.sweepIntervalMs)
    this.#timer.unref()
  }

  /** Stops the background sweep and waits for a running one. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await this.#sweeping
  }

  #expiresIn(pair: TokenPair): number {
    return Math.max(0, Math.floor((pair.expiresAt - this.#clock.now()) / 1000))
  }

  async #refuse(entry: TokenEntry, session: SessionRecord | null, meta: ClientMeta): Promise<never> {
    const why = { r: 'revoked', e: 'expired', v: 'evicted', c: 'expired', p: 'expired', o: 'replaced' }[entry.state]
    await this.audit.record({
      action: 'token.refused', actor: `ip:${meta.ip}`, subject: `token:${entry.tokenId.slice(0, 12)}`, ip: meta.ip,
      userId: session?.userId ?? null, sessionId: entry.sessionId, reason: `token of a ${session ? '' : 'ended '}session is ${why}`,
    })
    if (entry.state === 'r' && session) throw new TokenRefusedError('TOKEN_REVOKED', 'This access token was revoked; use the newest one or sign in again')
    if (entry.state === 'r') throw new SessionEndedError('SESSION_REVOKED', 'revoked')
    if (entry.state === 'v') throw new SessionEndedError('SESSION_EVICTED', 'too many sessions for this user; the oldest was ended')
    if (entry.state === 'o') throw new TokenRefusedError('TOKEN_REUSED', 'This access token was replaced; sign in again')
    throw new SessionEndedError('SESSION_EXPIRED', 'expired')
  }

  /** Tombstones live as long as the tokens could still be presented (a JWT may outlive `tombstoneTtlMs`). */
  async #keepTombstones(ended: Pick<SessionRecord, 'tokenId' | 'prevTokenId' | 'accessExpiresAt'>, mark: TokenState, now: number): Promise<void> {
    const ttl = tokenLifeMs(ended, now)
    if (ttl <= this.config.tombstoneTtlMs) return
    await this.store.markToken(ended.tokenId, mark, ttl)
    if (ended.prevTokenId) await this.store.markToken(ended.prevTokenId, mark, ttl)
  }

  /** An adopted session's token expired: it has no refresh token, so the client must bring a new one. */
  async #adoptedExpired(session: SessionRecord, presented: string, meta: ClientMeta): Promise<never> {
    await this.audit.record({
      action: 'token.refused', actor: `ip:${meta.ip}`, subject: `token:${presented.slice(0, 12)}`, ip: meta.ip, userId: session.userId,
      sessionId: session.id, reason: 'adopted access token expired; the session has no refresh token',
    })
    throw new TokenRefusedError('TOKEN_EXPIRED', 'This Supabase access token has expired and its session cannot refresh it (it was adopted from a bare token, without a refresh token); get a new access token from Supabase (refresh your Supabase session) and send that')
  }

  async #hijacked(session: SessionRecord, risk: RiskAssessment, meta: ClientMeta): Promise<never> {
    await this.audit.record({
      action: 'hijack.suspected', actor: `ip:${meta.ip}`, subject: `session:${session.id}`, ip: meta.ip, userId: session.userId,
      sessionId: session.id, reason: `risk ${risk.score.toFixed(2)} >= ${this.config.risk.revokeThreshold}`, details: riskDetails(risk),
    })
    await this.#end(session.id, 'r', { action: 'session.revoked', reason: 'hijack suspected', ip: meta.ip })
    throw new SessionEndedError('HIJACK_SUSPECTED', `risk ${risk.score.toFixed(2)} (${risk.signals.map((s) => s.name).join(', ')}); the session was revoked`)
  }

  async #end(sessionId: string, mark: TokenState, how: { action: AuditAction, reason: string, actor?: string | undefined, ip?: string | null, details?: Record<string, string | number | boolean | null> }): Promise<SessionRecord | null> {
    const removed = await this.store.removeSession(sessionId, mark, this.config.tombstoneTtlMs)
    if (!removed) return null
    await this.#keepTombstones(removed, mark, this.#clock.now())
    await this.audit.record({
      action: how.action, actor: how.actor ?? 'system', subject: `session:${sessionId}`, ip: how.ip ?? null,
      userId: removed.userId, sessionId, reason: how.reason, ...(how.details ? { details: how.details } : {}),
    })
    await this.tokens.history(removed, { kind: 'revoked', token: removed.tokenId.slice(0, 12), detail: how.reason })
    return removed
  }

  async #revokeAll(by: { userId: string } | { device: string }, action: 'user.revoked' | 'device.revoked', subject: string, userId: string | null, options: RevokeOptions): Promise<number> {
    let count = 0
    for (const s of await this.store.listSessions(by)) {
      if (await this.#end(s.id, 'r', { action: 'session.revoked', reason: options.reason ?? `all sessions of ${subject} revoked`, actor: options.actor, ip: options.ip ?? null })) count++
    }
    await this.audit.record({ action, actor: options.actor ?? 'system', subject, ip: options.ip ?? null, userId, reason: options.reason ?? 'revoked', details: { sessions: count } })
    return count
  }
}

function riskDetails(risk: RiskAssessment): Record<string, string | number> {
  return { score: Number(risk.score.toFixed(3)), signals: risk.signals.map((s) => s.name).join(',') }
}
