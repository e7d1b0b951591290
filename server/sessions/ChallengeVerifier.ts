/**
 * The answer to CHALLENGE_REQUIRED: the session's user re-enters the password; on success the
 * request's device and IP become the session's and fresh tokens replace the old ones; after
 * `challengeMaxFailures` wrong answers the session is revoked.
 */
import type { TokenClient } from './GoTrueClient.ts'
import type { SessionEnder } from './SessionEnder.ts'
import type { SessionGrant } from './SessionStarter.ts'
import type { SessionPatch } from './storage/types.ts'
import type { ClientMeta, TokenPair } from './types.ts'
import { SessionEndedError, SessionInputError, TokenRefusedError, TokenUnknownError, UpstreamAuthError } from './errors.ts'
import { tokenId } from './internal/ids.ts'
import { deadlineOf, recordTtlMs, tokenEntryTtlMs, tombstoneTtlFor } from './internal/lifetimes.ts'
import { refuseToken } from './refusals.ts'
import { grantOf } from './SessionStarter.ts'
import type { SessionParts } from './internal/parts.ts'

/** What `ChallengeVerifier` works with. */
export interface ChallengeVerifierDeps extends SessionParts {
  client: TokenClient
  ender: SessionEnder
}

/** Re-checks a challenged session's password and rotates its tokens. */
export class ChallengeVerifier {
  #d: ChallengeVerifierDeps

  constructor(deps: ChallengeVerifierDeps) {
    this.#d = deps
  }

  /** Answers a challenge: re-checks the password of the session's user, then accepts the new device/IP and issues fresh tokens. */
  async verify(token: string, password: string, meta: ClientMeta): Promise<SessionGrant> {
    const { store, config, clock, audit, sealer, tokens, client, ender } = this.#d
    if (typeof password !== 'string' || password.length === 0) throw new SessionInputError('Challenge answer needs {"password"} as a non-empty string')
    const found = await store.lookupToken(tokenId(token))
    if (!found) throw new TokenUnknownError()
    const { entry, session } = found
    if (entry.state !== 'c' || !session) return refuseToken(audit, entry, session, meta)
    const now = clock.now()
    await ender.expireIfDue(session, now, meta)
    const who = { actor: `ip:${meta.ip}`, ip: meta.ip, userId: session.userId, sessionId: session.id, subject: `session:${session.id}` }
    let pair: TokenPair | null = null
    let failure: Error | null = null
    try {
      if (!session.email) throw new SessionInputError('This session has no email to check a password against; sign in again')
      pair = await client.password(session.email, password)
      if (pair.user.id !== session.userId) throw new UpstreamAuthError('The password belongs to another user', 200, false)
    } catch (error) {
      if (error instanceof UpstreamAuthError && error.retryable) throw error
      failure = error as Error
    }
    if (!pair || failure) {
      const failures = session.challengeFailures + 1
      await audit.record({ ...who, action: 'challenge.failed', reason: failure?.message ?? 'no tokens', details: { failures } })
      if (failures >= config.challengeMaxFailures) {
        await ender.end(session.id, 'r', { action: 'session.revoked', reason: `${failures} failed challenge answers`, ip: meta.ip })
        throw new SessionEndedError('SESSION_REVOKED', `${failures} failed challenge answers`)
      }
      await store.touchSession(session.id, { challengeFailures: failures }, recordTtlMs(session, now, config), deadlineOf(session, config))
      throw failure ?? new UpstreamAuthError('Challenge failed', 401, false)
    }
    const next = { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessExpiresAt: pair.expiresAt, tokenId: tokenId(pair.accessToken) }
    const rotated = await store.rotateTokens(session.id, {
      expectTokenId: session.tokenId, rotatedAt: now, tokenTtlMs: tokenEntryTtlMs({ ...session, accessExpiresAt: pair.expiresAt }, now, config),
      tombstoneTtlMs: tombstoneTtlFor(session, now, config),
      next: { ...next, accessToken: sealer.seal(next.accessToken), refreshToken: sealer.seal(next.refreshToken) },
    })
    if (!rotated) throw new TokenRefusedError('TOKEN_REUSED', 'The session\'s token changed while the challenge was answered; retry with the newest token')
    const patch: SessionPatch = { device: meta.device, ip: meta.ip, lastSeenAt: now, challengeFailures: 0, ...(meta.location ? { location: meta.location, locationAt: now } : {}) }
    const touched = { ...session, ...patch }
    await store.touchSession(session.id, patch, recordTtlMs(touched, now, config), deadlineOf(touched, config))
    await audit.record({ ...who, action: 'challenge.passed', reason: 'password re-checked' })
    if (meta.device !== session.device) {
      await audit.record({ ...who, action: 'session.device_changed', reason: 'new device accepted after a challenge', details: { from: session.device, to: meta.device } })
    }
    await audit.record({ ...who, action: 'token.rotated', subject: `token:${session.tokenId.slice(0, 12)}`, reason: 'challenge passed', details: { next: next.tokenId.slice(0, 12) } })
    await tokens.history(session, { kind: 'rotated', token: next.tokenId.slice(0, 12), detail: 'challenge passed' })
    // The upstream session behind the replaced tokens is no longer needed.
    ender.signOutUpstream(session)
    return grantOf(session.id, pair, clock, [])
  }
}
