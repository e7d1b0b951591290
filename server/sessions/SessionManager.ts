/**
 * The session manager: one session per signed-in client device, checked on every request.
 * A facade over the session layer's parts, sharing one store, settings, clock and audit trail:
 * `SessionStarter` (sign-in, eviction), `Authenticator` (the per-request check),
 * `ChallengeVerifier`, `SessionEnder` (revocation, tombstones) and `SessionSweeper`. With a
 * token verifier, a bearer token no session holds is verified and adopted as a session on
 * first use (see `TokenAdopter`).
 */
import type { TokenVerifier } from '../http/auth.ts'
import type { AuthResult } from './Authenticator.ts'
import type { Clock } from './clock.ts'
import type { SessionConfig, SessionConfigInput } from './config.ts'
import type { TokenClient } from './GoTrueClient.ts'
import type { SessionGrant } from './SessionStarter.ts'
import type { SweepResult } from './SessionSweeper.ts'
import type { SessionStore } from './storage/types.ts'
import type { ClientMeta, RevokeOptions, SessionInfo, TokenHistoryEntry, TokenPair } from './types.ts'
import { AuditLog } from './AuditLog.ts'
import { Authenticator } from './Authenticator.ts'
import { ChallengeVerifier } from './ChallengeVerifier.ts'
import { sleep as realSleep, systemClock } from './clock.ts'
import { parseSessionConfig } from './config.ts'
import { deadlineOf, recordTtlMs } from './internal/lifetimes.ts'
import { createSealer } from './internal/sealer.ts'
import { sessionInfo } from './internal/sessionInfo.ts'
import { RateLimiter } from './RateLimiter.ts'
import { SessionEnder } from './SessionEnder.ts'
import { SessionStarter } from './SessionStarter.ts'
import { SessionSweeper } from './SessionSweeper.ts'
import { TokenAdopter } from './TokenAdopter.ts'
import { TokenManager } from './TokenManager.ts'

export type { AuthResult } from './Authenticator.ts'
export type { SessionGrant } from './SessionStarter.ts'
export type { SweepResult } from './SessionSweeper.ts'

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

/** Sessions, tokens, revocation and hijack checks over one `SessionStore`. */
export class SessionManager {
  readonly config: SessionConfig
  readonly store: SessionStore
  readonly audit: AuditLog
  readonly rateLimiter: RateLimiter
  readonly tokens: TokenManager
  #clock: Clock
  #adopts: boolean
  #starter: SessionStarter
  #authenticator: Authenticator
  #challenges: ChallengeVerifier
  #ender: SessionEnder
  #sweeper: SessionSweeper

  constructor(options: SessionManagerOptions) {
    const config = this.config = parseSessionConfig(options.config ?? {})
    const store = this.store = options.store
    const client = options.tokenClient
    const clock = this.#clock = options.clock ?? systemClock
    const sealer = createSealer(config.tokenEncryptionKey)
    const sleep = options.sleep ?? realSleep
    const audit = this.audit = new AuditLog({ store, clock, maxEntries: config.auditMaxEntries, userMaxEntries: config.auditUserMaxEntries })
    this.rateLimiter = new RateLimiter({ store, clock, limits: config.rateLimits, audit })
    const tokens = this.tokens = new TokenManager({ store, config, clock, client, audit, sealer, sleep, random: options.random ?? Math.random })
    const shared = { store, config, clock, audit, sealer, tokens }
    const ender = this.#ender = new SessionEnder({ ...shared, client })
    const starter = this.#starter = new SessionStarter({ ...shared, client, ender })
    const adopter = options.verifier
      ? new TokenAdopter({ ...shared, verifier: options.verifier, sleep, startSession: (pair, meta) => starter.createSession(pair, meta, 'token.adopted') })
      : null
    this.#adopts = adopter !== null
    this.#authenticator = new Authenticator({ ...shared, ender, adopter })
    this.#challenges = new ChallengeVerifier({ ...shared, client, ender })
    this.#sweeper = new SessionSweeper({
      store, config, clock, ender,
      onError: options.onError ?? ((error) => console.error('[sessions] sweep failed:', (error as Error)?.message ?? error)),
    })
  }

  /** Whether bare Supabase access tokens are adopted as sessions (a verifier was given). */
  get adoptsTokens(): boolean {
    return this.#adopts
  }

  /** Signs in with email and password through Supabase Auth and starts a session. */
  login(credentials: { email: string, password: string }, meta: ClientMeta): Promise<SessionGrant> {
    return this.#starter.login(credentials, meta)
  }

  /** Binds a refresh token the client obtained itself: refreshes it (so only the server holds the live one) and starts a session. */
  adopt(input: { refreshToken: string }, meta: ClientMeta): Promise<SessionGrant> {
    return this.#starter.adopt(input, meta)
  }

  /**
   * Starts a session for tokens already obtained from Supabase Auth (`token.adopted`: a bare,
   * verified access token with `refreshToken: ''`); ends the user's oldest beyond the limit.
   */
  createSession(pair: TokenPair, meta: ClientMeta, action: 'auth.login' | 'auth.token_bound' | 'token.adopted' = 'auth.token_bound'): Promise<SessionGrant> {
    return this.#starter.createSession(pair, meta, action)
  }

  /**
   * Checks one request's bearer token and returns what the request may use, or throws a
   * `SessionError` the middleware turns into a refusal. Order: token state, expiry, hijack
   * risk, proactive refresh, last-seen update.
   */
  authenticate(token: string, meta: ClientMeta): Promise<AuthResult> {
    return this.#authenticator.authenticate(token, meta)
  }

  /** Answers a challenge: re-checks the password of the session's user, then accepts the new device/IP and issues fresh tokens. */
  verifyChallenge(token: string, password: string, meta: ClientMeta): Promise<SessionGrant> {
    return this.#challenges.verify(token, password, meta)
  }

  /** Ends the session of this token (the client signs out); `false` when it was not live. */
  logout(token: string, meta: ClientMeta): Promise<boolean> {
    return this.#ender.logout(token, meta)
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
  revokeSession(sessionId: string, options: RevokeOptions = {}): Promise<boolean> {
    return this.#ender.revokeSession(sessionId, options)
  }

  /**
   * Revokes one access token (given as the token or its `tokenId`). A session's current token
   * takes its session with it; a previous token is refused from now on.
   */
  revokeToken(token: { token: string } | { tokenId: string }, options: RevokeOptions = {}): Promise<boolean> {
    return this.#ender.revokeToken(token, options)
  }

  /** Revokes every session of a user (and so their tokens); returns how many. */
  revokeUser(userId: string, options: RevokeOptions = {}): Promise<number> {
    return this.#ender.revokeUser(userId, options)
  }

  /** Revokes every session on a device fingerprint; returns how many. */
  revokeDevice(device: string, options: RevokeOptions = {}): Promise<number> {
    return this.#ender.revokeDevice(device, options)
  }

  /** One session without its tokens. */
  async getSession(sessionId: string): Promise<SessionInfo | null> {
    const s = await this.store.getSession(sessionId)
    return s && sessionInfo(s)
  }

  /** Live sessions of a user or a device, oldest first, without tokens. */
  async listSessions(by: { userId: string } | { device: string }): Promise<SessionInfo[]> {
    return (await this.store.listSessions(by)).map(sessionInfo)
  }

  /** A session's token history (rotations, failures, reuse), oldest first. */
  tokenHistory(sessionId: string): Promise<TokenHistoryEntry[]> {
    return this.store.readHistory(sessionId)
  }

  /** Ends every expired session (auditing each), in batches that yield to requests. */
  sweep(): Promise<SweepResult> {
    return this.#sweeper.sweep()
  }

  /** Starts the background sweep (an unref'd timer: it never keeps the process alive). */
  start(): void {
    this.#sweeper.start()
  }

  /** Stops the background sweep and waits for a running one. */
  stop(): Promise<void> {
    return this.#sweeper.stop()
  }
}
