/** Deadlines and storage TTLs of a session, from its timestamps and the settings. */
import type { SessionConfig } from '../config.ts'
import type { SessionRecord } from '../types.ts'

type Times = Pick<SessionRecord, 'createdAt' | 'lastSeenAt'>

// Storage TTLs outlive deadlines by two sweeps (at least 10 min), so the sweep sees and audits
// an expiry before the store drops the record; the TTL is the backstop when no sweep runs.
/** How long storage keeps a record past its deadline. */
export const ttlSlackMs = (c: SessionConfig): number => Math.max(2 * c.sweepIntervalMs, 10 * 60_000)
const slack = ttlSlackMs

/** When the session expires: the idle or the absolute deadline, whichever is first. */
export function deadlineOf(s: Times, c: SessionConfig): number {
  return Math.min(s.lastSeenAt + c.idleTimeoutMs, s.createdAt + c.absoluteTimeoutMs)
}

/** Storage TTL of the session record. */
export function recordTtlMs(s: Times, now: number, c: SessionConfig): number {
  return Math.max(1, deadlineOf(s, c) - now) + slack(c)
}

/** Storage TTL of things that live as long as the session can (token entries, indexes, history). */
export function lifeTtlMs(s: Times, now: number, c: SessionConfig): number {
  return Math.max(1, s.createdAt + c.absoluteTimeoutMs - now) + slack(c)
}

/** Why the session has expired at `now`, or `null` while it is live. */
export function expiryReason(s: Times, now: number, c: SessionConfig): 'absolute' | 'idle' | null {
  if (now >= s.createdAt + c.absoluteTimeoutMs) return 'absolute'
  if (now >= s.lastSeenAt + c.idleTimeoutMs) return 'idle'
  return null
}

/**
 * How long past its expiry a token is still accepted somewhere (the verifier's clock leeway,
 * with room to spare). Token entries and tombstones live at least until then, so a still-valid
 * JWT of an ended session is refused rather than mistaken for an unknown one and adopted again.
 */
export const TOKEN_EXPIRY_LEEWAY_MS = 60_000

/** How long the session's current access token can still be presented. */
export function tokenLifeMs(s: Pick<SessionRecord, 'accessExpiresAt'>, now: number): number {
  return Math.max(0, s.accessExpiresAt + TOKEN_EXPIRY_LEEWAY_MS - now)
}

/** Storage TTL of the current token's index entry: the session's life, and at least the token's own. */
export function tokenEntryTtlMs(s: Times & Pick<SessionRecord, 'accessExpiresAt'>, now: number, c: SessionConfig): number {
  return Math.max(lifeTtlMs(s, now, c), tokenLifeMs(s, now))
}

/** TTL of the tombstones of a session's tokens: `tombstoneTtlMs`, and at least the token's own life. */
export function tombstoneTtlFor(s: Pick<SessionRecord, 'accessExpiresAt'>, now: number, c: SessionConfig): number {
  return Math.max(c.tombstoneTtlMs, tokenLifeMs(s, now))
}
