/** Refusals of a presented token that no longer serves a live session: audited, then thrown. */
import type { AuditLog } from './AuditLog.ts'
import type { ClientMeta, SessionRecord, TokenEntry } from './types.ts'
import { SessionEndedError, TokenRefusedError } from './errors.ts'

/** Refuses a token by its state in the token index (revoked, expired, evicted or replaced). */
export async function refuseToken(audit: AuditLog, entry: TokenEntry, session: SessionRecord | null, meta: ClientMeta): Promise<never> {
  const why = { r: 'revoked', e: 'expired', v: 'evicted', c: 'expired', p: 'expired', o: 'replaced' }[entry.state]
  await audit.record({
    action: 'token.refused', actor: `ip:${meta.ip}`, subject: `token:${entry.tokenId.slice(0, 12)}`, ip: meta.ip,
    userId: session?.userId ?? null, sessionId: entry.sessionId, reason: `token of a ${session ? '' : 'ended '}session is ${why}`,
  })
  if (entry.state === 'r' && session) throw new TokenRefusedError('TOKEN_REVOKED', 'This access token was revoked; use the newest one or sign in again')
  if (entry.state === 'r') throw new SessionEndedError('SESSION_REVOKED', 'revoked')
  if (entry.state === 'v') throw new SessionEndedError('SESSION_EVICTED', 'too many sessions for this user; the oldest was ended')
  if (entry.state === 'o') throw new TokenRefusedError('TOKEN_REUSED', 'This access token was replaced; sign in again')
  throw new SessionEndedError('SESSION_EXPIRED', 'expired')
}

/** An adopted session's token expired: it has no refresh token, so the client must bring a new one. */
export async function refuseExpiredAdopted(audit: AuditLog, session: SessionRecord, presented: string, meta: ClientMeta): Promise<never> {
  await audit.record({
    action: 'token.refused', actor: `ip:${meta.ip}`, subject: `token:${presented.slice(0, 12)}`, ip: meta.ip, userId: session.userId,
    sessionId: session.id, reason: 'adopted access token expired; the session has no refresh token',
  })
  throw new TokenRefusedError('TOKEN_EXPIRED', 'This Supabase access token has expired and its session cannot refresh it (it was adopted from a bare token, without a refresh token); get a new access token from Supabase (refresh your Supabase session) and send that')
}
