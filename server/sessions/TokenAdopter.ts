/**
 * Adoption of bare Supabase access tokens. The HTTP transport accepts any verified Supabase
 * access token; with the session layer in front, a token no session holds is verified (the
 * transport's own verifier, server/http/auth.ts) and bound to a session on first use, so
 * revocation, timeouts, rate limits and hijack checks hold for it like for a sign-in.
 *
 * The same client (user, device fingerprint and upstream `session_id` claim) keeps one session:
 * its next, newer token is rotated onto that session instead of starting another. An adopted
 * session has no refresh token; when its token expires the client brings a new one.
 */
import type { JWTPayload } from 'jose'
import type { TokenVerifier, VerifiedToken } from '../http/auth.ts'
import type { ClientMeta, SessionRecord, TokenPair } from './types.ts'
import { decodeJwt } from 'jose'
import { TokenRejectedError } from '../http/auth.ts'
import { TokenInvalidError } from './errors.ts'
import { newId, tokenId } from './internal/ids.ts'
import { expiryReason, tokenEntryTtlMs, tombstoneTtlFor } from './internal/lifetimes.ts'
import { openSession } from './internal/sealer.ts'
import type { SessionParts } from './internal/parts.ts'

/** What `TokenAdopter` works with. */
export interface TokenAdopterDeps extends SessionParts {
  verifier: TokenVerifier
  sleep: (ms: number) => Promise<void>
  /** Starts a new session for the adopted token (the manager's `createSession`). */
  startSession(pair: TokenPair, meta: ClientMeta): Promise<unknown>
}

/** Whether a session can refresh its upstream token (it was not adopted from a bare token). */
export function canRefresh(session: Pick<SessionRecord, 'refreshToken'>): boolean {
  return session.refreshToken !== ''
}

/** Verifies unknown bearer tokens and binds them to sessions. */
export class TokenAdopter {
  #d: TokenAdopterDeps

  constructor(deps: TokenAdopterDeps) {
    this.#d = deps
  }

  /**
   * Verifies `token` and makes it the current token of a session: the same client's adopted
   * session when there is one, else a new session. Concurrent calls for one user and device
   * (on any instance sharing the store) take turns, so one token never gets two sessions.
   * @throws TokenInvalidError when verification fails (audited once as `token.rejected`; nothing stored).
   */
  async adopt(token: string, meta: ClientMeta): Promise<void> {
    const { store, config, audit } = this.#d
    const id = tokenId(token)
    let verified: VerifiedToken
    try {
      verified = await this.#d.verifier.verify(token)
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error
      await audit.record({ action: 'token.rejected', actor: `ip:${meta.ip}`, subject: `token:${id.slice(0, 12)}`, ip: meta.ip, reason: error.reason })
      throw new TokenInvalidError(error.reason)
    }
    const lock = `adopt:${verified.userId}:${meta.device}`
    const owner = newId(9)
    while (!await store.acquireLock(lock, owner, config.refreshLockTtlMs)) {
      await this.#d.sleep(config.refreshPollMs)
      // The holder may have been adopting this very token.
      if (await store.lookupToken(id)) return
    }
    try {
      if (await store.lookupToken(id)) return
      const pair: TokenPair = {
        accessToken: token,
        refreshToken: '',
        expiresAt: verified.expiresAt * 1000,
        user: { id: verified.userId, email: typeof verified.claims.email === 'string' && verified.claims.email ? verified.claims.email : null },
      }
      if (await this.#rotateOnto(pair, id, verified.claims, meta)) return
      await this.#d.startSession(pair, meta)
    } finally {
      await store.releaseLock(lock, owner).catch(() => false)
    }
  }

  /** Rotates the client's own adopted session onto a newer token; false when it has none. */
  async #rotateOnto(pair: TokenPair, id: string, claims: JWTPayload, meta: ClientMeta): Promise<boolean> {
    const { store, config, clock, sealer, audit, tokens } = this.#d
    const upstream = upstreamSession(claims)
    const now = clock.now()
    const mine = (await store.listSessions({ userId: pair.user.id })).reverse().filter((s) => {
      if (s.device !== meta.device || expiryReason(s, now, config) || s.accessExpiresAt > pair.expiresAt) return false
      const open = openSession(sealer, s)
      return !canRefresh(open) && upstreamSession(claimsOf(open.accessToken)) === upstream
    })
    for (const session of mine) {
      const rotated = await store.rotateTokens(session.id, {
        expectTokenId: session.tokenId,
        next: { accessToken: sealer.seal(pair.accessToken), refreshToken: sealer.seal(''), accessExpiresAt: pair.expiresAt, tokenId: id },
        rotatedAt: now,
        tokenTtlMs: tokenEntryTtlMs({ ...session, accessExpiresAt: pair.expiresAt }, now, config),
        tombstoneTtlMs: tombstoneTtlFor(session, now, config),
      })
      if (!rotated) continue
      const label = id.slice(0, 12)
      await Promise.all([
        audit.record({
          action: 'token.adopted', actor: `ip:${meta.ip}`, subject: `token:${label}`, ip: meta.ip, userId: session.userId, sessionId: session.id,
          reason: 'newer Supabase access token of the same client adopted into its session', details: { replaces: session.tokenId.slice(0, 12) },
        }),
        tokens.history(session, { kind: 'adopted', token: label, detail: `replaces ${session.tokenId.slice(0, 12)}` }),
      ])
      return true
    }
    return false
  }
}

/** The upstream (GoTrue) session a token belongs to, from its `session_id` claim. */
function upstreamSession(claims: JWTPayload | null): string | null {
  return typeof claims?.session_id === 'string' && claims.session_id ? claims.session_id : null
}

function claimsOf(token: string): JWTPayload | null {
  try {
    return decodeJwt(token)
  } catch {
    return null
  }
}
