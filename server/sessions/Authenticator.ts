/**
 * The per-request check of a bearer token. Order: token state, expiry, hijack risk, proactive
 * refresh, last-seen update. Nothing is cached between requests, so a revocation by any
 * instance sharing the store holds on the next request everywhere.
 */
import type { RiskAssessment } from './risk.ts'
import type { SessionEnder } from './SessionEnder.ts'
import type { SessionPatch } from './storage/types.ts'
import type { TokenAdopter } from './TokenAdopter.ts'
import type { ClientMeta, SessionInfo, SessionRecord } from './types.ts'
import { ChallengeRequiredError, SessionEndedError, TokenRefusedError, TokenUnknownError, UpstreamAuthError } from './errors.ts'
import { tokenId } from './internal/ids.ts'
import { deadlineOf, recordTtlMs, ttlSlackMs } from './internal/lifetimes.ts'
import { openSession } from './internal/sealer.ts'
import { sessionInfo } from './internal/sessionInfo.ts'
import { refuseExpiredAdopted, refuseToken } from './refusals.ts'
import { assessRisk } from './risk.ts'
import { canRefresh } from './TokenAdopter.ts'
import type { SessionParts } from './internal/parts.ts'

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

/** What `Authenticator` works with. */
export interface AuthenticatorDeps extends SessionParts {
  ender: SessionEnder
  /** Adopts a bare Supabase access token no session holds; `null` refuses it with TOKEN_UNKNOWN. */
  adopter: TokenAdopter | null
}

/** Decides whether one request's bearer token may proceed. */
export class Authenticator {
  #d: AuthenticatorDeps

  constructor(deps: AuthenticatorDeps) {
    this.#d = deps
  }

  /**
   * Checks one request's bearer token and returns what the request may use, or throws a
   * `SessionError` the middleware turns into a refusal.
   */
  authenticate(token: string, meta: ClientMeta): Promise<AuthResult> {
    return this.#check(token, meta, true)
  }

  async #check(token: string, meta: ClientMeta, mayAdopt: boolean): Promise<AuthResult> {
    const { store, config: c, clock, audit, sealer, tokens, ender, adopter } = this.#d
    const presented = tokenId(token)
    let now = clock.now()
    // A located request may be travel: only unlocated ones take the one-round-trip path.
    const found = await store.lookupToken(presented, meta.location ? undefined : {
      now, idleTimeoutMs: c.idleTimeoutMs, absoluteTimeoutMs: c.absoluteTimeoutMs, refreshWindowMs: c.refreshWindowMs,
      ip: meta.ip, device: meta.device, ttlSlackMs: ttlSlackMs(c),
    })
    if (found?.touched && found.session) {
      const current = openSession(sealer, { ...found.session, lastSeenAt: now })
      return {
        sessionId: current.id, userId: current.userId, accessToken: current.accessToken, expiresAt: current.accessExpiresAt,
        rotated: false, session: sessionInfo(current),
      }
    }
    if (!found && mayAdopt && adopter) {
      await adopter.adopt(token, meta)
      return this.#check(token, meta, false)
    }
    if (!found) {
      await audit.record({ action: 'auth.token_unknown', actor: `ip:${meta.ip}`, subject: `token:${presented.slice(0, 12)}`, ip: meta.ip, reason: 'bearer token matches no session' })
      throw new TokenUnknownError()
    }
    const { entry, session } = found
    now = clock.now()
    if (entry.state === 'r' || entry.state === 'e' || entry.state === 'v' || !session) {
      await refuseToken(audit, entry, session, meta)
    }
    const live = session!
    await ender.expireIfDue(live, now, meta)
    const reuse = entry.state === 'o' || (entry.state === 'p' && now >= entry.rotatedAt + c.rotationGraceMs)
    const risk = assessRisk(live, meta, now, reuse, c.risk)
    const who = { actor: `ip:${meta.ip}`, ip: meta.ip, userId: live.userId, sessionId: live.id }
    if (reuse) {
      await audit.record({ ...who, action: 'token.reused', subject: `token:${presented.slice(0, 12)}`, reason: 'rotated-out token presented after its grace period', details: riskDetails(risk) })
      await tokens.history(live, { kind: 'reused', token: presented.slice(0, 12) })
      if (risk.verdict === 'revoke') await this.#hijacked(live, risk, meta)
      throw new TokenRefusedError('TOKEN_REUSED', 'This access token was replaced; use the newest one (sent in the "x-access-token" response header) or sign in again')
    }
    if (risk.verdict === 'revoke') await this.#hijacked(live, risk, meta)
    if (risk.verdict === 'challenge') {
      await audit.record({ ...who, action: 'challenge.issued', subject: `session:${live.id}`, reason: 'request differs from the session', details: riskDetails(risk) })
      throw new ChallengeRequiredError(risk.score, risk.signals.map((s) => s.name))
    }
    if (entry.state === 'p') {
      await audit.record({ ...who, action: 'token.grace_used', subject: `token:${presented.slice(0, 12)}`, reason: `previous token used ${now - entry.rotatedAt} ms after rotation` })
      await tokens.history(live, { kind: 'grace_used', token: presented.slice(0, 12) })
    }
    let current = openSession(sealer, live)
    try {
      if (canRefresh(current)) current = await tokens.ensureFresh(current)
      else if (current.accessExpiresAt <= now) await refuseExpiredAdopted(audit, current, presented, meta)
    } catch (error) {
      if (error instanceof UpstreamAuthError && !error.retryable) {
        await ender.end(live.id, 'r', { action: 'session.revoked', reason: 'Supabase Auth rejected the refresh token', ip: meta.ip })
        throw new SessionEndedError('SESSION_REVOKED', 'Supabase Auth rejected the refresh token')
      }
      throw error
    }
    const patch: SessionPatch = { lastSeenAt: now }
    if (meta.ip !== live.ip) {
      patch.ip = meta.ip
      await audit.record({ ...who, action: 'session.ip_changed', subject: `session:${live.id}`, reason: `IP changed (risk ${risk.score.toFixed(2)}, allowed)`, details: { from: live.ip, to: meta.ip } })
    }
    if (meta.location) Object.assign(patch, { location: meta.location, locationAt: now })
    const touched = { ...current, ...patch }
    if (!await store.touchSession(live.id, patch, recordTtlMs(touched, now, c), deadlineOf(touched, c))) {
      throw new SessionEndedError('SESSION_REVOKED', 'the session ended while this request was checked')
    }
    return {
      sessionId: live.id, userId: live.userId, accessToken: current.accessToken, expiresAt: current.accessExpiresAt,
      rotated: presented !== current.tokenId, session: sessionInfo(touched),
    }
  }

  async #hijacked(session: SessionRecord, risk: RiskAssessment, meta: ClientMeta): Promise<never> {
    await this.#d.audit.record({
      action: 'hijack.suspected', actor: `ip:${meta.ip}`, subject: `session:${session.id}`, ip: meta.ip, userId: session.userId,
      sessionId: session.id, reason: `risk ${risk.score.toFixed(2)} >= ${this.#d.config.risk.revokeThreshold}`, details: riskDetails(risk),
    })
    await this.#d.ender.end(session.id, 'r', { action: 'session.revoked', reason: 'hijack suspected', ip: meta.ip })
    throw new SessionEndedError('HIJACK_SUSPECTED', `risk ${risk.score.toFixed(2)} (${risk.signals.map((s) => s.name).join(', ')}); the session was revoked`)
  }
}

function riskDetails(risk: RiskAssessment): Record<string, string | number> {
  return { score: Number(risk.score.toFixed(3)), signals: risk.signals.map((s) => s.name).join(',') }
}
